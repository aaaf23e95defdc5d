"""Export and import codebooks in the REFI-QDA Codebook Exchange format (``.qdc``).

The format (namespace ``urn:QDA-XML:codebook:1.0``) is read by NVivo, ATLAS.ti, MAXQDA,
QualCoder and Taguette: a ``CodeBook`` holding nested ``Code`` elements (``guid``, ``name``,
``isCodable``, optional ``color`` and ``Description``) and optional ``Sets`` of member codes.
GUIDs are derived from code ids with :func:`uuid.uuid5`, so they are stable across runs and
a file exported here can be matched back to the codebook after a round trip.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pandas as pd
from lxml import etree

from ruralplan.interviews.codebook import Code, ThemeCodebook

NAMESPACE = "urn:QDA-XML:codebook:1.0"
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:ruralplan:codebook")
IMPORT_COLUMNS = ["guid", "name", "parent_guid", "depth", "is_codable", "color", "description"]
SET_COLUMNS = ["set_guid", "set_name", "member_guid"]


class QdcError(ValueError):
    """Raised when a ``.qdc`` document cannot be read as a REFI-QDA codebook."""


def guid_for(identifier: str) -> str:
    """Return the deterministic upper-case GUID of a code or set id.

    Examples
    --------
    >>> guid_for("a") == guid_for("a") != guid_for("b")
    True
    """
    return str(uuid.uuid5(GUID_NAMESPACE, identifier)).upper()


def describe(code: Code) -> str:
    """Return the ``Description`` text: definition, then when to use and not to use it."""
    parts = [code.definition]
    if code.use_when:
        parts.append(f"Use when: {code.use_when}")
    if code.not_when:
        parts.append(f"Do not use when: {code.not_when}")
    return "\n\n".join(parts)


def _code_element(codebook: ThemeCodebook, code: Code, lang: str, namespace: str) -> etree._Element:
    element = etree.Element(f"{{{namespace}}}Code", nsmap={None: namespace})
    element.set("guid", guid_for(code.id))
    element.set("name", code.name(lang))
    element.set("isCodable", "true" if not code.rules.is_empty() else "false")
    if code.color:
        element.set("color", code.color.upper())
    etree.SubElement(element, f"{{{namespace}}}Description").text = describe(code)
    for child in codebook.children(code.id):
        element.append(_code_element(codebook, child, lang, namespace))
    return element


def codes_element(
    codebook: ThemeCodebook, *, lang: str = "lv", namespace: str = NAMESPACE
) -> etree._Element:
    """Return the ``Codes`` element: the code hierarchy with names, colours and descriptions.

    Parameters
    ----------
    codebook
        The codebook (hierarchy from ``parent``; codes with rules are codable).
    lang
        Language of code names.
    namespace
        The codebook's (``.qdc``) or the project's (``.qde``) namespace.

    Returns
    -------
    lxml.etree._Element
        ``Codes`` with one nested ``Code`` per code; GUIDs from :func:`guid_for`.
    """
    codes = etree.Element(f"{{{namespace}}}Codes", nsmap={None: namespace})
    for code in codebook.children(None):
        codes.append(_code_element(codebook, code, lang, namespace))
    return codes


def export_qdc(codebook: ThemeCodebook, *, lang: str = "lv", origin: str = "ruralplan") -> bytes:
    """Serialise the codebook as a REFI-QDA codebook document.

    Parameters
    ----------
    codebook
        The codebook (hierarchy from ``parent``; codes with rules are codable).
    lang
        Language of code and set names.
    origin
        Value of the ``origin`` attribute.

    Returns
    -------
    bytes
        UTF-8 XML with declaration, deterministic for the same inputs.
    """
    root = etree.Element(f"{{{NAMESPACE}}}CodeBook", nsmap={None: NAMESPACE})
    root.set("origin", origin)
    root.append(codes_element(codebook, lang=lang))
    if codebook.sets:
        sets = etree.SubElement(root, f"{{{NAMESPACE}}}Sets")
        for code_set in codebook.sets:
            element = etree.SubElement(sets, f"{{{NAMESPACE}}}Set")
            element.set("guid", guid_for("set:" + code_set.id))
            element.set("name", code_set.name(lang))
            if code_set.description:
                etree.SubElement(element, f"{{{NAMESPACE}}}Description").text = code_set.description
            for member in code_set.members:
                etree.SubElement(element, f"{{{NAMESPACE}}}MemberCode").set(
                    "guid", guid_for(member)
                )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def local_name(element: etree._Element) -> str:
    """Return an element's tag without its namespace (``""`` for comments)."""
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def children(element: etree._Element, name: str) -> Iterator[etree._Element]:
    """Yield the child elements called ``name`` in any namespace."""
    return (child for child in element if local_name(child) == name)


def _text(element: etree._Element) -> str:
    description = next(children(element, "Description"), None)
    return (description.text or "").strip() if description is not None else ""


def normal_guid(raw: str | None, where: str) -> str:
    """Return a GUID in upper case without braces, or raise :class:`QdcError` naming ``where``."""
    try:
        return str(uuid.UUID((raw or "").strip().strip("{}"))).upper()
    except ValueError as error:
        raise QdcError(f"{where}: guid {raw!r} is not a GUID") from error


def walk_codes(
    element: etree._Element, parent: str | None, depth: int, rows: list, source: str
) -> None:
    """Append one row per nested ``Code`` (see :data:`IMPORT_COLUMNS`) to ``rows``."""
    for code in children(element, "Code"):
        name = code.get("name")
        where = f"{source}, line {code.sourceline}"
        if not name:
            raise QdcError(f"{where}: a Code has no `name` attribute")
        guid = normal_guid(code.get("guid"), where)
        codable = (code.get("isCodable") or "true").strip().lower() in ("true", "1")
        rows.append((guid, name, parent, depth, codable, code.get("color"), _text(code)))
        walk_codes(code, guid, depth + 1, rows, source)


def import_qdc(data: bytes, *, source: str = "codebook.qdc") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a REFI-QDA codebook in any tool's style (prefixed or default namespace, or none).

    Tolerates what tools write in practice: a byte-order mark, braces around GUIDs, lower-case
    GUIDs, ``isCodable`` as ``1``/``0``, missing ``isCodable``, three-digit colours and an
    empty ``Sets`` element.

    Parameters
    ----------
    data
        The file content.
    source
        Name used in error messages.

    Returns
    -------
    tuple of pandas.DataFrame
        Codes (``guid, name, parent_guid, depth, is_codable, color, description``) in document
        order, and set memberships (``set_guid, set_name, member_guid``).

    Raises
    ------
    QdcError
        If the XML is malformed, the root is not ``CodeBook`` or a code lacks name or GUID.
    """
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError as error:
        raise QdcError(f"{source}: not well-formed XML ({error})") from error
    if local_name(root) != "CodeBook":
        raise QdcError(f"{source}: root element is {local_name(root)!r}, expected 'CodeBook'")
    rows: list[tuple] = []
    for codes in children(root, "Codes"):
        walk_codes(codes, None, 0, rows, source)
    memberships = []
    for sets in children(root, "Sets"):
        for code_set in children(sets, "Set"):
            where = f"{source}, line {code_set.sourceline}"
            set_guid = normal_guid(code_set.get("guid"), where)
            memberships += [
                (set_guid, code_set.get("name", ""), normal_guid(member.get("guid"), where))
                for member in children(code_set, "MemberCode")
            ]
    return (
        pd.DataFrame(rows, columns=IMPORT_COLUMNS),
        pd.DataFrame(memberships, columns=SET_COLUMNS),
    )


def match_codes(imported: pd.DataFrame, codebook: ThemeCodebook) -> pd.DataFrame:
    """Attach codebook ids to imported codes by GUID (``code`` is NA for foreign codes).

    Parameters
    ----------
    imported
        Codes from :func:`import_qdc`.
    codebook
        The codebook whose deterministic GUIDs are looked up.

    Returns
    -------
    pandas.DataFrame
        ``imported`` with a leading ``code`` column.
    """
    by_guid = {guid_for(code.id): code.id for code in codebook.codes}
    matched = imported.copy()
    matched.insert(0, "code", matched["guid"].map(by_guid).astype("string"))
    return matched
