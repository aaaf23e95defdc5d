"""The published shares of the main question beside this analysis, under its chart.

A study's claims file (``claims``) may register shares of the answers of the question the
layout's ``summary.table`` counts. Those whose published side is one printed percentage are
shown as a small table, answer | published | this analysis | difference, from ``claims.csv``
(what notebook 02 reproduced) and the claims file (which question and answers each share is
of). A study without such claims shows nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ruralplan import narrative
from ruralplan.i18n import translator
from ruralplan.report.claims import figure_text, parse_figure
from ruralplan.report.render import render
from ruralplan.report.tables import DASH, first_column


def table_question(table: pd.DataFrame) -> str | None:
    """Return the question a frequency table counts (its ``question_id``), or None."""
    if "question_id" not in table.columns:
        return None
    ids = table["question_id"].dropna().astype(str)
    return str(ids.iloc[0]) if len(ids) else None


def _difference(found: float, published: float, decimals: int, lang: str) -> str:
    """Write this analysis minus the published figure, in points, signed when not zero."""
    difference = round(found - published, decimals)
    text = narrative.format_number(abs(difference), lang, decimals=decimals)
    if difference > 0:
        return f"+{text}"
    return f"\u2212{text}" if difference < 0 else text


def share_rows(
    registered: Sequence[Mapping[str, Any]],
    claims: pd.DataFrame,
    table: pd.DataFrame,
    lang: str,
) -> list[dict[str, str]]:
    """Return one row per published share of an answer of ``table``'s question.

    Parameters
    ----------
    registered
        The study's claims as read from its claims file (``id``, ``kind``, ``question``,
        ``codes``, optional ``among``).
    claims
        ``claims.csv``: ``claim_id, published, reproduced``.
    table
        The frequency table of the question (``question_id``, ``code``, ``label_<lang>``).
    lang
        A report language.

    Returns
    -------
    list of dict
        ``answer``, ``published``, ``found`` and ``difference`` (percentage points, this
        analysis minus published) as text, in the claims file's order. Shares within a
        group (``among``), verbal ones ("half") and shares of other questions are left out.
    """
    words = translator(narrative.check_lang(lang))
    question = table_question(table)
    if question is None or claims.empty:
        return []
    label = first_column(table, [f"label_{lang}", "label", "code"], "frequency table")
    labels = dict(zip(table["code"].astype(str), table[label].astype(str), strict=True))
    checked = {str(row.claim_id): row for row in claims.itertuples(index=False)}
    rows = []
    for claim in registered:
        row = checked.get(str(claim.get("id")))
        if (
            claim.get("kind") != "share"
            or str(claim.get("question")) != question
            or claim.get("among")
            or row is None
        ):
            continue
        published = parse_figure(row.published)
        if published is None or not published.percent:
            continue
        codes = [str(code) for code in claim.get("codes", [])]
        names = [labels.get(code, code) for code in codes]
        answer = (
            names[0]
            if len(names) == 1
            else words.gettext("%(head)s or %(last)s", head=", ".join(names[:-1]), last=names[-1])
        )
        found = parse_figure(row.reproduced)
        decimals = max(published.decimals, found.decimals if found else 0)
        rows.append(
            {
                "answer": answer,
                "published": figure_text(published, lang),
                "found": figure_text(found, lang) if found else str(row.reproduced or DASH),
                "difference": (
                    _difference(found.value, published.value, decimals, lang) if found else DASH
                ),
            }
        )
    return rows


def published_shares_html(
    registered: Sequence[Mapping[str, Any]],
    claims: pd.DataFrame,
    table: pd.DataFrame | None,
    lang: str,
    *,
    section: int | None = None,
) -> str:
    """Render the published shares beside this analysis, or ``""`` when there are none.

    Parameters
    ----------
    registered, claims, table
        See :func:`share_rows`; ``table`` may be None (no summary table).
    lang
        A report language.
    section
        The number of the published-figures section, named in the note; None for no note.

    Returns
    -------
    str
        A ``<figure class="exhibit">`` with the small table and its notes.
    """
    rows = share_rows(registered, claims, table, lang) if table is not None else []
    if not rows:
        return ""
    return render(
        "published_shares.html.j2",
        lang,
        rows=rows,
        section=narrative.format_number(section, lang, decimals=0) if section else "",
    )
