"""Pseudonymise interview transcripts: replace personal data by consistent placeholders.

Two kinds of rules, both configured in the codebook's ``redaction`` section:

* **Patterns** (regular expressions per category: e-mails, profiles, links, bank accounts,
  personal codes, phones, car plates, addresses), plus every register value of such a
  category, matched literally (see :mod:`.redact_patterns`).
* **Entities** (categories whose placeholder has ``{n}``, e.g. persons and places): the words
  of every register value are reduced to stem keys (see :func:`.words.stem_key`), so
  inflected forms (``Kalniņa``, ``Kalniņai``, ``Kalniņā``) match their base form. Names not on
  the register are caught by a first-name lexicon (the name-day calendar with diminutives,
  see :mod:`.names`; the capitalised word that follows is the surname) and by title words
  after a word (``Ozola kungs``). Neighbouring words of one entity, and the parts of a
  hyphenated double surname, collapse into one placeholder, numbered per interview in order
  of appearance.

A capitalised word at the start of a sentence that is an ordinary word in its dictionary form
(*Priede*, the pine; *Strauts*, the stream) is taken for a name only when the context marks a
person; otherwise it is kept and listed by the residual scan (:mod:`.residual`).

Only the register's ``interview_id, category, value`` columns are used. Stems, lemmas and
folding follow the interview language (the codebook's ``language``, see :mod:`.words`).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ruralplan.interviews.redact_config import (
    CONFIG_KEYS,
    RedactionConfig,
    RedactionError,
    parse_redaction_config,
)
from ruralplan.interviews.redact_entities import resolve, tag_entities
from ruralplan.interviews.redact_patterns import apply_rules, pattern_rules
from ruralplan.interviews.residual import RESIDUAL_COLUMNS, quotable_interviews, residual_scan

__all__ = [
    "CONFIG_KEYS",
    "LOG_COLUMNS",
    "REGISTER_COLUMNS",
    "RESIDUAL_COLUMNS",
    "RedactionConfig",
    "RedactionError",
    "check_register",
    "kept_name_words",
    "parse_redaction_config",
    "quotable_interviews",
    "redact_text",
    "redact_transcripts",
    "residual_scan",
]

LOG_COLUMNS = ["interview_id", "category", "count"]
REGISTER_COLUMNS = ["interview_id", "category", "value"]


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


def kept_name_words(
    text: str, register: pd.DataFrame, config: RedactionConfig, *, interview_id: str | None = None
) -> list[tuple[int, int, str]]:
    """Return the register names in ``text`` left alone as ordinary words (*Priede pie skolas*).

    Run on a redacted transcript, these are the words the residual scan lists for review.
    """
    return tag_entities(text, register, config, interview_id)[1]


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
    interview (a shared first name or surname) gets a number of its own, unless a gendered
    title after it tells them apart.

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
    rules = pattern_rules(register, config.placeholders, config.patterns, config.language)
    text, counts = apply_rules(text, rules)
    spans, _ = tag_entities(text, register, config, interview_id)
    numbers: dict[str, int] = {}
    per_category: dict[str, int] = {}
    pieces, cursor = [], 0
    for start, end, candidates, _ in spans:
        category, label = resolve(candidates)
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
