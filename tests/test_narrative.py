"""Sentences from numbers: Latvian noun agreement, decimal marks, plain-language summaries."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ruralplan import narrative
from ruralplan.narrative import NBSP

# Expected forms follow the CLDR plural rules for Latvian (Unicode CLDR, "Language Plural
# Rules", lv): one = n % 10 = 1 and n % 100 != 11; zero = n % 10 = 0 or n % 100 = 11..19;
# other = everything else. The zero category takes the genitive plural, as after indeclinable
# numerals (desmit, vienpadsmit); one the nominative singular; other the nominative plural.
ORGANISATION = {
    "lv": {"zero": "organizāciju", "one": "organizācija", "other": "organizācijas"},
    "en": {"one": "organisation", "other": "organisations"},
}
LATVIAN_CASES = [
    (0, "0 organizāciju"),
    (1, "1 organizācija"),
    (2, "2 organizācijas"),
    (9, "9 organizācijas"),
    (10, "10 organizāciju"),  # ends in 0: zero category
    (11, "11 organizāciju"),  # teen: zero category, not singular
    (12, "12 organizāciju"),
    (21, "21 organizācija"),  # ends in 1: singular again
    (22, "22 organizācijas"),
    (101, "101 organizācija"),
    (111, "111 organizāciju"),
    (145, "145 organizācijas"),
]


@pytest.mark.parametrize(("count", "expected"), LATVIAN_CASES, ids=[c[1] for c in LATVIAN_CASES])
def test_latvian_noun_agrees_with_number(count, expected):
    phrase = narrative.count_phrase(count, ORGANISATION["lv"], "lv")
    assert phrase.replace(NBSP, " ") == expected


def test_package_nouns_follow_the_same_rule():
    # The package's own nouns come from the catalog (ngettext with its plural rule); the
    # forms chosen must be the same as for a study's unit (CLDR categories).
    numbers = (0, 1, 3, 11, 31)
    phrases = [narrative.count_phrase(n, "test", "lv").replace(NBSP, " ") for n in numbers]
    assert phrases == ["0 testu", "1 tests", "3 testi", "11 testu", "31 tests"]
    english = [narrative.count_phrase(n, "row", "en").replace(NBSP, " ") for n in (1, 2)]
    assert english == ["1 row", "2 rows"]


@pytest.mark.parametrize(
    ("count", "expected"), [(1, "1 organisation"), (0, "0 organisations"), (21, "21 organisations")]
)
def test_english_singular_only_for_one(count, expected):
    phrase = narrative.count_phrase(count, ORGANISATION["en"], "en")
    assert phrase.replace(NBSP, " ") == expected


@given(st.integers(min_value=0, max_value=10**6))
def test_plural_category_depends_only_on_last_two_digits(count):
    # 1 and 21 behave alike, 11 and 111 alike: the rule reads only n % 100.
    if count >= 100:
        assert narrative.plural_category(count, "lv") == narrative.plural_category(
            count % 100 + 100, "lv"
        )


def test_unit_without_other_form_is_refused():
    with pytest.raises(ValueError, match="must include `other`"):
        narrative.count_phrase(2, {"one": "household"}, "en")


def test_percent_uses_decimal_comma_in_latvian():
    # 42 / 146 = 0.28767...: the published 28,8 % (hand computed).
    assert narrative.format_percent(42 / 146, "lv") == f"28,8{NBSP}%"
    assert narrative.format_percent(42 / 146, "en") == "28.8%"


def test_thousands_are_grouped_per_language():
    assert narrative.format_number(12345.25, "lv", decimals=2) == f"12{NBSP}345,25"
    assert narrative.format_number(12345.25, "en", decimals=2) == "12,345.25"


def test_missing_number_is_shown_as_dash():
    assert narrative.format_number(float("nan"), "lv") == "\u2013"


def test_small_p_values_are_bounded():
    assert narrative.format_p_value(0.0002, "lv") == f"<{NBSP}0,001"
    assert narrative.format_p_value(0.0314, "en") == "0.031"


@pytest.mark.parametrize(
    ("p_value", "value", "phrase"),
    [
        (0.001, "0.001", "p = 0.001"),  # the bound itself is printable: not bounded
        (0.00099, "< 0.001", "p < 0.001"),  # would round to 0.001, but is below it
        (0.0, "< 0.001", "p < 0.001"),
        (0.0315, "0.032", "p = 0.032"),  # rounds half away from zero
    ],
    ids=["at-bound", "just-below", "zero", "half-up"],
)
def test_p_value_and_p_phrase_agree_at_the_bound(p_value, value, phrase):
    assert narrative.format_p_value(p_value, "en").replace(NBSP, " ") == value
    assert narrative.p_phrase(p_value, "en").replace(NBSP, " ") == phrase


def test_share_sentence_in_both_languages():
    lv = narrative.share_sentence("Ir", 21, 145, "lv", unit=ORGANISATION["lv"])
    en = narrative.share_sentence("Yes", 21, 145, "en", unit=ORGANISATION["en"])
    lv, en = lv.replace(NBSP, " "), en.replace(NBSP, " ")
    # 21 / 145 = 14.48 % (hand computed); 21 takes the Latvian singular.
    assert lv == "Atbildi “Ir” sniedza 21 organizācija no 145 (14,5 %)."
    assert en == "21 organisations of 145 answered “Yes” (14.5%)."


def test_share_sentence_refuses_impossible_counts():
    with pytest.raises(ValueError, match="within 0..total, but 150 of 145"):
        narrative.share_sentence("Ir", 150, 145, "lv")


def test_cleaning_sentence_counts_exclusions():
    text = narrative.cleaning_sentence(146, 145, "en", unit=ORGANISATION["en"])
    assert text.replace(NBSP, " ") == (
        "The raw export had 146 rows; after cleaning, the analysis keeps 145 organisations "
        "(1 excluded)."
    )


def test_analysed_sentence_takes_the_study_unit():
    household = {"one": "household", "other": "households"}
    assert narrative.analysed_sentence(1, "en", unit=household).replace(NBSP, " ") == (
        "The analysis includes 1 household."
    )


def test_tests_summary_mentions_adjustment_and_counts():
    text = narrative.tests_summary_sentence(12, 0, 0.05, "lv")
    assert "12" in text and "neviens tests nav statistiski nozīmīgs" in text
    assert "0,05" in text
    assert "1 is statistically" in narrative.tests_summary_sentence(3, 1, 0.05, "en")


def test_tests_summary_agrees_with_one_test_in_english():
    # "1 test was run", not "1 tests were run": the sentence is one ngettext message.
    text = narrative.tests_summary_sentence(1, 1, 0.05, "en").replace(NBSP, " ")
    assert text.startswith("1 test was run;") and "1 is statistically significant" in text


def test_unknown_language_and_noun_are_refused():
    with pytest.raises(ValueError, match=r"lang must be one of \['en', 'lv'\] .*but 'de'"):
        narrative.format_percent(0.5, "de")
    with pytest.raises(ValueError, match="noun must be one of"):
        narrative.count_phrase(2, "village", "lv")
