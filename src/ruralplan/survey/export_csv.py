"""Read a CSV survey export: encoding, delimiter and header row found, every row checked.

The head of the file (64 KiB) tells the encoding (UTF-8 with or without BOM, else
Windows-1257), the delimiter (comma, semicolon or tab: the one that gives the header's number
of cells in most of the first rows) and the header row (the first row with two or more
non-empty cells; title lines above it are skipped and named in a note). The header is checked
against :data:`MAX_COLUMNS` before any row is read, so an absurd line is refused at once.

The rows are read by pyarrow into Arrow-backed text columns (fast: no Python object per cell).
When pyarrow refuses them, or the file may end inside a quoted cell, they are read again by the
:mod:`csv` module, which names the first row that is wrong (too few or too many cells, cut
short, bytes outside the encoding, a line or cell too long) or, when none is, gives the table.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
from pyarrow import csv as arrow_csv

from ruralplan.survey.base import TEXT_DTYPE, ExportReadError, shown

MAX_COLUMNS = 16_384
"""The most columns an export may have: Excel's own limit per sheet."""
MAX_LINE_CHARS = 1 << 24
"""The longest line read (16 Mi characters); a longer one is refused before it is split."""
MAX_CELL_CHARS = MAX_LINE_CHARS
"""The longest cell the checking reader takes (a quoted cell may span lines)."""
HEAD_BYTES = 1 << 16
"""Bytes read first, to find the encoding, delimiter and header."""
HEADER_BYTES = 1 << 22
"""The most bytes read to find a complete header row (4 MiB)."""
DELIMITERS = (",", ";", "\t")
ENCODINGS = ("utf-8-sig", "cp1257")
_ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "cp1257": "Windows-1257"}
_DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs"}
_SNIFFED_RECORDS = 50
_END = "\ue000end of file\ue000"  # private-use characters: never in an export
_UNDECODED = re.compile("[\udc80-\udcff]+")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Layout:
    """Where a CSV export's rows are and how they are written."""

    encoding: str
    """Python codec of the rows: ``utf-8`` or ``cp1257``."""
    delimiter: str
    header: list[str]
    header_line: int
    """Line (1-based) where the header row starts."""
    data_line: int
    """Line where the first row after the header starts."""
    data_offset: int
    """Byte offset of the first row after the header."""
    skipped: list[str] = field(default_factory=list)
    """Non-blank lines above the header, as read."""
    ascii_head: bool = False
    """The head of the file is plain ASCII, so the rows may still be Windows-1257."""


@dataclass(frozen=True)
class _Record:
    cells: list[str]
    line: int
    start: int
    end: int


def check_head(head: bytes, source: str) -> None:
    """Refuse a file that is not single-byte or UTF-8 text, saying what it seems to be.

    Parameters
    ----------
    head
        The first bytes of the file.
    source
        File name for messages.

    Raises
    ------
    ExportReadError
        For UTF-16 text, a ZIP archive (an XLSX workbook), an Office binary file, or any other
        file with zero bytes in its head.

    Examples
    --------
    >>> try:
    ...     check_head("Laiks;Gads".encode("utf-16"), "a.csv")
    ... except ExportReadError as error:
    ...     print(error.message[:40])
    the file is UTF-16 text (Excel's "Unicod
    """
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _looks_utf16(head):
        raise ExportReadError(
            source,
            'the file is UTF-16 text (Excel\'s "Unicode Text"); expected UTF-8 or '
            'Windows-1257: save it as "CSV UTF-8 (comma delimited)"',
        )
    if b"\x00" not in head[:4096]:
        return
    if head.startswith(b"PK\x03\x04"):
        raise ExportReadError(
            source, "this is a ZIP archive (an XLSX workbook?), not CSV text; name it .xlsx"
        )
    if head.startswith(_OLE):
        raise ExportReadError(
            source, "this is an Office binary file (an old .xls workbook?), not CSV text"
        )
    raise ExportReadError(
        source, "this looks like a binary file (it has zero bytes), not a CSV text export"
    )


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 without a byte-order mark: every other byte of Latin text is zero."""
    sample = head[:4096]
    if len(sample) < 4:
        return False
    even, odd = sample[0::2], sample[1::2]
    return any(
        zeros.count(0) > 0.4 * len(zeros) and others.count(0) < 0.05 * len(others)
        for zeros, others in ((odd, even), (even, odd))
    )


def decode_head(data: bytes, *, source: str, partial: bool = False) -> tuple[str, str]:
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
    text : str
        The decoded text.
    encoding : str
        The codec that decoded it: ``utf-8-sig`` or ``cp1257``.

    Raises
    ------
    ExportReadError
        If the bytes are not text (:func:`check_head`) or fit no supported encoding.
    """
    check_head(data, source)
    for encoding in ENCODINGS:
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(data, final=not partial)
        except UnicodeDecodeError as error:
            if encoding == "utf-8-sig" and not data[: error.start].isascii():
                raise _mixed_encoding(source, data, error) from None
            continue
        return text, encoding
    raise ExportReadError(source, "not UTF-8 or Windows-1257 text")


def _mixed_encoding(source: str, data: bytes, error: UnicodeDecodeError) -> ExportReadError:
    """Describe bytes that are not UTF-8 after text that is: a cut download or mixed text."""
    bad = " ".join(f"0x{byte:02X}" for byte in data[error.start : error.end])
    if error.reason == "unexpected end of data":
        return ExportReadError(
            source,
            f"the file ends in the middle of a character ({bad}): the download looks cut "
            "short; download the export again",
        )
    before = data[: error.start]
    line = (before.count(b"\n") or before.count(b"\r")) + 1
    return ExportReadError(
        source,
        f"line {line:,}: bytes {bad} are not UTF-8 text, although the text before them is: "
        "the file mixes encodings",
    )


def sniff_delimiter(header_line: str) -> str:
    r"""Return the delimiter used most often in a header line (comma, semicolon or tab).

    Examples
    --------
    >>> sniff_delimiter("Laiks;Vārds, uzvārds;Gads"), sniff_delimiter("a\tb\tc, d")
    (';', '\t')
    """
    return max(DELIMITERS, key=lambda d: (header_line.count(d), -DELIMITERS.index(d)))


def find_header(rows: list[list[str]]) -> int:
    """Position of the header among the non-blank rows at the top of an export.

    The header is the first row with two or more non-empty cells; rows above it (a title, a
    date) are not the header. A table of one column has its header in the first row.

    Examples
    --------
    >>> find_header([["LLF aptauja 2024"], ["", "", ""], ["Laiks", "Gads", ""], ["1", "2", ""]])
    2
    """
    for position, cells in enumerate(rows):
        if _has_header(cells):
            return position
    return 0


def _has_header(cells: list[str]) -> bool:
    return sum(bool(cell.strip()) for cell in cells) >= 2


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


def check_width(path: Path, columns: int, expected: int | None) -> None:
    """Refuse a header of more than :data:`MAX_COLUMNS` columns before its rows are read."""
    if columns > MAX_COLUMNS:
        raise ExportReadError(
            path,
            f"{columns:,} columns; expected {_wanted(expected)} (at most {MAX_COLUMNS:,} are read)",
            row=0,
        )


def read_layout(path: Path, head: bytes, *, expected_columns: int | None = None) -> Layout:
    """Find the encoding, delimiter and header row of a CSV export from its head.

    Parameters
    ----------
    path
        The file.
    head
        Its first bytes.
    expected_columns
        For the message when the header is absurdly long.

    Returns
    -------
    Layout
        How to read the rows.

    Raises
    ------
    ExportReadError
        If the file is not text, has no text, or its header row is longer than
        :data:`HEADER_BYTES` (the message counts its columns).
    """
    source = str(path)
    for size in (HEAD_BYTES, HEADER_BYTES):
        data = head if size == HEAD_BYTES else _read_bytes(path, size)
        complete = len(data) < size
        text, encoding = decode_head(data, source=source, partial=not complete)
        if not text.strip():
            if complete:
                raise ExportReadError(
                    path, "the file has no text; expected a header row and answers"
                )
            continue
        layout = _layout(text, encoding, complete=complete, data=data)
        if layout is not None:
            return layout
        if complete:
            break
    raise _long_header(path, expected_columns)


def _read_bytes(path: Path, size: int) -> bytes:
    with path.open("rb") as handle:
        return handle.read(size)


def _records(text: str, delimiter: str, limit: int) -> list[_Record]:
    """Return the first ``limit`` non-blank records of ``text``, with where each starts and ends."""
    consumed = [0, 0]  # characters and lines handed to the reader

    def lines() -> Iterator[str]:
        for line in io.StringIO(text, newline=""):
            consumed[0] += len(line)
            consumed[1] += 1
            yield line

    reader = csv.reader(lines(), delimiter=delimiter)
    records: list[_Record] = []
    while len(records) < limit:
        start, line = consumed
        try:
            cells = next(reader)
        except (StopIteration, csv.Error):
            break
        if not _blank(cells):
            records.append(_Record(cells, line + 1, start, consumed[0]))
    return records


def _blank(cells: list[str]) -> bool:
    return not cells or (len(cells) == 1 and not cells[0].strip())


def _layout(text: str, encoding: str, *, complete: bool, data: bytes) -> Layout | None:
    """Return the layout read from ``text``; None when its header row is not complete in it."""
    best: tuple[tuple[int, int, int, int], str, list[_Record], int] | None = None
    for delimiter in DELIMITERS:
        records = _records(text, delimiter, _SNIFFED_RECORDS)
        usable = records if complete else records[:-1]
        if not usable or not (complete or any(_has_header(r.cells) for r in usable)):
            continue  # the header row may go on past the text read so far
        position = find_header([record.cells for record in usable])
        header = usable[position]
        width = len(header.cells)
        consistent = sum(len(record.cells) == width for record in usable[position + 1 :])
        raw_count = text[header.start : header.end].count(delimiter)
        score = (int(width >= 2), consistent, raw_count, -DELIMITERS.index(delimiter))
        if best is None or score > best[0]:
            best = (score, delimiter, usable, position)
    if best is None:
        return None
    _, delimiter, usable, position = best
    header = usable[position]
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    return Layout(
        encoding=codec,
        delimiter=delimiter,
        header=header.cells,
        header_line=header.line,
        data_line=header.line + _line_count(text[header.start : header.end]),
        data_offset=bom + len(text[: header.end].encode(codec)),
        skipped=[text[r.start : r.end].strip() for r in usable[:position]],
        ascii_head=data.isascii(),
    )


def _line_count(text: str) -> int:
    return sum(1 for _ in io.StringIO(text, newline=""))


def _long_header(path: Path, expected: int | None) -> ExportReadError:
    """Count the columns of a first row too long to read, without splitting it."""
    with path.open("rb") as handle:
        head = handle.read(HEADER_BYTES)
        start = max(head.rfind(b"\n", 0, HEADER_BYTES), head.rfind(b"\r", 0, HEADER_BYTES)) + 1
        counts = dict.fromkeys(DELIMITERS, 0)
        handle.seek(start)
        while chunk := handle.read(1 << 20):
            end = min((i for i in (chunk.find(b"\n"), chunk.find(b"\r")) if i >= 0), default=-1)
            piece = chunk if end < 0 else chunk[:end]
            for delimiter in DELIMITERS:
                counts[delimiter] += piece.count(delimiter.encode())
            if end >= 0:
                break
    delimiter = max(DELIMITERS, key=lambda d: counts[d])
    return ExportReadError(
        path,
        f"{counts[delimiter] + 1:,} columns; expected {_wanted(expected)} (the header row, "
        f"cells separated by {_DELIMITER_NAMES[delimiter]}, is longer than "
        f"{HEADER_BYTES >> 20} MiB)",
        row=0,
    )


def _wanted(expected: int | None) -> str:
    return f"{expected}, one per question" if expected else "one per question"


# ---- rows -------------------------------------------------------------------------------------


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
