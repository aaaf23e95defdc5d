"""Checks of the counts given to the public test and effect-size functions.

A contingency table holds whole numbers of respondents, none negative. Before these checks a
negative cell gave Cramér's V above 1 and a trend correlation above 1, and Fisher's test
truncated 2.5 to 2 without a word; now each entry point refuses such a table and names the cell.
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: How many bad cells a message lists before it says how many more there are.
LISTED_CELLS = 3


def check_counts(counts: Any, *, name: str = "counts", stacked: bool = False) -> np.ndarray:
    """Return a table of counts as a float array, refusing anything that is not a count.

    Parameters
    ----------
    counts
        A two-way table (rows x columns), or with ``stacked`` a stack of tables along the
        first axes.
    name
        What the table is called in messages.
    stacked
        Accept more than two dimensions (a stack of tables, e.g. bootstrap resamples).

    Returns
    -------
    numpy.ndarray
        The counts as floats (whole numbers of 0 or more).

    Raises
    ------
    ValueError
        If the table is not numeric, has the wrong number of dimensions, or a cell is negative,
        not whole or not finite; the message names the first cells (row, column) and values.

    Examples
    --------
    >>> check_counts([[5, 2], [3, 7]]).tolist()
    [[5.0, 2.0], [3.0, 7.0]]
    >>> check_counts([[5, -2], [3, 7]])
    Traceback (most recent call last):
    ...
    ValueError: counts must be whole numbers of 0 or more, but cell (0, 1) is -2.
    """
    try:
        table = np.asarray(counts, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be a table of numbers: {error}.") from None
    if table.ndim < 2 or (table.ndim > 2 and not stacked):
        wanted = "at least 2" if stacked else "2"
        raise ValueError(
            f"{name} must be a table with {wanted} dimensions (rows x columns), "
            f"but its shape is {table.shape}."
        )
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(table) | (table < 0) | (table != np.round(table))
    if bad.any():
        cells = np.argwhere(bad)
        listed = ", ".join(
            f"cell {tuple(int(i) for i in cell)} is {_shown(table[tuple(cell)])}"
            for cell in cells[:LISTED_CELLS]
        )
        more = len(cells) - LISTED_CELLS
        tail = f" and {more} more cells are not counts" if more > 0 else ""
        raise ValueError(f"{name} must be whole numbers of 0 or more, but {listed}{tail}.")
    return table


def check_scores(scores: Any, size: int, *, name: str) -> np.ndarray:
    """Return scores of the categories as floats, one finite number per category.

    Parameters
    ----------
    scores
        The scores.
    size
        The number of categories.
    name
        What they are called in messages (``row_scores``).

    Returns
    -------
    numpy.ndarray
        The scores.

    Raises
    ------
    ValueError
        If their number differs from ``size`` or one is not a finite number.
    """
    try:
        values = np.asarray(scores, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numbers: {error}.") from None
    if values.ndim != 1 or values.size != size:
        raise ValueError(f"{name} must hold {size} numbers, one per category, not {values.shape}.")
    if not np.isfinite(values).all():
        raise ValueError(f"{name} must be finite numbers, but they are {values.tolist()}.")
    return values


def _shown(value: float) -> str:
    return str(int(value)) if np.isfinite(value) and value == int(value) else repr(float(value))
