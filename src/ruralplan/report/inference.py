"""Cross-tab tests and logistic regressions, as compact readers' tables.

A test is shown with its adjusted p-value and its effect size with the interval; a regression
with its terms labelled for readers, odds ratios with intervals, and the model's cautions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ruralplan import narrative
from ruralplan.i18n import translator
from ruralplan.report.render import render
from ruralplan.report.tables import (
    DASH,
    TABLE_COLUMNS,
    as_number,
    number_cell,
    rows_html,
    table_figure_html,
)

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


# Test families in the order the table shows them; the analysis adjusts p-values (Holm)
# within each of the first two, and leaves sensitivity checks unadjusted.
FAMILIES: tuple[str, ...] = ("confirmatory", "exploratory", "sensitivity")


def family_name(family: str, lang: str, *, short: bool = False) -> str:
    """Name a test family for readers, e.g. ``confirmatory`` -> "Confirmatory tests".

    Parameters
    ----------
    family
        The ``family`` value of ``crosstab_tests.csv``.
    lang
        A report language.
    short
        The one-word name a sentence starts with ("Confirmatory") instead of the table's.

    Returns
    -------
    str
        The catalog's name; the value itself for a family it does not know.
    """
    words = translator(lang)
    if short:
        return {
            "confirmatory": words.pgettext("test family", "Confirmatory"),
            "exploratory": words.pgettext("test family", "Exploratory"),
            "sensitivity": words.pgettext("test family", "Sensitivity checks"),
        }.get(family, family)
    names = {
        "confirmatory": words.pgettext("test family", "Confirmatory tests"),
        "exploratory": words.pgettext("test family", "Exploratory tests"),
        "sensitivity": words.pgettext("test family", "Sensitivity checks"),
    }
    return names.get(family, family)


def family_order(tests: pd.DataFrame) -> list[str]:
    """Return the families present in ``tests``: known ones in :data:`FAMILIES` order, then others.

    Parameters
    ----------
    tests
        ``crosstab_tests.csv``; without a ``family`` column every test is confirmatory.

    Returns
    -------
    list of str
        Family values.
    """
    present = _families(tests).unique().tolist()
    return [f for f in FAMILIES if f in present] + sorted(set(present) - set(FAMILIES))


def _families(tests: pd.DataFrame) -> pd.Series:
    # Tables written before families existed hold confirmatory tests only.
    if "family" not in tests.columns:
        return pd.Series(["confirmatory"] * len(tests), index=tests.index, dtype=object)
    return tests["family"].fillna("confirmatory").astype(str)


def method_name(test: str, lang: str) -> str:
    """Name a cross-tab test for readers, e.g. ``pearson_chi2`` -> "Pearson χ²".

    Parameters
    ----------
    test
        The ``test`` value of ``crosstab_tests.csv``.
    lang
        A report language.

    Returns
    -------
    str
        The catalog's name; the value itself for a test it does not know.
    """
    words = translator(lang)
    names = {
        "pearson_chi2": words.pgettext("test name", "Pearson χ²"),
        "fisher_exact": words.pgettext("test name", "Fisher's exact test"),
        "fisher_monte_carlo": words.pgettext("test name", "Fisher's exact test (Monte Carlo)"),
        "linear_by_linear": words.pgettext("test name", "linear-by-linear trend test"),
        "kruskal_wallis": words.pgettext("test name", "Kruskal-Wallis test"),
        "none": words.pgettext("test name", "not tested"),
    }
    return names.get(test, test)


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
    from ruralplan.analysis.describe import effect_measure_name

    missing = sorted(TEST_COLUMNS_NEEDED - set(tests.columns))
    if missing:
        raise ValueError(f"cross-tab tests: missing columns {missing}; found {list(tests.columns)}")
    names = names or {}
    words = translator(lang)
    rows = []
    for _, row in tests.iterrows():
        predictor = names.get(str(row["predictor"]), str(row["predictor"]))
        original = _sensitivity_of(row.get("sensitivity_of"))
        if original:
            predictor = words.gettext(
                "%(predictor)s (instead of %(original)s)",
                predictor=predictor,
                original=names.get(original, original),
            )
        measure = effect_measure_name(str(row["effect_measure"]), lang)
        effect = (
            f"{measure} {narrative.format_number(row['effect_size'], lang, decimals=2)} "
            f"({narrative.format_number(row['ci_low'], lang, decimals=2)}{DASH}"
            f"{narrative.format_number(row['ci_high'], lang, decimals=2)})"
        )
        p_value = as_number(row["p_adjusted"])
        raw = as_number(row.get("p_value"))
        if p_value is not None:
            p_text = narrative.format_p_value(p_value, lang)
        elif raw is not None:  # a sensitivity check: its own p, not adjusted
            p_text = words.gettext("%(p)s (unadjusted)", p=narrative.format_p_value(raw, lang))
        else:
            p_text = ""
        rows.append(
            {
                "outcome": names.get(str(row["outcome"]), str(row["outcome"])),
                "predictor": predictor,
                "test": method_name(str(row["test"]), lang),
                "p": p_text,
                "effect": effect if as_number(row["effect_size"]) is not None else "",
                "n": number_cell(row["n"], lang, 0),
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
        Column to header in ``lang`` (``tests`` of :func:`.tables.check_table_headers`).
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
    families = _families(tests).to_numpy()
    columns = TABLE_COLUMNS["tests"]
    rows: list[dict[str, Any]] = []
    # One group row per family, then its tests, so each test's family is read off the table.
    for family in family_order(tests):
        rows.append({"group": family_name(family, lang)})
        for cells in shown.loc[families == family, list(columns)].to_numpy().tolist():
            rows.append({"cells": [str(c) for c in cells], "css": ""})
    body = render(
        "data_table.html.j2",
        None,
        headers=[headers[c] for c in columns],
        rows=rows,
        numeric_from=3,
    )
    return table_figure_html(body, caption=caption)


def _sensitivity_of(value: Any) -> str:
    """Return the predictor a sensitivity check stands in for (``"outcome by predictor"``)."""
    if not isinstance(value, str) or " by " not in value:
        return ""
    return value.split(" by ", 1)[1].strip()


def family_sentences(tests: pd.DataFrame, *, alpha: float, lang: str) -> list[str]:
    """Count the tests and the significant ones per family, one sentence each.

    Confirmatory and exploratory tests are counted on their p-values adjusted (Holm) within
    their family; sensitivity checks on their own, unadjusted p-values.

    Parameters
    ----------
    tests
        ``crosstab_tests.csv`` (``family``, ``p_adjusted``, ``p_value``).
    alpha
        The significance level.
    lang
        A report language.

    Returns
    -------
    list of str
        One sentence per family present, in :func:`family_order`.
    """
    words = translator(lang)
    families = _families(tests)
    sentences = []
    for family in family_order(tests):
        rows = tests.loc[families == family]
        adjusted = rows["p_adjusted"].notna().all()
        column = rows["p_adjusted"] if adjusted else rows.get("p_value", rows["p_adjusted"])
        values = {
            "family": family_name(family, lang, short=True),
            "tests": narrative.count_phrase(len(rows), "test", lang),
            "significant": narrative.format_number(
                int((pd.to_numeric(column, errors="coerce") < alpha).sum()), lang, decimals=0
            ),
            "alpha": narrative.format_number(alpha, lang, decimals=2),
        }
        if adjusted:
            sentences.append(
                words.gettext(
                    "%(family)s: %(tests)s; significant after Holm adjustment within the "
                    "family: %(significant)s.",
                    **values,
                )
            )
        else:
            sentences.append(
                words.gettext(
                    "%(family)s: %(tests)s, p-values not adjusted; below %(alpha)s: "
                    "%(significant)s.",
                    **values,
                )
            )
    return sentences


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
        Term to reader's label (:func:`~ruralplan.analysis.terms.term_labels`);
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
        p_value = as_number(row["p_value"])
        rows.append(
            [
                terms.get(str(row["term"]), str(row["term"])),
                interval,
                "" if p_value is None else narrative.format_p_value(p_value, lang),
            ]
        )
    body = rows_html([str(header.get(k, k)) for k in ("term", "odds_ratio", "p")], rows)
    reading = (wording.get("reading") or {}).get(lang)
    return table_figure_html(body, caption=caption, notes=[*notes, *([reading] if reading else [])])


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
