"""Contingency tables of one outcome by one predictor, in codebook order, for complete cases.

Rows of a table are predictor categories, columns outcome categories; empty categories are
dropped and named, and rows missing either value are counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class PreparedTable:
    """A contingency table ready for testing, with what was dropped on the way.

    Attributes
    ----------
    counts
        Counts; rows are predictor categories, columns outcome categories, empty ones dropped.
    row_scores, col_scores
        Scores for the trend test (position in the category order, 0/1 for booleans, the
        value itself for numeric predictors).
    row_ordered, col_ordered
        Whether the predictor and outcome are ordered (booleans count as ordered).
    continuous
        Whether the predictor is numeric (each distinct value is a row).
    n, n_missing
        Complete observations, and rows missing the outcome or the predictor.
    dropped
        Empty categories removed before testing, as ``column=code``.
    """

    outcome: str
    predictor: str
    counts: pd.DataFrame
    row_scores: np.ndarray
    col_scores: np.ndarray
    row_ordered: bool
    col_ordered: bool
    continuous: bool
    n: int
    n_missing: int
    dropped: tuple[str, ...] = ()


def contrast_name(predictor: str, level: str) -> str:
    """Name the binary predictor "``level`` against every other category of ``predictor``".

    Examples
    --------
    >>> contrast_name("org_type", "vrg")
    'org_type_vrg_vs_other'
    """
    return f"{predictor}_{level}_vs_other"


def _check_column(data: pd.DataFrame, name: str, role: str) -> pd.Series:
    if name not in data.columns:
        raise ValueError(
            f"The {role} column {name!r} is not in the data; available columns are "
            f"{sorted(map(str, data.columns))}."
        )
    return data[name]


def _as_levels(series: pd.Series) -> tuple[pd.Series, list[Any], np.ndarray, bool, bool]:
    """Return the series, its full category order, scores, ordered flag and numeric flag."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        categories = list(series.cat.categories)
        scores = np.arange(1, len(categories) + 1, dtype=float)
        return series, categories, scores, bool(series.cat.ordered), False
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.astype("boolean"), [False, True], np.array([0.0, 1.0]), True, False
    if pd.api.types.is_numeric_dtype(series.dtype):
        values = sorted(series.dropna().unique().tolist())
        return series, values, np.asarray(values, dtype=float), True, True
    raise ValueError(
        f"Column {series.name!r} must be categorical, boolean or numeric, but its dtype is "
        f"{series.dtype}; give it categories in the codebook order first."
    )


def _codes(series: pd.Series, levels: list[Any], numeric: bool) -> np.ndarray:
    """Position of each value in ``levels`` (-1 where missing), without Python loops."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.cat.codes.to_numpy(dtype=np.int64)
    if numeric:
        values = series.to_numpy(dtype=float, na_value=np.nan)
        missing = np.isnan(values)
        codes = np.searchsorted(np.asarray(levels, dtype=float), np.where(missing, 0, values))
        return np.where(missing, -1, codes).astype(np.int64)
    # boolean: False is 0, True is 1
    return series.astype("Int64").fillna(-1).to_numpy(dtype=np.int64)


def _contrast(series: pd.Series, level: str) -> pd.Series:
    if not isinstance(series.dtype, pd.CategoricalDtype) or level not in series.cat.categories:
        is_categorical = isinstance(series.dtype, pd.CategoricalDtype)
        allowed = list(series.cat.categories) if is_categorical else []
        raise ValueError(
            f"Cannot contrast {level!r} against the rest of {series.name!r}: it must be a "
            f"categorical column with that category; its categories are {allowed}."
        )
    result = (series == level).astype("boolean")
    result[series.isna()] = pd.NA
    return result.rename(contrast_name(str(series.name), level))


def prepare_table(
    data: pd.DataFrame, *, outcome: str, predictor: str, contrast: str | None = None
) -> PreparedTable:
    """Cross-tabulate ``predictor`` (rows) by ``outcome`` (columns) for complete cases.

    Parameters
    ----------
    data
        One row per respondent; the outcome and predictor must be categorical, boolean or
        (predictor only) numeric.
    outcome, predictor
        Column names.
    contrast
        If given, the predictor becomes "this category against all others".

    Returns
    -------
    PreparedTable
        Counts in category order with empty categories dropped and listed.

    Raises
    ------
    ValueError
        If a column is missing or has an unusable type.
    """
    y = _check_column(data, outcome, "outcome")
    x = _check_column(data, predictor, "predictor")
    if contrast is not None:
        x = _contrast(x, contrast)
    y, y_levels, y_scores, y_ordered, y_numeric = _as_levels(y)
    x, x_levels, x_scores, x_ordered, x_numeric = _as_levels(x)
    if y_numeric:
        raise ValueError(f"The outcome {outcome!r} must be categorical or boolean, not numeric.")
    x_all, y_all = _codes(x, x_levels, x_numeric), _codes(y, y_levels, False)
    complete = (x_all >= 0) & (y_all >= 0)
    cells = x_all[complete] * len(y_levels) + y_all[complete]
    counts = np.bincount(cells, minlength=len(x_levels) * len(y_levels)).reshape(
        len(x_levels), len(y_levels)
    )
    keep_rows, keep_cols = counts.sum(axis=1) > 0, counts.sum(axis=0) > 0
    name = str(x.name)
    dropped = [f"{name}={lvl}" for lvl, k in zip(x_levels, keep_rows, strict=True) if not k]
    dropped += [f"{outcome}={lvl}" for lvl, k in zip(y_levels, keep_cols, strict=True) if not k]
    table = pd.DataFrame(
        counts[np.ix_(keep_rows, keep_cols)],
        index=pd.Index([lvl for lvl, k in zip(x_levels, keep_rows, strict=True) if k], name=name),
        columns=pd.Index(
            [lvl for lvl, k in zip(y_levels, keep_cols, strict=True) if k], name=outcome
        ),
    )
    return PreparedTable(
        outcome=outcome,
        predictor=name,
        counts=table,
        row_scores=x_scores[keep_rows],
        col_scores=y_scores[keep_cols],
        row_ordered=x_ordered,
        col_ordered=y_ordered,
        continuous=x_numeric,
        n=int(complete.sum()),
        n_missing=int((~complete).sum()),
        dropped=tuple(dropped),
    )


def row_percentages(prepared: PreparedTable) -> pd.DataFrame:
    """Return counts and row percentages of a prepared table in one wide table.

    Parameters
    ----------
    prepared
        Output of :func:`prepare_table`.

    Returns
    -------
    pandas.DataFrame
        One row per predictor category: the category, ``n_<outcome code>`` counts, ``total``
        and ``pct_<outcome code>`` row percentages.
    """
    counts = prepared.counts
    totals = counts.sum(axis=1)
    out = pd.DataFrame({prepared.predictor: [str(v) for v in counts.index]})
    for column in counts.columns:
        out[f"n_{column}"] = counts[column].to_numpy()
    out["total"] = totals.to_numpy()
    for column in counts.columns:
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"pct_{column}"] = 100 * counts[column].to_numpy() / totals.to_numpy()
    return out
