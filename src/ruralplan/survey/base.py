"""Small pieces shared by cleaning and validation: problems, reference lists and raw text.

:mod:`ruralplan.survey.clean` and :mod:`ruralplan.survey.schemas` both build on these, so they
live here rather than in either of them (which would make the two import each other).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

OTHER_SUFFIX = "_other_text"
"""Suffix of the free-text column of a multiple-choice question's "other" option."""
EMPTY_REASON = "empty_submission"
"""Exclusion reason of a submission that answers no question."""
TEXT_DTYPE = pd.StringDtype("pyarrow", na_value=np.nan)
"""pandas' default text dtype (``str``), Arrow-backed: raw cells and the cleaning log use it."""


@dataclass(frozen=True)
class Problem:
    """One problem in an export: where it is, what is wrong, and whether it blocks cleaning."""

    row: int
    column: str
    message: str
    severity: str = "error"


class ExportReadError(ValueError):
    """Raised when an export cannot be read.

    The message has the form ``FILE: message``, or ``FILE:ROW:COLUMN: message`` when the
    problem is in one row (1-based data row; 0 is the header) or one column.

    Parameters
    ----------
    path
        The export.
    message
        What is wrong and what was expected.
    row, column
        Where, when known.
    """

    def __init__(
        self, path: object, message: str, *, row: int | None = None, column: str | None = None
    ) -> None:
        self.path = str(path)
        self.message = message
        self.row = row
        self.column = column
        where = "" if row is None and column is None else f":{row or 0}:{column or '-'}"
        super().__init__(f"{self.path}{where}: {message}")


def shown(text: str) -> str:
    r"""Write invisible and control characters of ``text`` as escapes, the rest as it is.

    Headers and answers are printed in one-line messages; a no-break space, a zero-width
    space, a tab or a line break would otherwise be invisible or break the line.

    Examples
    --------
    >>> shown("Laiks\u200b\xa0"), shown("Jā, ne"), shown("a\nb")
    ('Laiks\\u200b\\xa0', 'Jā, ne', 'a\\nb')
    """
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


@dataclass(frozen=True)
class References:
    """Reference lists for ``lookup`` questions: units (name, code, region) and aliases."""

    units: pd.DataFrame
    aliases: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["alias", "name", "kind", "note"])
    )


def as_text(column: pd.Series) -> pd.Series:
    """Return an export column as pandas text (``str``), blanks as ``""``.

    Parameters
    ----------
    column
        A column as read by :func:`ruralplan.survey.io.read_export` (already text) or built by
        hand (any values; missing values become ``""``).

    Returns
    -------
    pandas.Series
        The column with the ``str`` dtype; the input when it already is one without gaps.
    """
    if column.dtype != TEXT_DTYPE:
        column = column.astype(object).where(column.notna(), "").astype(TEXT_DTYPE)
    elif column.hasnans:
        column = column.fillna("")
    return column
