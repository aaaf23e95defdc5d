"""Each chart's caption, alt text and numbers come from its own table."""

from __future__ import annotations

import pandas as pd

from ruralplan.report.charts import (
    chart_table_file,
    cooccurrence_alt,
    crosstab_alt,
    crosstab_rows,
    frequency_alt,
)
from ruralplan.report.exhibits import quotes_html

NBSP = "\u00a0"

# 3 of 10 and 8 of 10: row percentages 30 % and 80 % for "yes"
CROSSTAB = pd.DataFrame(
    {
        "size": ["small", "large"],
        "n_no": [7, 2],
        "n_yes": [3, 8],
        "total": [10, 10],
        "pct_no": [70.0, 20.0],
        "pct_yes": [30.0, 80.0],
    }
)
ROWS = {"small": "Small", "large": "Large"}
COLUMNS = {"no": "No", "yes": "Yes"}


def test_figure_table_is_the_csv_of_the_same_stem():
    assert chart_table_file("figures/focus.lv.svg") == "tables/focus.csv"


def test_crosstab_alt_names_largest_and_smallest_cell_and_n():
    alt = crosstab_alt(CROSSTAB, "Yes by size", "en", rows=ROWS, columns=COLUMNS)
    assert alt == (
        "Yes by size. Bars of row percentages for 2 groups, n = 20. Largest: “Yes” in “Large”, "
        "80.0% (8 of 10). Smallest: “No” in “Large”, 20.0% (2 of 10)."
    )


def test_crosstab_numbers_are_a_table_in_the_report_language():
    numbers = crosstab_rows(CROSSTAB, "lv", rows=ROWS, columns=COLUMNS)
    assert numbers["answers"] == ["No", "Yes"]
    assert numbers["rows"][0] == ["Small", f"70,0{NBSP}% (7)", f"30,0{NBSP}% (3)", "10"]


def test_frequency_alt_skips_withheld_answers_and_keeps_a_question_mark():
    table = pd.DataFrame(
        {
            "row_type": ["option", "option", "option", "valid"],
            "label_en": ["A", "B", "C", "Valid answers"],
            "n": ["6", "<5", "12", "20"],
            "percent": ["30.0", "<5", "60.0", "100.0"],
        }
    )
    assert frequency_alt(table, "Which one?", "en") == (
        "Which one? Bars for 3 answers, n = 20 valid answers. Largest: “C”, 60.0% (12). "
        "Smallest: “A”, 30.0% (6)."
    )


def test_cooccurrence_alt_names_the_most_frequent_pair():
    table = pd.DataFrame({"code": ["a", "b", "c"], "a": [3, 1, 2], "b": [1, 4, 0], "c": [2, 0, 5]})
    assert cooccurrence_alt(table, "Codes", "en", {"a": "Alpha", "c": "Gamma"}) == (
        "Codes. A grid of 3 interview codes; the pair found together most often: “Alpha” and "
        "“Gamma” (2)."
    )


def test_quotes_carry_their_language_and_a_note_in_another_report_language():
    table = pd.DataFrame({"quote": ["Labdien"], "interview_id": ["int01"]})
    english = quotes_html(table, "en", quote_lang="lv")
    assert '<p lang="lv">Labdien</p>' in english
    assert "given in the original language (Latvian)" in english
    latvian = quotes_html(table, "lv", quote_lang="lv")
    assert '<p lang="lv">Labdien</p>' in latvian and "quotes-note" not in latvian
