"""Clean a survey export into one typed row per organisation, driven only by the codebook.

Every column is factorised once and parsed on its distinct values (exports repeat the same
answers many times); the results are spread back to the rows by their codes, so Python work grows
with the number of distinct answers, not with rows. Free text and timestamps, where nearly every
value is distinct, are handled by vectorised Arrow string operations instead. Every change is
logged (row, column, raw value, clean value, rule); problems are collected as :class:`Problem`
objects so that validation and cleaning share one parser. The clean table is checked against
:func:`ruralplan.survey.schemas.clean_schema` before it is returned.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from ruralplan.survey.codebook import Codebook, Question, band_labels, check_bounds, normalise_label

LOG_COLUMNS = ["row", "column", "raw_value", "clean_value", "rule"]
EXCLUSION_COLUMNS = ["row", "respondent_id", "reason", "detail"]
OTHER_SUFFIX = "_other_text"
DUPLICATE_REASON = "duplicate_submission"
_NUMBER = re.compile(r"\d+")
TEXT_DTYPE = pd.StringDtype("pyarrow", na_value=np.nan)
"""pandas' default text dtype (``str``), Arrow-backed: raw cells and the cleaning log use it."""


@dataclass(frozen=True)
class Problem:
    """One problem in an export: where it is, what is wrong, and whether it blocks cleaning."""

    row: int
    column: str
    message: str
    severity: str = "error"


class CleaningError(ValueError):
    """Raised when an export has errors; ``problems`` lists them all."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        lines = [f"row {p.row}, {p.column}: {p.message}" for p in self.problems[:20]]
        more = len(self.problems) - 20
        super().__init__("\n".join(lines) + (f"\n... and {more} more" if more > 0 else ""))


@dataclass(frozen=True)
class References:
    """Reference lists for ``lookup`` questions: units (name, code, region) and aliases."""

    units: pd.DataFrame
    aliases: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["alias", "name", "kind", "note"])
    )


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


@dataclass
class _Parsed:
    """Clean columns, log parts and problems of one question."""

    columns: dict[str, Any] = field(default_factory=dict)
    log: list[pd.DataFrame] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unique_index: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype="int64"))
    unique_values: list[Any] = field(default_factory=list)
    row_codes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype="int64"))
    unique_cells: list[str] = field(default_factory=list)


def match_columns(
    headers: Sequence[str], codebook: Codebook
) -> tuple[dict[str, str], list[Problem]]:
    """Match export headers to questions by normalised question text.

    Parameters
    ----------
    headers
        Column headers as read from the export.
    codebook
        The questionnaire.

    Returns
    -------
    mapping : dict
        Question id to the header that holds it.
    problems : list of Problem
        Missing required columns (errors), missing optional and extra columns (warnings),
        repeated columns (errors); ``row`` is 0 for the header.
    """
    by_text = {normalise_label(q.text_lv): q for q in codebook.questions}
    mapping: dict[str, str] = {}
    problems = []
    for header in headers:
        question = by_text.get(normalise_label(str(header)))
        if question is None:
            problems.append(
                Problem(0, str(header), "column not in the codebook; ignored", "warning")
            )
        elif question.id in mapping:
            problems.append(
                Problem(
                    0,
                    str(header),
                    f"second column for question {question.id!r}; expected each question once",
                )
            )
        else:
            mapping[question.id] = header
    for question in codebook.questions:
        if question.id not in mapping:
            severity = "error" if question.required and not question.asked_if else "warning"
            problems.append(
                Problem(
                    0,
                    question.id,
                    f"column missing; expected a column headed {question.text_lv!r}",
                    severity,
                )
            )
    return mapping, problems


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
    from ruralplan.survey import schemas

    problems, parsed, mapping = _parse_all(raw, codebook, references, bands)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise CleaningError(errors)
    columns = _assemble(raw, codebook, parsed, mapping)
    log_parts = [part for p in parsed.values() for part in p.log]
    del parsed
    empty = schemas.unanswered(schemas.raw_view(raw, mapping), codebook).to_numpy(bool)
    keep, exclusions, exclusion_log = _find_exclusions(
        pd.DataFrame(columns, copy=False), codebook, empty
    )
    log = _concat_log([*log_parts, exclusion_log])
    clean = pd.DataFrame(
        {name: _filter(columns.pop(name), keep) for name in list(columns)}, copy=False
    )
    broken = schemas.check_clean(clean, codebook, references=references, bands=bands)
    if broken:
        raise CleaningError([Problem(p.row, p.column, f"clean table: {p.message}") for p in broken])
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
        question = _source_question(column, codebook)
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


def parse_year(text: str) -> int | None:
    """Read a year typed by hand: exactly one four-digit number in the text.

    Parameters
    ----------
    text
        The answer, e.g. ``"2005"``, ``"2005."``, ``"2005. gadā"``, ``"ap 1998"``.

    Returns
    -------
    int or None
        The year, or None when the text holds no number or more than one, or the number does
        not have four digits.

    Examples
    --------
    >>> parse_year("2005. gadā"), parse_year("ap 1998"), parse_year("1998-2005")
    (2005, 1998, None)
    """
    numbers = _NUMBER.findall(text)
    if len(numbers) != 1 or len(numbers[0]) != 4:
        return None
    return int(numbers[0])


def parse_count(text: str) -> int | None:
    """Read a count typed by hand: exactly one whole number in the text.

    Examples
    --------
    >>> parse_count("ap. 25"), parse_count("25 biedri"), parse_count("20-30")
    (25, 25, None)
    """
    numbers = _NUMBER.findall(text)
    return int(numbers[0]) if len(numbers) == 1 else None


def split_multiple(text: str, question: Question) -> tuple[list[str], str | None, list[str]]:
    """Split a multiple-choice cell into option codes by matching the known labels.

    Labels may contain commas, so the cell is not split on commas: labels are matched longest
    first, each at the start of the cell or after a comma, and followed by a comma or the end.
    An answer ``"<other label>: free text"`` gives the other code and the text.

    Parameters
    ----------
    text
        The cell, e.g. ``"Vide, Cits: kaut kas"``.
    question
        A multiple-choice question.

    Returns
    -------
    codes : list of str
        Matched codes in codebook order.
    other_text : str or None
        The free text after the other label, as typed.
    unknown : list of str
        Pieces of the cell that match no label.
    """
    return _split_with(text, question, _label_patterns(question))


def _split_with(
    text: str, question: Question, patterns: list[tuple[re.Pattern[str], str]]
) -> tuple[list[str], str | None, list[str]]:
    other_text = None
    remaining = text
    if question.other_code is not None:
        remaining, other_text = _cut_other(text, question.label(question.other_code))
    normalised = normalise_label(remaining)
    found: set[str] = set()
    for pattern, code in patterns:
        normalised, hits = pattern.subn("", normalised)
        if hits:
            found.add(code)
    if other_text is not None:
        found.add(question.other_code)
    unknown = [piece.strip() for piece in normalised.split(",") if piece.strip()]
    return [code for code in question.codes if code in found], other_text, unknown


def _label_patterns(question: Question) -> list[tuple[re.Pattern[str], str]]:
    """Patterns of the normalised option labels, longest first, each with its code."""
    pairs = [(normalise_label(option.lv), option.code) for option in question.options]
    return [
        (re.compile(rf"(?:^|(?<=,)) ?{re.escape(label)} ?(?=,|$)"), code)
        for label, code in sorted(pairs, key=lambda pair: -len(pair[0]))
    ]


def _cut_other(text: str, other_label: str) -> tuple[str, str | None]:
    folded = _fold(text)
    label = r"\s+".join(re.escape(_fold(word)) for word in other_label.split())
    match = re.search(rf"(?:^|,)\s*{label}\s*:", folded)
    if match is None:
        return text, None
    return text[: match.start()], text[match.end() :].strip()


def _fold(text: str) -> str:
    """Fold case and accents one character at a time, keeping positions."""
    return "".join(
        (unicodedata.normalize("NFKD", char)[:1] or char).lower()[:1] or char for char in text
    )


# ---- parsing of all columns ---------------------------------------------------------------------


def _parse_all(
    raw: pd.DataFrame,
    codebook: Codebook,
    references: References | None,
    bands: Mapping[str, Sequence[int]] | None,
) -> tuple[list[Problem], dict[str, _Parsed], dict[str, str]]:
    mapping, problems = match_columns(list(raw.columns), codebook)
    if len(raw) == 0:
        problems.append(Problem(0, "-", "no answer rows; expected at least one submission"))
    problems += _check_band_overrides(codebook, bands or {})
    if any(p.severity == "error" for p in problems):
        return problems, {}, mapping
    from ruralplan.survey.schemas import check_raw

    row_problems = check_raw(raw, codebook, mapping)
    excluded = {p.row for p in row_problems if p.row > 0 and p.column == "-"}
    problems += row_problems
    rows = np.arange(1, len(raw) + 1)
    parsed: dict[str, _Parsed] = {}
    asked_codes: dict[str, Any] = {}
    for question in codebook.questions:
        if question.id not in mapping:
            continue
        cells = as_text(raw[mapping[question.id]])
        asked = _asked(question, asked_codes, len(raw))
        result = _parse_question(question, cells, rows, asked, codebook, references, bands or {})
        result.unique_index = result.row_codes = np.zeros(0, dtype="int64")
        parsed[question.id] = result
        # cell warnings of a row excluded as a whole (no answer at all) would only repeat it
        problems += [p for p in result.problems if p.severity == "error" or p.row not in excluded]
        if question.type == "single":
            asked_codes[question.id] = result.columns[question.id]
    order = {question_id: position for position, question_id in enumerate(codebook.ids)}
    problems.sort(key=lambda p: (p.row, order.get(p.column, -1)))
    return problems, parsed, mapping


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


def _asked(question: Question, asked_codes: Mapping[str, Any], n: int) -> np.ndarray:
    asked = np.ones(n, dtype=bool)
    for other_id, codes in question.asked_if.items():
        if other_id in asked_codes:
            answers = asked_codes[other_id]
            positions = [list(answers.categories).index(code) for code in codes]
            asked &= np.isin(answers.codes, positions)
    return asked


def _parse_question(
    question: Question,
    cells: pd.Series,
    rows: np.ndarray,
    asked: np.ndarray,
    codebook: Codebook,
    references: References | None,
    bands: Mapping[str, Sequence[int]],
) -> _Parsed:
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


ParseOne = Callable[[str], tuple[Any, str | None, str | None]]
"""Parse one distinct stripped cell: (clean value, rule when changed, error message)."""


def _parse_by_unique(
    question: Question,
    cells: pd.Series,
    rows: np.ndarray,
    asked: np.ndarray,
    parse_one: ParseOne,
    *,
    shown: Callable[[Any], str] = str,
) -> _Parsed:
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
    parsed = _Parsed(unique_values=values)
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
        _log_frame(
            question.id,
            rows[changed],
            _coded(codes[changed], uniques),
            _coded(shown_rows, shown_unique),
            _coded(rule_rows[changed], names),
        )
    )
    usable = np.array([v is not None for v in values], dtype=bool)[codes] & asked
    parsed.unique_index = np.where(usable, codes, -1)
    parsed.row_codes = codes
    parsed.unique_cells = list(uniques)
    return parsed


def _coded(codes: np.ndarray, categories: Any) -> pd.Categorical:
    """Build a text categorical from codes into distinct ``categories``."""
    dtype = pd.CategoricalDtype(pd.Index(categories, dtype=TEXT_DTYPE))
    return pd.Categorical.from_codes(np.asarray(codes, dtype="int64"), dtype=dtype)


def _as_category(values: Any) -> pd.Categorical:
    """Build a text categorical from any text values (used for log columns)."""
    codes, categories = pd.factorize(pd.array(values, dtype=TEXT_DTYPE))
    return _coded(codes, categories)


def _filter(values: Any, mask: np.ndarray) -> Any:
    """Keep the rows where ``mask`` is True (Arrow-backed text is filtered by Arrow: fast)."""
    array = values.array if isinstance(values, pd.Series) else values
    if isinstance(array, pd.arrays.ArrowStringArray):
        import pyarrow as pa
        import pyarrow.compute as pc

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


def _log_frame(column: str, rows: np.ndarray, raw: Any, clean: Any, rules: Any) -> pd.DataFrame:
    """Log entries of changed cells only (all arguments already hold just those cells).

    Text columns are categoricals: a log repeats the same few raw and clean values many times.
    """

    def category(values: Any) -> pd.Categorical:
        return values if isinstance(values, pd.Categorical) else _as_category(values)

    rows = np.asarray(rows, dtype="int64")
    return pd.DataFrame(
        {
            "row": rows,
            "column": _coded(np.zeros(len(rows), dtype="int64"), [column]),
            "raw_value": category(raw),
            "clean_value": category(clean),
            "rule": category(rules),
        }
    )


def _concat_log(parts: list[pd.DataFrame]) -> pd.DataFrame:
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
) -> _Parsed:
    parsed = _parse_by_unique(question, cells, rows, asked, _single_parser(question))
    positions = np.array(
        [-1 if v is None else question.codes.index(v) for v in parsed.unique_values] + [-1],
        dtype="int64",
    )
    parsed.columns[question.id] = pd.Categorical.from_codes(
        positions[parsed.unique_index], categories=question.codes, ordered=question.ordered
    )
    return parsed


def _add_flag(question: Question, parsed: _Parsed) -> _Parsed:
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
) -> _Parsed:
    """Free text: trimmed in one vectorised pass (nearly every answer is distinct)."""
    stripped = cells.str.strip()
    blank = stripped.isin(list(question.missing_codes)).to_numpy(bool)
    trimmed = (stripped != cells).to_numpy(bool)
    not_asked_answer = ~blank & ~asked
    parsed = _Parsed()
    parsed.problems += _blank_problems(question, rows, blank & asked)
    parsed.problems += _not_asked_problems(question, rows, not_asked_answer)
    changed = trimmed | not_asked_answer
    shown = stripped.where(~(blank | not_asked_answer), "")
    rules = np.where(not_asked_answer, "not_applicable", "trim_whitespace")
    parsed.log.append(
        _log_frame(
            question.id,
            rows[changed],
            _filter(cells, changed),
            _filter(shown, changed),
            rules[changed],
        )
    )
    parsed.columns[question.id] = stripped.astype("string").mask(blank | ~asked).array
    return parsed


def parse_datetimes(text: pd.Series, fmt: str) -> pd.Series:
    """Parse text as date and time in a strptime format, exactly like ``pandas.to_datetime``.

    For an ASCII format made only of ``%d %m %Y %H %M %S``, cells written in its exact
    zero-padded form whose fields read back unchanged are parsed by Arrow (fast); every other
    cell (and every cell of other formats) is parsed by pandas, so the result is pandas' own.

    Parameters
    ----------
    text
        Stripped cells.
    fmt
        The format, e.g. ``"%d.%m.%Y %H:%M:%S"``.

    Returns
    -------
    pandas.Series
        ``datetime64[us]``; unreadable or blank cells are ``NaT``.

    Examples
    --------
    >>> cells = pd.Series(["04.03.2024 08:00:12", "4.3.2024 8:00:12", "31.02.2024 08:00:00"])
    >>> parsed = parse_datetimes(cells, "%d.%m.%Y %H:%M:%S")
    >>> str(parsed[0]), str(parsed[1]), parsed.isna().tolist()
    ('2024-03-04 08:00:12', '2024-03-04 08:00:12', [False, False, True])
    """
    text = as_text(text)
    pieces = re.split(r"(%.)", fmt)
    if not fmt.isascii() or not set(pieces[1::2]) <= set(_DATETIME_FIELDS):
        return pd.to_datetime(text, format=fmt, errors="coerce").astype("datetime64[us]")
    fast, exact = _arrow_datetimes(text, fmt, pieces)
    values = pd.Series(fast, index=text.index)
    if not exact.all():
        values[~exact] = pd.to_datetime(text[~exact], format=fmt, errors="coerce")
    return values


_DATETIME_FIELDS = {
    "%d": ("day", 2),
    "%m": ("month", 2),
    "%Y": ("year", 4),
    "%H": ("hour", 2),
    "%M": ("minute", 2),
    "%S": ("second", 2),
}


def _arrow_datetimes(text: pd.Series, fmt: str, pieces: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Arrow's parse of each cell, and whether it is certainly the same as pandas' parse."""
    import pyarrow as pa
    import pyarrow.compute as pc

    cells = pa.array(text.array)
    parsed = pc.strptime(cells, format=fmt, unit="s", error_is_null=True)
    pattern = "".join(
        rf"\d{{{_DATETIME_FIELDS[p][1]}}}" if p in _DATETIME_FIELDS else re.escape(p)
        for p in pieces
    )
    exact = pc.match_substring_regex(cells, f"^{pattern}$")
    start = 0
    for piece in pieces:
        if piece in _DATETIME_FIELDS:
            name, width = _DATETIME_FIELDS[piece]
            digits = pc.if_else(exact, pc.utf8_slice_codeunits(cells, start, start + width), "0")
            same = pc.equal(getattr(pc, name)(parsed), pc.cast(digits, pa.int64()))
            exact = pc.and_kleene(exact, same)
        start += _DATETIME_FIELDS[piece][1] if piece in _DATETIME_FIELDS else len(piece)
    exact = pc.fill_null(exact, False).to_numpy(zero_copy_only=False)
    values = parsed.cast(pa.timestamp("us")).to_numpy(zero_copy_only=False)
    return values, exact


def _parse_timestamp(question: Question, cells: pd.Series, rows: np.ndarray) -> _Parsed:
    stripped = cells.str.strip()
    parsed_times = parse_datetimes(stripped, question.format or "")
    blank = stripped.isin(list(question.missing_codes)).to_numpy(bool)
    bad = parsed_times.isna().to_numpy(bool) & ~blank
    result = _Parsed()
    result.problems += [
        Problem(
            int(row),
            question.id,
            f"{cell!r}: not a date and time; expected the format {question.format}",
        )
        for row, cell in zip(rows[bad], _filter(stripped, bad), strict=True)
    ]
    result.problems += _blank_problems(question, rows, blank)
    trimmed = (stripped != cells).to_numpy(bool)
    result.log.append(
        _log_frame(
            question.id,
            rows[trimmed],
            _filter(cells, trimmed),
            _filter(stripped, trimmed),
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
            return None, None, f"impossible value {value}; expected {low} to {high}"
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
) -> _Parsed:
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


def assign_bands(values: Any, bounds: Sequence[int]) -> pd.Categorical:
    """Put whole numbers into ordered bands with the given lower bounds.

    Parameters
    ----------
    values
        Integers (missing allowed).
    bounds
        Increasing lower bounds; the last band is open. Values below the first bound are
        missing.

    Returns
    -------
    pandas.Categorical
        Ordered, with labels from :func:`ruralplan.survey.codebook.band_labels`.

    Examples
    --------
    >>> list(assign_bands([0, 4, 5, 19, 20, 99], [0, 5, 10, 20]))
    ['0-4', '0-4', '5-9', '10-19', '20+', '20+']
    """
    numbers = pd.array(values, dtype="Int64").astype("Float64").to_numpy(float, na_value=np.nan)
    cut = pd.cut(numbers, bins=[*bounds, np.inf], right=False, labels=band_labels(bounds))
    return pd.Categorical(cut, categories=band_labels(bounds), ordered=True)


def _parse_multiple(
    question: Question, cells: pd.Series, rows: np.ndarray, asked: np.ndarray
) -> _Parsed:
    patterns = _label_patterns(question)

    def parse(stripped: str) -> tuple[Any, str | None, str | None]:
        codes, other_text, unknown = _split_with(stripped, question, patterns)
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
) -> _Parsed:
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
    question: Question, rows: np.ndarray, parsed: _Parsed, loose: Mapping[str, Any]
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


# ---- assembling and duplicates ------------------------------------------------------------------


def _assemble(
    raw: pd.DataFrame, codebook: Codebook, parsed: Mapping[str, _Parsed], mapping: Mapping[str, str]
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
            columns.update(_empty_columns(question, n))
    return columns


def _empty_columns(question: Question, n: int) -> dict[str, Any]:
    missing = np.full(n, None, dtype=object)
    if question.type == "multiple":
        out: dict[str, Any] = {
            f"{question.id}__{c}": pd.array(missing, dtype="boolean") for c in question.codes
        }
        if question.other_code:
            out[f"{question.id}{OTHER_SUFFIX}"] = pd.array(missing, dtype="string")
        return out
    if question.type == "single":
        return {
            question.id: pd.Categorical(
                missing, categories=question.codes, ordered=question.ordered
            )
        }
    dtype = "Int64" if question.type in ("year", "count") else "string"
    return {question.id: pd.array(missing, dtype=dtype)}


def _find_exclusions(
    table: pd.DataFrame, codebook: Codebook, empty: np.ndarray
) -> tuple[np.ndarray, pd.DataFrame, pd.DataFrame]:
    """Exclude submissions without any answer, then duplicates among the rest."""
    from ruralplan.survey.schemas import EMPTY_REASON

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
    log = _log_frame("*", rows, blank, blank, reasons)
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


def _source_question(column: str, codebook: Codebook) -> Question | None:
    for question in codebook.questions:
        derived = [
            value["column"] if isinstance(value, Mapping) else value
            for value in question.derived.values()
        ]
        if (
            column == question.id
            or column.startswith(f"{question.id}__")
            or column == f"{question.id}{OTHER_SUFFIX}"
            or column in derived
            or column in question.lookup.values()
        ):
            return question
    return None
