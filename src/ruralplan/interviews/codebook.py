"""The interview theme codebook: codes with their matching rules, validated from YAML.

A codebook (a YAML mapping, see ``docs/interviews.md``) names the interview ``language``
(ISO 639-1; absent means ``lv``, kept so that codebooks written before the key existed still
read), the speaker labels, negation cues, matching settings, the codes with their rules, sets
of codes, the redaction settings and, optionally, a ``matrix`` block: a grouping code whose
children are shown as the cells of a grid (for example the four quadrants of a SWOT table).
:func:`parse_codebook` validates the mapping and returns a :class:`ThemeCodebook`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ruralplan.interviews.words import DEFAULT_LANGUAGE, is_supported

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
    "key",
    "rules",
    "negation",
    "examples",
    "counter_examples",
}
_TOP_KEYS = {
    "codebook",
    "language",
    "speakers",
    "negation",
    "matching",
    "codes",
    "sets",
    "matrix",
    "redaction",
    "reliability",
}
_MATRIX_KEYS = {"root", "columns"}
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_COLOR_RE = re.compile(r"^#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
_LANGUAGE_RE = re.compile(r"^[a-z]{2,3}$")


class CodebookError(ValueError):
    """Raised when an interview codebook is malformed."""


@dataclass(frozen=True)
class Rules:
    """Matching rules of one code (see ``docs/interviews.md`` and :mod:`.coder`)."""

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
    key: str = ""
    rules: Rules = field(default_factory=Rules)
    keep_negated: bool = False
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()

    def name(self, lang: str) -> str:
        """Return the display name in ``lang`` (``lv`` or ``en``)."""
        return _named(self, lang)

    @property
    def short_key(self) -> str:
        """Return ``key`` if given, else the last part of the id (``a.b_c`` -> ``b_c``)."""
        return self.key or self.id.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class CodeSet:
    """A named group of codes (exported as a REFI-QDA ``Set``)."""

    id: str
    name_lv: str
    name_en: str
    members: tuple[str, ...]
    description: str = ""

    def name(self, lang: str) -> str:
        """Return the display name in ``lang`` (``lv`` or ``en``)."""
        return _named(self, lang)


def _named(item: Any, lang: str) -> str:
    """Return the ``name_<lang>`` of a code or set; an unnamed language is an error."""
    name = getattr(item, f"name_{lang}", None)
    if name is None:
        raise ValueError(f"{item.id}: the codebook gives names in lv and en, not {lang!r}")
    return name


@dataclass(frozen=True)
class MatrixSpec:
    """The ``matrix`` block: the children of ``root`` are the cells of a grid."""

    root: str
    columns: int = 2


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
    language: str = DEFAULT_LANGUAGE
    matrix: MatrixSpec | None = None

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
    key = raw.get("key", "")
    if key and not (isinstance(key, str) and _KEY_RE.match(key)):
        raise CodebookError(f"{where}: key must be lower-case ASCII like `strengths`, got {key!r}")
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
        key=key,
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


def _parse_language(raw: Any, source: str) -> str:
    """Read ``language``: an ISO 639-1 code simplemma knows; absent means ``lv``."""
    if raw is None:
        return DEFAULT_LANGUAGE
    if not isinstance(raw, str) or not _LANGUAGE_RE.match(raw) or not is_supported(raw):
        raise CodebookError(
            f"{source}: language: {raw!r} is not a supported interview language; give an "
            "ISO 639-1 code that simplemma can lemmatise, such as `lv` or `en`"
        )
    return raw


def _parse_matrix(raw: Any, codes: Sequence[Code], source: str) -> MatrixSpec | None:
    """Read the optional ``matrix`` block; its root must be a grouping code with children."""
    if raw is None:
        return None
    if not isinstance(raw, dict) or not raw.get("root") or sorted(set(raw) - _MATRIX_KEYS):
        raise CodebookError(
            f"{source}: matrix: expected a mapping with `root` (a grouping code id) and "
            f"optional `columns` (cells per row), got {raw!r}"
        )
    root, columns = raw["root"], raw.get("columns", 2)
    if isinstance(columns, bool) or not isinstance(columns, int) or columns < 1:
        raise CodebookError(
            f"{source}: matrix.columns: expected a positive integer, got {columns!r}"
        )
    found = [code for code in codes if code.id == root]
    if not found:
        raise CodebookError(f"{source}: matrix.root: {root!r} is not a code id")
    if not found[0].rules.is_empty() or not any(code.parent == root for code in codes):
        raise CodebookError(
            f"{source}: matrix.root: {root!r} must be a grouping code (no rules) whose "
            "children are the cells"
        )
    return MatrixSpec(root=str(root), columns=columns)


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
        On unknown keys, duplicate ids, unknown parents, empty rules, bad patterns, an
        unsupported language or a malformed ``matrix`` block.
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
    language = _parse_language(raw.get("language"), source)
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
        language=language,
        matrix=_parse_matrix(raw.get("matrix"), codes, source),
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
