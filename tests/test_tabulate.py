"""Frequency tables: counts, missing rows, Wilson intervals, ordering and public versions."""

from __future__ import annotations

import pandas as pd
import pytest

from ruralplan.formatting import NBSP
from ruralplan.survey.codebook import Option, Question
from ruralplan.survey.tabulate import (
    frequency_table,
    public_csv_table,
    public_table,
    suppression_status,
    wilson_interval,
)

STATUS = Question(
    id="status",
    text_lv="Statuss?",
    text_en="Status?",
    type="single",
    options=(
        Option("yes", "Jā", "Yes"),
        Option("old", "Novecojusi", "Outdated"),
        Option("no", "Nē", "No"),
    ),
)
REVIEW = Question(
    id="review",
    text_lv="Cik bieži?",
    text_en="How often?",
    type="single",
    ordered=True,
    asked_if={"status": ("yes", "old")},
    options=(Option("often", "Bieži", "Often"), Option("rarely", "Reti", "Rarely")),
)
FOCUS = Question(
    id="focus",
    text_lv="Virzieni",
    text_en="Areas",
    type="multiple",
    other_code="other",
    options=(
        Option("econ", "Ekonomika", "Economy"),
        Option("culture", "Kultūra", "Culture"),
        Option("other", "Cits", "Other"),
    ),
)


@pytest.fixture()
def survey() -> pd.DataFrame:
    # 10 organisations: status yes x4, old x3, no x2, one blank.
    status = ["yes"] * 4 + ["old"] * 3 + ["no"] * 2 + [None]
    # review: asked of the 7 with a strategy; one of them left it blank.
    review = ["often", "rarely", "rarely", "rarely", "often", "rarely", None, None, None, None]
    return pd.DataFrame(
        {
            "status": pd.Categorical(status, categories=["yes", "old", "no"]),
            "review": pd.Categorical(review, categories=["often", "rarely"], ordered=True),
            # ticks: econ rows 0-5, culture rows 0, 2, 4, other rows 7-8; rows 6 and 9 none.
            "focus__econ": pd.array([True] * 6 + [False] * 4, dtype="boolean"),
            "focus__culture": pd.array(
                [True, False, True, False, True] + [False] * 5, dtype="boolean"
            ),
            "focus__other": pd.array([False] * 7 + [True, True, False], dtype="boolean"),
        }
    )


def _rows(table, kind):
    return table[table["row_type"] == kind].set_index("code")


def test_single_choice_counts_percent_of_valid_and_missing_row(survey):
    table = frequency_table(survey, STATUS)
    options = _rows(table, "option")
    assert options["n"].to_dict() == {"yes": 4, "old": 3, "no": 2}  # by frequency
    assert options.loc["yes", "percent"] == pytest.approx(100 * 4 / 9)  # blank not in base
    summary = table[table["row_type"] != "option"].set_index("row_type")["n"].to_dict()
    assert summary == {"valid": 9, "no_answer": 1, "respondents": 10}


def test_skip_rule_separates_not_asked_from_blank(survey):
    table = frequency_table(survey, REVIEW)
    summary = table[table["row_type"] != "option"].set_index("row_type")["n"].to_dict()
    # 7 asked (yes/old), 6 answered, 1 blank; 3 not asked (status no or blank).
    assert summary == {"valid": 6, "no_answer": 1, "not_asked": 3, "respondents": 10}
    # Ordered question: codebook order even though "rarely" is more frequent.
    assert _rows(table, "option").index.tolist() == ["often", "rarely"]


def test_multiple_choice_percent_of_respondents_and_of_mentions(survey):
    table = frequency_table(survey, FOCUS)
    options = _rows(table, "option")
    # "other" goes last; 8 respondents ticked something; 11 ticks in all.
    assert options.index.tolist() == ["econ", "culture", "other"]
    assert options.loc["econ", "percent"] == pytest.approx(100 * 6 / 8)
    assert options.loc["econ", "percent_mentions"] == pytest.approx(100 * 6 / 11)
    assert _rows(table, "no_answer")["n"].iloc[0] == 2


@pytest.mark.parametrize(
    ("count", "nobs", "low", "high"),
    [(81, 263, 25.53, 36.62), (15, 148, 6.24, 16.05), (0, 20, 0.0, 16.11), (1, 29, 0.61, 17.18)],
    ids=["81/263", "15/148", "0/20", "1/29"],
)
def test_wilson_interval_matches_newcombe_1998(count, nobs, low, high):
    # Newcombe RG (1998), "Two-sided confidence intervals for the single proportion: comparison
    # of seven methods", Statistics in Medicine 17:857-872, Table I, method 3 (score, no CC).
    result = wilson_interval(count, nobs)
    assert result == pytest.approx((low, high), abs=0.005)


def test_wilson_interval_of_empty_base_is_nan():
    low, high = wilson_interval(0, 0)
    assert pd.isna(low) and pd.isna(high)


def test_public_table_formats_latvian_numbers():
    survey = pd.DataFrame({"status": ["yes"] * 42 + ["old"] * 32 + ["no"] * 72})
    public = public_table(frequency_table(survey, STATUS), lang="lv", min_cell=5)
    assert public.frame.columns.tolist() == ["Atbilde", "Skaits", "%", f"95{NBSP}% TI"]
    row = public.frame.set_index("Atbilde").loc["Jā"]
    assert row["%"] == "28,8"  # 42/146 = 28.77 %
    assert row[f"95{NBSP}% TI"].count(",") == 2 and "–" in row[f"95{NBSP}% TI"]
    assert not public.suppressed


def test_public_table_suppresses_small_counts_and_says_so(survey):
    table = frequency_table(survey, STATUS)  # counts 4, 3, 2: all under 5
    public = public_table(table, lang="en", min_cell=5, source="Source: X", synthetic=True)
    shown = public.frame.set_index("Answer")
    assert shown.loc[["Yes", "Outdated", "No"], "n"].tolist() == ["<5", "<5", "<5"]
    assert shown.loc[["Yes", "Outdated", "No"], "%"].tolist() == ["<5", "<5", "<5"]
    assert public.suppressed
    assert any("fewer than 5" in note for note in public.notes)
    assert public.notes[-2:] == ("Source: X", "Synthetic demonstration data, not study results.")


def test_no_small_count_survives_in_public_csv():
    # 30 valid answers: 3 (primary) and the next smallest, 7, withheld; 20 shown.
    survey = pd.DataFrame({"status": ["yes"] * 20 + ["old"] * 7 + ["no"] * 3})
    table = frequency_table(survey, STATUS)
    public = public_csv_table(table, min_cell=5).set_index("code")
    assert public.loc["no", "n"] == "<5" and public.loc["no", "percent"] == "<5"
    assert public.loc["old", "n"] == "x" and public.loc["old", "ci_low"] == "x"
    assert public.loc["yes", "n"] == "20" and public.loc["yes", "percent"] == "66.7"
    status = suppression_status(table, min_cell=5)
    assert status.tolist()[:3] == ["shown", "secondary", "primary"]


def test_unknown_code_is_a_clear_error():
    survey = pd.DataFrame({"status": ["yes", "maybe"]})
    with pytest.raises(ValueError, match=r"column `status` holds codes \['maybe'\]"):
        frequency_table(survey, STATUS)


def test_missing_column_is_a_clear_error(survey):
    with pytest.raises(ValueError, match=r"no column\(s\) \['focus__econ'\]"):
        frequency_table(survey.drop(columns="focus__econ"), FOCUS)


def test_open_question_is_refused(survey):
    text = Question(id="status", text_lv="", text_en="", type="text")
    with pytest.raises(ValueError, match="only \\['single', 'multiple'\\] questions"):
        frequency_table(survey, text)


def test_input_is_not_modified(survey):
    before = survey.copy()
    frequency_table(survey, FOCUS)
    pd.testing.assert_frame_equal(survey, before)


def test_summary_rows_are_labelled_from_both_catalogs(survey):
    table = frequency_table(survey, STATUS).set_index("row_type")
    assert table.loc["valid", ["label_lv", "label_en"]].tolist() == [
        "Derīgās atbildes",
        "Valid answers",
    ]


def test_question_text_in_a_language_the_codebook_lacks_is_refused():
    # Before, any language but English silently got the Latvian text.
    assert STATUS.text("en") == STATUS.text_en
    with pytest.raises(KeyError, match="'de' was passed"):
        STATUS.text("de")
