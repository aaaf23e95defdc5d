"""Loading every report input at once, on the made-up project of the report tests."""

from __future__ import annotations

import os

import pytest

from ruralplan.io.report import ReportInputMissing, load_report_inputs
from tests.report_fixtures import build_fake_project

ARGUMENTS = {
    "survey": "data/raw/survey_export.csv",
    "synthetic": "auto",
    "processed_dir": "data/processed",
    "reports_dir": "reports",
    "survey_codebook": "data/codebooks/survey.yaml",
    "interview_codebook": "data/codebooks/interviews.yaml",
    "variable_labels": "data/analysis/variable_labels.yaml",
    "exhibits": "data/report/exhibits.yaml",
}


@pytest.fixture
def fake_project(tmp_path, project_root, monkeypatch):
    project = build_fake_project(tmp_path / "project", project_root)
    monkeypatch.chdir(project)
    return project


def test_inputs_are_loaded_for_each_section(fake_project):
    inputs = load_report_inputs(lang="en", **ARGUMENTS)
    # Every exhibit is loaded once and filed under exactly one section.
    filed = [entry["file"] for entries in inputs.by_section.values() for entry in entries]
    assert sorted(filed) == sorted(entry["file"] for entry in inputs.entries)
    assert set(inputs.loaded) == {entry["file"] for entry in inputs.entries}
    assert inputs.cleaning["rows_out"] <= inputs.cleaning["rows_in"]


def test_missing_cleaning_summary_names_the_notebook_that_writes_it(fake_project):
    os.remove(fake_project / "data/processed/cleaning_summary.json")
    with pytest.raises(ReportInputMissing, match=r"cleaning_summary.json.*01_clean_survey"):
        load_report_inputs(lang="lv", **ARGUMENTS)
