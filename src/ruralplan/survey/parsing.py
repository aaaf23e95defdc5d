"""Parse one export column per question into clean columns, log entries and problems.

Every column is factorised once and parsed on its distinct values (exports repeat the same
answers many times); the results are spread back to the rows by their codes, so Python work grows
with the number of distinct answers, not with rows. Free text and timestamps, where nearly every
value is distinct, are handled by vectorised Arrow string operations instead.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ruralplan.survey.base import OTHER_SUFFIX, Problem, References, as_text
from ruralplan.survey.cleaning_log import coded, log_frame
from ruralplan.survey.codebook import Codebook, Question, normalise_label
from ruralplan.survey.values import (
    assign_bands,
    label_patterns,
    parse_count,
    parse_datetimes,
    parse_iso_datetimes,
    parse_year,
    split_with,
)


@dataclass
class Parsed:
    """Clean columns, log parts and problems of one question."""

    columns: dict[str, Any] = field(default_factory=dict)
    log: list[pd.DataFrame] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unique_index: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype="int64"))
    unique_values: list[Any] = field(default_factory=list)
    row_codes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype="int64"))
    unique_cells: list[str] = field(default_factory=list)


ParseOne = Callable[[str], tuple[Any, str | None, str | None]]
"""Parse one distinct stripped cell: (clean value, rule when changed, error message)."""


def asked_rows(question: Question, asked_codes: Mapping[str, Any], n: int) -> np.ndarray:
    """Flag the rows where ``question`` was asked, by its skip rule (``asked_if``).

    Parameters
    ----------
    question
        The question.
    asked_codes
        Clean answers (categoricals) of the single-choice questions parsed so far, by id.
    n
        Number of rows.

    Returns
    -------
    numpy.ndarray
        Boolean; a rule on a question not in ``asked_codes`` is not applied.
    """
    asked = np.ones(n, dtype=bool)
    for other_id, codes in question.asked_if.items():
        if other_id in asked_codes:
            answers = asked_codes[other_id]
            positions = [list(answers.categories).index(code) for code in codes]
            asked &= np.isin(answers.codes, positions)
    return asked


def parse_question(
    question: Question,
    cells: pd.Series,
    rows: np.ndarray,
    asked: np.ndarray,
    codebook: Codebook,
    references: References | None,
    bands: Mapping[str, Sequence[int]],
) -> Parsed:
    """Parse the column of one question by its type.

    Parameters
    ----------
    question
        The question.
    cells
        Its export column as text (blanks ``""``).
    rows
        1-based row numbers, for problems and the log.
    asked
        Rows where the question was asked (:func:`asked_rows`).
    codebook
        The questionnaire (reference year of year questions).
    references
        Reference lists, needed by ``lookup`` questions only.
    bands
        Band bounds overriding the codebook.

    Returns
    -------
    Parsed
        Clean columns, log parts and problems.
    """
    if question.type == "timestamp":
        return _parse_timestamp(question, cells, rows)
    if question.type == "single":
        return _add_flag(question, _parse_single(question, cells, rows, asked))
    if question.type == "multiple":
        return _parse_multiple(question, cells, rows, asked)
    if question.type in ("year", "count"):
        return _parse_number(question, cells, rows, asked, codebook, bands)
    if question.lookup:
        return _parse_lookup(question, cells, rows, asked, references)
    return _parse_text(question, cells, rows, asked)


def _parse_by_unique(
    question: Question,
    cells: pd.Series,
    rows: np.ndarray,
    asked: np.ndarray,
    parse_one: ParseOne,
    *,
    shown: Callable[[Any], str] = str,
) -> Parsed:
    """Parse each distinct cell once; spread rules, problems and log entries to the rows.

    ``unique_index`` gives, per row, the position of its distinct value in ``unique_values``,
    or -1 when the row has no usable value (blank, unreadable or not asked).
    """
    codes, found = pd.factorize(cells)
    uniques = found.to_numpy(object)
    values, rules, errors = [], [], []
    for cell in uniques:
        stripped = cell.strip()
        if stripped in question.missing_codes:
            value, rule, error = None, ("trim_whitespace" if cell != stripped else None), None
        else:
            value, rule, error = parse_one(stripped)
            if rule is None and cell != stripped:
                rule = "trim_whitespace"
        values.append(value)
        rules.append(rule)
        errors.append(error)
    blank_unique = np.array([v is None and e is None for v, e in zip(values, errors, strict=True)])
    is_blank = blank_unique[codes]
    not_asked_answer = ~is_blank & ~asked
    parsed = Parsed(unique_values=values)
    parsed.problems += _row_problems(question, rows, codes, errors, uniques, asked)
    parsed.problems += _blank_problems(question, rows, is_blank & asked)
    parsed.problems += _not_asked_problems(question, rows, not_asked_answer)
    names, rule_unique = np.unique(
        np.array([r or "" for r in rules] + ["not_applicable"], dtype=object).astype(str),
        return_inverse=True,
    )
    rule_rows = np.where(np.array([r is None for r in rules])[codes], -1, rule_unique[:-1][codes])
    rule_rows[not_asked_answer] = rule_unique[-1]
    changed = rule_rows >= 0
    shown_codes, shown_unique = pd.factorize(
        np.array([("" if v is None else shown(v)) for v in values] + [""], dtype=object)
    )
    shown_rows = shown_codes[np.where(not_asked_answer, len(values), codes)[changed]]
    parsed.log.append(
        log_frame(
            question.id,
            rows[changed],
            coded(codes[changed], uniques),
            coded(shown_rows, shown_unique),
            coded(rule_rows[changed], names),
        )
    )
    usable = np.array([v is not None for v in values], dtype=bool)[codes] & asked
    parsed.unique_index = np.where(usable, codes, -1)
    parsed.row_codes = codes
    parsed.unique_cells = list(uniques)
    return parsed


def filter_rows(values: Any, mask: np.ndarray) -> Any:
    """Keep the rows where ``mask`` is True (Arrow-backed text is filtered by Arrow: fast)."""
    array = values.array if isinstance(values, pd.Series) else values
    if isinstance(array, pd.arrays.ArrowStringArray):
        return pd.array(pc.filter(pa.array(array), pa.array(mask)), dtype=array.dtype)
    return array[mask]


def _spread(per_unique: Sequence[Any], index: np.ndarray, dtype: str) -> Any:
    """Give each row the value of its distinct cell (``index`` -1: missing)."""
    return pd.array(list(per_unique), dtype=dtype).take(index, allow_fill=True)


def _row_problems(
    question: Question,
    rows: np.ndarray,
    codes: np.ndarray,
    errors: list[str | None],
    uniques: Sequence[str],
    asked: np.ndarray,
) -> list[Problem]:
    problems = []
    for index, error in enumerate(errors):
        if error is None:
            continue
        for row in rows[(codes == index) & asked]:
            problems.append(Problem(int(row), question.id, f"{uniques[index].strip()!r}: {error}"))
    return problems


def _blank_problems(question: Question, rows: np.ndarray, blank: np.ndarray) -> list[Problem]:
    if not question.required:
        return []
    return [
        Problem(
            int(row), question.id, "no answer to a required question; kept as missing", "warning"
        )
        for row in rows[blank]
    ]


def _not_asked_problems(question: Question, rows: np.ndarray, mask: np.ndarray) -> list[Problem]:
    condition = ", ".join(f"{k} in {list(v)}" for k, v in question.asked_if.items())
    return [
        Problem(
            int(row),
            question.id,
            f"answer given although the question is asked only when {condition}; set to missing",
            "warning",
        )
        for row in rows[mask]
    ]


def _single_parser(question: Question) -> ParseOne:
    exact = {option.lv: option.code for option in question.options}
    loose = {normalise_label(option.lv): option.code for option in question.options}
    expected = [option.lv for option in question.options]

    def parse(stripped: str) -> tuple[Any, str | None, str | None]:
        if stripped in exact:
            return exact[stripped], None, None
        code = loose.get(normalise_label(stripped))
        if code is None:
            return None, None, f"unknown answer; expected one of {expected}"
        return code, "label_normalised", None

    return parse


def _parse_single(
    question: Question, cells: pd.Series, rows: np.ndarray, asked: np.ndarray
) -> Parsed:
    parsed = _parse_by_unique(question, cells, rows, asked, _single_parser(question))
    positions = np.array(
        [-1 if v is None else question.codes.index(v) for v in parsed.unique_values] + [-1],
        dtype="int64",
    )
    parsed.columns[question.id] = pd.Categorical.from_codes(
        positions[parsed.unique_index], categories=question.codes, ordered=question.ordered
    )
    return parsed


def _add_flag(question: Question, parsed: Parsed) -> Parsed:
    flag = question.derived.get("flag")
    if flag:
        answers = parsed.columns[question.id]
        values = pd.array(
            np.isin(answers.codes, [question.codes.index(c) for c in flag["codes"]]),
            dtype="boolean",
        )
        values[answers.codes < 0] = pd.NA
        parsed.columns[flag["column"]] = values
    return parsed


def _parse_text(
    question: Question, cells: pd.Series, rows: np.ndarray, asked: np.ndarray
) -> Parsed:
    """Free text: trimmed in one vectorised pass (nearly every answer is distinct)."""
    stripped = cells.str.strip()
    blank = stripped.isin(list(question.missing_codes)).to_numpy(bool)
    trimmed = (stripped != cells).to_numpy(bool)
    not_asked_answer = ~blank & ~asked
    parsed = Parsed()
    parsed.problems += _blank_problems(question, rows, blank & asked)
    parsed.problems += _not_asked_problems(question, rows, not_asked_answer)
    changed = trimmed | not_asked_answer
    shown = stripped.where(~(blank | not_asked_answer), "")
    rules = np.where(not_asked_answer, "not_applicable", "trim_whitespace")
    parsed.log.append(
        log_frame(
            question.id,
            rows[changed],
            filter_rows(cells, changed),
            filter_rows(shown, changed),
            rules[changed],
        )
    )
    parsed.columns[question.id] = stripped.astype("string").mask(blank | ~asked).array
    return parsed


def _parse_timestamp(question: Question, cells: pd.Series, rows: np.ndarray) -> Parsed:
    stripped = cells.str.strip()
    parsed_times = parse_datetimes(stripped, question.format or "")
    blank = stripped.isin(list(question.missing_codes)).to_numpy(bool)
    bad = parsed_times.isna().to_numpy(bool) & ~blank
    if bad.any():  # date cells of a workbook or SPSS file, or typed in ISO 8601
        parsed_times[bad] = parse_iso_datetimes(stripped[bad])
        bad &= parsed_times.isna().to_numpy(bool)
    result = Parsed()
    result.problems += [
        Problem(
            int(row),
            question.id,
            f"{cell!r}: not a date and time; expected the format {question.format} "
            "or ISO 8601 (2024-03-04 08:00:12)",
        )
        for row, cell in zip(rows[bad], filter_rows(stripped, bad), strict=True)
    ]
    result.problems += _blank_problems(question, rows, blank)
    trimmed = (stripped != cells).to_numpy(bool)
    result.log.append(
        log_frame(
            question.id,
            rows[trimmed],
            filter_rows(cells, trimmed),
            filter_rows(stripped, trimmed),
            np.full(trimmed.sum(), "trim_whitespace"),
        )
    )
    result.columns[question.id] = parsed_times.to_numpy()
    return result


def _number_parser(question: Question, codebook: Codebook) -> ParseOne:
    low = question.min_value if question.min_value is not None else 0
    high = question.max_value
    if high is None and question.type == "year":
        high = codebook.reference_year
    reader = parse_year if question.type == "year" else parse_count
    what = "a four-digit year" if question.type == "year" else "one whole number"

    def parse(stripped: str) -> tuple[Any, str | None, str | None]:
        value = reader(stripped)
        if value is None:
            return None, None, f"cannot read {what}"
        if value < low or (high is not None and value > high):
            expected = f"{low} to {high}" if high is not None else f"{low} or more"
            return None, None, f"impossible value {value}; expected {expected}"
        rule = None if stripped == str(value) else f"{question.type}_from_text"
        return value, rule, None

    return parse


def _parse_number(
    question: Question,
    cells: pd.Series,
    rows: np.ndarray,
    asked: np.ndarray,
    codebook: Codebook,
    bands: Mapping[str, Sequence[int]],
) -> Parsed:
    parsed = _parse_by_unique(question, cells, rows, asked, _number_parser(question, codebook))
    values = _spread(parsed.unique_values, parsed.unique_index, "Int64")
    parsed.columns[question.id] = values
    base = values
    if "age" in question.derived:
        base = codebook.reference_year - values
        parsed.columns[question.derived["age"]] = base
    if "band" in question.derived:
        column = question.derived["band"]["column"]
        bounds = list(bands.get(column, question.derived["band"]["bounds"]))
        parsed.columns[column] = assign_bands(base, bounds)
    return parsed


def _parse_multiple(
    question: Question, cells: pd.Series, rows: np.ndarray, asked: np.ndarray
) -> Parsed:
    patterns = label_patterns(question)

    def parse(stripped: str) -> tuple[Any, str | None, str | None]:
        codes, other_text, unknown = split_with(stripped, question, patterns)
        if unknown:
            labels = [option.lv for option in question.options]
            return None, None, f"unknown answer(s) {unknown}; expected labels from {labels}"
        rule = (
            None if _joined_exact(question, codes, other_text) == stripped else "label_normalised"
        )
        return (tuple(codes), other_text), rule, None

    parsed = _parse_by_unique(
        question, cells, rows, asked, parse, shown=lambda value: "|".join(value[0])
    )
    values = [value or ((), None) for value in parsed.unique_values]
    for code in question.codes:
        chosen = [code in value[0] for value in values]
        parsed.columns[f"{question.id}__{code}"] = _spread(chosen, parsed.unique_index, "boolean")
    if question.other_code is not None:
        parsed.columns[f"{question.id}{OTHER_SUFFIX}"] = _spread(
            [value[1] for value in values], parsed.unique_index, "string"
        )
    return parsed


def _joined_exact(question: Question, codes: list[str], other_text: str | None) -> str:
    parts = [
        question.label(code) + (f": {other_text}" if code == question.other_code else "")
        for code in codes
    ]
    return ", ".join(parts)


def _parse_lookup(
    question: Question,
    cells: pd.Series,
    rows: np.ndarray,
    asked: np.ndarray,
    references: References | None,
) -> Parsed:
    if references is None:
        raise ValueError(f"question {question.id!r} needs reference lists (`references`)")
    units = references.units.set_index("name")
    exact = {name: (name, None) for name in units.index}
    loose = {normalise_label(name): (name, None) for name in units.index}
    for alias in references.aliases.itertuples(index=False):
        target = (alias.name or None, alias.note or alias.kind)
        loose.setdefault(normalise_label(alias.alias), target)

    def parse(stripped: str) -> tuple[Any, str | None, str | None]:
        if stripped in exact:
            return stripped, None, None
        name, note = loose.get(normalise_label(stripped), (None, "unmatched"))
        if name is None:
            rule = "lookup_unmatched" if note == "unmatched" else "lookup_ambiguous"
            return None, rule, None
        return name, ("label_normalised" if note is None else "lookup_alias"), None

    parsed = _parse_by_unique(question, cells, rows, asked, parse)
    parsed.problems += _lookup_problems(question, rows, parsed, loose)
    names = parsed.unique_values
    parsed.columns[question.id] = _spread(names, parsed.unique_index, "string")
    codes = [None if name is None else units.at[name, "code"] for name in names]
    parsed.columns[question.lookup["code"]] = _spread(codes, parsed.unique_index, "string")
    regions = sorted(set(units["region"]))
    positions = np.array(
        [-1 if name is None else regions.index(units.at[name, "region"]) for name in names] + [-1],
        dtype="int64",
    )
    parsed.columns[question.lookup["region"]] = pd.Categorical.from_codes(
        positions[parsed.unique_index], categories=regions
    )
    return parsed


def _lookup_problems(
    question: Question, rows: np.ndarray, parsed: Parsed, loose: Mapping[str, Any]
) -> list[Problem]:
    messages: dict[int, str] = {}
    for index, cell in enumerate(parsed.unique_cells):
        stripped = cell.strip()
        if parsed.unique_values[index] is not None or stripped in question.missing_codes:
            continue
        note = loose.get(normalise_label(stripped), (None, "unmatched"))[1]
        messages[index] = (
            f"{stripped!r} is not in the reference list or its aliases; kept as missing"
            if note == "unmatched"
            else f"{stripped!r} cannot be mapped to one unit ({note}); kept as missing"
        )
    flagged = np.isin(parsed.row_codes, list(messages))
    return [
        Problem(int(row), question.id, messages[int(code)], "warning")
        for row, code in zip(rows[flagged], parsed.row_codes[flagged], strict=True)
    ]


_CONTROL = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
"""Control characters other than tab and line breaks: no survey answer holds one."""


def control_character_problems(
    question: Question, cells: pd.Series, rows: np.ndarray
) -> list[Problem]:
    """Find answers holding a control character (a damaged download, a pasted terminal code).

    Parameters
    ----------
    question
        The question of the column.
    cells
        Its export column as text.
    rows
        1-based row numbers.

    Returns
    -------
    list of Problem
        One error per such answer, naming the character.
    """
    found = pc.match_substring_regex(pa.array(as_text(cells).array), _CONTROL)
    mask = pc.fill_null(found, False).to_numpy(zero_copy_only=False)
    problems = []
    for row, cell in zip(rows[mask], filter_rows(cells, mask), strict=True):
        char = re.search(_CONTROL, cell).group()
        name = _CONTROL_NAMES.get(char, unicodedata.name(char, "control"))
        problems.append(
            Problem(
                int(row),
                question.id,
                f"control character U+{ord(char):04X} ({name}) in {cell[:60]!r}; expected "
                "text: the export may be damaged",
            )
        )
    return problems


_CONTROL_NAMES = {
    "\x00": "NUL",
    "\x07": "BEL",
    "\x08": "BS",
    "\x0b": "VT",
    "\x0c": "FF",
    "\x1b": "ESC",
    "\x7f": "DEL",
}
