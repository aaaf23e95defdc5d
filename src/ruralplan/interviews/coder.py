r"""Code segments against the rules of a theme codebook.

Each segment is lower-cased and cut into ``\w+`` tokens. Every distinct token is analysed once
per :class:`Matcher` (its :func:`.words.word_keys`, the token rules it meets, the phrase words
it fits, whether it is a negation cue) and the answer is kept; coding a segment is then a few
lookups per token. Rules per code:

``lemmas``
    dictionary forms; a token matches when its lemma or its stem key equals the term's (stem
    keys shorter than ``matching.min_stem_length`` are not used).
``forms``
    exact surface forms (for words whose stem is too short or ambiguous).
``stems``
    prefixes; a token matches when it starts with one (verbs, derived words); Latvian
    palatalised consonants are folded on both sides, so ``panel`` matches ``paneļus``.
``phrases``
    word sequences in order, each word matched as a lemma (or as a prefix when it ends in
    ``*``), with at most ``phrase_gap`` other words between neighbours.
``patterns``
    regular expressions searched (ignoring case) in the lower-cased segment text, only in
    segments that hold the literals every match needs (see :mod:`.gates`).

A token or phrase match preceded (within ``negation.window_before`` tokens) or followed
(within ``negation.window_after``) by a negation cue is dropped unless the code sets
``negation: keep``. The terms of one code are listed in this order, each once: token rules in
text order (several at one token alphabetically), then phrases, then patterns, in codebook
order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from ruralplan.interviews.codebook import ThemeCodebook
from ruralplan.interviews.gates import PatternGate
from ruralplan.interviews.words import fold, lemma, stem_key

CODED_COLUMNS = ["interview_id", "segment_id", "speaker", "code", "matched_terms", "text"]
RULE_CODER = "ruralplan rule coder"
"""The rule coder's name wherever codings are compared or exchanged (its QDA user name)."""
_TOKEN_RE = re.compile(r"\w+")

Hit = tuple[str, str]
"""A (code id, matched term) pair."""


@dataclass(frozen=True)
class _Token:
    """What one distinct token can match."""

    hits: tuple[Hit, ...] = ()
    words: frozenset[str] = frozenset()  # phrase words it fits
    cue: bool = False


_NOTHING = _Token()


def _prefix_index(entries: Iterable[tuple[str, object]]) -> tuple[dict[str, list], tuple[int, ...]]:
    """Group entries by prefix; also return the distinct prefix lengths, shortest first."""
    index: dict[str, list] = {}
    for prefix, entry in entries:
        index.setdefault(prefix, []).append(entry)
    return index, tuple(sorted({len(prefix) for prefix in index}))


def _prefixed(index: dict[str, list], lengths: Sequence[int], text: str) -> list:
    """Return the entries whose prefix starts ``text``, shortest prefix first."""
    return [entry for n in lengths if n <= len(text) for entry in index.get(text[:n], ())]


class Matcher:
    """The codebook's rules as lookup tables, with the analysis of every token seen so far.

    Parameters
    ----------
    codebook
        The validated codebook; its leaf codes are applied.
    """

    def __init__(self, codebook: ThemeCodebook) -> None:
        lang = self.language = codebook.language
        self.lemmas: dict[str, list[Hit]] = {}
        self.stems: dict[str, list[Hit]] = {}
        self.forms: dict[str, list[Hit]] = {}
        prefixes, phrase_words, patterns = [], set(), []
        self.phrases: list[tuple[str, tuple[str, ...]]] = []
        for code in codebook.leaves:
            for term in code.rules.lemmas:
                self.lemmas.setdefault(term, []).append((code.id, term))
                if len(key := stem_key(term, lang)) >= codebook.min_stem_length:
                    self.stems.setdefault(key, []).append((code.id, term))
            for term in code.rules.forms:
                self.forms.setdefault(term, []).append((code.id, term))
            prefixes += [(fold(stem, lang), (code.id, stem + "*")) for stem in code.rules.stems]
            self.phrases += [(code.id, phrase) for phrase in code.rules.phrases]
            phrase_words.update(word for phrase in code.rules.phrases for word in phrase)
            patterns += [(code.id, pattern) for pattern in code.rules.patterns]
        self.prefixes = _prefix_index(prefixes)
        self.word_prefixes = _prefix_index(
            (fold(word[:-1], lang), word) for word in phrase_words if word.endswith("*")
        )
        whole = sorted(word for word in phrase_words if not word.endswith("*"))
        self.phrase_words = frozenset(whole)
        self.phrase_keys: dict[str, list[str]] = {}
        for word in whole:
            if len(key := stem_key(word, lang)) >= codebook.min_stem_length:
                self.phrase_keys.setdefault(key, []).append(word)
        self.by_first: dict[str, list[int]] = {}
        for number, (_, phrase) in enumerate(self.phrases):
            self.by_first.setdefault(phrase[0], []).append(number)
        self.patterns = [(code, re.compile(source, re.IGNORECASE)) for code, source in patterns]
        self.gate = PatternGate([source for _, source in patterns])
        self.keep_negated = frozenset(code.id for code in codebook.codes if code.keep_negated)
        self.cues = codebook.negation_cues
        self.window = (codebook.window_before, codebook.window_after)
        self.phrase_gap = codebook.phrase_gap
        self.known: dict[str, _Token] = {}

    def token(self, token: str) -> _Token:
        """Return what ``token`` (lower-case) can match, analysing it on first sight."""
        found = self.known.get(token)
        if found is None:
            found = self.known[token] = self._analyse(token)
        return found

    def _analyse(self, token: str) -> _Token:
        """Find the token rules ``token`` meets and the phrase words it fits (module docstring)."""
        lang = self.language
        base = lemma(token, lang)
        keys = {stem_key(token, lang), stem_key(base, lang)}
        folded = fold(token, lang)
        hits = {*self.forms.get(token, ()), *self.lemmas.get(base, ())}
        hits.update(hit for key in keys for hit in self.stems.get(key, ()))
        hits.update(_prefixed(*self.prefixes, folded))
        words = {word for word in (token, base) if word in self.phrase_words}
        words.update(word for key in keys for word in self.phrase_keys.get(key, ()))
        words.update(_prefixed(*self.word_prefixes, folded))
        if not (hits or words or token in self.cues):
            return _NOTHING
        return _Token(tuple(sorted(hits)), frozenset(words), token in self.cues)


def compile_codebook(codebook: ThemeCodebook) -> Matcher:
    """Build the lookup tables used by :func:`code_segments` and :func:`code_text`.

    Parameters
    ----------
    codebook
        The validated codebook.

    Returns
    -------
    Matcher
        Pass it to :func:`code_text`; it keeps the analysis of every token it has seen.
    """
    return Matcher(codebook)


def _negated(matcher: Matcher, cues: Sequence[bool], first: int, last: int) -> bool:
    """Tell whether a cue lies within the negation windows around tokens ``first..last``."""
    before, after = matcher.window
    return any(cues[max(0, first - before) : first]) or any(cues[last + 1 : last + 1 + after])


def _phrase_spans(
    matcher: Matcher, fits: Sequence[frozenset[str]], phrase: Sequence[str]
) -> Iterable[tuple[int, int]]:
    """Yield (first, last) token positions of ``phrase``; each next word is the first fit."""
    for start, words in enumerate(fits):
        if phrase[0] not in words:
            continue
        position = start
        for word in phrase[1:]:
            following = range(position + 1, min(len(fits), position + 2 + matcher.phrase_gap))
            position = next((i for i in following if word in fits[i]), -1)
            if position < 0:
                break
        if position >= 0:
            yield start, position


def _phrase_hits(matcher: Matcher, tokens: Sequence[_Token], cues: Sequence[bool]) -> list[Hit]:
    """Return (code, phrase) for each phrase found at least once without negation."""
    fits = [token.words for token in tokens]
    present = frozenset().union(*fits)
    numbers = sorted({n for word in present for n in matcher.by_first.get(word, ())})
    hits = []
    for number in numbers:
        code, phrase = matcher.phrases[number]
        if not present.issuperset(phrase):
            continue
        keep = code in matcher.keep_negated
        spans = _phrase_spans(matcher, fits, phrase)
        if any(keep or not _negated(matcher, cues, *span) for span in spans):
            hits.append((code, " ".join(phrase)))
    return hits


def _code_lowered(matcher: Matcher, lowered: str) -> dict[str, list[str]]:
    """Code one lower-cased text: code id -> matched terms (see the module docstring)."""
    known = matcher.known  # most tokens were seen before: skip the method call for them
    tokens = [known.get(token) or matcher.token(token) for token in _TOKEN_RE.findall(lowered)]
    cues = [token.cue for token in tokens]
    found: dict[str, list[str]] = {}
    hits = [
        hit
        for position, token in enumerate(tokens)
        for hit in token.hits
        if hit[0] in matcher.keep_negated or not _negated(matcher, cues, position, position)
    ]
    if matcher.phrases and any(token.words for token in tokens):
        hits += _phrase_hits(matcher, tokens, cues)
    hits += [
        (matcher.patterns[number][0], f"/{matcher.patterns[number][1].pattern}/")
        for number in matcher.gate.open(lowered)
        if matcher.patterns[number][1].search(lowered)
    ]
    for code, term in hits:
        terms = found.setdefault(code, [])
        if term not in terms:
            terms.append(term)
    return found


def code_text(matcher: Matcher, text: str) -> dict[str, list[str]]:
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
        Code id (sorted) mapped to the list of matched terms (``lemma``, ``prefix*``, phrase
        text or ``/pattern/``), without negated matches unless the code keeps them.
    """
    found = _code_lowered(matcher, text.lower())
    return {code: found[code] for code in sorted(found)}


def code_segments(
    segments: pd.DataFrame, codebook: ThemeCodebook, *, roles: Iterable[str] = ("respondent",)
) -> pd.DataFrame:
    """Code every segment spoken in one of ``roles``; one row per segment and code.

    Parameters
    ----------
    segments
        From :func:`.segments.segment_transcripts`.
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
    chosen = segments[segments["role"].isin(list(roles)).to_numpy()]
    if chosen.empty:
        return pd.DataFrame([], columns=CODED_COLUMNS)
    texts = chosen["text"].tolist()
    matcher = compile_codebook(codebook)
    rows, codes, terms = [], [], []
    for row, text in enumerate(texts):
        if not isinstance(text, str):
            where = chosen.iloc[row]
            raise TypeError(
                f"segments: interview {where['interview_id']}, segment {where['segment_id']}: "
                f"column 'text' must hold the segment's text, found {text!r}"
            )
        for code, found in _code_lowered(matcher, text.lower()).items():
            rows.append(row)
            codes.append(code)
            terms.append("; ".join(found))
    columns = {key: chosen[key].iloc[rows].tolist() for key in CODED_COLUMNS[:3]}
    columns |= {"code": codes, "matched_terms": terms, "text": [texts[row] for row in rows]}
    coded = pd.DataFrame({key: pd.array(columns[key], dtype="str") for key in CODED_COLUMNS})
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
            key = stem_key(term, codebook.language)
            owners.setdefault(key, set()).add(code.id)
            terms.setdefault(key, set()).add(term)
    rows = []
    for key in sorted(owners):
        codes = ", ".join(sorted(owners[key]))
        for term in sorted(terms[key]):
            if len(key) < codebook.min_stem_length:
                reason = "stem too short: matched on the lemma or exact form only"
                rows.append((term, key, codes, reason))
            elif len(owners[key]) > 1:
                rows.append((term, key, codes, "stem shared by codes"))
    return pd.DataFrame(rows, columns=["term", "stem", "codes", "reason"])


def _pattern_places(matcher: Matcher, lowered: str, spans: Sequence[tuple[int, int]]):
    """Yield (code, term, places) for each pattern match: the tokens it covers, as ``#i``."""
    for number in matcher.gate.open(lowered):
        code, pattern = matcher.patterns[number]
        for found in pattern.finditer(lowered):
            covered = {
                f"#{i}" for i, (a, b) in enumerate(spans) if a < found.end() and b > found.start()
            }
            yield code, f"/{pattern.pattern}/", covered or {f"@{found.start()}"}


def _term_words(matcher: Matcher, lowered: str) -> dict[str, dict[str, set[str]]]:
    """Code one lower-cased text like :func:`_code_lowered`, keeping where each term matched.

    Returns code id -> term -> places: the token positions it matched (``#3``) and, for a
    one-word rule, the word's stem key, so that forms of one word (*ceļš*, *ceļa*) count as
    one. Slower than :func:`_code_lowered`; used only to weigh the codings quotes come from.
    """
    spans = [(found.start(), found.end()) for found in _TOKEN_RE.finditer(lowered)]
    words = [lowered[start:end] for start, end in spans]
    tokens = [matcher.token(word) for word in words]
    cues = [token.cue for token in tokens]
    found: list[tuple[str, str, set[str]]] = [
        (code, term, {f"#{position}", stem_key(words[position], matcher.language)})
        for position, token in enumerate(tokens)
        for code, term in token.hits
        if code in matcher.keep_negated or not _negated(matcher, cues, position, position)
    ]
    fits = [token.words for token in tokens]
    for code, phrase in matcher.phrases:
        for first, last in _phrase_spans(matcher, fits, phrase):
            if code in matcher.keep_negated or not _negated(matcher, cues, first, last):
                found.append((code, " ".join(phrase), {f"#{i}" for i in range(first, last + 1)}))
    found += _pattern_places(matcher, lowered, spans)
    places: dict[str, dict[str, set[str]]] = {}
    for code, term, keys in found:
        places.setdefault(code, {}).setdefault(term, set()).update(keys)
    return places


def _components(keys: Iterable[set[str]]) -> int:
    """Count groups of terms linked by a shared place (a token, or one word's forms).

    Examples
    --------
    >>> _components([{"#1", "cel"}, {"#7", "cel"}, {"#2", "#3"}, {"#3", "#4"}, {"#9"}])
    3
    """
    groups: list[set[str]] = []
    for found in keys:
        joined = set(found)
        for group in [g for g in groups if g & joined]:
            joined |= group
            groups.remove(group)
        groups.append(joined)
    return len(groups)


def independent_terms(coded: pd.DataFrame, codebook: ThemeCodebook) -> pd.Series:
    """Count the independent terms behind each rule coding: terms that matched other words.

    Terms that matched the same word, or forms of one word (the same stem key: *ceļš*,
    *ceļa*, *ceļi*), are one piece of evidence; terms on different words are independent.
    A coding with more than one independent term is stronger than one resting on one word.

    Parameters
    ----------
    coded
        From :func:`code_segments` (``code`` and ``text`` are read).
    codebook
        The codebook the segments were coded with.

    Returns
    -------
    pandas.Series
        Integer counts aligned with ``coded``'s index, named ``n_terms``.
    """
    matcher = compile_codebook(codebook)
    known: dict[str, dict[str, dict[str, set[str]]]] = {}
    counts = []
    for text, code in zip(coded["text"], coded["code"], strict=True):
        if text not in known:
            known[text] = _term_words(matcher, text.lower())
        counts.append(_components(known[text].get(code, {}).values()))
    return pd.Series(counts, index=coded.index, name="n_terms", dtype="int64")
