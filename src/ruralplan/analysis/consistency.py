"""Granularity checks for published means and percentages, in the spirit of GRIM.

A percentage of ``n`` whole units can only take the values ``100 * k / n``. The GRIM test
(Brown and Heathers, 2016) asks whether a printed value, at its printed precision, is one of
them. Rounding conventions differ, so a count is accepted when its exact value lies within half
a unit of the last printed digit on either side, boundaries included (what the R package
*scrutiny* calls rounding "up or down"). For a set of shares of one single-choice question the
counts must moreover add up to the base: :func:`consistent_bases` searches a range of bases for
those where all shares are possible at once.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping, Sequence
from numbers import Real
from typing import Any

import pandas as pd

# Allowance for binary floating point when comparing with the rounding boundaries.
_EPS = 1e-9
# A printed figure once spaces are removed: sign, digits, one decimal mark, optional percent.
_PRINTED = re.compile(r"[+-]?\d+(?:[.,]\d+)?%?")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


def printed_number(text: str) -> tuple[float, int, bool]:
    """Read a figure as printed: its value, its number of decimals and whether it is a percent.

    The decimal mark may be a comma (Latvian) or a point; spaces (also no-break and thin
    spaces) may group thousands. A figure with both a comma and a point is refused, since
    either could be the decimal mark.

    Parameters
    ----------
    text
        The printed figure, e.g. ``"28,8%"``, ``"22 %"``, ``"145"`` or ``"1 234,5"``.

    Returns
    -------
    tuple
        ``(value, decimals, percent)``.

    Raises
    ------
    ValueError
        If ``text`` is not a string holding one number (and perhaps a percent sign).

    Examples
    --------
    >>> printed_number("28,8%")
    (28.8, 1, True)
    >>> printed_number("1 234")
    (1234.0, 0, False)
    """
    if not isinstance(text, str):
        raise ValueError(f"A printed figure must be text, but {text!r} was passed.")
    compact = _SPACES.sub("", text)
    if not _PRINTED.fullmatch(compact):
        raise ValueError(
            f"{text!r} is not a printed number: expected digits with at most one decimal comma "
            "or point and an optional percent sign, e.g. '28,8%' or '145'."
        )
    percent = compact.endswith("%")
    digits = compact.rstrip("%").replace(",", ".")
    decimals = len(digits.partition(".")[2])
    return float(digits), decimals, percent


def _figure(value: float | str, decimals: int | None, percent: bool) -> tuple[float, int]:
    """Return a figure and its decimals, read from text when it is printed text."""
    if isinstance(value, str):
        number, places, has_percent = printed_number(value)
        if has_percent and not percent:
            raise ValueError(f"{value!r} is a percentage: pass percent=True.")
        if decimals is not None and decimals != places:
            raise ValueError(
                f"{value!r} is printed with {places} decimals, but decimals={decimals} was passed."
            )
        return number, places
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        raise ValueError(f"The value must be a finite number or printed text, not {value!r}.")
    if decimals is None:
        raise ValueError(
            f"Pass `decimals` (the printed precision of {value!r}), or the figure as printed "
            "text such as '28,8'."
        )
    return float(value), decimals


def grim_counts(
    value: float | str,
    n: int,
    *,
    decimals: int | None = None,
    percent: bool = False,
    items: int = 1,
) -> list[int]:
    """List the whole totals that give ``value`` at ``decimals`` places for a sample of ``n``.

    Parameters
    ----------
    value
        The printed mean, or percentage when ``percent`` is true: a number, or the figure as
        printed (``"28,8"``, ``"28,8%"``, ``"5.00"``), from which ``decimals`` is read.
    n
        The stated sample size (the base).
    decimals
        Decimal places printed; ``28.8`` has 1, ``22`` has 0, ``5.00`` has 2. Needed for a
        number; for printed text it is read from the text (and must agree if given).
    percent
        Whether ``value`` is a percentage (0-100) of ``n`` rather than a mean.
    items
        Number of integer items averaged per unit (1 for a single question).

    Returns
    -------
    list of int
        Totals ``k`` (counts, for a percentage) in increasing order; empty when none fits.

    Raises
    ------
    ValueError
        If ``n`` or ``items`` is not a positive whole number, ``decimals`` is negative or
        missing for a number, or ``value`` is neither a finite number nor a printed figure.

    Examples
    --------
    >>> grim_counts(22, 146, decimals=0, percent=True)
    [32]
    >>> grim_counts(28.8, 145, decimals=1, percent=True)
    []
    >>> grim_counts("28,8%", 146, percent=True)
    [42]
    """
    value, decimals = _figure(value, decimals, percent)
    _check_positive_int(n, "n")
    _check_positive_int(items, "items")
    if decimals < 0:
        raise ValueError(f"`decimals` must be 0 or more, but {decimals} was passed.")
    scale = 100.0 if percent else 1.0
    half = 0.5 * 10.0 ** (-decimals)
    units = n * items
    low = (value - half) * units / scale
    high = (value + half) * units / scale
    first = max(0, math.ceil(low - _EPS))
    last = math.floor(high + _EPS)
    return [k for k in range(first, last + 1) if abs(scale * k / units - value) <= half + _EPS]


def grim_consistent(
    value: float | str,
    n: int,
    *,
    decimals: int | None = None,
    percent: bool = False,
    items: int = 1,
) -> bool:
    """Tell whether some whole total gives ``value`` at its printed precision.

    Parameters
    ----------
    value, n, decimals, percent, items
        As for :func:`grim_counts`.

    Returns
    -------
    bool
        True when at least one total is consistent.

    Examples
    --------
    >>> grim_consistent(5.19, 28, decimals=2)
    False
    """
    return bool(grim_counts(value, n, decimals=decimals, percent=percent, items=items))


def share_set_counts(
    shares: Sequence[float], n: int, *, decimals: Sequence[int]
) -> list[tuple[int, ...]]:
    """List the count vectors that give every share and add up to ``n``.

    Parameters
    ----------
    shares
        Printed percentages of the options of one single-choice question.
    n
        The candidate base.
    decimals
        Printed decimal places of each share, in the same order.

    Returns
    -------
    list of tuple of int
        Every combination of consistent counts that sums to ``n``; empty when none does.

    Raises
    ------
    ValueError
        If ``shares`` and ``decimals`` differ in length.

    Examples
    --------
    >>> share_set_counts([28.8, 22, 21.2, 28], 146, decimals=[1, 0, 1, 0])
    [(42, 32, 31, 41)]
    """
    if len(shares) != len(decimals):
        raise ValueError(
            f"`shares` and `decimals` must have the same length, "
            f"but {len(shares)} and {len(decimals)} were passed."
        )
    candidates = [
        grim_counts(share, n, decimals=places, percent=True)
        for share, places in zip(shares, decimals, strict=True)
    ]
    return [combo for combo in itertools.product(*candidates) if sum(combo) == n]


def consistent_bases(
    shares: Sequence[float], *, decimals: Sequence[int], bases: Sequence[int]
) -> pd.DataFrame:
    """Check for every candidate base whether each share is possible and the counts add up.

    Parameters
    ----------
    shares
        Printed percentages of the options of one single-choice question.
    decimals
        Printed decimal places of each share.
    bases
        Candidate bases to try, e.g. ``range(100, 201)``.

    Returns
    -------
    pandas.DataFrame
        One row per base with columns ``base``, ``n_shares_possible`` (how many shares have a
        whole count), ``all_possible``, ``sums_to_base`` (some combination adds up to the base)
        and ``counts`` (the first such combination as text, empty otherwise).

    Examples
    --------
    >>> table = consistent_bases([28.8, 22, 21.2, 28], decimals=[1, 0, 1, 0],
    ...                          bases=range(140, 150))
    >>> table.loc[table["sums_to_base"], "base"].tolist()
    [146]
    """
    rows = []
    for base in bases:
        possible = [
            grim_consistent(share, base, decimals=places, percent=True)
            for share, places in zip(shares, decimals, strict=True)
        ]
        combos = share_set_counts(shares, base, decimals=decimals) if all(possible) else []
        rows.append(
            {
                "base": int(base),
                "n_shares_possible": sum(possible),
                "all_possible": all(possible),
                "sums_to_base": bool(combos),
                "counts": "/".join(str(k) for k in combos[0]) if combos else "",
            }
        )
    return pd.DataFrame(
        rows, columns=["base", "n_shares_possible", "all_possible", "sums_to_base", "counts"]
    )


def nearest_consistent_base(table: pd.DataFrame, stated: int) -> int | None:
    """Return the base closest to ``stated`` whose counts add up, or None.

    Parameters
    ----------
    table
        Output of :func:`consistent_bases`.
    stated
        The base printed in the publication.

    Returns
    -------
    int or None
        The nearest consistent base (the smaller one on a tie).
    """
    good = table.loc[table["sums_to_base"], "base"].tolist()
    if not good:
        return None
    return min(good, key=lambda base: (abs(base - stated), base))


def _check_positive_int(value: int, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, Real) or int(value) != value or value < 1:
        raise ValueError(
            f"`{name}` must be a whole number of at least 1, but {value!r} was passed."
        )


# ---- every registered claim at once ------------------------------------------------------


def grim_table(
    claims: Sequence[Mapping[str, Any]], *, extra_bases: Sequence[int] = ()
) -> pd.DataFrame:
    """GRIM-test every printed share against its stated base and any extra bases.

    Parameters
    ----------
    claims
        Output of :func:`.claims.parse_claims`; share claims with a printed figure and a base
        are used.
    extra_bases
        Further bases to try for every share (e.g. the number of raw submissions).

    Returns
    -------
    pandas.DataFrame
        Columns ``claim_id, printed, base, stated_base, consistent, counts`` (counts that give
        the printed share, ``/``-separated).
    """
    rows = []
    for claim in claims:
        if claim["kind"] != "share" or "range" in claim or claim.get("base") is None:
            continue
        for base in dict.fromkeys([int(claim["base"]), *map(int, extra_bases)]):
            counts = grim_counts(str(claim["printed"]), base, percent=True)
            rows.append(
                {
                    "claim_id": claim["id"],
                    "printed": str(claim["printed"]),
                    "base": base,
                    "stated_base": base == int(claim["base"]),
                    "consistent": bool(counts),
                    "counts": "/".join(map(str, counts)),
                }
            )
    columns = ["claim_id", "printed", "base", "stated_base", "consistent", "counts"]
    return pd.DataFrame(rows, columns=columns)


def share_set_bases(claims: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """Search the bases of every ``share_set`` claim (see :func:`consistent_bases`).

    Parameters
    ----------
    claims
        Output of :func:`.claims.parse_claims`.

    Returns
    -------
    pandas.DataFrame
        ``claim_id`` followed by the columns of :func:`consistent_bases`, one row
        per claim and base in its ``search`` range.
    """
    by_id = {claim["id"]: claim for claim in claims}
    frames = []
    for claim in claims:
        if claim["kind"] != "share_set":
            continue
        members = [by_id[member] for member in claim["members"]]
        low, high = claim["search"]
        table = consistent_bases(
            [float(member["published"]) for member in members],
            decimals=[int(member["decimals"]) for member in members],
            bases=range(int(low), int(high) + 1),
        )
        frames.append(table.assign(claim_id=claim["id"]))
    if not frames:
        return pd.DataFrame(
            columns=[
                "claim_id",
                "base",
                "n_shares_possible",
                "all_possible",
                "sums_to_base",
                "counts",
            ]
        )
    table = pd.concat(frames, ignore_index=True)
    return table[["claim_id", *[c for c in table.columns if c != "claim_id"]]]
