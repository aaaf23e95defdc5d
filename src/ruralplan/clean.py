"""Pure cleaning functions for survey exports (skeleton)."""

from __future__ import annotations

import pandas as pd

LOG_COLUMNS = ["row", "column", "raw_value", "clean_value", "rule"]


def trim_whitespace(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Strip leading and trailing whitespace from every cell and log each change.

    Parameters
    ----------
    raw
        The export as strings; not modified.

    Returns
    -------
    clean : pandas.DataFrame
        A copy with whitespace stripped.
    log : pandas.DataFrame
        One row per changed cell with columns ``row, column, raw_value, clean_value, rule``.
    """
    clean = raw.apply(lambda column: column.str.strip())
    changes = []
    for column in raw.columns:
        changed = raw[column] != clean[column]
        for row in raw.index[changed]:
            changes.append((row, column, raw.at[row, column], clean.at[row, column], "trim"))
    return clean, pd.DataFrame(changes, columns=LOG_COLUMNS)
