"""Format numbers, percentages, intervals and dates for a report language, with Babel.

The symbols (decimal mark, digit grouping, month names) are the language's CLDR locale data,
read through Babel; the patterns of percentages and dates are messages of the language's
catalog (context ``number format`` / ``date format``), so that a translator can follow the
language's typography: Latvian writes "28,8 %" with a no-break space, which CLDR does not.
Rounding is half away from zero, as in a printed report, and is done before Babel formats the
number (Babel itself would round half to even).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal

from babel import dates, numbers

from ruralplan.i18n import translator

NBSP = "\u00a0"
DASH = "\u2013"
# The fraction part of a CLDR number pattern: ".###", ".00" (none in "#,##0%").
_FRACTION = re.compile(r"\.[0#]+")
_LAST_DIGIT = re.compile(r"0(?=[^0#,.]*$)")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


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
    >>> round_half_up(float("inf"), 2)
    inf
    """
    if decimals < 0:
        raise ValueError(f"`decimals` must be 0 or more, but {decimals} was passed.")
    # An infinite or missing value has no digits to round (Decimal's quantize refuses it):
    # an open interval limit, e.g. an odds ratio with a zero cell, stays infinite.
    if not math.isfinite(float(value)):
        return float(value)
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def _rounded(value: float | None, decimals: int) -> Decimal | None:
    """Round half up to an exact decimal; None for a missing value; never -0."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    rounded = round_half_up(value, decimals)
    return Decimal(repr(rounded if rounded != 0 else 0.0))


def with_decimals(pattern: str, decimals: int) -> str:
    """Give a CLDR number pattern exactly ``decimals`` fraction digits.

    Parameters
    ----------
    pattern
        A pattern such as ``"#,##0.###"`` or ``"#,##0\u00a0%"``.
    decimals
        Fraction digits, 0 or more.

    Returns
    -------
    str
        The pattern with its fraction part replaced.

    Examples
    --------
    >>> with_decimals("#,##0.###", 2), with_decimals("#,##0%", 1), with_decimals("0.0", 0)
    ('#,##0.00', '#,##0.0%', '0')
    """
    integer = _FRACTION.sub("", pattern, count=1)
    fraction = "." + "0" * decimals if decimals else ""
    return _LAST_DIGIT.sub("0" + fraction, integer, count=1)


def format_number(value: float | None, *, lang: str, decimals: int = 0) -> str:
    """Format a number with the decimal mark and digit grouping of ``lang``.

    Parameters
    ----------
    value
        The number; ``None`` or NaN gives an empty string.
    lang
        A report language (one with a catalog).
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
    locale = translator(lang).locale
    number = _rounded(value, decimals)
    if number is None:
        return ""
    pattern = with_decimals(locale.decimal_formats[None].pattern, decimals)
    return numbers.format_decimal(number, format=pattern, locale=locale)


def format_percent(value: float | None, *, lang: str, decimals: int = 1) -> str:
    """Format a percentage (0-100 scale) in the style of ``lang``.

    Parameters
    ----------
    value
        The percentage, e.g. ``28.77`` for 28.77 %; ``None`` or NaN gives an empty string.
    lang
        A report language.
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
    words = translator(lang)
    number = _rounded(value, decimals)
    if number is None:
        return ""
    # Translators: the CLDR pattern of a percentage; "%%" is the percent sign. Latvian
    # typography puts a no-break space before it.
    pattern = with_decimals(words.pgettext("number format", "#,##0%%"), decimals)
    return numbers.format_percent(number / 100, format=pattern, locale=words.locale)


def format_range(low: float | None, high: float | None, *, lang: str, decimals: int = 1) -> str:
    """Write an interval of two numbers, e.g. ``"22,2–36,8"``; empty when a bound is missing.

    Parameters
    ----------
    low, high
        The bounds.
    lang
        A report language.
    decimals
        Number of decimal places shown.

    Returns
    -------
    str
        The bounds joined by an en dash.
    """
    low_text = format_number(low, lang=lang, decimals=decimals)
    high_text = format_number(high, lang=lang, decimals=decimals)
    return f"{low_text}{DASH}{high_text}" if low_text and high_text else ""


def format_scientific(value: float, *, lang: str) -> str:
    """Write a very small or large number with two significant digits, e.g. ``2,5e-08``.

    Parameters
    ----------
    value
        The number.
    lang
        A report language: its decimal mark.

    Returns
    -------
    str
        The number in scientific notation.
    """
    symbol = numbers.get_decimal_symbol(translator(lang).locale)
    return f"{value:.1e}".replace(".", symbol)


def decimal_symbol(lang: str) -> str:
    """Return the decimal mark of ``lang`` (``","`` in Latvian, ``"."`` in English)."""
    return numbers.get_decimal_symbol(translator(lang).locale)


def format_date(value: str | dt.date, *, lang: str) -> str:
    """Write a date in full, e.g. ``"2024. gada 29. aprīlis"`` / ``"29 April 2024"``.

    Parameters
    ----------
    value
        A date or ``YYYY-MM-DD`` text.
    lang
        A report language; the pattern is its catalog's ``date format`` message.

    Returns
    -------
    str
        The date.

    Raises
    ------
    ValueError
        If ``value`` is not a valid ``YYYY-MM-DD`` date.
    """
    if not isinstance(value, dt.date):
        try:
            if not _ISO_DATE.fullmatch(str(value)):
                raise ValueError
            value = dt.date.fromisoformat(str(value))
        except ValueError:
            raise ValueError(f"date must be YYYY-MM-DD, but {value!r} was passed") from None
    words = translator(lang)
    # Translators: the CLDR pattern of a date written in full (d day, MMMM month name, y year).
    pattern = words.pgettext("date format", "d MMMM y")
    return dates.format_date(value, format=pattern, locale=words.locale)
