"""Format numbers and percentages for Latvian and English text, tables and figures.

Latvian uses a decimal comma, a non-breaking space as thousands separator and a
non-breaking space before the percent sign ("28,8 %"); English uses a decimal point,
a comma as thousands separator and no space ("28.8%"). Rounding is half away from zero,
as in a printed report, not Python's half-to-even.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"
LANGS = ("lv", "en")


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"`lang` must be one of {list(LANGS)}, but {lang!r} was passed.")


def round_half_up(value: float, decimals: int) -> float:
    """Round half away from zero at ``decimals`` places, as printed tables do.

    Parameters
    ----------
    value
        The number to round.
    decimals
        Number of decimal places, 0 or more.

    Returns
    -------
    float
        The rounded number.

    Examples
    --------
    >>> round_half_up(0.125, 2), round_half_up(2.5, 0)
    (0.13, 3.0)
    """
    if decimals < 0:
        raise ValueError(f"`decimals` must be 0 or more, but {decimals} was passed.")
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def format_number(value: float | None, *, lang: str, decimals: int = 0) -> str:
    """Format a number with the decimal mark and digit grouping of ``lang``.

    Parameters
    ----------
    value
        The number; ``None`` or NaN gives an empty string.
    lang
        ``"lv"`` or ``"en"``.
    decimals
        Number of decimal places shown.

    Returns
    -------
    str
        The formatted number.

    Examples
    --------
    >>> format_number(1234.56, lang="lv", decimals=1) == "1\u00a0234,6"
    True
    >>> format_number(1234.56, lang="en", decimals=1)
    '1,234.6'
    """
    _check_lang(lang)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    rounded = round_half_up(value, decimals)
    if rounded == 0:
        rounded = 0.0  # never print "-0,0"
    text = f"{rounded:,.{decimals}f}"
    if lang == "lv":
        text = text.replace(",", NBSP).replace(".", ",")
    return text


def format_percent(value: float | None, *, lang: str, decimals: int = 1) -> str:
    """Format a percentage (0-100 scale) in the style of ``lang``.

    Parameters
    ----------
    value
        The percentage, e.g. ``28.77`` for 28.77 %; ``None`` or NaN gives an empty string.
    lang
        ``"lv"`` or ``"en"``.
    decimals
        Number of decimal places shown.

    Returns
    -------
    str
        ``"28,8\u00a0%"`` in Latvian, ``"28.8%"`` in English.

    Examples
    --------
    >>> format_percent(28.77, lang="en")
    '28.8%'
    """
    number = format_number(value, lang=lang, decimals=decimals)
    if not number:
        return ""
    return f"{number}{NBSP}%" if lang == "lv" else f"{number}%"
