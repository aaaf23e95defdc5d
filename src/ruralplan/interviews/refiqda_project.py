"""Export coded interviews as a REFI-QDA project (``.qdpx``): NVivo, ATLAS.ti, MAXQDA, QualCoder.

A ``.qdpx`` file is a zip holding ``project.qde`` (namespace ``urn:QDA-XML:project:1.0``) and
the source texts under ``sources/``. The project written here holds:

- one ``TextSource`` per interview: its **redacted** transcript (``sources/<guid>.txt``, UTF-8,
  LF line breaks), so character offsets are offsets into the redacted text;
- the codebook (``CodeBook``), with descriptions, GUIDs as in the ``.qdc`` export;
- the rule coder's codings: one ``PlainTextSelection`` per coded segment, by the user
  :data:`RULE_CODER`, with one ``Coding`` per code and the matched terms as its description;
- one ``Case`` per interview with the interview metadata as variables.

Every GUID is derived from an id (:func:`.refiqda.guid_for`) and the zip has fixed dates, so
the same inputs give the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from typing import Any

import pandas as pd
from lxml import etree

from ruralplan.interviews.codebook import ThemeCodebook
from ruralplan.interviews.coder import RULE_CODER
from ruralplan.interviews.redact import RedactionConfig, redact_text
from ruralplan.interviews.refiqda import codes_element, guid_for

PROJECT_NAMESPACE = "urn:QDA-XML:project:1.0"
PROJECT_FILE = "project.qde"
SOURCES_FOLDER = "sources"
RULE_CODER_ID = "rule"  # the rule coder's user id; its name is coder.RULE_CODER
DESCRIPTION = (
    "Pseudonymised interview transcripts with the study's codebook. The codings of the user "
    f"'{RULE_CODER}' are the rule coder's suggestions and have not been reviewed. Code under "
    "your own user name (review the suggestions, or code anew) and export the project: "
    "`make report QDPX=<file>` then bases the themes on your coding."
)
# Zip entries carry this date (the earliest a zip can hold), so the bytes do not depend on when
# the project was written.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_INTEGER = re.compile(r"^-?\d+$")
_DECIMAL = re.compile(r"^-?\d+\.\d+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class QdpxExportError(ValueError):
    """Raised when the inputs of a project do not fit together."""


def _tag(name: str) -> str:
    return f"{{{PROJECT_NAMESPACE}}}{name}"


def user_guid(user_id: str) -> str:
    """Return the GUID of a project user (the rule coder's is ``user_guid("rule")``)."""
    return guid_for(f"user:{user_id}")


def source_guid(interview_id: str) -> str:
    """Return the GUID of an interview's text source."""
    return guid_for(f"source:{interview_id}")


def variable_type(values: pd.Series) -> str:
    """Choose the QDA-XML type of a metadata column from its non-empty values.

    Examples
    --------
    >>> [variable_type(pd.Series(v)) for v in (["1", "12"], ["2024-03-14"], ["1.5"], ["a"])]
    ['Integer', 'Date', 'Float', 'Text']
    """
    present = [str(value) for value in values if str(value).strip()]
    for kind, pattern in (("Integer", _INTEGER), ("Date", _DATE), ("Float", _DECIMAL)):
        if present and all(pattern.match(value) for value in present):
            return kind
    return "Text"


def _value_tag(kind: str) -> str:
    return {"Integer": "IntegerValue", "Date": "DateValue", "Float": "FloatValue"}.get(
        kind, "TextValue"
    )


def _users() -> etree._Element:
    users = etree.Element(_tag("Users"))
    etree.SubElement(
        users, _tag("User"), guid=user_guid(RULE_CODER_ID), name=RULE_CODER, id=RULE_CODER_ID
    )
    return users


def _variables(metadata: pd.DataFrame, kinds: Mapping[str, str]) -> etree._Element:
    variables = etree.Element(_tag("Variables"))
    for column, kind in kinds.items():
        element = etree.SubElement(
            variables,
            _tag("Variable"),
            guid=guid_for(f"variable:{column}"),
            name=column,
            typeOfVariable=kind,
        )
        etree.SubElement(element, _tag("Description")).text = "Interview metadata"
    return variables


def _cases(
    interviews: list[str], metadata: pd.DataFrame, kinds: Mapping[str, str]
) -> etree._Element:
    rows = metadata.set_index("interview_id") if len(metadata) else None
    cases = etree.Element(_tag("Cases"))
    for interview_id in interviews:
        case = etree.SubElement(
            cases, _tag("Case"), guid=guid_for(f"case:{interview_id}"), name=interview_id
        )
        if rows is not None and interview_id in rows.index:
            for column, kind in kinds.items():
                value = str(rows.at[interview_id, column]).strip()
                if value:
                    element = etree.SubElement(case, _tag("VariableValue"))
                    etree.SubElement(
                        element, _tag("VariableRef"), targetGUID=guid_for(f"variable:{column}")
                    )
                    etree.SubElement(element, _tag(_value_tag(kind))).text = value
        etree.SubElement(case, _tag("SourceRef"), targetGUID=source_guid(interview_id))
    return cases


def _selection(
    interview_id: str, segment_id: str, start: int, end: int, codes: pd.DataFrame
) -> etree._Element:
    coder = user_guid(RULE_CODER_ID)
    key = f"{RULE_CODER_ID}:{interview_id}:{segment_id}"
    selection = etree.Element(
        _tag("PlainTextSelection"),
        guid=guid_for(f"selection:{key}"),
        name=segment_id,
        startPosition=str(start),
        endPosition=str(end),
        creatingUser=coder,
    )
    terms = "; ".join(f"{r.code}: {r.matched_terms}" for r in codes.itertuples(index=False))
    etree.SubElement(
        selection, _tag("Description")
    ).text = f"Suggested by the rule coder (not reviewed). Matched terms - {terms}"
    for code in codes["code"]:
        coding = etree.SubElement(
            selection, _tag("Coding"), guid=guid_for(f"coding:{key}:{code}"), creatingUser=coder
        )
        etree.SubElement(coding, _tag("CodeRef"), targetGUID=guid_for(code))
    return selection


def _sources(texts: Mapping[str, str], spans: pd.DataFrame, coded: pd.DataFrame) -> etree._Element:
    where = spans.set_index(["interview_id", "segment_id"])
    missing = coded.set_index(["interview_id", "segment_id"]).index.difference(where.index)
    if len(missing):
        raise QdpxExportError(
            f"coded segments {[f'{a}/{b}' for a, b in missing[:5]]} have no span; pass the "
            "segment spans of the texts that were coded"
        )
    sources = etree.Element(_tag("Sources"))
    for interview_id in sorted(texts):
        guid = source_guid(interview_id)
        source = etree.SubElement(
            sources,
            _tag("TextSource"),
            guid=guid,
            name=interview_id,
            plainTextPath=f"internal://{guid}.txt",
            creatingUser=user_guid(RULE_CODER_ID),
        )
        mine = coded[coded["interview_id"] == interview_id]
        for segment_id, codes in mine.groupby("segment_id", sort=True):
            start, end = where.loc[(interview_id, segment_id), ["start", "end"]]
            source.append(_selection(interview_id, segment_id, int(start), int(end), codes))
    return sources


def _sets(codebook: ThemeCodebook, lang: str) -> etree._Element | None:
    if not codebook.sets:
        return None
    sets = etree.Element(_tag("Sets"))
    for code_set in codebook.sets:
        element = etree.SubElement(
            sets,
            _tag("Set"),
            guid=guid_for("set:" + code_set.id),
            name=code_set.name(lang),
        )
        if code_set.description:
            etree.SubElement(element, _tag("Description")).text = code_set.description
        for member in code_set.members:
            etree.SubElement(element, _tag("MemberCode"), targetGUID=guid_for(member))
    return sets


def project_document(
    texts: Mapping[str, str],
    spans: pd.DataFrame,
    coded: pd.DataFrame,
    codebook: ThemeCodebook,
    *,
    metadata: pd.DataFrame | None = None,
    name: str = "interviews",
    lang: str = "lv",
    origin: str = "ruralplan",
    description: str = DESCRIPTION,
) -> etree._Element:
    """Build the ``Project`` element of ``project.qde`` (see the module docstring).

    Parameters
    ----------
    texts
        Interview id mapped to its **redacted** transcript.
    spans
        From :func:`.segments.segment_spans` on ``texts``.
    coded
        The rule coder's codings (:func:`.coder.code_segments` on the same texts).
    codebook
        The codebook (code names in ``lang``).
    metadata
        One row per interview: ``interview_id`` and any other columns, as strings; each
        other column becomes a case variable. Pass redacted values only.
    name, origin, description
        The project's name, ``origin`` attribute and description.
    lang
        Language of code and set names.

    Returns
    -------
    lxml.etree._Element
        The project.

    Raises
    ------
    QdpxExportError
        If there is no text, a coded segment has no span or the metadata lack ``interview_id``.
    """
    if not texts:
        raise QdpxExportError("a project needs at least one transcript")
    metadata = pd.DataFrame({"interview_id": []}) if metadata is None else metadata
    if "interview_id" not in metadata.columns:
        raise QdpxExportError(
            f"interview metadata: no `interview_id` column; found {list(metadata.columns)}"
        )
    kinds = {c: variable_type(metadata[c]) for c in metadata.columns if c != "interview_id"}
    root = etree.Element(_tag("Project"), nsmap={None: PROJECT_NAMESPACE})
    root.set("name", name)
    root.set("origin", origin)
    root.set("creatingUserGUID", user_guid(RULE_CODER_ID))
    root.append(_users())
    book = etree.SubElement(root, _tag("CodeBook"))
    book.append(codes_element(codebook, lang=lang, namespace=PROJECT_NAMESPACE))
    if kinds:
        root.append(_variables(metadata, kinds))
    root.append(_cases(sorted(texts), metadata, kinds))
    root.append(_sources(texts, spans, coded))
    sets = _sets(codebook, lang)
    if sets is not None:
        root.append(sets)
    if description:
        etree.SubElement(root, _tag("Description")).text = description
    return root


def zip_members(members: Mapping[str, bytes]) -> bytes:
    """Zip named members in the given order with fixed dates (deflated).

    Parameters
    ----------
    members
        Member path mapped to content.

    Returns
    -------
    bytes
        The zip archive; the same members give the same bytes.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, data in members.items():
            info = zipfile.ZipInfo(path, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def export_qdpx(
    texts: Mapping[str, str],
    spans: pd.DataFrame,
    coded: pd.DataFrame,
    codebook: ThemeCodebook,
    **options: Any,
) -> bytes:
    """Write a REFI-QDA project: ``project.qde`` and ``sources/<guid>.txt`` in a zip.

    Parameters
    ----------
    texts, spans, coded, codebook
        As for :func:`project_document`.
    **options
        ``metadata``, ``name``, ``lang``, ``origin``, ``description`` of
        :func:`project_document`.

    Returns
    -------
    bytes
        The ``.qdpx`` file.
    """
    project = project_document(texts, spans, coded, codebook, **options)
    members = {
        PROJECT_FILE: etree.tostring(
            project, xml_declaration=True, encoding="UTF-8", pretty_print=True
        )
    }
    for interview_id in sorted(texts):
        path = f"{SOURCES_FOLDER}/{source_guid(interview_id)}.txt"
        members[path] = texts[interview_id].encode("utf-8")
    return zip_members(members)


def redact_metadata(
    metadata: pd.DataFrame, register: pd.DataFrame, config: RedactionConfig
) -> pd.DataFrame:
    """Redact every text cell of the interview metadata, as the transcripts are redacted.

    Metadata go into the project as case variables; a name typed into a metadata column must
    not reach it. Each cell is redacted with its interview's register rows first
    (:func:`.redact.redact_text`).

    Parameters
    ----------
    metadata
        One row per interview with ``interview_id``; strings.
    register
        From :func:`.redact.check_register`.
    config
        Redaction settings.

    Returns
    -------
    pandas.DataFrame
        A copy with redacted values (``interview_id`` unchanged).
    """
    redacted = metadata.copy()
    for column in redacted.columns.drop("interview_id", errors="ignore"):
        redacted[column] = [
            redact_text(str(value), register, config, interview_id=key)[0]
            if str(value).strip()
            else str(value)
            for value, key in zip(redacted[column], redacted["interview_id"], strict=True)
        ]
    return redacted
