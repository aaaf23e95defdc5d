"""Frequency tables of notebook 02, as a reader sees them: answers, shares, intervals, notes.

Summary rows (valid answers, no answer, not asked, all participants) are set apart from the
answers, and withheld counts keep their marker and get a footnote saying why.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ruralplan import narrative
from ruralplan.i18n import translator
from ruralplan.report.tables import (
    TABLE_COLUMNS,
    as_number,
    display_html,
    first_column,
    interval_cell,
    number_cell,
    suppression_marker,
    table_figure_html,
)

SUMMARY_ROW_TYPES = ("valid", "no_answer", "not_asked", "respondents")
FREQUENCY_COLUMNS = {"row_type", "n", "percent", "ci_low", "ci_high"}


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


def option_rows(table: pd.DataFrame) -> pd.DataFrame:
    """Return the rows that are answers, leaving out the summary rows.

    Parameters
    ----------
    table
        A frequency table; every row is an answer when it has no ``row_type`` column.

    Returns
    -------
    pandas.DataFrame
        The rows whose ``row_type`` is ``option``.
    """
    kinds = table["row_type"] if "row_type" in table.columns else pd.Series("option", table.index)
    return table.loc[kinds == "option"]


def valid_total(table: pd.DataFrame, count: str = "n") -> int | None:
    """Return the number of valid answers a frequency table's shares are out of.

    Parameters
    ----------
    table
        A frequency table.
    count
        The count column.

    Returns
    -------
    int or None
        The ``valid`` row's count, else the sum of the answers' counts; None when a count
        needed for it is withheld or missing.
    """
    options = pd.to_numeric(option_rows(table)[count], errors="coerce")
    if "row_type" in table.columns:
        valid = pd.to_numeric(table.loc[table["row_type"] == "valid", count], errors="coerce")
        if len(valid) and valid.notna().all():
            return int(valid.iloc[0])
    return int(options.sum()) if options.notna().all() else None


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
    label = first_column(table, [f"label_{lang}", "label", "code"], "frequency table")
    missing = sorted(FREQUENCY_COLUMNS - set(table.columns))
    if missing:
        raise ValueError(f"frequency table: missing columns {missing}; found {list(table.columns)}")
    summary = table["row_type"].isin(SUMMARY_ROW_TYPES).to_numpy()
    shown = pd.DataFrame(
        {
            "answer": table[label].fillna("").astype(str).to_numpy(),
            "n": [number_cell(v, lang, 0) for v in table["n"]],
            "percent": [number_cell(v, lang, 1) for v in table["percent"]],
            "ci": [
                interval_cell(lo, hi, lang)
                for lo, hi in zip(table["ci_low"], table["ci_high"], strict=True)
            ],
        }
    )
    mentions = table["percent_mentions"] if "percent_mentions" in table.columns else None
    if mentions is not None and mentions.notna().any():
        shown["mentions"] = [number_cell(v, lang, 1) for v in mentions]
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
    words = translator(lang)
    notes = [
        words.gettext(
            "Percentages of valid answers; 95%% confidence intervals by the Wilson score "
            "method without continuity correction."
        )
    ]
    if "percent_mentions" in table.columns and table["percent_mentions"].notna().any():
        notes.append(
            words.gettext(
                "Several answers possible: %% is of respondents who ticked at least one "
                "answer; %% of mentions is of all ticks."
            )
        )
    markers = sorted({m for m in map(suppression_marker, table["n"]) if m is not None})
    for marker in markers:
        if marker == "x":
            notes.append(
                words.gettext(
                    "x: a count withheld so that the small counts cannot be worked out from "
                    "the total."
                )
            )
        else:
            limit = as_number(marker.lstrip("<"))
            top = int(limit) - 1 if limit is not None else marker
            notes.append(
                words.gettext(
                    "%(marker)s: a count from 1 to %(top)s, withheld for disclosure control "
                    "(so that no small group can be recognised).",
                    marker=marker,
                    top=top,
                )
            )
    return notes


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
        Column to header in ``lang`` (``frequency`` of :func:`.tables.check_table_headers`).
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
    body = display_html(shown, columns, headers)
    return table_figure_html(body, caption=caption, notes=frequency_notes(table, lang))
