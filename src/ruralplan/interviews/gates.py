r"""Literal gates for the codebook's regular expressions: search a pattern only where it can match.

Searching every pattern in every segment costs more than all other coding work together, and
most segments cannot match most patterns: a match of ``\bnav\s+(?:naudas|laika)`` contains
``nav`` and one of ``naudas``, ``laika``. :func:`required_literals` reads such literal runs
from the pattern's source with a small, deliberately partial reader: whatever it does not
understand (classes, escapes, lookarounds, optional parts) simply yields no literal, and
a pattern it cannot read at all (inline flags, numeric escapes, conditionals) gets no gate and
is searched everywhere. One Aho-Corasick automaton (``pyahocorasick``) then finds all
literals of all patterns in one pass over a segment, and a pattern is searched only when each
of its literal sets has a member in the text.

Patterns are searched with :data:`re.IGNORECASE` in lower-cased text, so a literal ``s`` also
matches the long ``ſ``. The gate folds such characters before looking: :func:`fold_table` asks
``re`` itself which characters each literal character matches without case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache

import ahocorasick

_SPECIAL = frozenset("\\.^$*+?{}[]|()")
_CLASS_ESCAPES = frozenset("bBAZdDsSwWntrfv")  # read as no literal: classes, anchors, controls
_REPEAT_RE = re.compile(r"\{(\d*)(?:,\d*)?\}")
# group openings the reader knows: (?: (?> (?P<name> lookarounds (?# (?P=name) and plain (
_GROUP_RE = re.compile(r"\((\?:|\?>|\?P<\w+>|\?=|\?!|\?<=|\?<!|\?#|\?P=\w+\)|(?!\?))")

LiteralSets = tuple[frozenset[str], ...]


class _Unreadable(Exception):
    """The source uses syntax the literal reader leaves alone."""


def _class_end(source: str, index: int) -> int:
    """Return the index after the character class that starts at ``source[index] == "["``."""
    index += 1
    if source[index : index + 1] == "^":
        index += 1
    if source[index : index + 1] == "]":  # a leading "]" is a member, not the end
        index += 1
    while index < len(source):
        if source[index] == "\\":
            index += 2
        elif source[index] == "]":
            return index + 1
        else:
            index += 1
    raise _Unreadable


def _repeat(source: str, index: int) -> tuple[int | None, int]:
    """Return the minimum count of a quantifier at ``index`` (None if none) and its end."""
    if index >= len(source) or source[index] not in "*+?{":
        return None, index
    if source[index] == "{":
        found = _REPEAT_RE.match(source, index)
        if found is None:
            raise _Unreadable
        low, index = int(found.group(1) or 0), found.end()
    else:
        low, index = (1 if source[index] == "+" else 0), index + 1
    if source[index : index + 1] in ("?", "+"):  # lazy or possessive
        index += 1
    return low, index


def _group(source: str, index: int) -> tuple[list[frozenset[str]], int]:
    """Read the group at ``source[index] == "("``; return its literal sets and its end."""
    opening = _GROUP_RE.match(source, index)
    if opening is None:
        raise _Unreadable  # inline flags or a conditional group
    kind, index = opening.group(1), opening.end()
    if kind.startswith("?P="):  # a back-reference: no literal
        return [], index
    if kind == "?#":
        end = source.find(")", index)
        if end < 0:
            raise _Unreadable
        return [], end + 1
    branches, index = _alternation(source, index)
    if source[index : index + 1] != ")":
        raise _Unreadable
    lookaround = kind in ("?=", "?!", "?<=", "?<!")
    return ([] if lookaround else _either(branches)), index + 1


def _item(source: str, index: int) -> tuple[str | None, list[frozenset[str]], int]:
    """Read one item: a literal character (or None), the item's literal sets, and its end."""
    char = source[index]
    if char not in _SPECIAL:
        return char, [], index + 1
    if char == "\\":
        escaped = source[index + 1 : index + 2]
        if escaped in _CLASS_ESCAPES:
            return None, [], index + 2
        if not escaped or escaped.isalnum():
            raise _Unreadable  # \1, \x41, \N{...}: not worth reading
        return escaped, [], index + 2
    if char == "[":
        return None, [], _class_end(source, index)
    if char == "(":
        sets, end = _group(source, index)
        return None, sets, end
    if char in "*+?{":
        raise _Unreadable
    return None, [], index + 1  # . ^ $ ] }


def _sequence(source: str, index: int) -> tuple[list[frozenset[str]], int]:
    """Read items up to ``|``, ``)`` or the end; return the literal sets every match hits."""
    sets: list[frozenset[str]] = []
    run = ""
    while index < len(source) and source[index] not in "|)":
        literal, item_sets, index = _item(source, index)
        low, index = _repeat(source, index)
        if literal is not None and low != 0:
            run += literal
            if low is None:
                continue  # the run goes on
        if run:  # anything else ends the run of adjacent literal characters
            sets.append(frozenset({run}))
            run = ""
        if low is None or low >= 1:
            sets += item_sets
    if run:
        sets.append(frozenset({run}))
    return sets, index


def _alternation(source: str, index: int) -> tuple[list[list[frozenset[str]]], int]:
    """Read ``|``-separated branches up to an unmatched ``)`` or the end."""
    branches = []
    while True:
        sets, index = _sequence(source, index)
        branches.append(sets)
        if source[index : index + 1] != "|":
            return branches, index
        index += 1


def _strength(literals: frozenset[str]) -> tuple[int, int]:
    """Rank a literal set: longer shortest literal first, then fewer literals."""
    return min(len(literal) for literal in literals), -len(literals)


def _either(branches: Sequence[list[frozenset[str]]]) -> list[frozenset[str]]:
    """Literal sets of an alternation: a match goes through one branch and hits its sets.

    So the union of one set from each branch is hit; the strongest set of each is used.
    """
    if len(branches) == 1:
        return list(branches[0])
    if not all(branches):
        return []
    return [frozenset().union(*(max(sets, key=_strength) for sets in branches))]


def required_literals(pattern: str) -> LiteralSets:
    r"""Return sets of literal strings such that every match of ``pattern`` contains one of each.

    Parameters
    ----------
    pattern
        A regular expression of the codebook.

    Returns
    -------
    tuple of frozenset of str
        The sets, in the order read; empty when nothing is required or the pattern uses
        syntax the reader leaves alone (then the pattern is searched everywhere).

    Examples
    --------
    >>> [sorted(s) for s in required_literals(r"\b(?:nav|trūkst)\s+\w*zināšan\w*")]
    [['nav', 'trūkst'], ['zināšan']]
    >>> required_literals(r"ab?c*(?:x|)d{0,2}")
    (frozenset({'a'}),)
    >>> required_literals(r"(?i)nav")
    ()
    """
    try:
        re.compile(pattern)
        branches, end = _alternation(pattern, 0)
    except (re.error, _Unreadable):
        return ()
    if end != len(pattern):
        return ()
    return tuple(dict.fromkeys(_either(branches)))


@cache
def _all_characters() -> str:
    return "".join(map(chr, range(0x110000)))


@cache
def _caseless_matches(char: str) -> frozenset[str]:
    """Return every character that ``char`` matches with :data:`re.IGNORECASE` (``char`` too)."""
    return frozenset(re.findall(re.escape(char), _all_characters(), re.IGNORECASE))


def fold_table(chars: Iterable[str]) -> dict[str, str]:
    """Map each character that matches one of ``chars`` without case to one representative.

    Characters that match each other without case form one class; the representative is its
    smallest member that is its own lower case (``s`` for ``S``, ``s``, ``ſ``).

    Examples
    --------
    >>> table = fold_table("si")
    >>> table["ſ"], table["ı"], table["S"], "s" in table
    ('s', 'i', 's', False)
    """
    classes: list[set[str]] = []
    for char in sorted(set(chars)):
        members = set(_caseless_matches(char))
        overlapping = [group for group in classes if group & members]
        for group in overlapping:
            members |= group
            classes.remove(group)
        classes.append(members)
    table = {}
    for members in classes:
        lower = [member for member in members if member == member.lower()]
        representative = min(lower or members)
        table.update({member: representative for member in members if member != representative})
    return table


class PatternGate:
    """Tell, for a lower-cased text, which patterns can match in it (see the module docstring).

    Parameters
    ----------
    patterns
        The regular expressions, in the coder's order.
    """

    def __init__(self, patterns: Sequence[str]) -> None:
        required = [required_literals(pattern) for pattern in patterns]
        self.required = tuple(required)
        numbers: dict[frozenset[str], int] = {}
        for sets in required:
            for literals in sets:
                numbers.setdefault(literals, len(numbers))
        self.needs = tuple(sum(1 << numbers[literals] for literals in sets) for sets in required)
        table = fold_table({char for literals in numbers for text in literals for char in text})
        self._table = str.maketrans(table)
        chars = "".join(map(re.escape, sorted(table)))
        self._to_fold = re.compile(f"[{chars}]") if chars else None
        bits: dict[str, int] = {}
        for literals, number in numbers.items():
            for literal in literals:
                key = literal.translate(self._table)
                bits[key] = bits.get(key, 0) | 1 << number
        self._automaton = ahocorasick.Automaton() if bits else None
        if self._automaton is not None:
            for literal, mask in bits.items():
                self._automaton.add_word(literal, mask)
            self._automaton.make_automaton()

    def open(self, lowered: str) -> list[int]:
        """Return the numbers of the patterns whose literal sets all occur in ``lowered``."""
        met = 0
        if self._automaton is not None:
            if self._to_fold is not None and self._to_fold.search(lowered):
                lowered = lowered.translate(self._table)
            for _, mask in self._automaton.iter(lowered):
                met |= mask
        return [number for number, need in enumerate(self.needs) if need & met == need]
