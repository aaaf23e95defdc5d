"""Number formatting for Latvian and English output."""

from __future__ import annotations

import math

import pytest

from ruralplan.formatting import NBSP, format_number, format_percent, round_half_up


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [
        (28.767, "lv", 1, f"28,8{NBSP}%"),  # 42/146 as printed in the LLF summary
        (28.767, "en", 1, "28.8%"),
        (22.0, "lv", 0, f"22{NBSP}%"),  # printed without decimals
        (21.2329, "lv", 1, f"21,2{NBSP}%"),
        (0.05, "lv", 1, f"0,1{NBSP}%"),  # half away from zero, not to even
        (100.0, "en", 0, "100%"),
    ],
    ids=["lv-one-decimal", "en-one-decimal", "lv-whole", "lv-21.2", "half-up", "en-hundred"],
)
def test_format_percent(value, lang, decimals, expected):
    assert format_percent(value, lang=lang, decimals=decimals) == expected


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [
        (1234567.891, "lv", 2, f"1{NBSP}234{NBSP}567,89"),  # Latvian groups with a space
        (1234567.891, "en", 2, "1,234,567.89"),
        (145, "lv", 0, "145"),
        (-0.04, "lv", 1, "0,0"),  # no negative zero
        (2.675, "en", 2, "2.68"),  # the decimal reading of 2.675, not its binary neighbour
    ],
    ids=["lv-grouping", "en-grouping", "integer", "negative-zero", "binary-half"],
)
def test_format_number(value, lang, decimals, expected):
    assert format_number(value, lang=lang, decimals=decimals) == expected


@pytest.mark.parametrize("missing", [None, math.nan], ids=["none", "nan"])
def test_missing_values_format_as_empty_text(missing):
    assert format_percent(missing, lang="lv") == ""
    assert format_number(missing, lang="en") == ""


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match=r"`lang` must be one of \['lv', 'en'\], but 'de'"):
        format_number(1.0, lang="de")


def test_round_half_up_refuses_negative_decimals():
    with pytest.raises(ValueError, match="`decimals` must be 0 or more"):
        round_half_up(1.5, -1)
