"""Count answers in the clean survey: shares of chosen codes, counts per option.

A single-choice question is one column named by its id; a multiple-choice question is one
boolean column per option, ``<question>__<code>``, and its valid answers are the respondents
who ticked at least one option.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd


def share_of(
    survey: pd.DataFrame,
    question: str,
    codes: Sequence[str],
    *,
    among: Mapping[str, Any] | None = None,
) -> tuple[int, int]:
    """Count valid answers in any of ``codes`` and all valid answers of a question.

    A single-choice question is a column named ``question``; a multiple-choice one is the
    boolean columns ``question__<code>``, and its valid answers are respondents who ticked at
    least one option.

    Parameters
    ----------
    survey
        The clean survey.
    question
        Question id.
    codes
        Option codes counted together.
    among
        Optional ``{question, codes}``: count only respondents who gave any of those answers
        to that question (e.g. the applicants of a programme).

    Returns
    -------
    tuple of int
        ``(count, valid)``.

    Raises
    ------
    KeyError
        If the question or a code's column is not in ``survey``.
    ValueError
        If a code is not a category of a categorical single-choice column.
    """
    if among is not None:
        survey = survey.loc[chose_any(survey, among["question"], among["codes"])]
    if question in survey.columns:
        values = survey[question]
        if isinstance(values.dtype, pd.CategoricalDtype):
            unknown = [code for code in codes if code not in values.cat.categories]
            if unknown:
                raise ValueError(
                    f"codes {unknown} are not answers of `{question}`; "
                    f"its codes are {list(values.cat.categories)}"
                )
        valid = values.notna()
        return int(values[valid].astype(str).isin(list(codes)).sum()), int(valid.sum())
    prefix = f"{question}__"
    options = [column for column in survey.columns if column.startswith(prefix)]
    wanted = [f"{prefix}{code}" for code in codes]
    missing = [column for column in wanted if column not in survey.columns]
    if not options or missing:
        raise KeyError(f"the survey data has no column(s) {missing or [question]}")
    ticks = survey[options].astype("boolean").fillna(False).astype(bool)
    valid = ticks.any(axis=1)
    return int(ticks[wanted].any(axis=1)[valid].sum()), int(valid.sum())


def chose_any(survey: pd.DataFrame, question: str, codes: Sequence[str]) -> pd.Series:
    """Tell for each respondent whether they gave any of ``codes`` to ``question``.

    Raises
    ------
    ValueError
        If a code is not an answer of a single-choice question.
    KeyError
        If the survey has no column for the question or one of the codes.
    """
    if question in survey.columns:
        values = survey[question]
        if isinstance(values.dtype, pd.CategoricalDtype):
            unknown = [code for code in codes if code not in values.cat.categories]
            if unknown:
                raise ValueError(
                    f"codes {unknown} are not answers of `{question}`; "
                    f"its codes are {list(values.cat.categories)}"
                )
        return values.astype("string").isin([str(code) for code in codes]).fillna(False)
    wanted = [f"{question}__{code}" for code in codes]
    missing = [column for column in wanted if column not in survey.columns]
    if missing:
        raise KeyError(f"the survey data has no column(s) {missing}")
    return survey[wanted].astype("boolean").fillna(False).astype(bool).any(axis=1)


def option_counts(survey: pd.DataFrame, question: str) -> pd.Series:
    """Count answers per option code of a single- or multiple-choice question.

    Parameters
    ----------
    survey
        The clean survey.
    question
        Question id.

    Returns
    -------
    pandas.Series
        Counts indexed by code.

    Raises
    ------
    KeyError
        If the question is not in ``survey``.
    """
    if question in survey.columns:
        values = survey[question]
        counts = values.astype("string").value_counts()
        if isinstance(values.dtype, pd.CategoricalDtype):
            counts = counts.reindex(values.cat.categories.astype(str), fill_value=0)
        return counts.astype("int64")
    prefix = f"{question}__"
    options = [column for column in survey.columns if column.startswith(prefix)]
    if not options:
        raise KeyError(f"the survey data has no column(s) {[question]}")
    ticks = survey[options].astype("boolean").fillna(False).astype(bool)
    return pd.Series(
        ticks.sum().to_numpy(), index=[c[len(prefix) :] for c in options], dtype="int64"
    )
