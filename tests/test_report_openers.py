"""The computed opening of a plain exhibits section: most and least common answers, the base."""

from __future__ import annotations

import pandas as pd
import pytest

from ruralplan.report.openers import answer_extremes, base_sentence, section_opening
from ruralplan.survey.codebook import Codebook, Option, Question

NBSP = "\u00a0"


def _table(counts, *, valid=None, not_asked=None):
    """A frequency table like notebook 02's, with percentages of the valid total."""
    numbers = [n for n in counts.values() if isinstance(n, int)]
    valid = sum(numbers) if valid is None else valid
    rows = [
        {
            "question_id": "q",
            "row_type": "option",
            "code": code,
            "label_en": code.upper(),
            "n": n,
            "percent": round(100 * n / valid, 1) if isinstance(n, int) else n,
        }
        for code, n in counts.items()
    ]
    rows.append(
        {"question_id": "q", "row_type": "valid", "label_en": "Valid", "n": valid, "percent": 100}
    )
    if not_asked is not None:
        rows.append(
            {"question_id": "q", "row_type": "not_asked", "label_en": "Not asked", "n": not_asked}
        )
    table = pd.DataFrame(rows)
    return table.assign(ci_low=None, ci_high=None).astype({"n": object, "percent": object})


def _plain(text):
    return text.replace(NBSP, " ")


def test_the_largest_and_smallest_counts_are_named_with_n_of_base_and_percent():
    # 30 of 45 = 66.7 %, 5 of 45 = 11.1 % (worked out by hand); B is listed second on purpose
    text = _plain(answer_extremes(_table({"a": 10, "b": 30, "c": 5}), "en"))
    assert text == (
        "The most common answer was “B” (30 of 45; 66.7%), the least common “C” (5 of 45; 11.1%)."
    )


def test_answers_tied_for_the_top_are_named_together():
    text = _plain(answer_extremes(_table({"a": 10, "b": 10, "c": 2}), "en"))
    assert text.startswith("The most common answers were “A” and “B” (each 10 of 22; 45.5%)")
    assert "the least common “C” (2 of 22; 9.1%)" in text


def test_withheld_cells_are_neither_ranked_nor_revealed():
    # the true counts behind "<5" and "x" are not in the table; the sentence may only rank
    # the shown answers and must not name the withheld ones or any count of them
    table = _table({"a": 20, "b": "<5", "c": "x", "d": 8}, valid=35)
    text = _plain(answer_extremes(table, "en"))
    assert text.startswith("Of the answers shown, the most common was “A” (20 of 35; 57.1%)")
    assert "the least common “D” (8 of 35; 22.9%)" in text
    assert "“B”" not in text and "“C”" not in text
    assert "<5" not in text and " x " not in text
    assert "2 answers are withheld for disclosure control" in text


def test_no_sentence_when_every_answer_is_withheld():
    assert answer_extremes(_table({"a": "<5", "b": "x"}, valid=9), "en") == ""


def test_a_table_without_labels_is_refused():
    table = _table({"a": 1, "b": 2}).drop(columns=["label_en", "code"])
    with pytest.raises(ValueError, match="frequency table"):
        answer_extremes(table, "en")


def _codebook():
    gate = Question(
        id="has_plan",
        text_lv="Vai ir plāns?",
        text_en="Is there a plan?",
        type="single",
        options=(
            Option("yes", "Jā", "Yes"),
            Option("later", "Vēlāk", "Later"),
            Option("no", "Nē", "No"),
        ),
    )
    asked = Question(
        id="q",
        text_lv="Cik?",
        text_en="How far ahead?",
        type="single",
        asked_if={"has_plan": ("yes", "later")},
        options=(Option("a", "A", "A"),),
    )
    return Codebook(survey={}, questions=(gate, asked))


def test_the_base_names_valid_answers_and_whom_a_skip_rule_asked():
    unit = {"one": "hall", "other": "halls"}
    table = _table({"a": 4, "b": 6}, not_asked=7)
    opening = _plain(section_opening([None, table], "en", unit=unit, codebook=_codebook()))
    assert "Base: 10 halls with a valid answer." in opening
    assert (
        "Asked only if the answer to “Is there a plan?” was “Yes” or “Later” (not asked: 7 halls)."
        in opening
    )
    # the first frequency table of the section is the one described
    assert opening.startswith('<p class="section-lead">The most common answer was “B”')


def test_without_a_not_asked_row_no_skip_rule_is_claimed():
    text = base_sentence(_table({"a": 4, "b": 6}), "en", unit="respondent")
    assert "Asked only" not in text


def test_a_section_without_a_frequency_table_gets_no_opening():
    other = pd.DataFrame({"code": ["x"], "quote": ["q"]})
    assert section_opening([other, None], "en") == ""


def test_latvian_opening_uses_the_catalog_and_number_style():
    text = answer_extremes(_table({"a": 10, "b": 30, "c": 5}), "lv")
    # the table has no Latvian labels: the answer codes stand in for them
    assert text.startswith("Biežākā atbilde bija “b” (30 no 45; 66,7")
