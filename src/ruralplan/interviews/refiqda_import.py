"""Read the codings of a REFI-QDA project (``.qdpx``) back onto the study's redacted transcripts.

Tools write the same standard in their own styles; the reader accepts what NVivo, ATLAS.ti,
MAXQDA and QualCoder exports do in practice:

- the project file is ``project.qde`` or another single ``*.qde`` at the top of the zip, with
  the project namespace, another version of it, or none;
- a source's text is inline (``PlainTextContent``) or a file the ``plainTextPath`` names
  (``internal://NAME``), under ``sources/`` or ``Sources/`` (any case), with or without a
  byte-order mark, with LF or CRLF line breaks. Offsets count a CRLF as two characters, as
  the text file has them, except in ATLAS.ti projects (``origin`` names ATLAS.ti), whose
  offsets count a line break as one character whatever the file holds;
- GUIDs in upper or lower case, with or without braces;
- the coder is the ``creatingUser`` of the ``Coding``, else of its selection (or the
  ``modifyingUser``), named from ``Users``; selections without a ``Coding`` (annotations) and
  non-text sources are skipped.

A source is matched to an interview by name (``int01``, ``int01.txt``, ``int01.docx``...) and
must hold the same text as the study's redacted transcript; a source of another name is
matched by its text. Codes are matched to the codebook by GUID (the exported codebook's),
then by name in any of the codebook's languages.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

import numpy as np
import pandas as pd
from lxml import etree

from ruralplan.interviews.codebook import ThemeCodebook
from ruralplan.interviews.coder import RULE_CODER
from ruralplan.interviews.refiqda import (
    IMPORT_COLUMNS,
    QdcError,
    children,
    guid_for,
    local_name,
    normal_guid,
    walk_codes,
)

CODING_COLUMNS = ["interview_id", "start", "end", "code", "coder", "text"]
SELECTION_COLUMNS = ["source_guid", "start", "end", "code_guid", "user_guid", "line"]
SOURCE_COLUMNS = ["guid", "name", "text"]
UNKNOWN_USER = "unknown coder"
_SOURCE_SUFFIXES = re.compile(r"\.(txt|docx?|odt|rtf|pdf)$", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


class QdpxError(ValueError):
    """Raised when a file is not a REFI-QDA project or does not fit the study."""


@dataclass(frozen=True)
class QdaProject:
    """What a ``.qdpx`` file holds, as read by :func:`read_qdpx`.

    Attributes
    ----------
    source
        The file's name, for messages.
    origin
        The ``origin`` attribute (the tool that wrote it), or ``""``.
    users
        User GUID mapped to the user's name.
    codes
        Codes (:data:`.refiqda.IMPORT_COLUMNS`).
    sources
        Text sources: ``guid, name, text`` (text as stored, line breaks untouched).
    selections
        One row per coding of a text selection: ``source_guid, start, end, code_guid,
        user_guid, line`` (offsets as written; ``line`` of ``project.qde``).
    """

    source: str
    origin: str
    users: dict[str, str]
    codes: pd.DataFrame
    sources: pd.DataFrame
    selections: pd.DataFrame


# ---- reading the zip and the XML -----------------------------------------------------------------


def _open_zip(data: bytes, source: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise QdpxError(
            f"{source}: not a zip archive ({error}); a REFI-QDA project (.qdpx) is a zip holding "
            "project.qde and the sources"
        ) from error


def _project_member(archive: zipfile.ZipFile, source: str) -> str:
    names = [name for name in archive.namelist() if not name.endswith("/")]
    candidates = [name for name in names if name.lower().endswith(".qde") and "/" not in name]
    if not candidates:
        raise QdpxError(
            f"{source}: no project.qde at the top of the zip, so not a REFI-QDA project "
            f"(the zip holds {names[:5]}{' ...' if len(names) > 5 else ''})"
        )
    return "project.qde" if "project.qde" in candidates else sorted(candidates)[0]


def _parse(archive: zipfile.ZipFile, member: str, source: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    try:
        root = etree.fromstring(archive.read(member), parser=parser)
    except etree.XMLSyntaxError as error:
        raise QdpxError(f"{source}: {member} is not well-formed XML ({error})") from error
    if local_name(root) != "Project":
        raise QdpxError(
            f"{source}: {member} has the root element {local_name(root)!r}; expected 'Project' "
            "(urn:QDA-XML:project:1.0)"
        )
    return root


def _guid(raw: str | None, where: str) -> str:
    try:
        return normal_guid(raw, where)
    except QdcError as error:
        raise QdpxError(str(error)) from None


def _users(root: etree._Element, source: str) -> dict[str, str]:
    users = {}
    for group in children(root, "Users"):
        for user in children(group, "User"):
            guid = _guid(user.get("guid"), f"{source}, line {user.sourceline}")
            users[guid] = user.get("name") or user.get("id") or guid
    return users


def _codes(root: etree._Element, source: str) -> pd.DataFrame:
    rows: list[tuple] = []
    for book in children(root, "CodeBook"):
        for codes in children(book, "Codes"):
            try:
                walk_codes(codes, None, 0, rows, source)
            except QdcError as error:
                raise QdpxError(str(error)) from None
    return pd.DataFrame(rows, columns=IMPORT_COLUMNS)


def _member_text(archive: zipfile.ZipFile, path: str, where: str) -> str:
    """Read a source file named by ``plainTextPath``: under sources/ or Sources/, any case."""
    if path.lower().startswith(("relative://", "absolute://", "file:")):
        raise QdpxError(
            f"{where}: the text is outside the project ({path}); export the project with its "
            "sources inside (internal://)"
        )
    name = re.sub(r"^internal:/*", "", path, flags=re.IGNORECASE).lstrip("/")
    by_lower = {member.lower(): member for member in archive.namelist()}
    for candidate in (f"sources/{name}", name, f"sources/{PurePosixPath(name).name}"):
        if candidate.lower() in by_lower:
            data = archive.read(by_lower[candidate.lower()])
            break
    else:
        raise QdpxError(f"{where}: the zip holds no file {path!r} (looked under sources/)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise QdpxError(f"{where}: {path} is not UTF-8 text ({error})") from error


def _source_text(element: etree._Element, archive: zipfile.ZipFile, where: str) -> str:
    inline = next(children(element, "PlainTextContent"), None)
    if inline is not None:
        return (inline.text or "").removeprefix("\ufeff")
    path = element.get("plainTextPath")
    if not path:
        raise QdpxError(f"{where}: a TextSource has neither PlainTextContent nor plainTextPath")
    return _member_text(archive, path, where)


def _position(element: etree._Element, name: str, where: str) -> int:
    try:
        return int(element.get(name, ""))
    except ValueError:
        raise QdpxError(
            f"{where}: `{name}` must be a whole number, not {element.get(name)!r}"
        ) from None


def _selection_rows(
    element: etree._Element, source_guid: str, length: int, source: str
) -> list[tuple]:
    """Rows of :data:`SELECTION_COLUMNS` for the codings of one text source."""
    rows = []
    for coding in children(element, "Coding"):  # the whole source coded
        rows.append(_coding_row(coding, source_guid, 0, length, None, source))
    for selection in children(element, "PlainTextSelection"):
        where = f"{source}, line {selection.sourceline}"
        start, end = (
            _position(selection, name, where) for name in ("startPosition", "endPosition")
        )
        user = selection.get("creatingUser") or selection.get("modifyingUser")
        rows += [
            _coding_row(coding, source_guid, start, end, user, source)
            for coding in children(selection, "Coding")
        ]
    return rows


def _coding_row(
    coding: etree._Element, source_guid: str, start: int, end: int, user: str | None, source: str
) -> tuple:
    where = f"{source}, line {coding.sourceline}"
    reference = next(children(coding, "CodeRef"), None)
    target = reference.get("targetGUID") if reference is not None else coding.get("targetGUID")
    user = coding.get("creatingUser") or user
    user_guid = _guid(user, where) if user else ""
    return (source_guid, start, end, _guid(target, where), user_guid, coding.sourceline)


def read_qdpx(data: bytes, *, source: str = "project.qdpx") -> QdaProject:
    """Read the users, codes, text sources and text codings of a REFI-QDA project.

    Parameters
    ----------
    data
        The ``.qdpx`` file's bytes.
    source
        Name used in error messages, normally the file path.

    Returns
    -------
    QdaProject
        What the project holds (offsets as the tool wrote them).

    Raises
    ------
    QdpxError
        If the file is not a zip, holds no ``.qde``, its XML is malformed or not a
        ``Project``, a source's text is missing, or a GUID or offset is malformed.
    """
    archive = _open_zip(data, source)
    member = _project_member(archive, source)
    root = _parse(archive, member, source)
    texts, selections = [], []
    for group in children(root, "Sources"):
        for element in children(group, "TextSource"):
            where = f"{source}, {member} line {element.sourceline}"
            guid = _guid(element.get("guid"), where)
            text = _source_text(element, archive, where)
            texts.append((guid, element.get("name") or guid, text))
            selections += _selection_rows(element, guid, len(text), f"{source}, {member}")
    return QdaProject(
        source=source,
        origin=root.get("origin") or "",
        users=_users(root, source),
        codes=_codes(root, source),
        sources=pd.DataFrame(texts, columns=SOURCE_COLUMNS),
        selections=pd.DataFrame(selections, columns=SELECTION_COLUMNS),
    )


# ---- matching the project to the study -----------------------------------------------------------


def normalise_breaks(text: str, *, crlf_is_one: bool = False) -> tuple[str, np.ndarray]:
    r"""Give a source text LF line breaks and map the tool's offsets onto it.

    Parameters
    ----------
    text
        The text as the project stores it.
    crlf_is_one
        The tool counted a CRLF as one character (ATLAS.ti) rather than two.

    Returns
    -------
    tuple
        The text with LF breaks, and an array mapping each offset the tool could write
        (``0..len``) to the offset in that text.

    Examples
    --------
    >>> text, where = normalise_breaks("a\r\nb")
    >>> text, where.tolist()
    ('a\nb', [0, 1, 1, 2, 3])
    """
    flat = text.replace("\r\n", "\n").replace("\r", "\n")
    if crlf_is_one or "\r\n" not in text:
        return flat, np.arange(len(flat) + 1)
    is_pair = np.frombuffer(text.encode("utf-32-le"), dtype="<u4") == ord("\r")
    is_pair &= np.append(np.frombuffer(text[1:].encode("utf-32-le"), dtype="<u4"), 0) == ord("\n")
    dropped = np.concatenate([[0], np.cumsum(is_pair)])  # CRs of pairs before each offset
    return flat, np.arange(len(text) + 1) - dropped


def _first_difference(first: str, second: str) -> int:
    return next((i for i, (a, b) in enumerate(zip(first, second, strict=False)) if a != b), -1)


def _match_sources(project: QdaProject, texts: Mapping[str, str]) -> dict[str, tuple]:
    """Map each coded source's GUID to ``(interview_id, offset map)``; raise on a mismatch."""
    crlf_is_one = "atlas" in project.origin.lower()
    coded = set(project.selections["source_guid"])
    by_text = {text.rstrip(): key for key, text in texts.items()}
    matched = {}
    for row in project.sources.itertuples(index=False):
        if row.guid not in coded:
            continue
        flat, where = normalise_breaks(row.text, crlf_is_one=crlf_is_one)
        key = _SOURCE_SUFFIXES.sub("", row.name.strip())
        if key not in texts:
            key = by_text.get(flat.rstrip())
            if key is None:
                raise QdpxError(
                    f"{project.source}: source {row.name!r} matches none of the study's "
                    f"transcripts by name or by text; the study has {sorted(texts)}"
                )
        expected = texts[key]
        if flat.rstrip() != expected.rstrip():
            at = _first_difference(flat, expected)
            at = min(len(flat), len(expected)) if at < 0 else at
            raise QdpxError(
                f"{project.source}: source {row.name!r} is not the study's redacted transcript "
                f"{key}: they differ at character {at} (project {flat[at : at + 30]!r}, study "
                f"{expected[at : at + 30]!r}); code the transcripts exported in interviews.qdpx"
            )
        matched[row.guid] = (key, where)
    return matched


def _code_lookup(codebook: ThemeCodebook) -> tuple[dict[str, str], dict[str, str]]:
    by_guid = {guid_for(code.id): code.id for code in codebook.codes}
    by_name = {}
    for code in codebook.codes:
        for name in (code.name("lv"), code.name("en"), code.id):
            by_name.setdefault(_SPACES.sub(" ", name).strip().casefold(), code.id)
    return by_guid, by_name


def _match_codes(project: QdaProject, codebook: ThemeCodebook) -> dict[str, str]:
    """Map each code GUID used by a coding to a leaf code id; raise naming unknown codes."""
    by_guid, by_name = _code_lookup(codebook)
    names = dict(zip(project.codes["guid"], project.codes["name"], strict=True))
    leaves = {code.id for code in codebook.leaves}
    used = project.selections["code_guid"].value_counts(sort=False)
    matched, unknown, grouping = {}, [], []
    for guid, count in used.items():
        name = names.get(guid, "")
        code = by_guid.get(guid) or by_name.get(_SPACES.sub(" ", name).strip().casefold())
        label = f"{name or guid!r} ({count} codings)"
        if code is None:
            unknown.append(label)
        elif code not in leaves:
            grouping.append(label)
        else:
            matched[guid] = code
    if unknown or grouping:
        problems = [f"codes not in the codebook: {', '.join(unknown)}"] if unknown else []
        if grouping:
            problems.append(f"grouping codes, which are not applied: {', '.join(grouping)}")
        raise QdpxError(
            f"{project.source}: " + "; ".join(problems) + "; use the codebook's leaf codes (the "
            "GUIDs of the exported codebook, or their names in any of its languages)"
        )
    return matched


def project_codings(
    project: QdaProject, texts: Mapping[str, str], codebook: ThemeCodebook
) -> pd.DataFrame:
    """Place a project's codings on the study's redacted transcripts.

    Parameters
    ----------
    project
        From :func:`read_qdpx`.
    texts
        Interview id mapped to the study's redacted transcript.
    codebook
        The study's interview codebook.

    Returns
    -------
    pandas.DataFrame
        :data:`CODING_COLUMNS`: character offsets into the redacted text, the leaf code id,
        the coder's user name and the selected text; sorted, without duplicate rows.

    Raises
    ------
    QdpxError
        If a coded source is not one of the transcripts, a code is not a leaf code of the
        codebook, or a selection lies outside its text.
    """
    sources = _match_sources(project, texts)
    codes = _match_codes(project, codebook)
    rows = []
    for row in project.selections.itertuples(index=False):
        key, where = sources[row.source_guid]
        if not 0 <= row.start < row.end < len(where):
            raise QdpxError(
                f"{project.source}, project line {row.line}: selection {row.start}-{row.end} "
                f"lies outside the text of {key} ({len(where) - 1} characters)"
            )
        start, end = int(where[row.start]), int(where[row.end])
        coder = project.users.get(row.user_guid, row.user_guid or UNKNOWN_USER)
        rows.append((key, start, end, codes[row.code_guid], coder, texts[key][start:end]))
    table = pd.DataFrame(rows, columns=CODING_COLUMNS).drop_duplicates()
    return table.sort_values(CODING_COLUMNS[:5], ignore_index=True)


def import_qdpx(
    data: bytes, texts: Mapping[str, str], codebook: ThemeCodebook, *, source: str = "project"
) -> pd.DataFrame:
    """Read a ``.qdpx`` file and place its codings on the redacted transcripts.

    Parameters
    ----------
    data
        The file's bytes.
    texts
        Interview id mapped to the study's redacted transcript.
    codebook
        The study's interview codebook.
    source
        Name used in error messages, normally the file path.

    Returns
    -------
    pandas.DataFrame
        :data:`CODING_COLUMNS` (see :func:`project_codings`).
    """
    return project_codings(read_qdpx(data, source=source), texts, codebook)


def human_codings(codings: pd.DataFrame) -> pd.DataFrame:
    """Drop the rule coder's suggestions from imported codings, keeping people's codings.

    Codings a reviewer left under the rule coder's user were not redone by a person, so they
    stay machine codings; a reviewer who accepts a suggestion codes it under their own user.

    Parameters
    ----------
    codings
        From :func:`import_qdpx`.

    Returns
    -------
    pandas.DataFrame
        The rows whose ``coder`` is not :data:`.coder.RULE_CODER`.
    """
    return codings[codings["coder"] != RULE_CODER].reset_index(drop=True)
