"""The published-figures check as readers see it: figures side by side, verdicts in words, and
the base finding that names every fitting base and no single reading."""

from __future__ import annotations

import pandas as pd

from ruralplan.report.claims import (
    base_finding,
    claim_rows,
    claims_html,
    figure_text,
    fitting_bases,
    parse_figure,
)

NBSP = "\u00a0"

CLAIMS = pd.DataFrame(
    {
        "claim_id": ["n", "share", "half", "assoc"],
        "published": ["145", "28,8%", "puse", "has_strategy increasing by org_age_band"],
        "reproduced": ["145", "29,0 % (42/145)", "51,0 % (74/145)", None],
        "verdict": ["reproduced", "differs", "reproduced", "see cross-tab tests"],
        "note": ["", "differs by +0.2 percentage points. GRIM: ...", "'Half' read as ...", ""],
    }
)
GRIM = pd.DataFrame(
    {
        "claim_id": ["share", "share"],
        "printed": ["28,8%", "28,8%"],
        "base": [145, 146],
        "stated_base": [True, False],
        "consistent": [False, True],
    }
)


def _bases(fitting: list[int]) -> pd.DataFrame:
    """A share-set table over 100-110 in which only ``fitting`` give every share."""
    bases = list(range(100, 111))
    fits = [b in fitting for b in bases]
    return pd.DataFrame({"base": bases, "all_possible": fits, "sums_to_base": fits})


def test_figures_are_read_as_written_and_rewritten_per_language():
    figure = parse_figure("29,0 % (42/145)")
    assert (figure.value, figure.decimals, figure.count, figure.base) == (29.0, 1, 42, 145)
    assert parse_figure("has_strategy increasing") is None
    assert figure_text(figure, "en") == "29.0% (42 of 145)"
    assert figure_text(figure, "lv") == f"29,0{NBSP}% (42 no 145)"
    assert figure_text(parse_figure("22%"), "en") == "22%"


def test_fitting_bases_need_every_share_and_the_sum():
    table = _bases([104, 108])
    # a base where every share is possible but the counts do not add up does not fit
    table.loc[table["base"] == 106, "all_possible"] = True
    assert fitting_bases(table) == [104, 108]


def test_rows_word_verdicts_from_the_catalog_not_the_notes():
    rows = claim_rows(CLAIMS, GRIM, "lv")
    assert [r["published"] for r in rows] == ["145", f"28,8{NBSP}%", "“puse”"]
    assert [r["published_lang"] for r in rows] == ["", "", "lv"]
    assert rows[1]["verdict"] == "Nedaudz atšķiras"
    assert rows[1]["why"] == (
        f"Atšķirība +0,2 procentpunkti. Neviens vesels skaits no 145 nedod 28,8{NBSP}%."
    )
    english = claim_rows(CLAIMS, GRIM, "en")
    assert english[1]["why"] == (
        "A difference of +0.2 percentage points. No whole number out of 145 gives 28.8%."
    )
    # the analysis's English notes never reach a reader's table
    assert not any("GRIM" in v or "read as" in v for r in rows + english for v in r.values())


def test_base_finding_lists_every_fitting_base_and_states_no_reading():
    sentences = base_finding(GRIM, _bases([104, 108]), 145, "en", unit="respondent")
    assert sentences[0] == (
        "Of the bases from 100 to 110, only these give the 1 printed share from whole counts "
        "that add up to the base: 104, 108."
    )
    assert "104, 108" in sentences[0] and "from 100 to 110" in sentences[0]
    assert "145" in sentences[1] and "cannot tell which base" in sentences[1]
    assert "raw submissions" not in " ".join(sentences)
    assert base_finding(GRIM.assign(consistent=True), _bases([104]), 145, "en") == []


def test_section_shows_the_table_and_links_the_files():
    page = claims_html(CLAIMS, GRIM, _bases([104]), 145, "en", files=["tables/claims.csv"])
    assert '<a href="tables/claims.csv">claims.csv</a>' in page
    assert '<td lang="lv">“puse”</td>' in page
    assert "has_strategy" not in page and "differs by" not in page
    assert 'tabindex="0"' in page
    assert "1 other published statement is not a single figure" in page
