"""The shipped export saved in other ways cleans to exactly the shipped result, byte for byte.

Each variant is what a spreadsheet, a survey tool or a download can make of the same answers
(issue 16 lists the benign ones): none of them changes an answer, so every output file of
``ruralplan clean`` must be the same bytes as for the export as shipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
import pyreadstat
import pytest

from ruralplan.pipeline.cli import main

EXPORT = Path(__file__).resolve().parents[1] / "data/raw/survey_export.csv"
OUTPUTS = [
    "survey.parquet",
    "cleaning_log.csv",
    "exclusions.csv",
    "data_dictionary.csv",
    "cleaning_summary.json",
]


def _rows() -> list[list[str]]:
    with EXPORT.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _csv(rows: list[list[str]], **options) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=options.pop("newline", "\n"), **options).writerows(rows)
    return buffer.getvalue()


def _text(name: str, text: str, encoding: str = "utf-8") -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode(encoding))
        return path

    return write


def _headers(change: Callable[[str], str]) -> list[list[str]]:
    rows = _rows()
    return [[change(cell) for cell in rows[0]], *rows[1:]]


def _reordered() -> list[list[str]]:
    order = [5, 0, 13, 2, 1, 4, 3, 6, 7, 8, 9, 10, 11, 12]
    return [[row[i] for i in order] for row in _rows()]


def _with_email() -> list[list[str]]:
    rows = _rows()
    return [
        [row[0], "E-pasta adrese" if n == 0 else f"r{n}@example.org", *row[1:]]
        for n, row in enumerate(rows)
    ]


def _xlsx(typed: bool) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        rows = _rows()
        book = openpyxl.Workbook()
        sheet = book.active
        if typed:
            sheet.append(["LLF aptauja 2024 (lejupielāde)"])
        sheet.append(rows[0])
        for row in rows[1:]:
            cells: list[object] = list(row)
            if typed:  # date cells as Excel and Sheets write them, numbers as numbers
                cells[0] = dt.datetime.strptime(row[0], "%d.%m.%Y %H:%M:%S")
                cells[3] = int(row[3]) if row[3].isdigit() else row[3]
                cells[5] = int(row[5]) if row[5].isdigit() else row[5]
            sheet.append(cells)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "export.xlsx"
        book.save(path)
        return path

    return write


def _sav(folder: Path) -> Path:
    rows = _rows()
    frame = pd.DataFrame(rows[1:], columns=[f"q{i:02d}" for i in range(len(rows[0]))])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "export.sav"
    pyreadstat.write_sav(frame, str(path), column_labels=rows[0])
    return path


VARIANTS: dict[str, Callable[[Path], Path]] = {
    "as shipped": _text("export.csv", EXPORT.read_text(encoding="utf-8")),
    "Windows-1257 with semicolons": _text("export.csv", _csv(_rows(), delimiter=";"), "cp1257"),
    "UTF-8 with BOM": _text("export.csv", "\ufeff" + _csv(_rows())),
    "reordered columns": _text("export.csv", _csv(_reordered())),
    "headers with trailing spaces": _text("export.csv", _csv(_headers(lambda h: h + "  "))),
    "headers with no-break spaces": _text(
        "export.csv", _csv(_headers(lambda h: h.replace(" ", "\u00a0", 2) + "\u00a0"))
    ),
    "headers with zero-width spaces": _text(
        "export.csv", _csv(_headers(lambda h: "\u200b" + h + "\ufeff"))
    ),
    "every cell quoted": _text("export.csv", _csv(_rows(), quoting=csv.QUOTE_ALL)),
    "trailing empty lines": _text("export.csv", _csv(_rows()) + "\n\n\r\n"),
    "Google Forms e-mail column": _text("export.csv", _csv(_with_email())),
    "path with spaces": _text("my exports/survey export (final).csv", _csv(_rows())),
    "Windows line ends": _text("export.csv", _csv(_rows(), newline="\r\n")),
    "old Mac line ends (CR only)": _text("export.csv", _csv(_rows(), newline="\r")),
    "tab-separated": _text("export.txt", _csv(_rows(), delimiter="\t")),
    "title lines above the header": _text("export.csv", "LLF aptauja\n;;\n" + _csv(_rows())),
    "no line break at the end": _text("export.csv", _csv(_rows()).rstrip("\n")),
    "XLSX, text cells": _xlsx(typed=False),
    "XLSX, date and number cells, a title row": _xlsx(typed=True),
    "SPSS .sav": _sav,
}


@pytest.fixture(scope="module")
def shipped(tmp_path_factory, project_root) -> Path:
    out = tmp_path_factory.mktemp("shipped")
    assert _clean(project_root, EXPORT, out) == 0
    return out


def _clean(project_root: Path, export: Path, out: Path) -> int:
    return main(
        [
            "clean",
            "--survey",
            str(export),
            "--out",
            str(out),
            "--codebook",
            str(project_root / "data/codebooks/survey.yaml"),
            "--municipalities",
            str(project_root / "data/reference/municipalities.csv"),
            "--aliases",
            str(project_root / "data/reference/municipality_aliases.csv"),
        ]
    )


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_variant_cleans_to_the_same_bytes(variant, shipped, project_root, tmp_path, capsys):
    export = VARIANTS[variant](tmp_path / "in")
    assert _clean(project_root, export, tmp_path / "out") == 0, capsys.readouterr().err
    for name in OUTPUTS:
        if variant == "SPSS .sav" and name in ("cleaning_log.csv", "cleaning_summary.json"):
            continue  # SPSS pads text, so trailing spaces (and their log entries) are lost
        assert (tmp_path / "out" / name).read_bytes() == (shipped / name).read_bytes(), name


def test_spss_log_lacks_only_the_trimmed_trailing_spaces(shipped, project_root, tmp_path):
    assert _clean(project_root, _sav(tmp_path / "in"), tmp_path / "out") == 0
    log = pd.read_csv(tmp_path / "out/cleaning_log.csv", dtype=str, keep_default_na=False)
    full = pd.read_csv(shipped / "cleaning_log.csv", dtype=str, keep_default_na=False)
    lost = full.merge(log, how="left", indicator=True).query("_merge == 'left_only'")
    assert len(log) + len(lost) == len(full) and len(lost) > 0
    assert (lost["rule"] == "trim_whitespace").all()
    assert (lost["raw_value"].str.rstrip() != lost["raw_value"]).all()
    assert (lost["raw_value"].str.lstrip() == lost["raw_value"]).all()


def test_the_variants_really_differ_from_the_shipped_file(tmp_path):
    shipped = EXPORT.read_bytes()
    made = {
        name: write(tmp_path / str(n)).read_bytes()
        for n, (name, write) in enumerate(VARIANTS.items())
    }
    assert [name for name, data in made.items() if data == shipped] == [
        "as shipped",
        "path with spaces",
    ]
