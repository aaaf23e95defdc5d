"""The cleaning log: one row per changed cell (row, column, raw value, clean value, rule).

A log repeats the same few columns, values and rules many times, so its text columns are
categoricals built straight from codes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from ruralplan.survey.base import TEXT_DTYPE

LOG_COLUMNS = ["row", "column", "raw_value", "clean_value", "rule"]


def coded(codes: np.ndarray, categories: Any) -> pd.Categorical:
    """Build a text categorical from codes into distinct ``categories``."""
    dtype = pd.CategoricalDtype(pd.Index(categories, dtype=TEXT_DTYPE))
    return pd.Categorical.from_codes(np.asarray(codes, dtype="int64"), dtype=dtype)


def _as_category(values: Any) -> pd.Categorical:
    """Build a text categorical from any text values (used for log columns)."""
    codes, categories = pd.factorize(pd.array(values, dtype=TEXT_DTYPE))
    return coded(codes, categories)


def log_frame(column: str, rows: np.ndarray, raw: Any, clean: Any, rules: Any) -> pd.DataFrame:
    """Log entries of changed cells only (all arguments already hold just those cells).

    Text columns are categoricals: a log repeats the same few raw and clean values many times.
    """

    def category(values: Any) -> pd.Categorical:
        return values if isinstance(values, pd.Categorical) else _as_category(values)

    rows = np.asarray(rows, dtype="int64")
    return pd.DataFrame(
        {
            "row": rows,
            "column": coded(np.zeros(len(rows), dtype="int64"), [column]),
            "raw_value": category(raw),
            "clean_value": category(clean),
            "rule": category(rules),
        }
    )


def concat_log(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Join log parts into one log sorted by row, column and rule.

    Parameters
    ----------
    parts
        Frames from :func:`log_frame`; empty ones are skipped.

    Returns
    -------
    pandas.DataFrame
        The :data:`LOG_COLUMNS`; an empty log keeps them, as text.
    """
    parts = [part for part in parts if len(part)]
    if not parts:
        return pd.DataFrame({column: pd.Series(dtype="str") for column in LOG_COLUMNS})
    rows = np.concatenate([part["row"].to_numpy("int64") for part in parts])
    columns = {
        name: union_categoricals([part[name].array for part in parts]) for name in LOG_COLUMNS[1:]
    }
    order = np.lexsort([_lexical_rank(columns["rule"]), _lexical_rank(columns["column"]), rows])
    return pd.DataFrame(
        {"row": rows[order], **{name: values.take(order) for name, values in columns.items()}}
    )


def _lexical_rank(values: pd.Categorical) -> np.ndarray:
    """Rank of each value in text order (categories may be in any order)."""
    ranks = np.argsort(np.argsort(values.categories.to_numpy(object), kind="stable"))
    return ranks[values.codes]
