"""ruralplan.analysis.crosstab against R (tests/data/r/) and published textbook values."""

from __future__ import annotations

import contextlib
import signal

import numpy as np
import pandas as pd
import pytest
from scipy import special
from scipy.stats.contingency import odds_ratio

from ruralplan.analysis import crosstab

R_DIR = "tests/data/r"
TOL = 1e-6


@pytest.fixture(scope="module")
def tables(project_root):
    long = pd.read_csv(project_root / R_DIR / "tables.csv")
    result = {}
    for table_id, group in long.groupby("table_id"):
        counts = np.zeros((group["row"].max(), group["col"].max()), dtype=int)
        counts[group["row"] - 1, group["col"] - 1] = group["count"]
        result[table_id] = counts
    return result


@pytest.fixture(scope="module")
def r_values(project_root):
    frame = pd.read_csv(project_root / R_DIR / "r_results.csv")
    return {(t, q): v for t, q, v in frame.itertuples(index=False)}


TABLE_IDS = [
    "tea",
    "malformation",
    "age_by_strategy",
    "type_by_status",
    "zero_cell",
    "large_2x2",
    "small_2x3",
]


def _scores(n):
    return np.arange(1, n + 1, dtype=float)


@pytest.mark.parametrize("table_id", TABLE_IDS)
def test_pearson_chi2_matches_r(tables, r_values, table_id):
    statistic, df, p_value = crosstab.pearson_chi2(tables[table_id])
    assert statistic == pytest.approx(r_values[table_id, "chisq_statistic"], abs=TOL, rel=TOL)
    assert df == r_values[table_id, "chisq_df"]
    assert p_value == pytest.approx(r_values[table_id, "chisq_p"], abs=TOL)


@pytest.mark.parametrize("table_id", TABLE_IDS)
def test_cramers_v_plain_and_corrected_match_r(tables, r_values, table_id):
    counts = tables[table_id]
    assert float(crosstab.cramers_v(counts)) == pytest.approx(
        r_values[table_id, "cramers_v"], abs=TOL
    )
    assert float(crosstab.cramers_v(counts, corrected=True)) == pytest.approx(
        r_values[table_id, "cramers_v_bc"], abs=TOL
    )


@pytest.mark.parametrize("table_id", TABLE_IDS)
def test_linear_by_linear_matches_coin(tables, r_values, table_id):
    counts = tables[table_id]
    statistic, df, p_value, r = crosstab.linear_by_linear(
        counts, row_scores=_scores(counts.shape[0]), col_scores=_scores(counts.shape[1])
    )
    assert statistic == pytest.approx(r_values[table_id, "lbl_statistic"], abs=TOL, rel=TOL)
    assert df == 1
    assert p_value == pytest.approx(r_values[table_id, "lbl_p"], abs=TOL)
    # coin's Z carries the sign of the correlation
    assert np.sign(r) == np.sign(r_values[table_id, "lbl_z"])


@pytest.mark.parametrize("table_id", ["tea", "zero_cell", "large_2x2"])
def test_fisher_2x2_p_and_conditional_odds_ratio_match_r(tables, r_values, table_id):
    counts = tables[table_id]
    assert crosstab.fisher_test(counts, seed=1) == pytest.approx(
        r_values[table_id, "fisher_p"], abs=TOL
    )
    estimate, low, high = crosstab.conditional_odds_ratio(counts)
    assert estimate == pytest.approx(r_values[table_id, "or_tight"], rel=TOL)
    assert low == pytest.approx(r_values[table_id, "ci_low_tight"], rel=TOL, abs=TOL)
    assert high == pytest.approx(r_values[table_id, "ci_high_tight"], rel=TOL)
    # fisher.test's own output, solved with uniroot's default tolerance, agrees to ~1e-4
    assert estimate == pytest.approx(r_values[table_id, "fisher_or"], rel=1e-4, abs=TOL)
    assert high == pytest.approx(r_values[table_id, "fisher_ci_high"], rel=1e-2)


@pytest.mark.parametrize("table_id", ["age_by_strategy", "type_by_status", "small_2x3"])
def test_fisher_monte_carlo_is_within_three_standard_errors_of_r_exact(tables, r_values, table_id):
    n_resamples = 20_000
    p_value = crosstab.fisher_test(tables[table_id], seed=2024, n_resamples=n_resamples)
    exact = r_values[table_id, "fisher_p"]
    assert abs(p_value - exact) < 3 * np.sqrt(exact * (1 - exact) / n_resamples)


def test_fisher_monte_carlo_is_reproducible_with_a_seed(tables):
    first = crosstab.fisher_test(tables["type_by_status"], seed=7, n_resamples=2000)
    again = crosstab.fisher_test(tables["type_by_status"], seed=7, n_resamples=2000)
    other = crosstab.fisher_test(tables["type_by_status"], seed=8, n_resamples=2000)
    assert first == again
    assert first != other


def test_tea_tasting_matches_agresti_and_hand_computation(tables):
    # Fisher's tea-tasting table (Agresti 2013, Categorical Data Analysis, 3rd ed., Section
    # 3.5): the hypergeometric probabilities of 0..4 correct cups are 1, 16, 36, 16, 1 out of
    # 70, so the two-sided P is (1 + 16 + 16 + 1) / 70 = 0.486, as Agresti reports.
    assert crosstab.fisher_test(tables["tea"], seed=1) == pytest.approx(34 / 70, abs=1e-12)
    estimate, low, high = crosstab.conditional_odds_ratio(tables["tea"])
    assert low < 1 < estimate < high  # not significant: the interval covers 1


def test_malformation_trend_matches_agresti(tables, r_values):
    # Agresti (2013), Section 3.4 (infant malformation and alcohol consumption): with
    # scores 0, 0.5, 1.5, 4, 7 for alcohol consumption, r = 0.0142, M2 = 6.57, P = 0.01;
    # with equally spaced scores M2 = 1.83.
    counts = tables["malformation"]
    statistic, _, p_value, r = crosstab.linear_by_linear(
        counts, row_scores=[0, 0.5, 1.5, 4, 7], col_scores=[0, 1]
    )
    assert r == pytest.approx(0.0142, abs=5e-5)
    assert statistic == pytest.approx(6.57, abs=5e-3)
    assert p_value == pytest.approx(0.0104, abs=5e-5)
    assert statistic == pytest.approx(r_values["malformation", "lbl_scored_statistic"], rel=TOL)
    assert p_value == pytest.approx(r_values["malformation", "lbl_scored_p"], abs=TOL)
    equal, _, _, _ = crosstab.linear_by_linear(counts, row_scores=_scores(5), col_scores=[0, 1])
    assert equal == pytest.approx(1.83, abs=5e-3)


def test_bergsma_correction_by_hand():
    # 2x2 table [[10, 0], [0, 10]]: chi2 = 20, n = 20, phi2 = 1.
    # Bergsma: phi2~ = 1 - 1/19; r~ = k~ = 2 - 1/19; V~ = sqrt((18/19) / (1 - 1/19)) = 1.
    assert float(crosstab.cramers_v(np.array([[10, 0], [0, 10]]), corrected=True)) == 1.0
    # Independence table: phi2 = 0, corrected V truncated at 0 (not negative, not NaN).
    assert float(crosstab.cramers_v(np.array([[5, 5], [5, 5]]), corrected=True)) == 0.0


@contextlib.contextmanager
def _time_limit(seconds):
    def stop(signum, frame):
        raise TimeoutError(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("per_cell", [10**4, 10**7])
def test_conditional_odds_ratio_of_large_counts_is_quick_and_agrees_with_woolf(per_cell):
    # For large counts the conditional estimate tends to the sample odds ratio ad/bc = 1/6 and
    # the exact interval to Woolf's (1955, Ann. Hum. Genet. 19, 251-253): log(ad/bc) +/- 1.96
    # sqrt(1/a + 1/b + 1/c + 1/d). scipy needs seconds at 10**4 per cell and never ends at 10**7.
    a, b, c, d = per_cell, 2 * per_cell, 3 * per_cell, per_cell
    with _time_limit(3):
        estimate, low, high = crosstab.conditional_odds_ratio(np.array([[a, b], [c, d]]))
    half = 1.959964 * np.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    tolerance = 1e-3 if per_cell == 10**4 else 1e-6
    assert estimate == pytest.approx(1 / 6, rel=tolerance)
    assert low == pytest.approx(np.exp(np.log(1 / 6) - half), rel=tolerance)
    assert high == pytest.approx(np.exp(np.log(1 / 6) + half), rel=tolerance)


@pytest.mark.parametrize(
    "counts",
    [
        [[3, 1], [1, 3]],
        [[0, 5], [7, 2]],
        [[12, 0], [4, 9]],
        [[1, 40], [250, 30]],
        [[90, 60], [45, 80]],
    ],
)
def test_conditional_odds_ratio_agrees_with_scipy(counts):
    # scipy's odds_ratio(kind="conditional") is an independent implementation of the same
    # definition (it sums the whole support)
    reference = odds_ratio(np.array(counts), kind="conditional")
    interval = reference.confidence_interval(0.95)
    ours = crosstab.conditional_odds_ratio(np.array(counts))
    expected = (reference.statistic, interval.low, interval.high)
    assert ours == pytest.approx(expected, rel=1e-9)


def _exact_fisher_p_3x2(counts):
    # Every table with the margins of `counts` (3 x 2): first-column cells x1, x2, x3 with
    # probability C(r1, x1) C(r2, x2) C(r3, x3) / C(n, c1) (multivariate hypergeometric); the
    # p-value sums those no more probable than the observed table.
    rows, first = np.sum(counts, axis=1), int(np.sum(counts, axis=0)[0])
    x1, x2 = np.meshgrid(np.arange(rows[0] + 1), np.arange(rows[1] + 1), indexing="ij")
    x3 = first - x1 - x2
    possible = (x3 >= 0) & (x3 <= rows[2])
    x3 = np.clip(x3, 0, rows[2])

    def log_choose(m, k):
        return special.gammaln(m + 1) - special.gammaln(k + 1) - special.gammaln(m - k + 1)

    log_p = log_choose(rows[0], x1) + log_choose(rows[1], x2) + log_choose(rows[2], x3)
    log_p = np.where(possible, log_p, -np.inf)
    observed = log_p[counts[0][0], counts[1][0]]
    probabilities = np.exp(log_p - special.logsumexp(log_p))
    return min(1.0, probabilities[log_p <= observed + 1e-7].sum())


@pytest.mark.parametrize(
    "counts", [[[1, 2], [3000, 3000], [3000, 3000]], [[2, 8], [3000, 3000], [3000, 3000]]]
)
def test_fisher_monte_carlo_with_large_counts_works_and_matches_the_exact_p(counts):
    # scipy's Monte Carlo r x c Fisher test reshapes its batch wrongly when the counts exceed
    # the number of cells it simulates (here 6 cells x 2000 tables < 12 003 respondents) and
    # raised "cannot reshape array of size 12000 into shape (3,2)".
    exact = _exact_fisher_p_3x2(counts)
    p_value = crosstab.fisher_test(counts, seed=1, n_resamples=2000)
    assert abs(p_value - exact) < 3 * np.sqrt(exact * (1 - exact) / 2000) + 1 / 2001
    assert p_value == crosstab.fisher_test(counts, seed=1, n_resamples=2000)


def test_fisher_monte_carlo_exact_p_by_enumeration_is_right_for_a_small_table():
    # the enumeration above, on a table small enough to do by hand: margins 1, 1, 2 and 2, 2
    # allow first columns (1, 1, 0), (1, 0, 1), (0, 1, 1), (0, 0, 2) with probabilities
    # 1/6, 2/6, 2/6, 1/6 (C(1, x1) C(1, x2) C(2, x3) / C(4, 2)); the observed (1, 1, 0) and
    # (0, 0, 2) are the least probable, so p = 2/6.
    assert _exact_fisher_p_3x2([[1, 0], [1, 0], [0, 2]]) == pytest.approx(2 / 6)
