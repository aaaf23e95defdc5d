"""Kappa and alpha against hand-computed examples; not-computable codes; gold validation."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from ruralplan.interviews import reliability


def test_kappa_hand_example():
    # Confusion table [[2, 0], [1, 1]] (rule rows, gold columns) over 4 units:
    # p_o = 3/4, p_e = (3/4)(2/4) + (1/4)(2/4) = 1/2, kappa = (0.75 - 0.5) / 0.5 = 0.5.
    assert reliability.cohen_kappa([1, 1, 0, 0], [1, 0, 0, 0]) == pytest.approx(0.5)


def test_alpha_hand_example():
    # Coincidence matrix of the pairs (1,1), (1,0), (0,0), (0,0): o_11 = 2, o_10 = o_01 = 1,
    # o_00 = 4; n = 8, n_1 = 3, n_0 = 5. Nominal alpha (Krippendorff 2011, "Computing
    # Krippendorff's alpha-reliability"): 1 - (n - 1) * (o_10 + o_01) / (n_1 n_0 + n_0 n_1)
    # = 1 - 7 * 2 / 30 = 8/15.
    assert reliability.krippendorff_alpha([1, 1, 0, 0], [1, 0, 0, 0]) == pytest.approx(8 / 15)


def test_perfect_agreement_is_reliable():
    assert reliability.cohen_kappa([1, 0, 1], [1, 0, 1]) == pytest.approx(1.0)
    assert reliability.verdict(1.0) == "reliable"


def test_code_nobody_applied_is_not_computable():
    assert math.isnan(reliability.cohen_kappa([0, 0, 0], [0, 0, 0]))
    assert math.isnan(reliability.krippendorff_alpha([0, 0, 0], [0, 0, 0]))
    assert reliability.verdict(float("nan")) == "not computable"


@pytest.mark.parametrize(
    ("value", "label"),
    [(0.8, "reliable"), (0.7999, "tentative"), (0.667, "tentative"), (0.66, "below threshold")],
)
def test_thresholds(value, label):
    assert reliability.verdict(value) == label


UNITS = pd.DataFrame(
    {
        "interview_id": ["a", "a", "a", "a"],
        "segment_id": ["s1", "s2", "s3", "s4"],
        "role": "respondent",
    }
)


def test_reliability_table_per_code_and_pooled():
    rule = pd.DataFrame({"interview_id": "a", "segment_id": ["s1", "s2"], "code": ["x", "x"]})
    gold = pd.DataFrame({"interview_id": "a", "segment_id": ["s1"], "code": ["x"]})
    table = reliability.reliability_table(rule, gold, UNITS, ["x", "y"]).set_index("code")
    assert table.loc["x", "kappa"] == pytest.approx(0.5)
    assert (table.loc["x", "n_rule"], table.loc["x", "n_gold"], table.loc["x", "n_both"]) == (
        2,
        1,
        1,
    )
    assert table.loc["y", "kappa_verdict"] == "not computable"
    assert table.loc["y", "alpha_verdict"] == "not computable"
    # Pooled: 8 units, rule 2 positives, gold 1, agree on 7: p_o = 7/8,
    # p_e = (2/8)(1/8) + (6/8)(7/8) = 44/64, kappa = (56/64 - 44/64) / (20/64) = 0.6.
    assert table.loc[reliability.OVERALL, "kappa"] == pytest.approx(0.6)


def test_gold_with_unknown_code_names_row_and_column():
    gold = pd.DataFrame(
        {"interview_id": ["a", "a"], "segment_id": ["s1", "s2"], "code": ["x", "zz"]}
    )
    with pytest.raises(reliability.GoldError, match=r"gold.csv, row 3, column code: 'zz'"):
        reliability.check_gold(gold, UNITS, ["x"], source="gold.csv")


def test_gold_with_unknown_segment_is_refused():
    gold = pd.DataFrame({"interview_id": ["a"], "segment_id": ["s9"], "code": ["x"]})
    with pytest.raises(reliability.GoldError, match="segment 's9' of interview 'a' does not"):
        reliability.check_gold(gold, UNITS, ["x"], source="gold.csv")


def test_reliability_by_set_reports_each_set_then_all():
    units = pd.DataFrame(
        {
            "interview_id": ["a", "a", "b", "b"],
            "segment_id": ["s1", "s2", "s1", "s2"],
            "role": "respondent",
        }
    )
    rule = pd.DataFrame({"interview_id": ["a", "b"], "segment_id": ["s1", "s1"], "code": "x"})
    gold = pd.DataFrame({"interview_id": ["a", "b"], "segment_id": ["s1", "s2"], "code": "x"})
    table = reliability.reliability_by_set(
        rule, gold, units, ["x"], {"held_out": ["b"], "development": ["a"]}
    )
    pooled = table[table["code"] == reliability.OVERALL].set_index("set")
    assert list(pooled.index) == ["held_out", "development", "all"]
    # each set counts its own interviews: one each, both together
    assert pooled["n_interviews"].to_dict() == {"held_out": 1, "development": 1, "all": 2}
    # a: rule and gold agree on both segments -> kappa 1; b: they disagree on both ->
    # p_o = 0, p_e = 1/2, kappa = -1; all four: p_o = 1/2, p_e = 1/2, kappa = 0.
    assert pooled.loc["development", "kappa"] == pytest.approx(1.0)
    assert pooled.loc["held_out", "kappa"] == pytest.approx(-1.0)
    assert pooled.loc["all", "kappa"] == pytest.approx(0.0)


@pytest.mark.parametrize(
    ("sets", "message"),
    [
        ({"dev": ["a"], "held": ["a"]}, "must not overlap"),
        ({"all": ["a"]}, "not named 'all'"),
        ({"dev": []}, "must be non-empty"),
    ],
    ids=["overlap", "reserved", "empty"],
)
def test_bad_gold_sets_are_refused(sets, message):
    with pytest.raises(reliability.GoldError, match=message):
        reliability.check_sets(sets, ["a", "b"], source="codebook.yaml")


def test_sets_keep_only_gold_coded_interviews():
    # "c" has no gold coding: left out; a set with no gold interview at all is omitted.
    sets = reliability.check_sets({"held": ["c", "b"], "dev": ["a"], "later": ["d"]}, ["a", "b"])
    assert sets == {"held": ["b"], "dev": ["a"]}


def test_krippendorff_alpha_of_codings_of_different_length_names_both_lengths():
    # cohen_kappa already says "codings differ in length: 3 and 2"; alpha must say the same
    with pytest.raises(ValueError, match="codings differ in length: 3 and 2"):
        reliability.krippendorff_alpha([1, 0, 1], [1, 0])


# ---- agreement between pairs of coders -----------------------------------------------------------


def _units(interviews, segments_per_interview=4):
    return pd.DataFrame(
        [(key, f"s{n}") for key in interviews for n in range(1, segments_per_interview + 1)],
        columns=["interview_id", "segment_id"],
    )


def test_coder_pairs_put_the_rule_coder_first_then_pair_the_humans():
    assert reliability.coder_pairs("rule", ["A"]) == [("rule", "A")]
    assert reliability.coder_pairs("rule", ["A", "B", "C"])[3:] == [
        ("A", "B"),
        ("A", "C"),
        ("B", "C"),
    ]


def test_agreement_compares_each_pair_on_the_interviews_both_coded():
    units = _units(["a", "b"])
    rows = [
        # rule codes a/s1, a/s2, b/s1; human A (interview a only) a/s1, a/s3;
        # human B (both interviews) a/s1, a/s2, b/s1
        ("a", "s1", "x", "rule"),
        ("a", "s2", "x", "rule"),
        ("b", "s1", "x", "rule"),
        ("a", "s1", "x", "A"),
        ("a", "s3", "x", "A"),
        ("a", "s1", "x", "B"),
        ("a", "s2", "x", "B"),
        ("b", "s1", "x", "B"),
    ]
    codings = pd.DataFrame(rows, columns=["interview_id", "segment_id", "code", "coder"])
    scope = {"rule": ["a", "b"], "A": ["a"], "B": ["a", "b"]}
    pairs = reliability.coder_pairs("rule", ["A", "B"])
    table = reliability.coder_agreement(codings, units, ["x"], pairs, scope)
    assert table.columns.tolist() == reliability.AGREEMENT_COLUMNS
    rows_x = table[table["code"] == "x"].set_index(["coder_a", "coder_b"])
    # rule vs A on interview a (4 units): rule [1,1,0,0], A [1,0,1,0]: p_o = .5, p_e = .5
    assert rows_x.loc[("rule", "A"), "n_interviews"] == 1
    assert rows_x.loc[("rule", "A"), "n_segments"] == 4
    assert rows_x.loc[("rule", "A"), "kappa"] == pytest.approx(0.0)
    # rule vs B on a and b (8 units): identical codings
    assert rows_x.loc[("rule", "B"), ["n_a", "n_b", "n_both"]].tolist() == [3, 3, 3]
    assert rows_x.loc[("rule", "B"), "kappa"] == pytest.approx(1.0)
    # A vs B on interview a: A [1,0,1,0], B [1,1,0,0]
    assert rows_x.loc[("A", "B"), "percent_agreement"] == pytest.approx(50.0)
    pooled = table[table["code"] == reliability.OVERALL]
    assert len(pooled) == 3


def test_pairs_without_a_shared_interview_are_left_out():
    codings = pd.DataFrame(
        [("a", "s1", "x", "A"), ("b", "s1", "x", "B")],
        columns=["interview_id", "segment_id", "code", "coder"],
    )
    table = reliability.coder_agreement(
        codings, _units(["a", "b"]), ["x"], [("A", "B")], {"A": ["a"], "B": ["b"]}
    )
    assert table.empty and table.columns.tolist() == reliability.AGREEMENT_COLUMNS
