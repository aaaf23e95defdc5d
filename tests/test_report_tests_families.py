"""The tests section shows each test's family, counts per family, and raw p for sensitivity."""

from __future__ import annotations

import math

import pandas as pd

from ruralplan.report import inference  # imported bare, pytest would collect tests_* as tests
from ruralplan.report.sentences import synthetic_tests_caveat

NBSP = "\u00a0"

TESTS = pd.DataFrame(
    {
        "outcome": ["y", "y", "y", "y"],
        "predictor": ["a", "b", "c", "a_years"],
        "family": ["confirmatory", "exploratory", "exploratory", "sensitivity"],
        "sensitivity_of": [None, None, None, "y by a"],
        "test": ["pearson_chi2"] * 4,
        "p_value": [0.001, 0.01, 0.2, 0.03],
        "p_adjusted": [0.001, 0.02, 0.2, None],
        "effect_measure": ["odds_ratio_conditional"] * 4,
        "effect_size": [2.0, 1.5, 1.1, 30.0],
        "ci_low": [1.2, 1.1, 0.8, 3.5],
        "ci_high": [3.3, 2.0, 1.4, math.inf],
        "n": [100] * 4,
    }
)
HEADERS = {c: c.upper() for c in ("outcome", "predictor", "test", "p", "effect", "n")}


def test_sensitivity_rows_show_their_raw_p_marked_unadjusted_and_an_open_limit():
    shown = inference.tests_display(TESTS, "en", {"a": "Age band", "a_years": "Age in years"})
    assert shown["p"].tolist()[3] == "0.030 (unadjusted)"
    assert shown["p"].tolist()[1] == "0.020"
    assert shown["predictor"].tolist()[3] == "Age in years (instead of Age band)"
    assert shown["effect"].tolist()[3].endswith("(3.50–∞)")


def test_table_groups_tests_under_their_family():
    page = inference.tests_html(TESTS, "en", headers=HEADERS)
    groups = [
        '<th colspan="6" scope="colgroup">Confirmatory tests</th>',
        '<th colspan="6" scope="colgroup">Exploratory tests</th>',
        '<th colspan="6" scope="colgroup">Sensitivity checks</th>',
    ]
    positions = [page.index(group) for group in groups]
    assert positions == sorted(positions)


def test_family_sentences_count_significant_tests_per_family():
    assert inference.family_sentences(TESTS, alpha=0.05, lang="en") == [
        f"Confirmatory: 1{NBSP}test; significant after Holm adjustment within the family: 1.",
        f"Exploratory: 2{NBSP}tests; significant after Holm adjustment within the family: 1.",
        f"Sensitivity checks: 1{NBSP}test, p-values not adjusted; below 0.05: 1.",
    ]
    assert inference.family_sentences(TESTS, alpha=0.05, lang="lv")[0].startswith(
        "Apstiprinošie: 1"
    )


def test_synthetic_caveat_is_worded_in_each_language():
    assert "synthetic" in synthetic_tests_caveat("en")
    assert "sintētiski" in synthetic_tests_caveat("lv")
