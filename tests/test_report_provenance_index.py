"""The exhibit index: each output traced to the cell that announced saving it, and linked there."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd
import pytest

from ruralplan.io import write_csv
from ruralplan.io.saved import announce_saved, saved_name, saved_output
from ruralplan.pipeline.provenance import exhibit_index, find_writer, saved_files
from ruralplan.pipeline.run import run_notebook
from ruralplan.report.anchors import audit_href, cell_anchor
from ruralplan.report.provenance import index_rows, provenance_html

# A loop of cross-tabs and then a regression, each writing templated names into tables/: a
# search of the code for a templated name in that folder finds the loop for both.
LOOP = 'for s in stems:\n    io.write_csv(t, tables_dir / f"{s}.csv")'
MODEL = (
    'io.write_csv(fit, tables_dir / f"{model}.csv")\n'
    'io.write_json(s, tables_dir / f"{model}_fit.json")'
)


def _cell(source: str, count: int | None, saved: list[str] = ()) -> nbformat.NotebookNode:
    """A code cell as an executed notebook holds it, with the output its writers announced."""
    cell = nbformat.v4.new_code_cell(source, execution_count=count)
    if saved:
        data, metadata = saved_output(saved)
        cell.outputs = [nbformat.v4.new_output("display_data", data=data, metadata=metadata)]
    return cell


def _notebook(*cells: nbformat.NotebookNode) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("Writes `tables/logit_s.csv`."), *cells]
    return notebook


CROSSTABS = ["r/s/tables/crosstab_a_by_b.csv", "r/s/tables/crosstab_a_by_c.csv"]
MODEL_FILES = ["r/s/tables/logit_s.csv", "r/s/tables/logit_s_fit.json"]
NOTEBOOKS = {
    "04_tests.ipynb": _notebook(
        _cell("x = 1", 1),
        _cell('tables_dir = reports / "tables"', 2),
        _cell(LOOP, 7, CROSSTABS),
        _cell(MODEL, 8, MODEL_FILES),
    ),
    "02_tabulate.ipynb": _notebook(_cell('io.write_csv(t, tables_dir / "logit.csv")', 3)),
}


def test_two_cells_writing_templated_names_into_one_folder_are_told_apart():
    assert find_writer(NOTEBOOKS, "r/s/tables/crosstab_a_by_c.csv") == ("04_tests.ipynb", 7)
    for file in MODEL_FILES:
        assert find_writer(NOTEBOOKS, file) == ("04_tests.ipynb", 8), file


def test_a_file_no_cell_announced_is_not_traced_even_when_a_cell_names_it():
    # cell [3] of 02 has "logit.csv" in its code, the Markdown names tables/logit_s.csv, and
    # tables/absent.csv is written by no cell: none of them is attributed
    assert find_writer(NOTEBOOKS, "r/s/tables/logit.csv") is None
    assert find_writer(NOTEBOOKS, "r/s/tables/absent.csv") is None
    assert find_writer(NOTEBOOKS, "tables/logit_s.csv") is None  # a path, not a suffix
    assert find_writer({}, MODEL_FILES[0]) is None


def test_outputs_of_a_cell_never_run_or_not_ours_are_ignored():
    never_run = _cell(MODEL, None, MODEL_FILES)
    odd = _cell("x", 2)
    odd.outputs = [
        nbformat.v4.new_output("display_data", data={}, metadata={"ruralplan": {"saved": "a"}}),
        nbformat.v4.new_output("stream", name="stdout", text="saved: r/s/tables/logit_s.csv\n"),
    ]
    assert saved_files(odd) == []
    assert find_writer({"n.ipynb": _notebook(never_run, odd)}, MODEL_FILES[0]) is None


def test_a_file_saved_twice_is_traced_to_the_last_cell_that_saved_it():
    twice = {"n.ipynb": _notebook(_cell("a", 2, ["t/a.csv"]), _cell("b", 5, ["t/a.csv"]))}
    assert find_writer(twice, "t/a.csv") == ("n.ipynb", 5)


def test_index_rows_link_traced_files_to_their_cell_and_say_when_not_traced():
    outputs = {"tables/logit_s.csv": MODEL_FILES[0], "tables/absent.csv": "r/s/tables/absent.csv"}
    index = exhibit_index(outputs, NOTEBOOKS)
    assert index["file"].tolist() == ["tables/absent.csv", "tables/logit_s.csv"]
    rows = index_rows(index)
    assert rows == [
        {"file": "tables/absent.csv", "notebook": "", "count": None, "href": ""},
        {
            "file": "tables/logit_s.csv",
            "notebook": "04_tests.ipynb",
            "count": 8,
            "href": "audit/04_tests.html#04_tests-cell-8",
        },
    ]
    html = provenance_html(
        git={"commit": "abc", "dirty": False},
        hashes=pd.DataFrame(),
        packages=pd.DataFrame(),
        parameters=pd.DataFrame(),
        exhibit_index=index,
        notebooks=["04_tests.ipynb", "05_report.en.ipynb"],
        lang="en",
        executed=NOTEBOOKS,
    )
    assert '<a href="audit/04_tests.html#04_tests-cell-8">04_tests.ipynb, cell [8]</a>' in html
    assert "not traced: no notebook cell reported saving this file" in html
    assert '<a href="audit/04_tests.html">' in html  # the notebook's own audit page
    assert "audit/05_report" not in html  # the report notebook has no page of its own there
    # ...its code is in the reviewer's version of the report, linked once
    assert html.count('<a href="report-audit.html">') == 1


def test_anchor_names_follow_the_notebook_and_execution_count():
    assert cell_anchor("02_tabulate_survey.ipynb", 7) == "02_tabulate_survey-cell-7"
    assert audit_href("02_tabulate_survey.ipynb", 7).endswith("#02_tabulate_survey-cell-7")


def test_outside_a_kernel_writing_announces_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_csv(pd.DataFrame({"a": [1]}), Path("t") / "a.csv")
    announce_saved(Path("t") / "b.csv")
    assert capsys.readouterr() == ("", "")
    assert saved_name(tmp_path / "t" / "a.csv") == "t/a.csv"  # absolute inside: relative
    assert saved_name("/elsewhere/a.csv") == "/elsewhere/a.csv"


@pytest.mark.slow
def test_a_kernel_run_records_which_cell_saved_each_file(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "ruralplan", "language": "python"}
    notebook.cells = [
        nbformat.v4.new_code_cell("import pandas as pd\nfrom ruralplan import io"),
        nbformat.v4.new_markdown_cell("two loops into one folder"),
        nbformat.v4.new_code_cell(
            "for s in 'ab':\n    io.write_csv(pd.DataFrame({'x': [1]}), f'out/tables/{s}.csv')\n"
            "print('between')\nio.write_json({}, 'out/tables/a_fit.json')"
        ),
        nbformat.v4.new_code_cell(
            "for s in 'cd':\n    io.write_csv(pd.DataFrame({'x': [2]}), f'out/tables/{s}.csv')"
        ),
    ]
    nbformat.write(notebook, tmp_path / "source.ipynb")
    run_notebook(tmp_path / "source.ipynb", tmp_path / "run.ipynb", parameters={}, cwd=tmp_path)
    executed = {"run.ipynb": nbformat.read(tmp_path / "run.ipynb", as_version=4)}
    traced = {f: find_writer(executed, f"out/tables/{f}") for f in ("a.csv", "a_fit.json", "d.csv")}
    assert traced == {
        "a.csv": ("run.ipynb", 2),
        "a_fit.json": ("run.ipynb", 2),
        "d.csv": ("run.ipynb", 3),
    }
    # one output per cell lists every file it saved, in the order written
    outputs = executed["run.ipynb"].cells[2].outputs
    shown = [o for o in outputs if o.output_type == "display_data"]
    assert len(shown) == 1
    assert shown[0].data["text/plain"].splitlines() == [
        "saved: out/tables/a.csv",
        "saved: out/tables/b.csv",
        "saved: out/tables/a_fit.json",
    ]
