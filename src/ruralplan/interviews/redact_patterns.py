"""Pattern rules of redaction: register values matched literally, and the codebook's patterns.

Register values of a category without ``{n}`` (phones, e-mails, codes, addresses...) become
literal rules. A value with digits and no long word (a phone, a personal code, an IBAN, a car
plate) matches with any separators between its characters and in any letter case, so
``040748-10559`` also finds ``04074810559`` and ``+371 2914 3307`` finds ``0037129143307``;
other values match word by word, with any case ending on words longer than three letters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pandas as pd

from ruralplan.interviews.words import fold, stem

_WORD_RE = re.compile(r"[^\W\d_]+")
_SEPARATORS = r"[ \t./()-]*"
_QUOTES = "\"'„“”«»‘’"
_COUNTRY = "371"  # Latvia: a national number is eight digits after it
_NATIONAL_DIGITS = 8

Rule = tuple[str, str, tuple[re.Pattern[str], ...]]
"""A category, its placeholder and its patterns, applied in this order."""


def _flexible(text: str, lang: str) -> str:
    """Escape ``text`` and let plain and palatalised consonants stand for each other."""
    pairs = {"n": "nņ", "l": "lļ", "k": "kķ", "g": "gģ", "c": "cč", "s": "sš", "z": "zž"}
    if lang != "lv":
        return re.escape(text.lower())
    return "".join(
        f"[{pairs[fold(ch)]}]" if fold(ch) in pairs else re.escape(ch) for ch in text.lower()
    )


def _is_code(value: str) -> bool:
    """Tell whether a value is a number or code rather than words (no word over 3 letters)."""
    return any(ch.isdigit() for ch in value) and not any(
        len(word) > 3 for word in _WORD_RE.findall(value)
    )


def code_pattern(value: str) -> re.Pattern[str]:
    """Match a number or code with any separators between its characters, in any case.

    A Latvian phone number given with its country code (``+371``, ``00371``) also matches
    without it, and the other way round.

    Examples
    --------
    >>> pattern = code_pattern("+371 2914 3307")
    >>> texts = ("0037129143307", "(+371) 29143307", "29.14.33.07", "2914 330")
    >>> [bool(pattern.fullmatch(t)) for t in texts]
    [True, True, True, False]
    >>> bool(code_pattern("040748-10559").fullmatch("04074810559"))
    True
    """
    chars = [ch for ch in value if ch.isalnum()]
    digits = "".join(chars)
    for prefix in ("00" + _COUNTRY, _COUNTRY):
        if digits.isdigit() and digits.startswith(prefix):
            if len(digits) - len(prefix) == _NATIONAL_DIGITS:
                chars = chars[len(prefix) :]
            break
    country = ""
    if digits.isdigit() and len(chars) == _NATIONAL_DIGITS:
        country = rf"(?:(?:\([ \t]*)?(?:\+|00)?[ \t]*{_COUNTRY}[ \t]*\)?{_SEPARATORS})?"
    body = _SEPARATORS.join(re.escape(ch) for ch in chars)
    return re.compile(rf"(?<![\w+(]){country}{body}(?!\w)", re.IGNORECASE)


def _token_pattern(token: str, lang: str) -> str:
    """Return the pattern of one word of a register value (quotes around it optional)."""
    word = token.strip(_QUOTES)
    if _WORD_RE.fullmatch(word) and len(word) > 3:
        body = _flexible(stem(word.lower(), lang), lang) + r"\w*"
    elif any(ch.isdigit() for ch in word):
        body = _SEPARATORS.join(re.escape(ch) for ch in word if ch.isalnum())
    else:
        return re.escape(token)
    return f"[{_QUOTES}]?{body}[{_QUOTES}]?" if word != token else body


def literal_pattern(value: str, lang: str) -> re.Pattern[str]:
    """Match a register value with any spacing and, for words, any case ending.

    Examples
    --------
    >>> bool(literal_pattern("Skolas iela 5", "lv").fullmatch("Skolas ielā 5"))
    True
    >>> bool(literal_pattern("“Lejasķikuri”", "lv").fullmatch("„Lejasķikuros”"))
    True
    """
    if _is_code(value):
        return code_pattern(value)
    body = r"[ \t-]*".join(_token_pattern(token, lang) for token in value.split())
    end = r"(?!\d)" if value[-1:].isdigit() else ""
    return re.compile(body + end, re.IGNORECASE)


def pattern_rules(
    register: pd.DataFrame,
    placeholders: Mapping[str, str],
    patterns: Mapping[str, Sequence[re.Pattern[str]]],
    lang: str,
) -> list[Rule]:
    """Return the rules of every category without ``{n}``: register values first, longest first.

    Parameters
    ----------
    register
        Protected values (``category, value``).
    placeholders
        Category -> placeholder; their order is the order the rules are applied in.
    patterns
        Category -> the codebook's regular expressions.
    lang
        Interview language (word endings follow it).

    Returns
    -------
    list
        ``(category, placeholder, patterns)`` in application order.
    """
    rules = []
    for category, template in placeholders.items():
        if "{n}" in template:
            continue
        values = register.loc[register["category"] == category, "value"]
        literal = [literal_pattern(v, lang) for v in sorted(set(values), key=len, reverse=True)]
        rules.append((category, template, (*literal, *patterns.get(category, ()))))
    return rules


def apply_rules(text: str, rules: Sequence[Rule]) -> tuple[str, dict[str, int]]:
    """Replace every match of ``rules`` by its placeholder; return the text and the counts."""
    counts: dict[str, int] = {}
    for category, template, compiled in rules:
        for pattern in compiled:
            text, replaced = pattern.subn(template, text)
            counts[category] = counts.get(category, 0) + replaced
    return text, counts
