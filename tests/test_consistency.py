"""GRIM-style consistency checks against published worked examples."""

from __future__ import annotations

import pytest

from ruralplan.analysis.consistency import (
    consistent_bases,
    grim_consistent,
    grim_counts,
    nearest_consistent_base,
    share_set_counts,
)

# scrutiny README (Jung, R package scrutiny, "Get started"): grim_map(pigs1), means, items = 1.
PIGS1 = [
    ("7.22", 32, True),
    ("4.74", 25, False),
    ("5.23", 29, False),
    ("2.57", 24, False),
    ("6.77", 27, False),
    ("2.68", 28, True),
    ("7.01", 29, False),
    ("7.38", 26, True),
    ("3.14", 27, False),
    ("6.89", 31, False),
    ("5.00", 25, True),
    ("0.24", 28, False),
]
# Same README: grim_map(pigs2, percent = TRUE), percentages of n = 150.
PIGS2 = [
    ("67.4", 150, False),
    ("54.2", 150, False),
    ("54.0", 150, True),
    ("69.8", 150, False),
    ("68.1", 150, False),
    ("55.4", 150, False),
]


def _decimals(text: str) -> int:
    return len(text.partition(".")[2])


@pytest.mark.parametrize(("text", "n", "expected"), PIGS1, ids=[f"{x}/{n}" for x, n, _ in PIGS1])
def test_means_agree_with_scrutiny_pigs1(text, n, expected):
    assert grim_consistent(float(text), n, decimals=_decimals(text)) is expected


@pytest.mark.parametrize(("text", "n", "expected"), PIGS2, ids=[f"{x}%/{n}" for x, n, _ in PIGS2])
def test_percentages_agree_with_scrutiny_pigs2(text, n, expected):
    assert grim_consistent(float(text), n, decimals=_decimals(text), percent=True) is expected


def test_mean_example_by_hand():
    # The reasoning of Brown & Heathers (2016, Soc. Psychol. Personal. Sci. 8(4), 363-369),
    # computed by hand: with N = 28 the means near 5.19 are 145/28 = 5.1786 and
    # 146/28 = 5.2143, so 5.19 is impossible while 5.18 comes from a total of 145.
    assert grim_counts(5.19, 28, decimals=2) == []
    assert grim_counts(5.18, 28, decimals=2) == [145]


def test_die_roll_example():
    # The die-roll illustration of GRIM: 20 rolls cannot average 3.48 (only x.x0 or x.x5).
    assert not grim_consistent(3.48, 20, decimals=2)
    assert grim_consistent(3.45, 20, decimals=2)


def test_rounding_boundary_accepts_both_directions():
    # 1/8 = 12.5 % exactly: printed as 12 % (half to even) or 13 % (half up); both accepted.
    assert grim_counts(12, 8, decimals=0, percent=True) == [1]
    assert grim_counts(13, 8, decimals=0, percent=True) == [1]


def test_published_strategy_shares_cannot_come_from_145():
    # By hand: 28.8 % of 145 = 41.76, and 41/145 = 28.28 %, 42/145 = 28.97 %;
    # 21.2 % of 145 = 30.74, and 30/145 = 20.69 %, 31/145 = 21.38 %.
    assert grim_counts(28.8, 145, decimals=1, percent=True) == []
    assert grim_counts(21.2, 145, decimals=1, percent=True) == []
    assert grim_counts(22, 145, decimals=0, percent=True) == [32]
    assert grim_counts(28, 145, decimals=0, percent=True) == [40, 41]


def test_146_gives_all_four_shares_and_sums():
    # 42/146 = 28.77, 32/146 = 21.92, 31/146 = 21.23, 41/146 = 28.08; 42+32+31+41 = 146.
    assert share_set_counts([28.8, 22, 21.2, 28], 146, decimals=[1, 0, 1, 0]) == [(42, 32, 31, 41)]


def test_bases_near_145():
    table = consistent_bases([28.8, 22, 21.2, 28], decimals=[1, 0, 1, 0], bases=range(120, 171))
    assert table.loc[table["sums_to_base"], "base"].tolist() == [132, 146, 156, 160, 170]
    assert nearest_consistent_base(table, 145) == 146
    row = table.set_index("base").loc[145]
    assert row["n_shares_possible"] == 2 and not row["all_possible"]


def test_no_consistent_base_gives_none():
    table = consistent_bases([28.8], decimals=[1], bases=[145])
    assert nearest_consistent_base(table, 145) is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 0}, "`n` must be a whole number of at least 1"),
        ({"n": 14.5}, "`n` must be a whole number"),
        ({"n": 10, "items": 0}, "`items` must be a whole number"),
        ({"n": 10, "decimals": -1}, "`decimals` must be 0 or more"),
    ],
    ids=["zero-n", "fractional-n", "zero-items", "negative-decimals"],
)
def test_bad_arguments_are_refused(kwargs, message):
    arguments = {"decimals": 1, **kwargs}
    with pytest.raises(ValueError, match=message):
        grim_counts(50.0, **arguments)


def test_share_and_decimal_lists_must_match():
    with pytest.raises(ValueError, match="same length"):
        share_set_counts([28.8, 22], 146, decimals=[1])


# ---- figures as printed (Latvian decimal comma included) ----------------------------------------


def test_printed_text_gives_the_same_counts_as_the_number_and_its_decimals():
    # By hand: 42/146 = 28.77 % rounds to 28.8; 28.8 % of 145 has no whole count (above).
    assert grim_counts("28,8", 146, percent=True) == [42]
    assert grim_counts("28,8%", 146, percent=True) == [42]
    assert grim_counts("28,8", 145, percent=True) == []
    # the trailing zero is a printed decimal: "54,0" of 150 is 81/150 exactly, "54" also
    # allows 80.5..81.5 -> 81 only; "22" of 146 -> 32 (21.92 %)
    assert grim_counts("54,0", 150, percent=True) == [81]
    assert grim_counts("22 %", 146, percent=True) == [32]
    # Brown & Heathers' mean example (above), printed with a comma
    assert grim_counts("5,19", 28) == []
    assert grim_consistent("5.18", 28)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("28,8", 145), {"percent": True, "decimals": 0}, "printed with 1 decimals"),
        (("28,8%", 145), {}, "is a percentage: pass percent=True"),
        ((28.8, 145), {"percent": True}, "Pass `decimals`"),
        (("1,234.5", 145), {"decimals": 1}, "is not a printed number"),
        (("ap. 29", 145), {}, "is not a printed number"),
        ((None, 145), {"decimals": 1}, "must be a finite number or printed text"),
        ((float("nan"), 145), {"decimals": 1}, "must be a finite number or printed text"),
        ((28.8, "145"), {"decimals": 1}, "`n` must be a whole number"),
    ],
    ids=[
        "decimals-disagree",
        "percent-sign",
        "no-decimals",
        "both-marks",
        "words",
        "none",
        "nan",
        "text-n",
    ],
)
def test_bad_figures_give_a_clear_value_error_never_a_type_error(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        grim_counts(*args, **kwargs)
