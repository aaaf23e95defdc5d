"""Wording of test results: effect size with its interval and stability, V never read against 0."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from ruralplan.analysis import crosstab
from ruralplan.analysis.describe import instability_reasons

NBSP = "\u00a0"


def _row(measure, value, low, high, p=0.001, **extra):
    return {
        "outcome": "has_strategy",
        "predictor": "x",
        "test": "pearson_chi2",
        "test_reason": "",
        "p_value": p,
        "p_adjusted": p,
        "effect_measure": measure,
        "effect_size": value,
        "ci_low": low,
        "ci_high": high,
        **extra,
    }


# The odds ratio of the issue: Smart Village applicants 19 of 20 with a strategy, others 55 of
# 125, i.e. the table [[70, 55], [1, 19]]. Its exact interval 3.56-1018.73 spans a factor of
# 1018.73 / 3.56 = 286 (more than two orders of magnitude), and one cell holds 1 respondent.
UNSTABLE_OR = _row("odds_ratio_conditional", 23.80, 3.56, 1018.73, min_count=1, min_expected=9.8)


@pytest.mark.parametrize("lang", ["en", "lv"])
def test_a_huge_odds_ratio_from_a_cell_of_one_is_not_simply_called_large(lang):
    sentence = crosstab.describe_result(UNSTABLE_OR, lang)
    large = {"en": "large", "lv": "liels"}[lang]
    unstable = {"en": "unstable estimate", "lv": "nestabils novērtējums"}[lang]
    assert large not in sentence
    assert unstable in sentence
    # the interval is still reported, with the digits of the language
    assert {"en": "3.56–1,018.73", "lv": f"3,56–1{NBSP}018,73"}[lang] in sentence


def test_the_reasons_for_the_issue_odds_ratio_are_the_wide_interval_and_the_sparse_cell():
    assert instability_reasons(UNSTABLE_OR) == ["wide", "sparse_cell"]
    sentence = crosstab.describe_result(UNSTABLE_OR, "en")
    assert "its interval is very wide" in sentence
    assert "a cell of the table has fewer than 5 respondents" in sentence


def test_a_stable_odds_ratio_keeps_its_size_word():
    # [[40, 20], [20, 40]]: sample OR 40 * 40 / (20 * 20) = 4, conditional MLE 3.95 with the
    # exact interval 1.76-9.18 (fisher.test): medium (3.47 <= 3.95 < 6.71), limits 5.2 times
    # apart (far below 100), every cell at least 20
    row = _row("odds_ratio_conditional", 3.95, 1.76, 9.18, min_count=20, min_expected=30)
    assert instability_reasons(row) == []
    assert "the effect is medium (odds ratio = 3.95, 95% CI 1.76–9.18)" in (
        crosstab.describe_result(row, "en")
    )


@pytest.mark.parametrize(
    ("row", "reasons"),
    [
        # a zero cell: the conditional estimate is infinite and the interval one-sided
        (_row("odds_ratio_conditional", math.inf, 2.0, math.inf, min_count=0), None),
        # an odds ratio whose lower limit is 0
        (_row("odds_ratio_conditional", 0.0, 0.0, 0.5, min_count=0), None),
        # r from -0.3 to 0.75: width 1.05 is more than half of r's range -1..1
        (_row("pearson_r_scores", 0.3, -0.3, 0.75), ["wide"]),
        # r from 0.1 to 0.6: width 0.5, a quarter of the range
        (_row("pearson_r_scores", 0.3, 0.1, 0.6), []),
        # V from 0.1 to 0.7: width 0.6 is more than half of V's range 0..1
        (_row("cramers_v_corrected", 0.4, 0.1, 0.7), ["wide"]),
        # V of a categorical table with an expected count of 0.4 (Cochran: none below 1)
        (_row("cramers_v_corrected", 0.4, 0.3, 0.5, min_count=0, min_expected=0.4), None),
        # the same expected count from a numeric predictor (min_count NaN) is not a cell
        (_row("pearson_r_scores", 0.4, 0.3, 0.5, min_count=np.nan, min_expected=0.4), []),
        # no interval at all
        (_row("cramers_v", 0.4, np.nan, np.nan), ["no_interval"]),
    ],
)
def test_instability_reasons(row, reasons):
    expected = {
        "odds_ratio_conditional": ["unbounded", "sparse_cell"],
        "cramers_v_corrected": ["sparse_expected"],
    }
    assert instability_reasons(row) == (
        reasons if reasons is not None else expected[row["effect_measure"]]
    )


@pytest.mark.parametrize("lang", ["en", "lv"])
def test_an_infinite_limit_is_written_and_called_unstable(lang):
    row = _row("odds_ratio_conditional", math.inf, 2.0, math.inf, min_count=0)
    sentence = crosstab.describe_result(row, lang)  # used to raise decimal.InvalidOperation
    assert "∞" in sentence
    assert {"en": "no finite limit", "lv": "nav galīgas robežas"}[lang] in sentence


@pytest.mark.parametrize("lang", ["en", "lv"])
def test_a_v_interval_is_never_worded_against_zero(lang):
    # the issue's row: p = 0.182 after Holm, V = 0.13 with a bootstrap interval 0.09-0.30,
    # which cannot include 0 since V >= 0; the interval must be given as precision only
    row = _row("cramers_v_corrected", 0.132, 0.087, 0.299, p=0.182, df_min=3)
    sentence = crosstab.describe_result(row, lang)
    if lang == "en":
        assert sentence.startswith(
            "No evidence of an association between “has_strategy” and “x” after Holm "
            f"adjustment (p{NBSP}={NBSP}0.182); the strength is estimated as Cramér's V"
        )
        assert "gives the precision of the estimate only" in sentence
        assert "is never below 0" in sentence
        # the old wording put V and its interval inside the "no evidence" parenthesis
        assert "0.182; Cramér" not in sentence
    else:
        assert "tikai novērtējuma precizitāti" in sentence
        assert "nekad nav mazāks par 0" in sentence


def test_a_signed_measure_without_evidence_needs_no_note_about_zero():
    # r can be negative, so its interval can be read against 0 like the test
    row = _row("pearson_r_scores", 0.05, -0.1, 0.2, p=0.5)
    assert "never below 0" not in crosstab.describe_result(row, "en")


@pytest.mark.parametrize(
    ("family", "en", "lv"),
    [
        ("confirmatory", "Holm adjustment within the confirmatory tests", "apstiprinošo testu"),
        ("exploratory", "Holm adjustment within the exploratory tests", "izpētes testu"),
    ],
)
def test_the_family_is_named_in_the_adjustment(family, en, lv):
    row = _row("pearson_r_scores", 0.42, 0.27, 0.56, family=family)
    assert en in crosstab.describe_result(row, "en")
    assert lv in crosstab.describe_result(row, "lv")


@pytest.mark.parametrize("lang", ["en", "lv"])
def test_a_sensitivity_row_reports_its_unadjusted_p_and_no_verdict(lang):
    # not in any family: p_adjusted is NaN, the raw p-value 0.008 is shown as unadjusted
    row = {**_row("cramers_v_corrected", 0.26, 0.11, 0.44, p=0.008), "p_adjusted": np.nan}
    row["family"] = "sensitivity"
    sentence = crosstab.describe_result(row, lang)
    assert {"en": "Sensitivity analysis", "lv": "Jutīguma analīze"}[lang] in sentence
    assert {"en": f"unadjusted p{NBSP}={NBSP}0.008", "lv": f"nekoriģēts p{NBSP}={NBSP}0,008"}[
        lang
    ] in sentence
    assert {"en": "No evidence", "lv": "nav pierādījumu"}[lang] not in sentence


def test_min_count_is_the_smallest_observed_cell_and_nan_for_a_numeric_predictor():
    data = pd.DataFrame(
        {
            "y": pd.array([True] * 19 + [False] + [True] * 55 + [False] * 70, dtype="boolean"),
            "g": pd.array([True] * 20 + [False] * 125, dtype="boolean"),
            "age": np.arange(145, dtype=float),
        }
    )
    _, results = crosstab.run_pairs(
        data,
        [{"outcome": "y", "predictor": "g"}, {"outcome": "y", "predictor": "age"}],
        seed=1,
        n_resamples=50,
    )
    table = crosstab.results_table(results)
    assert table.loc[0, "min_count"] == 1  # the one applicant without a strategy
    assert np.isnan(table.loc[1, "min_count"])
    # the same table as the issue: the estimate is unstable
    assert "unstable" in crosstab.describe_result(table.iloc[0].to_dict(), "en")
