"""Plain-language sentences about test results, with effect sizes named by Cohen's limits.

Evidence for an association comes from the test's p-value (adjusted within the row's family).
The effect size and its 95 % interval say how strong the association is and how precisely that
is known; an estimate whose interval is unbounded or very wide, or whose table has sparse cells,
is called unstable and its size is not named. Intervals of measures that are never negative
(Cramér's V, eta squared) are given as precision only, never read against zero.

Every sentence and word is a message of the language's catalog (:mod:`ruralplan.i18n`):
:func:`_sentence` holds the sentences, :func:`_reason_text` the reasons an estimate is
unstable, :func:`effect_measure_name` and :func:`_size_word` the names of measures and sizes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ruralplan.i18n import Translator, translator
from ruralplan.narrative import format_number, p_phrase

_OR_LIMITS = (1.68, 3.47, 6.71)
# Cohen's (1988) small/medium/large for eta squared (share of variance).
_ETA_SQUARED_LIMITS = (0.01, 0.06, 0.14)


#: The reasons an estimate can be unstable (:func:`instability_reasons`).
REASONS = ("no_interval", "unbounded", "wide", "sparse_cell", "sparse_expected")
INFINITY = "\u221e"

# ---- when an estimate is unstable ----------------------------------------------------------------

#: An odds ratio whose upper limit is more than this many times its lower limit (the
#: interval spans more than two orders of magnitude) is unstable.
WIDE_RATIO = 100.0
#: A bounded measure whose interval covers more than this share of the measure's range
#: (0-1 for V and eta squared, -1 to 1 for r) is unstable.
WIDE_SHARE = 0.5
#: An odds ratio from a 2x2 table with a cell below this count is unstable: the estimate
#: turns on a handful of respondents (sparse-data bias, Greenland, Mansournia & Altman 2016).
SPARSE_CELL = 5
#: A table with an expected count below this is sparse (Cochran 1954: no expected count
#: below 1); used for V and r of categorical tables.
SPARSE_EXPECTED = 1.0

_RANGES = {"pearson_r_scores": 2.0, "cramers_v": 1.0, "cramers_v_corrected": 1.0}
_RANGES["eta_squared_h"] = 1.0
# Measures that are never negative: their interval cannot include values below 0.
_NEVER_NEGATIVE = ("cramers_v", "cramers_v_corrected", "eta_squared_h")

# ---- the wording: messages of the catalog --------------------------------------------------------


def _sentence(name: str, words: Translator, fields: dict[str, Any]) -> str:
    """Write one of the sentence templates with ``fields`` filled in.

    Fields: ``outcome``, ``predictor``, ``adjustment`` (from :func:`_adjustment`), ``p``,
    ``size``, ``effect`` (from :func:`_effect_text`), ``why``, ``measure``, ``reason``.
    """
    f = fields
    sentences = {
        "untestable": lambda: words.gettext(
            "The association of “%(outcome)s” with “%(predictor)s” could not be tested: "
            "%(reason)s.",
            **f,
        ),
        "significant": lambda: words.gettext(
            "“%(outcome)s” and “%(predictor)s” are associated after %(adjustment)s (%(p)s); "
            "the effect is %(size)s (%(effect)s).",
            **f,
        ),
        "significant_unstable": lambda: words.gettext(
            "“%(outcome)s” and “%(predictor)s” are associated after %(adjustment)s (%(p)s), "
            "but the size of the effect is uncertain: %(effect)s is an unstable estimate "
            "(%(why)s).",
            **f,
        ),
        "not_significant": lambda: words.gettext(
            "No evidence of an association between “%(outcome)s” and “%(predictor)s” after "
            "%(adjustment)s (%(p)s); the strength is estimated as %(effect)s.",
            **f,
        ),
        "not_significant_unstable": lambda: words.gettext(
            "No evidence of an association between “%(outcome)s” and “%(predictor)s” after "
            "%(adjustment)s (%(p)s); the strength is estimated as %(effect)s, an unstable "
            "estimate (%(why)s).",
            **f,
        ),
        "sensitivity": lambda: words.gettext(
            "Sensitivity analysis, another coding of a question tested elsewhere, not counted "
            "as a test and not adjusted: “%(outcome)s” by “%(predictor)s” (unadjusted %(p)s; "
            "%(effect)s).",
            **f,
        ),
        "sensitivity_unstable": lambda: words.gettext(
            "Sensitivity analysis, another coding of a question tested elsewhere, not counted "
            "as a test and not adjusted: “%(outcome)s” by “%(predictor)s” (unadjusted %(p)s; "
            "%(effect)s, an unstable estimate: %(why)s).",
            **f,
        ),
        "precision_only": lambda: words.gettext(
            " The interval gives the precision of the estimate only: %(measure)s is never "
            "below 0, so its interval says nothing about whether there is an association.",
            **f,
        ),
    }
    return sentences[name]()


def _adjustment(adjustment: str, family: str, words: Translator) -> str:
    """Name the adjustment, and the family of tests it was made within when there is one."""
    methods = {
        "holm": words.pgettext("adjustment method", "Holm"),
        "bh": words.pgettext("adjustment method", "Benjamini-Hochberg"),
    }
    families = {
        "confirmatory": words.pgettext("family of tests", "confirmatory"),
        "exploratory": words.pgettext("family of tests", "exploratory"),
    }
    if family in families:
        return words.gettext(
            "%(method)s adjustment within the %(family)s tests",
            method=methods[adjustment],
            family=families[family],
        )
    return words.gettext("%(method)s adjustment", method=methods[adjustment])


def _size_word(size_class: int, words: Translator) -> str:
    """Name an effect size class (0 negligible to 3 large)."""
    return (
        words.pgettext("effect size", "negligible"),
        words.pgettext("effect size", "small"),
        words.pgettext("effect size", "medium"),
        words.pgettext("effect size", "large"),
    )[size_class]


def _reason_text(reason: str, words: Translator) -> str:
    """Say why an estimate is unstable (one of :data:`REASONS`)."""
    lang = words.lang
    reasons = {
        "no_interval": lambda: words.gettext("its interval could not be computed"),
        "unbounded": lambda: words.gettext("its interval has no finite limit"),
        "wide": lambda: words.gettext("its interval is very wide"),
        "sparse_cell": lambda: words.ngettext(
            "a cell of the table has fewer than %(num)s respondent",
            "a cell of the table has fewer than %(num)s respondents",
            SPARSE_CELL,
            num=format_number(SPARSE_CELL, lang, decimals=0),
        ),
        "sparse_expected": lambda: words.gettext(
            "an expected count of the table is below %(limit)s",
            limit=format_number(SPARSE_EXPECTED, lang, decimals=0),
        ),
    }
    return reasons[reason]()


def effect_size_class(measure: str, value: float, *, df_min: int = 1) -> int:
    """Classify an effect as 0 negligible, 1 small, 2 medium or 3 large.

    Cramér's V uses Cohen's (1988) w limits 0.1/0.3/0.5 divided by ``sqrt(df_min)`` (the
    smaller table dimension minus one); r uses 0.1/0.3/0.5; eta squared 0.01/0.06/0.14;
    odds ratios use 1.68/3.47/6.71 on ``max(OR, 1/OR)`` (Chen, Cohen & Chen 2010).

    Parameters
    ----------
    measure
        An effect measure name from :func:`.effects.effect_sizes`.
    value
        The effect size.
    df_min
        ``min(rows, columns) - 1`` of the table, for Cramér's V.

    Returns
    -------
    int
        The class index.

    Examples
    --------
    >>> effect_size_class("cramers_v", 0.12), effect_size_class("odds_ratio_conditional", 0.2)
    (1, 2)
    """
    if measure == "odds_ratio_conditional":
        size = value if value >= 1 else (1 / value if value > 0 else np.inf)
        return sum(size >= limit for limit in _OR_LIMITS)
    if measure == "eta_squared_h":
        return int(sum(value >= limit for limit in _ETA_SQUARED_LIMITS))
    limits = np.array([0.1, 0.3, 0.5])
    if measure.startswith("cramers_v"):
        limits = limits / np.sqrt(max(df_min, 1))
    return int(sum(abs(value) >= limit for limit in limits))


def effect_measure_name(measure: str, lang: str) -> str:
    """Name an effect measure in ``lang`` (e.g. "odds ratio"); unknown names pass through.

    Parameters
    ----------
    measure
        An ``effect_measure`` value of :func:`.crosstab.results_table`.
    lang
        A report language.

    Returns
    -------
    str
        The display name.
    """
    words = translator(lang)
    names = {
        "odds_ratio_conditional": words.pgettext("effect measure", "odds ratio"),
        "pearson_r_scores": words.pgettext("effect measure", "trend correlation r"),
        "eta_squared_h": words.pgettext("effect measure", "η² (Kruskal-Wallis)"),
        "cramers_v_corrected": words.pgettext("effect measure", "Cramér's V (bias-corrected)"),
        "cramers_v": words.pgettext("effect measure", "Cramér's V"),
    }
    return names.get(measure, measure)


def _number(value: Any, lang: str) -> str:
    """Format an effect size or limit; infinity as ∞ and NaN as an en dash."""
    value = float(value)
    if np.isinf(value):
        return INFINITY if value > 0 else "-" + INFINITY
    return format_number(value, lang, decimals=2)


def _effect_text(row: Mapping[str, Any], lang: str) -> str:
    return translator(lang).gettext(
        "%(measure)s = %(value)s, 95%% CI %(low)s\u2013%(high)s",
        measure=effect_measure_name(row["effect_measure"], lang),
        value=_number(row["effect_size"], lang),
        low=_number(row.get("ci_low", np.nan), lang),
        high=_number(row.get("ci_high", np.nan), lang),
    )


def _number_or_nan(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _too_wide(measure: str, low: float, high: float) -> bool:
    if measure.startswith("odds_ratio"):
        return high / low > WIDE_RATIO
    return measure in _RANGES and high - low > WIDE_SHARE * _RANGES[measure]


def instability_reasons(row: Mapping[str, Any]) -> list[str]:
    """List why an effect estimate is unstable (empty when it is not).

    An estimate is unstable when its interval is missing (``no_interval``), reaches
    infinity or, for an odds ratio, 0 (``unbounded``), or is very wide (``wide``): an odds
    ratio whose upper limit exceeds :data:`WIDE_RATIO` times its lower one, or a bounded
    measure whose interval covers more than :data:`WIDE_SHARE` of its range (0-1 for V and
    eta squared, -1 to 1 for r). Sparse cells also make it unstable: an odds ratio from a table
    with a cell below :data:`SPARSE_CELL` (``sparse_cell``, read from ``min_count``), or V or
    r of a categorical table with an expected count below :data:`SPARSE_EXPECTED`
    (``sparse_expected``; tables of a numeric predictor, ``min_count`` NaN, are not checked).

    Parameters
    ----------
    row
        One row of :func:`.crosstab.results_table`; ``min_count`` and ``min_expected`` are
        used when present.

    Returns
    -------
    list of str
        Reason codes, from :data:`REASONS`.

    Examples
    --------
    >>> instability_reasons({"effect_measure": "odds_ratio_conditional", "effect_size": 23.8,
    ...                      "ci_low": 3.56, "ci_high": 1018.73, "min_count": 1})
    ['wide', 'sparse_cell']
    >>> instability_reasons({"effect_measure": "cramers_v", "effect_size": 0.13,
    ...                      "ci_low": 0.09, "ci_high": 0.30})
    []
    """
    measure = str(row.get("effect_measure", ""))
    low = _number_or_nan(row.get("ci_low"))
    high = _number_or_nan(row.get("ci_high"))
    reasons = []
    is_ratio = measure.startswith("odds_ratio")
    if np.isnan(low) or np.isnan(high):
        reasons.append("no_interval")
    elif np.isinf(low) or np.isinf(high) or (is_ratio and (low <= 0 or high <= 0)):
        reasons.append("unbounded")
    elif _too_wide(measure, low, high):
        reasons.append("wide")
    min_count = _number_or_nan(row.get("min_count"))
    min_expected = _number_or_nan(row.get("min_expected"))
    if is_ratio and min_count < SPARSE_CELL:
        reasons.append("sparse_cell")
    elif (
        not is_ratio
        and measure != "eta_squared_h"
        and np.isfinite(min_count)
        and min_expected < SPARSE_EXPECTED
    ):
        reasons.append("sparse_expected")
    return reasons


def _why(reasons: list[str], lang: str) -> str:
    words = translator(lang)
    return "; ".join(_reason_text(reason, words) for reason in reasons)


def _df_min(row: Mapping[str, Any], given: int | None) -> int:
    """Return the table's ``min(rows, columns) - 1``: as given, else from the row, else 1."""
    if given is not None:
        return int(given)
    value = row.get("df_min")
    # a row read back from CSV holds a float, and NaN for an untested pair
    return int(value) if value is not None and np.isfinite(float(value)) else 1


def _family(row: Mapping[str, Any]) -> str:
    value = row.get("family")
    return value if isinstance(value, str) else ""


def describe_result(
    row: Mapping[str, Any],
    lang: str,
    *,
    alpha: float = 0.05,
    adjustment: str = "holm",
    df_min: int | None = None,
    labels: Mapping[str, str] | None = None,
) -> str:
    """Say what a test found: evidence from the adjusted p-value, strength with its interval.

    The p-value decides whether there is evidence of an association. The effect size is
    named (negligible to large, :func:`effect_size_class`) only for a significant result whose
    estimate is stable; an unstable estimate (:func:`instability_reasons`) is reported with its
    interval and the reason, without a size word. For a measure that is never negative (V,
    eta squared) without evidence of association, the interval is presented as the precision of
    the estimate, not as a test. A row of ``family`` ``confirmatory`` or ``exploratory`` names
    its family in the adjustment; a ``sensitivity`` row is an alternative coding of a question
    tested elsewhere and is reported with its unadjusted p-value, not counted as a test.

    Parameters
    ----------
    row
        One row of :func:`.crosstab.results_table`.
    lang
        ``"lv"`` or ``"en"``.
    alpha
        Significance level applied to ``p_adjusted``.
    adjustment
        Which adjustment ``p_adjusted`` holds (``holm`` or ``bh``), named in the sentence.
    df_min
        ``min(rows, columns) - 1`` of the table, to size Cramér's V; by default the row's own
        ``df_min`` (1 for a row without one, as a 2x2 table).
    labels
        Display names for the outcome and predictor columns; the names themselves otherwise.

    Returns
    -------
    str
        The sentence (two for a never-negative measure without evidence of association).
    """
    words = translator(lang)
    labels = labels or {}
    fields: dict[str, Any] = {
        "outcome": labels.get(row["outcome"], row["outcome"]),
        "predictor": labels.get(row["predictor"], row["predictor"]),
    }
    if row["test"] == "none":
        return _capitalised(
            _sentence("untestable", words, {**fields, "reason": row.get("test_reason", "")})
        )
    family = _family(row)
    fields["effect"] = _effect_text(row, lang)
    reasons = instability_reasons(row)
    fields["why"] = _why(reasons, lang)
    unstable = "_unstable" if reasons else ""
    if family == "sensitivity":
        fields["p"] = p_phrase(float(row["p_value"]), lang)
        return _capitalised(_sentence("sensitivity" + unstable, words, fields))
    fields["adjustment"] = _adjustment(adjustment, family, words)
    fields["p"] = p_phrase(row["p_adjusted"], lang)
    if not row["p_adjusted"] < alpha:
        sentence = _sentence("not_significant" + unstable, words, fields)
        if row["effect_measure"] in _NEVER_NEGATIVE:
            measure = effect_measure_name(row["effect_measure"], lang)
            sentence += _sentence("precision_only", words, {"measure": measure})
        return _capitalised(sentence)
    if reasons:
        return _capitalised(_sentence("significant_unstable", words, fields))
    size_class = effect_size_class(
        row["effect_measure"], row["effect_size"], df_min=_df_min(row, df_min)
    )
    return _capitalised(
        _sentence("significant", words, {**fields, "size": _size_word(size_class, words)})
    )


def _capitalised(sentence: str) -> str:
    """Start a sentence with a capital letter (it may open with a quoted label)."""
    for index, char in enumerate(sentence):
        if char.isalpha():
            return sentence[:index] + char.upper() + sentence[index + 1 :]
    return sentence
