"""Residual scan of redacted transcripts, and which interviews may be quoted.

Redaction decides what it can; :func:`residual_scan` lists, per interview, what is left that
might still be personal data, for a person to review:

========================  ==============================================================
kind                      what is left
========================  ==============================================================
``name_or_word``          a registered or lexicon name kept as an ordinary word at the
                          start of a sentence (*Priede pie skolas*, the pine)
``next_to_title``         a capitalised or unknown word right before or after a title
``next_to_person``        a capitalised word right before or after a person placeholder
``digits``                six or more digits in a run (not a date, year range or amount)
``at``                    ``@`` or an ``(at)`` left in the text
``url``                   ``www.``, ``http``, ``://`` or a host name such as ``x.lv``
``code``                  a word mixing letters and three or more digits (plates, accounts)
========================  ==============================================================

:func:`quotable_interviews` then allows quotes only from interviews with nothing left, or
whose list a person has reviewed (the study's ``redaction_reviewed``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from ruralplan.interviews import names
from ruralplan.interviews.redact_config import RedactionConfig, RedactionError
from ruralplan.interviews.redact_entities import tag_entities
from ruralplan.interviews.words import stem_key

RESIDUAL_COLUMNS = ["interview_id", "kind", "candidate", "line", "context"]
CONTEXT_CHARS = 40
_PLACEHOLDER = r"\[[^\W\d_][\w-]*\]"
_WORD = r"[^\W\d_]+"
_DIGITS_RE = re.compile(r"(?<![\w])\d(?:[ \t./()-]?\d){5,}(?!\w)")
_DATE_OR_RANGE_RE = re.compile(
    r"\d{1,2}\.\d{1,2}\.\d{4}\.?"  # a date 29.05.2023
    r"|\d{4}-\d{2}-\d{2}"  # a date 2023-05-29
    r"|(?:19|20)\d\d[ \t]*-[ \t]*(?:19|20)\d\d"  # a year range
)
_AMOUNT_RE = re.compile(r"[ \t]*(?:eiro|euro|eur\b|€|milj|tūkst|%)", re.IGNORECASE)
_AT_RE = re.compile(r"@|[(\[{][ \t]*(?:at|et)[ \t]*[)\]}]", re.IGNORECASE)
_URL_RE = re.compile(
    r"(?i)https?:|://|www\.|(?<![\w@])[\w-]+\.(?:lv|com|org|net|eu|info|ee|lt|io|me)\b"
)
_CODE_RE = re.compile(r"(?<![\w\[])(?=[\w-]*\d[\w-]*\d[\w-]*\d)(?=[\w-]*[^\W\d_]{2})[\w-]+")


def _line_and_context(text: str, start: int, end: int) -> tuple[int, str]:
    """Return the 1-based line of ``start`` and the text around ``start:end`` on one line."""
    left = max(0, start - CONTEXT_CHARS)
    right = min(len(text), end + CONTEXT_CHARS)
    context = " ".join(text[left:right].split())
    return text.count("\n", 0, start) + 1, context


def _digit_runs(text: str) -> Iterable[tuple[int, int]]:
    """Yield runs of six or more digits that are not a date, a year range or an amount."""
    for match in _DIGITS_RE.finditer(text):
        if _DATE_OR_RANGE_RE.fullmatch(match.group()) or _AMOUNT_RE.match(text, match.end()):
            continue
        yield match.span()


def _title_neighbours(text: str, config: RedactionConfig) -> Iterable[tuple[int, int]]:
    """Yield words (not placeholders) right before or after a title word of the codebook."""
    lang = config.language
    words = list(re.finditer(rf"{_PLACEHOLDER}|{_WORD}", text))
    is_title = [stem_key(w.group().lower(), config.language) in config.titles for w in words]
    for index, match in enumerate(words):
        for other in (index - 1, index + 1):
            if not is_title[index] or not 0 <= other < len(words) or is_title[other]:
                continue
            neighbour = words[other]
            gap = text[min(match.end(), neighbour.end()) : max(match.start(), neighbour.start())]
            word = neighbour.group()
            if gap.strip(" \t") or word.startswith("[") or names.is_definite_adjective(word, lang):
                continue
            # A capitalised word, or one the dictionary does not know (*šmita kungs*).
            if word[:1].isupper() or names.word_class(word.lower(), config.lexicon, lang) == "name":
                yield neighbour.span()


def _person_neighbours(text: str, config: RedactionConfig) -> Iterable[tuple[int, int]]:
    """Yield capitalised words right before or after a person placeholder, mid-sentence."""
    template = config.placeholders[config.person_category]
    placeholder = re.escape(template).replace(re.escape("{n}"), r"\d+")
    after = re.compile(rf"{placeholder}[ \t]+([^\W\d_][\w-]*)")
    before = re.compile(rf"\b([^\W\d_][\w-]*)[ \t]+(?={placeholder})")
    for pattern in (after, before):
        for match in pattern.finditer(text):
            word = match.group(1)
            if (
                word[:1].isupper()
                and not word.isupper()
                and not names.is_sentence_start(text, match.start(1))
            ):
                yield match.span(1)


def residual_candidates(
    text: str,
    register: pd.DataFrame,
    config: RedactionConfig,
    *,
    interview_id: str | None = None,
) -> list[tuple[str, int, int]]:
    """Return ``(kind, start, end)`` of everything in a redacted text that needs a look.

    Parameters
    ----------
    text
        A redacted transcript.
    register
        The register the transcript was redacted with.
    config
        The redaction settings it was redacted with.
    interview_id
        The transcript's interview.

    Returns
    -------
    list
        Candidates in order of position (one per kind and position).

    Examples
    --------
    >>> import pandas as pd
    >>> from ruralplan.interviews.redact import parse_redaction_config
    >>> config = parse_redaction_config({"placeholders": {"person": "[P_{n}]"}})
    >>> register = pd.DataFrame({"category": [], "value": []})
    >>> [kind for kind, *_ in residual_candidates("Raksti: x @ y, 1234567.", register, config)]
    ['at', 'digits']
    """
    found: list[tuple[str, int, int]] = [
        ("name_or_word", start, end)
        for start, end, _ in tag_entities(text, register, config, interview_id)[1]
    ]
    found += [("next_to_title", *span) for span in _title_neighbours(text, config)]
    found += [("next_to_person", *span) for span in _person_neighbours(text, config)]
    found += [("digits", *span) for span in _digit_runs(text)]
    found += [("at", *match.span()) for match in _AT_RE.finditer(text)]
    found += [("url", *match.span()) for match in _URL_RE.finditer(text)]
    found += [("code", *match.span()) for match in _CODE_RE.finditer(text)]
    return sorted(set(found), key=lambda item: (item[1], item[0]))


def residual_scan(
    redacted: Mapping[str, str], register: pd.DataFrame, config: RedactionConfig
) -> pd.DataFrame:
    """List what may still be personal data in every redacted transcript, for review.

    Parameters
    ----------
    redacted
        Interview id mapped to redacted text (from :func:`.redact.redact_transcripts`).
    register
        The register they were redacted with (from :func:`.redact.check_register`).
    config
        The redaction settings they were redacted with.

    Returns
    -------
    pandas.DataFrame
        Columns ``interview_id, kind, candidate, line, context`` (the candidate's line in the
        redacted transcript and the redacted text around it), sorted by interview and
        position; no row means nothing was left to review.
    """
    rows = []
    for interview_id in sorted(redacted):
        text = redacted[interview_id]
        for kind, start, end in residual_candidates(
            text, register, config, interview_id=interview_id
        ):
            line, context = _line_and_context(text, start, end)
            rows.append((interview_id, kind, text[start:end], line, context))
    return pd.DataFrame(rows, columns=RESIDUAL_COLUMNS)


def _reviewed_ids(reviewed: Any, interview_ids: Iterable[str], source: str) -> set[str]:
    """Return the interview ids a study flag marks as reviewed (``True``: all of them)."""
    ids = set(interview_ids)
    if reviewed is None or reviewed is False:
        return set()
    if reviewed is True:
        return ids
    if isinstance(reviewed, str) or not isinstance(reviewed, Iterable):
        raise RedactionError(
            f"{source}: expected true, false or a list of interview ids, got {reviewed!r}"
        )
    listed = {str(item) for item in reviewed}
    unknown = sorted(listed - ids)
    if unknown:
        raise RedactionError(f"{source}: unknown interview ids {unknown}; known {sorted(ids)}")
    return listed


def quotable_interviews(
    residuals: pd.DataFrame,
    interview_ids: Iterable[str],
    *,
    reviewed: Any = False,
    source: str = "redaction_reviewed",
) -> list[str]:
    """Return the interviews whose text may be quoted in published tables and reports.

    An interview with a non-empty residual list is quotable only when ``reviewed`` says a
    person has checked that list.

    Parameters
    ----------
    residuals
        From :func:`residual_scan`.
    interview_ids
        Every interview (the keys of the redacted transcripts).
    reviewed
        The study's flag: ``True`` (every list reviewed), ``False`` or ``None`` (none), or
        a list of interview ids whose residual lists were reviewed.
    source
        Name of the flag in error messages.

    Returns
    -------
    list of str
        Quotable interview ids, sorted.

    Raises
    ------
    RedactionError
        If ``reviewed`` is of another type or names an interview that does not exist.

    Examples
    --------
    >>> residuals = pd.DataFrame({"interview_id": ["int02"]})
    >>> quotable_interviews(residuals, ["int01", "int02"])
    ['int01']
    >>> quotable_interviews(residuals, ["int01", "int02"], reviewed=["int02"])
    ['int01', 'int02']
    """
    ids = sorted(set(interview_ids))
    allowed = _reviewed_ids(reviewed, ids, source)
    flagged = set(residuals["interview_id"])
    return [i for i in ids if i not in flagged or i in allowed]
