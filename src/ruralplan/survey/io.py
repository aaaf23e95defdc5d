"""Read and write survey exports and reference lists.

Exports are read as text: every cell becomes a string, blanks become ``""``. CSV files may be
UTF-8 (with or without BOM) or Windows-1257, separated by commas or semicolons; XLSX files are
read with openpyxl and SPSS ``.sav`` files with pyreadstat (variable labels are the headers).
Every failure is a :class:`ExportReadError` naming the file and what was expected.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path
from typing import Any

import pandas as pd

from ruralplan.io import read_yaml, sha256_file, write_csv
from ruralplan.survey.base import References
from ruralplan.survey.codebook import Codebook, CodebookError, parse_codebook

CSV_SUFFIXES = (".csv", ".txt")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
SPSS_SUFFIXES = (".sav", ".zsav")
_ENCODINGS = ("utf-8-sig", "cp1257")
_HEAD_BYTES = 1 << 16
_TEXT = pd.StringDtype("pyarrow", na_value=float("nan"))
"""The pandas default text dtype (``str``): Arrow-backed, one buffer per column."""


class ExportReadError(ValueError):
    """Raised when an export cannot be read; the message names the file and the reason."""


def read_export(path: str | Path, *, sheet: str | int | None = None) -> pd.DataFrame:
    """Read a survey export into a table of strings.

    Parameters
    ----------
    path
        A ``.csv``, ``.xlsx`` or ``.sav`` file.
    sheet
        Worksheet name or 0-based position for XLSX files; the first sheet when omitted.

    Returns
    -------
    pandas.DataFrame
        One row per submission, one text column (pandas ``str``, Arrow-backed) per export
        column, blanks as ``""``, with the headers as they appear in the file.

    Raises
    ------
    ExportReadError
        If the file is missing, empty, binary, in an unknown format or cannot be parsed.
    """
    path = Path(path)
    if not path.is_file():
        raise ExportReadError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise ExportReadError(f"{path}: the file is empty; expected a header row and answers")
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        table = _read_excel(path, sheet)
    elif suffix in SPSS_SUFFIXES:
        table = _read_spss(path)
    elif suffix in CSV_SUFFIXES:
        table = _read_csv(path)
    else:
        raise ExportReadError(
            f"{path}: unknown file type {suffix!r}; expected one of "
            f"{', '.join(CSV_SUFFIXES + EXCEL_SUFFIXES + SPSS_SUFFIXES)}"
        )
    if table.shape[1] == 0:
        raise ExportReadError(f"{path}: no columns found; expected a header row")
    return table


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
        If the bytes look binary or fit no supported encoding.
    """
    head = data[:4096]
    if any(byte < 9 or 13 < byte < 32 for byte in head if byte != 27):
        raise ExportReadError(f"{source}: this looks like a binary file, not a CSV text export")
    for encoding in _ENCODINGS:
        try:
            return codecs.getincrementaldecoder(encoding)().decode(data, final=not partial)
        except UnicodeDecodeError:
            continue
    raise ExportReadError(f"{source}: not UTF-8 or Windows-1257 text")


def sniff_delimiter(header_line: str) -> str:
    """Return ``";"`` when the header has more semicolons than commas, else ``","``.

    Examples
    --------
    >>> sniff_delimiter("Laiks;Vārds, uzvārds;Gads")
    ';'
    """
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _read_csv(path: Path) -> pd.DataFrame:
    with path.open("rb") as handle:
        head = handle.read(_HEAD_BYTES)
    text = decode_text(head, source=str(path), partial=len(head) == _HEAD_BYTES)
    if not text.strip():
        raise ExportReadError(f"{path}: the file has no text; expected a header row and answers")
    delimiter = sniff_delimiter(text.split("\n", 1)[0])
    header = _header(text, delimiter)
    for encoding in ("utf8", "cp1257"):
        table = _read_csv_arrow(path, delimiter, encoding, header)
        if table is not None:
            return table
    return _read_csv_python(path, delimiter)


def _header(text: str, delimiter: str) -> list[str]:
    return next(csv.reader(io.StringIO(text), delimiter=delimiter), [])


def _read_csv_arrow(
    path: Path, delimiter: str, encoding: str, header: list[str]
) -> pd.DataFrame | None:
    """Read with pyarrow into Arrow-backed string columns; None when pandas should read it.

    pyarrow keeps the text in Arrow buffers (no Python object per cell), which is what makes
    large exports fast; it checks that the bytes are valid in ``encoding``. Files it refuses
    (ragged rows, bytes outside the encoding, a header it reads differently) go to the slower
    pandas reader, which reads them or gives the message.
    """
    import pyarrow as pa
    from pyarrow import csv as arrow_csv

    # large_string is the layout pandas keeps its Arrow text in, so nothing is copied later
    options = arrow_csv.ConvertOptions(
        column_types={name: pa.large_string() for name in header},
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    try:
        arrow = arrow_csv.read_csv(
            path,
            read_options=arrow_csv.ReadOptions(encoding=encoding),
            parse_options=arrow_csv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=options,
        )
        if arrow.column_names != header:
            return None
    except (pa.ArrowException, UnicodeError):
        return None
    if not all(pa.types.is_large_string(t) for t in arrow.schema.types):
        return None
    columns = {}
    for position, column in enumerate(arrow.itercolumns()):
        columns[position] = pd.Series(pd.array(column, dtype=_TEXT), copy=False)
    table = pd.DataFrame(columns)
    table.columns = pd.Index(header)
    return table


def _read_csv_python(path: Path, delimiter: str) -> pd.DataFrame:
    text = decode_text(path.read_bytes(), source=str(path))
    try:
        table = pd.read_csv(io.StringIO(text), dtype=object, keep_default_na=False, sep=delimiter)
    except (pd.errors.ParserError, csv.Error) as error:
        raise ExportReadError(f"{path}: cannot parse as CSV: {error}") from None
    return table.astype(_TEXT)


def _read_excel(path: Path, sheet: str | int | None) -> pd.DataFrame:
    import zipfile

    try:
        table = pd.read_excel(
            path,
            sheet_name=0 if sheet is None else sheet,
            dtype=str,
            keep_default_na=False,
            engine="openpyxl",
        )
    except ValueError as error:
        raise ExportReadError(f"{path}: {error}; check the sheet name") from None
    except (zipfile.BadZipFile, OSError, KeyError) as error:
        raise ExportReadError(f"{path}: not a readable XLSX workbook ({error})") from None
    return table.fillna("").astype(str).astype(_TEXT)


def _read_spss(path: Path) -> pd.DataFrame:
    import pyreadstat

    try:
        table, meta = pyreadstat.read_sav(str(path), apply_value_formats=True)
    except Exception as error:  # pyreadstat raises its own, unexported error classes
        raise ExportReadError(f"{path}: not a readable SPSS file ({error})") from None
    labels = meta.column_names_to_labels
    table = table.rename(columns={name: labels.get(name) or name for name in table.columns})
    return table.fillna("").astype(str).astype(_TEXT)


def write_export(table: pd.DataFrame, path: str | Path) -> Path:
    """Write an export table as UTF-8 CSV with Unix line endings.

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
    return write_csv(table, path)


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
        raise ExportReadError(f"{path}: cannot read the reference list: {error}") from None
    missing = [column for column in columns if column not in table.columns]
    if missing:
        raise ExportReadError(f"{path}: missing columns {missing}; expected {columns}")
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
