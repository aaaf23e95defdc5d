"""Build the report's HTML pieces from computed results.

The report notebook reads files with :mod:`ruralplan.report.io` and displays what these
functions return. Everything a respondent or interviewee wrote is escaped, so free text is
shown as text and never interpreted as HTML. Study-specific wording (exhibit titles,
limitations) comes from ``data/report/exhibits.yaml``.
"""

from __future__ import annotations

import base64
import html
import re
import textwrap
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

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

SWOT_ALIASES = {
    "strength": "strengths",
    "weakness": "weaknesses",
    "opportunity": "opportunities",
    "threat": "threats",
}
SWOT_QUADRANTS = {
    "strengths": ("Stiprās puses", "Strengths"),
    "weaknesses": ("Vājās puses", "Weaknesses"),
    "opportunities": ("Iespējas", "Opportunities"),
    "threats": ("Draudi", "Threats"),
}

DASH = "\u2013"
_DECIMAL_TEXT = re.compile(r"^-?\d+\.\d+$")
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

# Matplotlib settings that make saved figures identical from run to run and readable in print.
PLOT_STYLE: Mapping[str, Any] = {
    "svg.hashsalt": "ruralplan",
    "svg.fonttype": "path",
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


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


def section_keys() -> list[str]:
    """Return the section keys in report order.

    Returns
    -------
    list of str
        Keys such as ``"summary"``; the anchor of a section is ``sec-<key>``.
    """
    return list(SECTION_KEYS)


def heading_html(key: str, lang: str, document: Mapping[str, Any] | None = None) -> str:
    """Return the numbered ``<h2>`` of a section with its anchor.

    Parameters
    ----------
    key
        A section key from :func:`section_keys`.
    lang
        ``"lv"`` or ``"en"``.
    document
        The parsed exhibit file (see :func:`section_titles`).

    Returns
    -------
    str
        HTML heading.

    Raises
    ------
    ValueError
        If ``key`` is not a section.
    """
    keys = section_keys()
    if key not in keys:
        raise ValueError(f"section must be one of {keys}, but {key!r} was passed")
    number = keys.index(key) + 1
    title = section_titles(lang, document)[number - 1]
    return f'<h2 id="sec-{key}">{number}. {html.escape(title)}</h2>'


def toc_html(lang: str, document: Mapping[str, Any] | None = None) -> str:
    """Return the table of contents linking to every section anchor.

    Parameters
    ----------
    lang
        ``"lv"`` or ``"en"``.
    document
        The parsed exhibit file (see :func:`section_titles`).

    Returns
    -------
    str
        An HTML ``<nav>`` element.
    """
    items = "".join(
        f'<li><a href="#sec-{key}">{html.escape(title)}</a></li>'
        for key, title in zip(section_keys(), section_titles(lang, document), strict=True)
    )
    return (
        f'<nav class="toc" aria-label="{WORDS[lang]["contents"]}">'
        f'<p class="toc-title">{WORDS[lang]["contents"]}</p><ol>{items}</ol></nav>'
    )


def banner_html(synthetic: bool, lang: str, document: Mapping[str, Any] | None = None) -> str:
    """Return the synthetic-data banner, or an empty string for real data.

    Parameters
    ----------
    synthetic
        Whether the report is built from the shipped synthetic data.
    lang
        ``"lv"`` or ``"en"``.
    document
        The parsed exhibit file, whose ``banner`` holds the text (see :func:`section_titles`).

    Returns
    -------
    str
        HTML ``<div role="note">`` or ``""``.
    """
    text = _wording(document)["banner"][narrative.check_lang(lang)]
    if not synthetic:
        return ""
    return f'<div class="synthetic-banner" role="note">{html.escape(text)}</div>'


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


def in_families(codes: pd.Series, families: Sequence[str]) -> pd.Series:
    """Tell which code ids belong to any of the code families.

    A code belongs to a family when it is the family's id or starts with it followed by a dot
    (``why.leader_role`` belongs to ``why``; ``whyever`` does not).

    Parameters
    ----------
    codes
        Code ids.
    families
        Family ids, e.g. ``["why", "how"]``.

    Returns
    -------
    pandas.Series
        Boolean, aligned with ``codes``.
    """
    text = codes.astype(str).str.strip()
    keep = pd.Series(False, index=codes.index)
    for family in families:
        keep |= (text == family) | text.str.startswith(f"{family}.")
    return keep


def caption_html(
    kind: str, number: int, title: str, file: str, producer: tuple[str, int] | None, lang: str
) -> str:
    """Return an exhibit caption naming the notebook cell that made it and its file.

    Parameters
    ----------
    kind
        ``"table"`` or ``"figure"``.
    number
        The exhibit's number within its kind.
    title
        Its title in ``lang``.
    file
        The output file (path relative to the project root).
    producer
        ``(notebook name, cell number)`` from :func:`ruralplan.pipeline.provenance.find_producer`.
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        An HTML ``<figcaption>``.
    """
    words = WORDS[narrative.check_lang(lang)]
    if producer is None:
        made = words["not_traced"]
    else:
        made = (
            f'<a href="notebooks/{html.escape(producer[0])}">{html.escape(producer[0])}</a>, '
            f"{words['cell']} {producer[1]}"
        )
    return (
        f"<figcaption><strong>{words[kind]} {number}.</strong> {html.escape(title)} "
        f'<span class="exhibit-source">{words["made_by"]}: {made}; {words["saved_to"]} '
        f"<code>{html.escape(file)}</code></span></figcaption>"
    )


def for_language(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Drop the columns written for the other language (``*_lv`` / ``*_en``).

    Parameters
    ----------
    table
        A results table.
    lang
        The report language.

    Returns
    -------
    pandas.DataFrame
        A new table without the other language's columns.
    """
    other = "en" if narrative.check_lang(lang) == "lv" else "lv"
    return table.loc[:, [c for c in table.columns if not str(c).endswith(f"_{other}")]]


def table_html(table: pd.DataFrame, lang: str, *, caption: str = "") -> str:
    """Render a table as escaped HTML with numbers formatted for ``lang``.

    Parameters
    ----------
    table
        The table; cell text is escaped.
    lang
        ``"lv"`` or ``"en"``.
    caption
        A ready ``<figcaption>`` (from :func:`caption_html`) or ``""``.

    Returns
    -------
    str
        A ``<figure class="exhibit">`` wrapping a scrollable table.
    """
    shown = for_language(table, lang).map(lambda value: _format_cell(value, lang))
    body = shown.to_html(index=False, escape=True, na_rep="\u2013", border=0, classes="data-table")
    return _table_figure(body, caption=caption)


def _table_figure(body: str, *, caption: str, lead: str = "", notes: Sequence[str] = ()) -> str:
    """Wrap a table as an exhibit: caption, lead paragraph, scrollable table, footnotes."""
    return (
        f'<figure class="exhibit table-exhibit">{caption}{lead}<div class="scroll">{body}</div>'
        f"{notes_html(notes)}</figure>"
    )


def _format_cell(value: Any, lang: str) -> Any:
    """Write a number as ``lang`` does, keeping as many decimals as it needs (at most 3)."""
    if isinstance(value, str) and _DECIMAL_TEXT.match(value):
        value = float(value)
    if isinstance(value, bool) or not isinstance(value, float):
        return value
    if pd.isna(value):
        return value
    if value != 0 and abs(value) < 0.001:
        return narrative.format_scientific(value, lang)
    text = narrative.format_number(value, lang, decimals=3)
    mark = "," if lang == "lv" else "."
    return text.rstrip("0").rstrip(mark) if mark in text else text


def figure_html(kind: str, data: bytes, *, alt: str, caption: str = "") -> str:
    """Embed a PNG or SVG figure as a data URI, so the report needs no other file.

    Parameters
    ----------
    kind
        ``"png"`` or ``"svg"``.
    data
        The image bytes.
    alt
        Text alternative (escaped).
    caption
        A ready ``<figcaption>`` or ``""``.

    Returns
    -------
    str
        A ``<figure class="exhibit">``.

    Raises
    ------
    ValueError
        If ``kind`` is not png or svg.
    """
    mime = {"png": "image/png", "svg": "image/svg+xml"}.get(kind)
    if mime is None:
        raise ValueError(f"kind must be 'png' or 'svg', but {kind!r} was passed")
    encoded = base64.b64encode(data).decode("ascii")
    return (
        f'<figure class="exhibit figure-exhibit"><img src="data:{mime};base64,{encoded}" '
        f'alt="{html.escape(alt)}">{caption}</figure>'
    )


def missing_html(file: str, made_by: str, lang: str) -> str:
    """Return a visible note for an optional exhibit whose file is not there yet.

    Parameters
    ----------
    file
        The expected file.
    made_by
        The notebook that should write it.
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        An HTML note.
    """
    words = WORDS[narrative.check_lang(lang)]
    source = f" ({html.escape(made_by)})" if made_by else ""
    return (
        f'<p class="missing-exhibit">{words["missing"]}: '
        f"<code>{html.escape(file)}</code>{source}</p>"
    )


def quote_html(quote: str, source: str) -> str:
    """Show an interview or survey quote as escaped text with its source.

    Parameters
    ----------
    quote
        The quoted words.
    source
        Where they come from (e.g. an interview id).

    Returns
    -------
    str
        An HTML ``<blockquote>``.
    """
    return (
        f"<blockquote><p>{html.escape(str(quote))}</p>"
        f"<footer>{html.escape(str(source))}</footer></blockquote>"
    )


SWOT_QUOTE_CHARS = 160


def swot_matrix_html(
    table: pd.DataFrame,
    lang: str,
    *,
    quadrant: str = "quadrant",
    item: str = "item",
    count: str | None = None,
    quote: str | None = None,
    names: Mapping[str, str] | None = None,
) -> str:
    """Lay out SWOT items as a 2x2 matrix (strengths, weaknesses / opportunities, threats).

    Parameters
    ----------
    table
        One row per item with a ``quadrant`` column (strengths, weaknesses, opportunities,
        threats, or their singulars) and an ``item`` label column.
    lang
        ``"lv"`` or ``"en"``.
    quadrant, item
        Column names.
    count
        Optional column of interview counts, shown in brackets after each item.
    quote
        Optional column of one exemplar quote per item, shortened to
        :data:`SWOT_QUOTE_CHARS` characters at a word boundary and escaped.
    names
        Code id to item name in ``lang``, looked up by the ``code`` column when present.

    Returns
    -------
    str
        An HTML ``<div class="swot">`` with four quadrants.

    Raises
    ------
    ValueError
        If a quadrant value is unknown or a column is missing.
    """
    missing = [c for c in (quadrant, item) if c not in table.columns]
    if missing:
        raise ValueError(f"SWOT table: missing columns {missing}; found {list(table.columns)}")
    codes = table[quadrant].astype(str).str.strip().str.lower().replace(SWOT_ALIASES)
    unknown = sorted(set(codes) - set(SWOT_QUADRANTS))
    if unknown:
        raise ValueError(
            f"SWOT table, column `{quadrant}`: expected {list(SWOT_QUADRANTS)}, found {unknown}"
        )
    column = 0 if narrative.check_lang(lang) == "lv" else 1
    boxes = []
    for code, labels in SWOT_QUADRANTS.items():
        items = "".join(
            _swot_item_html(row, item=item, count=count, quote=quote, names=names or {})
            for _, row in table.loc[codes == code].iterrows()
        )
        boxes.append(
            f'<section class="swot-{code}"><h3>{labels[column]}</h3><ul>{items}</ul></section>'
        )
    return f'<div class="swot">{"".join(boxes)}</div>'


def _swot_item_html(
    row: pd.Series, *, item: str, count: str | None, quote: str | None, names: Mapping[str, str]
) -> str:
    name = names.get(str(row.get("code")), str(row[item]))
    text = html.escape(name) + (f" ({html.escape(str(row[count]))})" if count else "")
    said = "" if quote is None or pd.isna(row[quote]) else str(row[quote]).strip()
    if said:
        short = textwrap.shorten(said, width=SWOT_QUOTE_CHARS, placeholder=" \u2026")
        text += f'<blockquote class="swot-quote">{html.escape(short)}</blockquote>'
    return f"<li>{text}</li>"


def count_sentences(table: pd.DataFrame, lang: str, *, label: str, count: str = "n") -> list[str]:
    """Write one sentence per answer of a frequency table.

    Rows with ``row_type`` other than ``option`` (valid, no answer...) are not answers; the
    total is the ``valid`` row's count when there is one, else the sum of the answers. A
    count withheld for disclosure control (e.g. ``<5``) is quoted as it is, not computed on.

    Parameters
    ----------
    table
        One row per answer with a label column and a count column.
    lang
        ``"lv"`` or ``"en"``.
    label
        The label column (in ``lang``).
    count
        The count column.

    Returns
    -------
    list of str
        Sentences, in table order.

    Raises
    ------
    ValueError
        If a column is missing.
    """
    missing = [c for c in (label, count) if c not in table.columns]
    if missing:
        raise ValueError(f"frequency table: missing columns {missing}; found {list(table.columns)}")
    kinds = table["row_type"] if "row_type" in table.columns else pd.Series("option", table.index)
    options = table.loc[kinds == "option"]
    counts = pd.to_numeric(options[count], errors="coerce")
    valid = pd.to_numeric(table.loc[kinds == "valid", count], errors="coerce")
    total = int(valid.iloc[0]) if len(valid) and valid.notna().all() else int(counts.sum())
    sentences = []
    for (_, row), value in zip(options.iterrows(), counts, strict=True):
        if pd.isna(value):
            sentences.append(f"{narrative.quoted(row[label])}: {row[count]}.")
        else:
            sentences.append(narrative.share_sentence(str(row[label]), int(value), total, lang))
    return sentences


def interpret_tests(
    tests: pd.DataFrame, *, alpha: float, lang: str, labels: Mapping[str, str] | None = None
) -> list[str]:
    """Interpret cross-tab tests in plain language, respecting adjustment and effect size.

    The first sentence counts the tests and those significant after adjustment; then one
    sentence per test from :func:`.crosstab.describe_result`, which names the effect
    size with Cohen's limits.

    Parameters
    ----------
    tests
        ``crosstab_tests.csv``: ``outcome``, ``predictor``, ``test``, ``p_adjusted``,
        ``effect_measure``, ``effect_size`` and the other columns ``describe_result`` reads.
    alpha
        The significance level the adjusted p-values are compared with.
    lang
        ``"lv"`` or ``"en"``.
    labels
        Optional display names for outcome and predictor ids.

    Returns
    -------
    list of str
        The summary sentence, then one sentence per test.

    Raises
    ------
    ValueError
        If a column is missing.
    """
    from ruralplan.analysis import crosstab

    needed = ["outcome", "predictor", "test", "p_adjusted", "effect_measure", "effect_size"]
    missing = [c for c in needed if c not in tests.columns]
    if missing:
        raise ValueError(f"cross-tab tests: missing columns {missing}; found {list(tests.columns)}")
    tested = tests.loc[tests["p_adjusted"].notna()]
    n_significant = int((tested["p_adjusted"] < alpha).sum())
    sentences = [narrative.tests_summary_sentence(len(tested), n_significant, alpha, lang)]
    # describe_result puts labels in double quotes: their own quotes become single ones
    inner = {key: narrative.inner_quotes(value) for key, value in (labels or {}).items()}
    for _, row in tests.iterrows():
        sentences.append(
            crosstab.describe_result(row.to_dict(), lang, alpha=alpha, labels=inner or None)
        )
    return sentences


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


def plot_style() -> dict[str, Any]:
    """Return the matplotlib settings every pipeline figure should use.

    Apply them with ``matplotlib.rcParams.update(report.plot_style())`` before plotting.
    With ``SOURCE_DATE_EPOCH`` set (the Makefile sets it), saved SVG and PDF files then
    carry no run-dependent dates or ids.

    Returns
    -------
    dict
        rcParams.
    """
    return dict(PLOT_STYLE)


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


def _first_column(table: pd.DataFrame, candidates: Sequence[str], what: str) -> str:
    for name in candidates:
        if name in table.columns:
            return name
    raise ValueError(
        f"{what}: expected one of the columns {list(candidates)}, found {list(table.columns)}"
    )


def quotes_html(
    table: pd.DataFrame,
    lang: str,
    *,
    names: Mapping[str, str] | None = None,
    codes: Sequence[str] | None = None,
) -> str:
    """Show a table of quotes as escaped block quotes with their sources.

    Parameters
    ----------
    table
        A ``quote`` column and a source column (``interview_id``, ``interview`` or ``source``);
        a theme label column (``label_<lang>``, ``code`` or ``theme``) groups them if present.
    lang
        ``"lv"`` or ``"en"``.
    names
        Code id to theme name in ``lang``; preferred over the table's label column.
    codes
        Code families to keep (:func:`in_families`, needs a ``code`` column); all when omitted.

    Returns
    -------
    str
        HTML block quotes, or a note when no quote is left.

    Raises
    ------
    ValueError
        If no quote or source column is found, or ``codes`` is given without a ``code`` column.
    """
    quote = _first_column(table, ["quote", f"quote_{lang}", "exemplar_quote"], "quotes table")
    source = _first_column(table, ["interview_id", "interview", "source"], "quotes table")
    if codes:
        table = table.loc[in_families(table[_first_column(table, ["code"], "quotes table")], codes)]
    theme = next(
        (
            c
            for c in (f"label_{lang}", f"name_{lang}", "name", "theme", "code")
            if c in table.columns
        ),
        None,
    )
    names = names or {}
    parts = []
    for _, row in table.iterrows():
        label = names.get(str(row.get("code")), row[theme] if theme else None)
        cite = f"{label} \u2014 {row[source]}" if label is not None else str(row[source])
        parts.append(quote_html(str(row[quote]), cite))
    return "".join(parts) or f'<p class="missing-exhibit">{WORDS[lang]["no_quotes"]}</p>'


def exhibit_html(
    entry: Mapping[str, Any],
    data: Any,
    producer: tuple[str, int] | None,
    lang: str,
    *,
    names: Mapping[str, str] | None = None,
    notes: Sequence[str] = (),
    logit: Mapping[str, Any] | None = None,
) -> str:
    """Render one numbered exhibit with its caption, or a note when its file is missing.

    Parameters
    ----------
    entry
        A numbered entry from :func:`number_exhibits`; for the readers' frequency,
        reliability and tests tables also ``headers`` (table to column headers in ``lang``,
        from :func:`check_table_headers`), which
        :func:`ruralplan.report.io.load_report_inputs` adds.
    data
        A DataFrame for tables, ``(kind, bytes)`` for figures, ``None`` when missing.
    producer
        ``(notebook, cell)`` that wrote the file, or ``None``.
    lang
        ``"lv"`` or ``"en"``.
    names
        Interview code names (reliability, SWOT, quotes; :func:`code_names`), variable names
        (tests) or term labels (logistic regression).
    notes
        Cautions shown under a logistic regression table (:func:`caution_notes`).
    logit
        ``regression`` wording of the variable labels file (see :func:`logit_html`).

    Returns
    -------
    str
        HTML.

    Raises
    ------
    ValueError
        If a readers' table is to be shown but ``entry`` has no headers for it.
    """
    if data is None:
        return missing_html(entry["file"], entry.get("made_by", ""), lang)
    title = entry[f"title_{narrative.check_lang(lang)}"]
    caption = caption_html(entry["kind"], entry["number"], title, entry["file"], producer, lang)
    if entry["kind"] == "figure":
        return figure_html(data[0], data[1], alt=title, caption=caption)
    if entry.get("display") == "swot":
        item = _first_column(data, [f"name_{lang}", "name", f"item_{lang}", "item"], "SWOT table")
        count = next((c for c in ("n_interviews", "n") if c in data.columns), None)
        quote = next((c for c in (f"quote_{lang}", "quote") if c in data.columns), None)
        body = swot_matrix_html(data, lang, item=item, count=count, quote=quote, names=names)
        return f'<figure class="exhibit">{caption}{body}</figure>'
    if entry.get("display") == "quotes":
        body = quotes_html(data, lang, names=names, codes=entry.get("codes"))
        return f'<figure class="exhibit">{caption}{body}</figure>'
    if entry.get("display") == "reliability":
        return reliability_html(
            data, lang, headers=_entry_headers(entry, "reliability"), names=names, caption=caption
        )
    if is_logit_table(data):
        return logit_html(data, lang, terms=names, wording=logit, notes=notes, caption=caption)
    if set(data.columns) >= TEST_COLUMNS_NEEDED:
        return tests_html(
            data, lang, headers=_entry_headers(entry, "tests"), names=names, caption=caption
        )
    if is_frequency_table(data):
        return frequency_table_html(
            data, lang, headers=_entry_headers(entry, "frequency"), caption=caption
        )
    return table_html(data, lang, caption=caption)


def _entry_headers(entry: Mapping[str, Any], table: str) -> Mapping[str, str]:
    headers = entry.get("headers")
    if not isinstance(headers, Mapping) or table not in headers:
        raise ValueError(
            f"exhibit {entry['file']}: the entry has no `headers` for {table} tables "
            "(load_report_inputs adds them from the table header file)"
        )
    return headers[table]


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


def notebook_links_html(names: Sequence[str]) -> str:
    """Link the executed notebooks, which sit in ``notebooks/`` beside the report.

    Parameters
    ----------
    names
        Notebook file names.

    Returns
    -------
    str
        An HTML list.
    """
    items = "".join(
        f'<li><a href="notebooks/{html.escape(n)}">{html.escape(n)}</a></li>' for n in sorted(names)
    )
    return f"<ul>{items}</ul>"


def _option_rows(table: pd.DataFrame) -> pd.DataFrame:
    kinds = table["row_type"] if "row_type" in table.columns else pd.Series("option", table.index)
    return table.loc[kinds == "option"]


def _valid_total(table: pd.DataFrame, count: str = "n") -> int | None:
    options = pd.to_numeric(_option_rows(table)[count], errors="coerce")
    if "row_type" in table.columns:
        valid = pd.to_numeric(table.loc[table["row_type"] == "valid", count], errors="coerce")
        if len(valid) and valid.notna().all():
            return int(valid.iloc[0])
    return int(options.sum()) if options.notna().all() else None


def group_sentence(table: pd.DataFrame, group: Mapping[str, Any], lang: str) -> str:
    """Say what share of participants gave any of a group of answers, in words and numbers.

    Parameters
    ----------
    table
        A frequency table with ``code`` and ``n``.
    group
        ``codes`` (list of answer codes) and ``sentence_<lang>``, a template with the fields
        ``{share_words}`` (e.g. "About half"), ``{count}``, ``{total}`` and ``{percent}``.
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        The sentence; ``""`` when a count of the group is withheld or missing.

    Raises
    ------
    ValueError
        If a code of the group is not in the table or the template is missing.
    """
    template = group.get(f"sentence_{narrative.check_lang(lang)}")
    codes = [str(c) for c in group.get("codes", [])]
    options = _option_rows(table)
    unknown = sorted(set(codes) - set(options["code"].astype(str)))
    if not template or not codes or unknown:
        raise ValueError(
            f"summary group: needs `codes` found in the table and "
            f"`sentence_{lang}`; unknown codes {unknown}"
        )
    counts = pd.to_numeric(
        options.loc[options["code"].astype(str).isin(codes), "n"], errors="coerce"
    )
    total = _valid_total(table)
    if counts.isna().any() or not total:
        return ""
    count = int(counts.sum())
    share = count / total
    return template.format(
        share_words=narrative.share_words(share, lang),
        count=narrative.format_number(count, lang, decimals=0),
        total=narrative.format_number(total, lang, decimals=0),
        percent=narrative.format_percent(share, lang),
    )


def answer_parts(table: pd.DataFrame, lang: str) -> list[str]:
    """Write every answer's share with its 95 % interval, one text per answer.

    Parameters
    ----------
    table
        A frequency table with ``row_type``, ``label_<lang>``, ``percent``, ``ci_low`` and
        ``ci_high`` (percent scale); withheld cells are quoted as their marker.
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    list of str
        E.g. ``“Current” 29.0% (95% CI 22.2–36.8%)``, in table order.
    """
    narrative.check_lang(lang)
    label = _first_column(table, [f"label_{lang}", "label", "code"], "frequency table")
    parts = []
    for _, row in _option_rows(table).iterrows():
        value = _number(row.get("percent"))
        if value is None:
            parts.append(f"{narrative.quoted(row[label])} {_marker(row.get('n')) or DASH}")
            continue
        text = f"{narrative.quoted(row[label])} {narrative.format_percent(value / 100, lang)}"
        low, high = _number(row.get("ci_low")), _number(row.get("ci_high"))
        if low is not None and high is not None:
            text += f" ({narrative.interval_text(low / 100, high / 100, lang)})"
        parts.append(text)
    return parts


def summary_list_html(
    *,
    rows_out: int | None,
    strategy: pd.DataFrame | None,
    tests: pd.DataFrame | None,
    alpha: float,
    lang: str,
    group: Mapping[str, Any] | None = None,
) -> str:
    """Show the key figures of the summary, from whichever results are available, as a list.

    The answers of the main table become a nested list, one answer per line.

    Parameters
    ----------
    rows_out
        Organisations in the clean data.
    strategy
        The main frequency table (see :func:`answer_parts`).
    tests
        The cross-tab tests table.
    alpha
        The significance level.
    lang
        ``"lv"`` or ``"en"``.
    group
        Optional ``summary`` mapping of ``exhibits.yaml``: ``codes`` (answer codes counted
        together) and ``sentence_<lang>`` (a template, see :func:`group_sentence`).

    Returns
    -------
    str
        An HTML ``<ul class="key-figures">`` (escaped).
    """
    narrative.check_lang(lang)
    items = []
    if rows_out is not None:
        items.append(html.escape(narrative.analysed_sentence(rows_out, lang)))
    if strategy is not None and group:
        items.append(html.escape(group_sentence(strategy, group, lang)))
    parts = answer_parts(strategy, lang) if strategy is not None else []
    if parts:
        lead = "Pa atbildēm:" if lang == "lv" else "By answer:"
        nested = "".join(f"<li>{html.escape(part)}</li>" for part in parts)
        items.append(f"{lead}<ul>{nested}</ul>")
    if tests is not None:
        items.append(html.escape(interpret_tests(tests, alpha=alpha, lang=lang)[0]))
    return (
        '<ul class="key-figures">' + "".join(f"<li>{item}</li>" for item in items if item) + "</ul>"
    )


CLAIM_VERDICTS = {
    # verdict: Latvian label, English (singular, plural) phrase
    "reproduced": ("atkārtojas", ("is reproduced", "are reproduced")),
    "consistent": ("saskan", ("is consistent", "are consistent")),
    "differs": ("atšķiras", ("differs", "differ")),
    "inconsistent": (
        "nesaskan ar norādīto bāzi",
        ("is inconsistent with its stated base", "are inconsistent with their stated base"),
    ),
    "see cross-tab tests": (
        "vērtēti ar šķērstabulu testiem",
        ("is judged by the cross-tab tests", "are judged by the cross-tab tests"),
    ),
    "cannot be checked": (
        "ar aptaujas datiem nav pārbaudāmi",
        ("cannot be checked with the survey", "cannot be checked with the survey"),
    ),
}


def claims_sentence(claims: pd.DataFrame, lang: str) -> str:
    """Count the verdicts of the published-figures check in one sentence.

    Parameters
    ----------
    claims
        ``claims.csv`` with a ``verdict`` column.
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        The sentence (verdicts in the order of :data:`CLAIM_VERDICTS`, others after them).

    Raises
    ------
    ValueError
        If the ``verdict`` column is missing.
    """
    narrative.check_lang(lang)
    if "verdict" not in claims.columns:
        raise ValueError(f"claims table: missing column `verdict`; found {list(claims.columns)}")
    counts = {str(k): int(v) for k, v in claims["verdict"].astype(str).value_counts().items()}
    order = [v for v in CLAIM_VERDICTS if v in counts] + sorted(set(counts) - set(CLAIM_VERDICTS))
    total = narrative.count_phrase(len(claims), "claim", lang)
    if lang == "lv":
        parts = [f"{CLAIM_VERDICTS.get(v, (v,))[0]} \u2013 {counts[v]}" for v in order]
        return f"Publicētā kopsavilkuma pārbaude ({total}): {', '.join(parts)}."
    parts = []
    for verdict in order:
        phrases = CLAIM_VERDICTS.get(verdict, ("", (verdict, verdict)))[1]
        parts.append(f"{counts[verdict]} {phrases[0] if counts[verdict] == 1 else phrases[1]}")
    listed = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    return f"Of {total} from the published summary, {listed}."


def directional_sentence(directional: pd.DataFrame, lang: str, *, synthetic: bool) -> str:
    """Say how many published statements about associations the tests support.

    Parameters
    ----------
    directional
        ``claims_directional.csv`` with a ``verdict`` column (``supported`` / ...).
    lang
        ``"lv"`` or ``"en"``.
    synthetic
        Whether to add that the relations were put into the synthetic data by assumption.

    Returns
    -------
    str
        The sentence, or ``""`` for an empty table.
    """
    narrative.check_lang(lang)
    if "verdict" not in directional.columns:
        raise ValueError(
            f"directional claims table: missing column `verdict`; found {list(directional.columns)}"
        )
    if directional.empty:
        return ""
    supported = int((directional["verdict"].astype(str) == "supported").sum())
    if lang == "lv":
        text = (
            f"Šķērstabulu testi apstiprina {supported} no {len(directional)} publicētajiem "
            "apgalvojumiem par sakarībām"
        )
        caveat = " (sintētiskajos datos šīs sakarības ieliktas pieņēmuma veidā)"
    else:
        text = (
            f"The cross-tab tests support {supported} of the {len(directional)} published "
            "statements about associations"
        )
        caveat = " (in the synthetic data these relations were put in by assumption)"
    return text + (caveat if synthetic else "") + "."


def base_sentence(grim: pd.DataFrame, rows_in: int | None, lang: str) -> str:
    """Explain the base of the printed shares from the GRIM table.

    Parameters
    ----------
    grim
        ``claims_grim.csv``: ``claim_id, base, stated_base, consistent``.
    rows_in
        Rows of the raw export (submissions before cleaning), or None.
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        A sentence when some printed share is impossible with its stated base, else ``""``.

    Raises
    ------
    ValueError
        If a column is missing.
    """
    narrative.check_lang(lang)
    missing = [
        c for c in ("claim_id", "base", "stated_base", "consistent") if c not in grim.columns
    ]
    if missing:
        raise ValueError(f"GRIM table: missing columns {missing}; found {list(grim.columns)}")
    stated = grim.loc[grim["stated_base"].astype(str) == "True"]
    impossible = int((stated["consistent"].astype(str) != "True").sum())
    if stated.empty or impossible == 0:
        return ""
    base = int(stated["base"].iloc[0])
    raw = grim.loc[(grim["base"] == rows_in) & (grim["stated_base"].astype(str) != "True")]
    raw_fits = (
        rows_in is not None
        and len(raw) == len(stated)
        and bool((raw["consistent"].astype(str) == "True").all())
    )
    if lang == "lv":
        text = (
            f"Ar norādīto bāzi {base} nevar iegūt {impossible} no {len(stated)} publicētajām "
            "procentu vērtībām"
        )
        fits = (
            f", bet visas atbilst bāzei {rows_in} \u2013 neapstrādāto iesniegumu skaitam "
            "pirms dublikātu izslēgšanas"
        )
    else:
        text = (
            f"{impossible} of the {len(stated)} printed shares cannot come from whole counts "
            f"out of the stated base of {base}"
        )
        fits = (
            f"; all of them fit {rows_in}, the number of raw submissions before duplicates "
            "were removed"
        )
    return text + (fits if raw_fits else "") + "."


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


def cleaning_html(
    summary: Mapping[str, Any], lang: str, *, reasons: Mapping[str, Any] | None = None
) -> str:
    """Describe the cleaning: rows in, rows out and exclusions by reason.

    Parameters
    ----------
    summary
        The cleaning summary with ``rows_in``, ``rows_out`` and ``exclusions`` (a mapping of
        reason to row count, or a list of ``{reason, rows}`` records).
    lang
        ``"lv"`` or ``"en"``.
    reasons
        Reason code to ``{lv, en}`` label (``exclusion_reasons`` of the exhibit file); a
        reason without a label is shown as its code.

    Returns
    -------
    str
        A paragraph and, when rows were excluded, a table of reasons.

    Raises
    ------
    ValueError
        If ``rows_in`` or ``rows_out`` is missing.
    """
    missing = [key for key in ("rows_in", "rows_out") if key not in summary]
    if missing:
        raise ValueError(f"cleaning summary: missing keys {missing}; found {sorted(summary)}")
    words = WORDS[narrative.check_lang(lang)]
    text = paragraph_html(
        narrative.cleaning_sentence(int(summary["rows_in"]), int(summary["rows_out"]), lang)
    )
    exclusions = summary.get("exclusions") or {}
    if isinstance(exclusions, Mapping):
        exclusions = [{"reason": k, "rows": v} for k, v in sorted(exclusions.items())]
    if not exclusions:
        return text
    table = pd.DataFrame(exclusions)
    table["reason"] = [reason_label(r, lang, reasons) for r in table["reason"]]
    table = table.rename(columns={"reason": words["reason"], "rows": words["rows"]})
    caption = f"<figcaption>{words['exclusions']}</figcaption>"
    return text + table_html(table, lang, caption=caption)


def reason_label(reason: Any, lang: str, reasons: Mapping[str, Any] | None) -> str:
    """Return the reader's label of an exclusion reason code, or the code itself.

    Parameters
    ----------
    reason
        A reason code such as ``duplicate_submission``.
    lang
        ``"lv"`` or ``"en"``.
    reasons
        Reason code to ``{lv, en}`` labels.

    Returns
    -------
    str
        The label, or the code when none is given.
    """
    entry = (reasons or {}).get(str(reason))
    label = entry.get(narrative.check_lang(lang)) if isinstance(entry, Mapping) else None
    return str(label) if label else str(reason)


def provenance_html(
    *,
    git: Mapping[str, Any],
    hashes: pd.DataFrame,
    packages: pd.DataFrame,
    parameters: pd.DataFrame,
    exhibit_index: pd.DataFrame,
    notebooks: Sequence[str],
    lang: str,
) -> str:
    """Lay out the provenance appendix.

    Parameters
    ----------
    git
        ``commit`` and ``dirty`` from :func:`ruralplan.report.io.git_state`.
    hashes, packages, parameters, exhibit_index
        Tables from :mod:`ruralplan.pipeline.provenance`.
    notebooks
        Executed notebook file names, linked from the report.
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        HTML.
    """
    words = WORDS[narrative.check_lang(lang)]
    if git.get("commit"):
        state = words["dirty"] if git.get("dirty") else words["clean"]
        commit = f"<code>{html.escape(str(git['commit']))}</code> ({state})"
    else:
        commit = words["no_git"]
    parts = [
        f"<p>{words['commit']}: {commit}</p>",
        f"<h3>{words['notebooks']}</h3>",
        notebook_links_html(notebooks),
    ]
    for key, table in (
        ("exhibit_index", exhibit_index),
        ("parameters", parameters),
        ("hashes", hashes),
        ("packages", packages),
    ):
        parts.append(f"<h3>{words[key]}</h3>" + table_html(table, lang))
    return "".join(parts)


# ---- reader's versions of the pipeline's tables ---------------------------------------------

SUMMARY_ROW_TYPES = ("valid", "no_answer", "not_asked", "respondents")
FREQUENCY_COLUMNS = {"row_type", "n", "percent", "ci_low", "ci_high"}
# The columns each readers' table shows, in order. Their headers are wording, kept in
# data/report/table_headers.yaml and checked against these keys (check_table_headers).
TABLE_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "frequency": ("answer", "n", "percent", "ci", "mentions"),
    "reliability": ("code", "n_rule", "n_gold", "kappa", "alpha", "verdict"),
    "tests": ("outcome", "predictor", "test", "p", "effect", "n"),
}
FREQUENCY_NOTES = {
    "lv": {
        "note_method": (
            "Procenti no derīgajām atbildēm; 95 % ticamības intervāls pēc Vilsona "
            "metodes bez nepārtrauktības korekcijas."
        ),
        "note_multiple": (
            "Varēja atzīmēt vairākas atbildes: % ir no respondentiem, kas "
            "atzīmēja vismaz vienu atbildi; % no atzīmēm ir no visām atzīmēm."
        ),
        "note_primary": (
            "{marker}: skaits no 1 līdz {top}, kas datu aizsardzības nolūkā nav "
            "parādīts (statistiskās atklāšanas kontrole)."
        ),
        "note_secondary": (
            "x: skaits nav parādīts, lai mazo skaitu nevarētu aprēķināt no kopsummas."
        ),
    },
    "en": {
        "note_method": (
            "Percentages of valid answers; 95% confidence intervals by the Wilson "
            "score method without continuity correction."
        ),
        "note_multiple": (
            "Several answers possible: % is of respondents who ticked at least "
            "one answer; % of mentions is of all ticks."
        ),
        "note_primary": (
            "{marker}: a count from 1 to {top}, withheld for disclosure control "
            "(so that no small group can be recognised)."
        ),
        "note_secondary": (
            "x: a count withheld so that the small counts cannot be worked out from the total."
        ),
    },
}


def check_table_headers(
    document: Any, *, source: str = "table_headers.yaml"
) -> dict[str, dict[str, dict[str, str]]]:
    """Validate the column headers of the readers' tables and arrange them by language.

    Parameters
    ----------
    document
        The parsed header file: for every table of :data:`TABLE_COLUMNS`, each language
        mapped to ``{column: header}`` with exactly that table's columns.
    source
        The file name, for messages.

    Returns
    -------
    dict
        ``{lang: {table: {column: header}}}``.

    Raises
    ------
    ValueError
        Naming the file and every table, language or column that is missing, unknown or
        without text; all problems at once.

    Examples
    --------
    >>> check_table_headers({"frequency": {}}, source="h.yaml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ValueError: h.yaml: `frequency.lv` must map the columns ['answer', ...
    """
    if not isinstance(document, Mapping):
        raise ValueError(
            f"{source}: expected a mapping of table to headers, found {type(document).__name__}"
        )
    unknown = sorted(map(str, set(document) - set(TABLE_COLUMNS)))
    problems = [f"unknown tables {unknown}; expected {list(TABLE_COLUMNS)}"] if unknown else []
    for table, columns in TABLE_COLUMNS.items():
        problems += _table_header_problems(document.get(table), table, columns)
    if problems:
        raise ValueError(f"{source}: " + "; ".join(problems))
    return {
        lang: {
            table: {column: str(document[table][lang][column]) for column in columns}
            for table, columns in TABLE_COLUMNS.items()
        }
        for lang in narrative.LANGS
    }


def _table_header_problems(by_lang: Any, table: str, columns: Sequence[str]) -> list[str]:
    if not isinstance(by_lang, Mapping):
        return [f"`{table}` must map {list(narrative.LANGS)} to headers, but {by_lang!r} was given"]
    unknown = sorted(map(str, set(by_lang) - set(narrative.LANGS)))
    problems = [f"`{table}` has unknown languages {unknown}"] if unknown else []
    for lang in narrative.LANGS:
        where, headers = f"`{table}.{lang}`", by_lang.get(lang)
        if not isinstance(headers, Mapping):
            problems.append(
                f"{where} must map the columns {list(columns)} to headers, "
                f"but {headers!r} was given"
            )
            continue
        missing = [c for c in columns if c not in headers]
        extra = sorted(map(str, set(headers) - set(columns)))
        blank = [c for c in columns if c in headers and not str(headers[c] or "").strip()]
        problems += [
            f"{where} {what} {names}"
            for what, names in (
                ("is missing the columns", missing),
                ("has unknown columns", extra),
                ("has no text for the columns", blank),
            )
            if names
        ]
    return problems


def is_frequency_table(table: pd.DataFrame) -> bool:
    """Tell whether a table is a public frequency table of notebook 02.

    Parameters
    ----------
    table
        A table read from ``reports/tables``.

    Returns
    -------
    bool
        True when it has the frequency-table columns (``row_type``, ``n``, ``percent``,
        ``ci_low``, ``ci_high``).
    """
    return set(table.columns) >= FREQUENCY_COLUMNS


def _number(value: Any) -> float | None:
    """Return ``value`` as a float, or None when it is empty or a suppression marker."""
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return None if pd.isna(number) else float(number)


def _marker(value: Any) -> str | None:
    """Return a suppression marker (``<5``, ``x``) found in a cell, else None."""
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    text = text.strip()
    return text if text and _number(text) is None else None


def _shown(value: Any, lang: str, decimals: int) -> str:
    """Format a number for ``lang`` or pass a marker through; empty cells stay empty."""
    marker = _marker(value)
    if marker is not None:
        return marker
    number = _number(value)
    return "" if number is None else narrative.format_number(number, lang, decimals=decimals)


def _interval(low: Any, high: Any, lang: str) -> str:
    """Write a percentage interval ``22,2–36,8`` or pass a marker through."""
    marker = _marker(low) or _marker(high)
    if marker is not None:
        return marker
    low_value, high_value = _number(low), _number(high)
    if low_value is None or high_value is None:
        return ""
    return (
        f"{narrative.format_number(low_value, lang, decimals=1)}\u2013"
        f"{narrative.format_number(high_value, lang, decimals=1)}"
    )


def frequency_display(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Turn a public frequency table into the rows a reader sees.

    Parameters
    ----------
    table
        A table with ``row_type``, ``label_<lang>``, ``n``, ``percent``, ``ci_low``,
        ``ci_high`` and optionally ``percent_mentions`` (as written by notebook 02;
        withheld cells hold markers such as ``<5`` or ``x``).
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    pandas.DataFrame
        Text columns ``answer``, ``n``, ``percent``, ``ci`` (and ``mentions`` for
        multiple-choice questions), plus ``summary`` (True for the valid / no answer /
        not asked / all participants rows). Summary rows show only their count (the valid
        row also its 100 %).

    Raises
    ------
    ValueError
        If a column is missing.
    """
    narrative.check_lang(lang)
    label = _first_column(table, [f"label_{lang}", "label", "code"], "frequency table")
    missing = sorted(FREQUENCY_COLUMNS - set(table.columns))
    if missing:
        raise ValueError(f"frequency table: missing columns {missing}; found {list(table.columns)}")
    summary = table["row_type"].isin(SUMMARY_ROW_TYPES).to_numpy()
    shown = pd.DataFrame(
        {
            "answer": table[label].fillna("").astype(str).to_numpy(),
            "n": [_shown(v, lang, 0) for v in table["n"]],
            "percent": [_shown(v, lang, 1) for v in table["percent"]],
            "ci": [
                _interval(lo, hi, lang)
                for lo, hi in zip(table["ci_low"], table["ci_high"], strict=True)
            ],
        }
    )
    mentions = table["percent_mentions"] if "percent_mentions" in table.columns else None
    if mentions is not None and mentions.notna().any():
        shown["mentions"] = [_shown(v, lang, 1) for v in mentions]
        shown.loc[summary, "mentions"] = ""
    shown["summary"] = summary
    return shown


def frequency_notes(table: pd.DataFrame, lang: str) -> list[str]:
    """Write the footnotes of a frequency table: method, several answers, suppression.

    Parameters
    ----------
    table
        The public frequency table (as for :func:`frequency_display`).
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    list of str
        Notes in order; the suppression notes only when the table has withheld cells.
    """
    words = FREQUENCY_NOTES[narrative.check_lang(lang)]
    notes = [_nbsp_percent(words["note_method"])]
    if "percent_mentions" in table.columns and table["percent_mentions"].notna().any():
        notes.append(words["note_multiple"])
    markers = sorted({m for m in map(_marker, table["n"]) if m is not None})
    for marker in markers:
        if marker == "x":
            notes.append(words["note_secondary"])
        else:
            limit = _number(marker.lstrip("<"))
            top = int(limit) - 1 if limit is not None else marker
            notes.append(words["note_primary"].format(marker=marker, top=top))
    return notes


def _rows_html(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    classes: Sequence[str] | None = None,
    numeric_from: int = 1,
) -> str:
    """Write an escaped HTML table; columns from ``numeric_from`` on are right-aligned."""

    def align(index: int) -> str:
        return ' class="num"' if index >= numeric_from else ""

    head = "".join(
        f"<th{align(i)}>{html.escape(_nbsp_percent(h))}</th>" for i, h in enumerate(header)
    )
    body = []
    for row, css in zip(rows, classes or [""] * len(rows), strict=True):
        cells = "".join(f"<td{align(i)}>{html.escape(str(v))}</td>" for i, v in enumerate(row))
        body.append(f'<tr class="{css}">{cells}</tr>' if css else f"<tr>{cells}</tr>")
    return (
        f'<table class="data-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _display_html(
    shown: pd.DataFrame,
    columns: Sequence[str],
    headers: Mapping[str, str],
    *,
    numeric_from: int = 1,
) -> str:
    """Write a readers' table: ``columns`` of ``shown`` under their headers.

    A boolean ``summary`` column, when there is one, marks the summary rows; the first of
    each run of them gets the rule above it (``summary-first``).
    """
    flags = shown["summary"].tolist() if "summary" in shown.columns else [False] * len(shown)
    classes = [
        ""
        if not flag
        else "summary-row summary-first"
        if index == 0 or not flags[index - 1]
        else "summary-row"
        for index, flag in enumerate(flags)
    ]
    rows = shown[list(columns)].to_numpy().tolist()
    return _rows_html([headers[c] for c in columns], rows, classes, numeric_from)


def _nbsp_percent(text: str) -> str:
    """Keep "95 %" on one line: Latvian writes a space before the percent sign."""
    return text.replace("95 %", f"95{narrative.NBSP}%")


def notes_html(notes: Sequence[str]) -> str:
    """Return table footnotes as an escaped list.

    Parameters
    ----------
    notes
        Plain-text notes.

    Returns
    -------
    str
        An HTML ``<ul class="table-notes">`` or ``""`` without notes.
    """
    if not notes:
        return ""
    return (
        '<ul class="table-notes">' + "".join(f"<li>{html.escape(n)}</li>" for n in notes) + "</ul>"
    )


def frequency_table_html(
    table: pd.DataFrame, lang: str, *, headers: Mapping[str, str], caption: str = ""
) -> str:
    """Render a frequency table for readers: label, n, %, 95 % interval, notes.

    Parameters
    ----------
    table
        The public frequency table (see :func:`frequency_display`).
    lang
        ``"lv"`` or ``"en"``.
    headers
        Column to header in ``lang`` (``frequency`` of :func:`check_table_headers`).
    caption
        A ready ``<figcaption>`` or ``""``.

    Returns
    -------
    str
        A ``<figure class="exhibit">``; summary rows carry the class ``summary-row`` (the
        first of them also ``summary-first``, drawn with a rule above it).
    """
    shown = frequency_display(table, lang)
    columns = [c for c in TABLE_COLUMNS["frequency"] if c in shown.columns]
    body = _display_html(shown, columns, headers)
    return _table_figure(body, caption=caption, notes=frequency_notes(table, lang))


# ---- interview reliability -----------------------------------------------------------------

RELIABILITY_NEEDED = ("code", "n_rule", "n_gold", "kappa", "alpha")
POOLED_CODE = "(all codes)"
HEADLINE_SETS = ("held_out", "all", "development")
VERDICT_ORDER = ("not computable", "below threshold", "tentative", "reliable")
VERDICT_WORDS = {
    "lv": {
        "reliable": "uzticama",
        "tentative": "provizoriska",
        "below threshold": "zem sliekšņa",
        "not computable": "nav aprēķināma",
    },
    "en": {
        "reliable": "reliable",
        "tentative": "tentative",
        "below threshold": "below threshold",
        "not computable": "not computable",
    },
}
RELIABILITY_WORDS = {
    "lv": {
        "pooled": "Visi kodi kopā",
        "sets": {
            "held_out": "atliktajās (izstrādē neizmantotajās) intervijās",
            "development": "izstrādē izmantotajās intervijās",
            "all": "visās cilvēka kodētajās intervijās",
        },
        "note": (
            "n (noteikumi): fragmenti, kam kodu piešķīra noteikumi; n (cilvēks): "
            "fragmenti, kam kodu piešķīra cilvēks. Sliekšņi: uzticama no {reliable}, "
            "provizoriska no {tentative} (Krippendorff 2004)."
        ),
    },
    "en": {
        "pooled": "All codes pooled",
        "sets": {
            "held_out": "on the held-out interviews (not used to write the rules)",
            "development": "on the interviews used to write the rules",
            "all": "on all human-coded interviews",
        },
        "note": (
            "n (rules): segments the rules coded; n (human): segments the human "
            "coder coded. Thresholds: reliable from {reliable}, tentative from "
            "{tentative} (Krippendorff 2004)."
        ),
    },
}


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


def _check_reliability(table: pd.DataFrame) -> None:
    missing = [c for c in RELIABILITY_NEEDED if c not in table.columns]
    if missing:
        raise ValueError(
            f"interview reliability table: missing columns {missing}; found {list(table.columns)}"
        )


def headline_set(table: pd.DataFrame) -> str | None:
    """Return which coding set the headline figure comes from.

    Parameters
    ----------
    table
        The reliability table, with or without a ``set`` column.

    Returns
    -------
    str or None
        ``held_out`` when present (figures on interviews not used to write the rules are
        the honest ones), else ``all``, else ``development``; None without a ``set`` column.
    """
    if "set" not in table.columns:
        return None
    present = set(table["set"].astype(str))
    return next((name for name in HEADLINE_SETS if name in present), None)


def _headline_rows(table: pd.DataFrame) -> pd.DataFrame:
    chosen = headline_set(table)
    return table if chosen is None else table.loc[table["set"].astype(str) == chosen]


def _worse_verdict(row: Mapping[str, Any]) -> str:
    found = [
        str(row[c])
        for c in ("kappa_verdict", "alpha_verdict")
        if c in row and str(row[c]) in VERDICT_ORDER
    ]
    return min(found, key=VERDICT_ORDER.index) if found else ""


def reliability_display(
    table: pd.DataFrame, lang: str, names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Return the compact reliability table a reader sees (headline set only).

    Parameters
    ----------
    table
        ``interview_reliability.csv``: ``code, n_rule, n_gold, kappa, alpha`` and the
        verdict columns; with a ``set`` column only the headline set is shown.
    lang
        ``"lv"`` or ``"en"``.
    names
        Code id to display name (:func:`code_names`); ids are shown otherwise.

    Returns
    -------
    pandas.DataFrame
        Columns ``code, n_rule, n_gold, kappa, alpha, verdict`` (text) and ``summary``
        (True for the pooled row).

    Raises
    ------
    ValueError
        If a column is missing.
    """
    _check_reliability(table)
    words = RELIABILITY_WORDS[narrative.check_lang(lang)]
    rows = _headline_rows(table)
    names = {**(names or {}), POOLED_CODE: words["pooled"]}
    return pd.DataFrame(
        {
            "code": [names.get(str(c), str(c)) for c in rows["code"]],
            "n_rule": [_shown(v, lang, 0) for v in rows["n_rule"]],
            "n_gold": [_shown(v, lang, 0) for v in rows["n_gold"]],
            "kappa": [_shown(v, lang, 2) for v in rows["kappa"]],
            "alpha": [_shown(v, lang, 2) for v in rows["alpha"]],
            "verdict": [
                VERDICT_WORDS[lang].get(_worse_verdict(r), _worse_verdict(r))
                for _, r in rows.iterrows()
            ],
            "summary": (rows["code"].astype(str) == POOLED_CODE).to_numpy(),
        }
    )


def reliability_sentence(table: pd.DataFrame, lang: str) -> str:
    """State the pooled agreement of the interview coding in one sentence.

    Parameters
    ----------
    table
        ``interview_reliability.csv`` (see :func:`reliability_display`).
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        The sentence, or ``""`` when the table has no pooled row.
    """
    _check_reliability(table)
    from ruralplan.interviews.reliability import RELIABLE, TENTATIVE

    words = RELIABILITY_WORDS[narrative.check_lang(lang)]
    chosen = headline_set(table)
    rows = _headline_rows(table)
    pooled = rows.loc[rows["code"].astype(str) == POOLED_CODE]
    if pooled.empty:
        return ""
    row = pooled.iloc[0]
    kappa, alpha = _shown(row["kappa"], lang, 2), _shown(row["alpha"], lang, 2)
    verdict = VERDICT_WORDS[lang].get(_worse_verdict(row), _worse_verdict(row))
    where = f" {words['sets'][chosen]}" if chosen else ""
    reliable = narrative.format_number(RELIABLE, lang, decimals=3)
    tentative = narrative.format_number(TENTATIVE, lang, decimals=3)
    if lang == "lv":
        return (
            f"Visiem kodiem kopā noteikumu kodējuma saskaņa ar cilvēka kodējumu{where} ir "
            f"Koena κ = {kappa} un Krippendorfa α = {alpha}: {verdict} (uzticama no "
            f"{reliable}, provizoriska no {tentative})."
        )
    return (
        f"Pooled over all codes, the rule coding agrees with the human coding{where} with "
        f"Cohen's κ = {kappa} and Krippendorff's α = {alpha}: {verdict} (reliable from "
        f"{reliable}, tentative from {tentative})."
    )


def reliability_html(
    table: pd.DataFrame,
    lang: str,
    *,
    headers: Mapping[str, str],
    names: Mapping[str, str] | None = None,
    caption: str = "",
) -> str:
    """Render the compact reliability table with its headline sentence and note.

    Parameters
    ----------
    table
        ``interview_reliability.csv``.
    lang
        ``"lv"`` or ``"en"``.
    headers
        Column to header in ``lang`` (``reliability`` of :func:`check_table_headers`).
    names
        Code id to display name.
    caption
        A ready ``<figcaption>`` or ``""``.

    Returns
    -------
    str
        A ``<figure class="exhibit">``.
    """
    from ruralplan.interviews.reliability import RELIABLE, TENTATIVE

    words = RELIABILITY_WORDS[narrative.check_lang(lang)]
    shown = reliability_display(table, lang, names)
    body = _display_html(shown, TABLE_COLUMNS["reliability"], headers)
    note = words["note"].format(
        reliable=narrative.format_number(RELIABLE, lang, decimals=3),
        tentative=narrative.format_number(TENTATIVE, lang, decimals=3),
    )
    lead = paragraph_html(reliability_sentence(table, lang))
    return _table_figure(body, caption=caption, lead=lead, notes=[note])


# ---- "as of" date -------------------------------------------------------------------------

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


# ---- cross-tab tests ----------------------------------------------------------------------

TEST_COLUMNS_NEEDED = {
    "outcome",
    "predictor",
    "test",
    "p_adjusted",
    "effect_measure",
    "effect_size",
    "ci_low",
    "ci_high",
    "n",
}
TEST_NAMES = {
    "pearson_chi2": ("Pīrsona χ²", "Pearson χ²"),
    "fisher_exact": ("Fišera precīzais tests", "Fisher's exact test"),
    "fisher_monte_carlo": (
        "Fišera precīzais tests (Monte Karlo)",
        "Fisher's exact test (Monte Carlo)",
    ),
    "linear_by_linear": ("lineārās tendences tests", "linear-by-linear trend test"),
    "none": ("nav pārbaudīts", "not tested"),
}


def tests_display(
    tests: pd.DataFrame, lang: str, names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Return the cross-tab tests as a reader sees them: names, test, adjusted p, effect.

    Parameters
    ----------
    tests
        ``crosstab_tests.csv``.
    lang
        ``"lv"`` or ``"en"``.
    names
        Variable id to display name; ids are shown otherwise.

    Returns
    -------
    pandas.DataFrame
        Text columns ``outcome, predictor, test, p, effect, n``.

    Raises
    ------
    ValueError
        If a column is missing.
    """
    from ruralplan.analysis import crosstab

    column = 0 if narrative.check_lang(lang) == "lv" else 1
    missing = sorted(TEST_COLUMNS_NEEDED - set(tests.columns))
    if missing:
        raise ValueError(f"cross-tab tests: missing columns {missing}; found {list(tests.columns)}")
    names = names or {}
    rows = []
    for _, row in tests.iterrows():
        measure = crosstab.effect_measure_name(str(row["effect_measure"]), lang)
        effect = (
            f"{measure} {narrative.format_number(row['effect_size'], lang, decimals=2)} "
            f"({narrative.format_number(row['ci_low'], lang, decimals=2)}{DASH}"
            f"{narrative.format_number(row['ci_high'], lang, decimals=2)})"
        )
        p_value = _number(row["p_adjusted"])
        rows.append(
            {
                "outcome": names.get(str(row["outcome"]), str(row["outcome"])),
                "predictor": names.get(str(row["predictor"]), str(row["predictor"])),
                "test": TEST_NAMES.get(str(row["test"]), (row["test"],) * 2)[column],
                "p": "" if p_value is None else narrative.format_p_value(p_value, lang),
                "effect": effect if _number(row["effect_size"]) is not None else "",
                "n": _shown(row["n"], lang, 0),
            }
        )
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS["tests"]))


def tests_html(
    tests: pd.DataFrame,
    lang: str,
    *,
    headers: Mapping[str, str],
    names: Mapping[str, str] | None = None,
    caption: str = "",
) -> str:
    """Render the compact cross-tab tests table.

    Parameters
    ----------
    tests
        ``crosstab_tests.csv``.
    lang
        ``"lv"`` or ``"en"``.
    headers
        Column to header in ``lang`` (``tests`` of :func:`check_table_headers`).
    names
        Variable id to display name.
    caption
        A ready ``<figcaption>`` or ``""``.

    Returns
    -------
    str
        A ``<figure class="exhibit">``.
    """
    shown = tests_display(tests, lang, names)
    body = _display_html(shown, TABLE_COLUMNS["tests"], headers, numeric_from=3)
    return _table_figure(body, caption=caption)


# ---- logistic regression --------------------------------------------------------------------

LOGIT_COLUMNS_NEEDED = {"term", "odds_ratio", "ci_low", "ci_high", "p_value"}


def is_logit_table(table: pd.DataFrame) -> bool:
    """Tell whether a table is a logistic regression's coefficients (``term``, odds ratios).

    Parameters
    ----------
    table
        Any exhibit table.

    Returns
    -------
    bool
        True when it has the columns of :data:`LOGIT_COLUMNS_NEEDED`.
    """
    return set(table.columns) >= LOGIT_COLUMNS_NEEDED


def logit_html(
    table: pd.DataFrame,
    lang: str,
    *,
    terms: Mapping[str, str] | None = None,
    wording: Mapping[str, Any] | None = None,
    notes: Sequence[str] = (),
    caption: str = "",
) -> str:
    """Render a logistic regression as labelled terms, odds ratios with intervals and p.

    Parameters
    ----------
    table
        ``term``, ``odds_ratio``, ``ci_low``, ``ci_high``, ``p_value`` (notebook 04).
    lang
        ``"lv"`` or ``"en"``.
    terms
        Term to reader's label (:func:`~ruralplan.analysis.regression.term_labels`);
        raw names otherwise.
    wording
        ``regression`` of the variable labels file: ``header`` (``term``, ``odds_ratio``,
        ``p`` per language) and ``reading`` (how to read an odds ratio).
    notes
        Plain-language cautions (the model's warnings), shown under the table.
    caption
        A ready ``<figcaption>`` or ``""``.

    Returns
    -------
    str
        A ``<figure class="exhibit">``.
    """
    narrative.check_lang(lang)
    wording = wording or {}
    header = (wording.get("header") or {}).get(lang) or {}
    terms = terms or {}
    rows = []
    for _, row in table.iterrows():
        interval = (
            f"{narrative.format_number(row['odds_ratio'], lang, decimals=2)} "
            f"({narrative.format_number(row['ci_low'], lang, decimals=2)}{DASH}"
            f"{narrative.format_number(row['ci_high'], lang, decimals=2)})"
        )
        p_value = _number(row["p_value"])
        rows.append(
            [
                terms.get(str(row["term"]), str(row["term"])),
                interval,
                "" if p_value is None else narrative.format_p_value(p_value, lang),
            ]
        )
    body = _rows_html([str(header.get(k, k)) for k in ("term", "odds_ratio", "p")], rows)
    reading = (wording.get("reading") or {}).get(lang)
    return _table_figure(body, caption=caption, notes=[*notes, *([reading] if reading else [])])


def caution_notes(table: pd.DataFrame | None, lang: str, *, lead: str = "") -> list[str]:
    """Turn a warnings table into plain-language notes.

    Parameters
    ----------
    table
        A table with a ``message_<lang>`` column (e.g. ``logit_strategy_warnings.csv``), or
        ``None``.
    lang
        ``"lv"`` or ``"en"``.
    lead
        Words put before every message, e.g. ``"Read with caution:"``.

    Returns
    -------
    list of str
        One note per warning; none when the table is empty or ``None``.

    Raises
    ------
    ValueError
        If the table has no ``message_<lang>`` column.
    """
    if table is None or table.empty:
        return []
    column = f"message_{narrative.check_lang(lang)}"
    if column not in table.columns:
        raise ValueError(
            f"warnings table: expected a `{column}` column, found {list(table.columns)}"
        )
    return [f"{lead} {message}".strip() for message in table[column].dropna().astype(str)]
