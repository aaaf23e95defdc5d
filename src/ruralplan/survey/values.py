"""Read single answers typed by hand: years, counts, multiple-choice cells, dates, bands.

These work on one value (or one column of text) and know nothing of rows, logs or problems;
:mod:`ruralplan.survey.parsing` applies them to whole export columns.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ruralplan.survey.base import as_text
from ruralplan.survey.codebook import Question, band_labels, normalise_label

_NUMBER = re.compile(r"\d+")


def parse_year(text: str) -> int | None:
    """Read a year typed by hand: exactly one four-digit number in the text.

    Parameters
    ----------
    text
        The answer, e.g. ``"2005"``, ``"2005."``, ``"2005. gadā"``, ``"ap 1998"``.

    Returns
    -------
    int or None
        The year, or None when the text holds no number or more than one, or the number does
        not have four digits.

    Examples
    --------
    >>> parse_year("2005. gadā"), parse_year("ap 1998"), parse_year("1998-2005")
    (2005, 1998, None)
    """
    numbers = _NUMBER.findall(text)
    if len(numbers) != 1 or len(numbers[0]) != 4:
        return None
    return int(numbers[0])


def parse_count(text: str) -> int | None:
    """Read a count typed by hand: exactly one whole number in the text.

    Examples
    --------
    >>> parse_count("ap. 25"), parse_count("25 biedri"), parse_count("20-30")
    (25, 25, None)
    """
    numbers = _NUMBER.findall(text)
    return int(numbers[0]) if len(numbers) == 1 else None


def split_multiple(text: str, question: Question) -> tuple[list[str], str | None, list[str]]:
    """Split a multiple-choice cell into option codes by matching the known labels.

    Labels may contain commas, so the cell is not split on commas: labels are matched longest
    first, each at the start of the cell or after a comma, and followed by a comma or the end.
    An answer ``"<other label>: free text"`` gives the other code and the text.

    Parameters
    ----------
    text
        The cell, e.g. ``"Vide, Cits: kaut kas"``.
    question
        A multiple-choice question.

    Returns
    -------
    codes : list of str
        Matched codes in codebook order.
    other_text : str or None
        The free text after the other label, as typed.
    unknown : list of str
        Pieces of the cell that match no label.
    """
    return split_with(text, question, label_patterns(question))


def split_with(
    text: str, question: Question, patterns: list[tuple[re.Pattern[str], str]]
) -> tuple[list[str], str | None, list[str]]:
    """Split a multiple-choice cell as :func:`split_multiple` does, with patterns made once.

    ``patterns`` come from :func:`label_patterns`; a column repeats the same question, so its
    patterns are compiled once for all cells.
    """
    other_text = None
    remaining = text
    if question.other_code is not None:
        remaining, other_text = _cut_other(text, question.label(question.other_code))
    normalised = normalise_label(remaining)
    found: set[str] = set()
    for pattern, code in patterns:
        normalised, hits = pattern.subn("", normalised)
        if hits:
            found.add(code)
    if other_text is not None:
        found.add(question.other_code)
    unknown = [piece.strip() for piece in normalised.split(",") if piece.strip()]
    return [code for code in question.codes if code in found], other_text, unknown


def label_patterns(question: Question) -> list[tuple[re.Pattern[str], str]]:
    """Patterns of the normalised option labels, longest first, each with its code."""
    pairs = [(normalise_label(option.lv), option.code) for option in question.options]
    return [
        (re.compile(rf"(?:^|(?<=,)) ?{re.escape(label)} ?(?=,|$)"), code)
        for label, code in sorted(pairs, key=lambda pair: -len(pair[0]))
    ]


def _cut_other(text: str, other_label: str) -> tuple[str, str | None]:
    folded = _fold(text)
    label = r"\s+".join(re.escape(_fold(word)) for word in other_label.split())
    match = re.search(rf"(?:^|,)\s*{label}\s*:", folded)
    if match is None:
        return text, None
    return text[: match.start()], text[match.end() :].strip()


def _fold(text: str) -> str:
    """Fold case and accents one character at a time, keeping positions."""
    return "".join(
        (unicodedata.normalize("NFKD", char)[:1] or char).lower()[:1] or char for char in text
    )


def parse_datetimes(text: pd.Series, fmt: str) -> pd.Series:
    """Parse text as date and time in a strptime format, exactly like ``pandas.to_datetime``.

    For an ASCII format made only of ``%d %m %Y %H %M %S``, cells written in its exact
    zero-padded form whose fields read back unchanged are parsed by Arrow (fast); every other
    cell (and every cell of other formats) is parsed by pandas, so the result is pandas' own.

    Parameters
    ----------
    text
        Stripped cells.
    fmt
        The format, e.g. ``"%d.%m.%Y %H:%M:%S"``.

    Returns
    -------
    pandas.Series
        ``datetime64[us]``; unreadable or blank cells are ``NaT``.

    Examples
    --------
    >>> cells = pd.Series(["04.03.2024 08:00:12", "4.3.2024 8:00:12", "31.02.2024 08:00:00"])
    >>> parsed = parse_datetimes(cells, "%d.%m.%Y %H:%M:%S")
    >>> str(parsed[0]), str(parsed[1]), parsed.isna().tolist()
    ('2024-03-04 08:00:12', '2024-03-04 08:00:12', [False, False, True])
    """
    text = as_text(text)
    pieces = re.split(r"(%.)", fmt)
    if not fmt.isascii() or not set(pieces[1::2]) <= set(_DATETIME_FIELDS):
        return pd.to_datetime(text, format=fmt, errors="coerce").astype("datetime64[us]")
    fast, exact = _arrow_datetimes(text, fmt, pieces)
    values = pd.Series(fast, index=text.index)
    if not exact.all():
        values[~exact] = pd.to_datetime(text[~exact], format=fmt, errors="coerce")
    return values


_DATETIME_FIELDS = {
    "%d": ("day", 2),
    "%m": ("month", 2),
    "%Y": ("year", 4),
    "%H": ("hour", 2),
    "%M": ("minute", 2),
    "%S": ("second", 2),
}


def _arrow_datetimes(text: pd.Series, fmt: str, pieces: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Arrow's parse of each cell, and whether it is certainly the same as pandas' parse."""
    cells = pa.array(text.array)
    parsed = pc.strptime(cells, format=fmt, unit="s", error_is_null=True)
    pattern = "".join(
        rf"\d{{{_DATETIME_FIELDS[p][1]}}}" if p in _DATETIME_FIELDS else re.escape(p)
        for p in pieces
    )
    exact = pc.match_substring_regex(cells, f"^{pattern}$")
    start = 0
    for piece in pieces:
        if piece in _DATETIME_FIELDS:
            name, width = _DATETIME_FIELDS[piece]
            digits = pc.if_else(exact, pc.utf8_slice_codeunits(cells, start, start + width), "0")
            same = pc.equal(getattr(pc, name)(parsed), pc.cast(digits, pa.int64()))
            exact = pc.and_kleene(exact, same)
        start += _DATETIME_FIELDS[piece][1] if piece in _DATETIME_FIELDS else len(piece)
    exact = pc.fill_null(exact, False).to_numpy(zero_copy_only=False)
    values = parsed.cast(pa.timestamp("us")).to_numpy(zero_copy_only=False)
    return values, exact


def assign_bands(values: Any, bounds: Sequence[int]) -> pd.Categorical:
    """Put whole numbers into ordered bands with the given lower bounds.

    Parameters
    ----------
    values
        Integers (missing allowed).
    bounds
        Increasing lower bounds; the last band is open. Values below the first bound are
        missing.

    Returns
    -------
    pandas.Categorical
        Ordered, with labels from :func:`ruralplan.survey.codebook.band_labels`.

    Examples
    --------
    >>> list(assign_bands([0, 4, 5, 19, 20, 99], [0, 5, 10, 20]))
    ['0-4', '0-4', '5-9', '10-19', '20+', '20+']
    """
    numbers = pd.array(values, dtype="Int64").astype("Float64").to_numpy(float, na_value=np.nan)
    cut = pd.cut(numbers, bins=[*bounds, np.inf], right=False, labels=band_labels(bounds))
    return pd.Categorical(cut, categories=band_labels(bounds), ordered=True)
