"""The report's text blocks: title, "as of" line, banner, contents, headings, paragraphs.

Every text is escaped, so wording and generated sentences are shown as text, never as HTML.
:data:`WORDS` holds the few fixed words the layout itself needs in each language.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ruralplan import narrative
from ruralplan.report.document import banner_text, section_keys, section_titles

WORDS = {
    "lv": {
        "contents": "Saturs",
        "table": "Tabula",
        "figure": "Attēls",
        "cell": "šūna",
        "made_by": "Izveidoja",
        "saved_to": "saglabāts",
        "missing": "Vēl nav pieejams",
        "interview": "intervija",
        "not_traced": "nav izsekots",
        "exclusions": "Izslēgtās rindas pēc iemesla",
        "reason": "iemesls",
        "rows": "rindas",
        "commit": "Git revīzija",
        "no_git": "nav zināma (nav git darba kopijas)",
        "dirty": "darba kopijā ir nesaglabātas izmaiņas",
        "clean": "darba kopija bez izmaiņām",
        "notebooks": "Izpildītās piezīmju grāmatas",
        "parameters": "Parametri",
        "hashes": "Ievades failu SHA-256",
        "packages": "Pakotņu versijas",
        "exhibit_index": "Tabulu un attēlu rādītājs",
        "no_quotes": "Nav citātu šīm tēmām.",
    },
    "en": {
        "contents": "Contents",
        "table": "Table",
        "figure": "Figure",
        "cell": "cell",
        "made_by": "Made by",
        "saved_to": "saved to",
        "missing": "Not available yet",
        "interview": "interview",
        "not_traced": "not traced",
        "exclusions": "Rows excluded, by reason",
        "reason": "reason",
        "rows": "rows",
        "commit": "Git commit",
        "no_git": "unknown (not a git checkout)",
        "dirty": "the working tree had uncommitted changes",
        "clean": "clean working tree",
        "notebooks": "Executed notebooks",
        "parameters": "Parameters",
        "hashes": "SHA-256 of input files",
        "packages": "Package versions",
        "exhibit_index": "Index of tables and figures",
        "no_quotes": "No quotes for these themes.",
    },
}

# Latvian month names in the accusative, as in "dati uz 2024. gada 15. martu".
LV_MONTHS_ACCUSATIVE = (
    "janvāri",
    "februāri",
    "martu",
    "aprīli",
    "maiju",
    "jūniju",
    "jūliju",
    "augustu",
    "septembri",
    "oktobri",
    "novembri",
    "decembri",
)
EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def title_html(document: Mapping[str, Any], lang: str) -> str:
    """Return the report's ``<h1>`` from the exhibit file's ``text.title_<lang>``.

    Parameters
    ----------
    document
        The parsed ``exhibits.yaml``.
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        HTML heading.
    """
    title = document.get("text", {}).get(f"title_{narrative.check_lang(lang)}", "")
    return f"<h1>{html.escape(str(title))}</h1>"


def as_of_text(date: str, lang: str) -> str:
    """Write the report's "as of" date, taken from the data, in ``lang``.

    Parameters
    ----------
    date
        ``YYYY-MM-DD`` (the latest survey submission).
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        E.g. "Dati uz 2024. gada 15. martu (pēdējā aptaujas atbilde)." /
        "Data as of 15 March 2024 (latest survey submission)."

    Raises
    ------
    ValueError
        If ``date`` is not ``YYYY-MM-DD``.
    """
    narrative.check_lang(lang)
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(date))
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"date must be YYYY-MM-DD, but {date!r} was passed")
    year, month, day = (int(part) for part in match.groups())
    if lang == "lv":
        return (
            f"Dati uz {year}. gada {day}. {LV_MONTHS_ACCUSATIVE[month - 1]} "
            "(pēdējā aptaujas atbilde)."
        )
    return f"Data as of {day} {EN_MONTHS[month - 1]} {year} (latest survey submission)."


def as_of_html(date: str | None, lang: str) -> str:
    """Return the "as of" line under the title, or ``""`` without a date.

    Parameters
    ----------
    date
        ``YYYY-MM-DD`` or None.
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        An HTML ``<p class="as-of">``.
    """
    if not date:
        return ""
    return f'<p class="as-of">{html.escape(as_of_text(date, lang))}</p>'


def banner_html(synthetic: bool, lang: str, document: Mapping[str, Any]) -> str:
    """Return the synthetic-data banner, or an empty string for real data.

    Parameters
    ----------
    synthetic
        Whether the report is built from the shipped synthetic data.
    lang
        ``"lv"`` or ``"en"``.
    document
        The parsed exhibit file, whose ``banner`` holds the text (:func:`.document.banner_text`).

    Returns
    -------
    str
        HTML ``<div role="note">`` or ``""``.
    """
    text = banner_text(lang, document)
    if not synthetic:
        return ""
    return f'<div class="synthetic-banner" role="note">{html.escape(text)}</div>'


def toc_html(lang: str, document: Mapping[str, Any]) -> str:
    """Return the table of contents linking to every section anchor.

    Parameters
    ----------
    lang
        ``"lv"`` or ``"en"``.
    document
        The parsed exhibit file (see :func:`.document.section_titles`).

    Returns
    -------
    str
        An HTML ``<nav>`` element.
    """
    items = "".join(
        f'<li><a href="#sec-{key}">{html.escape(title)}</a></li>'
        for key, title in zip(section_keys(document), section_titles(lang, document), strict=True)
    )
    return (
        f'<nav class="toc" aria-label="{WORDS[lang]["contents"]}">'
        f'<p class="toc-title">{WORDS[lang]["contents"]}</p><ol>{items}</ol></nav>'
    )


def heading_html(key: str, lang: str, document: Mapping[str, Any]) -> str:
    """Return the numbered ``<h2>`` of a section with its anchor.

    Parameters
    ----------
    key
        A section key from :func:`.document.section_keys`.
    lang
        ``"lv"`` or ``"en"``.
    document
        The parsed exhibit file (see :func:`.document.section_titles`).

    Returns
    -------
    str
        HTML heading.

    Raises
    ------
    ValueError
        If ``key`` is not a section.
    """
    keys = section_keys(document)
    if key not in keys:
        raise ValueError(f"section must be one of {keys}, but {key!r} was passed")
    number = keys.index(key) + 1
    title = section_titles(lang, document)[number - 1]
    return f'<h2 id="sec-{key}">{number}. {html.escape(title)}</h2>'


def paragraph_html(*sentences: str) -> str:
    """Join generated sentences into one escaped paragraph.

    Parameters
    ----------
    *sentences
        Plain-text sentences.

    Returns
    -------
    str
        An HTML ``<p>``.
    """
    return f"<p>{html.escape(' '.join(s for s in sentences if s))}</p>"


def list_html(items: Sequence[str]) -> str:
    """Return escaped sentences as an HTML bullet list.

    Parameters
    ----------
    items
        Plain-text items.

    Returns
    -------
    str
        An HTML ``<ul>``.
    """
    return "<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in items) + "</ul>"


def section_text(document: Mapping[str, Any], key: str, lang: str) -> str:
    """Return the fixed paragraphs of a section from the exhibit file's ``text`` mapping.

    Parameters
    ----------
    document
        The parsed ``exhibits.yaml``.
    key
        The section key, e.g. ``"limitations"``.
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        HTML paragraphs (escaped); ``""`` if the file has none for this section.
    """
    paragraphs = document.get("text", {}).get(f"{key}_{narrative.check_lang(lang)}", [])
    return "".join(paragraph_html(str(text)) for text in paragraphs)
