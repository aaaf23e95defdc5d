"""Each source notebook runs as JupyterLab runs it: from its own folder, on its defaults.

JupyterLab starts a notebook's kernel in the notebook's folder (``notebooks/``), not in the
project root where ``make`` runs it. The notebooks find the project root themselves, so a
rerun from ``notebooks/`` must write exactly the files the pipeline wrote.
"""

from __future__ import annotations

import hashlib

import papermill
import pytest

from ruralplan.pipeline.run import KERNEL_NAME
from ruralplan.pipeline.study import load_study
from tests.pipeline_build import built_once

NOTEBOOKS = [
    "01_clean_survey",
    "02_tabulate_survey",
    "03_code_interviews",
    "04_crosstab_tests",
    "05_report",
]


@pytest.fixture(scope="module")
def built_project(tmp_path_factory, project_root):
    """A copy of the project where `make report` ran once."""
    return built_once(tmp_path_factory, project_root)


def _digests(folder):
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.slow
def test_every_notebook_runs_from_its_own_folder_and_writes_the_same_files(built_project, tmp_path):
    study = load_study(root=built_project)
    watched = [built_project / study.reports_dir / "tables", built_project / study.processed_dir]
    before = [_digests(folder) for folder in watched]
    for name in NOTEBOOKS:
        papermill.execute_notebook(
            str(built_project / "notebooks" / f"{name}.ipynb"),
            str(tmp_path / f"{name}.ipynb"),
            kernel_name=KERNEL_NAME,
            cwd=str(built_project / "notebooks"),
            progress_bar=False,
        )
    after = [_digests(folder) for folder in watched]
    assert after == before
