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

_NUMBER = re.compile(r"(?<![\d.,])([-\u2212]?)(\d+)(?:[.,](\d+))?")
"""A number as typed: an optional minus sign, digits, an optional decimal part."""


def typed_numbers(text: str) -> list[tuple[int | None, int]]:
    """Every number typed in ``text``, with its count of whole digits.

    A minus sign directly before the digits makes the number negative; a decimal part of one
    or two zeros (``1978.0``, ``56,00``, as spreadsheets and SPSS write whole numbers) is
    dropped; a number with any other decimal part (``12.5``, ``2,000``) is None: it is not a
    whole number, or not certainly one.

    Examples
    --------
    >>> typed_numbers("ap. 25"), typed_numbers("-5"), typed_numbers("1978.0")
    ([(25, 2)], [(-5, 1)], [(1978, 4)])
    >>> typed_numbers("12,5 biedri"), typed_numbers("20-30")
    ([(None, 2)], [(20, 2), (30, 2)])
    """
    numbers: list[tuple[int | None, int]] = []
    for sign, digits, decimals in _NUMBER.findall(text):
        if decimals and (len(decimals) > 2 or decimals.strip("0")):
            numbers.append((None, len(digits)))
        else:
            numbers.append((-int(digits) if sign else int(digits), len(digits)))
    return numbers


def parse_year(text: str) -> int | None:
    """Read a year typed by hand: exactly one four-digit whole number in the text.

    Parameters
    ----------
    text
        The answer, e.g. ``"2005"``, ``"2005."``, ``"2005. gadā"``, ``"ap 1998"``, ``"1998.0"``.

    Returns
    -------
    int or None
        The year (negative when typed with a minus sign), or None when the text holds no
        number or more than one, or the number is not whole or does not have four digits.

    Examples
    --------
    >>> parse_year("2005. gadā"), parse_year("ap 1998"), parse_year("1998-2005")
    (2005, 1998, None)
    >>> parse_year("1978.0"), parse_year("1978.5")
    (1978, None)
    """
    numbers = typed_numbers(text)
    if len(numbers) != 1 or numbers[0][1] != 4:
        return None
    return numbers[0][0]


def parse_count(text: str) -> int | None:
    """Read a count typed by hand: exactly one whole number in the text (negative kept).

    Examples
    --------
    >>> parse_count("ap. 25"), parse_count("25 biedri"), parse_count("20-30")
    (25, 25, None)
    >>> parse_count("-5"), parse_count("56.0"), parse_count("12.5")
    (-5, 56, None)
    """
    numbers = typed_numbers(text)
    return numbers[0][0] if len(numbers) == 1 else None


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


_ISO_DATETIME = r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?"


def parse_iso_datetimes(text: pd.Series) -> pd.Series:
    """Parse cells written in ISO 8601 without a time zone (``2024-03-04 08:00:12``).

    Spreadsheet and SPSS date cells are read as such text (see
    :func:`ruralplan.survey.export_books.cell_text`); a typed timestamp in this form is
    unambiguous too, so cleaning accepts it besides the codebook's format.

    Parameters
    ----------
    text
        Stripped cells.

    Returns
    -------
    pandas.Series
        ``datetime64[us]``; other cells are ``NaT``.

    Examples
    --------
    >>> cells = pd.Series(["2024-03-04 08:00:12", "2024-03-04", "04.03.2024", "2024-02-30"])
    >>> [str(value) for value in parse_iso_datetimes(cells)]
    ['2024-03-04 08:00:12', '2024-03-04 00:00:00', 'NaT', 'NaT']
    """
    text = as_text(text)
    iso = text.str.fullmatch(_ISO_DATETIME).to_numpy(bool)
    values = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    if iso.any():
        parsed = pd.to_datetime(text[iso], format="ISO8601", errors="coerce")
        values[iso] = parsed.astype("datetime64[us]")
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
