"""Cross-tabulations and tests of association for small samples.

The test is chosen the way publication tables do it and every result says which test ran and
why: Pearson's chi-square (no continuity correction) when every expected count is at least 5;
otherwise Fisher's exact test for 2x2 tables and a seeded Monte Carlo Fisher test for larger
ones; a linear-by-linear trend test when both variables are ordered (a binary variable counts as
ordered) and one has more than two levels. Effect sizes: conditional maximum-likelihood odds
ratio with exact interval (2x2), Pearson correlation of the scores (trend), and Cramér's V plain
and bias-corrected (Bergsma 2013, J. Korean Stat. Soc. 42(3), 323-328) with a seeded bootstrap
interval. Rows of a contingency table are predictor categories, columns outcome categories.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy import stats
from scipy.stats.contingency import expected_freq, odds_ratio
from statsmodels.stats.multitest import multipletests

from ruralplan.figures import FIGURE_RC, OKABE_ITO, wrap_label
from ruralplan.narrative import NBSP, check_lang, format_number, p_phrase

TEST_COLUMNS = [
    "outcome",
    "predictor",
    "test",
    "test_reason",
    "statistic",
    "df",
    "p_value",
    "p_adjusted",
    "effect_measure",
    "effect_size",
    "ci_low",
    "ci_high",
    "n",
    "n_missing",
    "min_expected",
]
EXTRA_COLUMNS = ["p_holm", "p_bh"]
EFFECT_COLUMNS = ["outcome", "predictor", "effect_measure", "effect_size", "ci_low", "ci_high"]
ADJUSTMENTS = {"holm": "holm", "bh": "fdr_bh"}
MIN_EXPECTED = 5.0


@dataclass(frozen=True)
class PreparedTable:
    """A contingency table ready for testing, with what was dropped on the way.

    Attributes
    ----------
    counts
        Counts; rows are predictor categories, columns outcome categories, empty ones dropped.
    row_scores, col_scores
        Scores for the trend test (position in the category order, 0/1 for booleans, the
        value itself for numeric predictors).
    row_ordered, col_ordered
        Whether the predictor and outcome are ordered (booleans count as ordered).
    continuous
        Whether the predictor is numeric (each distinct value is a row).
    n, n_missing
        Complete observations, and rows missing the outcome or the predictor.
    dropped
        Empty categories removed before testing, as ``column=code``.
    """

    outcome: str
    predictor: str
    counts: pd.DataFrame
    row_scores: np.ndarray
    col_scores: np.ndarray
    row_ordered: bool
    col_ordered: bool
    continuous: bool
    n: int
    n_missing: int
    dropped: tuple[str, ...] = ()


@dataclass(frozen=True)
class CrossTestResult:
    """The outcome of one test, one row of ``crosstab_tests.csv`` plus all effect sizes."""

    outcome: str
    predictor: str
    test: str
    test_reason: str
    statistic: float
    df: float
    p_value: float
    effect_measure: str
    effect_size: float
    ci_low: float
    ci_high: float
    n: int
    n_missing: int
    min_expected: float
    effects: tuple[dict[str, Any], ...] = field(default=())

    def as_row(self) -> dict[str, Any]:
        """Return the result as a mapping of the ``crosstab_tests.csv`` columns."""
        row = {name: getattr(self, name) for name in TEST_COLUMNS if name != "p_adjusted"}
        return row


def contrast_name(predictor: str, level: str) -> str:
    """Name the binary predictor "``level`` against every other category of ``predictor``".

    Examples
    --------
    >>> contrast_name("org_type", "vrg")
    'org_type_vrg_vs_other'
    """
    return f"{predictor}_{level}_vs_other"


def _check_column(data: pd.DataFrame, name: str, role: str) -> pd.Series:
    if name not in data.columns:
        raise ValueError(
            f"The {role} column {name!r} is not in the data; available columns are "
            f"{sorted(map(str, data.columns))}."
        )
    return data[name]


def _as_levels(series: pd.Series) -> tuple[pd.Series, list[Any], np.ndarray, bool, bool]:
    """Return the series, its full category order, scores, ordered flag and numeric flag."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        categories = list(series.cat.categories)
        scores = np.arange(1, len(categories) + 1, dtype=float)
        return series, categories, scores, bool(series.cat.ordered), False
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.astype("boolean"), [False, True], np.array([0.0, 1.0]), True, False
    if pd.api.types.is_numeric_dtype(series.dtype):
        values = sorted(series.dropna().unique().tolist())
        return series, values, np.asarray(values, dtype=float), True, True
    raise ValueError(
        f"Column {series.name!r} must be categorical, boolean or numeric, but its dtype is "
        f"{series.dtype}; give it categories in the codebook order first."
    )


def _contrast(series: pd.Series, level: str) -> pd.Series:
    if not isinstance(series.dtype, pd.CategoricalDtype) or level not in series.cat.categories:
        is_categorical = isinstance(series.dtype, pd.CategoricalDtype)
        allowed = list(series.cat.categories) if is_categorical else []
        raise ValueError(
            f"Cannot contrast {level!r} against the rest of {series.name!r}: it must be a "
            f"categorical column with that category; its categories are {allowed}."
        )
    result = (series == level).astype("boolean")
    result[series.isna()] = pd.NA
    return result.rename(contrast_name(str(series.name), level))


def prepare_table(
    data: pd.DataFrame, *, outcome: str, predictor: str, contrast: str | None = None
) -> PreparedTable:
    """Cross-tabulate ``predictor`` (rows) by ``outcome`` (columns) for complete cases.

    Parameters
    ----------
    data
        One row per respondent; the outcome and predictor must be categorical, boolean or
        (predictor only) numeric.
    outcome, predictor
        Column names.
    contrast
        If given, the predictor becomes "this category against all others".

    Returns
    -------
    PreparedTable
        Counts in category order with empty categories dropped and listed.

    Raises
    ------
    ValueError
        If a column is missing or has an unusable type.
    """
    y = _check_column(data, outcome, "outcome")
    x = _check_column(data, predictor, "predictor")
    if contrast is not None:
        x = _contrast(x, contrast)
    y, y_levels, y_scores, y_ordered, y_numeric = _as_levels(y)
    x, x_levels, x_scores, x_ordered, x_numeric = _as_levels(x)
    if y_numeric:
        raise ValueError(f"The outcome {outcome!r} must be categorical or boolean, not numeric.")
    complete = y.notna().to_numpy() & x.notna().to_numpy()
    x_codes = pd.Index(x_levels).get_indexer(x[complete].tolist())
    y_codes = pd.Index(y_levels).get_indexer(y[complete].tolist())
    counts = np.zeros((len(x_levels), len(y_levels)), dtype=np.int64)
    np.add.at(counts, (x_codes, y_codes), 1)
    keep_rows, keep_cols = counts.sum(axis=1) > 0, counts.sum(axis=0) > 0
    name = str(x.name)
    dropped = [f"{name}={lvl}" for lvl, k in zip(x_levels, keep_rows, strict=True) if not k]
    dropped += [f"{outcome}={lvl}" for lvl, k in zip(y_levels, keep_cols, strict=True) if not k]
    table = pd.DataFrame(
        counts[np.ix_(keep_rows, keep_cols)],
        index=pd.Index([lvl for lvl, k in zip(x_levels, keep_rows, strict=True) if k], name=name),
        columns=pd.Index(
            [lvl for lvl, k in zip(y_levels, keep_cols, strict=True) if k], name=outcome
        ),
    )
    return PreparedTable(
        outcome=outcome,
        predictor=name,
        counts=table,
        row_scores=x_scores[keep_rows],
        col_scores=y_scores[keep_cols],
        row_ordered=x_ordered,
        col_ordered=y_ordered,
        continuous=x_numeric,
        n=int(complete.sum()),
        n_missing=int((~complete).sum()),
        dropped=tuple(dropped),
    )


def choose_test(prepared: PreparedTable) -> tuple[str, str]:
    """Pick the test for a prepared table and say why.

    Parameters
    ----------
    prepared
        Output of :func:`prepare_table`.

    Returns
    -------
    tuple of str
        The test name (``none``, ``linear_by_linear``, ``pearson_chi2``, ``fisher_exact`` or
        ``fisher_monte_carlo``) and the reason in plain words.
    """
    rows, cols = prepared.counts.shape
    if prepared.n == 0:
        return "none", "no respondent has both values; nothing to test"
    if rows < 2 or cols < 2:
        which = prepared.predictor if rows < 2 else prepared.outcome
        return "none", f"only one category of {which} observed; association cannot be tested"
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
    """
    result = stats.chi2_contingency(np.asarray(counts), correction=False)
    return float(result.statistic), float(result.dof), float(result.pvalue)


def fisher_test(counts: np.ndarray, *, seed: int, n_resamples: int = 20_000) -> float:
    """Return the two-sided p-value of Fisher's exact test.

    2x2 tables are exact; larger tables use scipy's Monte Carlo method with ``seed``, since
    scipy's default for them is an unseeded Monte Carlo run.

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
    """
    counts = np.asarray(counts)
    if counts.shape == (2, 2):
        return float(stats.fisher_exact(counts).pvalue)
    method = stats.MonteCarloMethod(n_resamples=n_resamples, rng=np.random.default_rng(seed))
    return float(stats.fisher_exact(counts, method=method).pvalue)


def conditional_odds_ratio(
    counts: np.ndarray, *, level: float = 0.95
) -> tuple[float, float, float]:
    """Return the conditional maximum-likelihood odds ratio and its exact interval.

    The same quantities as R's ``fisher.test`` for a 2x2 table ``[[a, b], [c, d]]``: above 1
    means the second outcome category is more common in the second predictor category.

    Parameters
    ----------
    counts
        A 2x2 table of counts.
    level
        Confidence level of the interval.

    Returns
    -------
    tuple of float
        Estimate, lower and upper limits (0 or ``inf`` at the boundary, for a zero cell).
    """
    result = odds_ratio(np.asarray(counts), kind="conditional")
    interval = result.confidence_interval(confidence_level=level)
    return float(result.statistic), float(interval.low), float(interval.high)


def _weighted_r(counts: np.ndarray, row_scores: np.ndarray, col_scores: np.ndarray) -> np.ndarray:
    """Pearson correlation of the scores over one table or a stack of tables (last two axes)."""
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
    """
    counts = np.asarray(counts, dtype=float)
    r = float(_weighted_r(counts, np.asarray(row_scores, float), np.asarray(col_scores, float)))
    statistic = (counts.sum() - 1) * r**2
    return float(statistic), 1.0, float(stats.chi2.sf(statistic, 1)), r


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

    Examples
    --------
    >>> float(cramers_v(np.array([[10, 0], [0, 10]])))
    1.0
    """
    counts = np.asarray(counts, dtype=float)
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
    """
    counts = np.asarray(counts)
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
        Output of :func:`prepare_table` with at least two rows and two columns.
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
    if prepared.continuous or (prepared.row_ordered and prepared.col_ordered):
        r = _weighted_r(counts.astype(float), prepared.row_scores, prepared.col_scores)
        boot_r = _weighted_r(boot.astype(float), prepared.row_scores, prepared.col_scores)
        found.append(_effect("pearson_r_scores", float(r), *_percentile_interval(boot_r)))
    if not prepared.continuous:
        for name, corrected in (("cramers_v", False), ("cramers_v_corrected", True)):
            value = float(cramers_v(counts, corrected=corrected))
            interval = _percentile_interval(cramers_v(boot, corrected=corrected))
            found.append(_effect(name, value, *interval))
    return found


def _effect(name: str, value: float, low: float, high: float) -> dict[str, Any]:
    return {"effect_measure": name, "effect_size": value, "ci_low": low, "ci_high": high}


_PRIMARY_EFFECT = {
    "linear_by_linear": "pearson_r_scores",
    "pearson_chi2": "cramers_v_corrected",
    "fisher_exact": "odds_ratio_conditional",
    "fisher_monte_carlo": "cramers_v_corrected",
}


def run_test(
    prepared: PreparedTable, *, seed: int, n_resamples: int = 2000, mc_resamples: int = 20_000
) -> CrossTestResult:
    """Run the chosen test on a prepared table and attach its effect sizes.

    Parameters
    ----------
    prepared
        Output of :func:`prepare_table`.
    seed
        Seed for the Monte Carlo Fisher test and the bootstrap.
    n_resamples
        Bootstrap resamples for effect-size intervals.
    mc_resamples
        Monte Carlo tables for Fisher's test on tables larger than 2x2.

    Returns
    -------
    CrossTestResult
        The result; an untestable table gives test ``none`` with the reason, not an error.
    """
    test, reason = choose_test(prepared)
    if prepared.dropped:
        reason += "; empty categories dropped: " + ", ".join(prepared.dropped)
    counts = prepared.counts.to_numpy()
    nan = float("nan")
    base = {
        "outcome": prepared.outcome,
        "predictor": prepared.predictor,
        "test": test,
        "test_reason": reason,
        "n": prepared.n,
        "n_missing": prepared.n_missing,
    }
    if test == "none":
        return CrossTestResult(
            **base,
            statistic=nan,
            df=nan,
            p_value=nan,
            effect_measure="",
            effect_size=nan,
            ci_low=nan,
            ci_high=nan,
            min_expected=nan,
        )
    min_expected = float(expected_freq(counts).min())
    if test == "linear_by_linear":
        statistic, df, p_value, _ = linear_by_linear(
            counts, row_scores=prepared.row_scores, col_scores=prepared.col_scores
        )
    elif test == "pearson_chi2":
        statistic, df, p_value = pearson_chi2(counts)
    else:
        statistic, df = nan, nan
        p_value = fisher_test(counts, seed=seed, n_resamples=mc_resamples)
    if counts.shape == (2, 2) and test == "pearson_chi2":
        primary = "odds_ratio_conditional"
    else:
        primary = _PRIMARY_EFFECT[test]
    effects = effect_sizes(prepared, seed=seed, n_resamples=n_resamples)
    chosen = next(e for e in effects if e["effect_measure"] == primary)
    return CrossTestResult(
        **base,
        statistic=statistic,
        df=df,
        p_value=p_value,
        min_expected=min_expected,
        **chosen,
        effects=tuple(effects),
    )


def adjust_p_values(p_values: Sequence[float], *, method: str = "holm") -> np.ndarray:
    """Adjust p-values for multiple testing, leaving NaN (untested) entries as NaN.

    Parameters
    ----------
    p_values
        Raw p-values; NaN marks a test that could not run and is not counted.
    method
        ``holm`` (default) or ``bh`` (Benjamini-Hochberg).

    Returns
    -------
    numpy.ndarray
        Adjusted p-values in the input order.

    Raises
    ------
    ValueError
        If ``method`` is unknown.
    """
    if method not in ADJUSTMENTS:
        raise ValueError(f"The adjustment must be one of {sorted(ADJUSTMENTS)}, not {method!r}.")
    p = np.asarray(p_values, dtype=float)
    adjusted = np.full(p.shape, np.nan)
    tested = np.isfinite(p)
    if tested.any():
        adjusted[tested] = multipletests(p[tested], method=ADJUSTMENTS[method])[1]
    return adjusted


def results_table(results: Sequence[CrossTestResult], *, adjustment: str = "holm") -> pd.DataFrame:
    """Collect results into the ``crosstab_tests.csv`` table with both adjustments.

    Parameters
    ----------
    results
        Test results in the order they should appear.
    adjustment
        Which adjustment fills ``p_adjusted``: ``holm`` or ``bh``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TEST_COLUMNS` followed by ``p_holm`` and ``p_bh``.
    """
    if adjustment not in ADJUSTMENTS:
        raise ValueError(
            f"The adjustment must be one of {sorted(ADJUSTMENTS)}, not {adjustment!r}."
        )
    table = pd.DataFrame([result.as_row() for result in results], columns=TEST_COLUMNS)
    table["p_holm"] = adjust_p_values(table["p_value"], method="holm")
    table["p_bh"] = adjust_p_values(table["p_value"], method="bh")
    table["p_adjusted"] = table["p_holm" if adjustment == "holm" else "p_bh"]
    return table[TEST_COLUMNS + EXTRA_COLUMNS]


def effects_table(results: Sequence[CrossTestResult]) -> pd.DataFrame:
    """Collect every effect size of every result into one long table.

    Parameters
    ----------
    results
        Test results.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EFFECT_COLUMNS`.
    """
    rows = [
        {"outcome": r.outcome, "predictor": r.predictor, **effect}
        for r in results
        for effect in r.effects
    ]
    return pd.DataFrame(rows, columns=EFFECT_COLUMNS)


def row_percentages(prepared: PreparedTable) -> pd.DataFrame:
    """Return counts and row percentages of a prepared table in one wide table.

    Parameters
    ----------
    prepared
        Output of :func:`prepare_table`.

    Returns
    -------
    pandas.DataFrame
        One row per predictor category: the category, ``n_<outcome code>`` counts, ``total``
        and ``pct_<outcome code>`` row percentages.
    """
    counts = prepared.counts
    totals = counts.sum(axis=1)
    out = pd.DataFrame({prepared.predictor: [str(v) for v in counts.index]})
    for column in counts.columns:
        out[f"n_{column}"] = counts[column].to_numpy()
    out["total"] = totals.to_numpy()
    for column in counts.columns:
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"pct_{column}"] = 100 * counts[column].to_numpy() / totals.to_numpy()
    return out


def validate_pairs(spec: Any, *, source: str = "pairs") -> list[dict[str, Any]]:
    """Check a pairs specification (a list of ``{outcome, predictor[, contrast]}`` mappings).

    Parameters
    ----------
    spec
        Parsed YAML: a mapping with key ``pairs`` holding the list.
    source
        Name of the file, for messages.

    Returns
    -------
    list of dict
        The pairs, each with keys ``outcome``, ``predictor`` and ``contrast`` (or None).

    Raises
    ------
    ValueError
        Naming the entry and the problem.
    """
    if not isinstance(spec, Mapping) or not isinstance(spec.get("pairs"), list):
        raise ValueError(f"{source}: expected a mapping with a list under `pairs`.")
    allowed = {"outcome", "predictor", "contrast"}
    pairs = []
    for number, entry in enumerate(spec["pairs"], start=1):
        if not isinstance(entry, Mapping) or not {"outcome", "predictor"} <= set(entry):
            raise ValueError(f"{source}: pair {number} must have `outcome` and `predictor`.")
        unknown = set(entry) - allowed
        if unknown:
            raise ValueError(
                f"{source}: pair {number} has unknown keys {sorted(unknown)}; "
                f"allowed are {sorted(allowed)}."
            )
        contrast = entry.get("contrast")
        pairs.append(
            {
                "outcome": str(entry["outcome"]),
                "predictor": str(entry["predictor"]),
                "contrast": None if contrast is None else str(contrast),
            }
        )
    return pairs


def run_pairs(
    data: pd.DataFrame, pairs: Sequence[Mapping[str, Any]], *, seed: int, n_resamples: int = 2000
) -> tuple[list[PreparedTable], list[CrossTestResult]]:
    """Prepare and test every pair.

    Parameters
    ----------
    data
        The clean survey.
    pairs
        Output of :func:`validate_pairs`.
    seed
        Seed for every random step.
    n_resamples
        Bootstrap resamples.

    Returns
    -------
    tuple of lists
        Prepared tables and results, in the order of ``pairs``.
    """
    prepared = [
        prepare_table(
            data, outcome=p["outcome"], predictor=p["predictor"], contrast=p.get("contrast")
        )
        for p in pairs
    ]
    results = [run_test(t, seed=seed, n_resamples=n_resamples) for t in prepared]
    return prepared, results


# ---- directional claims ----------------------------------------------------------------------

CLAIM_COLUMNS = ["claim_id", "quote", "expectation", "verdict", "note"]
EXPECTATIONS = ("increasing", "decreasing", "higher_in", "lower_in")
SYNTHETIC_NOTE = (
    "The shipped data are synthetic: this relation was put into them by assumption, so the "
    "verdict shows what the pipeline does, not a finding about Latvia."
)


def _claim_row(claim: Mapping[str, Any], tests: pd.DataFrame) -> tuple[pd.Series | None, str]:
    """Find the test row that can judge ``claim`` and say which one was looked for."""
    test = claim["test"]
    if test["expectation"] in ("increasing", "decreasing"):
        predictor, measure = test["predictor"], "pearson_r_scores"
    else:
        predictor = contrast_name(test["predictor"], test["level"])
        measure = "odds_ratio_conditional"
    wanted = f"outcome {test['outcome']!r} by predictor {predictor!r}"
    match = tests[(tests["outcome"] == test["outcome"]) & (tests["predictor"] == predictor)]
    with_effect = match[match["effect_measure"] == measure]
    if not with_effect.empty:
        return with_effect.iloc[0], wanted
    return (match.iloc[0] if not match.empty else None), wanted


def _check_claim(claim: Any, number: int) -> str:
    if not isinstance(claim, Mapping) or not isinstance(claim.get("test"), Mapping):
        return f"directional claim {number} needs an `id` and a `test` mapping"
    test = claim["test"]
    missing = [key for key in ("outcome", "predictor", "expectation") if key not in test]
    if missing:
        return f"claim {claim.get('id')!r}: `test` lacks {missing}"
    if test["expectation"] not in EXPECTATIONS:
        return (
            f"claim {claim.get('id')!r}: expectation must be one of {list(EXPECTATIONS)}, "
            f"not {test['expectation']!r}"
        )
    if test["expectation"] in ("higher_in", "lower_in") and "level" not in test:
        return f"claim {claim.get('id')!r}: expectation {test['expectation']!r} needs a `level`"
    return ""


def _direction_matches(row: pd.Series, expectation: str) -> bool:
    value = float(row["effect_size"])
    if row["effect_measure"] == "odds_ratio_conditional":
        return value > 1 if expectation == "higher_in" else value < 1
    return value > 0 if expectation == "increasing" else value < 0


def judge_claims(
    claims: Sequence[Mapping[str, Any]], tests: pd.DataFrame, *, alpha: float
) -> pd.DataFrame:
    """Give each directional claim a verdict from the test results.

    A claim is ``supported`` only if its test's adjusted p-value is below ``alpha`` and the
    effect points the stated way: a positive score correlation for ``increasing`` (trend
    test), an odds ratio above 1 for ``higher_in`` (the ``contrast`` pair of that level).

    Parameters
    ----------
    claims
        Entries of the claims file; those without ``kind: directional`` are skipped.
    tests
        Output of :func:`results_table`.
    alpha
        Significance level for the adjusted p-value.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CLAIM_COLUMNS`; verdicts ``supported``, ``not supported in these data``
        or ``not tested`` (with the reason in ``note``).

    Raises
    ------
    ValueError
        If a directional claim is malformed; all problems are listed at once.
    """
    directional = [c for c in claims if isinstance(c, Mapping) and c.get("kind") == "directional"]
    problems = [p for i, c in enumerate(directional, 1) if (p := _check_claim(c, i))]
    if problems:
        raise ValueError("Claims file problems: " + "; ".join(problems))
    rows = []
    for claim in directional:
        test = claim["test"]
        expectation = " ".join(str(test[k]) for k in ("expectation", "level") if k in test)
        row, wanted = _claim_row(claim, tests)
        if row is None or row["test"] == "none" or not np.isfinite(row["p_adjusted"]):
            why = f"no test of {wanted} in the pairs file" if row is None else row["test_reason"]
            verdict, note = "not tested", f"Not tested: {why}."
        else:
            supported = row["p_adjusted"] < alpha and _direction_matches(row, test["expectation"])
            verdict = "supported" if supported else "not supported in these data"
            note = (
                f"{row['test']}: adjusted p = {row['p_adjusted']:.4g}, "
                f"{row['effect_measure']} = {row['effect_size']:.3g}."
            )
        quote = claim.get("quote_lv") or claim.get("statement_en") or ""
        rows.append(
            {
                "claim_id": str(claim["id"]),
                "quote": str(quote).strip(),
                "expectation": expectation,
                "verdict": verdict,
                "note": f"{note} {SYNTHETIC_NOTE}",
            }
        )
    return pd.DataFrame(rows, columns=CLAIM_COLUMNS)


# ---- plain-language descriptions ----------------------------------------------------------

_MEASURE_NAMES = {
    "odds_ratio_conditional": {"en": "odds ratio", "lv": "izredžu attiecība"},
    "pearson_r_scores": {"en": "trend correlation r", "lv": "tendences korelācija r"},
    "cramers_v_corrected": {"en": "Cramér's V (bias-corrected)", "lv": "Kramēra V (koriģēts)"},
    "cramers_v": {"en": "Cramér's V", "lv": "Kramēra V"},
}
_SIZE_WORDS = {
    "en": ("negligible", "small", "medium", "large"),
    "lv": ("niecīgs", "mazs", "vidējs", "liels"),
}
# Odds ratios equivalent to Cohen's small/medium/large: Chen, Cohen & Chen (2010),
# Commun. Stat. Simul. Comput. 39(4), 860-864.
_OR_LIMITS = (1.68, 3.47, 6.71)
_ADJUSTMENT_NAMES = {
    "holm": {"en": "Holm", "lv": "Holma"},
    "bh": {"en": "Benjamini-Hochberg", "lv": "Benjamini-Hohberga"},
}


def effect_size_class(measure: str, value: float, *, df_min: int = 1) -> int:
    """Classify an effect as 0 negligible, 1 small, 2 medium or 3 large.

    Cramér's V uses Cohen's (1988) w limits 0.1/0.3/0.5 divided by ``sqrt(df_min)`` (the
    smaller table dimension minus one); r uses 0.1/0.3/0.5; odds ratios use 1.68/3.47/6.71
    on ``max(OR, 1/OR)`` (Chen, Cohen & Chen 2010).

    Parameters
    ----------
    measure
        An effect measure name from :func:`effect_sizes`.
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
    limits = np.array([0.1, 0.3, 0.5])
    if measure.startswith("cramers_v"):
        limits = limits / np.sqrt(max(df_min, 1))
    return int(sum(abs(value) >= limit for limit in limits))


def effect_measure_name(measure: str, lang: str) -> str:
    """Name an effect measure in ``lang`` (e.g. "odds ratio"); unknown names pass through.

    Parameters
    ----------
    measure
        An ``effect_measure`` value of :func:`results_table`.
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


def describe_result(
    row: Mapping[str, Any],
    lang: str,
    *,
    alpha: float = 0.05,
    adjustment: str = "holm",
    df_min: int = 1,
    labels: Mapping[str, str] | None = None,
) -> str:
    """Say in one sentence what a test found, respecting the adjustment and the effect size.

    Parameters
    ----------
    row
        One row of :func:`results_table`.
    lang
        ``"lv"`` or ``"en"``.
    alpha
        Significance level applied to ``p_adjusted``.
    adjustment
        Which adjustment ``p_adjusted`` holds (``holm`` or ``bh``), named in the sentence.
    df_min
        ``min(rows, columns) - 1`` of the table, to size Cramér's V.
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
        effect_size_class(row["effect_measure"], row["effect_size"], df_min=df_min)
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


# ---- figure ------------------------------------------------------------------------------------


def plot_row_percentages(
    prepared: PreparedTable,
    *,
    title: str,
    footer: str,
    row_labels: Mapping[Any, str] | None = None,
    column_labels: Mapping[Any, str] | None = None,
) -> Figure:
    """Draw a stacked horizontal bar per predictor category, segments = outcome row percents.

    Parameters
    ----------
    prepared
        Output of :func:`prepare_table`.
    title
        Figure title.
    footer
        Source line (and synthetic-data note) printed under the plot.
    row_labels, column_labels
        Display labels of predictor and outcome categories; the codes otherwise.

    Returns
    -------
    matplotlib.figure.Figure
        The figure (not attached to pyplot); save it with
        :func:`ruralplan.io.figures.save_figure`.
    """
    counts = prepared.counts
    totals = counts.sum(axis=1).to_numpy()
    shares = 100 * counts.to_numpy() / totals[:, None]
    rows = [f"{_label(row_labels, v)} (n={t})" for v, t in zip(counts.index, totals, strict=True)]
    columns = [wrap_label(_label(column_labels, v), width=44) for v in counts.columns]
    legend_columns = min(len(columns), 4) if max(map(len, columns)) <= 20 else 2
    palette = list(OKABE_ITO.values())
    with mpl.rc_context(FIGURE_RC):
        figure = Figure(figsize=(7.5, 1.9 + 0.4 * len(rows)))
        axes = figure.add_axes((0.32, 0.3, 0.64, 0.55))
        positions = np.arange(len(rows))[::-1]
        left = np.zeros(len(rows))
        for index, label in enumerate(columns):
            axes.barh(
                positions,
                shares[:, index],
                left=left,
                height=0.6,
                label=label,
                color=palette[index % len(palette)],
            )
            left += shares[:, index]
        axes.set_yticks(positions, [wrap_label(r, width=34) for r in rows])
        axes.set_xlim(0, 100)
        axes.legend(
            loc="upper left",
            bbox_to_anchor=(0, -0.18),
            ncol=legend_columns,
            frameon=False,
            fontsize=7.5,
        )
        figure.suptitle(
            wrap_label(title, width=80),
            x=0.02,
            y=0.98,
            ha="left",
            va="top",
            fontsize=10,
            fontweight="bold",
        )
        figure.text(
            0.02,
            0.02,
            wrap_label(footer, width=110),
            ha="left",
            va="bottom",
            fontsize=7.5,
            color="#555555",
        )
    return figure


def _label(labels: Mapping[Any, str] | None, value: Any) -> str:
    """Look a category up by its value, then by its text (``True`` -> ``"True"``)."""
    labels = labels or {}
    return str(labels.get(value, labels.get(str(value), value)))


def variable_labels(
    document: Any, lang: str, *, source: str = "variable labels"
) -> dict[str, dict[str, Any]]:
    """Read short variable names and extra category labels in ``lang``.

    Parameters
    ----------
    document
        The parsed labels file: ``variables`` mapping a column (or contrast) name to ``lv``,
        ``en`` and optionally ``categories`` (value as text -> ``{lv, en}``).
    lang
        ``"lv"`` or ``"en"``.
    source
        The file name, for messages.

    Returns
    -------
    dict
        Column name -> ``{"name": str, "categories": {value text: label}}``.

    Raises
    ------
    ValueError
        Naming the variable, if an entry lacks the ``lang`` name.
    """
    check_lang(lang)
    entries = document.get("variables") if isinstance(document, Mapping) else None
    if not isinstance(entries, Mapping):
        raise ValueError(f"{source}: expected a mapping with a `variables` mapping")
    result = {}
    for column, entry in entries.items():
        if not isinstance(entry, Mapping) or lang not in entry:
            raise ValueError(f"{source}: variable {column!r} needs a `{lang}` name")
        categories = entry.get("categories") or {}
        result[str(column)] = {
            "name": str(entry[lang]),
            "categories": {
                str(k): str(v[lang])
                for k, v in categories.items()
                if isinstance(v, Mapping) and lang in v
            },
        }
    return result


def display_labels(
    codebook: Any, column: str, lang: str, overrides: Mapping[str, Mapping[str, Any]] | None = None
) -> tuple[str, dict[Any, str]]:
    """Return the display name and category labels of ``column``.

    The short name from ``overrides`` (see :func:`variable_labels`) comes first, then the
    question text of the codebook, then the column name; category labels come from the
    codebook's options, completed by the overrides' ``categories``.

    Parameters
    ----------
    codebook
        A :class:`ruralplan.survey.codebook.Codebook`.
    column
        A clean column name.
    lang
        ``"lv"`` or ``"en"``.
    overrides
        Output of :func:`variable_labels`.

    Returns
    -------
    tuple
        The name and a mapping of category code to label.
    """
    check_lang(lang)
    extra = (overrides or {}).get(column, {})
    title, labels = column, {}
    if column in codebook.ids:
        question = codebook.question(column)
        title = question.text(lang)
        labels = {option.code: getattr(option, lang) for option in question.options}
    labels.update(extra.get("categories", {}))
    return extra.get("name", title), labels


def figure_title(outcome: str, predictor: str, lang: str) -> str:
    """Title a row-percentage figure: "Having a strategy by type of organisation (row %)".

    Parameters
    ----------
    outcome, predictor
        Display names (:func:`display_labels`).
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        The title, starting with a capital letter.
    """
    text = (
        f"{outcome} pa grupām: {predictor} (rindu %)"
        if check_lang(lang) == "lv"
        else f"{outcome} by {predictor} (row %)"
    )
    return text[:1].upper() + text[1:]
