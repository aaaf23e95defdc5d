"""Judge directional claims ("increasing", "higher in a level") by the cross-tab test results."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ruralplan.analysis.contingency import contrast_name

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
        Output of :func:`.crosstab.results_table`.
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
