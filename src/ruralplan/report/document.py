"""Read and check the documents that arrange the report: sections, wording and exhibits.

The exhibit file (``data/report/exhibits.yaml``) names the report's sections with their
titles, the synthetic-data banner and the list of exhibits; these functions check it, number
the exhibits and map interview codes to their names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from ruralplan import narrative

# The report's sections in order. Their titles are wording: ``sections`` of the exhibit file.
SECTION_KEYS: tuple[str, ...] = (
    "summary",
    "data",
    "strategy",
    "practice",
    "focus",
    "swot",
    "tests",
    "claims",
    "limitations",
    "provenance",
)
# The project's wording file, read when a function is called without a parsed document.
WORDING_FILE = Path(__file__).resolve().parents[3] / "data" / "report" / "exhibits.yaml"

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
}
DISPLAYS = ("auto", "swot", "quotes", "reliability")
FIGURE_SUFFIXES = (".png", ".svg")


def check_wording(document: Any, *, source: str = "exhibits.yaml") -> dict[str, Any]:
    """Validate the report's wording: section titles and the synthetic-data banner.

    Parameters
    ----------
    document
        The parsed exhibit file: ``sections`` (a list of ``{key, lv, en}`` in report order,
        one per key of :data:`SECTION_KEYS`) and ``banner`` (``{lv, en}``).
    source
        The file name, for messages.

    Returns
    -------
    dict
        ``{"sections": {lang: [titles]}, "banner": {lang: text}}``.

    Raises
    ------
    ValueError
        Naming the file and what is wrong; all problems at once.
    """
    document = document if isinstance(document, Mapping) else {}
    sections = document.get("sections")
    sections = sections if isinstance(sections, list) else []
    keys = [s.get("key") if isinstance(s, Mapping) else None for s in sections]
    problems = []
    if keys != list(SECTION_KEYS):
        problems.append(
            f"`sections` must list the keys {list(SECTION_KEYS)} in this order, but has {keys}"
        )
    titles = {
        lang: [str(s.get(lang) or "") if isinstance(s, Mapping) else "" for s in sections]
        for lang in narrative.LANGS
    }
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
    return {"sections": titles, "banner": {lang: str(banner[lang]) for lang in narrative.LANGS}}


@lru_cache(maxsize=1)
def _project_wording() -> dict[str, Any]:
    from ruralplan.io import read_yaml

    return check_wording(read_yaml(WORDING_FILE), source=str(WORDING_FILE.name))


def _wording(document: Mapping[str, Any] | None) -> dict[str, Any]:
    return _project_wording() if document is None else check_wording(document)


def section_titles(lang: str, document: Mapping[str, Any] | None = None) -> list[str]:
    """Return the report's section headings in ``lang``.

    Parameters
    ----------
    lang
        ``"lv"`` or ``"en"``.
    document
        The parsed exhibit file; the project's ``data/report/exhibits.yaml`` when omitted.

    Returns
    -------
    list of str
        Headings in report order.

    Raises
    ------
    ValueError
        If ``lang`` is not supported or the wording is malformed.
    """
    return list(_wording(document)["sections"][narrative.check_lang(lang)])


def banner_text(lang: str, document: Mapping[str, Any] | None = None) -> str:
    """Return the synthetic-data banner's text in ``lang``.

    Parameters
    ----------
    lang
        ``"lv"`` or ``"en"``.
    document
        The parsed exhibit file; the project's ``data/report/exhibits.yaml`` when omitted.

    Returns
    -------
    str
        Plain text, not escaped.

    Raises
    ------
    ValueError
        If ``lang`` is not supported or the wording is malformed.
    """
    return _wording(document)["banner"][narrative.check_lang(lang)]


def section_keys() -> list[str]:
    """Return the section keys in report order.

    Returns
    -------
    list of str
        Keys such as ``"summary"``; the anchor of a section is ``sec-<key>``.
    """
    return list(SECTION_KEYS)


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
    problems, checked = [], []
    for number, entry in enumerate(entries, start=1):
        entry = dict(entry) if isinstance(entry, dict) else {}
        unknown = sorted(set(entry) - EXHIBIT_KEYS)
        missing = sorted({"file", "section", "title_lv", "title_en"} - set(entry))
        if unknown or missing:
            problems.append(f"entry {number}: unknown keys {unknown}, missing keys {missing}")
        elif entry["section"] not in section_keys():
            problems.append(
                f"entry {number} ({entry['file']}): section must be one of "
                f"{section_keys()}, but {entry['section']!r} was given"
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


def number_exhibits(entries: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Give tables and figures their own running numbers, in report order.

    Parameters
    ----------
    entries
        Checked exhibit entries (see :func:`check_exhibits`), globs already expanded.

    Returns
    -------
    list of dict
        New entries with ``kind`` and ``number`` added, in report order.
    """
    order = {key: index for index, key in enumerate(section_keys())}
    ranked = sorted(enumerate(entries), key=lambda pair: (order[pair[1]["section"]], pair[0]))
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
