"""The opening sentences of a plain exhibits section, computed from its first frequency table.

A section of kind ``exhibits`` opens with the most and least common answers of the first
frequency table the layout puts in it (count of the base and percent), and the base: how many
gave a valid answer and, when a skip rule applies (the table's "not asked" row), whom the
question was asked of. Cells withheld by disclosure control are never ranked or revealed: the
sentence then speaks of the answers shown and says how many are withheld.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ruralplan import narrative
from ruralplan.i18n import Translator, translator
from ruralplan.report.frequency import is_frequency_table, option_rows, valid_total
from ruralplan.report.render import render
from ruralplan.report.tables import as_number, first_column, suppression_marker


def _listed(items: Sequence[str], words: Translator, *, joiner: str = "and") -> str:
    """Join texts as a list: "a", "a and b", "a, b and c" (or with "or")."""
    if len(items) < 2:
        return "".join(items)
    head, last = ", ".join(items[:-1]), items[-1]
    if joiner == "or":
        # Translators: the last of several answers joined to the others ("A, B or C").
        return words.gettext("%(head)s or %(last)s", head=head, last=last)
    # Translators: the last of several answers (or conditions) joined to the others.
    return words.pgettext("answers listed", "%(head)s and %(last)s", head=head, last=last)


def _answers(rows: pd.DataFrame, label: str, base: int, lang: str) -> str:
    """Name answers of equal count with that count of the base and their percent."""
    words = translator(lang)
    first = rows.iloc[0]
    values = {
        "labels": _listed([narrative.quoted(str(v)) for v in rows[label]], words),
        "count": narrative.format_number(int(as_number(first["n"]) or 0), lang, decimals=0),
        "base": narrative.format_number(base, lang, decimals=0),
        "percent": narrative.format_percent((as_number(first["percent"]) or 0.0) / 100, lang),
    }
    if len(rows) == 1:
        # Translators: one answer with its count of the base and percent, e.g.
        # “Every year” (7 of 74; 9.5%).
        return words.gettext("%(labels)s (%(count)s of %(base)s; %(percent)s)", **values)
    # Translators: several answers with the same count, e.g. “A” and “B” (each 7 of 74; 9.5%).
    return words.gettext("%(labels)s (each %(count)s of %(base)s; %(percent)s)", **values)


def answer_extremes(table: pd.DataFrame, lang: str) -> str:
    """Name the most and least common answers of a frequency table with n of base and percent.

    Answers tied for the top (or bottom) are named together. Withheld cells (``<5``, ``x``)
    are left out of the ranking, and the sentence then says "of the answers shown" and how
    many answers are withheld, so it neither ranks nor bounds them.

    Parameters
    ----------
    table
        A frequency table of notebook 02 (``row_type``, ``label_<lang>``, ``n``, ``percent``).
    lang
        A report language.

    Returns
    -------
    str
        The sentence; ``""`` when no answer is shown or the base is withheld.
    """
    words = translator(narrative.check_lang(lang))
    label = first_column(table, [f"label_{lang}", "label", "code"], "frequency table")
    options = option_rows(table)
    counts = pd.Series([as_number(v) for v in options["n"]], index=options.index, dtype=float)
    shown = options.loc[counts.notna()].assign(_n=counts.dropna())
    withheld = sum(suppression_marker(v) is not None for v in options["n"])
    base = valid_total(table)
    if shown.empty or not base:
        return ""
    most = shown.loc[shown["_n"] == shown["_n"].max()]
    least = shown.loc[shown["_n"] == shown["_n"].min()]
    top = _answers(most, label, base, lang)
    if withheld:
        sentence = words.ngettext(
            "Of the answers shown, the most common was %(top)s",
            "Of the answers shown, the most common were %(top)s",
            len(most),
            top=top,
        )
    else:
        sentence = words.ngettext(
            "The most common answer was %(top)s",
            "The most common answers were %(top)s",
            len(most),
            top=top,
        )
    if len(most) < len(shown):
        # Translators: continues "The most common answer was …" after a comma.
        sentence = words.ngettext(
            "%(first)s, the least common %(bottom)s",
            "%(first)s, the least common were %(bottom)s",
            len(least),
            first=sentence,
            bottom=_answers(least, label, base, lang),
        )
    # Translators: ends the sentence on the most and least common answers.
    sentence = words.gettext("%(sentence)s.", sentence=sentence)
    if not withheld:
        return sentence
    note = words.ngettext(
        "%(num)s answer is withheld for disclosure control and is not ranked.",
        "%(num)s answers are withheld for disclosure control and are not ranked.",
        withheld,
        num=narrative.format_number(withheld, lang, decimals=0),
    )
    return f"{sentence} {note}"


def skip_condition(asked_if: Mapping[str, Sequence[str]], codebook: Any, lang: str) -> str:
    """Say whom a question was asked of, from its ``asked_if`` rule in the survey codebook.

    Parameters
    ----------
    asked_if
        Earlier question id to the answer codes that lead to this question.
    codebook
        The survey codebook (:class:`ruralplan.survey.codebook.Codebook`).
    lang
        A report language.

    Returns
    -------
    str
        E.g. ``the answer to “Q” was “A” or “B”``; conditions on several questions are
        joined with "and".
    """
    words = translator(narrative.check_lang(lang))
    parts = []
    for question_id, codes in asked_if.items():
        question = codebook.question(question_id)
        answers = [narrative.quoted(question.label(code, lang)) for code in codes]
        parts.append(
            # Translators: one condition of a skip rule, e.g. the answer to “Q” was “A” or “B”.
            words.gettext(
                "the answer to %(question)s was %(answers)s",
                question=narrative.quoted(question.text(lang)),
                answers=_listed(answers, words, joiner="or"),
            )
        )
    return _listed(parts, words)


def base_sentence(
    table: pd.DataFrame, lang: str, *, unit: narrative.Noun = "respondent", condition: str = ""
) -> str:
    """State the base of a frequency table: valid answers and, under a skip rule, who was asked.

    Parameters
    ----------
    table
        A frequency table of notebook 02; its ``not_asked`` row counts those the question
        did not apply to.
    lang
        A report language.
    unit
        The study's unit noun.
    condition
        Whom the question was asked of (:func:`skip_condition`), or ``""`` when unknown.

    Returns
    -------
    str
        One or two sentences; ``""`` when the valid total is withheld.
    """
    words = translator(narrative.check_lang(lang))
    valid = valid_total(table)
    if not valid:
        return ""
    text = words.gettext(
        "Base: %(units)s with a valid answer.",
        units=narrative.count_phrase(valid, unit, lang),
    )
    rows = table.loc[table["row_type"] == "not_asked", "n"] if "row_type" in table else []
    not_asked = as_number(rows.iloc[0]) if len(rows) else None
    if not not_asked:
        return text
    units = narrative.count_phrase(int(not_asked), unit, lang)
    if condition:
        return (
            text
            + " "
            + words.gettext(
                "Asked only if %(condition)s (not asked: %(units)s).",
                condition=condition,
                units=units,
            )
        )
    return (
        text
        + " "
        + words.gettext(
            "Asked only of some participants, by a skip rule of the questionnaire "
            "(not asked: %(units)s).",
            units=units,
        )
    )


def section_opening(
    tables: Sequence[Any], lang: str, *, unit: narrative.Noun = "respondent", codebook: Any = None
) -> str:
    """Open a plain exhibits section with sentences on its first frequency table.

    Parameters
    ----------
    tables
        The loaded exhibits of the section in layout order (tables, figures, ``None``).
    lang
        A report language.
    unit
        The study's unit noun.
    codebook
        The survey codebook, for the skip rule of the table's question; optional.

    Returns
    -------
    str
        An HTML paragraph, or ``""`` when the section shows no frequency table.
    """
    table = next((t for t in tables if isinstance(t, pd.DataFrame) and is_frequency_table(t)), None)
    if table is None:
        return ""
    condition = ""
    question_ids = table["question_id"].dropna() if "question_id" in table else []
    if codebook is not None and len(question_ids):
        question_id = str(question_ids.iloc[0])
        rule = next((q.asked_if for q in codebook.questions if q.id == question_id), None)
        condition = skip_condition(rule, codebook, lang) if rule else ""
    sentences = [
        answer_extremes(table, lang),
        base_sentence(table, lang, unit=unit, condition=condition),
    ]
    text = " ".join(s for s in sentences if s)
    return render("section_lead.html.j2", None, text=text) if text else ""
