"""The report's text blocks: title, "as of" line, banner, contents, headings, paragraphs.

Each block is a template in ``templates/fragments/`` (:func:`.render.render`): the study's
wording (title, section titles, banner, fixed paragraphs) comes from its layout file, the
package's few words from the catalog, and every text is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ruralplan import formatting, narrative
from ruralplan.i18n import translator
from ruralplan.report.document import banner_text, section_keys, section_titles
from ruralplan.report.render import render


def title_html(document: Mapping[str, Any], lang: str) -> str:
    """Return the report's ``<h1>`` from the layout's ``text.title_<lang>``.

    Parameters
    ----------
    document
        The parsed layout file.
    lang
        A report language.

    Returns
    -------
    str
        HTML heading.
    """
    return render("title.html.j2", lang, title=title_text(document, lang))


def title_text(document: Mapping[str, Any], lang: str) -> str:
    """Return the report's title as plain text, e.g. for the page's ``<title>``.

    Parameters
    ----------
    document
        The parsed layout file.
    lang
        A report language.

    Returns
    -------
    str
        ``text.title_<lang>`` of the layout, ``""`` when it has none.
    """
    return str(document.get("text", {}).get(f"title_{narrative.check_lang(lang)}", ""))


def as_of_text(date: str, lang: str) -> str:
    """Write the report's "as of" date, taken from the data, in ``lang``.

    Parameters
    ----------
    date
        ``YYYY-MM-DD`` (the latest survey submission).
    lang
        A report language.

    Returns
    -------
    str
        E.g. "Data as of 15 March 2024 (latest survey submission)."

    Raises
    ------
    ValueError
        If ``date`` is not ``YYYY-MM-DD``.
    """
    return translator(lang).gettext(
        "Data as of %(date)s (latest survey submission).",
        date=formatting.format_date(date, lang=lang),
    )


def as_of_html(date: str | None, lang: str) -> str:
    """Return the "as of" line under the title, or ``""`` without a date.

    Parameters
    ----------
    date
        ``YYYY-MM-DD`` or None.
    lang
        A report language.

    Returns
    -------
    str
        An HTML ``<p class="as-of">``.
    """
    if not date:
        return ""
    return render("as_of.html.j2", lang, date=formatting.format_date(date, lang=lang))


def banner_html(synthetic: bool, lang: str, document: Mapping[str, Any]) -> str:
    """Return the synthetic-data banner, or an empty string for real data.

    Parameters
    ----------
    synthetic
        Whether the report is built from the study's synthetic demonstration data.
    lang
        A report language.
    document
        The parsed layout file, whose ``banner`` holds the text (:func:`.document.banner_text`).

    Returns
    -------
    str
        HTML ``<div role="note">`` or ``""``.
    """
    text = banner_text(lang, document)
    return render("banner.html.j2", lang, text=text) if synthetic else ""


def toc_html(lang: str, document: Mapping[str, Any]) -> str:
    """Return the table of contents linking to every section anchor.

    Parameters
    ----------
    lang
        A report language.
    document
        The parsed layout file (see :func:`.document.section_titles`).

    Returns
    -------
    str
        An HTML ``<nav>`` element.
    """
    sections = list(zip(section_keys(document), section_titles(lang, document), strict=True))
    return render("toc.html.j2", lang, sections=sections)


def heading_html(key: str, lang: str, document: Mapping[str, Any]) -> str:
    """Return the numbered ``<h2>`` of a section with its anchor.

    Parameters
    ----------
    key
        A section key from :func:`.document.section_keys`.
    lang
        A report language.
    document
        The parsed layout file (see :func:`.document.section_titles`).

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
    return render("heading.html.j2", lang, key=key, number=number, title=title)


def paragraph_html(*sentences: str) -> str:
    """Join generated sentences into one escaped paragraph.

    Parameters
    ----------
    *sentences
        Plain-text sentences; empty ones are left out.

    Returns
    -------
    str
        An HTML ``<p>``.
    """
    text = " ".join(s for s in sentences if s)
    return render("paragraphs.html.j2", None, paragraphs=[text])


def list_html(items: Sequence[Any], *, css: str = "") -> str:
    """Return escaped sentences as an HTML bullet list.

    Parameters
    ----------
    items
        Plain-text items; a mapping ``{"lead": text, "sub": [texts]}`` is an item with a
        list of its own.
    css
        A class for the list, or ``""``.

    Returns
    -------
    str
        An HTML ``<ul>``.
    """
    return render("list.html.j2", None, items=list(items), css=css)


def section_text(document: Mapping[str, Any], key: str, lang: str) -> str:
    """Return the fixed paragraphs of a section from the layout's ``text`` mapping.

    Parameters
    ----------
    document
        The parsed layout file.
    key
        The section key, e.g. ``"limitations"``.
    lang
        A report language.

    Returns
    -------
    str
        HTML paragraphs (escaped); ``""`` if the layout has none for this section.
    """
    paragraphs = document.get("text", {}).get(f"{key}_{narrative.check_lang(lang)}", [])
    return render("paragraphs.html.j2", lang, paragraphs=[str(text) for text in paragraphs])
