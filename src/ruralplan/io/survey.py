"""Read survey exports (skeleton: UTF-8 CSV only)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def read_export(path: str | Path) -> pd.DataFrame:
    """Read a survey export as strings, keeping blanks as empty strings.

    Parameters
    ----------
    path
        The exported file.

    Returns
    -------
    pandas.DataFrame
        One row per submission, one string column per export column.
    """
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
