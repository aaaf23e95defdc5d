"""Frequency tables for survey questions (skeleton)."""

from __future__ import annotations

import pandas as pd


def frequency_table(answers: pd.Series) -> pd.DataFrame:
    """Count answers with percentages of valid (non-missing) answers.

    Parameters
    ----------
    answers
        One column of the clean survey.

    Returns
    -------
    pandas.DataFrame
        Columns ``answer, n, percent``.
    """
    counts = answers.value_counts(dropna=True)
    table = counts.rename_axis("answer").reset_index(name="n")
    table["percent"] = 100 * table["n"] / table["n"].sum()
    return table
