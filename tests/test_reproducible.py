"""Two `make report` runs on the same inputs give byte-identical outputs."""

from __future__ import annotations

import hashlib
from pathlib import Path

import nbformat
import pytest

from ruralplan.pipeline.run import stable_styler_ids, strip_volatile_metadata
from tests.pipeline_build import built_once, copy_project, make_report

# Every output of the shipped study (reports/<id>/ and data/processed/<id>/).
COMPARED = [
    "reports/*/report.lv.html",
    "reports/*/report.en.html",
    "reports/*/report-audit.html",
    "reports/*/notebooks/*.ipynb",
    "reports/*/tables/*",
    "reports/*/figures/*",
    "data/processed/*/*",
]


def _hashes(root: Path) -> dict[str, str]:
    files = sorted({p for pattern in COMPARED for p in root.glob(pattern) if p.is_file()})
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files
    }


@pytest.mark.slow
def test_two_builds_are_byte_identical(tmp_path, tmp_path_factory, project_root):
    first = built_once(tmp_path_factory, project_root)
    second = copy_project(project_root, tmp_path / "second")
    make_report(second)
    first_hashes, second_hashes = _hashes(first), _hashes(second)
    assert len(first_hashes) > 10
    assert sorted(first_hashes) == sorted(second_hashes)
    differing = [name for name in first_hashes if first_hashes[name] != second_hashes[name]]
    assert differing == [], f"outputs differ between two identical runs: {differing}"


def _styled(random_id):
    return (
        f"<style>#{random_id}_row0_col0 {{color: red}}</style>"
        f'<table id="{random_id}"><td id="{random_id}_row0_col0">T_1234 x</td></table>'
    )


def test_random_styler_ids_become_the_same_in_every_run():
    first, second = _styled("T_1a2b3"), _styled("T_9f8e7")
    assert first != second
    assert stable_styler_ids(first, "c4") == stable_styler_ids(second, "c4")
    assert 'id="T_c4_0"' in stable_styler_ids(first, "c4")
    assert "T_1234 x" in stable_styler_ids(first, "c4")  # not a Styler id: left alone


def test_runner_cleans_styler_ids_in_executed_notebooks():
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("table.style")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={
                "text/html": _styled("T_aaaaa"),
                "text/plain": "<pandas.io.formats.style.Styler at 0x7fd95f903dd0>",
            },
        )
    ]
    notebook.cells = [cell]
    cleaned = strip_volatile_metadata(notebook)
    html = cleaned.cells[0].outputs[0]["data"]["text/html"]
    assert "T_aaaaa" not in html and "T_c0o0_0" in html
    plain = cleaned.cells[0].outputs[0]["data"]["text/plain"]
    assert plain == "<pandas.io.formats.style.Styler at 0x…>"
