"""Judge directional claims ("increasing", "higher in a level") by the cross-tab test results.

Only a signed effect measure can show a direction: the trend correlation r (both variables
ordered) or the odds ratio of a 2x2 table. Cramér's V is never negative, whichever way the
association goes, so a pair measured by V gets the verdict ``direction not testable``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ruralplan.analysis.contingency import contrast_name

CLAIM_COLUMNS = ["claim_id", "quote", "expectation", "verdict", "note"]
EXPECTATIONS = ("increasing", "decreasing", "higher_in", "lower_in")
POSITIVE = ("increasing", "higher_in")
NOT_TESTABLE = "direction not testable"
SYNTHETIC_NOTE = (
    "The shipped data are synthetic: this relation was put into them by assumption, so the "
    "verdict shows what the pipeline does, not a finding about Latvia."
)


def no_effect_value(measure: str) -> float | None:
    """Return the value of a signed effect measure that means no association, else None.

    Parameters
    ----------
    measure
        An ``effect_measure`` of :func:`.crosstab.results_table`.

    Returns
    -------
    float or None
        0 for the trend correlation, 1 for odds ratios, None for measures without a sign.

    Examples
    --------
    >>> no_effect_value("pearson_r_scores"), no_effect_value("cramers_v_corrected")
    (0.0, None)
    """
    if measure == "pearson_r_scores":
        return 0.0
    return 1.0 if str(measure).startswith("odds_ratio") else None


_FAMILY_ORDER = {"confirmatory": 0, "exploratory": 1, "sensitivity": 2}


def _claim_row(claim: Mapping[str, Any], tests: pd.DataFrame) -> tuple[pd.Series | None, str]:
    """Find the test row that can judge ``claim`` and say which one was looked for.

    A confirmatory row comes before an exploratory one and that before a sensitivity row; within
    a family a row with a signed effect comes first.
    """
    test = claim["test"]
    predictor = test["predictor"]
    if test["expectation"] in ("higher_in", "lower_in"):
        predictor = contrast_name(test["predictor"], test["level"])
    wanted = f"outcome {test['outcome']!r} by predictor {predictor!r}"
    match = tests[(tests["outcome"] == test["outcome"]) & (tests["predictor"] == predictor)]
    if match.empty:
        return None, wanted
    families = match["family"] if "family" in match.columns else pd.Series("", index=match.index)
    rank = [
        (_FAMILY_ORDER.get(str(family), 1), no_effect_value(measure) is None)
        for family, measure in zip(families, match["effect_measure"], strict=True)
    ]
    best = min(range(len(rank)), key=lambda i: rank[i])
    return match.iloc[best], wanted


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


def _verdict(row: pd.Series | None, wanted: str, expectation: str, alpha: float) -> tuple[str, str]:
    """Return the verdict and note for one claim's test row."""
    family = str(row.get("family", "")) if row is not None else ""
    if family == "sensitivity":
        return "not tested", (
            f"Not tested: the only test of {wanted} is a sensitivity analysis, not adjusted and "
            "not counted as a test; state its pair as `family: confirmatory` in the pairs file."
        )
    if row is None or row["test"] == "none" or not np.isfinite(row["p_adjusted"]):
        why = f"no test of {wanted} in the pairs file" if row is None else row["test_reason"]
        return "not tested", f"Not tested: {why}."
    found = (
        f"{row['test']}: adjusted p = {row['p_adjusted']:.4g}, "
        f"{row['effect_measure']} = {row['effect_size']:.3g}."
    )
    neutral = no_effect_value(row["effect_measure"])
    if neutral is None:
        return NOT_TESTABLE, (
            f"{found} {row['effect_measure']} has no sign, so it cannot show a direction; a "
            "trend test (both variables ordered) or a 2x2 table (a `contrast` pair) would."
        )
    value = float(row["effect_size"])
    right_way = value > neutral if expectation in POSITIVE else value < neutral
    supported = row["p_adjusted"] < alpha and right_way
    if family == "exploratory":
        found += (
            " The test is exploratory, adjusted with the other exploratory tests: a claim's "
            "pair belongs in the confirmatory family (`family: confirmatory` in the pairs file)."
        )
    return ("supported" if supported else "not supported in these data"), found


def judge_claims(
    claims: Sequence[Mapping[str, Any]], tests: pd.DataFrame, *, alpha: float
) -> pd.DataFrame:
    """Give each directional claim a verdict from the test results.

    A claim is judged by the confirmatory test of its pair (an exploratory one is used, and the
    note says so, when the pairs file does not list the pair as confirmatory; a sensitivity
    analysis, which is not adjusted, leaves the claim ``not tested``).
    A claim is ``supported`` only if its test's adjusted p-value is below ``alpha`` and a
    signed effect points the stated way: a positive trend correlation r or a 2x2 odds ratio
    above 1 for ``increasing`` and ``higher_in`` (the ``contrast`` pair of that level), the
    opposite for ``decreasing`` and ``lower_in``. A pair measured only by Cramér's V, which has
    no sign, gets ``direction not testable``.

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
        Columns :data:`CLAIM_COLUMNS`; verdicts ``supported``, ``not supported in these data``,
        ``direction not testable`` or ``not tested`` (with the reason in ``note``).

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
        verdict, note = _verdict(*_claim_row(claim, tests), test["expectation"], alpha)
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
