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
from itertools import chain, product
from math import prod
from re import _constants as _sre
from re import _parser as _re_parser
from typing import Any

import LatvianStemmer
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import simplemma
from matplotlib.figure import Figure

SEGMENT_COLUMNS = ["interview_id", "segment_id", "speaker", "role", "text"]
CODED_COLUMNS = ["interview_id", "segment_id", "speaker", "code", "matched_terms", "text"]
RULE_KINDS = ("lemmas", "forms", "stems", "phrases", "patterns")
_CODE_KEYS = {
    "id",
    "parent",
    "name_lv",
    "name_en",
    "definition",
    "use_when",
    "not_when",
    "color",
    "rules",
    "negation",
    "examples",
    "counter_examples",
}
_TOP_KEYS = {
    "codebook",
    "speakers",
    "negation",
    "matching",
    "codes",
    "sets",
    "redaction",
    "reliability",
}
_FOLD = str.maketrans("ņļķģčšž", "nlkgcsz")
_TEXT = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' default ``str``
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
            raise CodebookError(
                f"{where}.rules.patterns: {pattern!r} is not a valid regular expression ({error})"
            ) from error
    phrases = tuple(tuple(phrase.lower().split()) for phrase in values.pop("phrases"))
    lowered = {kind: tuple(term.lower() for term in terms) for kind, terms in values.items()}
    lowered["patterns"] = values["patterns"]
    rules = Rules(phrases=phrases, **lowered)
    if rules.is_empty():
        raise CodebookError(
            f"{where}.rules: is empty; give at least one of {RULE_KINDS} "
            "or leave `rules` out for a grouping code"
        )
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
        id=str(raw["id"]),
        parent=raw.get("parent"),
        name_lv=str(raw["name_lv"]),
        name_en=str(raw["name_en"]),
        definition=str(raw["definition"]).strip(),
        use_when=str(raw.get("use_when", "")).strip(),
        not_when=str(raw.get("not_when", "")).strip(),
        color=color,
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
            raise CodebookError(
                f"{source}: code {code.id!r} names unknown parent "
                f"{code.parent!r}; known ids are {sorted(seen)}"
            )
    parents = {code.parent for code in codes}
    empty = [code.id for code in codes if code.rules.is_empty() and code.id not in parents]
    if empty:
        raise CodebookError(
            f"{source}: codes {empty} have no rules and no children; "
            "give each leaf code at least one rule"
        )
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
            raise CodebookError(
                f"{where}: expected a mapping with `id`, `name_lv`, `name_en`, `members`"
            )
        members = _strings(item["members"], f"{where}.members")
        unknown = sorted(set(members) - known)
        if unknown:
            raise CodebookError(f"{where}: unknown member codes {unknown}")
        sets.append(
            CodeSet(
                id=str(item["id"]),
                name_lv=str(item.get("name_lv", item["id"])),
                name_en=str(item.get("name_en", item["id"])),
                members=members,
                description=str(item.get("description", "")).strip(),
            )
        )
    return tuple(sets)


def _parse_speakers(raw: Any, source: str) -> dict[str, str]:
    if not isinstance(raw, dict) or not raw.get("respondent"):
        raise CodebookError(
            f"{source}: `speakers` must map roles (interviewer, respondent) "
            "to lists of speaker labels"
        )
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
        raise CodebookError(
            f"{source}: `reliability` must be a mapping with one key `sets` "
            "mapping set names to lists of interview ids"
        )
    return {
        str(name): _strings(ids, f"{source}: reliability.sets.{name}") for name, ids in sets.items()
    }


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
        raise CodebookError(
            f"{source}: unknown top-level keys {unknown}; allowed {sorted(_TOP_KEYS)}"
        )
    codes = tuple(_parse_code(item, i, source) for i, item in enumerate(raw["codes"]))
    _check_structure(codes, source)
    negation = raw.get("negation") or {}
    matching = raw.get("matching") or {}
    return ThemeCodebook(
        meta=dict(raw.get("codebook") or {}),
        speakers=_parse_speakers(raw.get("speakers"), source),
        codes=codes,
        sets=_parse_sets(raw.get("sets"), {code.id for code in codes}, source),
        negation_cues=frozenset(
            t.lower() for t in _strings(negation.get("cues"), f"{source}: negation.cues")
        ),
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
        rows.append(
            (
                code.id,
                code.parent,
                depth,
                code.name(lang),
                code.definition,
                code.use_when,
                code.not_when,
                n_rules,
            )
        )
    return pd.DataFrame(
        rows,
        columns=[
            "code",
            "parent",
            "depth",
            "name",
            "definition",
            "use_when",
            "not_when",
            "n_rules",
        ],
    )


# ---- segmentation --------------------------------------------------------------------------------


# str.splitlines breaks lines at these; they become "\n" before segmenting.
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_ODD_BREAKS = tuple("\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_BLANK_LINES = re.compile(r"\n\s*\n\s*")  # a paragraph break and the spaces around it
_FIRST_TEXT = re.compile(r"\S")


def _label_regex(speakers: Mapping[str, str]) -> re.Pattern[str]:
    """Match a speaker label (after spaces) at a line start; the text has only LF breaks."""
    labels = sorted(speakers, key=len, reverse=True)
    return re.compile(r"\n[^\S\n]*+(" + "|".join(re.escape(label) for label in labels) + r"):")


def _turn_texts(content: str) -> list[str]:
    """Split the stripped text of a turn on blank lines; join each paragraph's lines by a space."""
    texts = [piece.strip() for piece in _BLANK_LINES.split(content)]
    return [
        " ".join(line.strip() for line in piece.split("\n")) if "\n" in piece else piece
        for piece in texts
    ]


def _check_preamble(before: str, speakers: Mapping[str, str], source: str) -> None:
    """Raise if text other than a line 1 ``#`` header precedes the first label."""
    first_line, _, rest = before[1:].partition("\n")  # ``before`` starts with the added "\n"
    skipped = 1 if first_line.strip().startswith("#") else 0
    lines = rest if skipped else before[1:]
    found = _FIRST_TEXT.search(lines)
    if found:
        number = lines.count("\n", 0, found.start()) + 1 + skipped
        raise TranscriptError(
            f"{source}, line {number}: text before the first speaker label; expected a line "
            f"starting with one of {sorted(speakers)} followed by ': '"
        )


def _paragraphs(
    text: str, speakers: Mapping[str, str], label_re: re.Pattern[str], source: str
) -> tuple[list[str], list[str]]:
    """Return the speaker label and the text of each paragraph of a transcript.

    Works turn by turn on the text with line breaks normalised: a turn runs from a label to the
    next one, blank lines split it into paragraphs, and line 1 may be a ``#`` header.
    """
    if any(char in text for char in _ODD_BREAKS):  # much faster than a search for the class
        text = _LINE_BREAKS.sub("\n", text)
    parts = label_re.split("\n" + text)  # the added break lets a label start line 1
    contents = parts[2::2]
    if parts[0]:
        _check_preamble(parts[0], speakers, source)
    elif contents and contents[0].partition("\n")[0].strip().startswith("#"):
        contents[0] = "\n" + contents[0].partition("\n")[2]
    contents = [content.strip() for content in contents]
    if all(contents) and "\n" not in "".join(contents):  # one paragraph per turn: the usual
        return parts[1::2], contents
    owners: list[str] = []
    texts: list[str] = []
    for who, content in zip(parts[1::2], contents, strict=True):
        if "\n" not in content:
            if content:
                owners.append(who)
                texts.append(content)
            continue
        paragraphs = _turn_texts(content)
        owners += [who] * len(paragraphs)
        texts += paragraphs
    return owners, texts


def _text_column(values: pa.Array) -> pd.api.extensions.ExtensionArray:
    """Wrap an Arrow string array as a pandas ``str`` column without copying it."""
    return pd.array(values, dtype=_TEXT)


def _segment_frame(
    interviews: Sequence[str],
    counts: Sequence[int],
    owners: Sequence[str],
    texts: Sequence[str],
    speakers: Mapping[str, str],
) -> pd.DataFrame:
    """Build the segment table column by column (``counts``: paragraphs per interview).

    Columns that repeat a few values are taken from small Arrow arrays by index, which is much
    faster than converting one Python string per row.
    """
    if not texts:
        return pd.DataFrame([], columns=SEGMENT_COLUMNS)
    per_interview = np.asarray(counts, dtype=np.int64)
    interview = np.repeat(np.arange(len(per_interview)), per_interview)
    first = np.cumsum(per_interview) - per_interview
    number = np.arange(len(interview)) - first[interview]
    labels = list(speakers)
    label_number = {label: i for i, label in enumerate(labels)}
    owner = np.fromiter(map(label_number.__getitem__, owners), dtype=np.int64, count=len(owners))
    numbers = [f"s{i:03d}" for i in range(1, int(per_interview.max()) + 1)]
    columns = {
        "interview_id": pa.array(list(interviews), pa.large_string()).take(interview),
        "segment_id": pa.array(numbers, pa.large_string()).take(number),
        "speaker": pa.array(labels, pa.large_string()).take(owner),
        "role": pa.array([speakers[label] for label in labels], pa.large_string()).take(owner),
        "text": pa.array(texts, pa.large_string()),
    }
    return pd.DataFrame({key: _text_column(columns[key]) for key in SEGMENT_COLUMNS})


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
    owners, texts = _paragraphs(text, speakers, _label_regex(speakers), source)
    return _segment_frame([interview_id], [len(owners)], owners, texts, speakers)


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
    keys = sorted(transcripts)
    counts, owners, texts = [], [], []
    for key in keys:
        who, paragraphs = _paragraphs(transcripts[key], speakers, label_re, key)
        counts.append(len(who))
        owners += who
        texts += paragraphs
    return _segment_frame(keys, counts, owners, texts, speakers)


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
        return all(
            (kind is _sre.LITERAL and _is_nonword_char(arg))
            or (kind is _sre.CATEGORY and arg in _NONWORD_CLASSES[:2])
            for kind, arg in value
        )
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
        optional = (
            op in _REPEATS
            and value[0] == 0
            and len(value[2]) == 1
            and _consumes_nonword(*value[2][0])
        )
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
        return _either(branches)
    return []


_MAX_BRANCH_SETS = 32  # bounds the sets one alternation contributes


def _either(branches: Sequence[list[frozenset[str]]]) -> list[frozenset[str]]:
    """Return literal sets that every match of one of several branches must each hit.

    A match goes through one branch and so hits one literal of each of that branch's sets;
    hence it hits each union of one set per branch ("or" distributed over "and"). The
    strongest sets of each branch are combined, as many as keep the count within
    ``_MAX_BRANCH_SETS``.
    """
    ranked = [
        sorted(sets, key=lambda s: (_strength(s), sorted(s)), reverse=True) for sets in branches
    ]
    width = max(len(sets) for sets in ranked)
    while width > 1 and prod(min(width, len(sets)) for sets in ranked) > _MAX_BRANCH_SETS:
        width -= 1
    combined = {frozenset().union(*combo) for combo in product(*(sets[:width] for sets in ranked))}
    return sorted(combined, key=lambda s: (_strength(s), sorted(s)), reverse=True)


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
            required += _item_literals(
                op,
                value,
                (_word_edge(items, index - 1, -1, before), _word_edge(items, index + 1, 1, after)),
            )
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


_CLASS_ESCAPES = {
    _sre.CATEGORY_DIGIT: r"\d",
    _sre.CATEGORY_NOT_DIGIT: r"\D",
    _sre.CATEGORY_SPACE: r"\s",
    _sre.CATEGORY_NOT_SPACE: r"\S",
    _sre.CATEGORY_WORD: r"\w",
    _sre.CATEGORY_NOT_WORD: r"\W",
}
_CASE_FREE_OPS = (_sre.ANY, _sre.AT)


def _class_source(op: Any, value: Any) -> str | None:
    """Return a regex for one parsed character item (literal or class), or None if unknown."""
    if op is _sre.LITERAL:
        return f"\\U{value:08x}"
    if op is _sre.NOT_LITERAL:
        return f"[^\\U{value:08x}]"
    parts = []
    for kind, arg in value:
        if kind is _sre.NEGATE:
            parts.append("^")
        elif kind is _sre.LITERAL:
            parts.append(f"\\U{arg:08x}")
        elif kind is _sre.RANGE:
            parts.append(f"\\U{arg[0]:08x}-\\U{arg[1]:08x}")
        elif kind is _sre.CATEGORY and arg in _CLASS_ESCAPES:
            parts.append(_CLASS_ESCAPES[arg])
        else:
            return None
    return "[" + "".join(parts) + "]"


def _nested(op: Any, value: Any) -> list[Any] | None:
    """Return the item lists inside a parsed group, repeat or assertion; None if unsupported."""
    if op is _sre.SUBPATTERN:
        return [value[-1]] if not (value[1] or value[2]) else None
    if op is _sre.BRANCH:
        return list(value[1])
    if op in _REPEATS:
        return [value[2]]
    if op in _LOOKAROUND:
        return [value[1]]
    if op is _sre.ATOMIC_GROUP:
        return [value]
    return None


def _char_items(items: Sequence[tuple[Any, Any]]) -> list[str] | None:
    """Return the regexes of all character items of a parsed pattern, or None if unsupported.

    Only these items can behave differently with and without ``re.IGNORECASE``; anchors,
    ``.`` and word boundaries never do. Back-references, conditional groups and inline flag
    changes make the answer None.
    """
    found: list[str] = []
    for op, value in items:
        if op in (_sre.LITERAL, _sre.NOT_LITERAL, _sre.IN):
            source = _class_source(op, value)
            inner: list[Any] | None = [] if source is not None else None
            found += [source] if source is not None else []
        else:
            inner = [] if op in _CASE_FREE_OPS else _nested(op, value)
        if inner is None:
            return None
        for part in inner:
            sub = _char_items(part)
            if sub is None:
                return None
            found += sub
    return found


def case_free_items(pattern: str) -> tuple[str, ...] | None:
    r"""Return the character items of ``pattern`` if only they can depend on letter case.

    The coder searches patterns case-insensitively in lower-cased text. When every
    character item matches each character of a corpus alike with and without
    ``re.IGNORECASE`` (see :func:`_same_without_case`), the case-sensitive pattern finds the
    same matches there, and faster. None means: always search case-insensitively.

    Parameters
    ----------
    pattern
        A regular expression of the codebook.

    Returns
    -------
    tuple of str or None
        Distinct regexes of the character items, or None when the pattern has
        back-references, conditional groups or inline flags.

    Examples
    --------
    >>> case_free_items(r"\bn[b-c]\w")
    ('\\U0000006e', '[\\U00000062-\\U00000063]', '[\\w]')
    >>> case_free_items(r"(a)\1") is None
    True
    """
    try:
        if re.compile(pattern).flags & ~re.UNICODE:
            return None
        items = _char_items(_re_parser.parse(pattern))
    except re.error:
        return None
    return None if items is None else tuple(dict.fromkeys(items))


@lru_cache(maxsize=100_000)
def _same_without_case(item: str, char: str) -> bool:
    """Tell whether one character item matches ``char`` alike with and without IGNORECASE."""
    folded = re.compile(item, re.IGNORECASE).fullmatch(char) is not None
    return folded == (re.compile(item).fullmatch(char) is not None)


def _search_forms(matcher: _Matcher, chars: frozenset[str]) -> list[re.Pattern[str]]:
    """Return, per pattern, the case-sensitive form if exact for text made of ``chars``."""
    forms = []
    for (_, pattern, _), items, plain in zip(
        matcher.patterns, matcher.case_items, matcher.plain, strict=True
    ):
        exact = items is not None and all(
            _same_without_case(item, char) for item in items for char in chars
        )
        forms.append(plain if exact else pattern)
    return forms


def relaxed_pattern(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    r"""Return ``pattern`` without its leading ``\b``, or None if it does not start with one.

    Python's ``re`` scans quickly for a pattern's possible first characters, but not when the
    pattern starts with a word boundary. Every match of the pattern is also a match of the
    rest of it at the same position (the boundary is a zero-width test), so searching the
    rest and confirming each hit with an anchored match of the whole pattern finds exactly
    the same first match (see :func:`pattern_found`).

    Parameters
    ----------
    pattern
        A compiled pattern.

    Returns
    -------
    re.Pattern or None
        The pattern's source after the leading ``\b``, compiled with the same flags.

    Examples
    --------
    >>> relaxed_pattern(re.compile(r"\b(?:nav|maz)\s+\w+")).pattern
    '(?:nav|maz)\\s+\\w+'
    >>> relaxed_pattern(re.compile(r"\bnav|maz")) is None
    True
    """
    source = pattern.pattern
    if not isinstance(source, str) or not source.startswith("\\b"):
        return None
    try:
        first = _re_parser.parse(source, pattern.flags)[0]
        relaxed = re.compile(source[2:], pattern.flags)
    except (re.error, IndexError):
        return None
    if first != (_sre.AT, _sre.AT_BOUNDARY) or relaxed.flags != pattern.flags:
        return None
    return relaxed


def pattern_found(pattern: re.Pattern[str], relaxed: re.Pattern[str] | None, text: str) -> bool:
    """Tell whether ``pattern`` matches anywhere in ``text``, using its relaxed form if given.

    Parameters
    ----------
    pattern
        The compiled pattern.
    relaxed
        From :func:`relaxed_pattern`: every match position of ``pattern`` is one of it.
    text
        The text searched.

    Returns
    -------
    bool
        Same as ``pattern.search(text) is not None``.
    """
    if relaxed is None:
        return pattern.search(text) is not None
    position = 0
    while (found := relaxed.search(text, position)) is not None:
        if pattern.match(text, found.start()):
            return True
        position = found.start() + 1
    return False


@dataclass
class _Matcher:
    """Lookup tables compiled from a codebook; caches one analysis per distinct token."""

    lemma_index: dict[str, list[tuple[str, str]]]
    stem_index: dict[str, list[tuple[str, str]]]
    form_index: dict[str, list[tuple[str, str]]]
    prefix_index: _KeyIndex
    phrases: list[tuple[str, tuple[str, ...]]]
    patterns: list[tuple[str, re.Pattern[str], tuple[frozenset[str], ...]]]
    keep_negated: frozenset[str]
    negation_cues: frozenset[str]
    window_before: int
    window_after: int
    phrase_gap: int
    min_stem_length: int
    code_ids: tuple[str, ...] = ()
    code_index: dict[str, int] = field(default_factory=dict)
    keep_mask: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    phrase_index: dict[str, Any] = field(default_factory=dict)
    gate_index: tuple[tuple[str, str, tuple[int, ...]], ...] = ()
    stem_heads: _KeyIndex = field(default_factory=lambda: _KeyIndex.build({}))
    words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    hits: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    fitted: dict[str, frozenset[str]] = field(default_factory=dict)
    term_ids: dict[str, int] = field(default_factory=dict)
    groups: tuple[frozenset[str], ...] = ()
    needs: tuple[frozenset[int], ...] = ()
    group_hits: dict[str, frozenset[int]] = field(default_factory=dict)
    case_items: tuple[tuple[str, ...] | None, ...] = ()
    plain: tuple[re.Pattern[str], ...] = ()


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
    prefix_index: dict[str, list[tuple[str, str]]] = {}
    phrases, patterns = [], []
    for code in codebook.leaves:
        for term in code.rules.lemmas:
            lemma_index.setdefault(term, []).append((code.id, term))
            key = stem_key(term)
            if len(key) >= codebook.min_stem_length:
                stem_index.setdefault(key, []).append((code.id, term))
        for term in code.rules.forms:
            form_index.setdefault(term, []).append((code.id, term))
        for prefix in code.rules.stems:
            prefix_index.setdefault(fold(prefix), []).append((code.id, prefix + "*"))
        phrases += [(code.id, phrase) for phrase in code.rules.phrases]
        patterns += [
            (code.id, re.compile(p, re.IGNORECASE), required_literals(p))
            for p in code.rules.patterns
        ]
    groups = tuple(sorted({group for *_, gate in patterns for group in gate}, key=sorted))
    code_ids = tuple(sorted(code.id for code in codebook.leaves))
    keep_negated = frozenset(code.id for code in codebook.codes if code.keep_negated)
    phrase_index = _phrase_index([phrase for _, phrase in phrases], codebook.min_stem_length)
    stem_heads: dict[str, list[str]] = {}
    for key in (*stem_index, *phrase_index["key"]):
        stem_heads.setdefault(key[:-1], []).append(key)
    return _Matcher(
        lemma_index=lemma_index,
        stem_index=stem_index,
        form_index=form_index,
        prefix_index=_KeyIndex.build(prefix_index),
        phrases=phrases,
        patterns=patterns,
        keep_negated=keep_negated,
        negation_cues=codebook.negation_cues,
        window_before=codebook.window_before,
        window_after=codebook.window_after,
        phrase_gap=codebook.phrase_gap,
        min_stem_length=codebook.min_stem_length,
        code_ids=code_ids,
        code_index={code: i for i, code in enumerate(code_ids)},
        keep_mask=np.array([code in keep_negated for code in code_ids], dtype=bool),
        phrase_index=phrase_index,
        stem_heads=_KeyIndex.build(stem_heads),
        groups=groups,
        gate_index=_gate_index(groups),
        needs=tuple(frozenset(groups.index(group) for group in gate) for *_, gate in patterns),
        case_items=tuple(case_free_items(pattern.pattern) for _, pattern, _ in patterns),
        plain=tuple(re.compile(pattern.pattern) for _, pattern, _ in patterns),
    )


@dataclass(frozen=True)
class _KeyIndex:
    """Entries by string key, found as prefixes of a text."""

    entries: Mapping[str, Sequence[Any]]
    lengths: tuple[int, ...]  # the distinct key lengths, ascending
    openings: frozenset[str]  # every key cut to the shortest key length

    @classmethod
    def build(cls, entries: Mapping[str, Sequence[Any]]) -> _KeyIndex:
        """Index ``entries`` (key -> entries)."""
        lengths = tuple(sorted({len(key) for key in entries}))
        shortest = lengths[0] if lengths else 0
        return cls(entries, lengths, frozenset(key[:shortest] for key in entries))

    def starts(self, text: str) -> bool:
        """Tell whether some key starts ``text``."""
        if not self.lengths or text[: self.lengths[0]] not in self.openings:
            return False  # the usual answer, found with one lookup
        return any(text[:length] in self.entries for length in self.lengths)

    def prefixes_of(self, text: str) -> list[Any]:
        """Return the entries whose key starts ``text`` (``""`` included), shortest first."""
        if not self.lengths or text[: self.lengths[0]] not in self.openings:
            return []
        size = len(text)
        return [
            entry
            for length in self.lengths
            if length <= size
            for entry in self.entries.get(text[:length], ())
        ]


def _codebook_stem_key(matcher: _Matcher, word: str) -> str:
    """Return the stem key of ``word`` if it can be a key of the codebook, else ``""``.

    Every stem key less its last letter starts the folded word: the stemmer only cuts an
    ending off and then changes the last letters left to what folding makes of them, drops
    a ``j`` after ``p``, ``b``, ``m`` or ``v``, or turns ``kš`` into ``kst`` (a test checks
    this on dictionary forms). So a word whose folded form starts with no key of the
    codebook less its last letter needs no stemming.
    """
    return stem_key(word) if matcher.stem_heads.starts(fold(word)) else ""


def _token_keys(matcher: _Matcher, token: str) -> tuple[str, str, str]:
    """Return :func:`word_keys` of ``token``, with stem keys no rule uses left empty."""
    base = lemma(token)
    key = _codebook_stem_key(matcher, token)
    return base, key, key if base == token else _codebook_stem_key(matcher, base)


def _token_hits(
    matcher: _Matcher, token: str, keys: tuple[str, str, str], folded: str
) -> tuple[tuple[str, str], ...]:
    """Return the (code, term) pairs of the token rules ``token`` matches.

    ``keys`` are its :func:`_token_keys` and ``folded`` is ``fold(token)``.
    """
    base, key, base_key = keys
    hits = list(matcher.form_index.get(token, ()))
    hits += matcher.lemma_index.get(base, ())
    hits += matcher.stem_index.get(key, ())
    if base_key != key:
        hits += matcher.stem_index.get(base_key, ())
    hits += matcher.prefix_index.prefixes_of(folded)
    return tuple(sorted(set(hits)))


def _fitting_words(
    matcher: _Matcher, token: str, keys: tuple[str, str, str], folded: str
) -> frozenset[str]:
    """Return the phrase words ``token`` fits: by prefix (``word*``), lemma, form or stem key."""
    base, key, base_key = keys
    index = matcher.phrase_index
    fitting = index["prefix"].prefixes_of(folded)
    fitting += [*index["word"].get(base, ()), *index["word"].get(token, ())]
    fitting += [*index["key"].get(key, ()), *index["key"].get(base_key, ())]
    return frozenset(fitting)


# How a gate literal of each kind (see `_gate_index`) is tested on one token, and on an
# array of tokens in Arrow (on UTF-8 text a byte-wise prefix, suffix or substring test is
# the same as a test on characters).
_GATE_TESTS = {
    "exact": str.__eq__,
    "prefix": str.startswith,
    "suffix": str.endswith,
    "inner": lambda key, text: text in key,
}
_GATE_ARRAY_TESTS = {
    "exact": lambda keys, text: pc.equal(keys, pa.scalar(text, pa.large_string())),
    "prefix": lambda keys, text: pc.starts_with(keys, pattern=text),
    "suffix": lambda keys, text: pc.ends_with(keys, pattern=text),
    "inner": lambda keys, text: pc.match_substring(keys, pattern=text),
}
_GATE_ARRAY_FROM = 256  # fewer tokens are tested one by one: Arrow calls cost a few µs each


def _gate_groups(
    matcher: _Matcher, tokens: Sequence[str], *, in_arrow: bool | None = None
) -> list[frozenset[int]]:
    """Return the gate groups each token meets (see :func:`_literal_in`).

    Each literal is tested on all tokens at once in Arrow when there are many tokens
    (``in_arrow`` None), or as ``in_arrow`` says.
    """
    keys = [token.translate(_GATE_FOLD) for token in tokens]
    if not (len(tokens) >= _GATE_ARRAY_FROM if in_arrow is None else in_arrow):
        return [
            frozenset(
                number
                for kind, text, numbers in matcher.gate_index
                if _GATE_TESTS[kind](key, text)
                for number in numbers
            )
            for key in keys
        ]
    found: list[set[int]] = [set() for _ in tokens]
    array = pa.array(keys, pa.large_string())
    for kind, text, numbers in matcher.gate_index:
        met = _GATE_ARRAY_TESTS[kind](array, text).to_numpy(zero_copy_only=False)
        for row in np.flatnonzero(met).tolist():
            found[row].update(numbers)
    return [frozenset(groups) for groups in found]


def _phrase_index(phrases: Sequence[tuple[str, ...]], min_stem_length: int) -> dict[str, Any]:
    """Index phrase words by folded prefix (``word*``), by the word itself and by stem key."""
    index: dict[str, dict[str, list[str]]] = {"prefix": {}, "word": {}, "key": {}}
    for word in sorted({word for phrase in phrases for word in phrase}):
        if word.endswith("*"):
            index["prefix"].setdefault(fold(word[:-1]), []).append(word)
            continue
        index["word"].setdefault(word, []).append(word)
        if len(word_key := stem_key(word)) >= min_stem_length:
            index["key"].setdefault(word_key, []).append(word)
    return {**index, "prefix": _KeyIndex.build(index["prefix"])}


def _gate_index(groups: Sequence[frozenset[str]]) -> tuple[tuple[str, str, tuple[int, ...]], ...]:
    """List each gate literal once: its kind, its text and the groups it belongs to.

    Kinds: ``exact`` (a whole token, ``<text>``), ``prefix`` (``<text``), ``suffix``
    (``text>``) and ``inner`` (anywhere in a token).
    """
    literals: dict[tuple[str, str], list[int]] = {}
    for number, group in enumerate(groups):
        for literal in group:
            head, tail = literal.startswith("<"), literal.endswith(">")
            text = literal[1 if head else 0 : len(literal) - 1 if tail else None]
            kind = "exact" if head and tail else "prefix" if head else "suffix" if tail else "inner"
            literals.setdefault((kind, text), []).append(number)
    return tuple((kind, text, tuple(numbers)) for (kind, text), numbers in sorted(literals.items()))


def _analyse(matcher: _Matcher, tokens: Sequence[str]) -> None:
    """Record what new tokens can match: rule hits, phrase words and gate groups."""
    for token, groups in zip(tokens, _gate_groups(matcher, tokens), strict=True):
        matcher.seen.add(token)
        keys, folded = _token_keys(matcher, token), fold(token)
        hits = _token_hits(matcher, token, keys, folded)
        if hits:
            matcher.hits[token] = hits
        fitted = _fitting_words(matcher, token, keys, folded)
        if fitted:
            matcher.fitted[token] = fitted
        if groups:
            matcher.group_hits[token] = groups


def _tokenise(matcher: _Matcher, text: str) -> list[str]:
    r"""Return the lower-cased ``\\w+`` tokens of ``text``, caching each whitespace word."""
    return list(chain.from_iterable(_word_tokens(matcher, word) for word in text.split()))


def _word_tokens(matcher: _Matcher, word: str) -> tuple[str, ...]:
    r"""Return the lower-cased ``\\w+`` tokens of one space-free word (cached per matcher)."""
    tokens = matcher.words.get(word)
    if tokens is None:
        tokens = matcher.words[word] = tuple(_TOKEN_RE.findall(word.lower()))
    return tokens


@dataclass(frozen=True)
class _Corpus:
    """The tokens of many segments as one array of vocabulary ids."""

    ids: np.ndarray
    segment: np.ndarray
    start: np.ndarray
    vocabulary: list[str]
    cues: np.ndarray
    chars: frozenset[str] = frozenset()  # of the lower-cased texts
    cased_chars: frozenset[str] = frozenset()  # of the texts as written


def _expand(offsets: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Return ``offsets[i] + 0 .. counts[i] - 1`` for every ``i``, concatenated."""
    ends = np.cumsum(counts)
    total = int(ends[-1]) if len(ends) else 0
    return np.repeat(offsets - (ends - counts), counts) + np.arange(total, dtype=np.int64)


def _space_words(texts: pa.LargeStringArray) -> tuple[pa.LargeStringArray, np.ndarray]:
    r"""Cut every text after each space; return the pieces (zero-copy) and the pieces per text.

    A piece keeps its trailing space, so the pieces of a text laid end to end are the text,
    and a piece has the same ``\w+`` tokens as it has without the space. Pieces share the
    text's UTF-8 buffer: only the cut positions are new.
    """
    start = texts.offset
    offsets = np.frombuffer(texts.buffers()[1], dtype=np.int64)[start : start + len(texts) + 1]
    data = texts.buffers()[2]
    begin, end = int(offsets[0]), int(offsets[-1])
    cut = np.zeros(end - begin + 1, dtype=bool)
    if end > begin:
        cut[1:] = np.frombuffer(data, dtype=np.uint8)[begin:end] == ord(" ")
    cut[offsets - begin] = True
    bounds = np.flatnonzero(cut) + begin
    pieces = pa.LargeStringArray.from_buffers(len(bounds) - 1, pa.py_buffer(bounds), data)
    return pieces, np.diff(np.searchsorted(bounds, offsets))


def _index_corpus(matcher: _Matcher, texts: pa.LargeStringArray) -> _Corpus:
    r"""Tokenise all texts at once: cut at spaces, encode the pieces, map pieces to token ids.

    Cutting at the space character and then taking the ``\w+`` runs of each distinct piece
    gives the same tokens as ``\w+`` on the whole text, since spaces are never word
    characters.
    """
    pieces, words_per_segment = _space_words(texts)
    encoded = pc.dictionary_encode(pieces)
    word_ids = encoded.indices.to_numpy(zero_copy_only=False)
    vocabulary: dict[str, int] = {}
    distinct_words = encoded.dictionary.to_pylist()
    joined = " ".join(distinct_words)
    cased_chars, chars = frozenset(joined), frozenset(joined.lower())
    word_tokens = [
        [vocabulary.setdefault(token, len(vocabulary)) for token in _word_tokens(matcher, word)]
        for word in distinct_words
    ]
    tokens_per_word = np.array([len(tokens) for tokens in word_tokens], dtype=np.int64)
    flat = np.fromiter(
        chain.from_iterable(word_tokens), dtype=np.int64, count=int(tokens_per_word.sum())
    )
    word_offsets = np.cumsum(tokens_per_word) - tokens_per_word
    counts = tokens_per_word[word_ids]
    ids = flat[_expand(word_offsets[word_ids], counts)]
    word_start = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(words_per_segment, out=word_start[1:])
    token_start = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=token_start[1:])
    start = token_start[word_start]
    segment = np.repeat(np.arange(len(texts), dtype=np.int64), np.diff(start))
    words = list(vocabulary)
    _analyse(matcher, [token for token in words if token not in matcher.seen])
    is_cue = np.array([token in matcher.negation_cues for token in words], dtype=np.int64)
    cues = np.zeros(len(ids) + 1, dtype=np.int64)
    np.cumsum(is_cue[ids], out=cues[1:])
    return _Corpus(
        ids=ids,
        segment=segment,
        start=start,
        vocabulary=words,
        cues=cues,
        chars=chars,
        cased_chars=cased_chars,
    )


def _negated_spans(
    matcher: _Matcher, corpus: _Corpus, first: np.ndarray, last: np.ndarray
) -> np.ndarray:
    """Tell for each token span whether a negation cue lies in its windows, within its segment."""
    segment = corpus.segment[first]
    low = np.maximum(corpus.start[segment], first - matcher.window_before)
    high = np.minimum(corpus.start[segment + 1], last + 1 + matcher.window_after)
    before = corpus.cues[first] - corpus.cues[low]
    after = corpus.cues[high] - corpus.cues[last + 1]
    return (before + after) > 0


def _term_id(matcher: _Matcher, term: str) -> int:
    return matcher.term_ids.setdefault(term, len(matcher.term_ids))


def _records(segment, code, kind, order, term) -> dict[str, np.ndarray]:
    size = len(segment)
    return {
        "segment": np.asarray(segment, dtype=np.int64),
        "code": np.broadcast_to(np.asarray(code, dtype=np.int64), size),
        "kind": np.full(size, kind, dtype=np.int64),
        "order": np.broadcast_to(np.asarray(order, dtype=np.int64), size),
        "term": np.broadcast_to(np.asarray(term, dtype=np.int64), size),
    }


def _token_records(matcher: _Matcher, corpus: _Corpus) -> dict[str, np.ndarray]:
    """Lemma, form, stem and prefix hits at every token position, negated ones removed."""
    hits = [matcher.hits.get(token, ()) for token in corpus.vocabulary]
    per_token = np.array([len(found) for found in hits], dtype=np.int64)
    hit_code = np.array(
        [matcher.code_index[code] for found in hits for code, _ in found], dtype=np.int64
    )
    hit_term = np.array(
        [_term_id(matcher, term) for found in hits for _, term in found], dtype=np.int64
    )
    positions = np.flatnonzero(per_token[corpus.ids] > 0)
    counts = per_token[corpus.ids[positions]]
    offsets = np.cumsum(per_token) - per_token
    rows = _expand(offsets[corpus.ids[positions]], counts)
    positions = np.repeat(positions, counts)
    code, term = hit_code[rows], hit_term[rows]
    keep = matcher.keep_mask[code] | ~_negated_spans(matcher, corpus, positions, positions)
    return _records(corpus.segment[positions[keep]], code[keep], 0, positions[keep], term[keep])


def _phrase_ends(
    matcher: _Matcher,
    corpus: _Corpus,
    fits: Mapping[str, np.ndarray],
    starts: np.ndarray,
    phrase: Sequence[str],
) -> tuple[np.ndarray, np.ndarray]:
    """Follow ``phrase`` from each start: each next word is the first fitting one in the gap."""
    last_token = len(corpus.ids) - 1
    ends = corpus.start[corpus.segment[starts] + 1]
    position = starts
    for word in phrase[1:]:
        fit = fits.get(word)
        if fit is None:
            return starts[:0], starts[:0]
        following = np.full(len(position), -1, dtype=np.int64)
        for offset in range(1, matcher.phrase_gap + 2):
            candidate = position + offset
            ok = (following < 0) & (candidate < ends)
            ok &= fit[corpus.ids[np.minimum(candidate, last_token)]]
            following[ok] = candidate[ok]
        found = following >= 0
        starts, position, ends = starts[found], following[found], ends[found]
    return starts, position


def _phrase_records(matcher: _Matcher, corpus: _Corpus) -> list[dict[str, np.ndarray]]:
    """Segments where a phrase occurs in order (at least once without negation)."""
    fits: dict[str, np.ndarray] = {}
    for number, token in enumerate(corpus.vocabulary):
        for word in matcher.fitted.get(token, ()):
            fits.setdefault(word, np.zeros(len(corpus.vocabulary), dtype=bool))[number] = True
    if not fits:
        return []
    candidates = np.flatnonzero(np.logical_or.reduce(list(fits.values()))[corpus.ids])
    candidate_ids = corpus.ids[candidates]
    firsts: dict[str, np.ndarray] = {}  # phrases often share their first word
    records = []
    for number, (code, phrase) in enumerate(matcher.phrases):
        if phrase[0] not in fits:
            continue
        if phrase[0] not in firsts:
            firsts[phrase[0]] = candidates[fits[phrase[0]][candidate_ids]]
        starts, ends = _phrase_ends(matcher, corpus, fits, firsts[phrase[0]], phrase)
        if code not in matcher.keep_negated:
            keep = ~_negated_spans(matcher, corpus, starts, ends)
            starts = starts[keep]
        if len(starts):
            records.append(
                _records(
                    np.unique(corpus.segment[starts]),
                    matcher.code_index[code],
                    1,
                    number,
                    _term_id(matcher, " ".join(phrase)),
                )
            )
    return records


def arrow_lower_is_exact(chars: Iterable[str]) -> bool:
    """Tell whether Arrow's ``utf8_lower`` lower-cases text made of ``chars`` as ``str.lower``.

    ``str.lower`` maps each character on its own except the capital sigma, whose lower case
    depends on the letters around it; so when no text holds a capital sigma, the two agree on
    whole texts exactly when they agree on each character.

    Parameters
    ----------
    chars
        The distinct characters of the texts.

    Returns
    -------
    bool
        True if lower-casing in Arrow gives the same strings.

    Examples
    --------
    >>> arrow_lower_is_exact("ĀBOLS ābols")
    True
    >>> arrow_lower_is_exact("İ")  # Python gives i and a combining dot above
    False
    """
    distinct = sorted(set(chars))
    if "\u03a3" in distinct:
        return False
    arrow = pc.utf8_lower(pa.array(distinct, pa.string())).to_pylist()
    return arrow == [char.lower() for char in distinct]


def _lowered(texts: pa.LargeStringArray, corpus: _Corpus) -> list[str]:
    """Return the texts lower-cased as ``str.lower`` does, in Arrow where that is exact."""
    if arrow_lower_is_exact(corpus.cased_chars):
        return pc.utf8_lower(texts).to_pylist()
    return [text.lower() for text in texts.to_pylist()]


def _pattern_records(
    matcher: _Matcher, corpus: _Corpus, texts: pa.LargeStringArray
) -> list[dict[str, np.ndarray]]:
    """Segments where a pattern matches; searched only where its gate literals all occur."""
    groups = [matcher.group_hits.get(token, frozenset()) for token in corpus.vocabulary]
    per_token = np.array([len(found) for found in groups], dtype=np.int64)
    group_of = np.array([group for found in groups for group in sorted(found)], dtype=np.int64)
    positions = np.flatnonzero(per_token[corpus.ids] > 0)
    counts = per_token[corpus.ids[positions]]
    rows = _expand((np.cumsum(per_token) - per_token)[corpus.ids[positions]], counts)
    present = np.zeros((len(texts), len(matcher.groups)), dtype=bool)
    present[np.repeat(corpus.segment[positions], counts), group_of[rows]] = True
    candidates = [
        np.flatnonzero(present[:, sorted(needs)].all(axis=1)) if needs else np.arange(len(texts))
        for needs in matcher.needs
    ]
    # Only segments that some pattern may match become Python strings, each lowered once.
    wanted = np.unique(np.concatenate([np.zeros(0, dtype=np.int64), *candidates]))
    lowered = dict(zip(wanted.tolist(), _lowered(texts.take(wanted), corpus), strict=True))
    records = []
    forms = _search_forms(matcher, corpus.chars)
    relaxed = [relaxed_pattern(form) for form in forms]
    for number, (code, pattern, _) in enumerate(matcher.patterns):
        matched = [
            segment
            for segment in candidates[number].tolist()
            if pattern_found(forms[number], relaxed[number], lowered[segment])
        ]
        if matched:
            records.append(
                _records(
                    matched,
                    matcher.code_index[code],
                    2,
                    number,
                    _term_id(matcher, f"/{pattern.pattern}/"),
                )
            )
    return records


def _code_corpus(
    matcher: _Matcher, texts: pa.LargeStringArray
) -> tuple[np.ndarray, np.ndarray, pa.LargeListArray]:
    """Code many texts at once; return segment numbers, code numbers and matched terms.

    One row per segment and code, by segment then code (numbers index ``texts`` and
    ``matcher.code_ids``). Terms of one code come in this order, each once: token rules by
    position (several terms at one position alphabetically), then phrases and patterns in
    codebook order.
    """
    corpus = _index_corpus(matcher, texts)
    parts = [
        _token_records(matcher, corpus),
        *_phrase_records(matcher, corpus),
        *_pattern_records(matcher, corpus, texts),
    ]
    table = {key: np.concatenate([part[key] for part in parts]) for key in parts[0]}
    terms = sorted(matcher.term_ids, key=matcher.term_ids.__getitem__)
    rank = np.empty(len(terms), dtype=np.int64)
    rank[np.argsort(np.array(terms, dtype=object), kind="stable")] = np.arange(len(terms))
    order = np.lexsort(
        (rank[table["term"]], table["order"], table["kind"], table["code"], table["segment"])
    )
    segment, code, term = (table[key][order] for key in ("segment", "code", "term"))
    key = (segment * len(matcher.code_ids) + code) * len(terms) + term
    first = np.sort(np.unique(key, return_index=True)[1])
    segment, code, term = segment[first], code[first], term[first]
    new_row = np.ones(len(segment), dtype=bool)
    new_row[1:] = (segment[1:] != segment[:-1]) | (code[1:] != code[:-1])
    starts = np.flatnonzero(new_row)
    found = pa.LargeListArray.from_arrays(
        np.append(starts, len(term)), pa.array(terms, pa.large_string()).take(term)
    )
    return segment[starts], code[starts], found


def _first_without_text(column: pd.Series) -> int | None:
    """Return the position of the first value that is missing or not a string, else None."""
    if pd.api.types.infer_dtype(column, skipna=False) == "string" and not column.isna().any():
        return None
    bad = [not isinstance(value, str) or pd.isna(value) for value in column.tolist()]
    return bad.index(True) if any(bad) else None


def code_text(matcher: _Matcher, text: str) -> dict[str, list[str]]:
    """Return the codes matched in ``text`` with the terms that matched, in rule order.

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
    _, codes, terms = _code_corpus(matcher, pa.array([text], pa.large_string()))
    return {
        matcher.code_ids[code]: found for code, found in zip(codes, terms.to_pylist(), strict=True)
    }


def code_segments(
    segments: pd.DataFrame, codebook: ThemeCodebook, *, roles: Iterable[str] = ("respondent",)
) -> pd.DataFrame:
    """Code every segment spoken in one of ``roles``; one row per segment and code.

    All segments are coded together: tokens are mapped to vocabulary ids once, each distinct
    token is analysed once, and rule hits, phrases and negation windows are found with array
    operations over the whole corpus (see ``docs/interviews.md``).

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

    Raises
    ------
    TypeError
        If a coded segment's text is missing or not a string.
    """
    matcher = compile_codebook(codebook)
    chosen = np.flatnonzero(segments["role"].isin(list(roles)).to_numpy())
    if not len(chosen):
        return pd.DataFrame([], columns=CODED_COLUMNS)
    column = segments["text"].iloc[chosen]
    if (bad := _first_without_text(column)) is not None:
        where = segments.iloc[chosen[bad]]
        raise TypeError(
            f"segments: interview {where['interview_id']}, segment {where['segment_id']}: "
            f"column 'text' must hold the segment's text, found {column.iloc[bad]!r}"
        )
    texts = pa.array(column, type=pa.large_string())
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    rows, codes, terms = _code_corpus(matcher, texts)
    take = chosen[rows]
    columns = {
        **{key: pa.array(segments[key].iloc[take], pa.large_string()) for key in CODED_COLUMNS[:3]},
        "code": pa.array(matcher.code_ids, pa.large_string()).take(codes),
        "matched_terms": pc.binary_join(terms, pa.scalar("; ", pa.large_string())),
        "text": texts.take(rows),
    }
    coded = pd.DataFrame({key: _text_column(columns[key]) for key in CODED_COLUMNS})
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
                rows.append(
                    (
                        term,
                        key,
                        ", ".join(sorted(owners[key])),
                        "stem too short: matched on the lemma or exact form only",
                    )
                )
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
    cut = text[: limit + 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def exemplar_quotes(
    coded: pd.DataFrame,
    codebook: ThemeCodebook,
    *,
    per_code: int = 2,
    limit: int = 220,
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
    ranked = coded.assign(
        n_terms=coded["matched_terms"].str.count(";") + 1, length=coded["text"].str.len()
    )
    ranked = ranked.sort_values(
        ["code", "n_terms", "length", "interview_id", "segment_id"],
        ascending=[True, False, True, True, True],
    )
    for code in codebook.leaves:
        picked = ranked[ranked["code"] == code.id].drop_duplicates("interview_id").head(per_code)
        rows += [
            (code.id, code.name(lang), r.interview_id, r.segment_id, shorten(r.text, limit=limit))
            for r in picked.itertuples(index=False)
        ]
    return pd.DataFrame(rows, columns=["code", "name", "interview_id", "segment_id", "quote"])


def quadrant_table(
    matrix: pd.DataFrame,
    quotes: pd.DataFrame,
    codebook: ThemeCodebook,
    *,
    root: str,
    quadrant_keys: Mapping[str, str] | None = None,
    lang: str = "lv",
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
            rows.append(
                (
                    item.name(lang),
                    item.id,
                    key,
                    quadrant.name(lang),
                    int(interviews.get(item.id, 0)),
                    first_quote.get(item.id, ""),
                )
            )
    return pd.DataFrame(
        rows, columns=["item", "code", "quadrant", "quadrant_name", "n_interviews", "quote"]
    )


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
    cells = {
        q: "\n".join(
            f"{r.item} ({r.n_interviews})"
            for r in table[table["quadrant_name"] == q].itertuples(index=False)
        )
        for q in quadrants
    }
    padded = quadrants + [""] * (4 - len(quadrants))
    return pd.DataFrame(
        [
            [cells.get(padded[0], ""), cells.get(padded[1], "")],
            [cells.get(padded[2], ""), cells.get(padded[3], "")],
        ],
        columns=[padded[0], padded[1]],
        index=["1", "2"],
    )


def plot_cooccurrence(
    c_coefficient: pd.DataFrame, *, labels: Sequence[str], title: str = "", note: str = ""
) -> Figure:
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
