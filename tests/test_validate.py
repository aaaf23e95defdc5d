"""``ruralplan validate`` on bad-input fixtures: exit code and message, never a traceback."""

from __future__ import annotations

import re

import pandas as pd
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
    # issue 16: each kind of damaged or unusual export, with the message it must give
    ("too_many_columns.csv", 1, ":0:-: 20,000 columns; expected 14, one per question"),
    ("cr_line_ends.csv", 0, "6 rows, 0 errors, 0 warnings; usable"),
    ("tab_separated.csv", 0, "6 rows, 0 errors, 0 warnings; usable"),
    ("title_rows.csv", 0, ":0:-: warning: 2 line(s) above the header skipped as a title"),
    ("utf16.csv", 1, ':0:-: the file is UTF-16 text (Excel\'s "Unicode Text")'),
    ("bel_character.csv", 1, ":1:org_name: control character U+0007 (BEL) in"),
    ("mixed_encoding.csv", 1, ":0:-: line 3: bytes 0xCD are not UTF-8 text"),
    ("zip_named_csv.csv", 1, ":0:-: this is a ZIP archive (an XLSX workbook?), not CSV text"),
    ("truncated_mid_row.csv", 1, ":4:-: the last row has 4 of 14 cells and the file ends"),
    ("truncated_in_quotes.csv", 1, "the file ends inside a quoted cell of the row on line 6"),
    ("short_row.csv", 1, ":3:-: line 4 has 13 cells; expected 14 like the header (line 1,"),
    ("extra_cell.csv", 1, ":2:-: line 3 has 15 cells; expected 14 like the header"),
    ("negative_count.csv", 1, ":2:members_count: '-5': impossible value -5; expected 1 to 5000"),
    ("year_decimal.csv", 0, "6 rows, 0 errors, 0 warnings; usable"),
    ("all_blank_rows.csv", 1, ":0:-: none of the 3 rows answers a question"),
    ("timestamp_only.csv", 1, ":0:-: none of the 3 rows answers a question"),
    ("invisible_header.csv", 0, ":0:Piezīmes\\u200b\\t: warning: column not in the codebook"),
    ("one_row.csv", 0, "1 rows, 0 errors, 0 warnings; usable"),
    ("date_cells.xlsx", 0, "6 rows, 0 errors, 0 warnings; usable"),
    ("corrupt.xlsx", 1, ":0:-: not a readable XLSX workbook (ParseError"),
    ("encrypted.xlsx", 1, ":0:-: not a readable XLSX workbook: it is password-protected"),
    ("numeric.sav", 0, ":1:smart_village: warning: no answer to a required question"),
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
    assert main(["validate", "tests/data/survey/wrong_sheet.xlsx", "--sheet", "1"]) == 0


def test_two_sheet_workbook_names_its_sheets_and_the_option(project_root, monkeypatch, capsys):
    monkeypatch.chdir(project_root)
    assert main(["validate", "tests/data/survey/wrong_sheet.xlsx"]) == 1
    first = capsys.readouterr().out.splitlines()[0]
    assert first == (
        "tests/data/survey/wrong_sheet.xlsx:0:-: warning: the workbook has 2 sheets "
        "('Piezīmes', 'Atbildes'); the first, 'Piezīmes', was read: name another with --sheet"
    )


def test_missing_sheet_is_reported(project_root, monkeypatch, capsys):
    monkeypatch.chdir(project_root)
    assert main(["validate", "tests/data/survey/wrong_sheet.xlsx", "--sheet", "Nav"]) == 1
    assert capsys.readouterr().out == (
        "tests/data/survey/wrong_sheet.xlsx:0:-: no sheet 'Nav'; the workbook has 'Piezīmes', "
        "'Atbildes': check the sheet name\n"
    )


def test_clean_reads_the_named_sheet(project_root, monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(project_root)
    path = "tests/data/survey/wrong_sheet.xlsx"
    assert main(["clean", "--survey", path, "--sheet", "Atbildes", "--out", str(tmp_path)]) == 0
    assert "6 rows in, 6 rows out" in capsys.readouterr().out


def test_at_least_15_bad_fixtures():
    assert sum(code == 1 for _, code, _ in CASES) >= 15


def test_every_fixture_has_its_expected_message(project_root):
    folder = project_root / "tests/data/survey"
    files = {p.name for p in folder.iterdir() if p.name not in {"README.md", "make_fixtures.py"}}
    assert files == {name for name, _, _ in CASES}
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert [name for name in sorted(files) if f"| {name} |" not in readme] == []


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


def _clean_args(project_root, survey, out):
    return ["clean", "--survey", str(project_root / survey), "--out", str(out)]


def test_clean_names_an_out_that_is_a_file(project_root, monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(project_root)
    out = tmp_path / "taken"
    out.write_text("", encoding="utf-8")
    assert main(_clean_args(project_root, "tests/data/survey/good_small.csv", out)) == 1
    err = capsys.readouterr().err
    assert err == f"{out}: not a folder; expected a folder for the outputs\n"


def test_clean_names_an_unwritable_output_file(project_root, monkeypatch, tmp_path, capsys):
    # root may write anywhere, so the refusal a read-only folder gives is made here
    import ruralplan.io

    def refuse(table, path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.chdir(project_root)
    monkeypatch.setattr(ruralplan.io, "write_parquet", refuse)
    assert main(_clean_args(project_root, "tests/data/survey/good_small.csv", tmp_path)) == 1
    err = capsys.readouterr().err
    assert err == f"{tmp_path / 'survey.parquet'}: cannot write (Permission denied)\n"


def test_redact_names_an_unwritable_out(project_root, monkeypatch, tmp_path, capsys):
    import ruralplan.interviews.io

    def refuse(texts, directory):
        raise PermissionError(13, "Permission denied", str(directory))

    monkeypatch.chdir(project_root)
    monkeypatch.setattr(ruralplan.interviews.io, "write_transcripts", refuse)
    out = tmp_path / "redacted"
    args = ["redact", "--transcripts", "data/raw/interviews", "--out", str(out)]
    assert main(args) == 1
    assert capsys.readouterr().err == f"{out}: cannot write (Permission denied)\n"


def test_unreadable_export_is_one_line(project_root, monkeypatch, capsys):
    from pathlib import Path

    original = Path.open

    def refuse(self, *args, **kwargs):
        if self.name == "good_small.csv":
            raise PermissionError(13, "Permission denied", str(self))
        return original(self, *args, **kwargs)

    monkeypatch.chdir(project_root)
    monkeypatch.setattr(Path, "open", refuse)
    assert main(["validate", "tests/data/survey/good_small.csv"]) == 1
    assert capsys.readouterr().out == (
        "tests/data/survey/good_small.csv:0:-: cannot read the file (Permission denied); check "
        "its permissions\n"
    )


def test_redact_lists_what_is_left_for_review(project_root, monkeypatch, tmp_path, capsys):
    transcripts = tmp_path / "raw"
    transcripts.mkdir()
    # "Dace" is registered; the surname after the title "kungs" is in no register
    (transcripts / "int01.txt").write_text(
        "Intervētājs: Labdien.\nDace: Mums palīdzēja kungs Vītoliņš no pagasta.\n",
        encoding="utf-8",
    )
    (transcripts / "pii_register.csv").write_text(
        "interview_id,category,value,surface_forms\nint01,person,Dace Ozoliņa,Dace\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(project_root)
    out = tmp_path / "processed" / "redacted"
    assert main(["redact", "--transcripts", str(transcripts), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    residuals = pd.read_csv(tmp_path / "processed" / "redaction_residuals.csv")
    assert len(residuals) >= 1 and set(residuals["interview_id"]) == {"int01"}
    assert "Vītoliņš" in set(residuals["candidate"])  # the unlisted surname, for a person
    assert f"left for a person to review: {len(residuals)} candidates in 1 transcripts" in said
