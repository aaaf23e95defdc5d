"""Frequency tables of closed survey questions, internal and for publication.

:func:`frequency_table` gives the full internal table of one single- or multiple-choice question:
counts, percent of valid answers, Wilson intervals (no continuity correction), and separate rows
for the valid total, answers left blank and respondents not asked (skip logic). For a
multiple-choice question the percentages are of respondents who ticked at least one option, and
``percent_mentions`` is of all ticks. :func:`public_table` turns it into a table for publication
with small counts suppressed (:mod:`.disclosure`) and numbers in Latvian or English style.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from ruralplan.formatting import format_number
from ruralplan.i18n import N_, translator
from ruralplan.survey.codebook import Question
from ruralplan.survey.disclosure import PRIMARY, SHOWN, check_min_cell, suppress_counts

CHOICE_TYPES = ("single", "multiple")
TABLE_COLUMNS = [
    "question_id",
    "row_type",
    "code",
    "label_lv",
    "label_en",
    "n",
    "percent",
    "ci_low",
    "ci_high",
    "percent_mentions",
]
# Row types besides the options, in display order, with their labels (worded by the catalog;
# the table carries them in the languages of its label columns).
SUMMARY_ROWS = ("valid", "no_answer", "not_asked", "respondents")
_SUMMARY_LABELS = {
    "valid": N_("Valid answers"),
    "no_answer": N_("No answer"),
    "not_asked": N_("Not asked (not applicable)"),
    "respondents": N_("All participants"),
}
# The languages of the label columns of a frequency table (``label_lv``, ``label_en``).
LABEL_LANGS = ("lv", "en")
NBSP = "\u00a0"


@dataclass(frozen=True)
class PublicTable:
    """A table ready for publication and the footnotes that must go with it.

    Attributes
    ----------
    frame
        Display strings, one row per answer option and summary row.
    notes
        Footnotes in the table's language (method, suppression, source).
    suppressed
        Whether any count was withheld.
    """

    frame: pd.DataFrame
    notes: tuple[str, ...]
    suppressed: bool


def closed_questions(questions: Sequence[Question]) -> list[Question]:
    """Select the single- and multiple-choice questions, in codebook order.

    Parameters
    ----------
    questions
        Questions of a codebook.

    Returns
    -------
    list of Question
        The closed questions.
    """
    return [question for question in questions if question.type in CHOICE_TYPES]


def asked_mask(survey: pd.DataFrame, question: Question) -> pd.Series:
    """Tell for each respondent whether ``question`` was asked (its ``asked_if`` rule).

    Parameters
    ----------
    survey
        The clean survey.
    question
        The question.

    Returns
    -------
    pandas.Series
        Boolean, True where the question applies.

    Raises
    ------
    ValueError
        If a column named in ``asked_if`` is not in ``survey``.
    """
    mask = pd.Series(True, index=survey.index)
    for column, codes in question.asked_if.items():
        _require_columns(survey, [column], question)
        mask &= survey[column].isin(list(codes)).fillna(False).astype(bool)
    return mask


def answer_counts(survey: pd.DataFrame, question: Question) -> tuple[pd.Series, pd.Series]:
    """Count each option and tell which respondents gave a valid answer.

    Parameters
    ----------
    survey
        The clean survey (one row per organisation).
    question
        A single- or multiple-choice question.

    Returns
    -------
    tuple of pandas.Series
        Counts indexed by option code (codebook order), and a boolean mask of valid answers.

    Raises
    ------
    ValueError
        If the question is not closed, a column is missing, or a value is not a known code.
    """
    if question.type == "single":
        _require_columns(survey, [question.id], question)
        values = survey[question.id]
        observed = {str(value) for value in values.dropna().unique()}
        unknown = sorted(observed - set(question.codes))
        if unknown:
            raise ValueError(
                f"column `{question.id}` holds codes {unknown} that the codebook does not list; "
                f"expected one of {question.codes}"
            )
        counts = (
            values.astype(str).where(values.notna()).value_counts()
            if not isinstance(values.dtype, pd.CategoricalDtype)
            else values.value_counts().rename(index=str)
        )
        counts = counts.reindex(question.codes, fill_value=0)
        return counts.astype("int64"), values.notna()
    if question.type == "multiple":
        columns = [f"{question.id}__{code}" for code in question.codes]
        _require_columns(survey, columns, question)
        ticks = survey[columns].astype("boolean").fillna(False).astype(bool)
        counts = pd.Series(ticks.sum().to_numpy(), index=question.codes, dtype="int64")
        return counts, ticks.any(axis=1)
    raise ValueError(
        f"question `{question.id}` has type {question.type!r}; "
        f"only {list(CHOICE_TYPES)} questions are tabulated"
    )


def _check_binomial(counts: Any, nobs: Any) -> tuple[np.ndarray, np.ndarray]:
    """Return successes and trials as floats, refusing pairs that are not ``0 <= k <= n``."""
    try:
        k, n = np.broadcast_arrays(np.asarray(counts, dtype=float), np.asarray(nobs, dtype=float))
    except (TypeError, ValueError) as error:
        raise ValueError(f"counts and nobs must be numbers of matching shape: {error}.") from None
    with np.errstate(invalid="ignore"):
        whole = np.isfinite(k) & np.isfinite(n) & (k == np.round(k)) & (n == np.round(n))
        bad = ~whole | (k < 0) | (k > n)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        place = f" at position {where if len(where) > 1 else where[0]}" if where else ""
        raise ValueError(
            f"Wilson interval: counts must be whole numbers from 0 to their number of trials, "
            f"but{place} counts = {k[where]:g} and nobs = {n[where]:g}."
        )
    return k, n


def wilson_interval(counts: Any, nobs: Any, *, alpha: float = 0.05) -> tuple[Any, Any]:
    """Return the Wilson score interval in percent, without continuity correction.

    Parameters
    ----------
    counts
        Number of successes (scalar or array).
    nobs
        Number of trials; where it is 0 the interval is NaN.
    alpha
        One minus the confidence level.

    Returns
    -------
    tuple
        Lower and upper bounds on the 0-100 scale.

    Raises
    ------
    ValueError
        If a count or a number of trials is negative, not whole or not finite, or a count
        exceeds its number of trials (the message names the first such pair).

    Examples
    --------
    >>> [round(x, 2) for x in wilson_interval(81, 263)]
    [25.53, 36.62]
    """
    counts, nobs = _check_binomial(counts, nobs)
    safe = np.where(nobs > 0, nobs, 1.0)
    low, high = proportion_confint(counts, safe, alpha=alpha, method="wilson")
    low = np.where(nobs > 0, 100 * np.asarray(low), np.nan)
    high = np.where(nobs > 0, 100 * np.asarray(high), np.nan)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def frequency_table(
    survey: pd.DataFrame, question: Question, *, alpha: float = 0.05
) -> pd.DataFrame:
    """Tabulate one closed question with counts, percentages and Wilson intervals.

    Parameters
    ----------
    survey
        The clean survey.
    question
        A single- or multiple-choice question from the codebook.
    alpha
        One minus the confidence level of the intervals.

    Returns
    -------
    pandas.DataFrame
        Columns ``question_id, row_type, code, label_lv, label_en, n, percent, ci_low, ci_high,
        percent_mentions``. Option rows (``row_type == "option"``) come in codebook order for
        ordered questions and by decreasing count otherwise (ties and the "other" option last);
        then ``valid``, ``no_answer``, ``not_asked`` (only for questions with a skip rule) and
        ``respondents``. Percentages are of valid answers, on the 0-100 scale.
    """
    counts, valid = answer_counts(survey, question)
    asked = asked_mask(survey, question)
    n_valid = int((valid & asked).sum())
    options = _order_options(counts, question)
    low, high = wilson_interval(options.to_numpy(), n_valid, alpha=alpha)
    mentions = int(options.sum())
    table = pd.DataFrame(
        {
            "question_id": question.id,
            "row_type": "option",
            "code": options.index,
            "label_lv": [question.label(code, "lv") for code in options.index],
            "label_en": [question.label(code, "en") for code in options.index],
            "n": options.to_numpy(),
            "percent": 100 * options.to_numpy() / n_valid if n_valid else np.nan,
            "ci_low": low,
            "ci_high": high,
            "percent_mentions": (
                100 * options.to_numpy() / mentions
                if question.type == "multiple" and mentions
                else np.nan
            ),
        }
    )
    summary = {
        "valid": n_valid,
        "no_answer": int((asked & ~valid).sum()),
        "not_asked": int((~asked).sum()) if question.asked_if else None,
        "respondents": len(survey),
    }
    rows = [
        {
            "question_id": question.id,
            "row_type": kind,
            "code": "",
            **{
                f"label_{lang}": translator(lang).gettext(_SUMMARY_LABELS[kind])
                for lang in LABEL_LANGS
            },
            "n": value,
            "percent": 100.0 if kind == "valid" and n_valid else np.nan,
        }
        for kind, value in summary.items()
        if value is not None
    ]
    table = pd.concat([table, pd.DataFrame(rows)], ignore_index=True)[TABLE_COLUMNS]
    return table.astype(
        {
            "n": "int64",
            "code": "string",
            "label_lv": "string",
            "label_en": "string",
            "question_id": "string",
            "row_type": "string",
        }
    )


def suppression_status(table: pd.DataFrame, *, min_cell: int) -> pd.Series:
    """Decide which counts of a frequency table a public version withholds.

    Option counts are suppressed as one additive group whose total is the valid total (for a
    multiple-choice question: the number of ticks, each count at most the valid total). The
    number of blank and not-asked answers follows from published totals, so it is shown, unless
    the valid total itself must be withheld, in which case those rows are withheld too.

    Parameters
    ----------
    table
        Output of :func:`frequency_table`.
    min_cell
        Smallest count shown as a number.

    Returns
    -------
    pandas.Series
        ``"shown"``, ``"primary"`` or ``"secondary"`` for each row of ``table``.
    """
    min_cell = check_min_cell(min_cell)
    status = pd.Series(SHOWN, index=table.index, dtype="string")
    is_option = table["row_type"] == "option"
    valid = int(table.loc[table["row_type"] == "valid", "n"].iloc[0])
    result = suppress_counts(table.loc[is_option, "n"].tolist(), min_cell=min_cell, cell_max=valid)
    status[is_option] = list(result.status)
    if result.total_suppressed:
        derived = table["row_type"].isin(["valid", "no_answer", "not_asked"])
        status[derived] = "secondary"
    return status


def public_table(
    table: pd.DataFrame,
    *,
    lang: str,
    min_cell: int,
    decimals: int = 1,
    source: str = "",
    synthetic: bool = False,
) -> PublicTable:
    """Format a frequency table for publication, with small counts suppressed.

    Parameters
    ----------
    table
        Output of :func:`frequency_table`.
    lang
        ``"lv"`` or ``"en"``: labels, headers, number style and notes.
    min_cell
        Counts ``0 < n < min_cell`` are shown as ``"<min_cell"``; cells that would reveal them
        are shown as ``"x"``.
    decimals
        Decimal places of percentages.
    source
        Source line printed under the table (from the codebook's survey metadata).
    synthetic
        Whether to add a note that the data are synthetic.

    Returns
    -------
    PublicTable
        Display strings and footnotes.
    """
    status = suppression_status(table, min_cell=min_cell)
    hidden = status != SHOWN
    marker = pd.Series(
        np.where(status == PRIMARY, f"<{min_cell}", "x"), index=table.index, dtype="string"
    )
    headers = _public_headers(lang)

    def numbers(column: str, formatter: Any) -> pd.Series:
        shown = table[column].map(lambda v: formatter(v) if pd.notna(v) else "")
        return shown.where(~hidden, marker)

    count_text = numbers("n", lambda v: format_number(v, lang=lang, decimals=0))
    percent_text = numbers("percent", lambda v: format_number(v, lang=lang, decimals=decimals))
    ci_text = pd.Series(
        [
            _interval_text(lo, hi, lang=lang, decimals=decimals)
            for lo, hi in zip(table["ci_low"], table["ci_high"], strict=True)
        ],
        index=table.index,
    ).where(~hidden, marker)
    frame = pd.DataFrame(
        {
            headers["label"]: table[f"label_{lang}"],
            headers["n"]: count_text,
            headers["percent"]: percent_text,
            headers["ci"]: ci_text,
        }
    )
    if table["percent_mentions"].notna().any():
        frame[headers["percent_mentions"]] = numbers(
            "percent_mentions", lambda v: format_number(v, lang=lang, decimals=decimals)
        )
    suppressed = bool(hidden.any())
    notes = table_notes(
        table,
        lang=lang,
        min_cell=min_cell,
        suppressed=suppressed,
        source=source,
        synthetic=synthetic,
    )
    return PublicTable(frame=frame.reset_index(drop=True), notes=notes, suppressed=suppressed)


def _public_headers(lang: str) -> dict[str, str]:
    """Column headers of a public frequency table in ``lang``."""
    words = translator(lang)
    return {
        "label": words.pgettext("public table column", "Answer"),
        "n": words.pgettext("public table column", "n"),
        "percent": words.pgettext("public table column", "%%"),
        "ci": words.pgettext("public table column", "95%% CI"),
        "percent_mentions": words.pgettext("public table column", "%% of mentions"),
    }


def public_csv_table(table: pd.DataFrame, *, min_cell: int, decimals: int = 1) -> pd.DataFrame:
    """Return the machine-readable public version of a frequency table.

    Same columns as :func:`frequency_table` plus ``status``; numbers are rounded to
    ``decimals`` and withheld cells hold the marker (``"<5"`` or ``"x"``) instead of a number.

    Parameters
    ----------
    table
        Output of :func:`frequency_table`.
    min_cell
        The suppression threshold.
    decimals
        Decimal places of percentages and interval bounds.

    Returns
    -------
    pandas.DataFrame
        The table to write to ``reports/tables/``.
    """
    status = suppression_status(table, min_cell=min_cell)
    hidden = status != SHOWN
    marker = pd.Series(
        np.where(status == PRIMARY, f"<{min_cell}", "x"), index=table.index, dtype="string"
    )
    public = table.copy()
    public["n"] = public["n"].astype("string").where(~hidden, marker)
    for column in ("percent", "ci_low", "ci_high", "percent_mentions"):
        rounded = public[column].map(
            lambda v: format_number(v, lang="en", decimals=decimals).replace(",", "")
        )
        public[column] = rounded.astype("string").where(~hidden, marker)
    public["status"] = status
    return public


def table_notes(
    table: pd.DataFrame,
    *,
    lang: str,
    min_cell: int,
    suppressed: bool,
    source: str = "",
    synthetic: bool = False,
) -> tuple[str, ...]:
    """Write the footnotes of a public frequency table.

    Parameters
    ----------
    table
        Output of :func:`frequency_table` (to tell single from multiple choice).
    lang
        ``"lv"`` or ``"en"``.
    min_cell
        The suppression threshold.
    suppressed
        Whether any cell was withheld (adds the suppression note).
    source
        Source line; omitted when empty.
    synthetic
        Whether to add the synthetic-data note.

    Returns
    -------
    tuple of str
        The notes, in order.
    """
    words = translator(lang)
    notes = [
        words.gettext(
            "Percentages of valid answers; 95%% confidence interval by the Wilson score method "
            "(no continuity correction)."
        )
    ]
    if table["percent_mentions"].notna().any():
        notes.append(
            words.gettext(
                "Several answers possible: %% is of respondents who ticked at least one; "
                "%% of mentions is of all ticks."
            )
        )
    if suppressed:
        marker = f"<{min_cell}"
        notes.append(
            words.ngettext(
                "%(marker)s: fewer than %(num)s organisation; x: withheld so that small counts "
                "cannot be worked out from the totals.",
                "%(marker)s: fewer than %(num)s organisations; x: withheld so that small "
                "counts cannot be worked out from the totals.",
                min_cell,
                marker=marker,
                num=format_number(min_cell, lang=lang),
            )
        )
    if source:
        notes.append(source)
    if synthetic:
        notes.append(words.gettext("Synthetic demonstration data, not study results."))
    return tuple(notes)


def _interval_text(low: float, high: float, *, lang: str, decimals: int) -> str:
    if pd.isna(low) or pd.isna(high):
        return ""
    low_text = format_number(low, lang=lang, decimals=decimals)
    high_text = format_number(high, lang=lang, decimals=decimals)
    return f"{low_text}–{high_text}"


def _order_options(counts: pd.Series, question: Question) -> pd.Series:
    if question.ordered:
        return counts
    position = {code: index for index, code in enumerate(question.codes)}
    is_other = {code: code == question.other_code for code in question.codes}
    order = sorted(counts.index, key=lambda code: (is_other[code], -counts[code], position[code]))
    return counts.reindex(order)


def _require_columns(survey: pd.DataFrame, columns: list[str], question: Question) -> None:
    missing = [column for column in columns if column not in survey.columns]
    if missing:
        raise ValueError(
            f"question `{question.id}`: the survey has no column(s) {missing}; "
            f"columns present are {list(survey.columns)}"
        )
