"""Pseudonymise interview transcripts: replace personal data by consistent placeholders.

Two kinds of rules, both configured in the codebook's ``redaction`` section:

* **Patterns** (regular expressions per category: phones, e-mails, personal codes, addresses),
  plus every register value of such a category, matched literally with flexible spacing and
  word endings.
* **Entities** (categories whose placeholder has ``{n}``, e.g. persons and places): the words
  of every register value are reduced to stem keys (see :func:`ruralplan.coding.stem_key`), so
  inflected forms (``Kalniņa``, ``Kalniņai``, ``Kalniņā``) match their base form. Names not on
  the register are caught by a small first-name lexicon (with the capitalised word that follows
  as surname) and by title words after a capitalised word (``Ozola kungs``). Neighbouring words
  of one entity collapse into one placeholder, numbered per interview in order of appearance.

Only the register's ``interview_id, category, value`` columns are used.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import LatvianStemmer
import pandas as pd

from ruralplan.coding import fold, lemma, stem_key

LOG_COLUMNS = ["interview_id", "category", "count"]
REGISTER_COLUMNS = ["interview_id", "category", "value"]
_WORD_RE = re.compile(r"[^\W\d_]+")
_GAP_RE = re.compile(r"^[ \t]+$")


class RedactionError(ValueError):
    """Raised when the redaction settings or the register are malformed."""


@dataclass(frozen=True)
class RedactionConfig:
    """Validated redaction settings."""

    placeholders: Mapping[str, str]
    patterns: Mapping[str, tuple[re.Pattern[str], ...]]
    first_names: frozenset[str]
    titles: frozenset[str]
    person_category: str
    min_key_length: int = 3
    prefix_key_length: int = 5

    @property
    def entity_categories(self) -> tuple[str, ...]:
        """Categories replaced by numbered placeholders."""
        return tuple(cat for cat, template in self.placeholders.items() if "{n}" in template)


def parse_redaction_config(raw: Any, *, source: str = "codebook") -> RedactionConfig:
    """Validate the ``redaction`` section of a codebook.

    Parameters
    ----------
    raw
        Mapping with ``placeholders`` (category -> template, ``{n}`` for numbered ones),
        ``patterns`` (category -> list of regular expressions), ``first_names``, ``titles``,
        ``person_category`` (default ``person``).
    source
        Name used in error messages.

    Returns
    -------
    RedactionConfig
        The settings.

    Raises
    ------
    RedactionError
        If a key is missing, a pattern does not compile or names an unknown category.
    """
    if not isinstance(raw, Mapping) or not isinstance(raw.get("placeholders"), Mapping):
        raise RedactionError(f"{source}: `redaction.placeholders` must map categories to "
                             "placeholder texts such as '[NAME_{n}]'")
    placeholders = {str(k): str(v) for k, v in raw["placeholders"].items()}
    patterns: dict[str, tuple[re.Pattern[str], ...]] = {}
    for category, items in (raw.get("patterns") or {}).items():
        if category not in placeholders:
            raise RedactionError(f"{source}: redaction.patterns names category {category!r} "
                                 f"without a placeholder; known {sorted(placeholders)}")
        try:
            patterns[category] = tuple(re.compile(item) for item in items)
        except re.error as error:
            raise RedactionError(f"{source}: redaction.patterns.{category}: {error}") from error
    person = str(raw.get("person_category", "person"))
    if person not in placeholders or "{n}" not in placeholders[person]:
        raise RedactionError(f"{source}: person category {person!r} needs a numbered "
                             "placeholder containing {n}")
    return RedactionConfig(
        placeholders=placeholders, patterns=patterns,
        first_names=frozenset(_key(name) for name in raw.get("first_names") or []),
        titles=frozenset(_key(title) for title in raw.get("titles") or []),
        person_category=person,
    )


def check_register(register: pd.DataFrame, config: RedactionConfig, *,
                   source: str = "register") -> pd.DataFrame:
    """Validate the register of protected values and return its used columns.

    Parameters
    ----------
    register
        Table with at least ``interview_id, category, value``.
    config
        Redaction settings (their categories are the allowed ones).
    source
        Name used in error messages, normally the file path.

    Returns
    -------
    pandas.DataFrame
        Columns ``interview_id, category, value`` only (other columns are dropped unread).

    Raises
    ------
    RedactionError
        If a column is missing, a value is empty or a category unknown (row numbers given).
    """
    missing = [column for column in REGISTER_COLUMNS if column not in register.columns]
    if missing:
        raise RedactionError(f"{source}: missing columns {missing}; expected {REGISTER_COLUMNS}")
    used = register[REGISTER_COLUMNS].astype("string")
    for row, record in enumerate(used.itertuples(index=False), start=2):
        if any(pd.isna(value) or not str(value).strip() for value in record):
            raise RedactionError(f"{source}, row {row}: empty interview_id, category or value")
        if record.category not in config.placeholders:
            raise RedactionError(f"{source}, row {row}, column category: {record.category!r} "
                                 f"is not one of {sorted(config.placeholders)}")
    return used.reset_index(drop=True)


def _key(word: str) -> str:
    return stem_key(word.lower())


def _flexible(stem: str) -> str:
    """Escape ``stem`` and let plain and palatalised consonants stand for each other."""
    pairs = {"n": "nņ", "l": "lļ", "k": "kķ", "g": "gģ", "c": "cč", "s": "sš", "z": "zž"}
    return "".join(f"[{pairs[fold(ch)]}]" if fold(ch) in pairs else re.escape(ch)
                   for ch in stem.lower())


def _literal_pattern(value: str) -> re.Pattern[str]:
    """Match a register value with any spacing and, for words, any case ending."""
    parts = []
    for word in value.split():
        if _WORD_RE.fullmatch(word) and len(word) > 3:
            parts.append(_flexible(LatvianStemmer.stem(word.lower())) + r"\w*")
        else:
            parts.append(re.escape(word))
    return re.compile(r"[ \t-]*".join(parts), re.IGNORECASE)


def _apply_patterns(
    text: str, register: pd.DataFrame, config: RedactionConfig
) -> tuple[str, dict[str, int]]:
    counts: dict[str, int] = {}
    for category, template in config.placeholders.items():
        if "{n}" in template:
            continue
        values = register.loc[register["category"] == category, "value"]
        rules = [_literal_pattern(v) for v in sorted(set(values), key=len, reverse=True)]
        for pattern in [*rules, *config.patterns.get(category, ())]:
            text, replaced = pattern.subn(template, text)
            counts[category] = counts.get(category, 0) + replaced
    return text, counts


def _entity_keys(register: pd.DataFrame, config: RedactionConfig) -> dict[str, tuple[str, str]]:
    """Map stem keys of register words to (category, entity label)."""
    keys: dict[str, tuple[str, str]] = {}
    entity_rows = register[register["category"].isin(config.entity_categories)]
    for record in entity_rows.drop_duplicates(["category", "value"]).itertuples(index=False):
        label = f"{record.category}:{record.value}"
        for word in _WORD_RE.findall(record.value):
            key = _key(word)
            if len(key) >= config.min_key_length:
                keys.setdefault(key, (record.category, label))
            keys.setdefault("=" + word.lower(), (record.category, label))
    return keys


def _lookup(word: str, keys: Mapping[str, tuple[str, str]], config: RedactionConfig):
    lowered = word.lower()
    found = keys.get("=" + lowered) or keys.get(_key(word)) or keys.get(_key(lemma(lowered)))
    if found:
        return found
    folded = fold(lowered)
    for key, entity in keys.items():
        if len(key) >= config.prefix_key_length and not key.startswith("=") \
                and folded.startswith(key):
            return entity
    return None


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper() and not word.isupper()


def _heuristic_entity(words: Sequence[re.Match[str]], index: int, config: RedactionConfig):
    """Return a person label for a capitalised name not on the register, else None."""
    word = words[index].group()
    if not _is_capitalised(word):
        return None
    key = _key(word)
    if key in config.first_names:
        return (config.person_category, f"{config.person_category}:~{key}")
    following = words[index + 1].group() if index + 1 < len(words) else ""
    if following and _key(following) in config.titles:
        return (config.person_category, f"{config.person_category}:~{key}")
    return None


def _tag_words(text: str, keys: dict[str, tuple[str, str]], config: RedactionConfig):
    """Return (start, end, category, label) for every word to replace, merged per entity."""
    words = list(_WORD_RE.finditer(text))
    spans: list[list[Any]] = []
    for index, match in enumerate(words):
        entity = _lookup(match.group(), keys, config) or _heuristic_entity(words, index, config)
        previous = spans[-1] if spans else None
        adjacent = previous is not None and _GAP_RE.match(text[previous[1]:match.start()])
        if entity is None and adjacent and previous[2] == config.person_category \
                and previous[3].split(":", 1)[1].startswith("~") \
                and _is_capitalised(match.group()) and previous[4] == 1:
            entity = (previous[2], previous[3])
            keys.setdefault(_key(match.group()), entity)
        if entity is None:
            continue
        if adjacent and previous[3] == entity[1]:
            previous[1] = match.end()
            previous[4] += 1
        else:
            spans.append([match.start(), match.end(), entity[0], entity[1], 1])
    return spans


def redact_text(
    text: str, register: pd.DataFrame, config: RedactionConfig
) -> tuple[str, dict[str, int]]:
    """Replace personal data in one transcript by placeholders.

    Parameters
    ----------
    text
        The raw transcript.
    register
        Protected values (``category, value``) from :func:`check_register`.
    config
        Redaction settings.

    Returns
    -------
    tuple
        The redacted text and the number of replacements per category.

    Examples
    --------
    >>> import pandas as pd
    >>> config = parse_redaction_config({"placeholders": {"person": "[P_{n}]"}})
    >>> register = pd.DataFrame({"category": ["person"], "value": ["Ilze Kalniņa"]})
    >>> redact_text("Ilzei Kalniņai un Kalniņas māsai", register, config)[0]
    '[P_1] un [P_1] māsai'
    """
    text, counts = _apply_patterns(text, register, config)
    keys = _entity_keys(register, config)
    spans = _tag_words(text, keys, config)
    numbers: dict[str, int] = {}
    per_category: dict[str, int] = {}
    pieces, cursor = [], 0
    for start, end, category, label, _ in spans:
        if label not in numbers:
            per_category[category] = per_category.get(category, 0) + 1
            numbers[label] = per_category[category]
        pieces += [text[cursor:start], config.placeholders[category].format(n=numbers[label])]
        counts[category] = counts.get(category, 0) + 1
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces), counts


def redact_transcripts(
    transcripts: Mapping[str, str], register: pd.DataFrame, config: RedactionConfig
) -> tuple[dict[str, str], pd.DataFrame]:
    """Redact every transcript with the whole register (values protected in all interviews).

    Parameters
    ----------
    transcripts
        Interview id mapped to raw text.
    register
        From :func:`check_register`.
    config
        Redaction settings.

    Returns
    -------
    tuple
        Interview id mapped to redacted text, and the log with columns
        ``interview_id, category, count`` (counts only, one row per interview and category).
    """
    redacted, rows = {}, []
    for interview_id in sorted(transcripts):
        redacted[interview_id], counts = redact_text(transcripts[interview_id], register, config)
        rows += [(interview_id, category, counts.get(category, 0))
                 for category in config.placeholders]
    return redacted, pd.DataFrame(rows, columns=LOG_COLUMNS)
