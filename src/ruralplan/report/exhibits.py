"""The report's exhibits: one numbered table or figure with the caption naming its maker.

:func:`exhibit_html` picks how an exhibit file is shown (figure, code matrix, quotes, or one
of the readers' tables) and captions it with the notebook cell that wrote it. The layout is in
the templates ``caption``, ``figure``, ``matrix`` and ``quotes`` of ``templates/fragments/``.
Everything a respondent or interviewee wrote is escaped, so free text is shown as text, never
as HTML.
"""

from __future__ import annotations

import base64
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from babel import Locale

from ruralplan import narrative
from ruralplan.i18n import translator
from ruralplan.report.anchors import audit_href
from ruralplan.report.frequency import frequency_table_html, is_frequency_table
from ruralplan.report.inference import TEST_COLUMNS_NEEDED, is_logit_table, logit_html, tests_html
from ruralplan.report.reliability import reliability_html
from ruralplan.report.render import html, render
from ruralplan.report.tables import first_column, table_html

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

MATRIX_QUOTE_CHARS = 160


def exhibit_html(
    entry: Mapping[str, Any],
    data: Any,
    producer: tuple[str, int] | None,
    lang: str,
    *,
    names: Mapping[str, str] | None = None,
    notes: Sequence[str] = (),
    logit: Mapping[str, Any] | None = None,
    chart: Mapping[str, Any] | None = None,
    quote_lang: str = "",
) -> str:
    """Render one numbered exhibit with its caption, or a note when its file is missing.

    Parameters
    ----------
    entry
        A numbered entry from :func:`.document.number_exhibits`; for the readers'
        frequency, reliability and tests tables also ``headers`` (table to column headers in
        ``lang``, from :func:`.tables.check_table_headers`), which
        :func:`ruralplan.report.io.load_report_inputs` adds.
    data
        A DataFrame for tables, ``(kind, bytes)`` for figures, ``None`` when missing.
    producer
        ``(notebook, execution count)`` of the cell that saved the file, or ``None``.
    lang
        ``"lv"`` or ``"en"``.
    names
        Interview code names (reliability, matrix, quotes; :func:`.document.code_names`),
        variable names (tests) or term labels (logistic regression).
    notes
        Cautions shown under a logistic regression table (:func:`.inference.caution_notes`).
    logit
        ``regression`` wording of the variable labels file (see :func:`.inference.logit_html`).
    chart
        A figure's own ``title``, ``alt`` text and ``numbers`` (:func:`.charts.chart_context`);
        the layout's title is used when omitted.
    quote_lang
        The language of quotes (the interview codebook's ``language``); quotes are marked
        with it, and a report in another language says they are in the original language.

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
    chart = chart or {}
    title = chart.get("title") or title
    caption = caption_html(entry["kind"], entry["number"], title, entry["file"], producer, lang)
    if entry["kind"] == "figure":
        figure = figure_html(data[0], data[1], alt=chart.get("alt") or title, caption=caption)
        if chart.get("numbers"):
            figure += render("chart_numbers.html.j2", lang, **chart["numbers"])
        return figure
    if entry.get("display") == "matrix":
        item = first_column(data, [f"name_{lang}", "name", f"item_{lang}", "item"], "matrix table")
        count = next((c for c in ("n_interviews", "n") if c in data.columns), None)
        quote = next((c for c in (f"quote_{lang}", "quote") if c in data.columns), None)
        # a translated quote column is in the report's language; the original is not
        original = quote_lang if quote == "quote" else ""
        body = matrix_html(
            data, item=item, count=count, quote=quote, names=names, quote_lang=original, lang=lang
        )
        return render("exhibit.html.j2", None, caption=html(caption), body=html(body))
    if entry.get("display") == "quotes":
        body = quotes_html(data, lang, names=names, codes=entry.get("codes"), quote_lang=quote_lang)
        return render("exhibit.html.j2", None, caption=html(caption), body=html(body))
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
        ``(notebook name, execution count)`` from
        :func:`ruralplan.pipeline.provenance.find_writer`, or ``None`` when not traced.
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        An HTML ``<figcaption>``.
    """
    return render(
        "caption.html.j2",
        narrative.check_lang(lang),
        kind=kind,
        number=number,
        title=title,
        file=file,
        producer=producer,
        href=audit_href(*producer) if producer else "",
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
    return render("missing.html.j2", narrative.check_lang(lang), file=file, made_by=made_by)


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
    return render(
        "figure.html.j2", None, mime=mime, encoded=encoded, alt=alt, caption=html(caption)
    )


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
    return render(
        "quotes.html.j2",
        None,
        quotes=[{"text": str(quote), "source": str(source)}],
        quote_lang="",
        original="",
    )


def quotes_html(
    table: pd.DataFrame,
    lang: str,
    *,
    names: Mapping[str, str] | None = None,
    codes: Sequence[str] | None = None,
    quote_lang: str = "",
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
    quote_lang
        The quotes' language: each quote carries it as ``lang``, and when it is not the
        report's, a note names it (Babel's name of the language in the report's language).

    Returns
    -------
    str
        HTML block quotes, or a note when no quote is left.

    Raises
    ------
    ValueError
        If no quote or source column is found, or ``codes`` is given without a ``code`` column.
    """
    quote = first_column(table, ["quote", f"quote_{lang}", "exemplar_quote"], "quotes table")
    source = first_column(table, ["interview_id", "interview", "source"], "quotes table")
    if codes:
        table = table.loc[in_families(table[first_column(table, ["code"], "quotes table")], codes)]
    theme = next(
        (
            c
            for c in (f"label_{lang}", f"name_{lang}", "name", "theme", "code")
            if c in table.columns
        ),
        None,
    )
    names = names or {}
    quotes = []
    for _, row in table.iterrows():
        label = names.get(str(row.get("code")), row[theme] if theme else None)
        cite = f"{label} \u2014 {row[source]}" if label is not None else str(row[source])
        quotes.append({"text": str(row[quote]), "source": cite})
    original = ""
    if quote_lang and quote_lang != lang and quotes:
        # Babel names the language in the report's language, e.g. "Latvian" / "latviešu".
        original = Locale.parse(quote_lang).get_display_name(translator(lang).locale) or ""
    return render(
        "quotes.html.j2",
        narrative.check_lang(lang),
        quotes=quotes,
        quote_lang=quote_lang,
        original=original,
    )


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


def matrix_html(
    table: pd.DataFrame,
    *,
    item: str = "item",
    count: str | None = None,
    quote: str | None = None,
    names: Mapping[str, str] | None = None,
    quote_lang: str = "",
    lang: str = "",
) -> str:
    """Lay out the cells of a code matrix (a SWOT analysis is one) as a grid of boxes.

    Cells come in the order of the table, which is the codebook's order; there may be any
    number of them.

    Parameters
    ----------
    table
        One row per item: ``quadrant`` (the cell's key), ``item`` (a label), and optionally
        ``cell`` (the cell's code id), ``quadrant_name`` and ``code`` (the item's code id).
    item
        The column of item labels.
    count
        Optional column of interview counts, shown in brackets after each item.
    quote
        Optional column of one exemplar quote per item, shortened to
        :data:`MATRIX_QUOTE_CHARS` characters at a word boundary and escaped.
    names
        Code id to name in the report's language: a cell's heading (by ``cell``) and an
        item's label (by ``code``); without a name, ``quadrant_name`` and ``item`` are shown.
    quote_lang
        Language of the quotes (e.g. the interviews'), marked on each quote; empty when unknown.
    lang
        The report's language: when it differs from ``quote_lang``, a note says the quotes are
        given in the original language.

    Returns
    -------
    str
        An HTML ``<div class="matrix">`` with one ``<section>`` per cell.

    Raises
    ------
    ValueError
        If the ``quadrant`` or item column is missing.
    """
    missing = [c for c in ("quadrant", item) if c not in table.columns]
    if missing:
        raise ValueError(f"matrix table: missing columns {missing}; found {list(table.columns)}")
    names = names or {}
    cells = []
    for key, rows in table.groupby("quadrant", sort=False):
        first = rows.iloc[0]
        fallback = first["quadrant_name"] if "quadrant_name" in rows.columns else key
        cells.append(
            {
                "heading": names.get(str(first.get("cell")), str(fallback)),
                "items": [
                    _matrix_item(row, item=item, count=count, quote=quote, names=names)
                    for _, row in rows.iterrows()
                ],
            }
        )
    original = ""
    if quote_lang and lang and quote_lang != lang and quote is not None:
        original = Locale.parse(quote_lang).get_display_name(translator(lang).locale) or ""
    return render(
        "matrix.html.j2", lang or None, cells=cells, quote_lang=quote_lang, original=original
    )


def _matrix_item(
    row: pd.Series, *, item: str, count: str | None, quote: str | None, names: Mapping[str, str]
) -> dict[str, str | None]:
    """One item of a matrix cell: its name, count and a shortened quote (plain text)."""
    said = "" if quote is None or pd.isna(row[quote]) else str(row[quote]).strip()
    return {
        "name": names.get(str(row.get("code")), str(row[item])),
        "count": str(row[count]) if count else None,
        "quote": textwrap.shorten(said, width=MATRIX_QUOTE_CHARS, placeholder=" \u2026")
        if said
        else "",
    }
