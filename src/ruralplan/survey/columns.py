"""Match export headers to questions, and name the clean columns each question gives."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ruralplan.survey.base import OTHER_SUFFIX, Problem, shown
from ruralplan.survey.codebook import Codebook, Question, normalise_label


def match_columns(
    headers: Sequence[str], codebook: Codebook
) -> tuple[dict[str, str], list[Problem]]:
    """Match export headers to questions by normalised question text.

    Parameters
    ----------
    headers
        Column headers as read from the export.
    codebook
        The questionnaire.

    Returns
    -------
    mapping : dict
        Question id to the header that holds it.
    problems : list of Problem
        Missing required columns (errors), missing optional and extra columns (warnings),
        repeated columns (errors); ``row`` is 0 for the header.
    """
    by_text = {header_key(q.text_lv): q for q in codebook.questions}
    mapping: dict[str, str] = {}
    problems = []
    for header in headers:
        question = by_text.get(header_key(str(header)))
        if question is None:
            problems.append(
                Problem(0, shown(str(header)), "column not in the codebook; ignored", "warning")
            )
        elif question.id in mapping:
            problems.append(
                Problem(
                    0,
                    shown(str(header)),
                    f"second column for question {question.id!r}; expected each question once",
                )
            )
        else:
            mapping[question.id] = header
    for question in codebook.questions:
        if question.id not in mapping:
            severity = "error" if question.required and not question.asked_if else "warning"
            problems.append(
                Problem(
                    0,
                    question.id,
                    f"column missing; expected a column headed {question.text_lv!r}",
                    severity,
                )
            )
    return mapping, problems


def header_key(text: str) -> str:
    """Normalise a header for matching: as a label, and without invisible format characters.

    Zero-width spaces and joiners, soft hyphens and stray byte-order marks (Unicode category
    Cf) can come with a header copied from a web form; they are not part of the question.

    Examples
    --------
    >>> header_key("\ufeffLaiks\u200b ") == header_key("laiks")
    True
    """
    visible = "".join(char for char in text if unicodedata.category(char) != "Cf")
    return normalise_label(visible)


def empty_columns(question: Question, n: int) -> dict[str, Any]:
    """Give the clean columns of a question the export lacks, all missing.

    Parameters
    ----------
    question
        A question without a column in the export.
    n
        Number of rows.

    Returns
    -------
    dict
        Clean column name to an all-missing array of the column's dtype.
    """
    missing = np.full(n, None, dtype=object)
    if question.type == "multiple":
        out: dict[str, Any] = {
            f"{question.id}__{c}": pd.array(missing, dtype="boolean") for c in question.codes
        }
        if question.other_code:
            out[f"{question.id}{OTHER_SUFFIX}"] = pd.array(missing, dtype="string")
        return out
    if question.type == "single":
        return {
            question.id: pd.Categorical(
                missing, categories=question.codes, ordered=question.ordered
            )
        }
    dtype = "Int64" if question.type in ("year", "count") else "string"
    return {question.id: pd.array(missing, dtype=dtype)}


def source_question(column: str, codebook: Codebook) -> Question | None:
    """Find the question a clean column comes from (itself, an option, or a derived column).

    Parameters
    ----------
    column
        A clean column name.
    codebook
        The questionnaire.

    Returns
    -------
    Question or None
        None for columns of no question (``respondent_id``, ``raw_row``).
    """
    for question in codebook.questions:
        derived = [
            value["column"] if isinstance(value, Mapping) else value
            for value in question.derived.values()
        ]
        if (
            column == question.id
            or column.startswith(f"{question.id}__")
            or column == f"{question.id}{OTHER_SUFFIX}"
            or column in derived
            or column in question.lookup.values()
        ):
            return question
    return None
