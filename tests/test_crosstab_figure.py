"""Row-percentage figure: the legend and the source line stay inside the figure, apart."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from ruralplan.analysis.contingency import prepare_table
from ruralplan.analysis.crosstab_figure import plot_row_percentages
from ruralplan.colours import answer_colours, outcome_categories

ANSWERS = ["a", "b", "c", "d"]
LONG = {
    "a": "Yes, a strategy has been developed",
    "b": "Yes, but it is outdated and needs to be renewed",
    "c": "No, a strategy is not needed",
    "d": "No, we see the need but lack the resources to develop a good strategy",
}


@pytest.mark.parametrize("groups", [1, 2, 6])
def test_legend_and_footer_fit_without_overlap(groups):
    data = pd.DataFrame(
        {
            "status": pd.Categorical(ANSWERS * 6 * groups, categories=ANSWERS),
            "group": pd.Categorical([f"g{i}" for i in range(groups)] * 24),
        }
    )
    prepared = prepare_table(data, outcome="status", predictor="group")
    figure = plot_row_percentages(
        prepared,
        title="Strategy status by group (row %)",
        footer="Source: a survey. " * 8,
        colours=answer_colours(outcome_categories(data, ["status"]))["status"],
        column_labels=LONG,
        lang="en",
    )
    renderer = FigureCanvasAgg(figure).get_renderer()
    whole = figure.bbox
    legend = figure.axes[0].get_legend().get_window_extent(renderer)
    footer = figure.texts[-1].get_window_extent(renderer)
    axis = figure.axes[0].xaxis.get_tightbbox(renderer)
    for box in (legend, footer):
        assert whole.x0 <= box.x0 and box.x1 <= whole.x1 and whole.y0 <= box.y0
    assert footer.y1 <= legend.y0  # the source line sits under the legend
    assert legend.y1 <= figure.axes[0].get_window_extent(renderer).y0  # legend under the bars
    assert axis.y0 >= legend.y1 - 1  # and under the axis numbers
