"""Effect sizes of a contingency table with 95 % intervals.

Conditional maximum-likelihood odds ratio with exact interval (2x2), Pearson correlation of the
scores (trend), eta squared of the Kruskal-Wallis H (numeric predictor, unordered outcome), and
Cramér's V plain and bias-corrected (Bergsma 2013, J. Korean Stat. Soc. 42(3), 323-328), the
last three with a seeded bootstrap interval.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ruralplan.analysis.association import kruskal_h, weighted_r
from ruralplan.analysis.contingency import PreparedTable
from ruralplan.analysis.counts import check_counts
from ruralplan.analysis.odds_ratio import conditional_odds_ratio


def cramers_v(counts: np.ndarray, *, corrected: bool = False) -> np.ndarray:
    """Return Cramér's V, optionally bias-corrected (Bergsma 2013), for one or many tables.

    Empty rows and columns are ignored; a table with fewer than two non-empty rows or columns
    gives NaN.

    Parameters
    ----------
    counts
        A table, or a stack of tables along the first axes.
    corrected
        Apply Bergsma's bias correction.

    Returns
    -------
    numpy.ndarray
        V for each table (a 0-d array for one table).

    Raises
    ------
    ValueError
        If a cell is negative, not whole or not finite (the message names it).

    Examples
    --------
    >>> float(cramers_v(np.array([[10, 0], [0, 10]])))
    1.0
    """
    counts = check_counts(counts, stacked=True)
    n = counts.sum(axis=(-2, -1))
    rows, cols = counts.sum(axis=-1), counts.sum(axis=-2)
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = rows[..., :, None] * cols[..., None, :] / n[..., None, None]
        terms = np.where(expected > 0, (counts - expected) ** 2 / expected, 0.0)
        phi2 = terms.sum(axis=(-2, -1)) / n
    r, k = (rows > 0).sum(axis=-1), (cols > 0).sum(axis=-1)
    if corrected:
        # Bergsma's correction divides by n - 1: undefined for a single respondent.
        with np.errstate(invalid="ignore", divide="ignore"):
            phi2 = np.maximum(0.0, phi2 - (r - 1) * (k - 1) / (n - 1))
            r, k = r - (r - 1) ** 2 / (n - 1), k - (k - 1) ** 2 / (n - 1)
    denominator = np.minimum(r, k) - 1
    defined = (denominator > 0) & (n > 1 if corrected else n > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(defined, np.sqrt(phi2 / denominator), np.nan)


def eta_squared_h(counts: np.ndarray) -> np.ndarray:
    """Return eta squared of the Kruskal-Wallis H, ``(H - k + 1) / (n - k)``, at least 0.

    The share of rank variance between the ``k`` groups (Tomczak & Tomczak 2014, Trends Sport
    Sci. 21(1), 19-25); a negative value (H below its expectation) is reported as 0.

    Parameters
    ----------
    counts
        A table (rows: increasing values, columns: groups) or a stack of tables.

    Returns
    -------
    numpy.ndarray
        Eta squared per table; NaN when it is undefined (every value tied, or ``n <= k``).

    Raises
    ------
    ValueError
        If a cell is not a count.
    """
    counts = check_counts(counts, stacked=True)
    k = (counts.sum(axis=-2) > 0).sum(axis=-1)
    n = counts.sum(axis=(-2, -1))
    with np.errstate(invalid="ignore", divide="ignore"):
        value = (kruskal_h(counts) - k + 1) / (n - k)
    return np.where(n > k, np.maximum(value, 0.0), np.nan)


def bootstrap_tables(counts: np.ndarray, *, seed: int, n_resamples: int = 2000) -> np.ndarray:
    """Resample respondents with replacement, returned as a stack of tables.

    Drawing ``n`` respondents from the observed table is a multinomial draw with the observed
    cell proportions, which is what this does.

    Parameters
    ----------
    counts
        The observed table.
    seed
        Seed of the random generator.
    n_resamples
        Number of bootstrap tables.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_resamples, rows, cols)``.

    Raises
    ------
    ValueError
        If a cell is not a count or the table is empty.
    """
    counts = check_counts(counts).astype(np.int64)
    if counts.sum() == 0:
        raise ValueError("counts: an empty table (no respondents) cannot be resampled.")
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(int(counts.sum()), counts.ravel() / counts.sum(), size=n_resamples)
    return draws.reshape((n_resamples, *counts.shape))


def _percentile_interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    values = values[np.isfinite(values)]
    if values.size == 0:
        return float("nan"), float("nan")
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    return float(low), float(high)


def effect_sizes(
    prepared: PreparedTable, *, seed: int, n_resamples: int = 2000
) -> list[dict[str, Any]]:
    """Compute every applicable effect size with a 95 % interval.

    Parameters
    ----------
    prepared
        Output of :func:`.contingency.prepare_table` with at least two rows and two columns.
    seed
        Seed of the bootstrap.
    n_resamples
        Bootstrap resamples.

    Returns
    -------
    list of dict
        Rows with ``effect_measure, effect_size, ci_low, ci_high``.
    """
    counts = prepared.counts.to_numpy()
    boot = bootstrap_tables(counts, seed=seed, n_resamples=n_resamples)
    found: list[dict[str, Any]] = []
    if counts.shape == (2, 2):
        estimate, low, high = conditional_odds_ratio(counts)
        found.append(_effect("odds_ratio_conditional", estimate, low, high))
    if prepared.row_ordered and prepared.col_ordered:
        r = weighted_r(counts.astype(float), prepared.row_scores, prepared.col_scores)
        boot_r = weighted_r(boot.astype(float), prepared.row_scores, prepared.col_scores)
        found.append(_effect("pearson_r_scores", float(r), *_percentile_interval(boot_r)))
    if prepared.continuous and not prepared.col_ordered:
        value = float(eta_squared_h(counts))
        interval = _percentile_interval(eta_squared_h(boot))
        found.append(_effect("eta_squared_h", value, *interval))
    if not prepared.continuous:
        for name, corrected in (("cramers_v", False), ("cramers_v_corrected", True)):
            value = float(cramers_v(counts, corrected=corrected))
            interval = _percentile_interval(cramers_v(boot, corrected=corrected))
            found.append(_effect(name, value, *interval))
    return found


def _effect(name: str, value: float, low: float, high: float) -> dict[str, Any]:
    return {"effect_measure": name, "effect_size": value, "ci_low": low, "ci_high": high}
