"""Tests of association for small samples, and the rule that picks one.

Pearson's chi-square (no continuity correction) when every expected count is at least 5;
otherwise Fisher's exact test for 2x2 tables and a seeded Monte Carlo Fisher test for larger
ones; a linear-by-linear trend test when both variables are ordered (a binary variable and a
numeric predictor count as ordered) and one has more than two levels; the Kruskal-Wallis test
when a numeric predictor meets an unordered outcome, since a trend test would score the
outcome's categories by their arbitrary codebook order.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import stats
from scipy.stats.contingency import expected_freq

from ruralplan.analysis.contingency import PreparedTable
from ruralplan.analysis.counts import check_counts, check_scores

MIN_EXPECTED = 5.0


def choose_test(prepared: PreparedTable) -> tuple[str, str]:
    """Pick the test for a prepared table and say why.

    Parameters
    ----------
    prepared
        Output of :func:`.contingency.prepare_table`.

    Returns
    -------
    tuple of str
        The test name (``none``, ``linear_by_linear``, ``kruskal_wallis``, ``pearson_chi2``,
        ``fisher_exact`` or ``fisher_monte_carlo``) and the reason in plain words.
    """
    rows, cols = prepared.counts.shape
    if prepared.n == 0:
        return "none", "no respondent has both values; nothing to test"
    if rows < 2 or cols < 2:
        which = prepared.predictor if rows < 2 else prepared.outcome
        return "none", f"only one category of {which} observed; association cannot be tested"
    if prepared.continuous and not prepared.col_ordered:
        return (
            "kruskal_wallis",
            "numeric predictor and unordered outcome: Kruskal-Wallis test of the predictor "
            "across the outcome categories (whatever their order)",
        )
    if prepared.continuous:
        return "linear_by_linear", "numeric predictor: trend test with its values as scores"
    if prepared.row_ordered and prepared.col_ordered and max(rows, cols) > 2:
        return "linear_by_linear", "both variables ordered: trend test with equally spaced scores"
    smallest = float(expected_freq(prepared.counts.to_numpy()).min())
    if smallest >= MIN_EXPECTED:
        return "pearson_chi2", f"every expected count is at least {MIN_EXPECTED:g}"
    if (rows, cols) == (2, 2):
        return "fisher_exact", f"an expected count is below {MIN_EXPECTED:g} in a 2x2 table"
    return (
        "fisher_monte_carlo",
        f"an expected count is below {MIN_EXPECTED:g} in a {rows}x{cols} table: "
        "Fisher's exact test with a seeded Monte Carlo p-value",
    )


def pearson_chi2(counts: np.ndarray) -> tuple[float, float, float]:
    """Return Pearson's chi-square statistic, degrees of freedom and p-value (no correction).

    Parameters
    ----------
    counts
        A two-way table of counts without empty rows or columns.

    Returns
    -------
    tuple of float
        Statistic, degrees of freedom, p-value.

    Raises
    ------
    ValueError
        If a cell is not a count (negative, not whole, not finite).
    """
    result = stats.chi2_contingency(check_counts(counts), correction=False)
    return float(result.statistic), float(result.dof), float(result.pvalue)


def fisher_test(counts: np.ndarray, *, seed: int, n_resamples: int = 20_000) -> float:
    """Return the two-sided p-value of Fisher's exact test.

    2x2 tables are exact. Larger tables get a seeded Monte Carlo p-value: random tables with
    the observed margins (``scipy.stats.random_table``) and the share of them no more
    probable than the observed one, ``(k + 1) / (n_resamples + 1)``. This is what
    ``scipy.stats.fisher_exact`` does with a ``MonteCarloMethod`` (the same draws and p-value
    for a given seed), without its failure when the counts exceed the number of simulated
    cells (scipy then mistakes the batch of tables for a single one).

    Parameters
    ----------
    counts
        A two-way table of counts.
    seed
        Seed of the Monte Carlo random generator.
    n_resamples
        Number of Monte Carlo tables (r x c only).

    Returns
    -------
    float
        The p-value.

    Raises
    ------
    ValueError
        If a cell is not a count: 2.5 respondents are refused, not truncated to 2.
    """
    counts = check_counts(counts).astype(np.int64)
    if counts.shape == (2, 2):
        return float(stats.fisher_exact(counts).pvalue)
    rng = np.random.default_rng(seed)
    tables = stats.random_table(counts.sum(axis=1), counts.sum(axis=0), seed=rng)
    simulated = tables.pmf(tables.rvs(size=n_resamples))
    observed = float(tables.pmf(counts))
    # tables exactly as probable as the observed one can differ from it in the last digits
    slack = abs(observed) * np.finfo(float).eps * 100
    return float((np.sum(simulated <= observed + slack) + 1) / (n_resamples + 1))


def weighted_r(counts: np.ndarray, row_scores: np.ndarray, col_scores: np.ndarray) -> np.ndarray:
    """Pearson correlation of the scores over one table or a stack of tables (last two axes).

    Raises
    ------
    ValueError
        If a cell is not a count or the scores do not match the table.
    """
    counts = check_counts(counts, stacked=True)
    row_scores = check_scores(row_scores, counts.shape[-2], name="row_scores")
    col_scores = check_scores(col_scores, counts.shape[-1], name="col_scores")
    n = counts.sum(axis=(-2, -1))
    rows, cols = counts.sum(axis=-1), counts.sum(axis=-2)
    mean_u = (rows * row_scores).sum(axis=-1) / n
    mean_v = (cols * col_scores).sum(axis=-1) / n
    du = row_scores - mean_u[..., None]
    dv = col_scores - mean_v[..., None]
    cov = (counts * du[..., :, None] * dv[..., None, :]).sum(axis=(-2, -1))
    var_u = (rows * du**2).sum(axis=-1)
    var_v = (cols * dv**2).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return cov / np.sqrt(var_u * var_v)


def linear_by_linear(
    counts: np.ndarray, *, row_scores: Sequence[float], col_scores: Sequence[float]
) -> tuple[float, float, float, float]:
    """Return the linear-by-linear association test ``M2 = (n - 1) r**2`` (Agresti 2013, 3.4.1).

    Equal to ``coin::lbl_test`` with the same scores (asymptotic p-value, 1 df).

    Parameters
    ----------
    counts
        A two-way table of counts.
    row_scores, col_scores
        Scores of the row and column categories.

    Returns
    -------
    tuple of float
        Statistic ``M2``, degrees of freedom (1), p-value, and the correlation ``r``.

    Raises
    ------
    ValueError
        If a cell is not a count (a negative cell once gave r = 1.18) or the scores do not
        match the table.
    """
    counts = check_counts(counts)
    r = float(weighted_r(counts, row_scores, col_scores))
    statistic = (counts.sum() - 1) * r**2
    return float(statistic), 1.0, float(stats.chi2.sf(statistic, 1)), r


def kruskal_h(counts: np.ndarray) -> np.ndarray:
    """Return the tie-corrected Kruskal-Wallis H of one table or a stack of tables.

    Rows are the distinct values of a numeric variable in increasing order, columns the groups;
    each row's respondents share its mid-rank. Empty groups are left out.

    Parameters
    ----------
    counts
        A table, or a stack of tables along the first axes.

    Returns
    -------
    numpy.ndarray
        H for each table (a 0-d array for one table); NaN when every value is tied.

    Raises
    ------
    ValueError
        If a cell is not a count.

    Examples
    --------
    >>> round(float(kruskal_h(np.array([[1, 0], [1, 0], [0, 1], [0, 1]]))), 4)
    2.4
    """
    counts = check_counts(counts, stacked=True)
    ties = counts.sum(axis=-1)
    n = ties.sum(axis=-1)
    mid_ranks = np.cumsum(ties, axis=-1) - (ties - 1) / 2
    rank_sums = (counts * mid_ranks[..., :, None]).sum(axis=-2)
    sizes = counts.sum(axis=-2)
    with np.errstate(invalid="ignore", divide="ignore"):
        spread = np.where(sizes > 0, rank_sums**2 / np.where(sizes > 0, sizes, 1), 0.0)
        h = 12 / (n * (n + 1)) * spread.sum(axis=-1) - 3 * (n + 1)
        return h / (1 - (ties**3 - ties).sum(axis=-1) / (n**3 - n))


def kruskal_wallis(counts: np.ndarray) -> tuple[float, float, float]:
    """Return the Kruskal-Wallis test of a numeric variable (rows) across groups (columns).

    The same statistic as R's ``kruskal.test`` and ``scipy.stats.kruskal`` (mid-ranks for
    ties, with the tie correction), on ``groups - 1`` degrees of freedom. Swapping groups does
    not change it.

    Parameters
    ----------
    counts
        Rows: distinct values in increasing order; columns: groups; no empty rows or columns.

    Returns
    -------
    tuple of float
        Statistic H, degrees of freedom, p-value (chi-square approximation).

    Raises
    ------
    ValueError
        If a cell is not a count.
    """
    counts = check_counts(counts)
    statistic = float(kruskal_h(counts))
    df = float((counts.sum(axis=0) > 0).sum() - 1)
    return statistic, df, float(stats.chi2.sf(statistic, df))
