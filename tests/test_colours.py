"""Answer colours: one colour per answer across every chart, legible text on coloured bars."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.text import Text

from ruralplan.analysis.contingency import prepare_table
from ruralplan.analysis.crosstab_figure import plot_row_percentages
from ruralplan.colours import (
    ANSWER_PALETTE,
    answer_colours,
    category_order,
    colours_of,
    contrast_ratio,
    outcome_categories,
    text_colour,
)
from ruralplan.figures import BAR_COLOUR, bar_chart
from ruralplan.survey.codebook import Option, Question
from ruralplan.survey.tabulate import frequency_table

# Okabe & Ito (2008), "Color Universal Design", the eight colours of the paper.
PAPER_COLOURS = {
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#000000",
}
STATUS = ["current", "outdated", "needed", "not_needed"]
LABELS = {"current": "Current", "outdated": "Outdated", "needed": "Needed", "not_needed": "No"}


def _survey() -> pd.DataFrame:
    """Two outcomes sharing a predictor; group "b" gives only "current" and "not_needed"."""
    status = ["current", "outdated", "needed", "not_needed"] * 5 + ["current", "not_needed"] * 5
    return pd.DataFrame(
        {
            "status": pd.Categorical(status, categories=STATUS),
            "has": pd.array([s in ("current", "outdated") for s in status], dtype="boolean"),
            "group": pd.Categorical(["a"] * 20 + ["b"] * 10, categories=["a", "b"]),
            "size": pd.Categorical(["small", "large"] * 15, categories=["small", "large"]),
        }
    )


def _legend_colours(figure) -> dict[str, str]:
    """Legend label -> fill colour of its patch, as the reader sees them."""
    (axes,) = figure.axes
    legend = axes.get_legend()
    return {
        text.get_text(): to_hex(handle.get_facecolor()).upper()
        for text, handle in zip(legend.get_texts(), legend.legend_handles, strict=True)
    }


def _chart(data, outcome, predictor, colours):
    prepared = prepare_table(data, outcome=outcome, predictor=predictor)
    if outcome == "status":
        return prepared, plot_row_percentages(
            prepared,
            title="t",
            footer="f",
            colours=colours[outcome],
            column_labels=LABELS,
            lang="en",
        )
    return prepared, plot_row_percentages(
        prepared, title="t", footer="f", colours=colours[outcome], lang="en"
    )


def test_an_answer_keeps_its_colour_in_every_chart():
    data = _survey()
    colours = answer_colours(outcome_categories(data, ["has", "status", "has", "status"]))
    by_group, chart_group = _chart(data[data["group"] == "b"], "status", "size", colours)
    _, chart_size = _chart(data, "status", "size", colours)
    _, chart_has = _chart(data, "has", "group", colours)
    # The first chart lacks two answers (nobody in group b gave them): the others must not move.
    assert by_group.dropped == ("status=outdated", "status=needed")
    first, second = _legend_colours(chart_group), _legend_colours(chart_size)
    assert set(first) == {"Current", "No"}
    assert all(first[label] == second[label] for label in first)
    # Six answers in all, six different colours: no colour means two answers.
    every = {**second, **{f"has={k}": v for k, v in _legend_colours(chart_has).items()}}
    assert len(set(every.values())) == len(every) == 6
    assert set(every.values()) <= PAPER_COLOURS


def test_single_question_bars_use_a_colour_no_answer_has():
    question = Question(
        id="status", text_lv="J", text_en="Q", type="single", options=(Option("a", "A", "A"),)
    )
    table = frequency_table(pd.DataFrame({"status": ["a"] * 9}), question)
    figure = bar_chart(table, title="Q", lang="en", source="S", synthetic=False)
    bars = {to_hex(patch.get_facecolor()).upper() for patch in figure.axes[0].patches}
    assert bars == {BAR_COLOUR}
    assert BAR_COLOUR not in ANSWER_PALETTE and set(ANSWER_PALETTE) < PAPER_COLOURS


def test_text_on_bars_keeps_contrast():
    data = _survey()
    _, figure = _chart(data, "status", "size", answer_colours(outcome_categories(data, ["status"])))
    (axes,) = figure.axes
    on_bars = [t for t in axes.texts if isinstance(t, Text) and t.get_text().endswith("%")]
    assert on_bars  # segments of 20% and more carry their share
    for text in on_bars:
        x, y = text.get_position()
        (bar,) = [p for p in axes.patches if p.contains_point(axes.transData.transform((x, y)))]
        ratio = contrast_ratio(to_hex(text.get_color()), to_hex(bar.get_facecolor()))
        assert ratio >= 4.5, (text.get_text(), ratio)  # WCAG AA for normal text


def test_contrast_follows_wcag():
    assert contrast_ratio("#FFFFFF", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1.0)
    # Okabe-Ito yellow is light: black text, never white.
    assert text_colour("#F0E442") == "#000000" and text_colour("#000000") == "#FFFFFF"


def test_colours_cycle_across_questions_but_never_within_one():
    colours = answer_colours({"a": ["1", "2"], "b": ["1", "2"]}, palette=["r", "g", "b"])
    assert colours == {"a": {"1": "r", "2": "g"}, "b": {"1": "b", "2": "r"}}


@pytest.mark.parametrize(
    ("categories", "message"),
    [
        ({"q": [str(i) for i in range(len(ANSWER_PALETTE) + 1)]}, "two of its answers"),
        ({"q": ["a", "a"]}, "repeats an answer"),
    ],
)
def test_bad_categories_are_refused(categories, message):
    with pytest.raises(ValueError, match=message):
        answer_colours(categories)


def test_bad_inputs_name_what_is_wrong():
    data = _survey()
    with pytest.raises(ValueError, match="no such column"):
        outcome_categories(data, ["missing"])
    with pytest.raises(ValueError, match="categorical or boolean"):
        category_order(pd.Series([1.5, 2.0], name="age"))
    with pytest.raises(ValueError, match=r"No colour for the answers \['not_needed'\]"):
        colours_of(STATUS, {"current": "r", "outdated": "g", "needed": "b"}, "status")
    with pytest.raises(ValueError, match="No colour"):
        _chart(data, "status", "size", {"status": {"current": "#000000"}})
