"""Invalid counts and p-values are refused at every public entry point, naming the bad cell."""

from __future__ import annotations

import numpy as np
import pytest

from ruralplan.analysis import crosstab
from ruralplan.analysis.association import kruskal_h, weighted_r
from ruralplan.analysis.effects import eta_squared_h

# (function, extra keyword arguments) of every public function that takes a table of counts
TABLE_FUNCTIONS = {
    "cramers_v": (crosstab.cramers_v, {}),
    "cramers_v_corrected": (crosstab.cramers_v, {"corrected": True}),
    "pearson_chi2": (crosstab.pearson_chi2, {}),
    "fisher_test": (crosstab.fisher_test, {"seed": 1, "n_resamples": 100}),
    "linear_by_linear": (crosstab.linear_by_linear, {"row_scores": [0, 1], "col_scores": [0, 1]}),
    "kruskal_wallis": (crosstab.kruskal_wallis, {}),
    "kruskal_h": (kruskal_h, {}),
    "eta_squared_h": (eta_squared_h, {}),
    "conditional_odds_ratio": (crosstab.conditional_odds_ratio, {}),
    "bootstrap_tables": (crosstab.bootstrap_tables, {"seed": 1, "n_resamples": 10}),
    "weighted_r": (weighted_r, {"row_scores": [0, 1], "col_scores": [0, 1]}),
}


def _call(name, table):
    function, kwargs = TABLE_FUNCTIONS[name]
    if name == "weighted_r":
        return function(np.asarray(table), np.array([0.0, 1.0]), np.array([0.0, 1.0]))
    return function(table, **kwargs)


@pytest.mark.parametrize("name", TABLE_FUNCTIONS)
@pytest.mark.parametrize(
    ("table", "message"),
    [
        ([[5, -2], [3, 7]], r"cell \(0, 1\) is -2"),
        ([[2.5, 1], [3, 4]], r"cell \(0, 0\) is 2\.5"),
        ([[5, 2], [np.nan, 7]], r"cell \(1, 0\) is nan"),
        ([[5, 2], [3, np.inf]], r"cell \(1, 1\) is inf"),
    ],
    ids=["negative", "fraction", "nan", "inf"],
)
def test_a_table_that_is_not_counts_is_refused_with_the_cell_named(name, table, message):
    with pytest.raises(ValueError, match="must be whole numbers of 0 or more, but " + message):
        _call(name, table)


def test_the_issue_examples_no_longer_give_impossible_values():
    # the issue: V = 1.18 and r = 1.18 from a negative cell, Fisher's 2.5 truncated to 2
    with pytest.raises(ValueError, match=r"cell \(0, 1\) is -2"):
        crosstab.cramers_v(np.array([[5, -2], [3, 7]]))
    with pytest.raises(ValueError, match=r"cell \(0, 1\) is -2"):
        crosstab.linear_by_linear([[5, -2], [3, 7]], row_scores=[0, 1], col_scores=[0, 1])
    with pytest.raises(ValueError, match=r"2\.5"):
        crosstab.fisher_test([[2.5, 1], [3, 4]], seed=1)


def test_valid_tables_still_give_the_textbook_values():
    # V of a perfect 2x2 association is 1; Fisher's exact test of Agresti's tea tasting
    # table [[3, 1], [1, 3]] has two-sided p = 34/70 = 0.4857 (Agresti 2013, Table 3.8)
    assert float(crosstab.cramers_v(np.array([[10, 0], [0, 10]]))) == 1.0
    assert crosstab.fisher_test([[3, 1], [1, 3]], seed=1) == pytest.approx(34 / 70)
    # floats holding whole numbers are counts too
    assert crosstab.fisher_test(np.array([[3.0, 1.0], [1.0, 3.0]]), seed=1) == pytest.approx(
        34 / 70
    )


def test_several_bad_cells_are_listed_and_counted():
    table = [[-1, -2, -3, -4], [1, 2, 3, 4]]
    with pytest.raises(ValueError, match=r"cell \(0, 2\) is -3 and 1 more cells are not counts"):
        crosstab.pearson_chi2(table)


def test_a_stack_of_tables_names_the_table_as_well():
    stack = np.ones((3, 2, 2))
    stack[2, 1, 0] = -1
    with pytest.raises(ValueError, match=r"cell \(2, 1, 0\) is -1"):
        crosstab.cramers_v(stack)
    # a single-table function refuses a stack
    with pytest.raises(ValueError, match=r"2 dimensions .* shape is \(3, 2, 2\)"):
        crosstab.pearson_chi2(np.ones((3, 2, 2)))


def test_text_and_one_dimensional_input_are_refused():
    with pytest.raises(ValueError, match="must be a table of numbers"):
        crosstab.cramers_v([["a", "b"], ["c", "d"]])
    with pytest.raises(ValueError, match=r"shape is \(4,\)"):
        crosstab.fisher_test([1, 2, 3, 4], seed=1)


def test_scores_must_match_the_table():
    with pytest.raises(ValueError, match="row_scores must hold 2 numbers"):
        crosstab.linear_by_linear([[1, 2], [3, 4]], row_scores=[0, 1, 2], col_scores=[0, 1])
    with pytest.raises(ValueError, match="col_scores must be finite"):
        crosstab.linear_by_linear([[1, 2], [3, 4]], row_scores=[0, 1], col_scores=[0, np.nan])


def test_the_odds_ratio_needs_a_2x2_table():
    with pytest.raises(ValueError, match=r"needs a 2x2 table, not \(3, 2\)"):
        crosstab.conditional_odds_ratio([[1, 2], [3, 4], [5, 6]])


def test_an_empty_table_cannot_be_resampled():
    with pytest.raises(ValueError, match="empty table"):
        crosstab.bootstrap_tables([[0, 0], [0, 0]], seed=1)


def test_p_values_outside_0_and_1_are_refused():
    # the issue: adjust_p_values([.1, 1.3, -.2]) returned [0.2, 1.0, -0.6]
    with pytest.raises(ValueError, match=r"position 1: 1\.3, position 2: -0\.2"):
        crosstab.adjust_p_values([0.1, 1.3, -0.2])
    with pytest.raises(ValueError, match=r"position 0: inf"):
        crosstab.adjust_p_values([np.inf], method="bh")
    # NaN still marks an untested pair; Holm by hand: 2 * 0.01, max(0.02, 0.04)
    np.testing.assert_allclose(crosstab.adjust_p_values([0.01, np.nan, 0.04]), [0.02, np.nan, 0.04])


def test_pearson_chi2_of_valid_counts_by_hand():
    # 2x2 shortcut: chi2 = n (ad - bc)^2 / (r1 r2 c1 c2) = 33 * 73^2 / (17 * 16 * 19 * 14)
    statistic, df, _ = crosstab.pearson_chi2([[12, 5], [7, 9]])
    assert statistic == pytest.approx(33 * 73**2 / (17 * 16 * 19 * 14))
    assert df == 1


@pytest.mark.parametrize(
    ("counts", "nobs", "message"),
    [
        (5, 3, "counts = 5 and nobs = 3"),
        (-1, 10, "counts = -1 and nobs = 10"),
        (2.5, 10, "counts = 2.5 and nobs = 10"),
        (1, np.nan, "counts = 1 and nobs = nan"),
        ([1, 4, 2], [5, 3, 5], "at position 1 counts = 4 and nobs = 3"),
    ],
    ids=["more-than-trials", "negative", "fraction", "nan-trials", "array"],
)
def test_wilson_interval_refuses_counts_that_are_not_binomial(counts, nobs, message):
    # the issue: wilson_interval(5, 3) and wilson_interval(-1, 10) returned (nan, nan)
    from ruralplan.survey.tabulate import wilson_interval

    with pytest.raises(ValueError, match=message):
        wilson_interval(counts, nobs)


def test_wilson_interval_still_gives_newcombe_and_nan_for_no_trials():
    from ruralplan.survey.tabulate import wilson_interval

    # Newcombe (1998, Stat. Med. 17:857-872), Table I: 81/263 gives 0.2553-0.3662
    low, high = wilson_interval(81, 263)
    assert (round(low, 2), round(high, 2)) == (25.53, 36.62)
    assert all(np.isnan(wilson_interval(0, 0)))
