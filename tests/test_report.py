"""Report pieces: sections, escaping, exhibits, SWOT matrix, test interpretation."""

from __future__ import annotations

import pandas as pd
import pytest

from ruralplan.io import read_yaml
from ruralplan.report.blocks import banner_html, heading_html, paragraph_html, toc_html
from ruralplan.report.document import (
    check_exhibits,
    check_wording,
    number_exhibits,
    section_keys,
    section_titles,
)
from ruralplan.report.exhibits import (
    caption_html,
    exhibit_html,
    figure_html,
    matrix_html,
    plot_style,
    quote_html,
    quotes_html,
)
from ruralplan.report.provenance import cleaning_html
from ruralplan.report.sentences import interpret_tests
from ruralplan.report.tables import TABLE_COLUMNS, table_html
from tests.conftest import PROJECT_ROOT

HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>"
# The shipped study's layout: its sections and banner.
LAYOUT = read_yaml(PROJECT_ROOT / "data/report/exhibits.yaml")
WORDING = {"sections": LAYOUT["sections"], "banner": LAYOUT["banner"]}


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_ten_sections_in_issue_order(lang):
    titles = section_titles(lang, LAYOUT)
    assert len(titles) == 10
    assert titles[0] == {"lv": "Kopsavilkums", "en": "Summary"}[lang]
    assert titles[-1] == {"lv": "Izcelsmes pielikums", "en": "Provenance appendix"}[lang]


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="lang must be one of"):
        section_titles("de", LAYOUT)


def test_toc_links_every_section_heading():
    toc = toc_html("lv", LAYOUT)
    for key in section_keys(LAYOUT):
        assert f'href="#sec-{key}"' in toc
        assert f'id="sec-{key}"' in heading_html(key, "lv", LAYOUT)


def test_heading_of_unknown_section_is_refused():
    with pytest.raises(ValueError, match="section must be one of"):
        heading_html("appendix", "en", LAYOUT)


def test_banner_only_for_synthetic_data():
    assert "Synthetic demonstration data" in banner_html(True, "en", LAYOUT)
    assert "Sintētiski demonstrācijas dati" in banner_html(True, "lv", LAYOUT)
    assert banner_html(False, "en", LAYOUT) == ""


def test_a_study_names_its_own_sections_and_kinds():
    layout = {
        "sections": [
            {"key": "intro", "kind": "summary", "lv": "Ievads", "en": "Introduction"},
            {"key": "halls", "lv": "Nami", "en": "Halls"},
            {"key": "sources", "kind": "provenance", "lv": "Avoti", "en": "Sources"},
        ],
        "banner": {"lv": "Sintētiski.", "en": "Synthetic."},
    }
    wording = check_wording(layout)
    assert wording["keys"] == ["intro", "halls", "sources"]
    assert wording["kinds"] == {"intro": "summary", "halls": "exhibits", "sources": "provenance"}
    assert heading_html("halls", "en", layout) == '<h2 id="sec-halls">2. Halls</h2>'


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"key": "intro", "lv": "A", "en": "A"}, "section key 'intro' appears more than once"),
        ({"key": "x", "kind": "appendix", "lv": "A", "en": "A"}, "kind must be one of"),
        ({"key": "x", "kind": "summary", "lv": "A", "en": "A"}, "at most one section"),
        ({"key": "Bad Key", "lv": "A", "en": "A"}, "must be a lower-case name"),
        ({"key": "x", "lv": "A"}, "section 'x' needs a `en` title"),
    ],
)
def test_bad_sections_are_refused_with_the_file_and_section(change, message):
    layout = {
        "sections": [{"key": "intro", "kind": "summary", "lv": "I", "en": "I"}, change],
        "banner": {"lv": "B", "en": "B"},
    }
    with pytest.raises(ValueError, match=f"layout.yaml: .*{message}"):
        check_wording(layout, source="layout.yaml")


def test_free_text_is_escaped_everywhere():
    table = pd.DataFrame({"comment": [HOSTILE], "n": [1]})
    quotes = pd.DataFrame({"quote": [HOSTILE], "interview_id": ["int01"]})
    swot = pd.DataFrame({"quadrant": ["strengths"], "item": [HOSTILE]})
    pieces = [
        table_html(table, "en"),
        quotes_html(quotes, "en"),
        matrix_html(swot),
        quote_html(HOSTILE, HOSTILE),
        paragraph_html(HOSTILE),
    ]
    for piece in pieces:
        assert "<script>" not in piece and "<img src=x" not in piece
        assert "&lt;script&gt;" in piece


def test_table_uses_language_decimal_mark_and_drops_other_language():
    table = pd.DataFrame({"label_lv": ["Jā"], "label_en": ["Yes"], "share": [0.2877]})
    lv = table_html(table, "lv")
    assert "0,288" in lv and "Jā" in lv and "Yes" not in lv
    assert "0.288" in table_html(table, "en")


def test_matrix_has_one_box_per_cell_in_table_order_named_in_the_language():
    table = pd.DataFrame(
        {
            "cell": ["c.risk", "c.risk", "c.asset", "c.idea"],
            "quadrant": ["risks", "risks", "assets", "ideas"],
            "quadrant_name": ["Riski", "Riski", "Resursi", "Idejas"],
            "item": ["Floods", "Debt", "Volunteers", "Café"],
        }
    )
    shown = matrix_html(table, names={"c.risk": "Risks", "c.asset": "Assets"})
    boxes = shown.split('<section class="matrix-cell">')[1:]
    assert len(boxes) == 3  # three cells, not a fixed four
    assert "<h3>Risks</h3>" in boxes[0] and "Floods" in boxes[0] and "Debt" in boxes[0]
    assert "<h3>Assets</h3>" in boxes[1] and "Volunteers" in boxes[1]
    assert "<h3>Idejas</h3>" in boxes[2]  # no name given: the table's own cell name


def test_matrix_quotes_carry_their_language_and_a_note_in_another_report_language():
    table = pd.DataFrame({"quadrant": ["s"], "item": ["Flexibility"], "quote": ["Mēs varam."]})
    english = matrix_html(table, quote="quote", quote_lang="lv", lang="en")
    assert '<blockquote class="matrix-quote" lang="lv">Mēs varam.</blockquote>' in english
    assert "given in the original language (Latvian)" in english
    latvian = matrix_html(table, quote="quote", quote_lang="lv", lang="lv")
    assert 'lang="lv"' in latvian and "quotes-note" not in latvian  # no note in its own language
    unknown = matrix_html(table, quote="quote")
    assert "lang=" not in unknown and "quotes-note" not in unknown


def test_matrix_without_cell_column_refuses_a_table_without_quadrants():
    with pytest.raises(ValueError, match=r"matrix table: missing columns \['quadrant'\]"):
        matrix_html(pd.DataFrame({"item": ["x"]}))


def test_interpretation_respects_adjusted_p_and_effect_size():
    tests = pd.DataFrame(
        {
            "outcome": ["has_strategy", "has_strategy", "has_strategy"],
            "predictor": ["org_type", "smart_village", "region"],
            "test": ["pearson_chi2", "fisher_exact", "none"],
            "test_reason": ["", "", "too few answers"],
            "p_value": [0.01, 0.03, float("nan")],
            "p_adjusted": [0.02, 0.06, float("nan")],  # the second: significant only unadjusted
            "effect_measure": ["cramers_v_corrected", "odds_ratio_conditional", ""],
            "effect_size": [0.35, 1.8, float("nan")],
            "ci_low": [0.1, 0.5, float("nan")],
            "ci_high": [0.5, 3.0, float("nan")],
        }
    )
    sentences = interpret_tests(tests, alpha=0.05, lang="en")
    # Two tests ran (the untestable one is not counted), one survives the adjustment.
    assert sentences[0].startswith("2\u00a0tests were run")
    assert "1 is statistically significant" in sentences[0]
    assert len(sentences) == 4
    assert "org_type" in sentences[1] and "smart_village" in sentences[2]
    assert "could not be tested" in sentences[3]


def test_interpretation_names_missing_columns():
    with pytest.raises(ValueError, match=r"missing columns \['predictor', 'test', 'p_adjusted'"):
        interpret_tests(pd.DataFrame({"outcome": []}), alpha=0.05, lang="en")


def test_exhibit_list_is_checked():
    document = {
        **WORDING,
        "exhibits": [
            {"file": "a.csv", "section": "summary", "title_lv": "A", "title_en": "A"},
            {"file": "b.csv", "section": "nowhere", "title_lv": "B", "title_en": "B"},
            {"file": "c.csv", "section": "data", "title_lv": "C", "colour": "red"},
        ],
    }
    with pytest.raises(
        ValueError,
        match=r"entry 2 \(b.csv\): section must be one of"
        r"[\s\S]*entry 3: unknown keys \['colour'\], "
        r"missing keys \['title_en'\]",
    ):
        check_exhibits(document)


def test_exhibits_are_numbered_per_kind_in_section_order():
    entries = check_exhibits(
        {
            **WORDING,
            "exhibits": [
                {"file": "t2.csv", "section": "tests", "title_lv": "", "title_en": ""},
                {"file": "f1.png", "section": "strategy", "title_lv": "", "title_en": ""},
                {"file": "t1.csv", "section": "strategy", "title_lv": "", "title_en": ""},
            ],
        }
    )
    numbered = number_exhibits(entries, section_keys(LAYOUT))
    assert [(e["file"], e["kind"], e["number"]) for e in numbered] == [
        ("f1.png", "figure", 1),
        ("t1.csv", "table", 1),
        ("t2.csv", "table", 2),
    ]


def test_caption_names_notebook_cell_and_file():
    caption = caption_html(
        "table", 3, "Title", "reports/tables/x.csv", ("02_tabulate_survey.ipynb", 7), "en"
    )
    assert "Table 3." in caption
    # the link lands on the cell in the notebook's audit page, as the page template names it
    link = 'href="audit/02_tabulate_survey.html#02_tabulate_survey-cell-7"'
    assert link in caption and "02_tabulate_survey.ipynb, cell [7]</a>" in caption
    assert "reports/tables/x.csv" in caption
    assert "not traced" in caption_html("figure", 1, "T", "f.png", None, "en")


def test_figure_is_embedded_as_data_uri():
    html = figure_html("png", b"\x89PNG", alt="a <b>", caption="")
    assert 'src="data:image/png;base64,iVBORw==' in html and 'alt="a &lt;b&gt;"' in html
    with pytest.raises(ValueError, match="kind must be 'png' or 'svg'"):
        figure_html("gif", b"", alt="")


def test_cleaning_summary_lists_exclusions_and_requires_counts():
    html = cleaning_html({"rows_in": 146, "rows_out": 145, "exclusions": {"duplicate": 1}}, "en")
    assert "146" in html and "145" in html and "duplicate" in html
    with pytest.raises(ValueError, match=r"missing keys \['rows_out'\]"):
        cleaning_html({"rows_in": 146}, "en")


def test_plot_style_fixes_svg_ids():
    assert plot_style()["svg.hashsalt"]


def test_numbers_in_text_columns_get_the_latvian_decimal_mark_but_codes_stay():
    # Public tables hold numbers as text beside withheld markers ("<5"); codes keep zeros.
    table = pd.DataFrame(
        {"percent": ["70.3", "<5"], "atvk": ["0801000", "0802000"], "p": [2.5e-08, 0.5]}
    )
    html = table_html(table, "lv")
    assert "70,3" in html and "&lt;5" in html and "0801000" in html
    assert "2,5e-08" in html and "<td>0,5</td>" in html


def test_exhibit_shows_a_readers_table_with_the_headers_of_its_entry():
    table = pd.DataFrame(
        {
            "row_type": ["option", "valid"],
            "label_en": ["Yes", "Valid answers"],
            "n": ["3", "3"],
            "percent": ["100.0", "100.0"],
            "ci_low": ["43.8", None],
            "ci_high": ["100.0", None],
        }
    )
    entry = {"file": "t.csv", "kind": "table", "number": 1, "title_lv": "T", "title_en": "T"}
    headers = {t: {c: f"<{c}>" for c in columns} for t, columns in TABLE_COLUMNS.items()}
    html = exhibit_html({**entry, "headers": headers}, table, None, "en")
    # the headers of the frequency table, escaped like every other text
    assert "<th>&lt;answer&gt;</th>" in html and "<th>Answer</th>" not in html
    with pytest.raises(ValueError, match=r"t\.csv: the entry has no `headers` for frequency"):
        exhibit_html(entry, table, None, "en")


def test_tables_shown_as_they_are_get_headers_and_verdicts_in_the_report_language():
    # The claims and interview-coding tables are shown as written; before, the Latvian
    # report printed their English column names and verdicts.
    table = pd.DataFrame(
        {
            "claim_id": ["c1"],
            "verdict": ["reproduced"],
            "statement_lv": ["Teikums."],
            "statement_en": ["Sentence."],
            "kappa_verdict": ["below threshold"],
            "reviewed": [False],
            "colour": ["red"],
        }
    )
    lv = table_html(table, "lv")
    for header in ("apgalvojums", "vērtējums", "skaidrojums", "κ vērtējums", "pārskatīts"):
        assert f"<th>{header}</th>" in lv
    assert "<td>atkārtojas</td>" in lv and "<td>zem sliekšņa</td>" in lv and "<td>nē</td>" in lv
    assert "Sentence." not in lv and "<th>colour</th>" in lv  # an unknown column keeps its name
    en = table_html(table, "en")
    assert "<th>statement</th>" in en and "<td>reproduced</td>" in en and "<td>False</td>" in en
