"""Statistical disclosure control for small counts in published tables.

Counts with ``0 < n < min_cell`` are *primary* suppressions, shown as ``"<5"`` (for
``min_cell=5``). When the table also prints its total, a single hidden cell could be recovered as
the total minus the others, so further cells are withheld (*secondary* suppressions, shown as
``"x"``) until no primary cell's value can be pinned down. The check assumes a reader who knows
the rule: a primary cell lies in ``1..min_cell-1``, a secondary one in ``min_cell..cell_max``,
and the hidden cells add up to the total minus the shown ones. Zeros are shown: a zero reveals
nothing about a named organisation. If hiding every non-zero cell is still not enough, the total
is withheld as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

SHOWN = "shown"
PRIMARY = "primary"
SECONDARY = "secondary"


@dataclass(frozen=True)
class Suppression:
    """Which cells of one additive group a public table must withhold.

    Attributes
    ----------
    status
        ``"shown"``, ``"primary"`` or ``"secondary"`` for each cell, in input order.
    total_suppressed
        Whether the group's total must be withheld too.
    """

    status: tuple[str, ...]
    total_suppressed: bool

    @property
    def hidden(self) -> tuple[bool, ...]:
        """Tell for each cell whether it is withheld."""
        return tuple(state != SHOWN for state in self.status)


def check_min_cell(min_cell: int) -> int:
    """Validate the minimum publishable cell size.

    Parameters
    ----------
    min_cell
        Smallest count shown as a number; 1 or less disables suppression.

    Returns
    -------
    int
        ``min_cell`` as an int.

    Raises
    ------
    ValueError
        If ``min_cell`` is not whole, or is 2 (``"<2"`` would reveal that the count is 1).
    """
    if isinstance(min_cell, bool) or int(min_cell) != min_cell:
        raise ValueError(f"`min_cell` must be a whole number, but {min_cell!r} was passed.")
    if int(min_cell) == 2:
        raise ValueError(
            "`min_cell` must be 1 (no suppression) or at least 3, but 2 was passed: "
            "a count shown as '<2' can only be 1."
        )
    return int(min_cell)


def suppress_counts(
    counts: Sequence[int], *, min_cell: int, cell_max: int | None = None
) -> Suppression:
    """Decide primary and secondary suppression for cells that add up to a printed total.

    Parameters
    ----------
    counts
        Non-negative counts of one additive group (e.g. the options of a single-choice
        question, whose total is the number of valid answers).
    min_cell
        Smallest count shown as a number (see :func:`check_min_cell`).
    cell_max
        Largest value a reader knows any cell can take; the total when omitted. For a
        multiple-choice question pass the number of respondents.

    Returns
    -------
    Suppression
        Status per cell and whether the total must be withheld.

    Raises
    ------
    ValueError
        If a count is negative or ``min_cell`` is invalid.

    Examples
    --------
    >>> suppress_counts([3, 20, 7, 0], min_cell=5).status
    ('primary', 'shown', 'secondary', 'shown')
    """
    min_cell = check_min_cell(min_cell)
    values = [int(count) for count in counts]
    negative = [count for count in values if count < 0]
    if negative:
        raise ValueError(f"counts must be 0 or more, but {negative} were passed.")
    total = sum(values)
    upper = total if cell_max is None else int(cell_max)
    status = [PRIMARY if 0 < count < min_cell else SHOWN for count in values]
    while True:
        if not any(
            _is_pinned(index, values, status, min_cell=min_cell, cell_max=upper)
            for index, state in enumerate(status)
            if state == PRIMARY
        ):
            return Suppression(tuple(status), total_suppressed=False)
        candidates = [i for i, state in enumerate(status) if state == SHOWN and values[i] > 0]
        if not candidates:
            return Suppression(tuple(status), total_suppressed=True)
        smallest = min(candidates, key=lambda i: (values[i], i))
        status[smallest] = SECONDARY


def feasible_range(
    index: int,
    counts: Sequence[int],
    status: Sequence[str],
    *,
    min_cell: int,
    cell_max: int,
) -> tuple[int, int]:
    """Return the values a reader can deduce for one hidden cell from the printed table.

    Parameters
    ----------
    index
        Position of the hidden cell.
    counts
        True counts of the group (only the shown ones and the total are known to the reader).
    status
        Status of each cell, as in :attr:`Suppression.status`.
    min_cell
        The suppression threshold.
    cell_max
        Largest value any cell can take.

    Returns
    -------
    tuple of int
        Smallest and largest value the cell can take given the total and the other cells.
    """
    hidden = [i for i, state in enumerate(status) if state != SHOWN]
    remainder = sum(counts) - sum(c for c, s in zip(counts, status, strict=True) if s == SHOWN)

    def bounds(i: int) -> tuple[int, int]:
        if status[i] == PRIMARY:
            return 1, min_cell - 1
        return min_cell, cell_max

    others = [bounds(i) for i in hidden if i != index]
    low, high = bounds(index)
    low = max(low, remainder - sum(b[1] for b in others))
    high = min(high, remainder - sum(b[0] for b in others))
    return low, high


def _is_pinned(
    index: int, counts: list[int], status: list[str], *, min_cell: int, cell_max: int
) -> bool:
    low, high = feasible_range(index, counts, status, min_cell=min_cell, cell_max=cell_max)
    return low >= high
