"""Cross-tabulations and tests of independence (skeleton)."""

from __future__ import annotations

import pandas as pd


def contingency_table(data: pd.DataFrame, *, row: str, column: str) -> pd.DataFrame:
    """Count co-occurrences of two categorical columns, dropping missing values.

    Parameters
    ----------
    data
        The clean survey.
    row, column
        Column names.

    Returns
    -------
    pandas.DataFrame
        Counts with ``row`` categories as rows and ``column`` categories as columns.
    """
    return pd.crosstab(data[row], data[column])
