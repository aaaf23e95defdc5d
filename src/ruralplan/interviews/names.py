"""First names beyond the register: the Latvian name-day calendar, diminutives, word classes.

The lexicon is the name-day calendar shipped by the PyPI package ``lv-namedays`` (the
traditional calendar of about a thousand names, or its extended list of about 5,600), plus
the codebook's ``first_names``. From each name the usual diminutives are derived
(*Jānis* -> *Jānītis*, *Jāniņš*; *Anna* -> *Annele*, *Annīte*, *Anniņa*) with their case forms.

A word that looks like a name is one of three classes (:func:`word_class`):

* ``name``: the dictionary does not know it, or knows it only as a name (*Jānis*, *ēvaldam*);
* ``both``: a name that is also an ordinary word (*Saule* the sun, *Liepa* the linden), from
  the hand-made list ``lexicon/lv_names_also_words.txt``;
* ``word``: an ordinary word that only shares a name's stem (*valde*, *ilgi*, *Jāņos*).

Only ``name`` words are taken for names when written in lower case, and a ``both`` word at the
start of a sentence only when the context marks a person (:func:`has_person_cue`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib.resources import files

import simplemma

from ruralplan.interviews.words import lemma, stem, stem_key

CALENDARS = ("lv-namedays", "lv-namedays-extended")
"""Lexicon sources: the traditional name-day calendar and its extended list."""

# Singular case endings of Latvian nouns (and the bare vocative): a name form ends in one of
# them after its stem, a verb form (*gaidām*, *teicām*) does not.
NOMINAL_ENDINGS = frozenset(
    ["", "s", "š", "is", "us", "a", "as", "ai", "u", "ā", "e", "es", "ei", "i", "ē"]
    + ["am", "im", "um", "ū", "ī", "o"]
)
# Diminutive suffixes with their singular case forms (nom, gen, dat, acc, loc, voc).
_MASCULINE = (
    ("iņš", "iņa", "iņam", "iņu", "iņā", "iņ"),
    ("ītis", "īša", "ītim", "īti", "ītī", "īt"),
)
_FEMININE = (
    ("iņa", "iņas", "iņai", "iņu", "iņā", "iņ"),
    ("īte", "ītes", "ītei", "īti", "ītē", "īt"),
    ("ele", "eles", "elei", "eli", "elē", "el"),
)
# First-name endings with their singular case endings: nom, gen, dat, acc, loc, voc.
_DECLENSIONS = (
    ("is", ("is", "a", "im", "i", "ī", "")),
    ("us", ("us", "um", "u", "ū", "")),
    ("s", ("s", "a", "am", "u", "ā", "")),
    ("š", ("š", "a", "am", "u", "ā", "")),
    ("a", ("a", "as", "ai", "u", "ā", "")),
    ("e", ("e", "es", "ei", "i", "ē", "")),
)
# Endings of definite adjectives, by interview language (a title such as "Vecā kundze").
_DEFINITE_ENDINGS = {"lv": ("ā", "ais", "ajam", "ajai")}
_PALATAL = {"n": "ņ", "l": "ļ", "s": "š"}
_NAME_RE = re.compile(r"[^\W\d_]{2,}")
_OPENERS = " \t\"'„“”«»‘’([–—-"


@dataclass(frozen=True)
class NameLexicon:
    """First names, their derived forms and the names that are also ordinary words."""

    keys: frozenset[str]
    forms: frozenset[str]
    names: frozenset[str]
    also_words: frozenset[str]
    base_of: Mapping[str, str] = field(default_factory=dict)
    """Each form (lower case) -> the name it is a form or diminutive of."""


EMPTY_LEXICON = NameLexicon(frozenset(), frozenset(), frozenset(), frozenset())


def calendar_names(source: str) -> tuple[str, ...]:
    """Return the one-word names of a name-day calendar of ``lv-namedays``.

    Parameters
    ----------
    source
        ``lv-namedays`` (traditional calendar) or ``lv-namedays-extended``.

    Returns
    -------
    tuple of str
        Names as printed in the calendar, sorted.

    Raises
    ------
    ValueError
        If ``source`` is not one of :data:`CALENDARS`.

    Examples
    --------
    >>> names = calendar_names("lv-namedays")
    >>> "Jānis" in names and "Visu" not in names
    True
    """
    from lv_namedays import nameday

    if source not in CALENDARS:
        raise ValueError(f"unknown name lexicon {source!r}; known: {list(CALENDARS)}")
    days = nameday.read_namedays() if source == CALENDARS[0] else nameday.read_namedays_ext()
    # The calendar also holds a sentence ("the day of all names not in calendars") and "-".
    return tuple(sorted({n for names in days.values() for n in names if _NAME_RE.fullmatch(n)}))


@cache
def names_also_words() -> frozenset[str]:
    """Return the lower-case calendar names that are also ordinary Latvian words."""
    text = files("ruralplan.interviews").joinpath("lexicon/lv_names_also_words.txt")
    lines = (line.split("#", 1)[0].strip() for line in text.read_text("utf-8").splitlines())
    return frozenset(word for line in lines for word in line.split())


def _declension(name: str) -> tuple[str, tuple[str, ...]] | None:
    """Return the stem of a first name and its singular case endings (vocative ``""``)."""
    for ending, cases in _DECLENSIONS:
        if name.endswith(ending) and len(name) > len(ending) + 1:
            return name[: -len(ending)], cases
    return None


def inflections(name: str) -> tuple[str, ...]:
    """Return the singular case forms of a first name (palatalised genitives included).

    Examples
    --------
    >>> {"Jāņa", "Jānim", "Jāni"} <= set(inflections("Jānis"))
    True
    >>> "Ēvaldam" in inflections("Ēvalds"), inflections("Ivo")
    (True, ('Ivo',))
    """
    found = _declension(name)
    if found is None:
        return (name,)
    base, cases = found
    # The bare-stem vocative (Kristap!) only where the stem is long and no ordinary word.
    bare = len(base) >= 4 and not simplemma.is_known(base.lower(), "lv")
    forms = [base + case for case in cases if case or bare]
    if name.endswith("is") and base[-1:] in _PALATAL:  # Jānis -> Jāņa, Vilis -> Viļa
        forms.append(base[:-1] + _PALATAL[base[-1]] + "a")
    return tuple(dict.fromkeys(forms))


def diminutives(name: str) -> tuple[str, ...]:
    """Return the diminutive forms derived from a first name, in all singular cases.

    Examples
    --------
    >>> {"Jānītis", "Jānīša", "Jāniņš"} <= set(diminutives("Jānis"))
    True
    >>> {"Annele", "Anneli", "Anneles", "Annīte"} <= set(diminutives("Anna"))
    True
    >>> "Mikiņš" in diminutives("Miks")
    True
    """
    found = _declension(name)
    if found is None:
        return ()
    base, _ = found
    suffixes = _FEMININE if name[-1] in "ae" else _MASCULINE
    return tuple(base + form for forms in suffixes for form in forms)


def build_lexicon(names: Iterable[str], lang: str, also: frozenset[str]) -> NameLexicon:
    """Return the lexicon of ``names``: stem keys and case forms of names and diminutives.

    Names in ``also`` (ordinary words) keep their own forms but get no diminutives, and
    derived forms the dictionary knows as ordinary words are dropped.

    Examples
    --------
    >>> lexicon = build_lexicon(["Anna"], "lv", frozenset())
    >>> lexicon.base_of["anneles"], "ann" in lexicon.keys
    ('anna', True)
    """
    base_of: dict[str, str] = {}
    for name in sorted(names):
        derived = inflections(name)
        if name.lower() not in also:
            derived += tuple(
                form for form in diminutives(name) if not simplemma.is_known(form.lower(), lang)
            )
        for form in derived:
            base_of.setdefault(form.lower(), name.lower())
    keys = {stem_key(form, lang) for form in base_of}
    return NameLexicon(
        keys=frozenset(key for key in keys if len(key) >= 3),
        forms=frozenset(base_of),
        names=frozenset(name.lower() for name in names),
        also_words=frozenset(also),
        base_of=base_of,
    )


@cache
def load_lexicon(source: str | None, extra: tuple[str, ...], lang: str) -> NameLexicon:
    """Return the lexicon of a calendar (or none) and the codebook's extra names (cached).

    Examples
    --------
    >>> lexicon = load_lexicon("lv-namedays", ("Jeļena",), "lv")
    >>> {"jānītis", "jeļena", "vilis"} <= lexicon.forms, "saule" in lexicon.also_words
    (True, True)
    """
    names = (*calendar_names(source), *extra) if source else extra
    if lang != "lv":
        return build_lexicon(names, lang, frozenset())
    lexicon = build_lexicon(names, lang, names_also_words())
    # Which words are names is known from the calendar even when it is no source of guesses.
    known = frozenset(name.lower() for name in calendar_names(CALENDARS[0]))
    return replace(lexicon, names=lexicon.names | known)


def is_name_form(word: str, lang: str) -> bool:
    """Tell whether a lower-case word ends in a singular noun ending after its stem.

    Examples
    --------
    >>> is_name_form("jānīša", "lv"), is_name_form("gaidām", "lv")
    (True, False)
    """
    stemmed = stem(word, lang)
    return not word.startswith(stemmed) or word[len(stemmed) :] in NOMINAL_ENDINGS


def lexicon_hit(word: str, lexicon: NameLexicon, lang: str) -> bool:
    """Tell whether a lower-case word is a form of a lexicon name."""
    if word in lexicon.forms:
        return True
    return stem_key(word, lang) in lexicon.keys and is_name_form(word, lang)


def word_class(word: str, lexicon: NameLexicon, lang: str) -> str:
    """Return ``name``, ``both`` or ``word`` for a lower-case word (see the module notes).

    Examples
    --------
    >>> lexicon = load_lexicon("lv-namedays", (), "lv")
    >>> [word_class(w, lexicon, "lv") for w in ("jāņa", "ēvaldam", "saule", "valde", "jāņos")]
    ['name', 'name', 'both', 'word', 'word']
    """
    if not simplemma.is_known(word, lang):
        return "name"
    base = lemma(word, lang)
    if word in lexicon.also_words or base in lexicon.also_words:
        return "both"
    if base in lexicon.names or (base == word and word in lexicon.names):
        return "name"
    return "word"


def is_ordinary(word: str, lexicon: NameLexicon, lang: str) -> bool:
    """Tell whether a lower-case word can be an ordinary (not a name) word."""
    return word_class(word, lexicon, lang) != "name"


def is_definite_adjective(word: str, lang: str) -> bool:
    """Tell whether a Latvian word has a definite adjective ending (*vecā*, *cienījamais*).

    Before a title it is an adjective (*Vecā kundze*, the old lady), not a surname, which
    stands in the genitive there (*Ozola kungs*, *Kalniņas kundze*).

    Examples
    --------
    >>> [is_definite_adjective(w, "lv") for w in ("Vecā", "Cienījamais", "Ozola")]
    [True, True, False]
    """
    return word.lower().endswith(_DEFINITE_ENDINGS.get(lang, ()))


def is_sentence_start(text: str, start: int) -> bool:
    """Tell whether the word at ``start`` opens a sentence, a line or a speaker's turn.

    Examples
    --------
    >>> [is_sentence_start("Priede aug. „Liepa zied", i) for i in (0, 7, 13)]
    [True, False, True]
    """
    before = text[:start].rstrip(_OPENERS)
    return not before or before[-1] in ".!?…:\n"


def has_person_cue(
    words: Sequence[str], index: int, titles: Iterable[str], cues: Iterable[str], lang: str
) -> bool:
    """Tell whether the words after ``words[index]`` mark it as a person.

    A title right after it (*Priedes kundze*), a capitalised word right after it (a surname
    after a first name) or, among the next two words, a verb of ``cues`` (lemmas such as
    *teikt*, *zvanīt*; a form the lemmatiser does not know matches by the verb's beginning).

    Examples
    --------
    >>> words = "Priede teica ka Strauts ir tīrs".split()
    >>> [has_person_cue(words, i, ["kung"], ["teikt"], "lv") for i in (0, 3)]
    [True, False]
    """
    following = words[index + 1 : index + 3]
    if not following:
        return False
    if stem_key(following[0].lower(), lang) in set(titles) or following[0][:1].isupper():
        return True
    stems = [cue[:-1] for cue in cues if len(cue) > 4]
    return any(
        lemma(word.lower(), lang) in set(cues) or word.lower().startswith(tuple(stems))
        for word in following
    )
