"""Readers' tables: their columns and headers, how a cell is written, the table HTML.

Public tables hold numbers as text beside suppression markers (``<5``, ``x``); a cell is shown
as a number written the way ``lang`` writes it, or as its marker, never computed on. The column
headers of the readers' tables are the study's wording (its ``table_headers`` file); the
headers and verdicts of the pipeline's other tables, shown as they are, come from the catalog.
The HTML is the ``data_table`` and ``table_figure`` templates.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from html import unescape
from typing import Any

import numpy as np
import pandas as pd

from ruralplan import formatting, i18n, narrative
from ruralplan.i18n import Translator, translator
from ruralplan.interviews.coder import RULE_CODER
from ruralplan.interviews.reliability import GOLD_CODER
from ruralplan.report.render import html, render

DASH = formatting.DASH
_DECIMAL_TEXT = re.compile(r"^-?\d+\.\d+$")
# The columns each readers' table shows, in order. Their headers are wording, kept in
# data/report/table_headers.yaml and checked against these keys (check_table_headers).
TABLE_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "frequency": ("answer", "n", "percent", "ci", "mentions"),
    "reliability": ("code", "n_rule", "n_gold", "kappa", "alpha", "verdict"),
    "tests": ("outcome", "predictor", "test", "p", "effect", "n"),
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


def as_number(value: Any) -> float | None:
    """Read a cell as a number.

    Parameters
    ----------
    value
        A cell of a public table: a number, numeric text, a marker or empty.

    Returns
    -------
    float or None
        The number; None when the cell is empty or a suppression marker.
    """
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return None if pd.isna(number) else float(number)


def suppression_marker(value: Any) -> str | None:
    """Return the suppression marker a cell holds instead of a count.

    Parameters
    ----------
    value
        A cell of a public table.

    Returns
    -------
    str or None
        The marker (e.g. ``<5`` or ``x``), or None when the cell is a number or empty.
    """
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    text = text.strip()
    return text if text and as_number(text) is None else None


def number_cell(value: Any, lang: str, decimals: int) -> str:
    """Write a cell's number for ``lang``, passing a suppression marker through.

    Parameters
    ----------
    value
        A cell of a public table.
    lang
        ``"lv"`` or ``"en"``.
    decimals
        Decimal places.

    Returns
    -------
    str
        The formatted number, the marker, or ``""`` for an empty cell.
    """
    marker = suppression_marker(value)
    if marker is not None:
        return marker
    number = as_number(value)
    return "" if number is None else narrative.format_number(number, lang, decimals=decimals)


def interval_cell(low: Any, high: Any, lang: str) -> str:
    """Write a percentage interval such as ``22,2–36,8``, passing a marker through.

    Parameters
    ----------
    low, high
        The interval's bounds, on the percent scale.
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        The interval, the marker of either bound, or ``""`` when a bound is empty.
    """
    marker = suppression_marker(low) or suppression_marker(high)
    if marker is not None:
        return marker
    return formatting.format_range(as_number(low), as_number(high), lang=lang, decimals=1)


def nbsp_percent(text: str) -> str:
    """Keep "95 %" on one line, since Latvian writes a space before the percent sign.

    Parameters
    ----------
    text
        A header or note.

    Returns
    -------
    str
        The text with a no-break space in "95 %".
    """
    return text.replace("95 %", f"95{narrative.NBSP}%")


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
    mark = formatting.decimal_symbol(lang)
    return text.rstrip("0").rstrip(mark) if mark in text else text


def column_header(column: str, lang: str) -> str:
    """Return the header of a column of the pipeline's tables that the report shows as it is.

    A column written in the report's language (``statement_lv`` in Latvian) is named
    without its suffix.

    Parameters
    ----------
    column
        The column name, e.g. ``claim_id`` or ``sha256``.
    lang
        A report language.

    Returns
    -------
    str
        The catalog's header; the name itself for a column it does not know.
    """
    words = translator(lang)
    name = str(column).removesuffix(f"_{lang}")
    headers = {
        "claim_id": words.pgettext("table column", "claim_id"),
        "quote": words.pgettext("table column", "quote"),
        "published": words.pgettext("table column", "published"),
        "reproduced": words.pgettext("table column", "reproduced"),
        "verdict": words.pgettext("table column", "verdict"),
        "note": words.pgettext("table column", "note"),
        "printed": words.pgettext("table column", "printed"),
        "base": words.pgettext("table column", "base"),
        "stated_base": words.pgettext("table column", "stated_base"),
        "consistent": words.pgettext("table column", "consistent"),
        "counts": words.pgettext("table column", "counts"),
        "expectation": words.pgettext("table column", "expectation"),
        "file": words.pgettext("table column", "file"),
        "notebook": words.pgettext("table column", "notebook"),
        "cell": words.pgettext("table column", "cell"),
        "parameter": words.pgettext("table column", "parameter"),
        "value": words.pgettext("table column", "value"),
        "sha256": words.pgettext("table column", "sha256"),
        "package": words.pgettext("table column", "package"),
        "version": words.pgettext("table column", "version"),
        "reason": words.pgettext("table column", "reason"),
        "rows": words.pgettext("table column", "rows"),
        **_interview_headers(words),
    }
    return headers.get(name, str(column))


def _interview_headers(words: Translator) -> dict[str, str]:
    """Headers of the interview coding's basis and coder-agreement tables."""
    return {
        "basis": words.pgettext("table column", "basis"),
        "reviewed": words.pgettext("table column", "reviewed"),
        "coders": words.pgettext("table column", "coders"),
        "n_interviews": words.pgettext("table column", "n_interviews"),
        "n_interviews_total": words.pgettext("table column", "n_interviews_total"),
        "statement": words.pgettext("table column", "statement"),
        "coder_a": words.pgettext("table column", "coder_a"),
        "coder_b": words.pgettext("table column", "coder_b"),
        "code": words.pgettext("table column", "code"),
        "name": words.pgettext("table column", "name"),
        "n_segments": words.pgettext("table column", "n_segments"),
        "n_a": words.pgettext("table column", "n_a"),
        "n_b": words.pgettext("table column", "n_b"),
        "n_both": words.pgettext("table column", "n_both"),
        "percent_agreement": words.pgettext("table column", "percent_agreement"),
        "kappa": words.pgettext("table column", "kappa"),
        "kappa_verdict": words.pgettext("table column", "kappa_verdict"),
        "alpha": words.pgettext("table column", "alpha"),
        "alpha_verdict": words.pgettext("table column", "alpha_verdict"),
    }


def cell_word(value: Any, lang: str) -> Any:
    """Word a verdict or a yes/no cell of the pipeline's tables in ``lang``; others pass.

    Parameters
    ----------
    value
        A cell.
    lang
        A report language.

    Returns
    -------
    object
        The catalog's word for a known verdict or a boolean; the value itself otherwise.
    """
    words = translator(lang)
    if isinstance(value, bool | np.bool_):
        # Translators: a yes/no cell of a results table (True and False in the file).
        if value:
            return words.pgettext("table cell", "True")
        return words.pgettext("table cell", "False")
    verdicts = {
        "reproduced": words.pgettext("verdict", "reproduced"),
        "differs": words.pgettext("verdict", "differs"),
        "consistent": words.pgettext("verdict", "consistent"),
        "inconsistent": words.pgettext("verdict", "inconsistent"),
        "see cross-tab tests": words.pgettext("verdict", "see cross-tab tests"),
        "cannot be checked": words.pgettext("verdict", "cannot be checked"),
        "not testable with the survey": words.pgettext("verdict", "not testable with the survey"),
        "supported": words.pgettext("verdict", "supported"),
        "not supported in these data": words.pgettext("verdict", "not supported in these data"),
        "not tested": words.pgettext("verdict", "not tested"),
        "direction not testable": words.pgettext("verdict", "direction not testable"),
        "reliable": words.pgettext("reliability verdict", "reliable"),
        "tentative": words.pgettext("reliability verdict", "tentative"),
        "below threshold": words.pgettext("reliability verdict", "below threshold"),
        "not computable": words.pgettext("reliability verdict", "not computable"),
        "human": words.pgettext("coding basis", "human"),
        "machine": words.pgettext("coding basis", "machine"),
        # the package's own coders in the agreement tables (people keep their names)
        RULE_CODER: words.pgettext("coder", "the rule coder"),
        GOLD_CODER: words.pgettext("coder", "the gold coding"),
    }
    return verdicts.get(value, value) if isinstance(value, str) else value


def first_column(table: pd.DataFrame, candidates: Sequence[str], what: str) -> str:
    """Return the first of ``candidates`` that is a column of ``table``.

    Parameters
    ----------
    table
        Any table.
    candidates
        Column names in order of preference.
    what
        What the table is, for the message.

    Returns
    -------
    str
        The column name.

    Raises
    ------
    ValueError
        If none of the candidates is a column.
    """
    for name in candidates:
        if name in table.columns:
            return name
    raise ValueError(
        f"{what}: expected one of the columns {list(candidates)}, found {list(table.columns)}"
    )


def for_language(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Drop the columns written for another language (``*_lv``, ``*_en``, ...).

    Parameters
    ----------
    table
        A results table.
    lang
        The report language.

    Returns
    -------
    pandas.DataFrame
        A new table without the other languages' columns.
    """
    others = set(narrative.LANGS) | set(i18n.languages())
    others.discard(narrative.check_lang(lang))
    suffixes = tuple(f"_{other}" for other in sorted(others))
    return table.loc[:, [c for c in table.columns if not str(c).endswith(suffixes)]]


def _shown_cell(value: Any, lang: str) -> str:
    """Write a cell of a table shown as it is: a number, a word, or a dash."""
    value = cell_word(_format_cell(value, lang), lang)
    missing = value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value))
    return DASH if missing else str(value)


def table_html(table: pd.DataFrame, lang: str, *, caption: str = "") -> str:
    """Render a table as it is, escaped, with numbers, headers and verdicts in ``lang``.

    Parameters
    ----------
    table
        The table; cell text is escaped.
    lang
        A report language.
    caption
        A ready ``<figcaption>`` (from :func:`.exhibits.caption_html`) or ``""``.

    Returns
    -------
    str
        A ``<figure class="exhibit">`` wrapping a scrollable table.
    """
    shown = for_language(table, lang)
    header = [column_header(c, lang) for c in shown.columns]
    rows = [[_shown_cell(v, lang) for v in row] for row in shown.itertuples(index=False)]
    body = rows_html(header, rows, numeric_from=len(header))
    return table_figure_html(body, caption=caption)


def table_figure_html(body: str, *, caption: str, lead: str = "", notes: Sequence[str] = ()) -> str:
    """Wrap a table as an exhibit: caption, lead paragraph, scrollable table, footnotes.

    Parameters
    ----------
    body
        The HTML ``<table>``.
    caption
        A ready ``<figcaption>`` or ``""``.
    lead
        HTML shown above the table, or ``""``.
    notes
        Plain-text footnotes, escaped.

    Returns
    -------
    str
        A ``<figure class="exhibit table-exhibit">``.
    """
    return render(
        "table_figure.html.j2",
        None,
        # The scroll region is named by the caption's text (its words are the caption's).
        label=unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", caption)).strip()),
        caption=html(caption),
        lead=html(lead),
        body=html(body),
        notes=list(notes),
    )


def rows_html(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    classes: Sequence[str] | None = None,
    numeric_from: int = 1,
) -> str:
    """Write an escaped HTML table whose columns from ``numeric_from`` on are right-aligned.

    Parameters
    ----------
    header
        Column headers.
    rows
        Cell texts, row by row.
    classes
        A CSS class per row (``""`` for none); no classes when omitted.
    numeric_from
        The index of the first right-aligned (numeric) column.

    Returns
    -------
    str
        An HTML ``<table class="data-table">``.
    """
    classes = classes or [""] * len(rows)
    return render(
        "data_table.html.j2",
        None,
        headers=[nbsp_percent(str(h)) for h in header],
        rows=[
            {"cells": [str(v) for v in row], "css": css}
            for row, css in zip(rows, classes, strict=True)
        ],
        numeric_from=numeric_from,
    )


def display_html(
    shown: pd.DataFrame,
    columns: Sequence[str],
    headers: Mapping[str, str],
    *,
    numeric_from: int = 1,
) -> str:
    """Write a readers' table: ``columns`` of ``shown`` under their headers.

    A boolean ``summary`` column, when there is one, marks the summary rows; the first of
    each run of them gets the rule above it (``summary-first``).

    Parameters
    ----------
    shown
        Text columns as a reader sees them, e.g. from :func:`.frequency.frequency_display`.
    columns
        The columns to show, in order.
    headers
        Column to header in the report language.
    numeric_from
        The index of the first right-aligned (numeric) column.

    Returns
    -------
    str
        An HTML ``<table class="data-table">``.
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
    return rows_html([headers[c] for c in columns], rows, classes, numeric_from)
