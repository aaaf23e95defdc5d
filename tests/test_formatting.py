"""Number, percentage, interval and date formatting for Latvian and English output (Babel)."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from ruralplan.formatting import (
    NBSP,
    format_date,
    format_number,
    format_percent,
    format_range,
    format_scientific,
    round_half_up,
    with_decimals,
)


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


def test_unknown_language_is_refused_naming_the_missing_catalog():
    with pytest.raises(ValueError, match=r"but 'de' was passed; .*de/LC_MESSAGES/ruralplan.po"):
        format_number(1.0, lang="de")


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0.125, 2, "0.13"),  # Babel alone would round half to even: 0.12
        (2.5, 0, "3"),  # and 2 here
        (-2.5, 0, "-3"),  # half away from zero on the negative side too
        (1234.5, 0, "1,235"),
    ],
    ids=["half-up-0.125", "half-up-2.5", "negative-half", "grouped-after-rounding"],
)
def test_rounding_is_done_before_babel_formats(value, decimals, expected):
    assert format_number(value, lang="en", decimals=decimals) == expected


def test_percent_rounds_half_up_on_the_percent_scale():
    # 12.25 % is exactly representable, so the tie is real: half up gives 12.3, not 12.2.
    assert format_percent(12.25, lang="en") == "12.3%"
    assert format_percent(12.25, lang="lv") == f"12,3{NBSP}%"


@pytest.mark.parametrize(
    ("pattern", "decimals", "expected"),
    [
        ("#,##0.###", 2, "#,##0.00"),
        ("#,##0%", 1, "#,##0.0%"),
        (f"#,##0{NBSP}%", 0, f"#,##0{NBSP}%"),
    ],
)
def test_pattern_gets_exactly_the_decimals_asked_for(pattern, decimals, expected):
    assert with_decimals(pattern, decimals) == expected


def test_range_is_two_numbers_with_an_en_dash_or_nothing():
    assert format_range(22.24, 36.75, lang="lv") == "22,2\u201336,8"
    assert format_range(22.24, None, lang="en") == ""


def test_scientific_notation_takes_the_decimal_mark():
    assert format_scientific(2.5e-08, lang="lv") == "2,5e-08"
    assert format_scientific(2.5e-08, lang="en") == "2.5e-08"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("lv", "2024. gada 29. aprīlis"), ("en", "29 April 2024")],
)
def test_date_in_full_from_the_catalog_pattern_and_cldr_month_names(lang, expected):
    assert format_date("2024-04-29", lang=lang) == expected
    assert format_date(dt.date(2024, 4, 29), lang=lang) == expected


@pytest.mark.parametrize("bad", ["29.04.2024", "2024-13-01", "20240429"])
def test_date_that_is_not_yyyy_mm_dd_is_refused(bad):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        format_date(bad, lang="en")


def test_round_half_up_refuses_negative_decimals():
    with pytest.raises(ValueError, match="`decimals` must be 0 or more"):
        round_half_up(1.5, -1)


@pytest.mark.parametrize("infinite", [math.inf, -math.inf])
def test_infinite_values_pass_rounding_and_print_as_infinity(infinite):
    # An odds ratio with a zero cell has an open interval limit; a one-row export crashed the
    # report at this rounding (Decimal refuses to quantize infinity).
    assert round_half_up(infinite, 2) == infinite
    sign = "-" if infinite < 0 else ""
    assert format_number(infinite, lang="lv", decimals=2) == f"{sign}\u221e"
    if infinite > 0:
        assert format_range(1.25, infinite, lang="en", decimals=2) == "1.25\u2013\u221e"
