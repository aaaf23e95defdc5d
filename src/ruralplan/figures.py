"""Horizontal bar charts of survey questions in the style of the published summary.

The figure shows the question text as its title with the number of valid answers, one bar per
answer option labelled with its percentage, and under the plot the survey's source line and, for
the demonstration data, a plain note that the data are synthetic. Bars of withheld counts
(:mod:`.survey.disclosure`) are not drawn; their marker is printed instead. Colours come from
the Okabe-Ito palette, which stays distinguishable with the common colour-vision deficiencies.
Saving (deterministic bytes) is done by :func:`ruralplan.io.figures.save_figure`.
"""

from __future__ import annotations

import textwrap

import matplotlib as mpl
import pandas as pd
from matplotlib.figure import Figure

from ruralplan.formatting import format_number, format_percent
from ruralplan.i18n import translator
from ruralplan.survey.disclosure import PRIMARY, SHOWN

# Okabe & Ito (2008), "Color Universal Design": blue for bars, grey for text.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
}
BAR_COLOUR = OKABE_ITO["blue"]
NOTE_COLOUR = "#555555"
# Room above the bars for the title and below them for the source lines, in inches.
_TOP_INCHES = 0.8
_BOTTOM_INCHES = 0.55
# Style used both when drawing and when saving, so that text measures the same.
FIGURE_RC = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "svg.hashsalt": "ruralplan",
    "svg.fonttype": "path",
    "path.simplify": True,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def synthetic_note(lang: str) -> str:
    """Return the note every table and figure of synthetic data carries, in ``lang``.

    Parameters
    ----------
    lang
        A report language.

    Returns
    -------
    str
        One sentence from the catalog.

    Examples
    --------
    >>> synthetic_note("en")
    'Synthetic demonstration data, not study results.'
    """
    return translator(lang).gettext("Synthetic demonstration data, not study results.")


def cooccurrence_title(lang: str) -> str:
    """Return the title of the interview codes' co-occurrence heat map, in ``lang``.

    Parameters
    ----------
    lang
        A report language.

    Returns
    -------
    str
        The title from the catalog.
    """
    return translator(lang).gettext("Code co-occurrence (c-coefficient)")


def with_count(title: str, count: int, lang: str) -> str:
    """Add the number of answers a figure shows to its title: "Question (n=145)".

    Parameters
    ----------
    title
        The title.
    count
        The number of valid answers (or respondents in a group).
    lang
        A report language.

    Returns
    -------
    str
        The title with its count.
    """
    return translator(lang).gettext(
        "%(title)s (n=%(count)s)", title=title, count=format_number(count, lang=lang)
    )


def wrap_label(text: str, *, width: int = 38) -> str:
    """Wrap a long label onto several lines at word boundaries.

    Parameters
    ----------
    text
        The label.
    width
        Maximum characters per line.

    Returns
    -------
    str
        The label with line breaks.

    Examples
    --------
    >>> wrap_label("Nē, stratēģija nav nepieciešama", width=15).splitlines()
    ['Nē, stratēģija', 'nav', 'nepieciešama']
    """
    return "\n".join(textwrap.wrap(text, width=width, break_long_words=False)) or text


def bar_chart(
    table: pd.DataFrame,
    *,
    title: str,
    lang: str,
    source: str,
    synthetic: bool,
    status: pd.Series | None = None,
    min_cell: int = 5,
    decimals: int = 1,
) -> Figure:
    """Draw a horizontal bar chart of one frequency table.

    Parameters
    ----------
    table
        Output of :func:`ruralplan.survey.tabulate.frequency_table`.
    title
        Question text in ``lang``; ``" (n=<valid answers>)"`` is appended.
    lang
        ``"lv"`` or ``"en"``: labels and number style.
    source
        Source line printed under the plot.
    synthetic
        Whether to print the synthetic-data note after the source line.
    status
        Suppression status per row (:func:`ruralplan.survey.tabulate.suppression_status`); all shown
        when omitted.
    min_cell
        Threshold named in the marker of withheld bars.
    decimals
        Decimal places of the percentage labels.

    Returns
    -------
    matplotlib.figure.Figure
        The figure (not attached to pyplot).
    """
    if status is None:
        status = pd.Series(SHOWN, index=table.index)
    options = table[table["row_type"] == "option"]
    valid = int(table.loc[table["row_type"] == "valid", "n"].iloc[0])
    labels = [wrap_label(text) for text in options[f"label_{lang}"]]
    with mpl.rc_context(FIGURE_RC):
        plot_height = 0.2 + 0.42 * sum(label.count("\n") + 1 for label in labels)
        height = plot_height + _TOP_INCHES + _BOTTOM_INCHES
        figure = Figure(figsize=(7.5, height))
        axes = figure.add_axes((0.42, _BOTTOM_INCHES / height, 0.52, plot_height / height))
        _draw_bars(
            axes,
            options,
            labels,
            status.loc[options.index],
            lang=lang,
            min_cell=min_cell,
            decimals=decimals,
        )
        full_title = with_count(title, valid, lang)
        figure.suptitle(
            wrap_label(full_title, width=80),
            x=0.02,
            y=0.97,
            ha="left",
            va="top",
            fontsize=10,
            fontweight="bold",
        )
        footer = "\n".join([source, synthetic_note(lang)] if synthetic else [source])
        figure.text(
            0.02, 0.08 / height, footer, ha="left", va="bottom", fontsize=7.5, color=NOTE_COLOUR
        )
    return figure


def _draw_bars(
    axes: mpl.axes.Axes,
    options: pd.DataFrame,
    labels: list[str],
    status: pd.Series,
    *,
    lang: str,
    min_cell: int,
    decimals: int,
) -> None:
    positions = list(range(len(options)))[::-1]  # first option on top
    shown = (status == SHOWN).to_numpy()
    widths = options["percent"].fillna(0).where(shown, 0).to_numpy()
    axes.barh(positions, widths, color=BAR_COLOUR, height=0.6)
    for y, width, is_shown, state in zip(positions, widths, shown, status, strict=True):
        if is_shown:
            text = format_percent(width, lang=lang, decimals=decimals)
        else:
            text = f"<{min_cell}" if state == PRIMARY else "x"
        axes.text(width + 1, y, text, va="center", ha="left", fontsize=8.5)
    axes.set_yticks(positions, labels)
    axes.set_xlim(0, 110)
    axes.set_xticks([])
    axes.spines["bottom"].set_visible(False)
    axes.tick_params(axis="y", length=0)
