"""Read XLSX workbooks (openpyxl) and SPSS ``.sav`` files (pyreadstat) as text tables.

Typed cells are written as what they mean: a whole number as its digits (``1978``, never
``1978.0``), a date and time in ISO 8601 (``2024-03-04 08:00:12``, which the cleaning reads
besides the codebook's format), a date alone as ``2024-03-04``. Every failure is an
:class:`~ruralplan.survey.base.ExportReadError` that says what the file seems to be.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ruralplan.survey.base import TEXT_DTYPE, ExportReadError
from ruralplan.survey.export_csv import MAX_COLUMNS, check_width, find_header

MAX_ROWS = 1_048_576
"""The most rows a worksheet can have (Excel's limit)."""
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))


def cell_text(value: Any) -> str:
    """Write one typed cell as text: whole numbers without ``.0``, dates in ISO 8601.

    Date-times are rounded to the millisecond (a spreadsheet stores them as fractions of a
    day, so a whole second may come back a microsecond off); the time is left out at midnight.

    Examples
    --------
    >>> cell_text(1978.0), cell_text(12.5), cell_text(None), cell_text(float("nan"))
    ('1978', '12.5', '', '')
    >>> cell_text(dt.datetime(2024, 3, 4, 8, 0, 11, 999_999)), cell_text(dt.datetime(2024, 3, 4))
    ('2024-03-04 08:00:12', '2024-03-04')
    """
    if value is None or value is pd.NaT:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool | np.bool_):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime | pd.Timestamp):
        return _datetime_text(pd.Timestamp(value).to_pydatetime())
    if isinstance(value, dt.date) or hasattr(value, "isoformat"):  # a date, or a clock time
        return value.isoformat()
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return ""
        if math.isfinite(value) and float(value).is_integer():
            return str(int(value))
        return repr(float(value))
    return str(value)


def _datetime_text(value: dt.datetime) -> str:
    rounded = value + dt.timedelta(microseconds=round(value.microsecond, -3) - value.microsecond)
    if rounded == dt.datetime.combine(rounded.date(), dt.datetime.min.timetz()):  # midnight
        return rounded.date().isoformat()
    spec = "seconds" if rounded.microsecond == 0 else "milliseconds"
    return rounded.isoformat(sep=" ", timespec=spec)


def _text_table(header: list[str], rows: list[list[str]]) -> pd.DataFrame:
    width = len(header)
    columns = {
        position: pd.array([row[position] for row in rows], dtype=TEXT_DTYPE)
        for position in range(width)
    }
    table = pd.DataFrame(columns) if columns else pd.DataFrame(index=range(len(rows)))
    table.columns = pd.Index(header)
    return table


# ---- XLSX -------------------------------------------------------------------------------------


def read_workbook(
    path: Path, head: bytes, *, sheet: str | int | None, expected_columns: int | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """Read one worksheet of an XLSX workbook.

    Parameters
    ----------
    path
        The workbook.
    head
        Its first bytes (to tell an encrypted workbook or an old ``.xls`` file).
    sheet
        Worksheet name, or 0-based position; the first sheet when None.
    expected_columns
        How many columns the codebook expects, for messages.

    Returns
    -------
    table : pandas.DataFrame
        The sheet's header row and the rows below it, as text.
    notes : list of str
        Other sheets of the workbook, title rows skipped above the header.

    Raises
    ------
    ExportReadError
        If the file is not a readable XLSX workbook (encrypted, ``.xls``, corrupt), or has no
        such sheet.
    """
    import openpyxl

    _check_container(path, head)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises zip, XML and its own errors
        raise ExportReadError(path, f"not a readable XLSX workbook ({_reason(error)})") from None
    try:
        name, notes = _choose_sheet(path, book.sheetnames, sheet)
        rows = _sheet_rows(path, book[name], expected_columns)
    except ExportReadError:
        raise
    except Exception as error:
        raise ExportReadError(path, f"not a readable XLSX workbook ({_reason(error)})") from None
    finally:
        book.close()
    return _with_header(rows, notes)


def _reason(error: Exception) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _check_container(path: Path, head: bytes) -> None:
    if head.startswith(b"PK\x03\x04"):
        return
    if head.startswith(_OLE):
        with path.open("rb") as handle:
            start = handle.read(1 << 22)
        if any(name in start for name in _ENCRYPTED):
            raise ExportReadError(
                path,
                "not a readable XLSX workbook: it is password-protected (encrypted); open it "
                "in Excel, remove the password (File > Info > Protect Workbook) and save it",
            )
        raise ExportReadError(
            path,
            "not a readable XLSX workbook: this is an Office binary file (an old .xls "
            "workbook?); save it as .xlsx or CSV UTF-8",
        )
    raise ExportReadError(
        path,
        "not a readable XLSX workbook: an XLSX file is a ZIP archive, and this one starts "
        f"with {head[:12]!r}",
    )


def _choose_sheet(path: Path, names: list[str], sheet: str | int | None) -> tuple[str, list[str]]:
    listing = ", ".join(repr(name) for name in names)
    if sheet is None or sheet == "":
        notes = []
        if len(names) > 1:
            notes.append(
                f"the workbook has {len(names)} sheets ({listing}); the first, {names[0]!r}, "
                "was read: name another with --sheet"
            )
        return names[0], notes
    if isinstance(sheet, str) and sheet in names:
        return sheet, []
    position = sheet if isinstance(sheet, int) else int(sheet) if sheet.isdigit() else None
    if position is not None and 0 <= position < len(names):
        return names[position], []
    raise ExportReadError(
        path, f"no sheet {sheet!r}; the workbook has {listing}: check the sheet name"
    )


def _sheet_rows(path: Path, worksheet: Any, expected_columns: int | None) -> list[list[str]]:
    declared = worksheet.max_column or 0
    check_width(path, declared, expected_columns)
    if (worksheet.max_row or 0) > MAX_ROWS:
        raise ExportReadError(
            path, f"{worksheet.max_row:,} rows; a worksheet has at most {MAX_ROWS:,}"
        )
    worksheet.reset_dimensions()  # a wrong declared size would pad every row
    rows = []
    for values in worksheet.iter_rows(values_only=True):
        cells = [cell_text(value) for value in values[: MAX_COLUMNS + 1]]
        check_width(path, len(cells), expected_columns)
        while cells and not cells[-1].strip():
            cells.pop()
        rows.append(cells)
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _with_header(rows: list[list[str]], notes: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """Split rows into the header (title rows above it skipped) and the rows below it."""
    filled = [position for position, cells in enumerate(rows) if cells]
    if not filled:
        return _text_table([], []), notes
    top = find_header([rows[position] for position in filled[:50]])
    start = filled[top]
    if top:
        titles = ", ".join(repr(" ".join(rows[p])[:60]) for p in filled[:top][:3])
        notes = [*notes, f"{top} row(s) above the header skipped as a title ({titles})"]
    header, body = rows[start], rows[start + 1 :]
    width = max([len(header), *(len(cells) for cells in body)])
    header = header + [""] * (width - len(header))
    return _text_table(header, [cells + [""] * (width - len(cells)) for cells in body]), notes


# ---- SPSS -------------------------------------------------------------------------------------


def read_spss(path: Path, *, expected_columns: int | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Read an SPSS ``.sav`` file; variable labels become the headers.

    Value labels replace the codes they label; numbers are written as they mean (whole
    numbers without ``.0``); missing values are blank.

    Parameters
    ----------
    path
        The file.
    expected_columns
        How many columns the codebook expects, for messages.

    Returns
    -------
    table : pandas.DataFrame
        One text column per variable.
    notes : list of str
        Always empty (for symmetry with the other readers).

    Raises
    ------
    ExportReadError
        If the file is not a readable SPSS file or has too many variables.
    """
    import pyreadstat

    try:
        _, meta = pyreadstat.read_sav(str(path), metadataonly=True)
        check_width(path, len(meta.column_names), expected_columns)
        table, meta = pyreadstat.read_sav(str(path), apply_value_formats=True)
    except ExportReadError:
        raise
    except Exception as error:  # pyreadstat raises its own, unexported error classes
        raise ExportReadError(path, f"not a readable SPSS file ({_reason(error)})") from None
    labels = meta.column_names_to_labels
    columns = {position: _spss_text(table[name]) for position, name in enumerate(table.columns)}
    text = pd.DataFrame(columns, index=range(len(table)))
    text.columns = pd.Index([labels.get(name) or name for name in table.columns])
    return text, []


def _spss_text(column: pd.Series) -> pd.Series:
    """One SPSS variable as text: each distinct value written once by :func:`cell_text`."""
    codes, uniques = pd.factorize(column.astype(object), use_na_sentinel=True)
    texts = np.array([cell_text(value) for value in uniques] + [""], dtype=object)
    return pd.Series(pd.array(texts[codes], dtype=TEXT_DTYPE))
