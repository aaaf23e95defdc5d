"""pandera schemas of the raw export and of the clean survey table, built from the codebook.

Nothing here names a question: every column, dtype, allowed code, range and skip rule comes
from the :class:`~ruralplan.survey.codebook.Codebook` (and, for ``lookup`` questions, the reference
lists). Validation is lazy, so every problem comes at once, and pandera's failure cases are
turned into :class:`.base.Problem` objects (row, column, what is wrong and what was
expected), the form ``ruralplan validate`` prints.

- The **raw schema** describes an export after its columns are matched to questions (see
  :func:`raw_view`): one text column per question, required questions present, and no
  submission without a single answer. Labels, years and counts are checked by the cleaning
  parser itself, so they are not repeated here.
- The **clean schema** describes the output of :func:`ruralplan.survey.clean.clean_survey`: column
  names and dtypes, categories in codebook order, year and count ranges, unique respondent ids
  and raw rows, and the skip rules (``asked_if``): a question not asked is missing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from ruralplan.survey.base import EMPTY_REASON, OTHER_SUFFIX, Problem, References, as_text
from ruralplan.survey.codebook import Codebook, Question, band_labels

_MISSING_COLUMN = "column_in_dataframe"
_EXTRA_COLUMN = "column_in_schema"


@dataclass(frozen=True)
class RowCheck:
    """A check on whole rows: the column it is reported under, what is wrong, what it expects."""

    column: str
    problem: str
    expected: str
    severity: str = "error"


# ---- raw export -------------------------------------------------------------------------------


def raw_view(raw: pd.DataFrame, mapping: Mapping[str, str]) -> pd.DataFrame:
    """Return the matched export columns as text, renamed to question ids.

    Parameters
    ----------
    raw
        The export as read (headers are question texts).
    mapping
        Question id to header, from :func:`ruralplan.survey.columns.match_columns`.

    Returns
    -------
    pandas.DataFrame
        One text column per matched question, in the export's row order.
    """
    return pd.DataFrame(
        {qid: as_text(raw[header]) for qid, header in mapping.items()}, index=raw.index
    )


def unanswered(view: pd.DataFrame, codebook: Codebook) -> pd.Series:
    """Flag rows that answer no question (a timestamp alone is not an answer).

    Parameters
    ----------
    view
        A table from :func:`raw_view`.
    codebook
        The questionnaire.

    Returns
    -------
    pandas.Series
        Boolean, True for a row whose every answer cell is blank or a missing code. Only
        rows still blank are looked at in the next column, so this is quick.
    """
    candidates = np.arange(len(view))
    for question in codebook.questions:
        if question.id not in view.columns or question.type == "timestamp":
            continue
        cells = view[question.id]
        if len(candidates) < len(view):
            cells = cells.iloc[candidates]
        blank = cells.str.strip().isin(list(question.missing_codes)).to_numpy(bool)
        candidates = candidates[blank]
        if not len(candidates):
            break
    empty = np.zeros(len(view), dtype=bool)
    empty[candidates] = True
    return pd.Series(empty, index=view.index)


def raw_schema(codebook: Codebook) -> pa.DataFrameSchema:
    """Build the schema of a matched export (see :func:`raw_view`).

    Parameters
    ----------
    codebook
        The questionnaire.

    Returns
    -------
    pandera.pandas.DataFrameSchema
        Text columns named by question id; required questions (asked of everyone) must be
        present; extra columns are allowed; every row must answer at least one question
        (a warning: cleaning excludes such rows as ``empty_submission``).
    """
    columns = {
        q.id: pa.Column("string", nullable=False, required=q.required and not q.asked_if)
        for q in codebook.questions
    }
    row_checks = {
        EMPTY_REASON: RowCheck(
            "-",
            "no answer to any question",
            f"at least one answer; excluded as {EMPTY_REASON}",
            "warning",
        )
    }
    check = pa.Check(
        lambda table: ~unanswered(table, codebook), name=EMPTY_REASON, error=EMPTY_REASON
    )
    return pa.DataFrameSchema(
        columns,
        checks=[check],
        strict=False,
        name="raw export",
        metadata={"row_checks": row_checks},
    )


def check_raw(raw: pd.DataFrame, codebook: Codebook, mapping: Mapping[str, str]) -> list[Problem]:
    """Validate a matched export against :func:`raw_schema`.

    Parameters
    ----------
    raw
        The export as read.
    codebook
        The questionnaire.
    mapping
        Question id to header, from :func:`ruralplan.survey.columns.match_columns`.

    Returns
    -------
    list of Problem
        Rows are 1-based data rows of the export; empty list when all is well.
    """
    view = raw_view(raw, mapping)
    rows = np.arange(1, len(view) + 1)
    return validate(raw_schema(codebook), view, rows)


# ---- clean table ------------------------------------------------------------------------------


def clean_schema(
    codebook: Codebook,
    *,
    references: References | None = None,
    bands: Mapping[str, Sequence[int]] | None = None,
    strict_required: bool = False,
) -> pa.DataFrameSchema:
    """Build the schema of the clean table that :func:`ruralplan.survey.clean.clean_survey` returns.

    Parameters
    ----------
    codebook
        The questionnaire.
    references
        Reference lists of ``lookup`` questions: their names, codes and regions become the
        allowed values (any text when omitted).
    bands
        Band bounds overriding the codebook, as given to ``clean_survey``.
    strict_required
        Also require an answer to every required question asked of everyone. Cleaning keeps
        an unanswered required question as missing (with a warning), so this is off by default.

    Returns
    -------
    pandera.pandas.DataFrameSchema
        Strict (no other columns), with one row check per skip rule and per multiple-choice
        question.
    """
    columns: dict[str, pa.Column] = {
        "respondent_id": pa.Column("string", nullable=False, unique=True),
        "raw_row": pa.Column(
            "Int64", pa.Check.ge(1, error="a row number of 1 or more"), nullable=False, unique=True
        ),
    }
    row_checks: dict[str, RowCheck] = {}
    checks = []
    for question in codebook.questions:
        nullable = not (strict_required and question.required and not question.asked_if)
        columns.update(_question_columns(question, codebook, references, bands or {}, nullable))
        for check, row_check in _row_checks(question):
            checks.append(check)
            row_checks[check.name] = row_check
    return pa.DataFrameSchema(
        columns,
        checks=checks,
        strict=True,
        name="clean survey",
        metadata={"row_checks": row_checks},
    )


def check_clean(
    table: pd.DataFrame,
    codebook: Codebook,
    *,
    references: References | None = None,
    bands: Mapping[str, Sequence[int]] | None = None,
    strict_required: bool = False,
) -> list[Problem]:
    """Validate a clean table against :func:`clean_schema`.

    Parameters
    ----------
    table
        A clean table.
    codebook, references, bands, strict_required
        As for :func:`clean_schema`.

    Returns
    -------
    list of Problem
        Rows are the raw export's data rows (``raw_row``); empty list when all is well.
    """
    schema = clean_schema(
        codebook, references=references, bands=bands, strict_required=strict_required
    )
    if "raw_row" in table.columns:
        rows = table["raw_row"].to_numpy("int64", na_value=0)
    else:
        rows = np.arange(1, len(table) + 1)
    return validate(schema, table, rows)


def _question_columns(
    question: Question,
    codebook: Codebook,
    references: References | None,
    bands: Mapping[str, Sequence[int]],
    nullable: bool,
) -> dict[str, pa.Column]:
    if question.type == "timestamp":
        return {question.id: pa.Column("datetime64[us]", nullable=nullable)}
    if question.type == "single":
        columns = {
            question.id: pa.Column(
                pd.CategoricalDtype(question.codes, ordered=question.ordered), nullable=nullable
            )
        }
        if "flag" in question.derived:
            columns[question.derived["flag"]["column"]] = pa.Column("boolean", nullable=True)
        return columns
    if question.type == "multiple":
        columns = {
            f"{question.id}__{code}": pa.Column("boolean", nullable=nullable)
            for code in question.codes
        }
        if question.other_code is not None:
            columns[f"{question.id}{OTHER_SUFFIX}"] = pa.Column("string", nullable=True)
        return columns
    if question.type in ("year", "count"):
        return _number_columns(question, codebook, bands, nullable)
    if question.lookup:
        return _lookup_columns(question, references, nullable)
    return {question.id: pa.Column("string", nullable=nullable)}


def _number_columns(
    question: Question, codebook: Codebook, bands: Mapping[str, Sequence[int]], nullable: bool
) -> dict[str, pa.Column]:
    low = question.min_value if question.min_value is not None else 0
    high = question.max_value
    if high is None and question.type == "year":
        high = codebook.reference_year
    columns = {question.id: pa.Column("Int64", _range_check(low, high), nullable=nullable)}
    if "age" in question.derived:
        top = None if low is None else codebook.reference_year - low
        columns[question.derived["age"]] = pa.Column("Int64", _range_check(0, top), nullable=True)
    if "band" in question.derived:
        band = question.derived["band"]
        bounds = list(bands.get(band["column"], band["bounds"]))
        columns[band["column"]] = pa.Column(
            pd.CategoricalDtype(band_labels(bounds), ordered=True), nullable=True
        )
    return columns


def _range_check(low: int, high: int | None) -> pa.Check:
    if high is None:
        return pa.Check.ge(low, error=f"a value of at least {low}")
    return pa.Check.in_range(low, high, error=f"a value from {low} to {high}")


def _lookup_columns(
    question: Question, references: References | None, nullable: bool
) -> dict[str, pa.Column]:
    code, region = question.lookup["code"], question.lookup["region"]
    if references is None:
        return {
            question.id: pa.Column("string", nullable=nullable),
            code: pa.Column("string", nullable=True),
            region: pa.Column("category", nullable=True),
        }
    units = references.units
    names, codes = sorted(set(units["name"])), sorted(set(units["code"]))
    return {
        question.id: pa.Column(
            "string",
            pa.Check.isin(names, error="a name from the reference list"),
            nullable=nullable,
        ),
        code: pa.Column(
            "string", pa.Check.isin(codes, error="a code from the reference list"), nullable=True
        ),
        region: pa.Column(pd.CategoricalDtype(sorted(set(units["region"]))), nullable=True),
    }


def _columns_of(question: Question) -> list[str]:
    if question.type == "multiple":
        other = [f"{question.id}{OTHER_SUFFIX}"] if question.other_code is not None else []
        return [f"{question.id}__{code}" for code in question.codes] + other
    return [question.id]


def _row_checks(question: Question) -> list[tuple[pa.Check, RowCheck]]:
    checks = []
    if question.asked_if:
        condition = ", ".join(f"{k} in {list(v)}" for k, v in question.asked_if.items())
        name = f"{question.id}:asked_if"
        columns = _columns_of(question)
        rule = dict(question.asked_if)
        checks.append(
            (
                pa.Check(
                    lambda table: _asked_or_missing(table, rule, columns), name=name, error=name
                ),
                RowCheck(
                    question.id,
                    "an answer although the question was not asked",
                    f"missing (asked only when {condition})",
                ),
            )
        )
    if question.type == "multiple":
        name = f"{question.id}:options"
        options = [f"{question.id}__{code}" for code in question.codes]
        checks.append(
            (
                pa.Check(lambda table: _all_or_none(table, options), name=name, error=name),
                RowCheck(
                    question.id,
                    "some options missing and others not",
                    "every option True/False, or all missing",
                ),
            )
        )
    return checks


def _asked_or_missing(
    table: pd.DataFrame, rule: Mapping[str, Sequence[str]], columns: list[str]
) -> pd.Series:
    asked = pd.Series(True, index=table.index)
    for other, codes in rule.items():
        asked &= table[other].isin(list(codes)).to_numpy(bool)
    present = [column for column in columns if column in table.columns]
    answered = table[present].notna().any(axis=1)
    return asked | ~answered


def _all_or_none(table: pd.DataFrame, options: list[str]) -> pd.Series:
    present = table[[column for column in options if column in table.columns]].notna()
    return present.all(axis=1) | ~present.any(axis=1)


# ---- turning pandera's failure cases into problems ----------------------------------------


def validate(schema: pa.DataFrameSchema, table: pd.DataFrame, rows: np.ndarray) -> list[Problem]:
    """Validate ``table`` lazily and return every failure as a :class:`Problem`.

    Parameters
    ----------
    schema
        A schema from :func:`raw_schema` or :func:`clean_schema`.
    table
        The table to check.
    rows
        Row number to report for each position of ``table`` (1-based).

    Returns
    -------
    list of Problem
        Sorted by row and column; whole-table problems (missing columns, dtypes) have row 0.
    """
    try:
        schema.validate(table, lazy=True, inplace=True)  # no coercion: nothing is changed
    except SchemaErrors as errors:
        return describe_failures(errors.failure_cases, schema, table, rows)
    return []


def describe_failures(
    failures: pd.DataFrame, schema: pa.DataFrameSchema, table: pd.DataFrame, rows: np.ndarray
) -> list[Problem]:
    """Turn pandera failure cases into problems in the project's error style.

    Parameters
    ----------
    failures
        ``SchemaErrors.failure_cases``.
    schema
        The schema that produced them.
    table
        The validated table (for the dtypes it had).
    rows
        Row number for each position of ``table``.

    Returns
    -------
    list of Problem
        One problem per failing cell, per failing row check, or per failing column property.
    """
    row_checks: Mapping[str, RowCheck] = (schema.metadata or {}).get("row_checks", {})
    positions = pd.Series(np.arange(len(table)), index=table.index)
    problems: set[Problem] = set()
    for case in failures.itertuples(index=False):
        index = case.index
        row = 0 if index is None or pd.isna(index) else int(rows[positions[index]])
        problems.add(_describe(case, row, schema, table, row_checks))
    return sorted(problems, key=lambda p: (p.row, p.column, p.message))


def _describe(
    case: Any,
    row: int,
    schema: pa.DataFrameSchema,
    table: pd.DataFrame,
    row_checks: Mapping[str, RowCheck],
) -> Problem:
    check, column, value = str(case.check), case.column, case.failure_case
    if check in row_checks:
        found = row_checks[check]
        return Problem(
            row, found.column, f"{found.problem}; expected {found.expected}", found.severity
        )
    if check == _MISSING_COLUMN:
        return Problem(
            0, str(value), f"column missing; expected a column {value!r} ({schema.name})"
        )
    if check == _EXTRA_COLUMN:
        return Problem(
            0,
            str(value),
            f"column not in the codebook; expected only the columns of the {schema.name}",
        )
    if check.startswith("dtype("):
        expected = schema.columns[column].dtype
        return Problem(
            0,
            str(column),
            f"dtype {_dtype_text(table[column].dtype)}; expected "
            f"{_dtype_text(getattr(expected, 'type', expected))}",
        )
    if check == "not_nullable":
        return Problem(row, str(column), "missing value; expected an answer")
    if check == "field_uniqueness":
        return Problem(
            row, str(column), f"{value!r} appears more than once; expected each value once"
        )
    return Problem(row, str(column), f"{value!r}: expected {check}")


def _dtype_text(dtype: Any) -> str:
    if isinstance(dtype, pd.CategoricalDtype):
        kind = "ordered categories" if dtype.ordered else "categories"
        return f"category with {kind} {list(dtype.categories)}"
    return str(dtype)
