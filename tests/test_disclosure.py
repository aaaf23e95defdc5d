"""Primary and secondary suppression of small counts."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ruralplan.survey.disclosure import (
    PRIMARY,
    SECONDARY,
    SHOWN,
    check_min_cell,
    feasible_range,
    suppress_counts,
)


def _reader_solutions(counts, status, *, min_cell, cell_max, total_known):
    """Enumerate every table a reader could believe, by brute force (independent of the code)."""
    hidden = [i for i, s in enumerate(status) if s != SHOWN]
    ranges = [
        range(1, min_cell) if status[i] == PRIMARY else range(min_cell, cell_max + 1)
        for i in hidden
    ]
    remainder = sum(counts) - sum(c for c, s in zip(counts, status, strict=True) if s == SHOWN)
    for guess in itertools.product(*ranges):
        if not total_known or sum(guess) == remainder:
            yield dict(zip(hidden, guess, strict=True))


def test_single_small_cell_gets_a_secondary_partner():
    # 3 alone would be 30 - 20 - 7 = 3; hiding the smallest other non-zero cell (7) protects it.
    result = suppress_counts([3, 20, 7, 0], min_cell=5)
    assert result.status == (PRIMARY, SHOWN, SECONDARY, SHOWN)
    assert not result.total_suppressed


def test_large_cells_stay_visible():
    assert suppress_counts([42, 32, 31, 40], min_cell=5).status == (SHOWN,) * 4


def test_secondary_partner_must_leave_room():
    # Hiding 1 and 5: a reader knows the secondary cell is at least 5, so 1 + 5 = 6 pins the
    # primary at 1; a second partner (7) is needed.
    result = suppress_counts([1, 5, 7, 100], min_cell=5)
    assert result.status == (PRIMARY, SECONDARY, SECONDARY, SHOWN)


def test_two_ones_are_pinned_without_a_partner():
    # Two hidden cells of 1..4 summing to 2 can only be 1 and 1.
    assert suppress_counts([1, 1, 50], min_cell=5).status == (PRIMARY, PRIMARY, SECONDARY)


def test_total_is_withheld_when_nothing_else_helps():
    # [4, 4]: both hidden cells must be 4 once the total 8 is printed.
    result = suppress_counts([4, 4], min_cell=5)
    assert result.status == (PRIMARY, PRIMARY) and result.total_suppressed


def test_min_cell_one_disables_suppression():
    assert suppress_counts([1, 2, 3], min_cell=1).status == (SHOWN,) * 3


def test_feasible_range_by_hand():
    # Hidden 3 (primary) and 7 (secondary), remainder 10: primary in [max(1, 10-30), min(4, 5)].
    status = (PRIMARY, SHOWN, SECONDARY, SHOWN)
    assert feasible_range(0, [3, 20, 7, 0], status, min_cell=5, cell_max=30) == (1, 4)


@pytest.mark.parametrize(
    ("min_cell", "message"),
    [(2, "'<2' can only be 1"), (3.5, "must be a whole number"), (True, "whole number")],
    ids=["two", "fraction", "bool"],
)
def test_bad_min_cell_is_refused(min_cell, message):
    with pytest.raises(ValueError, match=message):
        check_min_cell(min_cell)


def test_negative_counts_are_refused():
    with pytest.raises(ValueError, match=r"counts must be 0 or more, but \[-1\]"):
        suppress_counts([5, -1], min_cell=5)


@settings(max_examples=300, deadline=None)
@given(
    counts=st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=5),
    min_cell=st.sampled_from([1, 3, 4, 5]),
)
def test_no_small_count_can_be_recovered(counts, min_cell):
    result = suppress_counts(counts, min_cell=min_cell)
    total = sum(counts)
    for index, count in enumerate(counts):
        # No count under min_cell is printed.
        if 0 < count < min_cell:
            assert result.status[index] == PRIMARY
    solutions = list(
        _reader_solutions(
            counts,
            result.status,
            min_cell=min_cell,
            cell_max=total,
            total_known=not result.total_suppressed,
        )
    )
    truth = {i: counts[i] for i, s in enumerate(result.status) if s != SHOWN}
    assert truth in solutions  # the reader's model is right about the true table
    for index, state in enumerate(result.status):
        if state == PRIMARY:
            values = {solution[index] for solution in solutions}
            assert len(values) > 1, f"cell {index} of {counts} pinned at {values}"
