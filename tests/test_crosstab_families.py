"""Confirmatory, exploratory and sensitivity families: adjustment within each, stated as data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ruralplan.analysis import crosstab, crosstab_io
from ruralplan.analysis.claims_io import read_claims
from ruralplan.analysis.families import adjust_within_families, pair_key

ROOT = Path(__file__).resolve().parents[1]
STUDIES = [ROOT / "data", ROOT / "examples" / "village-halls"]

NAN = float("nan")


def _result(predictor, p, family, sensitivity_of=""):
    return crosstab.CrossTestResult(
        outcome="y",
        predictor=predictor,
        test="pearson_chi2" if np.isfinite(p) else "none",
        test_reason="",
        statistic=NAN,
        df=NAN,
        p_value=p,
        effect_measure="odds_ratio_conditional",
        effect_size=2.0,
        ci_low=1.5,
        ci_high=3.0,
        n=100,
        n_missing=0,
        min_expected=10.0,
        min_count=10.0,
        df_min=1,
        family=family,
        sensitivity_of=sensitivity_of,
    )


def test_holm_and_bh_run_within_each_family_and_skip_sensitivity_rows():
    # By hand. Confirmatory p = 0.01, 0.04: Holm 2 * 0.01 = 0.02, max(0.02, 1 * 0.04) = 0.04;
    # BH 0.04 * 2 / 2 = 0.04 and min(0.04, 0.01 * 2 / 1) = 0.02. Exploratory p = 0.03, 0.005,
    # 0.2: Holm 3 * 0.005 = 0.015, 2 * 0.03 = 0.06, 1 * 0.2 = 0.2; BH 0.2, min(0.2, 0.03 *
    # 3 / 2) = 0.045, min(0.045, 0.005 * 3) = 0.015. Pooled over all five (the old single
    # family) Holm would give 0.05 to the confirmatory 0.01.
    results = [
        _result("a", 0.01, "confirmatory"),
        _result("b", 0.03, "exploratory"),
        _result("c", 0.04, "confirmatory"),
        _result("d", 0.005, "exploratory"),
        _result("e", 0.2, "exploratory"),
        _result("a_years", 0.001, "sensitivity", "y by a"),
        _result("f", NAN, "exploratory"),
    ]
    table = crosstab.results_table(results)
    assert table["family"].tolist() == [r.family for r in results]
    assert table["sensitivity_of"].tolist() == ["", "", "", "", "", "y by a", ""]
    expected_holm = [0.02, 0.06, 0.04, 0.015, 0.2, NAN, NAN]
    expected_bh = [0.02, 0.045, 0.04, 0.015, 0.2, NAN, NAN]
    np.testing.assert_allclose(table["p_holm"], expected_holm, rtol=1e-12)
    np.testing.assert_allclose(table["p_bh"], expected_bh, rtol=1e-12)
    np.testing.assert_allclose(table["p_adjusted"], expected_holm, rtol=1e-12)
    # the sensitivity row keeps its raw p-value, unadjusted
    assert table.loc[5, "p_value"] == 0.001
    bh = crosstab.results_table(results, adjustment="bh")
    np.testing.assert_allclose(bh["p_adjusted"], expected_bh, rtol=1e-12)


def test_results_without_a_family_form_one_exploratory_family_as_before():
    results = [_result(x, p, "exploratory") for x, p in [("a", 0.01), ("b", 0.04)]]
    table = crosstab.results_table(results)
    np.testing.assert_allclose(table["p_holm"], [0.02, 0.04])


def test_adjust_within_families_refuses_unknown_families_and_mismatched_lengths():
    with pytest.raises(ValueError, match=r"Unknown test families \['primary'\]"):
        adjust_within_families([0.1], ["primary"])
    with pytest.raises(ValueError, match="2 families were given for 1 p-values"):
        adjust_within_families([0.1], ["exploratory", "exploratory"])


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ([{"outcome": "y", "predictor": "x", "family": "primary"}], "family must be one of"),
        (
            [{"outcome": "y", "predictor": "x", "family": "sensitivity"}],
            "a sensitivity pair needs `sensitivity_of",
        ),
        (
            [{"outcome": "y", "predictor": "x", "sensitivity_of": {"predictor": "z"}}],
            "`sensitivity_of` names 'y by z', not another pair",
        ),
        (
            [
                {"outcome": "y", "predictor": "x", "family": "confirmatory"},
                {
                    "outcome": "y",
                    "predictor": "x2",
                    "family": "exploratory",
                    "sensitivity_of": {"predictor": "x"},
                },
            ],
            "`sensitivity_of` needs `family: sensitivity`",
        ),
        (
            [
                {"outcome": "y", "predictor": "x"},
                {"outcome": "y", "predictor": "x2", "sensitivity_of": {"predictor": "x"}},
                {"outcome": "y", "predictor": "x3", "sensitivity_of": {"predictor": "x2"}},
            ],
            "names 'y by x2', itself a sensitivity pair",
        ),
        (
            [{"outcome": "y", "predictor": "x"}, {"outcome": "y", "predictor": "x"}],
            r"pairs listed more than once: \['y by x'\]",
        ),
    ],
    ids=["unknown", "no-target", "missing-target", "target-not-sensitive", "chain", "twice"],
)
def test_bad_families_are_refused_with_the_pair_named(pairs, message):
    with pytest.raises(ValueError, match=message):
        crosstab.validate_pairs({"pairs": pairs}, source="pairs.yaml")


def test_sensitivity_of_alone_makes_a_sensitivity_pair_and_names_a_contrast():
    pairs = crosstab.validate_pairs(
        {
            "pairs": [
                {"outcome": "y", "predictor": "x", "contrast": "a", "family": "confirmatory"},
                {
                    "outcome": "y",
                    "predictor": "x",
                    "sensitivity_of": {"predictor": "x", "contrast": "a"},
                },
            ]
        }
    )
    assert [p["family"] for p in pairs] == ["confirmatory", "sensitivity"]
    assert pairs[1]["sensitivity_of"] == "y by x_a_vs_other"


def _bands_and_years(n=120, seed=3):
    rng = np.random.default_rng(seed)
    years = rng.integers(0, 40, n).astype(float)
    band = pd.cut(years, [-1, 9, 19, 100], labels=["0-9", "10-19", "20+"], ordered=True)
    y = rng.random(n) < (0.2 + 0.015 * years)
    return pd.DataFrame({"y": pd.array(y, dtype="boolean"), "band": band, "years": years})


def test_a_sensitivity_pair_runs_but_is_not_adjusted_into_any_family():
    spec = {
        "pairs": [
            {"outcome": "y", "predictor": "band", "family": "confirmatory"},
            {"outcome": "y", "predictor": "years", "sensitivity_of": {"predictor": "band"}},
        ]
    }
    _, results = crosstab.run_pairs(
        _bands_and_years(), crosstab.validate_pairs(spec), seed=1, n_resamples=50
    )
    table = crosstab.results_table(results)
    assert table["family"].tolist() == ["confirmatory", "sensitivity"]
    assert table.loc[1, "sensitivity_of"] == "y by band"
    # a family of one: Holm leaves its p-value as it is
    assert table.loc[0, "p_adjusted"] == table.loc[0, "p_value"]
    assert np.isnan(table.loc[1, "p_adjusted"]) and np.isfinite(table.loc[1, "p_value"])


def _claims_tests(families):
    rows = [
        {
            "outcome": "y",
            "predictor": "x_a_vs_other",
            "family": family,
            "test": "pearson_chi2",
            "test_reason": "",
            "p_adjusted": p,
            "effect_measure": "odds_ratio_conditional",
            "effect_size": 3.0,
        }
        for family, p in families
    ]
    return pd.DataFrame(rows)


CLAIM = {
    "id": "c",
    "kind": "directional",
    "quote_lv": "q",
    "test": {"outcome": "y", "predictor": "x", "expectation": "higher_in", "level": "a"},
}


def test_a_claim_is_judged_by_its_confirmatory_row():
    tests = _claims_tests([("sensitivity", NAN), ("confirmatory", 0.01)])
    judged = crosstab.judge_claims([CLAIM], tests, alpha=0.05).iloc[0]
    assert judged["verdict"] == "supported"
    assert "exploratory" not in judged["note"]


def test_a_claim_judged_by_an_exploratory_row_says_so_and_a_sensitivity_row_does_not_judge():
    judged = crosstab.judge_claims([CLAIM], _claims_tests([("exploratory", 0.01)]), alpha=0.05)
    assert "The test is exploratory" in judged.loc[0, "note"]
    judged = crosstab.judge_claims([CLAIM], _claims_tests([("sensitivity", NAN)]), alpha=0.05)
    assert judged.loc[0, "verdict"] == "not tested"
    assert "sensitivity analysis" in judged.loc[0, "note"]


@pytest.mark.parametrize("study", STUDIES, ids=lambda p: p.name)
def test_each_study_pairs_its_directional_claims_with_confirmatory_tests_and_nothing_else(study):
    pairs = crosstab_io.read_pairs(study / _input(study, "crosstab_pairs"))
    claims_file = _input(study, "claims")
    claims = read_claims(study / claims_file) if claims_file else []
    wanted = set()
    for claim in claims:
        if claim["kind"] == "directional":
            test = claim["test"]
            level = test.get("level") if test["expectation"] in ("higher_in", "lower_in") else None
            wanted.add(pair_key(test["outcome"], test["predictor"], level))
    confirmatory = {
        pair_key(p["outcome"], p["predictor"], p["contrast"])
        for p in pairs
        if p["family"] == "confirmatory"
    }
    assert confirmatory == wanted
    # every sensitivity pair re-tests a pair of the same file that is itself adjusted
    keys = {pair_key(p["outcome"], p["predictor"], p["contrast"]): p["family"] for p in pairs}
    for pair in pairs:
        if pair["family"] == "sensitivity":
            assert keys[pair["sensitivity_of"]] in ("confirmatory", "exploratory")


def _input(study, key):
    import yaml

    document = yaml.safe_load((study / "study.yaml").read_text(encoding="utf-8"))
    return (document.get("inputs") or {}).get(key)
