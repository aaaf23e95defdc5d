"""Word keys for matching: folding, lemmas and stem keys, per interview language.

The language is the codebook's ``language`` (an ISO 639-1 code that simplemma knows). For
Latvian (``lv``) a word has three keys: its simplemma lemma, its LatvianStemmer stem and the
stem of its lemma, with palatalised consonants folded so that ``Kalniņa`` and ``Kalniņā``
share a key. No stemmer of the same quality is at hand for other languages, so there the stem
key is the word itself: ``lemmas`` rules then match through simplemma's lemma or the exact
form, and folding changes nothing.
"""

from __future__ import annotations

from functools import cache, lru_cache

import LatvianStemmer
import simplemma

DEFAULT_LANGUAGE = "lv"
_FOLD = {"lv": str.maketrans("ņļķģčšž", "nlkgcsz")}


@cache
def is_supported(language: str) -> bool:
    """Tell whether simplemma can lemmatise ``language`` (an ISO 639-1 code).

    Examples
    --------
    >>> is_supported("lv"), is_supported("xx")
    (True, False)
    """
    try:
        simplemma.lemmatize("a", lang=language)
    except ValueError:  # simplemma's answer for a code it has no dictionary for
        return False
    return True


# Light stemmers by interview language; a language without one keys words by their form.
_STEMMERS = {"lv": LatvianStemmer.stem}


def fold(word: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Fold Latvian palatalised consonants to their plain forms (``ņ`` -> ``n``...).

    Other languages are returned unchanged.

    Examples
    --------
    >>> fold("kalniņ")
    'kalnin'
    >>> fold("kalniņ", "lt")
    'kalniņ'
    """
    table = _FOLD.get(lang)
    return word.translate(table) if table else word


@lru_cache(maxsize=200_000)
def lemma(word: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Return the simplemma lemma of a lower-case word, lower-cased (cached).

    Examples
    --------
    >>> lemma("upē")
    'upe'
    """
    return simplemma.lemmatize(word, lang=lang).lower()


def stem(word: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Return the LatvianStemmer stem of a lower-case Latvian word; other languages: the word.

    Examples
    --------
    >>> stem("kalniņā"), stem("houses", "en")
    ('kalniņ', 'houses')
    """
    stemmer = _STEMMERS.get(lang)
    return stemmer(word) if stemmer else word


@lru_cache(maxsize=200_000)
def stem_key(word: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Return the folded :func:`stem` of a lower-case word (cached).

    Examples
    --------
    >>> stem_key("kalniņā") == stem_key("kalniņa") == "kalnin"
    True
    >>> stem_key("houses", "en")
    'houses'
    """
    return fold(stem(word, lang), lang)


def word_keys(word: str, lang: str = DEFAULT_LANGUAGE) -> tuple[str, str, str]:
    """Return the lemma, the stem key and the stem key of the lemma of a lower-case word."""
    base = lemma(word, lang)
    return base, stem_key(word, lang), stem_key(base, lang)
