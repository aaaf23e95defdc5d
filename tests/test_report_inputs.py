"""Loading every report input at once, on the made-up project of the report tests."""

from __future__ import annotations

import os

import pytest
import yaml

from ruralplan.pipeline.study import load_study
from ruralplan.report.inputs import load_report_inputs
from ruralplan.report.io import ReportInputMissing, read_table_headers
from ruralplan.report.tables import TABLE_COLUMNS
from tests.report_fixtures import STUDY_ID, build_fake_project


def _load(lang, **overrides):
    return load_report_inputs(load_study("data", overrides, root="."), lang=lang)


@pytest.fixture
def fake_project(tmp_path, project_root, monkeypatch):
    project = build_fake_project(tmp_path / "project", project_root)
    monkeypatch.chdir(project)
    return project


def test_inputs_are_loaded_for_each_section(fake_project):
    inputs = _load("en")
    # Every exhibit is loaded once and filed under exactly one section.
    filed = [entry["file"] for entries in inputs.by_section.values() for entry in entries]
    assert sorted(filed) == sorted(entry["file"] for entry in inputs.entries)
    assert set(inputs.loaded) == {entry["file"] for entry in inputs.entries}
    assert inputs.cleaning["rows_out"] <= inputs.cleaning["rows_in"]
    # every exhibit carries the English column headers of the readers' tables
    english = read_table_headers(fake_project / "data/report/table_headers.yaml")["en"]
    assert all(entry["headers"] == english for entry in inputs.entries)


def test_missing_cleaning_summary_names_the_notebook_that_writes_it(fake_project):
    os.remove(fake_project / "data/processed" / STUDY_ID / "cleaning_summary.json")
    with pytest.raises(ReportInputMissing, match=r"cleaning_summary.json.*01_clean_survey"):
        _load("lv")


def _headers_document(**tables):
    # A complete, made-up header document; keyword arguments replace whole tables.
    document = {
        table: {lang: {c: f"{lang}:{c}" for c in columns} for lang in ("lv", "en")}
        for table, columns in TABLE_COLUMNS.items()
    }
    return {**document, **tables}


def _write_yaml(path, document):
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def test_shipped_table_headers_cover_every_column_in_both_languages(project_root):
    headers = read_table_headers(project_root / "data/report/table_headers.yaml")
    assert sorted(headers) == ["en", "lv"]
    for by_table in headers.values():
        assert {t: list(h) for t, h in by_table.items()} == {
            t: list(c) for t, c in TABLE_COLUMNS.items()
        }


def test_table_headers_are_arranged_by_language(tmp_path):
    path = _write_yaml(tmp_path / "headers.yaml", _headers_document())
    headers = read_table_headers(path)
    assert headers["lv"]["tests"]["p"] == "lv:p"
    assert headers["en"]["reliability"]["kappa"] == "en:kappa"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # one column left out of one language
        (
            lambda d: d["tests"]["en"].pop("p"),
            r"`tests.en` is missing the columns \['p'\]",
        ),
        # a table given as a list of headers instead of one mapping per language
        (
            lambda d: d.update(reliability=["Kods", "n"]),
            r"`reliability` must map \['lv', 'en'\] to headers, but \['Kods', 'n'\]",
        ),
        # a language given as a list instead of a mapping of column to header
        (
            lambda d: d["frequency"].update(lv=["Atbilde"]),
            r"`frequency.lv` must map the columns \['answer', 'n', 'percent', 'ci', 'mentions'\]",
        ),
        (lambda d: d["tests"]["lv"].update(colour="x"), r"`tests.lv` has unknown columns"),
        (lambda d: d["tests"]["lv"].update(n=" "), r"`tests.lv` has no text for the columns"),
        (lambda d: d.pop("frequency"), r"`frequency` must map"),
        (lambda d: d.update(summary={}), r"unknown tables \['summary'\]"),
        (lambda d: d["tests"].update(de={}), r"`tests` has unknown languages \['de'\]"),
    ],
    ids=[
        "missing-column",
        "table-is-a-list",
        "language-is-a-list",
        "unknown-column",
        "blank-header",
        "missing-table",
        "unknown-table",
        "unknown-language",
    ],
)
def test_bad_table_headers_name_the_file_and_the_key(tmp_path, change, message):
    document = _headers_document()
    change(document)
    path = _write_yaml(tmp_path / "headers.yaml", document)
    with pytest.raises(ValueError, match=rf"headers\.yaml: .*{message}"):
        read_table_headers(path)


def test_all_header_problems_are_reported_at_once(tmp_path):
    document = _headers_document()
    document["tests"]["en"].pop("p")
    document["reliability"]["lv"].pop("kappa")
    path = _write_yaml(tmp_path / "headers.yaml", document)
    with pytest.raises(ValueError, match=r"`reliability.lv` is missing.*; `tests.en` is missing"):
        read_table_headers(path)


def test_header_file_that_is_not_a_mapping_is_refused(tmp_path):
    path = _write_yaml(tmp_path / "headers.yaml", ["Atbilde", "n"])
    with pytest.raises(ValueError, match=r"headers\.yaml: expected a mapping .* found list"):
        read_table_headers(path)


def test_missing_header_file_stops_the_report(fake_project):
    os.remove(fake_project / "data/report/table_headers.yaml")
    with pytest.raises(ReportInputMissing, match=r"table_headers\.yaml"):
        _load("en")


def test_report_inputs_read_the_header_file_they_are_given(fake_project):
    document = _headers_document()
    document["tests"]["en"].pop("p")
    path = _write_yaml(fake_project / "other_headers.yaml", document)
    with pytest.raises(ValueError, match=r"other_headers\.yaml: `tests.en` is missing"):
        _load("en", table_headers=str(path.relative_to(fake_project)))
