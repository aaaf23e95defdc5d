"""Source notebooks are committed clean and parameterised."""

from __future__ import annotations

import nbformat
import pytest

from tests.conftest import PROJECT_ROOT

NOTEBOOKS = sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb"))
EXPECTED = [
    "01_clean_survey",
    "02_tabulate_survey",
    "03_code_interviews",
    "04_crosstab_tests",
    "05_report",
]


def test_the_five_pipeline_notebooks_exist():
    assert [path.stem for path in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_has_no_outputs_or_execution_counts(path):
    notebook = nbformat.read(path, as_version=4)
    dirty = [
        index
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert dirty == [], f"{path.name}: cells {dirty} carry outputs or execution counts"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_has_exactly_one_parameters_cell(path):
    notebook = nbformat.read(path, as_version=4)
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_defines_no_functions_or_classes(path):
    # Logic belongs in src/ruralplan; a def in a notebook is the signal to move it.
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            lines = cell.source.splitlines()
            assert not any(line.startswith(("def ", "class ")) for line in lines), path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_valid_nbformat(path):
    # A markdown cell carrying "outputs" (left by hand editing) breaks linters and some viewers.
    nbformat.validate(nbformat.read(path, as_version=4))


def test_invalid_notebook_is_detected(tmp_path):
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_markdown_cell("text")
    cell["outputs"] = []
    notebook.cells = [cell]
    with pytest.raises(nbformat.ValidationError):
        nbformat.validate(notebook)
