"""Clean a survey export into one typed row per organisation, driven only by the codebook.

Each question's column is parsed by :mod:`ruralplan.survey.parsing` (values read by
:mod:`ruralplan.survey.values`). Every change is logged (row, column, raw value, clean value,
rule; :mod:`ruralplan.survey.cleaning_log`); problems are collected as :class:`Problem` objects
so that validation and cleaning share one parser. Empty and duplicate submissions are excluded
(:mod:`ruralplan.survey.duplicates`). The clean table is checked against
:func:`ruralplan.survey.schemas.clean_schema` before it is returned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ruralplan.survey import schemas
from ruralplan.survey.base import OTHER_SUFFIX, TEXT_DTYPE, Problem, References, as_text, shown
from ruralplan.survey.cleaning_log import LOG_COLUMNS, concat_log
from ruralplan.survey.codebook import Codebook, check_bounds
from ruralplan.survey.columns import empty_columns, match_columns, source_question
from ruralplan.survey.duplicates import (
    DUPLICATE_REASON,
    EXCLUSION_COLUMNS,
    find_exclusions,
    row_keys,
)
from ruralplan.survey.parsing import (
    Parsed,
    asked_rows,
    control_character_problems,
    filter_rows,
    parse_question,
)
from ruralplan.survey.values import (
    assign_bands,
    parse_count,
    parse_datetimes,
    parse_year,
    split_multiple,
)

# Every name this module had before it was split stays importable from it: notebook 01, the
# command line and tests use ``clean.<name>``.
__all__ = [
    "DUPLICATE_REASON",
    "EXCLUSION_COLUMNS",
    "LOG_COLUMNS",
    "OTHER_SUFFIX",
    "TEXT_DTYPE",
    "CleanResult",
    "CleaningError",
    "Problem",
    "References",
    "as_text",
    "assign_bands",
    "clean_survey",
    "data_dictionary",
    "find_problems",
    "match_columns",
    "parse_count",
    "parse_datetimes",
    "parse_year",
    "row_keys",
    "split_multiple",
    "summarise",
]


class CleaningError(ValueError):
    """Raised when an export has errors; ``problems`` lists them all.

    The message has one ``FILE:ROW:COLUMN: message`` line per problem (the first 20) when the
    export's file is known (``raw.attrs["source"]``, set by
    :func:`ruralplan.survey.io.read_export`), else ``row ROW, COLUMN: message``.
    """

    def __init__(self, problems: Sequence[Problem], source: str | None = None) -> None:
        self.problems = list(problems)
        self.source = source
        lines = [
            f"{source}:{p.row}:{shown(p.column)}: {p.message}"
            if source
            else f"row {p.row}, {shown(p.column)}: {p.message}"
            for p in self.problems[:20]
        ]
        more = len(self.problems) - 20
        super().__init__("\n".join(lines) + (f"\n... and {more} more" if more > 0 else ""))


@dataclass(frozen=True)
class CleanResult:
    """The outcome of :func:`clean_survey`.

    ``log`` has the :data:`LOG_COLUMNS`; its text columns are categoricals (a log repeats the
    same few values many times), ``row`` is ``int64``.
    """

    table: pd.DataFrame
    log: pd.DataFrame
    exclusions: pd.DataFrame
    summary: dict[str, Any]
    problems: list[Problem]


def clean_survey(
    raw: pd.DataFrame,
    codebook: Codebook,
    *,
    references: References | None = None,
    bands: Mapping[str, Sequence[int]] | None = None,
) -> CleanResult:
    """Clean an export read as strings into the typed table described by the codebook.

    Parameters
    ----------
    raw
        The export as read by :func:`ruralplan.survey.io.read_export`; not modified.
    codebook
        The questionnaire.
    references
        Reference lists for ``lookup`` questions (required when the codebook has one).
    bands
        Band bounds overriding the codebook, keyed by band column (e.g. ``{"org_age_band":
        [0, 10, 30]}``).

    Returns
    -------
    CleanResult
        The clean table (one row per kept submission), the change log, the exclusions, a
        summary with row accounting, and warnings.

    Raises
    ------
    CleaningError
        If the export has errors (see :func:`find_problems`), or, which would be a bug, the
        clean table breaks :func:`ruralplan.survey.schemas.clean_schema`; all problems are listed.
    """
    problems, parsed, mapping = _parse_all(raw, codebook, references, bands)
    source = raw.attrs.get("source")
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise CleaningError(errors, source)
    columns = _assemble(raw, codebook, parsed, mapping)
    log_parts = [part for p in parsed.values() for part in p.log]
    del parsed
    empty = schemas.unanswered(schemas.raw_view(raw, mapping), codebook).to_numpy(bool)
    keep, exclusions, exclusion_log = find_exclusions(
        pd.DataFrame(columns, copy=False), codebook, empty
    )
    log = concat_log([*log_parts, exclusion_log])
    clean = pd.DataFrame(
        {name: filter_rows(columns.pop(name), keep) for name in list(columns)}, copy=False
    )
    broken = schemas.check_clean(clean, codebook, references=references, bands=bands)
    if broken:
        raise CleaningError(
            [Problem(p.row, p.column, f"clean table: {p.message}") for p in broken], source
        )
    summary = summarise(rows_in=len(raw), clean=clean, exclusions=exclusions, log=log)
    return CleanResult(clean, log, exclusions, summary, problems)


def find_problems(
    raw: pd.DataFrame,
    codebook: Codebook,
    *,
    references: References | None = None,
    bands: Mapping[str, Sequence[int]] | None = None,
) -> list[Problem]:
    """List every problem of an export, in row order (header problems first).

    Parameters
    ----------
    raw
        The export as strings.
    codebook
        The questionnaire.
    references
        Reference lists for ``lookup`` questions.
    bands
        Band overrides as in :func:`clean_survey`.

    Returns
    -------
    list of Problem
        Errors make the export unusable; warnings are reported and cleaning goes on. Once the
        header is usable, the export is also checked against
        :func:`ruralplan.survey.schemas.raw_schema` (rows without any answer).
    """
    problems, _, _ = _parse_all(raw, codebook, references, bands)
    return problems


def summarise(
    *, rows_in: int, clean: pd.DataFrame, exclusions: pd.DataFrame, log: pd.DataFrame
) -> dict[str, Any]:
    """Summarise a cleaning run and check the row accounting.

    Parameters
    ----------
    rows_in
        Rows of the raw export.
    clean
        The clean table.
    exclusions
        One row per excluded submission with a ``reason``.
    log
        The change log with a ``rule`` column.

    Returns
    -------
    dict
        ``rows_in``, ``rows_out``, ``rows_excluded``, ``exclusions`` (count per reason) and
        ``changes`` (count per rule), keys sorted.

    Raises
    ------
    AssertionError
        If raw rows differ from clean plus excluded rows (a bug, never a user error).
    """
    if rows_in != len(clean) + len(exclusions):
        raise AssertionError(
            f"row accounting broken: {rows_in} raw rows, {len(clean)} clean, "
            f"{len(exclusions)} excluded"
        )
    return {
        "rows_in": int(rows_in),
        "rows_out": int(len(clean)),
        "rows_excluded": int(len(exclusions)),
        "exclusions": {
            str(k): int(v) for k, v in sorted(exclusions["reason"].value_counts().items())
        },
        "changes": {str(k): int(v) for k, v in sorted(log["rule"].value_counts().items()) if v > 0},
    }


def data_dictionary(table: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Describe each clean column: type, source question, texts, allowed values, missing count.

    Parameters
    ----------
    table
        A clean table from :func:`clean_survey`.
    codebook
        The questionnaire it was cleaned with.

    Returns
    -------
    pandas.DataFrame
        Columns ``column, dtype, question_id, question_lv, question_en, values, n_missing``.
    """
    rows = []
    for column in table.columns:
        question = source_question(column, codebook)
        series = table[column]
        values = ""
        if isinstance(series.dtype, pd.CategoricalDtype):
            separator = " < " if series.cat.ordered else " | "
            values = separator.join(map(str, series.cat.categories))
        rows.append(
            {
                "column": column,
                "dtype": str(series.dtype),
                "question_id": question.id if question else "",
                "question_lv": question.text_lv if question else "",
                "question_en": question.text_en if question else "",
                "values": values,
                "n_missing": int(series.isna().sum()),
            }
        )
    return pd.DataFrame(rows)


def _parse_all(
    raw: pd.DataFrame,
    codebook: Codebook,
    references: References | None,
    bands: Mapping[str, Sequence[int]] | None,
) -> tuple[list[Problem], dict[str, Parsed], dict[str, str]]:
    mapping, problems = match_columns(list(raw.columns), codebook)
    problems = [Problem(0, "-", note, "warning") for note in raw.attrs.get("notes", [])] + problems
    if len(raw) == 0:
        problems.append(Problem(0, "-", "no answer rows; expected at least one submission"))
    problems += _check_band_overrides(codebook, bands or {})
    if any(p.severity == "error" for p in problems):
        return problems, {}, mapping
    row_problems = schemas.check_raw(raw, codebook, mapping)
    excluded = {p.row for p in row_problems if p.row > 0 and p.column == "-"}
    if len(excluded) == len(raw):
        problems.append(
            Problem(
                0,
                "-",
                f"none of the {len(raw)} rows answers a question (all blank, or only a "
                "timestamp); expected at least one answered submission",
            )
        )
    problems += row_problems
    rows = np.arange(1, len(raw) + 1)
    parsed: dict[str, Parsed] = {}
    asked_codes: dict[str, Any] = {}
    for question in codebook.questions:
        if question.id not in mapping:
            continue
        cells = as_text(raw[mapping[question.id]])
        problems += control_character_problems(question, cells, rows)
        asked = asked_rows(question, asked_codes, len(raw))
        result = parse_question(question, cells, rows, asked, codebook, references, bands or {})
        result.unique_index = result.row_codes = np.zeros(0, dtype="int64")
        parsed[question.id] = result
        # cell warnings of a row excluded as a whole (no answer at all) would only repeat it
        problems += [p for p in result.problems if p.severity == "error" or p.row not in excluded]
        if question.type == "single":
            asked_codes[question.id] = result.columns[question.id]
    order = {question_id: position for position, question_id in enumerate(codebook.ids)}
    problems.sort(key=lambda p: (p.row, order.get(p.column, -1)))
    return problems, parsed, mapping


def _check_band_overrides(codebook: Codebook, bands: Mapping[str, Sequence[int]]) -> list[Problem]:
    known = {q.derived["band"]["column"] for q in codebook.questions if "band" in q.derived}
    problems = []
    for column, bounds in bands.items():
        if column not in known:
            problems.append(
                Problem(
                    0, column, f"unknown band column in `bands`; expected one of {sorted(known)}"
                )
            )
        for message in check_bounds(list(bounds), name=f"bands[{column!r}]"):
            problems.append(Problem(0, column, message))
    return problems


def _assemble(
    raw: pd.DataFrame, codebook: Codebook, parsed: Mapping[str, Parsed], mapping: Mapping[str, str]
) -> dict[str, Any]:
    """Collect the clean columns of all rows, in table order (a dict: nothing is copied)."""
    n = len(raw)
    width = max(3, len(str(n)))
    rows = pd.Series(np.arange(1, n + 1), dtype="int64")
    columns: dict[str, Any] = {
        "respondent_id": ("R" + rows.astype(TEXT_DTYPE).str.zfill(width)).astype("string").array,
        "raw_row": pd.array(rows, dtype="Int64"),
    }
    for question in codebook.questions:
        if question.id in parsed:
            columns.update(parsed[question.id].columns)
        else:
            columns.update(empty_columns(question, n))
    return columns
