"""Cross-tabulations and tests of association for small samples: run every pair, collect results.

The test is chosen the way publication tables do it and every result says which test ran and
why (:mod:`.association`); effect sizes come from :mod:`.effects`. Tables are built by
:mod:`.contingency`; claims are judged by :mod:`.directional`, results put in words by
:mod:`.describe`, and figures drawn by :mod:`.crosstab_figure` with names from :mod:`.labels`.
Rows of a contingency table are predictor categories, columns outcome categories.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd
from scipy.stats.contingency import expected_freq

from ruralplan.analysis.association import (
    MIN_EXPECTED,
    choose_test,
    fisher_test,
    kruskal_wallis,
    linear_by_linear,
    pearson_chi2,
)
from ruralplan.analysis.contingency import (
    PreparedTable,
    contrast_name,
    prepare_table,
    row_percentages,
)
from ruralplan.analysis.crosstab_figure import plot_row_percentages
from ruralplan.analysis.describe import describe_result, effect_measure_name, effect_size_class
from ruralplan.analysis.directional import (
    CLAIM_COLUMNS,
    EXPECTATIONS,
    SYNTHETIC_NOTE,
    judge_claims,
)
from ruralplan.analysis.effects import bootstrap_tables, cramers_v, effect_sizes
from ruralplan.analysis.families import (
    ADJUSTMENTS,
    DEFAULT_FAMILY,
    FAMILIES,
    adjust_p_values,
    adjust_within_families,
    with_families,
)
from ruralplan.analysis.labels import display_labels, figure_title, variable_labels
from ruralplan.analysis.odds_ratio import conditional_odds_ratio

# Every name this module had before it was split stays importable from it: notebook 04, the
# report and tests use ``crosstab.<name>``.
__all__ = [
    "ADJUSTMENTS",
    "CLAIM_COLUMNS",
    "EFFECT_COLUMNS",
    "EXPECTATIONS",
    "EXTRA_COLUMNS",
    "FAMILIES",
    "MIN_EXPECTED",
    "SYNTHETIC_NOTE",
    "TEST_COLUMNS",
    "CrossTestResult",
    "PreparedTable",
    "adjust_p_values",
    "bootstrap_tables",
    "choose_test",
    "conditional_odds_ratio",
    "contrast_name",
    "cramers_v",
    "describe_result",
    "display_labels",
    "effect_measure_name",
    "effect_size_class",
    "effect_sizes",
    "effects_table",
    "figure_title",
    "fisher_test",
    "judge_claims",
    "kruskal_wallis",
    "linear_by_linear",
    "pearson_chi2",
    "plot_row_percentages",
    "prepare_table",
    "results_table",
    "row_percentages",
    "run_pairs",
    "run_test",
    "validate_pairs",
    "variable_labels",
]

TEST_COLUMNS = [
    "outcome",
    "predictor",
    "family",
    "sensitivity_of",
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
    "min_count",
    "df_min",
]


EXTRA_COLUMNS = ["p_holm", "p_bh"]


EFFECT_COLUMNS = ["outcome", "predictor", "effect_measure", "effect_size", "ci_low", "ci_high"]


@dataclass(frozen=True)
class CrossTestResult:
    """The outcome of one test, one row of ``crosstab_tests.csv`` plus all effect sizes.

    ``df_min`` is ``min(rows, columns) - 1`` of the tested table: Cramér's V is sized by it.
    ``min_count`` is its smallest observed cell (NaN for a numeric predictor, whose rows are
    single values): an odds ratio from a table with a small cell is unstable. ``family`` is
    the pair's test family (:mod:`.families`) and ``sensitivity_of`` the pair a sensitivity
    analysis re-tests (``outcome by predictor``, empty otherwise).
    """

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
    min_count: float
    df_min: int
    effects: tuple[dict[str, Any], ...] = field(default=())
    family: str = DEFAULT_FAMILY
    sensitivity_of: str = ""

    def as_row(self) -> dict[str, Any]:
        """Return the result as a mapping of the ``crosstab_tests.csv`` columns."""
        row = {name: getattr(self, name) for name in TEST_COLUMNS if name != "p_adjusted"}
        return row


_PRIMARY_EFFECT = {
    "linear_by_linear": "pearson_r_scores",
    "kruskal_wallis": "eta_squared_h",
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
    base: dict[str, Any] = {
        "df_min": max(min(counts.shape) - 1, 0),
        "min_count": nan if prepared.continuous or counts.size == 0 else float(counts.min()),
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
    elif test == "kruskal_wallis":
        statistic, df, p_value = kruskal_wallis(counts)
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


def results_table(results: Sequence[CrossTestResult], *, adjustment: str = "holm") -> pd.DataFrame:
    """Collect results into the ``crosstab_tests.csv`` table with both adjustments.

    Holm and Benjamini-Hochberg adjustments run within each family: the confirmatory tests
    form one family, the exploratory tests another; sensitivity analyses join none and have
    NaN adjusted p-values (their ``p_value`` is reported unadjusted).

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
    families = table["family"].tolist()
    table["p_holm"] = adjust_within_families(table["p_value"], families, method="holm")
    table["p_bh"] = adjust_within_families(table["p_value"], families, method="bh")
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


def validate_pairs(spec: Any, *, source: str = "pairs") -> list[dict[str, Any]]:
    """Check a pairs specification (a list of ``{outcome, predictor[, contrast]}`` mappings).

    Each pair may also state its ``family`` (``confirmatory``, ``exploratory``, the default,
    or ``sensitivity``); a sensitivity pair names with ``sensitivity_of: {predictor[,
    contrast][, outcome]}`` the pair whose question it codes differently (the outcome defaults
    to its own), which must be another pair of the file and not a sensitivity pair itself.

    Parameters
    ----------
    spec
        Parsed YAML: a mapping with key ``pairs`` holding the list.
    source
        Name of the file, for messages.

    Returns
    -------
    list of dict
        The pairs, each with keys ``outcome``, ``predictor``, ``contrast`` (or None),
        ``family`` and ``sensitivity_of`` (the re-tested pair as ``outcome by predictor``, or
        None).

    Raises
    ------
    ValueError
        Naming the entry and the problem; every family problem is listed at once.
    """
    if not isinstance(spec, Mapping) or not isinstance(spec.get("pairs"), list):
        raise ValueError(f"{source}: expected a mapping with a list under `pairs`.")
    allowed = {"outcome", "predictor", "contrast", "family", "sensitivity_of"}
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
    pairs, problems = with_families(spec["pairs"], pairs)
    if problems:
        raise ValueError(f"{source}: " + "; ".join(problems) + ".")
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
        Output of :func:`validate_pairs` (a pair without ``family`` is exploratory).
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
    results = [
        replace(
            run_test(table, seed=seed, n_resamples=n_resamples),
            family=str(pair.get("family") or DEFAULT_FAMILY),
            sensitivity_of=str(pair.get("sensitivity_of") or ""),
        )
        for table, pair in zip(prepared, pairs, strict=True)
    ]
    return prepared, results
