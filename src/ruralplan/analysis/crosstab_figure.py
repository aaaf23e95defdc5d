"""The row-percentage figure of a contingency table: one stacked bar per predictor category.

Its words (the title's frame, the counts) come from the catalog of the figure's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure

from ruralplan.analysis.contingency import PreparedTable
from ruralplan.figures import FIGURE_RC, OKABE_ITO, with_count, wrap_label
from ruralplan.i18n import translator


def plot_row_percentages(
    prepared: PreparedTable,
    *,
    title: str,
    footer: str,
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
    row_labels, column_labels
        Display labels of predictor and outcome categories; the codes otherwise.
    lang
        The figure's language (the count after each group's label).

    Returns
    -------
    matplotlib.figure.Figure
        The figure (not attached to pyplot); save it with
        :func:`ruralplan.io.figures.save_figure`.
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
    palette = list(OKABE_ITO.values())
    with mpl.rc_context(FIGURE_RC):
        figure = Figure(figsize=(7.5, 1.9 + 0.4 * len(rows)))
        axes = figure.add_axes((0.32, 0.3, 0.64, 0.55))
        positions = np.arange(len(rows))[::-1]
        left = np.zeros(len(rows))
        for index, label in enumerate(columns):
            axes.barh(
                positions,
                shares[:, index],
                left=left,
                height=0.6,
                label=label,
                color=palette[index % len(palette)],
            )
            left += shares[:, index]
        axes.set_yticks(positions, [wrap_label(r, width=34) for r in rows])
        axes.set_xlim(0, 100)
        axes.legend(
            loc="upper left",
            bbox_to_anchor=(0, -0.18),
            ncol=legend_columns,
            frameon=False,
            fontsize=7.5,
        )
        figure.suptitle(
            wrap_label(title, width=80),
            x=0.02,
            y=0.98,
            ha="left",
            va="top",
            fontsize=10,
            fontweight="bold",
        )
        figure.text(
            0.02,
            0.02,
            wrap_label(footer, width=110),
            ha="left",
            va="bottom",
            fontsize=7.5,
            color="#555555",
        )
    return figure


def _label(labels: Mapping[Any, str] | None, value: Any) -> str:
    """Look a category up by its value, then by its text (``True`` -> ``"True"``)."""
    labels = labels or {}
    return str(labels.get(value, labels.get(str(value), value)))


def figure_title(outcome: str, predictor: str, lang: str) -> str:
    """Title a row-percentage figure: "Having a strategy by type of organisation (row %)".

    Parameters
    ----------
    outcome, predictor
        Display names (:func:`.labels.display_labels`).
    lang
        A report language.

    Returns
    -------
    str
        The title, starting with a capital letter.
    """
    text = translator(lang).gettext(
        "%(outcome)s by %(predictor)s (row %%)", outcome=outcome, predictor=predictor
    )
    return text[:1].upper() + text[1:]
