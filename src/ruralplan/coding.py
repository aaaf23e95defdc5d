"""Segment interview transcripts and code them against a rule-based theme codebook.

The codebook (a YAML mapping, see ``docs/interviews.md``) is validated by
:func:`parse_codebook` and compiled once by :func:`compile_codebook`. Matching works on
lower-cased word tokens, each analysed once (cached) into three keys: the simplemma lemma, a
light stem (LatvianStemmer) and the stem of the lemma, with palatalised consonants folded so
that ``Kalniņa`` and ``Kalniņā`` share a key. Rules per code:

``lemmas``
    dictionary forms; a token matches when its lemma or its stem key equals the term's.
``forms``
    exact surface forms (for words whose stem is too short or ambiguous).
``stems``
    prefixes; a token matches when it starts with one (verbs, derived words); palatalised
    consonants are folded on both sides, so ``panel`` matches ``paneļus``.
``phrases``
    word sequences in order, each word matched as a lemma (or as a prefix when it ends in
    ``*``), with at most ``phrase_gap`` other words between neighbours.
``patterns``
    regular expressions searched in the lower-cased segment text.

A match preceded (within ``negation.window_before`` tokens) or followed (within
``negation.window_after``) by a negation cue is dropped unless the code sets
``negation: keep``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from re import _constants as _sre
from re import _parser as _re_parser
from typing import Any

import LatvianStemmer
import numpy as np
import pandas as pd
import simplemma
from matplotlib.figure import Figure

SEGMENT_COLUMNS = ["interview_id", "segment_id", "speaker", "role", "text"]
CODED_COLUMNS = ["interview_id", "segment_id", "speaker", "code", "matched_terms", "text"]
RULE_KINDS = ("lemmas", "forms", "stems", "phrases", "patterns")
_CODE_KEYS = {
    "id", "parent", "name_lv", "name_en", "definition", "use_when", "not_when", "color",
    "rules", "negation", "examples", "counter_examples",
}
_TOP_KEYS = {"codebook", "speakers", "negation", "matching", "codes", "sets", "redaction",
             "reliability"}
_FOLD = str.maketrans("ņļķģčšž", "nlkgcsz")
_TOKEN_RE = re.compile(r"\w+")
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
_COLOR_RE = re.compile(r"^#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")


class CodebookError(ValueError):
    """Raised when an interview codebook is malformed."""


class TranscriptError(ValueError):
    """Raised when a transcript does not follow the expected layout."""


@dataclass(frozen=True)
class Rules:
    """Matching rules of one code (see the module docstring)."""

    lemmas: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()
    stems: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    patterns: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        """Return True when no rule of any kind is given."""
        return not any(getattr(self, kind) for kind in RULE_KINDS)


@dataclass(frozen=True)
class Code:
    """One code of the theme codebook."""

    id: str
    name_lv: str
    name_en: str
    definition: str
    parent: str | None = None
    use_when: str = ""
    not_when: str = ""
    color: str | None = None
    rules: Rules = field(default_factory=Rules)
    keep_negated: bool = False
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()

    def name(self, lang: str) -> str:
        """Return the display name in ``lang`` (``lv`` or ``en``)."""
        return self.name_en if lang == "en" else self.name_lv


@dataclass(frozen=True)
class CodeSet:
    """A named group of codes (exported as a REFI-QDA ``Set``)."""

    id: str
    name_lv: str
    name_en: str
    members: tuple[str, ...]
    description: str = ""


@dataclass(frozen=True)
class ThemeCodebook:
    """A validated interview codebook."""

    meta: Mapping[str, Any]
    speakers: Mapping[str, str]
    codes: tuple[Code, ...]
    sets: tuple[CodeSet, ...] = ()
    negation_cues: frozenset[str] = frozenset()
    window_before: int = 3
    window_after: int = 0
    min_stem_length: int = 4
    phrase_gap: int = 2
    redaction: Mapping[str, Any] = field(default_factory=dict)
    gold_sets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def code(self, code_id: str) -> Code:
        """Return the code with id ``code_id``."""
        for code in self.codes:
            if code.id == code_id:
                return code
        raise KeyError(f"unknown code {code_id!r}")

    @property
    def leaves(self) -> tuple[Code, ...]:
        """Codes that have rules (the ones the coder applies)."""
        return tuple(code for code in self.codes if not code.rules.is_empty())

    def children(self, code_id: str | None) -> tuple[Code, ...]:
        """Return the codes whose parent is ``code_id`` (``None`` for top-level codes)."""
        return tuple(code for code in self.codes if code.parent == code_id)


# ---- codebook parsing ----------------------------------------------------------------------------


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, list):
        raise CodebookError(f"{where}: expected a list of strings, got {value!r}")
    bad = [item for item in value if not isinstance(item, str) or not item.strip()]
    if bad:
        raise CodebookError(f"{where}: expected non-empty strings, got {bad!r}")
    return tuple(item.strip() for item in value)


def _parse_rules(raw: Any, where: str) -> Rules:
    if raw is None:
        return Rules()
    if not isinstance(raw, dict):
        raise CodebookError(f"{where}.rules: expected a mapping of rule kinds, got {raw!r}")
    unknown = sorted(set(raw) - set(RULE_KINDS))
    if unknown:
        raise CodebookError(f"{where}.rules: unknown rule kinds {unknown}; allowed {RULE_KINDS}")
    values = {kind: _strings(raw.get(kind), f"{where}.rules.{kind}") for kind in RULE_KINDS}
    for pattern in values["patterns"]:
        try:
            re.compile(pattern)
        except re.error as error:
            raise CodebookError(f"{where}.rules.patterns: {pattern!r} is not a valid "
                                f"regular expression ({error})") from error
    phrases = tuple(tuple(phrase.lower().split()) for phrase in values.pop("phrases"))
    lowered = {kind: tuple(term.lower() for term in terms) for kind, terms in values.items()}
    lowered["patterns"] = values["patterns"]
    rules = Rules(phrases=phrases, **lowered)
    if rules.is_empty():
        raise CodebookError(f"{where}.rules: is empty; give at least one of {RULE_KINDS} "
                            "or leave `rules` out for a grouping code")
    return rules


def _parse_code(raw: Any, index: int, source: str) -> Code:
    where = f"{source}: codes[{index}]"
    if not isinstance(raw, dict):
        raise CodebookError(f"{where}: expected a mapping, got {raw!r}")
    where = f"{source}: code {raw.get('id', f'#{index}')!r}"
    unknown = sorted(set(raw) - _CODE_KEYS)
    if unknown:
        raise CodebookError(f"{where}: unknown keys {unknown}; allowed {sorted(_CODE_KEYS)}")
    missing = [key for key in ("id", "name_lv", "name_en", "definition") if not raw.get(key)]
    if missing:
        raise CodebookError(f"{where}: missing required keys {missing}")
    if not _ID_RE.match(str(raw["id"])):
        raise CodebookError(f"{where}: id must be dotted lower-case ASCII like `why.leader_role`")
    color = raw.get("color")
    if color is not None and not _COLOR_RE.match(str(color)):
        raise CodebookError(f"{where}: color must look like #RRGGBB, got {color!r}")
    negation = raw.get("negation", "drop")
    if negation not in ("drop", "keep"):
        raise CodebookError(f"{where}: negation must be `drop` or `keep`, got {negation!r}")
    return Code(
        id=str(raw["id"]), parent=raw.get("parent"), name_lv=str(raw["name_lv"]),
        name_en=str(raw["name_en"]), definition=str(raw["definition"]).strip(),
        use_when=str(raw.get("use_when", "")).strip(),
        not_when=str(raw.get("not_when", "")).strip(), color=color,
        rules=_parse_rules(raw["rules"], where) if "rules" in raw else Rules(),
        keep_negated=negation == "keep",
        examples=_strings(raw.get("examples"), f"{where}.examples"),
        counter_examples=_strings(raw.get("counter_examples"), f"{where}.counter_examples"),
    )


def _check_structure(codes: Sequence[Code], source: str) -> None:
    seen: set[str] = set()
    duplicates = sorted({code.id for code in codes if code.id in seen or seen.add(code.id)})
    if duplicates:
        raise CodebookError(f"{source}: duplicate code ids {duplicates}")
    for code in codes:
        if code.parent is not None and code.parent not in seen:
            raise CodebookError(f"{source}: code {code.id!r} names unknown parent "
                                f"{code.parent!r}; known ids are {sorted(seen)}")
    parents = {code.parent for code in codes}
    empty = [code.id for code in codes if code.rules.is_empty() and code.id not in parents]
    if empty:
        raise CodebookError(f"{source}: codes {empty} have no rules and no children; "
                            "give each leaf code at least one rule")
    for code in codes:
        chain, current = [code.id], code.parent
        while current is not None:
            if current in chain:
                raise CodebookError(f"{source}: parent cycle {chain + [current]}")
            chain.append(current)
            current = next(c.parent for c in codes if c.id == current)


def _parse_sets(raw: Any, known: set[str], source: str) -> tuple[CodeSet, ...]:
    sets = []
    for index, item in enumerate(raw or []):
        where = f"{source}: sets[{index}]"
        if not isinstance(item, dict) or not item.get("id") or not item.get("members"):
            raise CodebookError(f"{where}: expected a mapping with `id`, `name_lv`, `name_en`, "
                                "`members`")
        members = _strings(item["members"], f"{where}.members")
        unknown = sorted(set(members) - known)
        if unknown:
            raise CodebookError(f"{where}: unknown member codes {unknown}")
        sets.append(CodeSet(id=str(item["id"]), name_lv=str(item.get("name_lv", item["id"])),
                            name_en=str(item.get("name_en", item["id"])), members=members,
                            description=str(item.get("description", "")).strip()))
    return tuple(sets)


def _parse_speakers(raw: Any, source: str) -> dict[str, str]:
    if not isinstance(raw, dict) or not raw.get("respondent"):
        raise CodebookError(f"{source}: `speakers` must map roles (interviewer, respondent) "
                            "to lists of speaker labels")
    labels = {}
    for role, names in raw.items():
        for name in _strings(names, f"{source}: speakers.{role}"):
            if name in labels:
                raise CodebookError(f"{source}: speaker label {name!r} is listed twice")
            labels[name] = str(role)
    return labels


def _parse_gold_sets(raw: Any, source: str) -> dict[str, tuple[str, ...]]:
    """Read ``reliability.sets``: named sets of gold-coded interviews (e.g. held out)."""
    if raw is None:
        return {}
    sets = raw.get("sets") if isinstance(raw, dict) else None
    if not isinstance(sets, dict) or sorted(set(raw) - {"sets"}):
        raise CodebookError(f"{source}: `reliability` must be a mapping with one key `sets` "
                            "mapping set names to lists of interview ids")
    return {str(name): _strings(ids, f"{source}: reliability.sets.{name}")
            for name, ids in sets.items()}


def parse_codebook(raw: Any, *, source: str = "codebook") -> ThemeCodebook:
    """Validate a codebook mapping (as read from YAML) and return a :class:`ThemeCodebook`.

    Parameters
    ----------
    raw
        The parsed YAML document.
    source
        Name used in error messages, normally the file path.

    Returns
    -------
    ThemeCodebook
        The validated codebook.

    Raises
    ------
    CodebookError
        On unknown keys, duplicate ids, unknown parents, empty rules, bad patterns.
    """
    if not isinstance(raw, dict) or not isinstance(raw.get("codes"), list) or not raw["codes"]:
        raise CodebookError(f"{source}: expected a mapping with a non-empty `codes` list")
    unknown = sorted(set(raw) - _TOP_KEYS)
    if unknown:
        raise CodebookError(f"{source}: unknown top-level keys {unknown}; allowed "
                            f"{sorted(_TOP_KEYS)}")
    codes = tuple(_parse_code(item, i, source) for i, item in enumerate(raw["codes"]))
    _check_structure(codes, source)
    negation = raw.get("negation") or {}
    matching = raw.get("matching") or {}
    return ThemeCodebook(
        meta=dict(raw.get("codebook") or {}),
        speakers=_parse_speakers(raw.get("speakers"), source),
        codes=codes,
        sets=_parse_sets(raw.get("sets"), {code.id for code in codes}, source),
        negation_cues=frozenset(t.lower() for t in _strings(negation.get("cues"),
                                                             f"{source}: negation.cues")),
        window_before=int(negation.get("window_before", 3)),
        window_after=int(negation.get("window_after", 0)),
        min_stem_length=int(matching.get("min_stem_length", 4)),
        phrase_gap=int(matching.get("phrase_gap", 2)),
        redaction=dict(raw.get("redaction") or {}),
        gold_sets=_parse_gold_sets(raw.get("reliability"), source),
    )


def codebook_table(codebook: ThemeCodebook, *, lang: str = "lv") -> pd.DataFrame:
    """Return one row per code: id, parent, depth, name, definition and rule counts.

    Parameters
    ----------
    codebook
        The codebook.
    lang
        Language of the ``name`` column.

    Returns
    -------
    pandas.DataFrame
        Columns ``code, parent, depth, name, definition, use_when, not_when, n_rules``.
    """
    parents = {code.id: code.parent for code in codebook.codes}
    rows = []
    for code in codebook.codes:
        depth, current = 0, code.parent
        while current is not None:
            depth, current = depth + 1, parents[current]
        n_rules = sum(len(getattr(code.rules, kind)) for kind in RULE_KINDS)
        rows.append((code.id, code.parent, depth, code.name(lang), code.definition,
                     code.use_when, code.not_when, n_rules))
    return pd.DataFrame(rows, columns=["code", "parent", "depth", "name", "definition",
                                       "use_when", "not_when", "n_rules"])


# ---- segmentation --------------------------------------------------------------------------------


def _label_regex(speakers: Mapping[str, str]) -> re.Pattern[str]:
    labels = sorted(speakers, key=len, reverse=True)
    return re.compile(r"^(" + "|".join(re.escape(label) for label in labels) + r"): ?(.*)$")


def _segment_rows(
    text: str, interview_id: str, speakers: Mapping[str, str], label_re: re.Pattern[str],
    source: str,
) -> list[tuple[str, str, str, str, str]]:
    """Return one ``SEGMENT_COLUMNS`` tuple per paragraph of a transcript."""
    paragraphs: list[list[str]] = []
    owners: list[str] = []
    speaker, fresh = None, True
    plain_labels = not any(":" in label for label in speakers)  # then a split finds the label
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if plain_labels:
            head, colon, rest = stripped.partition(":")
            label = (head, rest) if colon and head in speakers else None
        else:
            match = label_re.match(stripped)
            label = match.groups() if match else None
        if label:
            speaker, fresh, stripped = label[0], True, label[1].strip()
        if not stripped:
            fresh = True
            continue
        if number == 1 and stripped.startswith("#"):
            continue
        if speaker is None:
            raise TranscriptError(f"{source}, line {number}: text before the first speaker "
                                  f"label; expected a line starting with one of "
                                  f"{sorted(speakers)} followed by ': '")
        if fresh:
            paragraphs.append([])
            owners.append(speaker)
            fresh = False
        paragraphs[-1].append(stripped)
    return [(interview_id, f"s{i:03d}", who, speakers[who], " ".join(lines))
            for i, (who, lines) in enumerate(zip(owners, paragraphs, strict=True), start=1)]


def split_segments(
    text: str, *, interview_id: str, speakers: Mapping[str, str], source: str = "transcript"
) -> pd.DataFrame:
    """Split a transcript into segments: paragraphs of speaker turns, numbered ``s001``...

    The first line may be a ``#`` header. Each turn starts with ``LABEL: `` at the start of a
    line and runs to the next label; blank lines separate paragraphs within a turn.

    Parameters
    ----------
    text
        The transcript.
    interview_id
        Identifier stored on every segment.
    speakers
        Speaker label mapped to its role (``interviewer`` or ``respondent``).
    source
        Name used in error messages, normally the file path.

    Returns
    -------
    pandas.DataFrame
        Columns ``interview_id, segment_id, speaker, role, text``.

    Raises
    ------
    TranscriptError
        If text appears before the first speaker label.
    """
    rows = _segment_rows(text, interview_id, speakers, _label_regex(speakers), source)
    return pd.DataFrame(rows, columns=SEGMENT_COLUMNS)


def segment_transcripts(
    transcripts: Mapping[str, str], *, speakers: Mapping[str, str]
) -> pd.DataFrame:
    """Segment several transcripts (interview id -> text), in sorted id order.

    Parameters
    ----------
    transcripts
        Interview id mapped to the transcript text.
    speakers
        Speaker label mapped to its role.

    Returns
    -------
    pandas.DataFrame
        Columns ``interview_id, segment_id, speaker, role, text``.
    """
    label_re = _label_regex(speakers)
    rows = []
    for key in sorted(transcripts):
        rows += _segment_rows(transcripts[key], key, speakers, label_re, key)
    return pd.DataFrame(rows, columns=SEGMENT_COLUMNS)


# ---- token analysis ------------------------------------------------------------------------------


def fold(word: str) -> str:
    """Fold Latvian palatalised consonants to their plain forms (``ņ`` -> ``n``...).

    Examples
    --------
    >>> fold("kalniņ")
    'kalnin'
    """
    return word.translate(_FOLD)


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """Return the simplemma lemma of a lower-case Latvian word (cached)."""
    return simplemma.lemmatize(word, lang="lv").lower()


@lru_cache(maxsize=200_000)
def stem_key(word: str) -> str:
    """Return the folded LatvianStemmer stem of a lower-case word (cached).

    Examples
    --------
    >>> stem_key("kalniņā") == stem_key("kalniņa") == "kalnin"
    True
    """
    return fold(LatvianStemmer.stem(word))


def word_keys(word: str) -> tuple[str, str, str]:
    """Return the lemma, the stem key and the stem key of the lemma of a lower-case word."""
    base = lemma(word)
    return base, stem_key(word), stem_key(base)


# ---- compiled matcher ----------------------------------------------------------------------------

# Characters a regex literal may contribute to a gate (see `required_literals`): with
# re.IGNORECASE, each of them matches only itself in lower-cased text, except that `i` also
# matches the dotless `ı` and `s` the long `ſ`; tokens are folded by `_GATE_FOLD` to match.
_GATE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_āčēģīķļņšūž")
_GATE_FOLD = str.maketrans({"ı": "i", "ſ": "s"})
_LOOKAROUND = (_sre.ASSERT, _sre.ASSERT_NOT)
_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT)
_EDGE_BEFORE = (_sre.AT_BOUNDARY, _sre.AT_BEGINNING, _sre.AT_BEGINNING_STRING)
_EDGE_AFTER = (_sre.AT_BOUNDARY, _sre.AT_END, _sre.AT_END_STRING)
_NONWORD_CLASSES = (_sre.CATEGORY_SPACE, _sre.CATEGORY_NOT_WORD, _sre.CATEGORY_DIGIT)


def _is_nonword_char(code: int) -> bool:
    char = chr(code)
    return not any(c.isalnum() or c == "_" for c in (char, char.lower(), char.upper()))


def _consumes_nonword(op: Any, value: Any) -> bool:
    """Return True if the item always consumes at least one non-word character."""
    if op is _sre.LITERAL:
        return _is_nonword_char(value)
    if op is _sre.IN:
        return all((kind is _sre.LITERAL and _is_nonword_char(arg)) or
                   (kind is _sre.CATEGORY and arg in _NONWORD_CLASSES[:2]) for kind, arg in value)
    if op in _REPEATS and value[0] >= 1 and len(value[2]) == 1:
        return _consumes_nonword(*value[2][0])
    return False


def _word_edge(items: Sequence[tuple[Any, Any]], start: int, step: int, outer: bool) -> bool:
    """Return True if a word-character run next to ``items[start]`` must end a token there.

    ``step`` is -1 to look before the run, 1 to look after it; ``outer`` is the answer at the
    edge of ``items`` (inherited from the enclosing group).
    """
    edges = _EDGE_BEFORE if step < 0 else _EDGE_AFTER
    index = start
    while 0 <= index < len(items):
        op, value = items[index]
        if op is _sre.AT:
            return value in edges
        if _consumes_nonword(op, value):
            return True
        optional = op in _REPEATS and value[0] == 0 and len(value[2]) == 1 \
            and _consumes_nonword(*value[2][0])
        if not (op in _LOOKAROUND or optional):
            return False
        index += step
    return outer


def _item_literals(op: Any, value: Any, edges: tuple[bool, bool]) -> list[frozenset[str]]:
    """Return literal sets that a match of one parsed regex item must each hit.

    ``edges`` tells whether a token must end just before and just after the item.
    """
    if op is _sre.SUBPATTERN:
        return _sequence_literals(value[-1], edges)
    if op is _sre.ATOMIC_GROUP:
        return _sequence_literals(value, edges)
    if op in _REPEATS:
        return _sequence_literals(value[2]) if value[0] >= 1 else []
    if op is _sre.BRANCH:
        branches = [_sequence_literals(branch, edges) for branch in value[1]]
        if not all(branches):
            return []
        return [frozenset().union(*(max(branch, key=_strength) for branch in branches))]
    return []


def _strength(literals: frozenset[str]) -> tuple[int, int]:
    """Rank literal sets: longer shortest literal (an edge marker counts 2) and fewer first."""
    return min(len(lit) + lit.count("<") + lit.count(">") for lit in literals), -len(literals)


def _sequence_literals(
    items: Sequence[tuple[Any, Any]], edges: tuple[bool, bool] = (False, False)
) -> list[frozenset[str]]:
    """Return literal sets that a match of a parsed regex sequence must each hit."""
    items = list(items)
    before, after = edges
    required: list[frozenset[str]] = []
    run: list[str] = []
    for index, (op, value) in enumerate([*items, (None, None)]):
        if op is _sre.LITERAL and chr(value).lower() in _GATE_CHARS:
            if not run and _word_edge(items, index - 1, -1, before):
                run.append("<")
            run.append(chr(value).lower())
            continue
        if run:
            end = ">" if _word_edge(items, index, 1, after) else ""
            required.append(frozenset({"".join(run) + end}))
            run = []
        if op is not None:
            required += _item_literals(op, value, (_word_edge(items, index - 1, -1, before),
                                                   _word_edge(items, index + 1, 1, after)))
    return required


def _literal_in(literal: str, token: str) -> bool:
    """Test a gate literal (``<`` = at the token's start, ``>`` = at its end) on a token."""
    if literal.startswith("<"):
        if literal.endswith(">"):
            return token == literal[1:-1]
        return token.startswith(literal[1:])
    if literal.endswith(">"):
        return token.endswith(literal[:-1])
    return literal in token


def required_literals(pattern: str) -> tuple[frozenset[str], ...]:
    r"""Return the sets of word-character literals that every match of ``pattern`` must hit.

    Every match contains at least one literal of each set. ``<`` marks a literal that must
    start a token (``\w+`` run) and ``>`` one that must end it. The coder searches a pattern
    only in segments whose lower-cased tokens meet every set; a pattern with no required
    literal (empty tuple) is searched in every segment.

    Parameters
    ----------
    pattern
        A regular expression, matched case-insensitively on lower-cased text.

    Returns
    -------
    tuple of frozenset of str
        The required sets, strongest first.

    Examples
    --------
    >>> [sorted(s) for s in required_literals(r"\b(?:nav|trūkst)\s+\w*zināšan\w*")]
    [['zināšan'], ['<nav>', '<trūkst>']]
    >>> [sorted(s) for s in required_literals(r"\btā,?\s+kā")]
    [['<tā>'], ['<kā']]
    >>> required_literals(r"a?")
    ()
    """
    try:
        parsed = _re_parser.parse(pattern, re.IGNORECASE)
    except re.error:
        return ()
    sets = set(_sequence_literals(parsed))
    return tuple(sorted(sets, key=lambda s: (_strength(s), sorted(s)), reverse=True))


@dataclass
class _Matcher:
    """Lookup tables compiled from a codebook; caches one analysis per distinct token."""

    lemma_index: dict[str, list[tuple[str, str]]]
    stem_index: dict[str, list[tuple[str, str]]]
    form_index: dict[str, list[tuple[str, str]]]
    prefixes: list[tuple[str, str, str]]
    phrases: list[tuple[str, tuple[str, ...]]]
    patterns: list[tuple[str, re.Pattern[str], tuple[frozenset[str], ...]]]
    keep_negated: frozenset[str]
    negation_cues: frozenset[str]
    window_before: int
    window_after: int
    phrase_gap: int
    min_stem_length: int
    phrase_words: frozenset[str] = frozenset()
    words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    hits: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    fitted: dict[str, frozenset[str]] = field(default_factory=dict)
    phrase_starts: dict[str, frozenset[int]] = field(default_factory=dict)
    groups: tuple[frozenset[str], ...] = ()
    needs: tuple[frozenset[int], ...] = ()
    group_hits: dict[str, frozenset[int]] = field(default_factory=dict)


def compile_codebook(codebook: ThemeCodebook) -> _Matcher:
    """Build the lookup tables used by :func:`code_segments`.

    Parameters
    ----------
    codebook
        The validated codebook.

    Returns
    -------
    object
        An opaque matcher; pass it to :func:`code_segments` or :func:`code_text`.
    """
    lemma_index: dict[str, list[tuple[str, str]]] = {}
    stem_index: dict[str, list[tuple[str, str]]] = {}
    form_index: dict[str, list[tuple[str, str]]] = {}
    prefixes, phrases, patterns = [], [], []
    for code in codebook.leaves:
        for term in code.rules.lemmas:
            lemma_index.setdefault(term, []).append((code.id, term))
            key = stem_key(term)
            if len(key) >= codebook.min_stem_length:
                stem_index.setdefault(key, []).append((code.id, term))
        for term in code.rules.forms:
            form_index.setdefault(term, []).append((code.id, term))
        prefixes += [(fold(prefix), code.id, prefix + "*") for prefix in code.rules.stems]
        phrases += [(code.id, phrase) for phrase in code.rules.phrases]
        patterns += [(code.id, re.compile(p, re.IGNORECASE), required_literals(p))
                     for p in code.rules.patterns]
    groups = tuple(sorted({group for *_, gate in patterns for group in gate}, key=sorted))
    return _Matcher(
        lemma_index=lemma_index, stem_index=stem_index, form_index=form_index,
        prefixes=prefixes, phrases=phrases, patterns=patterns,
        keep_negated=frozenset(code.id for code in codebook.codes if code.keep_negated),
        negation_cues=codebook.negation_cues, window_before=codebook.window_before,
        window_after=codebook.window_after, phrase_gap=codebook.phrase_gap,
        min_stem_length=codebook.min_stem_length,
        phrase_words=frozenset(w for _, phrase in phrases for w in phrase),
        groups=groups,
        needs=tuple(frozenset(groups.index(group) for group in gate) for *_, gate in patterns),
    )


def _token_hits(matcher: _Matcher, token: str) -> tuple[tuple[str, str], ...]:
    base, key, base_key = word_keys(token)
    hits = list(matcher.form_index.get(token, ()))
    hits += matcher.lemma_index.get(base, ())
    hits += matcher.stem_index.get(key, ())
    if base_key != key:
        hits += matcher.stem_index.get(base_key, ())
    folded = fold(token)
    hits += [(code, label) for prefix, code, label in matcher.prefixes if folded.startswith(prefix)]
    return tuple(sorted(set(hits)))


def _fitting_words(matcher: _Matcher, token: str) -> frozenset[str]:
    """Return the phrase words ``token`` fits: by prefix (``word*``), lemma, form or stem key."""
    base, key, base_key = word_keys(token)
    folded = fold(token)
    fitting = []
    for word in matcher.phrase_words:
        if word.endswith("*"):
            if folded.startswith(fold(word[:-1])):
                fitting.append(word)
        elif word in (base, token) or (len(word_key := stem_key(word)) >= matcher.min_stem_length
                                       and word_key in (key, base_key)):
            fitting.append(word)
    return frozenset(fitting)


def _analyse(matcher: _Matcher, token: str) -> None:
    """Record what a new token can match: rule hits, phrase words, phrase and pattern starts."""
    matcher.seen.add(token)
    hits = _token_hits(matcher, token)
    if hits:
        matcher.hits[token] = hits
    fitted = _fitting_words(matcher, token)
    if fitted:
        matcher.fitted[token] = fitted
        matcher.phrase_starts[token] = frozenset(
            i for i, (_, phrase) in enumerate(matcher.phrases) if phrase[0] in fitted)
    gate_key = token.translate(_GATE_FOLD)
    groups = frozenset(i for i, group in enumerate(matcher.groups)
                       if any(_literal_in(literal, gate_key) for literal in group))
    if groups:
        matcher.group_hits[token] = groups


def _tokenise(matcher: _Matcher, text: str) -> list[str]:
    r"""Return the lower-cased ``\\w+`` tokens of ``text``, caching each whitespace word."""
    words = text.split()
    known = matcher.words
    for word in set(words).difference(known):
        known[word] = tuple(_TOKEN_RE.findall(word.lower()))
    return list(chain.from_iterable(map(known.__getitem__, words)))


def _negated(matcher: _Matcher, tokens: Sequence[str], start: int, end: int) -> bool:
    before = tokens[max(0, start - matcher.window_before):start]
    after = tokens[end + 1:end + 1 + matcher.window_after]
    cues = matcher.negation_cues
    return any(token in cues for token in before) or any(token in cues for token in after)


def _phrase_positions(
    matcher: _Matcher, tokens: Sequence[str], fitted: Mapping[str, frozenset[str]],
    phrase: Sequence[str],
):
    """Yield (start, end) token positions where ``phrase`` occurs in order within the gap."""
    limit = matcher.phrase_gap + 1
    for start, token in enumerate(tokens):
        if phrase[0] not in fitted.get(token, ()):
            continue
        position = start
        for word in phrase[1:]:
            following = range(position + 1, min(len(tokens), position + 1 + limit))
            position = next((i for i in following if word in fitted.get(tokens[i], ())), -1)
            if position < 0:
                break
        if position >= 0:
            yield start, position


def _add(found: dict[str, list[str]], code: str, term: str) -> None:
    terms = found.setdefault(code, [])
    if term not in terms:
        terms.append(term)


def _collect_token_hits(
    matcher: _Matcher, tokens: list[str], hit_tokens: set[str], found: dict[str, list[str]]
) -> None:
    positions = sorted(index for token in hit_tokens for index in _positions(tokens, token))
    for index in positions:
        for code, term in matcher.hits[tokens[index]]:
            if code in matcher.keep_negated or not _negated(matcher, tokens, index, index):
                _add(found, code, term)


def _positions(tokens: list[str], token: str) -> list[int]:
    """Return every index of ``token`` in ``tokens``."""
    found, index = [], tokens.index(token)
    while True:
        found.append(index)
        try:
            index = tokens.index(token, index + 1)
        except ValueError:
            return found


def _collect_phrase_hits(
    matcher: _Matcher, tokens: list[str], unique: set[str], found: dict[str, list[str]]
) -> None:
    starts = matcher.phrase_starts
    candidates = frozenset().union(*(starts[token] for token in starts.keys() & unique))
    if not candidates:
        return
    fitted = {token: matcher.fitted[token] for token in matcher.fitted.keys() & unique}
    present = frozenset().union(*fitted.values())
    for number in sorted(candidates):
        code, phrase = matcher.phrases[number]
        if not present.issuperset(phrase):
            continue
        for start, end in _phrase_positions(matcher, tokens, fitted, phrase):
            if code in matcher.keep_negated or not _negated(matcher, tokens, start, end):
                _add(found, code, " ".join(phrase))
                break


def _collect_pattern_hits(
    matcher: _Matcher, text: str, unique: set[str], found: dict[str, list[str]]
) -> None:
    group_hits = matcher.group_hits
    met = frozenset().union(*(group_hits[token] for token in group_hits.keys() & unique))
    candidates = [number for number, needs in enumerate(matcher.needs) if needs <= met]
    if candidates:
        lowered = text.lower()
        for number in candidates:
            code, pattern, _ = matcher.patterns[number]
            if pattern.search(lowered):
                _add(found, code, f"/{pattern.pattern}/")


def code_text(matcher: _Matcher, text: str) -> dict[str, list[str]]:
    """Return the codes matched in ``text`` with the terms that matched, in rule order.

    The text is tokenised once; each distinct token is analysed once per matcher (rule hits,
    the phrases and patterns it can start). A pattern is searched only when the segment
    contains its required literals (see :func:`required_literals`).

    Parameters
    ----------
    matcher
        From :func:`compile_codebook`.
    text
        One segment of text.

    Returns
    -------
    dict
        Code id mapped to the list of matched terms (``lemma``, ``prefix*``, phrase text or
        ``/pattern/``), without negated matches unless the code keeps them.
    """
    tokens = _tokenise(matcher, text)
    unique = set(tokens)
    for token in unique.difference(matcher.seen):
        _analyse(matcher, token)
    found: dict[str, list[str]] = {}
    hit_tokens = matcher.hits.keys() & unique
    if hit_tokens:
        _collect_token_hits(matcher, tokens, hit_tokens, found)
    _collect_phrase_hits(matcher, tokens, unique, found)
    _collect_pattern_hits(matcher, text, unique, found)
    return found


def code_segments(
    segments: pd.DataFrame, codebook: ThemeCodebook, *, roles: Iterable[str] = ("respondent",)
) -> pd.DataFrame:
    """Code every segment spoken in one of ``roles``; one row per segment and code.

    Parameters
    ----------
    segments
        From :func:`segment_transcripts`.
    codebook
        The codebook whose leaf codes are applied.
    roles
        Speaker roles to code; interviewer segments are not coded by default.

    Returns
    -------
    pandas.DataFrame
        Columns ``interview_id, segment_id, speaker, code, matched_terms, text``, sorted by
        interview, segment and code; ``matched_terms`` joins terms with ``"; "``.
    """
    matcher = compile_codebook(codebook)
    wanted = set(roles)
    columns = [segments[name].tolist() for name in SEGMENT_COLUMNS]
    rows = []
    for interview_id, segment_id, speaker, role, text in zip(*columns, strict=True):
        if role not in wanted:
            continue
        found = code_text(matcher, text)
        rows += [(interview_id, segment_id, speaker, code, "; ".join(found[code]), text)
                 for code in sorted(found)]
    coded = pd.DataFrame(rows, columns=CODED_COLUMNS)
    return coded.sort_values(["interview_id", "segment_id", "code"], ignore_index=True)


def check_examples(codebook: ThemeCodebook) -> pd.DataFrame:
    """Code each code's ``examples`` and ``counter_examples`` and report the misses.

    Parameters
    ----------
    codebook
        The codebook.

    Returns
    -------
    pandas.DataFrame
        Columns ``code, kind, text, matched``: one row per example that should match but does
        not (``kind == "example"``) or should not match but does (``"counter_example"``).
    """
    matcher = compile_codebook(codebook)
    rows = []
    for code in codebook.leaves:
        for text in code.examples:
            matched = code_text(matcher, text)
            if code.id not in matched:
                rows.append((code.id, "example", text, ", ".join(sorted(matched))))
        for text in code.counter_examples:
            matched = code_text(matcher, text)
            if code.id in matched:
                rows.append((code.id, "counter_example", text, ", ".join(sorted(matched))))
    return pd.DataFrame(rows, columns=["code", "kind", "text", "matched"])


def ambiguous_terms(codebook: ThemeCodebook) -> pd.DataFrame:
    """List lemma terms whose stem is too short to match on, or shared across codes.

    Parameters
    ----------
    codebook
        The codebook.

    Returns
    -------
    pandas.DataFrame
        Columns ``term, stem, codes, reason``, sorted by term.
    """
    owners: dict[str, set[str]] = {}
    terms: dict[str, set[str]] = {}
    for code in codebook.leaves:
        for term in code.rules.lemmas:
            key = stem_key(term)
            owners.setdefault(key, set()).add(code.id)
            terms.setdefault(key, set()).add(term)
    rows = []
    for key in sorted(owners):
        for term in sorted(terms[key]):
            if len(key) < codebook.min_stem_length:
                rows.append((term, key, ", ".join(sorted(owners[key])), "stem too short: "
                             "matched on the lemma or exact form only"))
            elif len(owners[key]) > 1:
                rows.append((term, key, ", ".join(sorted(owners[key])), "stem shared by codes"))
    return pd.DataFrame(rows, columns=["term", "stem", "codes", "reason"])


# ---- summaries -----------------------------------------------------------------------------------


def code_matrix(
    coded: pd.DataFrame, codebook: ThemeCodebook, interviews: Sequence[str], *, lang: str = "lv"
) -> pd.DataFrame:
    """Count coded segments per leaf code and interview.

    Parameters
    ----------
    coded
        From :func:`code_segments`.
    codebook
        Gives the leaf codes (rows, in codebook order) and their names.
    interviews
        Interview ids (columns), including those with no coded segment.
    lang
        Language of the ``name`` column.

    Returns
    -------
    pandas.DataFrame
        Columns ``code, name``, one count column per interview, ``n_interviews`` (interviews
        with at least one segment) and ``n_segments``.
    """
    ids = [code.id for code in codebook.leaves]
    counts = pd.crosstab(coded["code"], coded["interview_id"]) if len(coded) else pd.DataFrame()
    counts = counts.reindex(index=ids, columns=list(interviews), fill_value=0).astype("int64")
    table = counts.reset_index(names="code")
    table.insert(1, "name", [codebook.code(code).name(lang) for code in ids])
    table["n_interviews"] = (counts > 0).sum(axis=1).to_numpy()
    table["n_segments"] = counts.sum(axis=1).to_numpy()
    table.columns.name = None
    return table


def cooccurrence(coded: pd.DataFrame, codes: Sequence[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Count segments coded with both codes, and the c-coefficient n12 / (n1 + n2 - n12).

    Parameters
    ----------
    coded
        From :func:`code_segments`.
    codes
        Codes in display order (rows and columns).

    Returns
    -------
    tuple of pandas.DataFrame
        Square count table (diagonal: segments with the code) and square c-coefficient table
        (diagonal 1 where the code occurs, NaN for codes never applied), both indexed by code.

    Examples
    --------
    >>> coded = pd.DataFrame({"interview_id": ["a"] * 3, "segment_id": ["s1", "s1", "s2"],
    ...                       "code": ["x", "y", "x"]})
    >>> cooccurrence(coded, ["x", "y"])[1].loc["x", "y"]
    np.float64(0.5)
    """
    units = coded.assign(unit=coded["interview_id"] + "/" + coded["segment_id"])
    presence = pd.crosstab(units["unit"], units["code"]).clip(upper=1)
    presence = presence.reindex(columns=list(codes), fill_value=0).astype("int64")
    counts = presence.T @ presence
    counts = counts.reindex(index=list(codes), columns=list(codes), fill_value=0)
    diagonal = pd.Series(counts.to_numpy().diagonal(), index=counts.index)
    union = diagonal.to_numpy()[:, None] + diagonal.to_numpy()[None, :] - counts.to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = counts.to_numpy() / union.astype(float)
    ratio[union == 0] = float("nan")
    c_coefficient = pd.DataFrame(ratio, index=counts.index, columns=counts.columns).round(3)
    counts.index.name = c_coefficient.index.name = "code"
    counts.columns.name = c_coefficient.columns.name = None
    return counts, c_coefficient


def shorten(text: str, *, limit: int = 220) -> str:
    """Cut ``text`` at a word boundary to at most ``limit`` characters, adding an ellipsis.

    Examples
    --------
    >>> shorten("viens divi trīs", limit=10)
    'viens divi…'
    """
    if len(text) <= limit:
        return text
    cut = text[:limit + 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def exemplar_quotes(
    coded: pd.DataFrame, codebook: ThemeCodebook, *, per_code: int = 2, limit: int = 220,
    lang: str = "lv",
) -> pd.DataFrame:
    """Pick short quotes per leaf code: the segments with most matched terms, one per interview.

    Ties are broken by the shorter text, then interview and segment id, so the choice is
    deterministic. Pass only redacted text.

    Parameters
    ----------
    coded
        From :func:`code_segments` run on redacted transcripts.
    codebook
        Gives the code order and names.
    per_code
        Maximum quotes per code (from different interviews).
    limit
        Maximum quote length in characters.
    lang
        Language of the ``name`` column.

    Returns
    -------
    pandas.DataFrame
        Columns ``code, name, interview_id, segment_id, quote``.
    """
    rows = []
    ranked = coded.assign(n_terms=coded["matched_terms"].str.count(";") + 1,
                          length=coded["text"].str.len())
    ranked = ranked.sort_values(["code", "n_terms", "length", "interview_id", "segment_id"],
                                ascending=[True, False, True, True, True])
    for code in codebook.leaves:
        picked = ranked[ranked["code"] == code.id].drop_duplicates("interview_id").head(per_code)
        rows += [(code.id, code.name(lang), r.interview_id, r.segment_id,
                  shorten(r.text, limit=limit)) for r in picked.itertuples(index=False)]
    return pd.DataFrame(rows, columns=["code", "name", "interview_id", "segment_id", "quote"])


def quadrant_table(
    matrix: pd.DataFrame, quotes: pd.DataFrame, codebook: ThemeCodebook, *, root: str,
    quadrant_keys: Mapping[str, str] | None = None, lang: str = "lv",
) -> pd.DataFrame:
    """Summarise the items two levels under ``root``: quadrant, interviews, a quote.

    Parameters
    ----------
    matrix
        From :func:`code_matrix`.
    quotes
        From :func:`exemplar_quotes`.
    codebook
        Its codes under ``root`` form quadrants (children) and items (grandchildren).
    root
        Id of the grouping code whose children are the quadrants.
    quadrant_keys
        Quadrant code id mapped to the key written in ``quadrant``; by default the last part
        of the quadrant's id.
    lang
        Language of the name columns.

    Returns
    -------
    pandas.DataFrame
        Columns ``item`` (display name), ``code``, ``quadrant``, ``quadrant_name``,
        ``n_interviews``, ``quote``, in codebook order.
    """
    interviews = matrix.set_index("code")["n_interviews"]
    first_quote = quotes.drop_duplicates("code").set_index("code")["quote"]
    keys = dict(quadrant_keys or {})
    rows = []
    for quadrant in codebook.children(root):
        key = keys.get(quadrant.id, quadrant.id.rsplit(".", 1)[-1])
        for item in codebook.children(quadrant.id):
            rows.append((item.name(lang), item.id, key, quadrant.name(lang),
                         int(interviews.get(item.id, 0)), first_quote.get(item.id, "")))
    return pd.DataFrame(rows, columns=["item", "code", "quadrant", "quadrant_name",
                                       "n_interviews", "quote"])


def quadrant_grid(table: pd.DataFrame) -> pd.DataFrame:
    """Lay a :func:`quadrant_table` out as a 2x2 grid of ``name (n)`` lines per quadrant.

    Quadrants are placed in their table order: the first two in the top row, the next two in
    the bottom row.

    Parameters
    ----------
    table
        From :func:`quadrant_table`.

    Returns
    -------
    pandas.DataFrame
        Two rows by two columns; cells hold one ``name (n)`` line per item.
    """
    quadrants = list(dict.fromkeys(table["quadrant_name"]))
    cells = {q: "\n".join(f"{r.item} ({r.n_interviews})"
                          for r in table[table["quadrant_name"] == q].itertuples(index=False))
             for q in quadrants}
    padded = quadrants + [""] * (4 - len(quadrants))
    return pd.DataFrame([[cells.get(padded[0], ""), cells.get(padded[1], "")],
                         [cells.get(padded[2], ""), cells.get(padded[3], "")]],
                        columns=[padded[0], padded[1]], index=["1", "2"])


def plot_cooccurrence(c_coefficient: pd.DataFrame, *, labels: Sequence[str], title: str = "",
                      note: str = "") -> Figure:
    """Draw the c-coefficient table as a heat map (lower triangle, diagonal left blank).

    Parameters
    ----------
    c_coefficient
        Square table from :func:`cooccurrence`.
    labels
        Axis labels, one per row.
    title
        Figure title.
    note
        Small text under the plot (e.g. that the data are synthetic).

    Returns
    -------
    matplotlib.figure.Figure
        The figure (not shown or saved).
    """
    values = c_coefficient.to_numpy(dtype=float).copy()
    values[np.triu_indices_from(values)] = np.nan
    size = 2.5 + 0.32 * len(labels)
    figure = Figure(figsize=(size + 2.5, size))
    axes = figure.add_subplot()
    image = axes.imshow(values, cmap="Blues", vmin=0, vmax=max(0.5, np.nanmax(values, initial=0)))
    axes.set_xticks(range(len(labels)), labels=labels, rotation=90, fontsize=7)
    axes.set_yticks(range(len(labels)), labels=labels, fontsize=7)
    for spine in axes.spines.values():
        spine.set_visible(False)
    figure.colorbar(image, ax=axes, shrink=0.6, label="c = n12 / (n1 + n2 - n12)")
    if title:
        axes.set_title(title, fontsize=10, loc="left")
    if note:
        figure.text(0.01, 0.01, note, fontsize=7, color="#555555")
    figure.tight_layout()
    return figure
