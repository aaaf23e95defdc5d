"""Redaction settings: the ``redaction`` section of an interview codebook, validated.

See :func:`parse_redaction_config` for the keys and ``docs/interviews.md`` for their use.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ruralplan.interviews import names
from ruralplan.interviews.words import DEFAULT_LANGUAGE, is_supported, stem_key

CONFIG_KEYS = frozenset(
    ["placeholders", "patterns", "person_category", "first_names", "titles"]
    + ["name_lexicon", "person_cues", "place_words", "not_names"]
)
_GENDERS = ("m", "f")


def _key(word: str, lang: str) -> str:
    return stem_key(word.lower(), lang)


class RedactionError(ValueError):
    """Raised when the redaction settings or the register are malformed."""


@dataclass(frozen=True)
class RedactionConfig:
    """Validated redaction settings."""

    placeholders: Mapping[str, str]
    patterns: Mapping[str, tuple[re.Pattern[str], ...]]
    lexicon: names.NameLexicon
    titles: Mapping[str, str]
    person_category: str
    person_cues: frozenset[str] = frozenset()
    place_words: frozenset[str] = frozenset()
    not_names: frozenset[str] = frozenset()
    min_key_length: int = 3
    prefix_key_length: int = 5
    language: str = DEFAULT_LANGUAGE
    name_lexicon: str | None = field(default=None)

    @property
    def entity_categories(self) -> tuple[str, ...]:
        """Categories replaced by numbered placeholders."""
        return tuple(cat for cat, template in self.placeholders.items() if "{n}" in template)


def _compile_patterns(raw: Any, placeholders: Mapping[str, str], source: str):
    patterns: dict[str, tuple[re.Pattern[str], ...]] = {}
    for category, items in (raw or {}).items():
        if category not in placeholders:
            raise RedactionError(
                f"{source}: redaction.patterns names category {category!r} "
                f"without a placeholder; known {sorted(placeholders)}"
            )
        try:
            patterns[category] = tuple(re.compile(item) for item in items)
        except re.error as error:
            raise RedactionError(f"{source}: redaction.patterns.{category}: {error}") from error
    return patterns


def _titles(raw: Any, language: str, source: str) -> dict[str, str]:
    """Return title stem key -> gender (``m``, ``f`` or ``""``) from a list or a mapping."""
    items = raw.items() if isinstance(raw, Mapping) else ((title, "") for title in raw or [])
    titles = {}
    for title, gender in items:
        if gender not in ("", None, *_GENDERS):
            raise RedactionError(
                f"{source}: redaction.titles.{title}: gender {gender!r} is not one of "
                f"{list(_GENDERS)} (or empty)"
            )
        titles[_key(str(title), language)] = gender or ""
    return titles


def _lexicon(raw: Mapping[str, Any], language: str, source: str) -> names.NameLexicon:
    calendar = raw.get("name_lexicon")
    if calendar is not None and calendar not in names.CALENDARS:
        raise RedactionError(
            f"{source}: redaction.name_lexicon {calendar!r} is not one of "
            f"{list(names.CALENDARS)} (or absent)"
        )
    if calendar is not None and language != "lv":
        raise RedactionError(
            f"{source}: redaction.name_lexicon {calendar!r} holds Latvian names and derives "
            f"Latvian diminutives; the interview language is {language!r}"
        )
    extra = tuple(str(name) for name in raw.get("first_names") or [])
    return names.load_lexicon(calendar, extra, language)


def parse_redaction_config(
    raw: Any, *, source: str = "codebook", language: str = DEFAULT_LANGUAGE
) -> RedactionConfig:
    """Validate the ``redaction`` section of a codebook.

    Parameters
    ----------
    raw
        Mapping with ``placeholders`` (category -> template, ``{n}`` for numbered ones; their
        order is the order the patterns are applied in), ``patterns`` (category -> list of
        regular expressions), ``first_names``, ``titles`` (a list, or title -> ``m``/``f``),
        ``person_category`` (default ``person``), and optionally ``name_lexicon``
        (``lv-namedays`` or ``lv-namedays-extended``), ``person_cues`` (verb lemmas that mark
        the word before them as a person) and ``place_words`` (nouns that mark the
        capitalised word before them as a place or organisation, not a first name) and
        ``not_names`` (word forms never taken for a name, such as holidays named after
        people: *Jāņos*, at Midsummer).
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
        If a key is missing or unknown, a pattern does not compile or names an unknown
        category, or the name lexicon is unknown.
    """
    if not isinstance(raw, Mapping) or not isinstance(raw.get("placeholders"), Mapping):
        raise RedactionError(
            f"{source}: `redaction.placeholders` must map categories to "
            "placeholder texts such as '[NAME_{n}]'"
        )
    unknown = sorted(set(raw) - CONFIG_KEYS)
    if unknown:
        raise RedactionError(
            f"{source}: unknown redaction keys {unknown}; known {sorted(CONFIG_KEYS)}"
        )
    placeholders = {str(k): str(v) for k, v in raw["placeholders"].items()}
    patterns = _compile_patterns(raw.get("patterns"), placeholders, source)
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
        lexicon=_lexicon(raw, language, source),
        titles=_titles(raw.get("titles"), language, source),
        person_category=person,
        person_cues=frozenset(str(cue).lower() for cue in raw.get("person_cues") or []),
        place_words=frozenset(_key(str(word), language) for word in raw.get("place_words") or []),
        not_names=frozenset(str(word).lower() for word in raw.get("not_names") or []),
        language=language,
        name_lexicon=raw.get("name_lexicon"),
    )
