"""Read and check the documents that arrange the report: sections, wording and exhibits.

A study's layout file (``report_layout``) names the report's sections with their kinds and
titles, the synthetic-data banner and the list of exhibits; these functions check it, number
the exhibits and map interview codes to their names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ruralplan import narrative

# What a section shows besides its own text and exhibits. A study's layout gives each section
# a key (its anchor, free to choose) and one of these kinds; ``exhibits`` is the default.
SECTION_KINDS: tuple[str, ...] = ("summary", "data", "exhibits", "tests", "claims", "provenance")
_SECTION_KEY = re.compile(r"^[a-z][a-z0-9_-]*$")

EXHIBIT_KEYS = {
    "file",
    "section",
    "made_by",
    "title_lv",
    "title_en",
    "required",
    "display",
    "codes",
    "notes",
    "audit",
}
DISPLAYS = ("auto", "matrix", "quotes", "reliability")
FIGURE_SUFFIXES = (".png", ".svg")


def check_wording(document: Any, *, source: str = "report layout") -> dict[str, Any]:
    """Validate the report's wording: sections (keys, kinds, titles) and the banner.

    Parameters
    ----------
    document
        The parsed layout file: ``sections`` (a list of ``{key, kind, lv, en}`` in report
        order; ``kind`` one of :data:`SECTION_KINDS`, default ``exhibits``; at most one
        ``summary`` and one ``provenance`` section) and ``banner`` (``{lv, en}``).
    source
        The file name, for messages.

    Returns
    -------
    dict
        ``{"keys": [...], "kinds": {key: kind}, "sections": {lang: [titles]},
        "banner": {lang: text}}``.

    Raises
    ------
    ValueError
        Naming the file and what is wrong; all problems at once.

    Examples
    --------
    >>> layout = {"sections": [{"key": "intro", "lv": "Ievads", "en": "Introduction"}],
    ...           "banner": {"lv": "Sintētiski dati.", "en": "Synthetic data."}}
    >>> check_wording(layout)["kinds"]
    {'intro': 'exhibits'}
    """
    document = document if isinstance(document, Mapping) else {}
    sections = document.get("sections")
    sections = [s if isinstance(s, Mapping) else {} for s in sections or []]
    problems = [] if sections else ["`sections` must be a non-empty list of {key, kind, lv, en}"]
    keys = [str(s.get("key", "")) for s in sections]
    kinds = {key: str(s.get("kind", "exhibits")) for key, s in zip(keys, sections, strict=True)}
    problems += [
        f"section key {key!r} must be a lower-case name"
        for key in keys
        if not _SECTION_KEY.match(key)
    ]
    problems += [
        f"section key {key!r} appears more than once"
        for key in sorted(set(keys))
        if keys.count(key) > 1
    ]
    problems += [
        f"section {key!r}: kind must be one of {list(SECTION_KINDS)}, not {kind!r}"
        for key, kind in kinds.items()
        if kind not in SECTION_KINDS
    ]
    problems += [
        f"at most one section may be of kind {kind!r}"
        for kind in ("summary", "provenance")
        if list(kinds.values()).count(kind) > 1
    ]
    titles = {lang: [str(s.get(lang) or "") for s in sections] for lang in narrative.LANGS}
    for lang, texts in titles.items():
        problems += [
            f"section {key!r} needs a `{lang}` title"
            for key, text in zip(keys, texts, strict=True)
            if not text.strip()
        ]
    banner = document.get("banner")
    banner = banner if isinstance(banner, Mapping) else {}
    problems += [
        f"`banner` needs a `{lang}` text"
        for lang in narrative.LANGS
        if not str(banner.get(lang) or "").strip()
    ]
    if problems:
        raise ValueError(f"{source}: " + "; ".join(problems))
    return {
        "keys": keys,
        "kinds": kinds,
        "sections": titles,
        "banner": {lang: str(banner[lang]) for lang in narrative.LANGS},
    }


def section_titles(lang: str, document: Mapping[str, Any]) -> list[str]:
    """Return the report's section headings in ``lang``.

    Parameters
    ----------
    lang
        ``"lv"`` or ``"en"``.
    document
        The parsed layout file.

    Returns
    -------
    list of str
        Headings in report order.

    Raises
    ------
    ValueError
        If ``lang`` is not supported or the wording is malformed.
    """
    return list(check_wording(document)["sections"][narrative.check_lang(lang)])


def banner_text(lang: str, document: Mapping[str, Any]) -> str:
    """Return the synthetic-data banner's text in ``lang`` (plain text, not escaped)."""
    return check_wording(document)["banner"][narrative.check_lang(lang)]


def section_keys(document: Mapping[str, Any]) -> list[str]:
    """Return the section keys in report order; the anchor of a section is ``sec-<key>``."""
    return list(check_wording(document)["keys"])


def section_kinds(document: Mapping[str, Any]) -> dict[str, str]:
    """Return each section's kind, in report order (see :data:`SECTION_KINDS`)."""
    return dict(check_wording(document)["kinds"])


def check_exhibits(document: Any, *, source: str = "exhibits.yaml") -> list[dict[str, Any]]:
    """Validate the exhibit list and return its entries with defaults filled in.

    Parameters
    ----------
    document
        The parsed YAML: a mapping with an ``exhibits`` list.
    source
        The file name, for messages.

    Returns
    -------
    list of dict
        Entries with keys ``file``, ``section``, ``made_by``, ``title_lv``, ``title_en``,
        ``required`` (default ``True``).

    Raises
    ------
    ValueError
        Naming the entry and key, if an entry is malformed; all problems at once.
    """
    entries = document.get("exhibits") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise ValueError(f"{source}: expected a mapping with an `exhibits` list")
    keys = check_wording(document, source=source)["keys"]
    problems, checked = [], []
    for number, entry in enumerate(entries, start=1):
        entry = dict(entry) if isinstance(entry, dict) else {}
        unknown = sorted(set(entry) - EXHIBIT_KEYS)
        missing = sorted({"file", "section", "title_lv", "title_en"} - set(entry))
        if unknown or missing:
            problems.append(f"entry {number}: unknown keys {unknown}, missing keys {missing}")
        elif entry["section"] not in keys:
            problems.append(
                f"entry {number} ({entry['file']}): section must be one of "
                f"{keys}, but {entry['section']!r} was given"
            )
        elif entry.setdefault("display", "auto") not in DISPLAYS:
            problems.append(
                f"entry {number} ({entry['file']}): display must be one of "
                f"{list(DISPLAYS)}, but {entry['display']!r} was given"
            )
        else:
            problems += _check_optional_keys(entry, number)
        entry.setdefault("required", True)
        entry.setdefault("made_by", "")
        checked.append(entry)
    if problems:
        raise ValueError(f"{source}: " + "; ".join(problems))
    return checked


def _check_optional_keys(entry: Mapping[str, Any], number: int) -> list[str]:
    where = f"entry {number} ({entry['file']})"
    problems = []
    codes = entry.get("codes")
    if codes is not None:
        if entry["display"] != "quotes":
            problems.append(f"{where}: `codes` only works with display: quotes")
        elif (
            not isinstance(codes, list)
            or not codes
            or not all(isinstance(c, str) and c.strip() for c in codes)
        ):
            problems.append(f"{where}: `codes` must be a list of code ids, but {codes!r} was given")
    if not isinstance(entry.get("audit", False), bool):
        problems.append(f"{where}: `audit` must be true or false, but {entry['audit']!r} was given")
    notes = entry.get("notes")
    if notes is not None and (not isinstance(notes, str) or not notes.endswith(".csv")):
        problems.append(f"{where}: `notes` must name a .csv file, but {notes!r} was given")
    return problems


def exhibit_kind(file: str) -> str:
    """Return ``"figure"`` for image files and ``"table"`` otherwise.

    Parameters
    ----------
    file
        The output file name.

    Returns
    -------
    str
        ``"figure"`` or ``"table"``.
    """
    return "figure" if file.lower().endswith(FIGURE_SUFFIXES) else "table"


def number_exhibits(
    entries: Sequence[Mapping[str, Any]], keys: Sequence[str]
) -> list[dict[str, Any]]:
    """Give tables and figures their own running numbers, in report order.

    Parameters
    ----------
    entries
        Checked exhibit entries (see :func:`check_exhibits`), globs already expanded.
    keys
        The section keys in report order.

    Returns
    -------
    list of dict
        New entries with ``kind`` and ``number`` added, in report order; entries marked
        ``audit`` (shown in the audit version only) after all others.
    """
    order = {key: index for index, key in enumerate(keys)}
    # Audit-only exhibits come last, so the reader's report numbers its exhibits without gaps.
    ranked = sorted(
        enumerate(entries),
        key=lambda pair: (bool(pair[1].get("audit")), order[pair[1]["section"]], pair[0]),
    )
    counters = {"table": 0, "figure": 0}
    numbered = []
    for _, entry in ranked:
        kind = exhibit_kind(entry["file"])
        counters[kind] += 1
        numbered.append({**entry, "kind": kind, "number": counters[kind]})
    return numbered


def list_outputs(names: Sequence[str], shown: Sequence[str]) -> list[str]:
    """Return the output files that no exhibit shows, so they can be listed, not dropped.

    Parameters
    ----------
    names
        Every file found in the output folders.
    shown
        Files shown as exhibits.

    Returns
    -------
    list of str
        Sorted files not in ``shown``.
    """
    return sorted(set(names) - set(shown))


def code_names(codebook: Any, lang: str) -> dict[str, str]:
    """Map interview code ids to their names in ``lang`` from the parsed interview codebook.

    Parameters
    ----------
    codebook
        The parsed codebook YAML: a mapping with a ``codes`` list of ``id``, ``name_lv``,
        ``name_en``.
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    dict
        Code id to name; codes without a name are left out.
    """
    narrative.check_lang(lang)
    codes = codebook.get("codes", []) if isinstance(codebook, Mapping) else []
    return {
        str(c["id"]): str(c[f"name_{lang}"])
        for c in codes
        if isinstance(c, Mapping) and "id" in c and f"name_{lang}" in c
    }
