"""Read a CSV survey export: encoding, delimiter and header row found, every row checked.

The head of the file (64 KiB) tells the encoding (UTF-8 with or without BOM, else
Windows-1257), the delimiter (comma, semicolon or tab: the one that gives the header's number
of cells in most of the first rows) and the header row (the first row with two or more
non-empty cells; title lines above it are skipped and named in a note). The header is checked
against :data:`MAX_COLUMNS` before any row is read, so an absurd line is refused at once.

The rows are then read by :mod:`.export_rows` (:func:`.export_rows.read_csv_export`).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ruralplan.survey.base import ExportReadError

MAX_COLUMNS = 16_384
"""The most columns an export may have: Excel's own limit per sheet."""
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
