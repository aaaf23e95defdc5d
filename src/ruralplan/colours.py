"""Colours of answers: each answer of a question keeps one colour in every chart that shows it.

Charts that colour answers (the stacked row-percentage charts of the cross-tab tests) take the
colour of an answer from :func:`answer_colours`, never from its position in one chart: an answer
left out of one chart (no respondent gave it) would otherwise shift the colours of the others,
and two questions charted from the first colour on would give one colour two opposite meanings.
The colours are handed out in turn along the answers of every charted question, each question's
answers in the codebook's option order, from the Okabe-Ito palette less the colour of the
single-question bar charts (:data:`ruralplan.figures.BAR_COLOUR`), which therefore never stands
for an answer. Text drawn on a coloured bar takes black or white, whichever contrasts more
(:func:`text_colour`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from ruralplan.figures import BAR_COLOUR, OKABE_ITO

ANSWER_PALETTE: tuple[str, ...] = tuple(c for c in OKABE_ITO.values() if c != BAR_COLOUR)
BLACK, WHITE = "#000000", "#FFFFFF"


def category_order(series: pd.Series) -> list[Any]:
    """Return every answer a column can hold, in the codebook's order.

    Parameters
    ----------
    series
        A clean survey column: categorical (categories in the codebook's option order, as
        cleaning sets them) or boolean (``False`` before ``True``).

    Returns
    -------
    list
        The categories, including those no respondent chose.

    Raises
    ------
    ValueError
        If the column is neither categorical nor boolean.

    Examples
    --------
    >>> category_order(pd.Series([True, None], dtype="boolean"))
    [False, True]
    """
    if isinstance(series.dtype, pd.CategoricalDtype):
        return list(series.cat.categories)
    if pd.api.types.is_bool_dtype(series.dtype):
        return [False, True]
    raise ValueError(
        f"Column {series.name!r} has dtype {series.dtype}: only categorical or boolean answers "
        "can be given colours."
    )


def outcome_categories(data: pd.DataFrame, outcomes: Iterable[str]) -> dict[str, list[Any]]:
    """Return the answers of each charted question, questions in first-named order.

    Parameters
    ----------
    data
        The clean survey.
    outcomes
        Column names, e.g. the outcome of every cross-tab pair (repeats are kept once).

    Returns
    -------
    dict
        Column name -> its answers (:func:`category_order`).

    Raises
    ------
    ValueError
        Naming a column that is not in ``data``.
    """
    result: dict[str, list[Any]] = {}
    for column in outcomes:
        if column not in data.columns:
            raise ValueError(f"Cannot colour the answers of {column!r}: no such column.")
        if column not in result:
            result[column] = category_order(data[column])
    return result


def answer_colours(
    categories: Mapping[str, Sequence[Any]], palette: Sequence[str] = ANSWER_PALETTE
) -> dict[str, dict[str, str]]:
    """Give every (question, answer) one colour, handed out in turn across the questions.

    Colours repeat across questions only once the palette is used up; within one question
    they never repeat.

    Parameters
    ----------
    categories
        Question -> its answers in codebook order (:func:`outcome_categories`).
    palette
        Colours to hand out, in order.

    Returns
    -------
    dict
        Question -> {answer as text: colour}; ``True`` is keyed ``"True"``.

    Raises
    ------
    ValueError
        If the palette is empty, or a question repeats an answer or has more answers than
        the palette has colours.

    Examples
    --------
    >>> answer_colours({"a": ["x", "y"], "b": [False, True]}, palette=["1", "2", "3"])
    {'a': {'x': '1', 'y': '2'}, 'b': {'False': '3', 'True': '1'}}
    """
    if not palette:
        raise ValueError("The palette has no colours.")
    result: dict[str, dict[str, str]] = {}
    turn = 0
    for question, answers in categories.items():
        codes = [str(answer) for answer in answers]
        if len(set(codes)) != len(codes):
            raise ValueError(f"Question {question!r} repeats an answer: {codes}.")
        if len(codes) > len(palette):
            raise ValueError(
                f"Question {question!r} has {len(codes)} answers but the palette only "
                f"{len(palette)} colours, so two of its answers would look alike."
            )
        result[str(question)] = {
            code: palette[(turn + index) % len(palette)] for index, code in enumerate(codes)
        }
        turn += len(codes)
    return result


def colours_of(answers: Iterable[Any], colours: Mapping[str, str], question: str) -> list[str]:
    """Look up the colour of each answer a chart shows.

    Parameters
    ----------
    answers
        Answers in the chart's order (codes or booleans).
    colours
        The question's entry of :func:`answer_colours`.
    question
        The question's name, for the message.

    Returns
    -------
    list of str
        One colour per answer.

    Raises
    ------
    ValueError
        Naming the answers that have no colour.
    """
    answers = list(answers)
    missing = [answer for answer in answers if str(answer) not in colours]
    if missing:
        raise ValueError(f"No colour for the answers {missing} of {question!r}.")
    return [colours[str(answer)] for answer in answers]


def _luminance(colour: str) -> float:
    """Relative luminance of ``#RRGGBB`` (WCAG 2)."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """Return the WCAG contrast ratio of two ``#RRGGBB`` colours (1 to 21).

    Examples
    --------
    >>> round(contrast_ratio("#FFFFFF", "#000000"), 1)
    21.0
    """
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_colour(background: str) -> str:
    """Return black or white, whichever contrasts more with ``background``.

    Examples
    --------
    >>> text_colour("#F0E442"), text_colour("#000000")
    ('#000000', '#FFFFFF')
    """
    black, white = contrast_ratio(background, BLACK), contrast_ratio(background, WHITE)
    return BLACK if black >= white else WHITE
