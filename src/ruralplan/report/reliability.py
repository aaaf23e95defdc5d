"""Agreement of the rule coding with the human coding of the interviews, for readers.

The headline figures come from the held-out interviews when the table has them, since those
were not used to write the rules; the pooled row states them in one sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ruralplan import narrative
from ruralplan.report.blocks import paragraph_html
from ruralplan.report.tables import TABLE_COLUMNS, display_html, number_cell, table_figure_html

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
    words = RELIABILITY_WORDS[narrative.check_lang(lang)]
    rows = _headline_rows(table)
    names = {**(names or {}), POOLED_CODE: words["pooled"]}
    return pd.DataFrame(
        {
            "code": [names.get(str(c), str(c)) for c in rows["code"]],
            "n_rule": [number_cell(v, lang, 0) for v in rows["n_rule"]],
            "n_gold": [number_cell(v, lang, 0) for v in rows["n_gold"]],
            "kappa": [number_cell(v, lang, 2) for v in rows["kappa"]],
            "alpha": [number_cell(v, lang, 2) for v in rows["alpha"]],
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
    kappa, alpha = number_cell(row["kappa"], lang, 2), number_cell(row["alpha"], lang, 2)
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

    words = RELIABILITY_WORDS[narrative.check_lang(lang)]
    shown = reliability_display(table, lang, names)
    body = display_html(shown, TABLE_COLUMNS["reliability"], headers)
    note = words["note"].format(
        reliable=narrative.format_number(RELIABLE, lang, decimals=3),
        tentative=narrative.format_number(TENTATIVE, lang, decimals=3),
    )
    lead = paragraph_html(reliability_sentence(table, lang))
    return table_figure_html(body, caption=caption, lead=lead, notes=[note])
