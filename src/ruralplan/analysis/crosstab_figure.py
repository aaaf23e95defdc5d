"""The row-percentage figure of a contingency table: one stacked bar per predictor category.

Each outcome answer takes its own colour from :func:`ruralplan.colours.answer_colours`, so the
same answer has the same colour in every chart; segments wide enough carry their percentage in
black or white, whichever contrasts more with the segment. Its words (the title's frame, the
counts) come from the catalog of the figure's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure

from ruralplan.analysis.contingency import PreparedTable
from ruralplan.colours import colours_of, text_colour
from ruralplan.figures import FIGURE_RC, NOTE_COLOUR, with_count, wrap_label
from ruralplan.formatting import format_percent

# Segments narrower than this many percentage points carry no label (it would not fit).
LABEL_MIN_PERCENT = 8.0
EDGE_COLOUR = "#333333"
# Room under the bars for the axis numbers, in inches.
_AXIS_INCHES = 0.35


def plot_row_percentages(
    prepared: PreparedTable,
    *,
    title: str,
    footer: str,
    colours: Mapping[str, str],
    row_labels: Mapping[Any, str] | None = None,
    column_labels: Mapping[Any, str] | None = None,
    lang: str,
) -> Figure:
    """Draw a stacked horizontal bar per predictor category, segments = outcome row percents.

    Parameters
    ----------
    prepared
        Output of :func:`.contingency.prepare_table`.
    title
        Figure title.
    footer
        Source line (and synthetic-data note) printed under the plot.
    colours
        Colour of each outcome answer, keyed by the answer as text: the outcome's entry of
        :func:`ruralplan.colours.answer_colours`.
    row_labels, column_labels
        Display labels of predictor and outcome categories; the codes otherwise.
    lang
        The figure's language (the count after each group's label).

    Returns
    -------
    matplotlib.figure.Figure
        The figure (not attached to pyplot); save it with
        :func:`ruralplan.io.figures.save_figure`.

    Raises
    ------
    ValueError
        If an outcome answer of the table has no colour.
    """
    counts = prepared.counts
    totals = counts.sum(axis=1).to_numpy()
    shares = 100 * counts.to_numpy() / totals[:, None]
    rows = [
        with_count(_label(row_labels, v), t, lang)
        for v, t in zip(counts.index, totals, strict=True)
    ]
    columns = [wrap_label(_label(column_labels, v), width=44) for v in counts.columns]
    legend_columns = min(len(columns), 4) if max(map(len, columns)) <= 20 else 2
    palette = colours_of(counts.columns, colours, prepared.outcome)
    title_text, footer_text = wrap_label(title, width=80), wrap_label(footer, width=110)
    # Heights in inches, from the top: title, bars, axis numbers, legend, footer.
    top = 0.3 + 0.18 * (title_text.count("\n") + 1)
    plot = 0.1 + 0.4 * len(rows)
    legend = _legend_inches(columns, legend_columns)
    bottom = 0.1 + 0.13 * (footer_text.count("\n") + 1)
    height = top + plot + _AXIS_INCHES + legend + bottom
    with mpl.rc_context(FIGURE_RC):
        figure = Figure(figsize=(7.5, height))
        axes = figure.add_axes(
            (0.32, (bottom + legend + _AXIS_INCHES) / height, 0.64, plot / height)
        )
        positions = np.arange(len(rows))[::-1]
        left = np.zeros(len(rows))
        for index, label in enumerate(columns):
            axes.barh(
                positions,
                shares[:, index],
                left=left,
                height=0.6,
                label=label,
                color=palette[index],
                edgecolor=EDGE_COLOUR,
                linewidth=0.4,
            )
            _label_segments(axes, positions, left, shares[:, index], palette[index], lang)
            left += shares[:, index]
        axes.set_yticks(positions, [wrap_label(r, width=34) for r in rows])
        axes.set_xlim(0, 100)
        # The legend starts at the figure's left edge, as the title does, so that two columns of
        # long answers fit in the figure's width.
        axes.legend(
            loc="upper left",
            bbox_to_anchor=(0.02, (bottom + legend) / height),
            bbox_transform=figure.transFigure,
            borderaxespad=0,
            ncol=legend_columns,
            frameon=False,
            fontsize=7.5,
        )
        figure.suptitle(
            title_text,
            x=0.02,
            y=1 - 0.15 / height,
            ha="left",
            va="top",
            fontsize=10,
            fontweight="bold",
        )
        figure.text(
            0.02,
            0.08 / height,
            footer_text,
            ha="left",
            va="bottom",
            fontsize=7.5,
            color=NOTE_COLOUR,
        )
    return figure


def _legend_inches(labels: list[str], columns: int) -> float:
    """Height of a legend of ``labels`` in ``columns`` (filled column by column), in inches."""
    rows = -(-len(labels) // columns)
    lines = [
        max(labels[i].count("\n") + 1 for i in range(row, len(labels), rows)) for row in range(rows)
    ]
    return sum(0.13 * n + 0.07 for n in lines)


def _label_segments(
    axes: Any, positions: np.ndarray, left: np.ndarray, widths: np.ndarray, colour: str, lang: str
) -> None:
    """Write each segment's whole percentage at its centre, in the text colour that contrasts."""
    for y, start, width in zip(positions, left, widths, strict=True):
        if width >= LABEL_MIN_PERCENT:
            axes.text(
                start + width / 2,
                y,
                format_percent(width, lang=lang, decimals=0),
                ha="center",
                va="center",
                fontsize=7.5,
                color=text_colour(colour),
            )


def _label(labels: Mapping[Any, str] | None, value: Any) -> str:
    """Look a category up by its value, then by its text (``True`` -> ``"True"``)."""
    labels = labels or {}
    return str(labels.get(value, labels.get(str(value), value)))
