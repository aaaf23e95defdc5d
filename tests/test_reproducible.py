"""Same inputs, same bytes: a second, independent run of the study gives identical outputs.

One full build (`make -j2 report`, shared with the other pipeline tests) is compared with a
second run in a fresh copy of the project that runs every source notebook, with make's
parameters, from the folder JupyterLab runs it in (``notebooks/``, not the project root where
make runs it). Both runs must write byte-identical tables, figures, processed files and
executed notebooks. The report pages are then rendered again from the first build's executed
notebooks and must come out byte-identical. So one second run checks both that the notebooks
work from JupyterLab's folder and that the pipeline is deterministic. (That a notebook's own
default, ``study_folder = ""``, is the project's default study is a fast test below.)
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import nbformat
import pytest

from ruralplan.pipeline.run import run_notebook, stable_styler_ids, strip_volatile_metadata
from ruralplan.pipeline.study import default_study, load_study, open_study
from tests.pipeline_build import SHARED_BUILD_GROUP, built_once, copy_project

# Tests that use the shared build run in one pytest-xdist worker, so it is built once.
pytestmark = pytest.mark.xdist_group("llf-build")

NOTEBOOKS = ["01_clean_survey", "02_tabulate_survey", "03_code_interviews", "04_crosstab_tests"]
REPORT_NOTEBOOK = "05_report"
# Written by the notebooks themselves.
DATA_OUTPUTS = ["reports/*/tables/*", "reports/*/figures/*", "data/processed/*/*"]
# Written by make's nbconvert steps from the executed notebooks.
PAGES = ["reports/*/*.html", "reports/*/audit/*.html"]


def _hashes(root: Path, patterns: list[str]) -> dict[str, str]:
    files = sorted({p for pattern in patterns for p in root.glob(pattern) if p.is_file()})
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory, project_root):
    return built_once(tmp_path_factory, project_root)


@pytest.fixture(scope="module")
def second_run(built, tmp_path_factory, project_root):
    """A fresh copy where each notebook ran from ``notebooks/`` with make's parameters."""
    second = copy_project(project_root, tmp_path_factory.mktemp("second") / "project")
    study = load_study(root=second)
    executed = second / study.reports_dir / "notebooks"
    runs = [(name, f"{name}.ipynb", {}) for name in NOTEBOOKS]
    runs += [
        (REPORT_NOTEBOOK, f"{REPORT_NOTEBOOK}.{lang}.ipynb", {"lang": lang})
        for lang in study.settings["languages"]
    ]
    for name, output, extra in runs:
        run_notebook(
            second / "notebooks" / f"{name}.ipynb",
            executed / output,
            parameters={"study_folder": str(study.folder), "settings": {}, **extra},
            cwd=second / "notebooks",
        )
    return second


@pytest.mark.slow
def test_a_second_run_from_jupyterlabs_folder_writes_the_same_bytes(built, second_run):
    first_hashes, second_hashes = _hashes(built, DATA_OUTPUTS), _hashes(second_run, DATA_OUTPUTS)
    assert len(first_hashes) > 10
    assert sorted(second_hashes) == sorted(first_hashes)
    differing = [name for name in first_hashes if first_hashes[name] != second_hashes[name]]
    assert differing == [], f"outputs differ between two identical runs: {differing}"


@pytest.mark.slow
def test_the_executed_notebooks_are_the_same_bytes(built, second_run):
    study = load_study(root=built)
    made = sorted((built / study.reports_dir / "notebooks").glob("*.ipynb"))
    assert len(made) == len(NOTEBOOKS) + len(study.settings["languages"])
    for path in made:
        again = second_run / path.relative_to(built)
        assert again.read_bytes() == path.read_bytes(), path.name


@pytest.mark.slow
def test_the_report_pages_render_again_to_the_same_bytes(built):
    before = _hashes(built, PAGES)
    assert any(name.endswith("report.lv.html") for name in before)
    for name in before:
        (built / name).unlink()
    result = subprocess.run(["make", "report"], cwd=built, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "ruralplan run" not in result.stdout  # only the pages were missing
    assert _hashes(built, PAGES) == before


def test_a_notebooks_default_study_is_the_projects_default(project_root, monkeypatch):
    monkeypatch.chdir(project_root / "notebooks")  # where JupyterLab starts a notebook
    opened = open_study("", {})  # the notebooks' own defaults
    assert Path.cwd() == project_root
    assert opened == load_study(str(default_study(project_root)), root=project_root)
    assert opened.reports_dir != load_study("examples/village-halls", root=project_root).reports_dir


def test_every_module_using_the_shared_build_runs_in_its_group():
    # Under pytest-xdist a module outside the group would build the project again in
    # another worker: a slower test run, and no failure to notice it by.
    tests = Path(__file__).parent
    users = [p for p in tests.glob("test_*.py") if "built_once(" in p.read_text(encoding="utf-8")]
    assert len(users) >= 3
    ungrouped = [
        p.name
        for p in users
        if f'xdist_group("{SHARED_BUILD_GROUP}")' not in p.read_text(encoding="utf-8")
    ]
    assert ungrouped == []


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
