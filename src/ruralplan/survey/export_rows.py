"""Read the rows of a CSV survey export, every row checked, after its layout is known.

The rows are read by pyarrow into Arrow-backed text columns (fast: no Python object per cell).
When pyarrow refuses them, or the file may end inside a quoted cell, they are read again by the
:mod:`csv` module, which names the first row that is wrong (too few or too many cells, cut
short, bytes outside the encoding, a line or cell too long) or, when none is, gives the table.
The layout (encoding, delimiter, header row) comes from :mod:`.export_csv`.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pyarrow as pa
from pyarrow import csv as arrow_csv

from ruralplan.survey.base import TEXT_DTYPE, ExportReadError, shown
from ruralplan.survey.export_csv import (
    _DELIMITER_NAMES,
    _ENCODING_NAMES,
    _END,
    _UNDECODED,
    Layout,
    _blank,
    check_width,
    read_layout,
)

MAX_LINE_CHARS = 1 << 24
"""The longest line read (16 Mi characters); a longer one is refused before it is split."""
MAX_CELL_CHARS = MAX_LINE_CHARS
"""The longest cell the checking reader takes (a quoted cell may span lines)."""


def read_csv_export(
    path: Path, head: bytes, *, expected_columns: int | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """Read a CSV export into a text table.

    Parameters
    ----------
    path
        The file.
    head
        Its first :data:`HEAD_BYTES` bytes (or all of it, when shorter).
    expected_columns
        How many columns the codebook expects, for messages.

    Returns
    -------
    table : pandas.DataFrame
        One text column per header cell, blanks as ``""``.
    notes : list of str
        What the reader decided that a user should know (title lines skipped).

    Raises
    ------
    ExportReadError
        Naming the file, and the row and column when one is at fault.
    """
    layout = read_layout(path, head, expected_columns=expected_columns)
    check_width(path, len(layout.header), expected_columns)
    table = read_rows(path, layout)
    notes = []
    if layout.skipped:
        notes.append(
            f"{len(layout.skipped)} line(s) above the header skipped as a title "
            f"({', '.join(repr(shown(line[:60])) for line in layout.skipped[:3])}); "
            f"the header is line {layout.header_line}"
        )
    return table, notes


def read_rows(path: Path, layout: Layout) -> pd.DataFrame:
    """Read the rows after the header into a text table headed by ``layout.header``.

    pyarrow reads them when it can; the :mod:`csv` module reads them again when pyarrow
    refuses them or the file may end inside a quoted cell, and names the first wrong row.

    Raises
    ------
    ExportReadError
        Naming the first row that cannot be read and why.
    """
    if layout.data_offset >= path.stat().st_size:
        return _table(layout.header, [[] for _ in layout.header])
    encodings = [layout.encoding]
    if layout.ascii_head and layout.encoding == "utf-8":
        encodings.append("cp1257")
    for encoding in encodings:
        try:
            table = _arrow_rows(path, layout, encoding)
        except (pa.ArrowException, UnicodeError) as error:
            if _encoding_error(error):
                continue
            return _checked_rows(path, layout, encoding)
        if _may_end_in_quotes(path):
            _checked_rows(path, layout, encoding)
        return table
    return _checked_rows(path, layout, encodings[-1])


def _encoding_error(error: Exception) -> bool:
    return isinstance(error, UnicodeError) or "UTF8" in str(error)


def _arrow_rows(path: Path, layout: Layout, encoding: str) -> pd.DataFrame:
    names = [f"c{position}" for position in range(len(layout.header))]
    with path.open("rb") as handle:
        handle.seek(layout.data_offset)
        arrow = arrow_csv.read_csv(
            handle,
            read_options=arrow_csv.ReadOptions(
                encoding="utf8" if encoding == "utf-8" else encoding, column_names=names
            ),
            parse_options=arrow_csv.ParseOptions(
                delimiter=layout.delimiter, newlines_in_values=True
            ),
            convert_options=arrow_csv.ConvertOptions(
                # large_string is the layout pandas keeps its Arrow text in: nothing is copied
                column_types=dict.fromkeys(names, pa.large_string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    columns = [pd.array(column, dtype=TEXT_DTYPE) for column in arrow.itercolumns()]
    return _table(layout.header, columns)


def _table(header: list[str], columns: list) -> pd.DataFrame:
    table = pd.DataFrame(
        {position: pd.Series(column, dtype=TEXT_DTYPE) for position, column in enumerate(columns)}
    )
    table.columns = pd.Index(header)
    return table


def _may_end_in_quotes(path: Path) -> bool:
    """Tell whether the file ends without a line break and has an odd number of quotes."""
    with path.open("rb") as handle:
        handle.seek(-1, 2)
        if handle.read(1) in (b"\n", b"\r"):
            return False
        handle.seek(0)
        quotes = 0
        while chunk := handle.read(1 << 23):
            quotes += chunk.count(b'"')
    return quotes % 2 == 1


class _Lines:
    """The lines of a text stream, each at most :data:`MAX_LINE_CHARS` long, then ``_END``.

    One line is read ahead, so :attr:`at_end` tells whether the line last given was the
    file's last; ``_END`` follows the last line, so a cell still open at the end of the file
    ends with it.
    """

    def __init__(self, stream: io.TextIOBase, path: Path, first_line: int) -> None:
        self.stream, self.path = stream, path
        self.line = first_line - 1
        self.given_end = False
        self.last_text = ""
        self.pending = self._read()

    def _read(self) -> str:
        text = self.stream.readline(MAX_LINE_CHARS + 1)
        if len(text) > MAX_LINE_CHARS:
            raise ExportReadError(
                self.path,
                f"line {self.line + 1:,} is longer than {MAX_LINE_CHARS:,} characters; "
                "expected rows of survey answers",
            )
        return text

    @property
    def at_end(self) -> bool:
        """The line last given was the last line of the file."""
        return self.pending == ""

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.pending == "":
            if self.given_end:
                raise StopIteration
            self.given_end = True
            return _END
        text, self.pending = self.pending, ""
        self.line += 1
        self.last_text = text
        self.pending = self._read()
        return text


def _checked_rows(path: Path, layout: Layout, encoding: str) -> pd.DataFrame:
    """Read the rows with the :mod:`csv` module, refusing the first wrong one."""
    limit = csv.field_size_limit(MAX_CELL_CHARS)
    try:
        return _checked_table(path, layout, encoding)
    finally:
        csv.field_size_limit(limit)


def _checked_table(path: Path, layout: Layout, encoding: str) -> pd.DataFrame:
    width = len(layout.header)
    rows: list[list[str]] = []
    with path.open("rb") as handle:
        handle.seek(layout.data_offset)
        stream = io.TextIOWrapper(handle, encoding=encoding, errors="surrogateescape", newline="")
        lines = _Lines(stream, path, layout.data_line)
        reader = csv.reader(lines, delimiter=layout.delimiter)
        while True:
            line = lines.line + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                raise ExportReadError(
                    path, f"line {line:,}: {_csv_reason(error)}", row=len(rows) + 1
                ) from None
            if cells == [_END]:
                break
            if _blank(cells):
                continue
            _check_row(path, layout, cells, len(rows) + 1, line, lines, encoding)
            rows.append(cells)
    columns = [list(column) for column in zip(*rows, strict=True)] if rows else [[]] * width
    return _table(layout.header, columns)


def _csv_reason(error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return f"a cell longer than {MAX_CELL_CHARS:,} characters; expected survey answers"
    return f"cannot split the line into cells ({error})"


def _check_row(
    path: Path,
    layout: Layout,
    cells: list[str],
    row: int,
    line: int,
    lines: _Lines,
    encoding: str,
) -> None:
    """Refuse a row cut short, of the wrong width, or with bytes outside the encoding."""
    width = len(layout.header)
    cut = "the download looks cut short; download the export again"
    if cells[-1].endswith(_END):
        raise ExportReadError(
            path,
            f"the file ends inside a quoted cell of the row on line {line:,}: {cut}",
            row=row,
            column=shown(layout.header[min(len(cells), width) - 1]),
        )
    ended = lines.last_text.endswith(("\n", "\r"))
    if len(cells) < width and lines.at_end and not ended:
        raise ExportReadError(
            path,
            f"the last row has {len(cells)} of {width} cells and the file ends without a line "
            f"break: {cut}",
            row=row,
        )
    if len(cells) != width:
        raise ExportReadError(path, _width_message(layout, cells, line), row=row)
    for position, cell in enumerate(cells):
        found = _UNDECODED.search(cell)
        if found:
            raise ExportReadError(
                path,
                _encoding_message(found.group(), encoding, at_end=lines.at_end and not ended),
                row=row,
                column=shown(layout.header[position]),
            )


def _width_message(layout: Layout, cells: list[str], line: int) -> str:
    width = len(layout.header)
    names = _DELIMITER_NAMES[layout.delimiter]
    why = (
        "a row with fewer cells is not padded"
        if len(cells) < width
        else f"an answer may hold an unquoted {names[:-1]}"
    )
    return (
        f"line {line:,} has {len(cells):,} cells; expected {width:,} like the header (line "
        f"{layout.header_line}, cells separated by {names}): {why}"
    )


def _encoding_message(undecoded: str, encoding: str, *, at_end: bool) -> str:
    raw = " ".join(f"0x{ord(char) - 0xDC00:02X}" for char in undecoded[:4])
    if at_end:
        return (
            f"the file ends in the middle of a character ({raw}): the download looks cut "
            "short; download the export again"
        )
    return (
        f"bytes {raw} are not {_ENCODING_NAMES[encoding]} text, although the start of the "
        "file is: the file mixes encodings"
    )
