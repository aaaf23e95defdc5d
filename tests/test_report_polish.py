"""Report polish: quote families, SWOT quotes, reason and term labels, wording in data."""

from __future__ import annotations

import pandas as pd
import pytest

from ruralplan import narrative
from ruralplan.analysis import terms as terms_module
from ruralplan.io import read_yaml
from ruralplan.report.blocks import banner_html
from ruralplan.report.document import check_exhibits, check_wording, section_titles
from ruralplan.report.exhibits import MATRIX_QUOTE_CHARS, matrix_html, quotes_html
from ruralplan.report.inference import caution_notes, logit_html
from ruralplan.report.provenance import cleaning_html
from ruralplan.report.sentences import summary_list_html
from ruralplan.survey.io import read_survey_codebook
from tests.conftest import PROJECT_ROOT


def test_quotes_keep_only_the_named_code_families():
    table = pd.DataFrame(
        {
            "code": ["why.a", "whyever", "how.b", "focus.c", "why"],
            "interview_id": ["i1", "i2", "i3", "i4", "i5"],
            "quote": ["Q-why", "Q-whyever", "Q-how", "Q-focus", "Q-top"],
        }
    )
    shown = quotes_html(table, "en", codes=["why", "how"])
    # why.a, how.b and why itself belong; "whyever" only shares letters, focus.c is another family
    assert "Q-why" in shown and "Q-how" in shown and "Q-top" in shown
    assert "Q-whyever" not in shown and "Q-focus" not in shown


def test_quotes_with_no_match_say_so_and_codes_need_quotes_display():
    table = pd.DataFrame({"code": ["why.a"], "interview_id": ["i1"], "quote": ["q"]})
    assert "No quotes" in quotes_html(table, "en", codes=["swot"])
    layout = read_yaml(PROJECT_ROOT / "data/report/exhibits.yaml")
    bad = {
        "sections": layout["sections"],
        "banner": layout["banner"],
        "exhibits": [
            {
                "file": "a.csv",
                "section": "swot",
                "title_lv": "a",
                "title_en": "a",
                "codes": ["swot"],
            }
        ],
    }
    with pytest.raises(ValueError, match="entry 1 .*codes.*display: quotes"):
        check_exhibits(bad)


def test_matrix_item_shows_count_and_a_short_escaped_quote():
    long = "<b>x</b> " + "word " * 60
    table = pd.DataFrame(
        {
            "quadrant": ["strengths", "threats"],
            "item": ["Solidarity", "Money"],
            "code": ["s.s", "t.m"],
            "n_interviews": [6, 4],
            "quote": [long, None],
        }
    )
    shown = matrix_html(
        table, count="n_interviews", quote="quote", names={"s.s": "Solidarity and empathy"}
    )
    assert "Solidarity and empathy (6)" in shown
    assert "&lt;b&gt;x&lt;/b&gt;" in shown and "<b>x" not in shown
    quote = shown.split('<blockquote class="matrix-quote">')[1].split("</blockquote>")[0]
    assert len(quote) <= MATRIX_QUOTE_CHARS + 20 and quote.endswith("\u2026")
    assert shown.count("matrix-quote") == 1  # the item without a quote has none


def test_exclusion_reason_is_labelled_and_unknown_reason_shows_its_code():
    reasons = {"duplicate_submission": {"lv": "Dublikāts", "en": "Duplicate submission"}}
    summary = {
        "rows_in": 146,
        "rows_out": 144,
        "exclusions": {"duplicate_submission": 1, "new_reason": 1},
    }
    shown = cleaning_html(summary, "en", reasons=reasons)
    assert "Duplicate submission" in shown and "duplicate_submission" not in shown
    assert "new_reason" in shown


def test_regression_terms_are_named_with_their_reference(project_root):
    labels = read_yaml(project_root / "data/analysis/variable_labels.yaml")
    codebook = read_survey_codebook(project_root / "data/codebooks/survey.yaml")
    terms = ["Intercept", "org_type[nodibinajums]", "org_type[vrg]", "org_age_years"]
    named = terms_module.term_labels(terms, "en", labels=labels, codebook=codebook)
    # biedriba is the first org_type code without a term of its own: the reference
    assert named[2] == "Type of organisation: Local action group (vs Association)"
    assert named[3] == "Organisation age in years, per year"
    with pytest.raises(ValueError, match="regression"):
        terms_module.term_labels(terms, "en", labels={"variables": {}}, codebook=codebook)


def test_logit_table_shows_labels_odds_ratios_and_cautions():
    table = pd.DataFrame(
        {
            "term": ["org_type[vrg]"],
            "odds_ratio": [7.534],
            "ci_low": [1.6115],
            "ci_high": [35.225],
            "p_value": [0.0103],
        }
    )
    notes = caution_notes(
        pd.DataFrame({"message_lv": ["Par maz notikumu."]}), "lv", lead="Piesardzīgi:"
    )
    shown = logit_html(table, "lv", terms={"org_type[vrg]": "Veids: VRG"}, notes=notes)
    assert "Veids: VRG" in shown and "org_type[vrg]" not in shown
    assert "7,53 (1,61–35,23)" in shown
    assert "Piesardzīgi: Par maz notikumu." in shown
    with pytest.raises(ValueError, match="message_en"):
        caution_notes(pd.DataFrame({"code": ["x"]}), "en")


def test_wording_comes_from_data_and_is_checked(project_root):
    document = read_yaml(project_root / "data/report/exhibits.yaml")
    assert section_titles("en", document)[0] == document["sections"][0]["en"]
    changed = {**document, "banner": {"lv": "B-lv", "en": "B-en"}}
    assert "B-en" in banner_html(True, "en", changed)
    broken = {**document, "sections": [*document["sections"], document["sections"][0]]}
    with pytest.raises(ValueError, match="x.yaml: section key 'summary' appears more than once"):
        check_wording(broken, source="x.yaml")
    for module in (project_root / "src/ruralplan/report").glob("*.py"):
        assert "LLF" not in module.read_text(encoding="utf-8"), module.name


def test_nested_quotes_become_single_inside_double():
    assert (
        narrative.quoted("pieteikšanās “Viedā ciema” zīmei") == "“pieteikšanās ‘Viedā ciema’ zīmei”"
    )
    assert narrative.quoted('the "Smart Village" mark') == "“the ‘Smart Village’ mark”"
    assert narrative.quoted("plain") == "“plain”"


def test_key_figures_are_a_list_with_one_line_per_answer():
    table = pd.DataFrame(
        {
            "row_type": ["option", "option", "valid"],
            "label_en": ["A", "B", "V"],
            "n": [1, 3, 4],
            "percent": [25.0, 75.0, 100.0],
            "ci_low": [4.6, 30.1, None],
            "ci_high": [69.9, 95.4, None],
        }
    )
    shown = summary_list_html(rows_out=4, strategy=table, tests=None, alpha=0.05, lang="en")
    assert shown.startswith('<ul class="key-figures">')
    assert shown.count("<li>") == 4  # analysed, "By answer:" and two answers
    assert "<li>“B” 75.0%" in shown
