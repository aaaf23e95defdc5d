"""Pseudonymise interview transcripts: replace personal data by consistent placeholders.

Two kinds of rules, both configured in the codebook's ``redaction`` section:

* **Patterns** (regular expressions per category: phones, e-mails, personal codes, addresses),
  plus every register value of such a category, matched literally with flexible spacing and
  word endings.
* **Entities** (categories whose placeholder has ``{n}``, e.g. persons and places): the words
  of every register value are reduced to stem keys (see :func:`.words.stem_key`), so
  inflected forms (``Kalniņa``, ``Kalniņai``, ``Kalniņā``) match their base form. Names not on
  the register are caught by a small first-name lexicon (with the capitalised word that follows
  as surname) and by title words after a capitalised word (``Ozola kungs``). Neighbouring words
  of one entity collapse into one placeholder, numbered per interview in order of appearance.

Only the register's ``interview_id, category, value`` columns are used. Stems, lemmas and
folding follow the interview language (the codebook's ``language``, see :mod:`.words`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ruralplan.interviews.words import DEFAULT_LANGUAGE, fold, is_supported, lemma, stem, stem_key

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
    language: str = DEFAULT_LANGUAGE

    @property
    def entity_categories(self) -> tuple[str, ...]:
        """Categories replaced by numbered placeholders."""
        return tuple(cat for cat, template in self.placeholders.items() if "{n}" in template)


def parse_redaction_config(
    raw: Any, *, source: str = "codebook", language: str = DEFAULT_LANGUAGE
) -> RedactionConfig:
    """Validate the ``redaction`` section of a codebook.

    Parameters
    ----------
    raw
        Mapping with ``placeholders`` (category -> template, ``{n}`` for numbered ones),
        ``patterns`` (category -> list of regular expressions), ``first_names``, ``titles``,
        ``person_category`` (default ``person``).
    source
        Name used in error messages.
    language
        The interview language (the codebook's ``language``): stems and lemmas follow it.

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
        raise RedactionError(
            f"{source}: `redaction.placeholders` must map categories to "
            "placeholder texts such as '[NAME_{n}]'"
        )
    placeholders = {str(k): str(v) for k, v in raw["placeholders"].items()}
    patterns: dict[str, tuple[re.Pattern[str], ...]] = {}
    for category, items in (raw.get("patterns") or {}).items():
        if category not in placeholders:
            raise RedactionError(
                f"{source}: redaction.patterns names category {category!r} "
                f"without a placeholder; known {sorted(placeholders)}"
            )
        try:
            patterns[category] = tuple(re.compile(item) for item in items)
        except re.error as error:
            raise RedactionError(f"{source}: redaction.patterns.{category}: {error}") from error
    if not is_supported(language):
        raise RedactionError(f"{source}: language {language!r} is not supported by simplemma")
    person = str(raw.get("person_category", "person"))
    if person not in placeholders or "{n}" not in placeholders[person]:
        raise RedactionError(
            f"{source}: person category {person!r} needs a numbered placeholder containing {{n}}"
        )
    return RedactionConfig(
        placeholders=placeholders,
        patterns=patterns,
        first_names=frozenset(_key(name, language) for name in raw.get("first_names") or []),
        titles=frozenset(_key(title, language) for title in raw.get("titles") or []),
        person_category=person,
        language=language,
    )


def check_register(
    register: pd.DataFrame, config: RedactionConfig, *, source: str = "register"
) -> pd.DataFrame:
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
            raise RedactionError(
                f"{source}, row {row}, column category: {record.category!r} "
                f"is not one of {sorted(config.placeholders)}"
            )
    return used.reset_index(drop=True)


def _key(word: str, lang: str) -> str:
    return stem_key(word.lower(), lang)


def _flexible(text: str, lang: str) -> str:
    """Escape ``text`` and let plain and palatalised consonants stand for each other."""
    pairs = {"n": "nņ", "l": "lļ", "k": "kķ", "g": "gģ", "c": "cč", "s": "sš", "z": "zž"}
    if lang != "lv":
        return re.escape(text.lower())
    return "".join(
        f"[{pairs[fold(ch)]}]" if fold(ch) in pairs else re.escape(ch) for ch in text.lower()
    )


def _literal_pattern(value: str, lang: str) -> re.Pattern[str]:
    """Match a register value with any spacing and, for words, any case ending."""
    parts = []
    for word in value.split():
        if _WORD_RE.fullmatch(word) and len(word) > 3:
            parts.append(_flexible(stem(word.lower(), lang), lang) + r"\w*")
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
        rules = [
            _literal_pattern(v, config.language) for v in sorted(set(values), key=len, reverse=True)
        ]
        for pattern in [*rules, *config.patterns.get(category, ())]:
            text, replaced = pattern.subn(template, text)
            counts[category] = counts.get(category, 0) + replaced
    return text, counts


Entity = tuple[str, str]
"""A (category, label) pair; the label names one protected entity."""
Candidates = frozenset[Entity]


def _entity_values(
    register: pd.DataFrame, config: RedactionConfig, interview_id: str | None
) -> tuple[list[Entity], list[Entity]]:
    """Return the (category, value) entities of this interview and of all other interviews."""
    rows = register[register["category"].isin(config.entity_categories)]
    if interview_id is not None and "interview_id" in rows.columns:
        own = rows["interview_id"] == interview_id
        local = list(
            dict.fromkeys(zip(rows.loc[own, "category"], rows.loc[own, "value"], strict=True))
        )
        others = list(
            dict.fromkeys(zip(rows.loc[~own, "category"], rows.loc[~own, "value"], strict=True))
        )
        return local, [entity for entity in others if entity not in local]
    return list(dict.fromkeys(zip(rows["category"], rows["value"], strict=True))), []


def _word_keys(word: str, config: RedactionConfig) -> list[str]:
    key = _key(word, config.language)
    return ([key] if len(key) >= config.min_key_length else []) + ["=" + word]


def _entity_keys(values: Sequence[Entity], config: RedactionConfig) -> dict[str, Candidates]:
    """Map stem keys of register words to the entities whose value contains them.

    Values of two or more words come first: each is one entity (a person's first name and
    surname belong together). A one-word value whose keys all point to a single such entity
    is the same entity (a surname or first name listed again); otherwise it is its own entity.
    """
    keys: dict[str, set[Entity]] = {}
    ordered = sorted(values, key=lambda entity: len(_WORD_RE.findall(entity[1])) < 2)
    for category, value in ordered:
        entity = (category, f"{category}:{value}")
        words = _WORD_RE.findall(value)
        word_keys = [key for word in words for key in _word_keys(word, config)]
        if len(words) == 1:
            owners = {
                owner for key in word_keys for owner in keys.get(key, ()) if owner[0] == category
            }
            if len(owners) == 1:
                continue
        for key in word_keys:
            keys.setdefault(key, set()).add(entity)
    return {key: frozenset(found) for key, found in keys.items()}


def _lookup(
    word: str, tables: Sequence[Mapping[str, Candidates]], config: RedactionConfig
) -> Candidates | None:
    """Return the entities ``word`` may refer to: this interview's register first.

    A word spelt exactly as a register word matches it; other forms match by stem only when
    they start with a capital letter (Latvian names always do), so that common nouns sharing
    a name's stem (*valde*, board, and *Valdis*) are left alone.
    """
    exact = "=" + word
    if not word[:1].isupper():
        return next((keys[exact] for keys in tables if exact in keys), None)
    lang = config.language
    lowered = word.lower()
    folded = fold(lowered, lang)
    for keys in tables:
        found = (
            keys.get(exact)
            or keys.get(_key(word, lang))
            or keys.get(_key(lemma(lowered, lang), lang))
        )
        if found:
            return found
        for key, entities in keys.items():
            if (
                len(key) >= config.prefix_key_length
                and not key.startswith("=")
                and folded.startswith(key)
            ):
                return entities
    return None


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper() and not word.isupper()


def _heuristic_entity(
    words: Sequence[re.Match[str]], index: int, config: RedactionConfig
) -> Candidates | None:
    """Return a person entity for a capitalised name not on the register, else None."""
    word = words[index].group()
    if not _is_capitalised(word):
        return None
    key = _key(word, config.language)
    following = words[index + 1].group() if index + 1 < len(words) else ""
    if key in config.first_names or (
        following and _key(following, config.language) in config.titles
    ):
        return frozenset({(config.person_category, f"{config.person_category}:~{key}")})
    return None


def _is_guess(candidates: Candidates) -> bool:
    """Tell whether ``candidates`` is a single entity guessed from the lexicon or a title."""
    return len(candidates) == 1 and next(iter(candidates))[1].split(":", 1)[1].startswith("~")


def _join(previous: list[Any], candidates: Candidates, word: str, config: RedactionConfig):
    """Return the entities of ``previous`` extended by the adjacent ``word``, or None.

    Neighbouring words join when they can name the same entity; a lexicon first name also
    joins a registered surname or an unlisted capitalised word that follows it.
    """
    common = previous[2] & candidates
    if common:
        return common
    person = config.person_category
    if (
        _is_guess(previous[2])
        and previous[3] == 1
        and _is_capitalised(word)
        and all(category == person for category, _ in candidates)
    ):
        return candidates
    return None


def _tag_words(text: str, tables: list[dict[str, Candidates]], config: RedactionConfig):
    """Return [start, end, candidates, n_words] for every run of words naming one entity."""
    words = list(_WORD_RE.finditer(text))
    spans: list[list[Any]] = []
    for index, match in enumerate(words):
        word = match.group()
        candidates = _lookup(word, tables, config) or _heuristic_entity(words, index, config)
        previous = spans[-1] if spans else None
        adjacent = previous is not None and _GAP_RE.match(text[previous[1] : match.start()])
        if (
            candidates is None
            and adjacent
            and _is_guess(previous[2])
            and previous[3] == 1
            and _is_capitalised(word)
        ):
            candidates = previous[2]
            tables[-1].setdefault(_key(word, config.language), candidates)
        if candidates is None:
            continue
        joined = _join(previous, candidates, word, config) if adjacent else None
        if joined is not None:
            previous[1], previous[2], previous[3] = match.end(), joined, previous[3] + 1
        else:
            spans.append([match.start(), match.end(), candidates, 1])
    return spans


def _resolve(candidates: Candidates) -> Entity:
    """Return the one entity, or an entity standing for an ambiguous mention."""
    if len(candidates) == 1:
        return next(iter(candidates))
    category = min(category for category, _ in candidates)
    return category, "?" + "|".join(sorted(label for _, label in candidates))


def redact_text(
    text: str,
    register: pd.DataFrame,
    config: RedactionConfig,
    *,
    interview_id: str | None = None,
) -> tuple[str, dict[str, int]]:
    """Replace personal data in one transcript by placeholders.

    A person gets one number per interview: a full name, the surname alone, the first name
    alone and ``surname + title`` share it. A word that could name several people of the
    interview (a shared first name or surname) gets a number of its own.

    Parameters
    ----------
    text
        The raw transcript.
    register
        Protected values (``category, value``, optionally ``interview_id``) from
        :func:`check_register`.
    config
        Redaction settings.
    interview_id
        The transcript's interview: its register rows decide whom a name refers to; the rows
        of other interviews are still protected, as other people. ``None`` treats every row as
        belonging to this interview.

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
    local, others = _entity_values(register, config, interview_id)
    tables = [_entity_keys(local, config), _entity_keys(others, config), {}]
    spans = _tag_words(text, tables, config)
    numbers: dict[str, int] = {}
    per_category: dict[str, int] = {}
    pieces, cursor = [], 0
    for start, end, candidates, _ in spans:
        category, label = _resolve(candidates)
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
        redacted[interview_id], counts = redact_text(
            transcripts[interview_id], register, config, interview_id=interview_id
        )
        rows += [
            (interview_id, category, counts.get(category, 0)) for category in config.placeholders
        ]
    return redacted, pd.DataFrame(rows, columns=LOG_COLUMNS)
