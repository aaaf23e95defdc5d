"""Agreement of the rule coding with the human coding of the interviews, for readers.

The headline figures come from the held-out interviews when the table has them, since those
were not used to write the rules; the pooled row states them in one sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ruralplan import narrative
from ruralplan.i18n import Translator, translator
from ruralplan.report.blocks import paragraph_html
from ruralplan.report.tables import TABLE_COLUMNS, display_html, number_cell, table_figure_html

RELIABILITY_NEEDED = ("code", "n_rule", "n_gold", "kappa", "alpha")
POOLED_CODE = "(all codes)"
HEADLINE_SETS = ("held_out", "all", "development")
VERDICT_ORDER = ("not computable", "below threshold", "tentative", "reliable")


def verdict_word(verdict: str, lang: str) -> str:
    """Word a reliability verdict (``reliable``, ``tentative``...) in ``lang``.

    Parameters
    ----------
    verdict
        A verdict of :mod:`ruralplan.interviews.reliability`, or ``""``.
    lang
        A report language.

    Returns
    -------
    str
        The catalog's word; the verdict itself when the catalog does not know it.
    """
    words = translator(lang)
    found = {
        "reliable": words.pgettext("reliability verdict", "reliable"),
        "tentative": words.pgettext("reliability verdict", "tentative"),
        "below threshold": words.pgettext("reliability verdict", "below threshold"),
        "not computable": words.pgettext("reliability verdict", "not computable"),
    }
    return found.get(verdict, verdict)


def _set_words(chosen: str | None, words: Translator) -> str:
    """Which interviews the headline figure comes from, as words placed after "coding"."""
    found = {
        "held_out": words.gettext("on the held-out interviews (not used to write the rules)"),
        "development": words.gettext("on the interviews used to write the rules"),
        "all": words.gettext("on all human-coded interviews"),
    }
    return f" {found[chosen]}" if chosen in found else ""


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
        Code id to display name (:func:`.document.code_names`); ids are shown otherwise.

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
    rows = _headline_rows(table)
    names = {**(names or {}), POOLED_CODE: translator(lang).gettext("All codes pooled")}
    return pd.DataFrame(
        {
            "code": [names.get(str(c), str(c)) for c in rows["code"]],
            "n_rule": [number_cell(v, lang, 0) for v in rows["n_rule"]],
            "n_gold": [number_cell(v, lang, 0) for v in rows["n_gold"]],
            "kappa": [number_cell(v, lang, 2) for v in rows["kappa"]],
            "alpha": [number_cell(v, lang, 2) for v in rows["alpha"]],
            "verdict": [verdict_word(_worse_verdict(r), lang) for _, r in rows.iterrows()],
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

    words = translator(lang)
    rows = _headline_rows(table)
    pooled = rows.loc[rows["code"].astype(str) == POOLED_CODE]
    if pooled.empty:
        return ""
    row = pooled.iloc[0]
    # Translators: %(where)s is empty or starts with a space ("on the held-out interviews").
    return words.gettext(
        "Pooled over all codes, the rule coding agrees with the human coding%(where)s with "
        "Cohen's κ = %(kappa)s and Krippendorff's α = %(alpha)s: %(verdict)s (reliable from "
        "%(reliable)s, tentative from %(tentative)s).",
        where=_set_words(headline_set(table), words),
        kappa=number_cell(row["kappa"], lang, 2),
        alpha=number_cell(row["alpha"], lang, 2),
        verdict=verdict_word(_worse_verdict(row), lang),
        reliable=narrative.format_number(RELIABLE, lang, decimals=3),
        tentative=narrative.format_number(TENTATIVE, lang, decimals=3),
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
        Column to header in ``lang`` (``reliability`` of :func:`.tables.check_table_headers`).
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

    shown = reliability_display(table, lang, names)
    body = display_html(shown, TABLE_COLUMNS["reliability"], headers)
    note = translator(lang).gettext(
        "n (rules): segments the rules coded; n (human): segments the human coder coded. "
        "Thresholds: reliable from %(reliable)s, tentative from %(tentative)s "
        "(Krippendorff 2004).",
        reliable=narrative.format_number(RELIABLE, lang, decimals=3),
        tentative=narrative.format_number(TENTATIVE, lang, decimals=3),
    )
    lead = paragraph_html(reliability_sentence(table, lang))
    return table_figure_html(body, caption=caption, lead=lead, notes=[note])
