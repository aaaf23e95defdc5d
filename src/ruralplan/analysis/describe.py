"""Plain-language sentences about test results, with effect sizes named by Cohen's limits."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ruralplan.narrative import NBSP, check_lang, format_number, p_phrase

_MEASURE_NAMES = {
    "odds_ratio_conditional": {"en": "odds ratio", "lv": "izredžu attiecība"},
    "pearson_r_scores": {"en": "trend correlation r", "lv": "tendences korelācija r"},
    "eta_squared_h": {"en": "η² (Kruskal-Wallis)", "lv": "η² (Kruskala-Volisa)"},
    "cramers_v_corrected": {"en": "Cramér's V (bias-corrected)", "lv": "Kramēra V (koriģēts)"},
    "cramers_v": {"en": "Cramér's V", "lv": "Kramēra V"},
}


_SIZE_WORDS = {
    "en": ("negligible", "small", "medium", "large"),
    "lv": ("niecīgs", "mazs", "vidējs", "liels"),
}


_OR_LIMITS = (1.68, 3.47, 6.71)
# Cohen's (1988) small/medium/large for eta squared (share of variance).
_ETA_SQUARED_LIMITS = (0.01, 0.06, 0.14)


_ADJUSTMENT_NAMES = {
    "holm": {"en": "Holm", "lv": "Holma"},
    "bh": {"en": "Benjamini-Hochberg", "lv": "Benjamini-Hohberga"},
}


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
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        The display name.
    """
    return _MEASURE_NAMES.get(measure, {}).get(check_lang(lang), measure)


def _effect_text(row: Mapping[str, Any], lang: str) -> str:
    name = effect_measure_name(row["effect_measure"], lang)
    label = f"95{NBSP}% TI" if lang == "lv" else "95% CI"
    value = format_number(row["effect_size"], lang, decimals=2)
    low = format_number(row["ci_low"], lang, decimals=2)
    high = format_number(row["ci_high"], lang, decimals=2)
    return f"{name} = {value}, {label} {low}\u2013{high}"


def _df_min(row: Mapping[str, Any], given: int | None) -> int:
    """Return the table's ``min(rows, columns) - 1``: as given, else from the row, else 1."""
    if given is not None:
        return int(given)
    value = row.get("df_min")
    # a row read back from CSV holds a float, and NaN for an untested pair
    return int(value) if value is not None and np.isfinite(float(value)) else 1


def describe_result(
    row: Mapping[str, Any],
    lang: str,
    *,
    alpha: float = 0.05,
    adjustment: str = "holm",
    df_min: int | None = None,
    labels: Mapping[str, str] | None = None,
) -> str:
    """Say in one sentence what a test found, respecting the adjustment and the effect size.

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
        The sentence.
    """
    check_lang(lang)
    labels = labels or {}
    outcome = labels.get(row["outcome"], row["outcome"])
    predictor = labels.get(row["predictor"], row["predictor"])
    if row["test"] == "none":
        if lang == "lv":
            return f"Sakarību starp “{outcome}” un “{predictor}” nevarēja pārbaudīt."
        return (
            f"The association of “{outcome}” with “{predictor}” could not be tested: "
            f"{row['test_reason']}."
        )
    method = _ADJUSTMENT_NAMES[adjustment][lang]
    p_text = p_phrase(row["p_adjusted"], lang)
    effect = _effect_text(row, lang)
    if not row["p_adjusted"] < alpha:
        if lang == "lv":
            return (
                f"Pēc {method} korekcijas nav pierādījumu par sakarību starp “{outcome}” un "
                f"“{predictor}” ({p_text}; {effect})."
            )
        return (
            f"No evidence of an association between “{outcome}” and “{predictor}” after "
            f"{method} adjustment ({p_text}; {effect})."
        )
    size = _SIZE_WORDS[lang][
        effect_size_class(row["effect_measure"], row["effect_size"], df_min=_df_min(row, df_min))
    ]
    if lang == "lv":
        return (
            f"Pēc {method} korekcijas sakarība starp “{outcome}” un “{predictor}” ir "
            f"statistiski nozīmīga ({p_text}); efekts ir {size} ({effect})."
        )
    outcome = str(outcome)[:1].upper() + str(outcome)[1:]
    return (
        f"“{outcome}” and “{predictor}” are associated after {method} adjustment "
        f"({p_text}); the effect is {size} ({effect})."
    )
