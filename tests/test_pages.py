"""The HTML pages of executed notebooks: what a reader's page leaves out and an audit page keeps."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from ruralplan.pipeline.cli import main
from ruralplan.pipeline.pages import Page, render_pages


@pytest.fixture
def executed(tmp_path: Path) -> Path:
    """A small executed notebook: a shown result, a reviewer's note, a code cell's source."""
    notebook = nbformat.v4.new_notebook()
    shown = nbformat.v4.new_code_cell("secret_code_line = 1", execution_count=1)
    shown.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": "<p>Shown to readers</p>"})
    ]
    note = nbformat.v4.new_markdown_cell("Reviewer note only", metadata={"tags": ["audit-only"]})
    notebook.cells = [shown, note]
    path = tmp_path / "run.ipynb"
    nbformat.write(notebook, path)
    return path


def test_a_readers_page_shows_outputs_without_code_or_reviewer_notes(executed, tmp_path):
    page = tmp_path / "out" / "report.lv.html"
    assert render_pages([Page(executed, page, reader_lang="lv")]) == [page]
    html = page.read_text(encoding="utf-8")
    assert "Shown to readers" in html
    assert "secret_code_line" not in html and "Reviewer note only" not in html
    assert '<html lang="lv">' in html
    assert not list(page.parent.glob(".*.tmp"))  # written in place of a temporary file


def test_an_audit_page_keeps_code_and_notes(executed, tmp_path):
    page = tmp_path / "audit.html"
    render_pages([Page(executed, page)])
    html = page.read_text(encoding="utf-8")
    assert "secret_code_line" in html and "Reviewer note only" in html


def test_pages_rendered_twice_are_the_same_bytes(executed, tmp_path):
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    render_pages([Page(executed, page, reader_lang="en") for page in (first, second)])
    assert first.read_bytes() == second.read_bytes()


def test_a_missing_notebook_is_named_and_nothing_is_written(tmp_path):
    page = tmp_path / "report.en.html"
    with pytest.raises(FileNotFoundError, match="absent.ipynb: executed notebook not found"):
        render_pages([Page(tmp_path / "absent.ipynb", page, reader_lang="en")])
    assert not page.exists()


def test_the_command_needs_a_page_and_names_a_missing_notebook(tmp_path, capsys):
    assert main(["pages"]) == 2
    assert "at least one --reader or --audit" in capsys.readouterr().err
    missing = str(tmp_path / "absent.ipynb")
    assert main(["pages", "--audit", missing, str(tmp_path / "a.html")]) == 1
    assert "absent.ipynb" in capsys.readouterr().err


def test_an_svg_output_keeps_the_alternative_text_it_was_shown_with(tmp_path):
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"></svg>'
    notebook = nbformat.v4.new_notebook()
    with_alt = nbformat.v4.new_code_cell("chart", execution_count=1)
    with_alt.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"image/svg+xml": svg}, metadata={"alt": "Answers <by> type"}
        )
    ]
    without = nbformat.v4.new_code_cell("other", execution_count=2)
    without.outputs = [nbformat.v4.new_output("display_data", data={"image/svg+xml": svg})]
    notebook.cells = [with_alt, without]
    source, page = tmp_path / "n.ipynb", tmp_path / "n.html"
    nbformat.write(notebook, source)
    render_pages([Page(source, page)])
    alts = re.findall(r'<img alt="([^"]*)"', page.read_text(encoding="utf-8"))
    # escaped; the image shown without one gets nbconvert's generic text
    assert alts == ["Answers &lt;by&gt; type", "No description has been provided for this image"]
