"""Find duplicate submissions and submissions without any answer, and exclude them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ruralplan.survey.base import EMPTY_REASON, TEXT_DTYPE
from ruralplan.survey.cleaning_log import log_frame
from ruralplan.survey.codebook import Codebook

EXCLUSION_COLUMNS = ["row", "respondent_id", "reason", "detail"]
DUPLICATE_REASON = "duplicate_submission"


def find_exclusions(
    table: pd.DataFrame, codebook: Codebook, empty: np.ndarray
) -> tuple[np.ndarray, pd.DataFrame, pd.DataFrame]:
    """Exclude submissions without any answer, then duplicates among the rest.

    Parameters
    ----------
    table
        The clean columns of every submission, in export order.
    codebook
        The questionnaire (timestamps are not compared: a resubmission has its own).
    empty
        Rows that answer no question.

    Returns
    -------
    keep : numpy.ndarray
        Boolean, True for the rows kept.
    exclusions : pandas.DataFrame
        The :data:`EXCLUSION_COLUMNS`, one row per excluded submission.
    log : pandas.DataFrame
        Cleaning-log entries of the exclusions (column ``*``).
    """
    skip = {"respondent_id", "raw_row"} | {
        q.id for q in codebook.questions if q.type == "timestamp"
    }
    key = row_keys(table[[column for column in table.columns if column not in skip]])
    key = np.where(empty, -1 - np.arange(len(table)), key)
    firsts = pd.Series(key).drop_duplicates()
    duplicated = np.ones(len(table), dtype=bool)
    duplicated[firsts.index] = False
    first_row = pd.Series(firsts.index + 1, index=firsts.to_numpy())
    excluded = duplicated | empty
    rows = np.flatnonzero(excluded) + 1
    reasons = np.where(empty[excluded], EMPTY_REASON, DUPLICATE_REASON)
    firsts_of_excluded = first_row.loc[key[excluded]]
    detail = [
        ("no answer to any question" if is_empty else f"same answers as row {first}")
        for is_empty, first in zip(empty[excluded], firsts_of_excluded, strict=True)
    ]
    exclusions = pd.DataFrame(
        {
            "row": rows.astype("int64"),
            "respondent_id": table["respondent_id"][excluded].astype(TEXT_DTYPE).array,
            "reason": pd.array(reasons, dtype=TEXT_DTYPE),
            "detail": pd.array(detail, dtype=TEXT_DTYPE),
        },
        columns=EXCLUSION_COLUMNS,
    )
    blank = np.full(len(rows), "")
    log = log_frame("*", rows, blank, blank, reasons)
    return ~excluded, exclusions, log


def row_keys(table: pd.DataFrame) -> np.ndarray:
    """Give equal rows of a table the same key (missing equals missing).

    Columns with few distinct values are combined first; a column of many distinct values
    (free text) is then only looked at in the rows that still share their key with another.

    Parameters
    ----------
    table
        Any table.

    Returns
    -------
    numpy.ndarray
        ``int64`` keys, 0, 1, ... in order of first appearance.

    Examples
    --------
    >>> row_keys(pd.DataFrame({"a": ["x", "y", "x", None], "b": [1, 2, 1, None]})).tolist()
    [0, 1, 0, 2]
    """
    key = np.zeros(len(table), dtype="int64")
    size = 1
    cheap = [c for c in table.columns if isinstance(table[c].dtype, _FEW_VALUES)]
    for column in cheap + [c for c in table.columns if c not in cheap]:
        values = table[column]
        shared = (
            np.ones(len(table), dtype=bool)
            if column in cheap
            else pd.Series(key).duplicated(keep=False).to_numpy()
        )
        codes, width = _column_codes(values if shared.all() else values[shared])
        if size * width >= 2**62:
            key, uniques = pd.factorize(key)
            size = len(uniques)
        key = key * width
        key[shared] += codes
        size *= width
    return pd.factorize(key)[0].astype("int64")


_FEW_VALUES = (pd.CategoricalDtype, pd.BooleanDtype)


def _column_codes(values: pd.Series) -> tuple[np.ndarray, int]:
    """Codes of a column's values (missing has a code too) and how many codes there can be."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy("int64") + 1, len(values.cat.categories) + 1
    if isinstance(values.dtype, pd.BooleanDtype):
        return values.to_numpy("int64", na_value=2), 3
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return codes.astype("int64"), max(len(uniques), 1)
