"""Readers' versions of the pipeline tables and the computed summary sentences."""

from __future__ import annotations

import pandas as pd
import pytest

from ruralplan import narrative
from ruralplan.analysis import crosstab
from ruralplan.report import inference  # imported bare, pytest would collect tests_* as tests
from ruralplan.report.blocks import as_of_html, as_of_text
from ruralplan.report.frequency import frequency_display, frequency_notes, frequency_table_html
from ruralplan.report.reliability import reliability_display, reliability_html, reliability_sentence
from ruralplan.report.sentences import answer_parts, claims_sentence, group_sentence
from ruralplan.report.tables import TABLE_COLUMNS

NBSP = "\u00a0"

# Made-up headers, so the tests see that the renderers print what they are given.
FREQUENCY_HEADERS = {
    "answer": "Answer",
    "n": "n",
    "percent": "%",
    "ci": "95 % CI",
    "mentions": "% of mentions",
}

# Shaped like reports/tables/<question>.csv; counts follow the published shares (42/32/31/40
# of 145); intervals are Wilson 95 % bounds (statsmodels) rounded to one decimal.
FREQUENCY = pd.DataFrame(
    {
        "question_id": ["s"] * 7,
        "row_type": ["option", "option", "option", "option", "valid", "no_answer", "respondents"],
        "code": ["current", "needed", "outdated", "not_needed", None, None, None],
        "label_lv": [
            "Ir",
            "Trūkst resursu",
            "Novecojusi",
            "Nav vajadzīga",
            "Derīgās atbildes",
            "Nav atbildes",
            "Visi dalībnieki",
        ],
        "label_en": [
            "Current",
            "No resources",
            "Outdated",
            "Not needed",
            "Valid answers",
            "No answer",
            "All participants",
        ],
        "n": ["42", "40", "32", "31", "145", "0", "145"],
        "percent": ["29.0", "27.6", "22.1", "21.4", "100.0", None, None],
        "ci_low": ["22.2", "21.0", "16.1", "15.5", None, None, None],
        "ci_high": ["36.8", "35.4", "29.5", "28.7", None, None, None],
        "status": ["shown"] * 7,
    }
)


def test_frequency_display_formats_for_latvian_and_marks_summary_rows():
    shown = frequency_display(FREQUENCY, "lv")
    assert shown.loc[0, ["answer", "n", "percent", "ci"]].tolist() == [
        "Ir",
        "42",
        "29,0",
        "22,2\u201336,8",
    ]
    assert shown["summary"].tolist() == [False] * 4 + [True] * 3
    html = frequency_table_html(FREQUENCY, "en", headers=FREQUENCY_HEADERS)
    # one rule above the first summary row only
    assert html.count("summary-first") == 1 and html.count("summary-row") == 3
    assert "Wilson score method without continuity correction" in html
    assert "withheld" not in html  # no suppressed cell, no suppression note


def test_frequency_headers_come_from_the_caller_in_column_order():
    html = frequency_table_html(FREQUENCY, "lv", headers=FREQUENCY_HEADERS)
    # no `percent_mentions` column: no mentions header; "95 %" kept on one line; the label
    # column is left-aligned, the numbers right-aligned
    assert (
        f'<thead><tr><th>Answer</th><th class="num">n</th><th class="num">%</th>'
        f'<th class="num">95{NBSP}% CI</th></tr></thead>'
    ) in html


def test_suppressed_cells_are_shown_as_markers_with_a_note():
    table = FREQUENCY.copy()
    table.loc[2, ["n", "percent", "ci_low", "ci_high"]] = "x"
    table.loc[3, ["n", "percent", "ci_low", "ci_high"]] = "<5"
    shown = frequency_display(table, "lv")
    assert shown.loc[2, ["n", "percent", "ci"]].tolist() == ["x", "x", "x"]
    assert shown.loc[3, ["n", "percent", "ci"]].tolist() == ["<5", "<5", "<5"]
    notes = frequency_notes(table, "en")
    assert any(n.startswith("<5: a count from 1 to 4") for n in notes)
    assert any(n.startswith("x: a count withheld") for n in notes)


def test_frequency_table_without_its_columns_is_refused():
    with pytest.raises(ValueError, match="missing columns"):
        frequency_display(FREQUENCY.drop(columns=["ci_low"]), "en")


RELIABILITY = pd.DataFrame(
    {
        "code": ["a.x", "(all codes)", "a.x", "(all codes)"],
        "n_rule": [3, 3, 4, 4],
        "n_gold": [5, 5, 4, 4],
        "kappa": [0.9, 0.85, 0.7, 0.69],
        "kappa_verdict": ["reliable", "reliable", "tentative", "tentative"],
        "alpha": [0.9, 0.84, 0.6, 0.66],
        "alpha_verdict": ["reliable", "reliable", "below threshold", "below threshold"],
        "set": ["development", "development", "held_out", "held_out"],
    }
)


def test_reliability_headline_is_the_held_out_pooled_row():
    sentence = reliability_sentence(RELIABILITY, "en")
    assert "held-out" in sentence and "κ = 0.69" in sentence and "α = 0.66" in sentence
    # the worse of the two verdicts is reported
    assert "below threshold" in sentence
    shown = reliability_display(RELIABILITY, "lv", {"a.x": "Kods X"})
    assert shown["code"].tolist() == ["Kods X", "Visi kodi kopā"]
    assert shown["verdict"].tolist() == ["zem sliekšņa", "zem sliekšņa"]


def test_reliability_table_shows_the_given_headers_and_rules_off_the_pooled_row():
    headers = {c: c.upper() for c in TABLE_COLUMNS["reliability"]}
    html = reliability_html(RELIABILITY, "en", headers=headers)
    assert '<th>CODE</th><th class="num">N_RULE</th>' in html
    assert '<th class="num">VERDICT</th></tr></thead>' in html
    # only the held-out rows are shown; the pooled one is the only summary row
    assert html.count("<tr") == 3 and html.count('class="summary-row summary-first"') == 1


def test_reliability_without_set_column_uses_all_rows_and_checks_columns():
    table = RELIABILITY.loc[RELIABILITY["set"] == "development"].drop(columns="set")
    assert "κ = 0,85" in reliability_sentence(table, "lv").replace(NBSP, " ")
    with pytest.raises(ValueError, match="missing columns"):
        reliability_sentence(table.drop(columns="alpha"), "en")


GROUP = {
    "codes": ["current", "outdated"],
    "sentence_lv": "{share_words} dalībnieku ({count} no {total}; {percent}) ir stratēģija.",
    "sentence_en": "{share_words} of the participants ({count} of {total}; {percent}).",
}


def test_group_sentence_says_half_for_74_of_145():
    # 42 + 32 = 74 of 145 = 51.03 %, within 2.5 points of one half
    assert group_sentence(FREQUENCY, GROUP, "en") == (
        "About half of the participants (74 of 145; 51.0%)."
    )
    assert group_sentence(FREQUENCY, GROUP, "lv") == (
        f"Apmēram pusei dalībnieku (74 no 145; 51,0{NBSP}%) ir stratēģija."
    )
    with pytest.raises(ValueError, match="unknown codes"):
        group_sentence(FREQUENCY, {**GROUP, "codes": ["nope"]}, "en")


def test_share_words_fall_back_when_no_simple_fraction_is_near():
    assert narrative.share_words(0.40, "en") == "Some"
    assert narrative.share_words(0.34, "lv") == "Apmēram trešdaļai"


def test_answer_parts_give_shares_with_intervals():
    parts = answer_parts(FREQUENCY, "en")
    assert parts[0] == "“Current” 29.0% (95% CI: 22.2–36.8%)"


def test_claims_sentence_counts_from_the_file():
    claims = pd.DataFrame({"verdict": ["reproduced", "reproduced", "differs", "cannot be checked"]})
    assert claims_sentence(claims, "en") == (
        f"Of 4{NBSP}claims from the published summary, 2 are reproduced, 1 differs and 1 cannot be "
        "checked with the survey."
    )
    assert "apgalvojumi): atkārtojas \u2013 2" in claims_sentence(claims, "lv")
    with pytest.raises(ValueError, match="verdict"):
        claims_sentence(pd.DataFrame({"x": [1]}), "en")


def test_as_of_date_is_written_per_language_and_checked():
    # The month name is CLDR's (Babel): Latvian in the nominative, so the sentence names the
    # date after a colon rather than in the accusative ("uz ... aprīli").
    assert as_of_text("2024-04-29", "lv") == (
        "Datu stāvoklis: 2024. gada 29. aprīlis (pēdējā aptaujas atbilde)."
    )
    assert as_of_text("2024-04-29", "en") == (
        "Data as of 29 April 2024 (latest survey submission)."
    )
    assert as_of_html(None, "en") == ""
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        as_of_text("29.04.2024", "en")


def test_p_phrase_never_prints_equals_less_than():
    assert narrative.p_phrase(0.0002, "lv") == f"p{NBSP}<{NBSP}0,001"
    assert narrative.p_phrase(0.0314, "en") == f"p{NBSP}={NBSP}0.031"


def test_analysed_sentence_takes_the_unit_in_its_plural_form():
    unit = {"zero": "organizāciju", "one": "organizācija", "other": "organizācijas"}
    assert narrative.analysed_sentence(21, "lv", unit=unit) == f"Analīzē ir 21{NBSP}organizācija."
    assert narrative.analysed_sentence(145, "lv", unit=unit) == (
        f"Analīzē ir 145{NBSP}organizācijas."
    )


def test_tests_table_uses_names_and_language():
    tests = pd.DataFrame(
        {
            "outcome": ["has_strategy"],
            "predictor": ["org_type"],
            "test": ["pearson_chi2"],
            "p_adjusted": [0.0004],
            "effect_measure": ["cramers_v_corrected"],
            "effect_size": [0.26],
            "ci_low": [0.11],
            "ci_high": [0.44],
            "n": [145],
        }
    )
    shown = inference.tests_display(tests, "lv", {"has_strategy": "stratēģijas esamība"})
    assert shown.iloc[0].tolist() == [
        "stratēģijas esamība",
        "org_type",
        "Pīrsona χ²",
        f"<{NBSP}0,001",
        "Kramēra V (koriģēts) 0,26 (0,11–0,44)",
        "145",
    ]
    with pytest.raises(ValueError, match="missing columns"):
        inference.tests_display(tests.drop(columns="n"), "en")


def test_tests_table_aligns_numbers_from_the_p_value_on():
    tests = pd.DataFrame(
        {
            "outcome": ["has_strategy"],
            "predictor": ["org_type"],
            "test": ["pearson_chi2"],
            "p_adjusted": [0.04],
            "effect_measure": ["cramers_v_corrected"],
            "effect_size": [0.26],
            "ci_low": [0.11],
            "ci_high": [0.44],
            "n": [145],
        }
    )
    headers = {c: f"H-{c}" for c in TABLE_COLUMNS["tests"]}
    html = inference.tests_html(tests, "en", headers=headers)
    assert ('<th>H-outcome</th><th>H-predictor</th><th>H-test</th><th class="num">H-p</th>') in html
    assert "<tr><td>has_strategy</td>" in html  # no summary rows in this table


def test_tests_table_needs_only_columns_that_crosstab_writes():
    # The report recognises and reads notebook 04's table by these columns; a renamed column
    # in crosstab would otherwise only show up as a plain table in the built report.
    assert inference.TEST_COLUMNS_NEEDED.issubset(crosstab.TEST_COLUMNS)


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_the_packages_coders_are_named_in_words_and_people_keep_their_names(lang):
    from ruralplan.interviews.coder import RULE_CODER
    from ruralplan.interviews.reliability import GOLD_CODER
    from ruralplan.report.tables import cell_word

    assert cell_word(RULE_CODER, lang) != RULE_CODER  # the package's name, not a reader's word
    assert cell_word(GOLD_CODER, "lv") != GOLD_CODER  # no English in the Latvian report
    assert cell_word("Ilze", lang) == "Ilze"
