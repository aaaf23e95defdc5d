"""The notebook runner writes outputs only on success and strips run-dependent metadata."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from ruralplan.pipeline.run import (
    NotebookFailed,
    run_notebook,
    select_parameters,
    strip_volatile_metadata,
)


def _notebook(tmp_path, *sources):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "ruralplan",
        "language": "python",
        "display_name": "Python (ruralplan)",
    }
    parameters = nbformat.v4.new_code_cell("value = 1")
    parameters.metadata["tags"] = ["parameters"]
    notebook.cells = [parameters, *(nbformat.v4.new_code_cell(s) for s in sources)]
    path = tmp_path / "source.ipynb"
    nbformat.write(notebook, path)
    return path


def test_select_parameters_keeps_only_declared_names():
    assert select_parameters(["lang"], {"lang": "en", "alpha": 0.05}) == {"lang": "en"}


def test_strip_volatile_metadata_removes_timings_and_fixes_ids():
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("1")
    cell.metadata["execution"] = {"iopub.execute_input": "2026-01-01T00:00:00"}
    cell.metadata["papermill"] = {"duration": 0.1}
    notebook.cells = [cell]
    notebook.metadata["papermill"] = {"start_time": "x", "duration": 1.0, "parameters": {"a": 1}}
    first = strip_volatile_metadata(notebook)
    second = strip_volatile_metadata(notebook)
    assert "execution" not in first.cells[0].metadata
    assert "papermill" not in first.cells[0].metadata
    assert first.metadata["papermill"] == {"parameters": {"a": 1}}
    assert first.cells[0]["id"] == second.cells[0]["id"]
    assert notebook.cells[0].metadata["papermill"] == {"duration": 0.1}  # input untouched


@pytest.mark.slow
def test_failed_notebook_leaves_no_output_and_keeps_a_failed_copy(tmp_path):
    source = _notebook(tmp_path, "raise ValueError('planted failure')")
    output = tmp_path / "out" / "executed.ipynb"
    with pytest.raises(NotebookFailed, match=r"ValueError: planted failure[\s\S]*failed.ipynb"):
        run_notebook(source, output, parameters={"value": 2}, cwd=tmp_path)
    assert not output.exists()
    assert (tmp_path / "out" / "executed.failed.ipynb").exists()


@pytest.mark.slow
def test_successful_notebook_gets_injected_parameters(tmp_path):
    source = _notebook(tmp_path, "assert value == 2")
    output = tmp_path / "executed.ipynb"
    run_notebook(source, output, parameters={"value": 2, "unused": 3}, cwd=tmp_path)
    executed = nbformat.read(output, as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert "value = 2" in injected[0].source
    assert "unused" not in injected[0].source


def test_unwritable_output_folder_is_one_clear_error(tmp_path, monkeypatch):
    source = _notebook(tmp_path, "x = 1")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path / "out"))

    # Root may write anywhere, so the refusal is simulated where the runner makes its folder.
    monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(NotebookFailed, match=r"out: Permission denied$"):
        run_notebook(source, tmp_path / "out" / "x.ipynb", parameters={}, cwd=tmp_path)
