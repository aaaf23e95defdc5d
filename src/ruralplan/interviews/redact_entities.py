"""Persons and places in a transcript: which words name which protected entity.

Register values of numbered categories (persons, places) are matched through the stem keys
of their words; names beyond the register through the first-name lexicon (:mod:`.names`) and
title words. :func:`tag_entities` returns the spans of words that name one entity each, and
the register or lexicon names it kept as ordinary words at the start of a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ruralplan.interviews import names
from ruralplan.interviews.redact_config import RedactionConfig
from ruralplan.interviews.words import fold, lemma, stem_key

_WORD_RE = re.compile(r"[^\W\d_]+")
_TOKEN_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_PLACEHOLDER_RE = re.compile(r"\[[^\W\d_][\w-]*\]")
_GAP_RE = re.compile(r"^[ \t]+$")


def _key(word: str, lang: str) -> str:
    return stem_key(word.lower(), lang)


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


def _word_class(word: str, config: RedactionConfig) -> str:
    return names.word_class(word.lower(), config.lexicon, config.language)


def _lookup(
    word: str, tables: Sequence[Mapping[str, Candidates]], config: RedactionConfig
) -> Candidates | None:
    """Return the entities ``word`` may refer to: this interview's register first.

    A word spelt exactly as a register word matches it. Other capitalised forms match by
    stem; lower-case forms only when the word is not an ordinary word (*ēvaldam*, not *valde*,
    the board, which shares the stem of *Valdis*).
    """
    exact = "=" + word
    lang = config.language
    lowered = word.lower()
    if not word[:1].isupper():
        found = next((keys[exact] for keys in tables if exact in keys), None)
        if found or _word_class(word, config) != "name" or not names.is_name_form(lowered, lang):
            return found
        return next((keys[k] for keys in tables if (k := _key(word, lang)) in keys), None)
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


def _guess(config: RedactionConfig, word: str) -> Candidates:
    """Return the person entity guessed for ``word``, keyed by the stem of its base name."""
    person = config.person_category
    first = word.split("-")[0].lower()
    base = config.lexicon.base_of.get(first, first)  # Jānīša and Jāņa: Jānis
    return frozenset({(person, f"{person}:~{_key(base, config.language)}")})


def _is_guess(candidates: Candidates) -> bool:
    """Tell whether ``candidates`` is a single entity guessed from the lexicon or a title."""
    return len(candidates) == 1 and next(iter(candidates))[1].split(":", 1)[1].startswith("~")


def _value_gender(label: str) -> str:
    """Return ``m``, ``f`` or ``""`` for a register person from the ending of its first word."""
    words = _WORD_RE.findall(label.split(":", 1)[1])
    if not words or label.split(":", 1)[1].startswith("~"):
        return ""
    first = words[0].lower()
    if first.endswith(("s", "š", "o")):
        return "m"
    if first.endswith("a") or (first.endswith("e") and len(words) > 1):
        return "f"
    return ""


def _by_gender(candidates: Candidates, gender: str) -> Candidates:
    """Keep the candidates of ``gender`` when that leaves at least one."""
    kept = frozenset(c for c in candidates if _value_gender(c[1]) == gender)
    return kept if gender and kept else candidates


@dataclass
class _Tagger:
    """State of tagging one transcript: its words, the name tables and the found spans."""

    text: str
    config: RedactionConfig
    tables: list[dict[str, Candidates]]
    words: list[tuple[int, int, str]] = field(default_factory=list)
    spans: list[list[Any]] = field(default_factory=list)
    kept: list[tuple[int, int, str]] = field(default_factory=list)
    first_forms: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self.plain = [word for _, _, word in self.words]

    def word(self, index: int) -> str:
        return self.words[index][2] if 0 <= index < len(self.words) else ""

    def adjacent(self, index: int) -> bool:
        """Tell whether word ``index`` follows word ``index - 1`` with only blanks between."""
        return 0 < index < len(self.words) and bool(
            _GAP_RE.match(self.text[self.words[index - 1][1] : self.words[index][0]])
        )

    def title_after(self, index: int) -> str | None:
        """Return the gender of the title right after word ``index`` (``""`` if none given)."""
        if not self.adjacent(index + 1):
            return None
        return self.config.titles.get(_key(self.word(index + 1), self.config.language))

    def cue(self, index: int) -> bool:
        config = self.config
        return names.has_person_cue(
            self.plain, index, config.titles, config.person_cues, config.language
        )

    def plain_sentence_start(self, index: int) -> bool:
        """Tell whether word ``index`` opens a sentence in an ordinary word's dictionary form.

        Before a title such a word is no surname, which would stand in the genitive: *Tas
        kungs* (that gentleman), not *Ozola kungs*.
        """
        start, _, word = self.words[index]
        lowered = word.lower()
        return (
            names.is_sentence_start(self.text, start)
            and _word_class(word, self.config) != "name"
            and lemma(lowered, self.config.language) == lowered
        )

    def ordinary_sentence_start(self, index: int) -> bool:
        """Tell whether word ``index`` opens a sentence as an ordinary word (*Priede pie skolas*).

        A person cue after it (a title, a capitalised word, a verb of saying) makes it a name.
        """
        word = self.word(index)
        return _is_capitalised(word) and self.plain_sentence_start(index) and not self.cue(index)

    def lexicon_person(self, index: int) -> bool:
        """Tell whether word ``index`` is a first name of the lexicon in its context."""
        start, _, word = self.words[index]
        config, lang = self.config, self.config.language
        lowered = word.lower().split("-")[0]
        kind = names.word_class(lowered, config.lexicon, lang)
        if kind == "word":
            return False
        if not _is_capitalised(word):
            return kind == "name" and lowered in config.lexicon.forms
        if names.is_sentence_start(self.text, start):
            return lowered in config.lexicon.forms and (kind == "name" or self.cue(index))
        following = _key(self.word(index + 1), lang) if self.adjacent(index + 1) else ""
        return following not in config.place_words and names.lexicon_hit(
            lowered, config.lexicon, lang
        )

    def heuristic(self, index: int) -> Candidates | None:
        """Return a guessed person for a first name or a word before a title, else None."""
        word = self.word(index)
        if (
            self.title_after(index) is not None
            and (_is_capitalised(word) or _word_class(word, self.config) == "name")
            and not names.is_definite_adjective(word, self.config.language)
            and not self.plain_sentence_start(index)
        ):
            guess = _guess(self.config, word)
            self.tables[-1].setdefault(_key(word, self.config.language), guess)
            return guess
        if not self.lexicon_person(index):
            return None
        # A diminutive of a first name of this interview's register is that person (Annele).
        base = self.config.lexicon.base_of.get(word.lower().split("-")[0], "")
        found = _lookup(base.capitalize(), self.tables[:1], self.config) if base else None
        if found and all(category == self.config.person_category for category, _ in found):
            return found
        return _guess(self.config, word)

    def lookup(self, index: int) -> Candidates | None:
        """Return the register entities of word ``index`` (a compound: of its parts).

        A lower-case word not spelt as registered is a name only as a first name or right
        after the rest of its name (*zigrīda dzene*): alone, *eglīti* is a little fir tree,
        not *Eglīte*.
        """
        word = self.word(index)
        found = [
            hit
            for part in word.split("-")
            if (hit := _lookup(part, self.tables, self.config)) is not None
        ]
        if not found:
            return None
        hits = frozenset.intersection(*found) or found[0]
        if word[:1].isupper() or any("=" + word in table for table in self.tables):
            return hits
        if word.lower() in self.first_forms:
            return hits
        last = self.spans[-1] if self.spans else None
        joins = last is not None and last[1] == self.words[index - 1][1] and self.adjacent(index)
        return hits if joins and last[2] & hits else None

    def surname_of_guess(self, index: int) -> bool:
        """Tell whether word ``index`` is an unlisted surname after a guessed first name."""
        previous = self.spans[-1] if self.spans else None
        if previous is None or previous[3] != 1 or not _is_guess(previous[2]):
            return False
        word = self.word(index)
        if previous[1] != self.words[index - 1][1] or not self.adjacent(index):
            return False
        if self.title_after(index - 1) is not None:
            return False
        if _is_capitalised(word):
            return True
        return not self.word(index - 1)[:1].isupper() and _word_class(word, self.config) == "name"

    def join(self, candidates: Candidates, index: int) -> Candidates | None:
        """Return the entities of the last span extended by word ``index``, or None.

        Neighbouring words join when they can name the same entity; a guessed first name
        also joins a registered surname or an earlier guess that follows it.
        """
        previous = self.spans[-1]
        common = previous[2] & candidates
        if common:
            return common
        person = self.config.person_category
        if (
            _is_guess(previous[2])
            and previous[3] == 1
            and _is_capitalised(self.word(index))
            and all(category == person for category, _ in candidates)
        ):
            first = _key(self.word(index - 1).split("-")[0], self.config.language)
            self.tables[-1].setdefault(first, candidates)
            return candidates
        return None

    def gender_from_title(self, index: int) -> None:
        """Narrow an ambiguous span right before a gendered title (*Caunes kundze*)."""
        gender = self.config.titles.get(_key(self.word(index), self.config.language))
        last = self.spans[-1] if self.spans else None
        if gender and last and len(last[2]) > 1 and last[1] == self.words[index - 1][1]:
            last[2] = _by_gender(last[2], gender) if self.adjacent(index) else last[2]

    def candidates(self, index: int) -> Candidates | None:
        word = self.word(index)
        if word.lower() in self.config.not_names:
            return None
        found = self.lookup(index)
        registered_first = found is not None and word.lower() in self.first_forms
        if not registered_first and self.ordinary_sentence_start(index):
            lowered = self.word(index).lower()
            if found is not None or lowered in self.config.lexicon.forms:
                self.kept.append(self.words[index])
            return None
        if found is None and self.surname_of_guess(index):
            found = self.spans[-1][2]
            self.tables[-1].setdefault(_key(self.word(index), self.config.language), found)
        return found if found is not None else self.heuristic(index)

    def run(self) -> None:
        for index, (start, end, _) in enumerate(self.words):
            self.gender_from_title(index)
            found = self.candidates(index)
            if found is None:
                continue
            previous = self.spans[-1] if self.spans else None
            adjacent = previous is not None and previous[1] == self.words[index - 1][1]
            joined = self.join(found, index) if adjacent and self.adjacent(index) else None
            if joined is not None:
                previous[1], previous[2], previous[3] = end, joined, previous[3] + 1
            else:
                self.spans.append([start, end, found, 1])


def _words(text: str) -> list[tuple[int, int, str]]:
    """Return the words of ``text`` outside placeholders; ``Kalēja-Strauta`` is one word."""
    hidden = [match.span() for match in _PLACEHOLDER_RE.finditer(text)]
    words = []
    for match in _TOKEN_RE.finditer(text):
        glued = text[match.start() - 1 : match.start()] + text[match.end() : match.end() + 1]
        if any(a <= match.start() < b for a, b in hidden) or any(c.isdigit() for c in glued):
            continue  # a placeholder, or letters of a code or an id (int01, LV80)
        parts = match.group().split("-")
        if len(parts) > 1 and all(_is_capitalised(part) for part in parts):
            words.append((match.start(), match.end(), match.group()))
            continue
        position = match.start()
        for part in parts:
            words.append((position, position + len(part), part))
            position += len(part) + 1
    return words


def _first_name_forms(values: Sequence[Entity], config: RedactionConfig) -> frozenset[str]:
    """Return the case forms of the first names of register persons, in lower case.

    A registered first name is the person even in lower case (*ēvaldam*) and at the start of
    a sentence, where an ordinary word of the same form (*Laima*, luck) would otherwise be
    kept; an ordinary word that only shares its stem (*Valde*, of *Valdis*) is not a form.
    """
    forms = set()
    for category, value in values:
        words = _WORD_RE.findall(value)
        if (
            category == config.person_category
            and words
            and (len(words) > 1 or words[0].lower() in config.lexicon.names)
        ):
            forms |= {form.lower() for form in names.inflections(words[0])}
    return frozenset(forms)


def _tagger(
    text: str, register: pd.DataFrame, config: RedactionConfig, interview_id: str | None
) -> _Tagger:
    """Tag the entities of ``text`` (after the pattern rules) and return the tagger."""
    local, others = _entity_values(register, config, interview_id)
    tables = [_entity_keys(local, config), _entity_keys(others, config), {}]
    tagger = _Tagger(
        text=text,
        config=config,
        tables=tables,
        words=_words(text),
        first_forms=_first_name_forms([*local, *others], config),
    )
    tagger.run()
    return tagger


Span = list[Any]
"""``[start, end, candidates, n_words]`` of a run of words naming one entity."""
Word = tuple[int, int, str]
"""``(start, end, word)`` of one word of a transcript."""


def tag_entities(
    text: str, register: pd.DataFrame, config: RedactionConfig, interview_id: str | None
) -> tuple[list[Span], list[Word]]:
    """Return the entity spans of ``text`` and the name-like words kept as ordinary words.

    Parameters
    ----------
    text
        A transcript after the pattern rules.
    register
        Protected values (``category, value``, optionally ``interview_id``).
    config
        Redaction settings.
    interview_id
        The transcript's interview (its register rows come first), or None.

    Returns
    -------
    tuple
        Spans ``[start, end, candidates, n_words]`` in text order, and ``(start, end, word)``
        of each word kept at the start of a sentence (*Priede pie skolas*).
    """
    tagger = _tagger(text, register, config, interview_id)
    return tagger.spans, tagger.kept


def resolve(candidates: Candidates) -> Entity:
    """Return the one entity, or an entity standing for an ambiguous mention."""
    if len(candidates) == 1:
        return next(iter(candidates))
    category = min(category for category, _ in candidates)
    return category, "?" + "|".join(sorted(label for _, label in candidates))
