"""``ruralplan validate`` on bad-input fixtures: exit code and message, never a traceback."""

from __future__ import annotations

import re

import pytest

from ruralplan.pipeline.cli import main

CASES = [
    ("good_small.csv", 0, "usable"),
    ("empty.csv", 1, "the file is empty"),
    ("binary.csv", 1, "binary file"),
    ("header_only.csv", 1, "no answer rows"),
    ("missing_required_column.csv", 1, ":0:strategy_status: column missing"),
    ("duplicate_column.csv", 1, "second column for question 'strategy_status'"),
    ("unknown_label.csv", 1, ":3:strategy_status: 'Varbūt': unknown answer"),
    ("unknown_multiple_label.csv", 1, ":6:focus: 'Vide, Sports': unknown answer(s) ['sports']"),
    ("year_1066.csv", 1, ":2:founding_year: '1066': impossible value 1066; expected 1850 to 2024"),
    ("year_2031.csv", 1, ":4:founding_year: '2031. gadā': impossible value 2031"),
    ("year_unreadable.csv", 1, ":1:founding_year: '1998/2005': cannot read a four-digit year"),
    ("count_unreadable.csv", 1, ":3:members_count: 'daudz': cannot read one whole number"),
    ("bad_timestamp.csv", 1, ":5:submitted_at: '2024-13-45 25:00': not a date and time"),
    ("wrong_sheet.xlsx", 1, ":0:submitted_at: column missing"),
    ("not_a_workbook.xlsx", 1, ":0:-: not a readable XLSX"),
    ("not_spss.sav", 1, ":0:-: not a readable SPSS"),
    ("export.json", 1, ":0:-: unknown file type '.json'"),
    ("unknown_municipality.csv", 0, ":2:municipality: warning: 'Jaunciems' is not in the"),
    ("required_blank.csv", 0, ":1:strategy_status: warning: no answer to a required question"),
    ("answer_not_asked.csv", 0, ":4:strategy_review: warning: answer given although"),
    ("empty_row.csv", 0, ":3:-: warning: no answer to any question; expected at least one answer"),
]


@pytest.mark.parametrize(("name", "code", "message"), CASES, ids=[c[0] for c in CASES])
def test_validate_fixture(name, code, message, project_root, monkeypatch, capsys):
    monkeypatch.chdir(project_root)
    path = f"tests/data/survey/{name}"
    assert main(["validate", path]) == code
    out, err = capsys.readouterr()
    assert message in out + err
    assert "Traceback" not in out + err
    for line in out.splitlines():
        assert re.match(rf"^{re.escape(path)}:\d+:[^:]+: ", line), line


def test_wrong_sheet_is_fine_when_the_sheet_is_named(project_root, monkeypatch, capsys):
    monkeypatch.chdir(project_root)
    assert main(["validate", "tests/data/survey/wrong_sheet.xlsx", "--sheet", "Atbildes"]) == 0


def test_missing_sheet_is_reported(project_root, monkeypatch, capsys):
    monkeypatch.chdir(project_root)
    assert main(["validate", "tests/data/survey/wrong_sheet.xlsx", "--sheet", "Nav"]) == 1
    assert "check the sheet name" in capsys.readouterr().out


def test_at_least_15_bad_fixtures():
    assert sum(code == 1 for _, code, _ in CASES) >= 15


def test_clean_command_refuses_bad_export_and_writes_nothing(
    project_root, monkeypatch, tmp_path, capsys
):
    monkeypatch.chdir(project_root)
    out = tmp_path / "out"
    assert main(["clean", "--survey", "tests/data/survey/year_1066.csv", "--out", str(out)]) == 1
    assert "impossible value 1066" in capsys.readouterr().err
    assert not out.exists()


def test_empty_row_gives_one_warning_not_one_per_column(project_root, monkeypatch, capsys):
    monkeypatch.chdir(project_root)
    assert main(["validate", "tests/data/survey/empty_row.csv"]) == 0
    assert [line for line in capsys.readouterr().out.splitlines() if ":3:" in line] == [
        "tests/data/survey/empty_row.csv:3:-: warning: no answer to any question; expected at "
        "least one answer; excluded as empty_submission"
    ]
