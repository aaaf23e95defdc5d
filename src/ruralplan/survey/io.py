"""Read and write survey exports and reference lists.

Exports are read as text: every cell becomes a string, blanks become ``""``. CSV files may be
UTF-8 (with or without BOM) or Windows-1257, separated by commas, semicolons or tabs, with title
lines above the header (:mod:`ruralplan.survey.export_csv`); XLSX files are read with openpyxl
and SPSS ``.sav`` files with pyreadstat, variable labels as headers
(:mod:`ruralplan.survey.export_books`). Every failure is an :class:`ExportReadError` naming the
file (and the row and column when one is at fault) and what was expected.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ruralplan.io import read_yaml, sha256_file, write_csv
from ruralplan.survey.base import ExportReadError, References
from ruralplan.survey.codebook import Codebook, CodebookError, parse_codebook
from ruralplan.survey.export_books import read_spss, read_workbook
from ruralplan.survey.export_csv import (
    HEAD_BYTES,
    MAX_COLUMNS,
    decode_head,
    sniff_delimiter,
)
from ruralplan.survey.export_rows import read_csv_export

__all__ = [
    "CSV_SUFFIXES",
    "EXCEL_SUFFIXES",
    "MAX_COLUMNS",
    "SPSS_SUFFIXES",
    "ExportReadError",
    "decode_text",
    "load_references",
    "read_export",
    "read_reference",
    "read_survey_codebook",
    "sniff_delimiter",
    "write_checksums",
    "write_clean_outputs",
    "write_export",
]

CSV_SUFFIXES = (".csv", ".txt")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
SPSS_SUFFIXES = (".sav", ".zsav")
_HEAD_BYTES = HEAD_BYTES


def read_export(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    expected_columns: int | None = None,
) -> pd.DataFrame:
    """Read a survey export into a table of strings.

    Parameters
    ----------
    path
        A ``.csv`` (or ``.txt``), ``.xlsx`` or ``.sav`` file.
    sheet
        Worksheet name or 0-based position for XLSX files; the first sheet when omitted.
    expected_columns
        How many columns the codebook expects (its number of questions), named in the message
        when the header has more than :data:`MAX_COLUMNS`.

    Returns
    -------
    pandas.DataFrame
        One row per submission, one text column (pandas ``str``, Arrow-backed) per export
        column, blanks as ``""``, with the headers as they appear in the file. ``attrs`` holds
        ``source`` (the path, named in cleaning errors) and ``notes`` (what the reader decided:
        title rows skipped, other sheets of a workbook), which validation reports as warnings.

    Raises
    ------
    ExportReadError
        If the file is missing, unreadable, empty, binary, in an unknown format, or cannot be
        parsed; the message names the file, and the row and column when one is at fault.
    """
    path = Path(path)
    head = _read_head(path)
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        table, notes = read_workbook(path, head, sheet=sheet, expected_columns=expected_columns)
    elif suffix in SPSS_SUFFIXES:
        table, notes = read_spss(path, expected_columns=expected_columns)
    elif suffix in CSV_SUFFIXES:
        table, notes = read_csv_export(path, head, expected_columns=expected_columns)
        if sheet not in (None, ""):
            notes.append(f"--sheet {sheet} ignored: a CSV file has no sheets")
    else:
        raise ExportReadError(
            path,
            f"unknown file type {suffix!r}; expected one of "
            f"{', '.join(CSV_SUFFIXES + EXCEL_SUFFIXES + SPSS_SUFFIXES)}",
        )
    if table.shape[1] == 0:
        raise ExportReadError(path, "no columns found; expected a header row")
    table.attrs["source"] = str(path)
    table.attrs["notes"] = list(notes)
    return table


def _read_head(path: Path) -> bytes:
    """Return the first bytes of an export, or raise a read error that says why there are none."""
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except FileNotFoundError:
        raise ExportReadError(path, "no such file") from None
    except IsADirectoryError:
        raise ExportReadError(path, "a folder, not a file; expected a survey export") from None
    except OSError as error:
        raise ExportReadError(
            path, f"cannot read the file ({error.strerror or error}); check its permissions"
        ) from None
    if not head:
        raise ExportReadError(path, "the file is empty; expected a header row and answers")
    return head


def decode_text(data: bytes, *, source: str, partial: bool = False) -> str:
    """Decode CSV bytes as UTF-8 (with or without BOM) or else Windows-1257.

    Parameters
    ----------
    data
        The raw bytes.
    source
        File name for messages.
    partial
        The bytes are the start of a longer file (a character may be cut at the end).

    Returns
    -------
    str
        The decoded text.

    Raises
    ------
    ExportReadError
        If the bytes are not text (UTF-16, binary) or fit no supported encoding.
    """
    return decode_head(data, source=source, partial=partial)[0]


def write_export(table: pd.DataFrame, path: str | Path) -> Path:
    """Write an export table as UTF-8 CSV with Unix line endings, answers exactly as typed.

    An export is an input (the synthetic one imitates a download), so formulas are not
    neutralised here as they are in every output (:func:`ruralplan.io.write_csv`).

    Parameters
    ----------
    table
        Table of strings with question texts as headers.
    path
        Destination file; parent folders are created.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    return write_csv(table, path, formula_safe=False)


def write_checksums(paths: list[Path], sums_file: str | Path) -> Path:
    """Write a ``SHA256SUMS`` file (``sha256sum`` format) for files in its folder.

    Parameters
    ----------
    paths
        Files to list; written with names relative to the folder of ``sums_file``.
    sums_file
        The checksum file.

    Returns
    -------
    pathlib.Path
        The checksum file.
    """
    sums_file = Path(sums_file)
    lines = [
        f"{sha256_file(p)}  {Path(p).relative_to(sums_file.parent).as_posix()}"
        for p in sorted(paths)
    ]
    sums_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sums_file


def read_reference(path: str | Path, *, columns: list[str]) -> pd.DataFrame:
    """Read a reference CSV as strings and check that it has ``columns``.

    Parameters
    ----------
    path
        The CSV file.
    columns
        Columns that must be present.

    Returns
    -------
    pandas.DataFrame
        The table, blanks as ``""``.

    Raises
    ------
    ExportReadError
        If the file is missing or lacks a column.
    """
    path = Path(path)
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise ExportReadError(path, f"cannot read the reference list: {error}") from None
    missing = [column for column in columns if column not in table.columns]
    if missing:
        raise ExportReadError(path, f"missing columns {missing}; expected {columns}", row=0)
    return table.astype(object)


def load_references(municipalities: str | Path, aliases: str | Path) -> References:
    """Read the reference lists used by ``lookup`` questions.

    Parameters
    ----------
    municipalities
        CSV with ``name, code, region``.
    aliases
        CSV with ``alias, name, kind, note``.

    Returns
    -------
    ruralplan.survey.base.References
        Both lists.
    """
    return References(
        units=read_reference(municipalities, columns=["name", "code", "region"]),
        aliases=read_reference(aliases, columns=["alias", "name", "kind", "note"]),
    )


def write_clean_outputs(result: Any, dictionary: pd.DataFrame, out_dir: str | Path) -> list[Path]:
    """Write the clean table, log, exclusions, data dictionary and summary to ``out_dir``.

    Parameters
    ----------
    result
        A :class:`ruralplan.survey.clean.CleanResult`.
    dictionary
        The data dictionary from :func:`ruralplan.survey.clean.data_dictionary`.
    out_dir
        Destination folder, created when missing.

    Returns
    -------
    list of pathlib.Path
        The files written: ``survey.parquet``, ``cleaning_log.csv``, ``exclusions.csv``,
        ``data_dictionary.csv``, ``cleaning_summary.json``.
    """
    from ruralplan.io import write_csv, write_json, write_parquet

    out_dir = Path(out_dir)
    return [
        write_parquet(result.table, out_dir / "survey.parquet"),
        write_csv(result.log, out_dir / "cleaning_log.csv"),
        write_csv(result.exclusions, out_dir / "exclusions.csv"),
        write_csv(dictionary, out_dir / "data_dictionary.csv"),
        write_json(result.summary, out_dir / "cleaning_summary.json"),
    ]


def read_survey_codebook(path: str | Path) -> Codebook:
    """Read and check the questionnaire codebook YAML file.

    Parameters
    ----------
    path
        The codebook file.

    Returns
    -------
    Codebook
        The checked codebook.

    Raises
    ------
    CodebookError
        If the file is missing, not YAML, or breaks a rule of the codebook format.
    """
    path = Path(path)
    try:
        document = read_yaml(path)
    except (OSError, ValueError) as error:
        raise CodebookError(f"{path}: cannot read the codebook: {error}") from None
    return parse_codebook(document, source=str(path))
