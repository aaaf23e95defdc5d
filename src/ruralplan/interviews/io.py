"""Read and write interview files: codebook, transcripts, register, gold coding, REFI-QDA."""

from __future__ import annotations

import xml.sax
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from lxml import etree

from ruralplan.interviews.codebook import ThemeCodebook, parse_codebook
from ruralplan.interviews.redact import REGISTER_COLUMNS
from ruralplan.interviews.reliability import GOLD_COLUMNS
from ruralplan.io import read_yaml, record_output


class InterviewFileError(ValueError):
    """Raised when an interview input file is missing or unreadable."""


def read_interview_codebook(path: str | Path) -> ThemeCodebook:
    """Read and validate the interview codebook YAML.

    Parameters
    ----------
    path
        The codebook file.

    Returns
    -------
    ThemeCodebook
        The validated codebook.
    """
    path = Path(path)
    if not path.is_file():
        raise InterviewFileError(f"{path}: interview codebook not found")
    return parse_codebook(read_yaml(path), source=str(path))


TRANSCRIPT_SUFFIXES = (".txt", ".docx", ".odt")
# An OLE compound file: how Word stores a password-protected .docx (and the old .doc format).
_OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def read_transcripts(
    directory: str | Path, *, suffixes: Sequence[str] = TRANSCRIPT_SUFFIXES
) -> dict[str, str]:
    r"""Read every transcript in ``directory``; the file stem is the interview id.

    A ``.txt`` file is read as UTF-8. A Word (``.docx``) or LibreOffice (``.odt``) document
    gives the text of its paragraphs, one paragraph per line and a blank line between them,
    as a transcript written in ``.txt`` has it, so both give the same segments.

    Parameters
    ----------
    directory
        Folder of transcripts; other files (``README.md``, registers) are not read, nor are
        hidden files and Word's lock files (``~$...``).
    suffixes
        File endings read as transcripts (lower case).

    Returns
    -------
    dict
        Interview id mapped to text (line breaks ``\n``), in sorted id order.

    Raises
    ------
    InterviewFileError
        If the folder holds no transcript, two files share an interview id, a text file is
        not UTF-8, or a document is corrupt, password-protected or holds text the reader
        would drop (tables, tracked changes).
    """
    directory = Path(directory)
    paths = _transcript_files(directory, suffixes)
    if not paths:
        raise InterviewFileError(
            f"{directory}: no transcripts; expected files ending in {', '.join(suffixes)}"
        )
    texts: dict[str, str] = {}
    seen: dict[str, Path] = {}
    for path in paths:
        if path.stem in seen:
            raise InterviewFileError(
                f"{path}: interview {path.stem!r} is also in {seen[path.stem].name}; keep one "
                "file per interview"
            )
        seen[path.stem] = path
        texts[path.stem] = read_transcript(path)
    return {key: texts[key] for key in sorted(texts)}


def _transcript_files(directory: Path, suffixes: Sequence[str]) -> list[Path]:
    """List the transcript files of a folder, sorted; none when it is not a folder."""
    if not directory.is_dir():
        return []
    return sorted(
        path
        for path in directory.iterdir()
        if path.suffix.lower() in suffixes
        and path.is_file()
        and not path.name.startswith(("~$", "."))  # Word's lock files, hidden files
    )


def read_transcript(path: str | Path) -> str:
    r"""Read one transcript: ``.txt`` (UTF-8), ``.docx`` or ``.odt``.

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    str
        The text with ``\n`` line breaks.

    Raises
    ------
    InterviewFileError
        Naming the file and what was expected.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _paragraphs_text(_docx_paragraphs(path))
    if suffix == ".odt":
        return _paragraphs_text(_odt_paragraphs(path))
    try:
        return path.read_text(encoding="utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError as error:
        raise InterviewFileError(f"{path}: not UTF-8 text ({error})") from error


def _paragraphs_text(paragraphs: Sequence[str]) -> str:
    r"""Join document paragraphs as a ``.txt`` transcript has them: a blank line between.

    Empty paragraphs are dropped: in a document, spacing between paragraphs is a matter of
    layout, while in the text a blank line is the paragraph break.

    Examples
    --------
    >>> _paragraphs_text(["# Intervija", "", "A: labdien", "B: jā\nnē"])
    '# Intervija\n\nA: labdien\n\nB: jā\nnē\n'
    """
    kept = [paragraph for paragraph in paragraphs if paragraph.strip()]
    return "\n\n".join(kept) + "\n" if kept else ""


def _check_container(path: Path, kind: str) -> None:
    """Raise a clear error for an encrypted, legacy or damaged office file before parsing."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == _OLE_SIGNATURE:
        encrypted = _ENCRYPTED_PACKAGE in path.read_bytes()
        raise InterviewFileError(
            f"{path}: "
            + (
                "the document is password-protected; save it without a password"
                if encrypted
                else f"an old binary document, not a {kind}; save it as {path.suffix}"
            )
        )
    if not zipfile.is_zipfile(path):
        raise InterviewFileError(
            f"{path}: not a readable {kind} (a {path.suffix} file is a zip archive; this one is "
            "damaged or of another type)"
        )


def _docx_paragraphs(path: Path) -> list[str]:
    """Return the body paragraphs of a Word document (python-docx)."""
    import docx
    from docx.opc.exceptions import OpcError

    _check_container(path, "Word document (.docx)")
    try:
        document = docx.Document(str(path))
    except (OpcError, KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError) as error:
        raise InterviewFileError(
            f"{path}: not a readable Word document (.docx) ({error})"
        ) from error
    body = document.element.body
    if body.xpath(".//w:ins | .//w:del | .//w:moveFrom | .//w:moveTo"):
        raise InterviewFileError(
            f"{path}: the document has tracked changes; accept or reject them and save again"
        )
    if any(
        cell.text.strip() for table in document.tables for row in table.rows for cell in row.cells
    ):
        raise InterviewFileError(
            f"{path}: text in a table is not read; write the transcript as paragraphs "
            "(one speaker turn per paragraph)"
        )
    return [paragraph.text for paragraph in document.paragraphs]


def _odt_paragraphs(path: Path) -> list[str]:
    """Return the paragraphs and headings of a LibreOffice text document (odfpy)."""
    from odf.opendocument import load

    _check_container(path, "LibreOffice text document (.odt)")
    with zipfile.ZipFile(path) as archive:
        manifest = (
            archive.read("META-INF/manifest.xml")
            if "META-INF/manifest.xml" in archive.namelist()
            else b""
        )
    if b"encryption-data" in manifest:
        raise InterviewFileError(
            f"{path}: the document is password-protected; save it without a password"
        )
    try:
        document = load(str(path))
    except (KeyError, ValueError, zipfile.BadZipFile, xml.sax.SAXException) as error:
        raise InterviewFileError(
            f"{path}: not a readable LibreOffice text document (.odt) ({error})"
        ) from error
    paragraphs: list[str] = []
    _odt_walk(document.text, paragraphs, str(path))
    return paragraphs


_ODT_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_ODT_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _odt_walk(element: Any, paragraphs: list[str], source: str) -> None:
    """Collect paragraph and heading text in document order, into lists and sections."""
    for node in element.childNodes:
        qname = getattr(node, "qname", None)
        if qname in ((_ODT_TEXT, "p"), (_ODT_TEXT, "h")):
            paragraphs.append(_odt_text(node))
        elif qname == (_ODT_TEXT, "tracked-changes"):
            raise InterviewFileError(
                f"{source}: the document has tracked changes; accept or reject them and save again"
            )
        elif qname == (_ODT_TABLE, "table"):
            inner: list[str] = []
            _odt_walk(node, inner, source)
            if any(text.strip() for text in inner):
                raise InterviewFileError(
                    f"{source}: text in a table is not read; write the transcript as paragraphs "
                    "(one speaker turn per paragraph)"
                )
        elif qname is not None:
            _odt_walk(node, paragraphs, source)


def _odt_text(element: Any) -> str:
    """Return an ODF paragraph's text: spaces, tabs and line breaks kept, notes left out."""
    parts = []
    for node in element.childNodes:
        if node.nodeType == node.TEXT_NODE:
            parts.append(str(node.data))
            continue
        name = node.qname
        if name == (_ODT_TEXT, "s"):
            parts.append(" " * int(node.getAttrNS(_ODT_TEXT, "c") or 1))
        elif name == (_ODT_TEXT, "tab"):
            parts.append("\t")
        elif name == (_ODT_TEXT, "line-break"):
            parts.append("\n")
        elif name not in ((_ODT_TEXT, "note"), (_ODT_TEXT, "annotation")):
            parts.append(_odt_text(node))  # spans, links, bookmarks
    return "".join(parts)


def _read_columns(path: str | Path, columns: list[str], what: str) -> pd.DataFrame:
    path = Path(path)
    if not path.is_file():
        raise InterviewFileError(f"{path}: {what} not found")
    header = pd.read_csv(path, nrows=0, encoding="utf-8").columns
    missing = [column for column in columns if column not in header]
    if missing:
        raise InterviewFileError(f"{path}: {what} lacks columns {missing}; expected {columns}")
    return pd.read_csv(
        path, usecols=columns, dtype="string", keep_default_na=False, encoding="utf-8"
    )[columns]


def read_register(path: str | Path) -> pd.DataFrame:
    """Read the columns ``interview_id, category, value`` of the personal-data register.

    Other columns (such as recorded surface forms) are never loaded.

    Parameters
    ----------
    path
        The register CSV.

    Returns
    -------
    pandas.DataFrame
        The three columns as strings.
    """
    return _read_columns(path, REGISTER_COLUMNS, "personal-data register")


def read_gold(path: str | Path) -> pd.DataFrame:
    """Read the gold-standard coding (``interview_id, segment_id, code``).

    Parameters
    ----------
    path
        The gold coding CSV.

    Returns
    -------
    pandas.DataFrame
        The three columns as strings.
    """
    return _read_columns(path, GOLD_COLUMNS, "gold coding")


def read_metadata(path: str | Path) -> pd.DataFrame:
    """Read interview metadata: one row per interview, ``interview_id`` and any other columns.

    Parameters
    ----------
    path
        The metadata CSV (UTF-8).

    Returns
    -------
    pandas.DataFrame
        Every column as strings, empty cells as ``""``.

    Raises
    ------
    InterviewFileError
        If the file is missing, has no ``interview_id`` column or lists an interview twice.
    """
    path = Path(path)
    if not path.is_file():
        raise InterviewFileError(f"{path}: interview metadata not found")
    table = pd.read_csv(path, dtype="string", keep_default_na=False, encoding="utf-8")
    if "interview_id" not in table.columns:
        raise InterviewFileError(
            f"{path}: interview metadata need an `interview_id` column; found {list(table.columns)}"
        )
    twice = sorted(table.loc[table["interview_id"].duplicated(), "interview_id"].unique())
    if twice:
        raise InterviewFileError(f"{path}: interviews {twice} have more than one row")
    return table


def write_transcripts(texts: Mapping[str, str], directory: str | Path) -> list[Path]:
    """Write transcripts as ``<id>.txt`` and remove other ``.txt`` files left in the folder.

    Parameters
    ----------
    texts
        Interview id mapped to text.
    directory
        Destination folder, created if needed.

    Returns
    -------
    list of pathlib.Path
        The files written, sorted.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.txt"):
        if stale.stem not in texts:
            stale.unlink()
    written = []
    for interview_id in sorted(texts):
        path = directory / f"{interview_id}.txt"
        path.write_text(texts[interview_id], encoding="utf-8", newline="\n")
        written.append(record_output(path))
    return written


def read_bytes(path: str | Path) -> bytes:
    """Read a file's bytes, naming it if it is missing.

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    bytes
        Its content.
    """
    path = Path(path)
    if not path.is_file():
        raise InterviewFileError(f"{path}: file not found")
    return path.read_bytes()
