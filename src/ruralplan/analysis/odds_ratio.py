"""The conditional maximum-likelihood odds ratio of a 2x2 table and its exact interval.

Given the margins, the first cell ``a`` follows Fisher's noncentral hypergeometric distribution
with the odds ratio ``psi`` as its parameter. The estimate solves ``E[a; psi] = a`` and the
two-sided interval solves ``P(X >= a; psi) = alpha / 2`` and ``P(X <= a; psi) = alpha / 2``,
exactly as R's ``fisher.test`` and ``scipy.stats.contingency.odds_ratio(kind="conditional")``.

scipy sums the distribution over its whole support, which grows with the counts (a second at a
thousand per cell, minutes at a hundred thousand, an integer overflow beyond 2**31). Here only a
window around ``a`` is summed: the distribution is log-concave, and at every ``psi`` that the
answer depends on its mass lies within a few standard deviations of ``a``, so the window holds
it all (:data:`WINDOW_SDS` standard deviations plus :data:`WINDOW_EXTRA` values on each side).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.optimize import brentq
from scipy.special import logsumexp

from ruralplan.analysis.counts import check_counts

WINDOW_SDS = 20
WINDOW_EXTRA = 50
_MAX_DOUBLINGS = 64


def conditional_odds_ratio(
    counts: np.ndarray, *, level: float = 0.95
) -> tuple[float, float, float]:
    """Return the conditional maximum-likelihood odds ratio and its exact interval.

    The same quantities as R's ``fisher.test`` for a 2x2 table ``[[a, b], [c, d]]``: above 1
    means the second outcome category is more common in the second predictor category. Any
    size of table takes milliseconds.

    Parameters
    ----------
    counts
        A 2x2 table of counts.
    level
        Confidence level of the interval.

    Returns
    -------
    tuple of float
        Estimate, lower and upper limits (0 or ``inf`` at the boundary, for a zero cell); NaN
        when a row or column is empty.

    Raises
    ------
    ValueError
        If the table is not 2x2 or a cell is not a count.

    Examples
    --------
    >>> estimate, low, high = conditional_odds_ratio(np.array([[3, 1], [1, 3]]))
    >>> round(estimate, 4), round(low, 4), round(high, 2)
    (6.4083, 0.2117, 626.24)
    """
    table = check_counts(counts)
    if table.shape != (2, 2):
        raise ValueError(f"The conditional odds ratio needs a 2x2 table, not {table.shape}.")
    a, b, c, d = (int(v) for v in table.ravel())
    if min(a + b, c + d, a + c, b + d) == 0:
        return float("nan"), float("nan"), float("nan")
    values, log_weights = _window(a, b, c, d)
    alpha = (1 - level) / 2
    start = float(np.log((a + 0.5) * (d + 0.5) / ((b + 0.5) * (c + 0.5))))
    lowest, highest = max(0, a - d), a + min(b, c)
    above, below = values >= a, values <= a

    def log_pmf(t: float) -> np.ndarray:
        weights = log_weights + (values - a) * t
        return weights - logsumexp(weights)

    def mean_gap(t: float) -> float:
        return float(np.exp(log_pmf(t)) @ (values - a))

    def upper_tail(t: float) -> float:
        return float(logsumexp(log_pmf(t)[above]) - np.log(alpha))

    def lower_tail(t: float) -> float:
        return float(np.log(alpha) - logsumexp(log_pmf(t)[below]))

    if a == lowest:
        return 0.0, 0.0, float(np.exp(_increasing_root(lower_tail, start)))
    if a == highest:
        return float("inf"), float(np.exp(_increasing_root(upper_tail, start))), float("inf")
    estimate, low, high = (_increasing_root(f, start) for f in (mean_gap, upper_tail, lower_tail))
    return float(np.exp(estimate)), float(np.exp(low)), float(np.exp(high))


def _window(a: int, b: int, c: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    """Values of the first cell around ``a`` and their log weights (up to a constant).

    The weight of ``x`` is ``C(a + b, x) C(c + d, a + c - x)``; neighbours' ratios are summed
    instead of taking differences of huge log-factorials, which would lose the digits.
    """
    sd = 1 / np.sqrt(sum(1 / (v + 0.5) for v in (a, b, c, d)))
    half = int(np.ceil(WINDOW_SDS * sd)) + WINDOW_EXTRA
    first, last = max(max(0, a - d), a - half), min(a + min(b, c), a + half)
    values = np.arange(first, last + 1, dtype=np.int64)
    x = values[:-1].astype(float)
    rows, cols, rest = float(a + b), float(a + c), float(d - a)
    steps = np.log(rows - x) + np.log(cols - x) - np.log(x + 1) - np.log(rest + x + 1)
    return values, np.concatenate([[0.0], np.cumsum(steps)])


def _increasing_root(f: Callable[[float], float], start: float) -> float:
    """Solve ``f(t) = 0`` for an increasing ``f``, widening a bracket around ``start``."""
    low, high, step = start - 1.0, start + 1.0, 1.0
    for _ in range(_MAX_DOUBLINGS):
        if f(low) <= 0:
            break
        low, step = low - step, step * 2
    step = 1.0
    for _ in range(_MAX_DOUBLINGS):
        if f(high) >= 0:
            break
        high, step = high + step, step * 2
    return float(brentq(f, low, high, xtol=1e-13, rtol=4 * np.finfo(float).eps, maxiter=500))
