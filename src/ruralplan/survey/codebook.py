"""Load and check a questionnaire codebook (YAML) into frozen dataclasses.

The codebook drives validation, cleaning, the clean schema and the synthetic generator; nothing
about a particular study is written in the package itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

QUESTION_TYPES = ("timestamp", "text", "single", "multiple", "year", "count")
CHOICE_TYPES = ("single", "multiple")
# The languages a codebook's question texts and answer labels are written in.
TEXT_LANGS = ("lv", "en")
_SURVEY_KEYS = {
    "id",
    "title_lv",
    "title_en",
    "reference_year",
    "source_lv",
    "source_en",
    "duplicate_rule",
}
_SURVEY_REQUIRED = {"id", "title_lv", "title_en", "reference_year"}
_QUESTION_KEYS = {
    "id",
    "text_lv",
    "text_en",
    "type",
    "required",
    "ordered",
    "options",
    "missing_codes",
    "other_code",
    "asked_if",
    "format",
    "min_value",
    "max_value",
    "derived",
    "lookup",
}
_DERIVED_KEYS = {"year": {"age", "band"}, "count": {"band"}, "single": {"flag"}}
_CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


_QUOTES = str.maketrans({c: '"' for c in "„“”«»‘’‚'`"} | {c: "-" for c in "–—‑"})


def normalise_label(text: str) -> str:
    """Normalise a label or question text for matching.

    Case, accents (lost diacritics), typographic quotes and dashes, and runs of whitespace are
    ignored, so ``"Stratēģija "`` and ``"strategija"`` match.

    Parameters
    ----------
    text
        Any text.

    Returns
    -------
    str
        The normalised text.

    Examples
    --------
    >>> normalise_label("  Jā, bet  STRATĒĢIJA ")
    'ja, bet strategija'
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


class CodebookError(ValueError):
    """Raised when a codebook file is malformed; the message lists every problem."""


@dataclass(frozen=True)
class Option:
    """One answer option: a stable code and its Latvian and English labels."""

    code: str
    lv: str
    en: str


@dataclass(frozen=True)
class Question:
    """One question of the questionnaire (see the key list in the codebook file)."""

    id: str
    text_lv: str
    text_en: str
    type: str
    required: bool = False
    ordered: bool = False
    options: tuple[Option, ...] = ()
    missing_codes: tuple[str, ...] = ("",)
    other_code: str | None = None
    asked_if: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    format: str | None = None
    min_value: int | None = None
    max_value: int | None = None
    derived: Mapping[str, Any] = field(default_factory=dict)
    lookup: Mapping[str, str] = field(default_factory=dict)

    @property
    def codes(self) -> list[str]:
        """Return the option codes in codebook order."""
        return [option.code for option in self.options]

    def label(self, code: str, lang: str = "lv") -> str:
        """Return the display label of an option code.

        Parameters
        ----------
        code
            An option code of this question.
        lang
            ``"lv"`` or ``"en"``.

        Returns
        -------
        str
            The label.

        Raises
        ------
        KeyError
            If the code or language is unknown.
        """
        if lang not in TEXT_LANGS:
            raise KeyError(f"language must be 'lv' or 'en', but {lang!r} was passed")
        for option in self.options:
            if option.code == code:
                return getattr(option, lang)
        raise KeyError(f"question {self.id!r} has no option {code!r}; codes are {self.codes}")

    def text(self, lang: str = "lv") -> str:
        """Return the question text in ``lang`` (``"lv"`` or ``"en"``).

        Raises
        ------
        KeyError
            If the codebook has no texts in ``lang`` (no silent fall-back to another language).
        """
        if lang not in TEXT_LANGS:
            raise KeyError(f"language must be 'lv' or 'en', but {lang!r} was passed")
        return getattr(self, f"text_{lang}")


@dataclass(frozen=True)
class Codebook:
    """A questionnaire: survey metadata and its questions in export order."""

    survey: Mapping[str, Any]
    questions: tuple[Question, ...]

    def question(self, question_id: str) -> Question:
        """Return the question with id ``question_id``.

        Raises
        ------
        KeyError
            If there is no such question; the message lists the known ids.
        """
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(f"no question {question_id!r}; known ids are {self.ids}")

    @property
    def ids(self) -> list[str]:
        """Return the question ids in export order."""
        return [question.id for question in self.questions]

    @property
    def reference_year(self) -> int:
        """Return the reference year used for ages and the latest plausible year."""
        return int(self.survey["reference_year"])


def band_labels(bounds: list[int] | tuple[int, ...]) -> list[str]:
    """Name bands from their increasing lower bounds.

    Parameters
    ----------
    bounds
        Increasing integer lower bounds; the last band is open.

    Returns
    -------
    list of str
        Labels such as ``"0-4"`` and ``"20+"``.

    Examples
    --------
    >>> band_labels([0, 5, 10, 20])
    ['0-4', '5-9', '10-19', '20+']
    """
    labels = [f"{low}-{high - 1}" for low, high in zip(bounds[:-1], bounds[1:], strict=True)]
    return [*labels, f"{bounds[-1]}+"]


def check_bounds(bounds: Any, *, name: str = "bounds") -> list[str]:
    """Return problems with a list of band lower bounds (empty when fine).

    Parameters
    ----------
    bounds
        The candidate bounds.
    name
        How to call them in messages.

    Returns
    -------
    list of str
        Problem descriptions.
    """
    if not isinstance(bounds, list | tuple) or len(bounds) < 2:
        return [f"`{name}` must be a list of at least two integers, but {bounds!r} was given"]
    if not all(isinstance(b, int) and not isinstance(b, bool) for b in bounds):
        return [f"`{name}` must contain integers only, but {list(bounds)!r} was given"]
    if any(high <= low for low, high in zip(bounds[:-1], bounds[1:], strict=True)):
        return [f"`{name}` must be increasing, but {list(bounds)!r} was given"]
    return []


def parse_codebook(document: Any, *, source: str = "codebook") -> Codebook:
    """Check a parsed codebook document and build a :class:`Codebook`.

    Parameters
    ----------
    document
        The parsed YAML document.
    source
        Name of the file, used in messages.

    Returns
    -------
    Codebook
        The checked codebook.

    Raises
    ------
    CodebookError
        Listing every problem found, each prefixed with ``source``.
    """
    problems: list[str] = []
    if not isinstance(document, Mapping):
        raise CodebookError(f"{source}: expected a mapping with `survey` and `questions`")
    unknown = sorted(set(document) - {"survey", "questions"})
    if unknown:
        problems.append(f"unknown top-level keys {unknown}; allowed: survey, questions")
    survey = document.get("survey")
    problems += _check_survey(survey)
    raw_questions = document.get("questions")
    questions: list[Question] = []
    if not isinstance(raw_questions, list) or not raw_questions:
        problems.append("`questions` must be a non-empty list")
    else:
        for index, raw in enumerate(raw_questions):
            question, found = _build_question(raw, index)
            problems += found
            if question is not None:
                questions.append(question)
        problems += _check_across(questions)
    if problems:
        raise CodebookError("\n".join(f"{source}: {problem}" for problem in problems))
    return Codebook(survey=dict(survey), questions=tuple(questions))


def _check_survey(survey: Any) -> list[str]:
    if not isinstance(survey, Mapping):
        return ["`survey` must be a mapping with " + ", ".join(sorted(_SURVEY_REQUIRED))]
    problems = []
    unknown = sorted(set(survey) - _SURVEY_KEYS)
    if unknown:
        problems.append(f"survey: unknown keys {unknown}; allowed: {sorted(_SURVEY_KEYS)}")
    missing = sorted(_SURVEY_REQUIRED - set(survey))
    if missing:
        problems.append(f"survey: missing keys {missing}")
    year = survey.get("reference_year")
    if "reference_year" in survey and (not isinstance(year, int) or isinstance(year, bool)):
        problems.append(f"survey: `reference_year` must be an integer, but {year!r} was given")
    return problems


def _build_question(raw: Any, index: int) -> tuple[Question | None, list[str]]:
    where = f"questions[{index}]"
    if not isinstance(raw, Mapping):
        return None, [f"{where}: expected a mapping, got {type(raw).__name__}"]
    where = f"{where} ({raw.get('id', '?')})"
    problems = (
        [
            f"{where}: unknown keys {sorted(set(raw) - _QUESTION_KEYS)}; "
            f"allowed: {sorted(_QUESTION_KEYS)}"
        ]
        if set(raw) - _QUESTION_KEYS
        else []
    )
    for key in ("id", "text_lv", "text_en", "type"):
        if not isinstance(raw.get(key), str) or not raw.get(key):
            problems.append(f"{where}: `{key}` must be a non-empty string")
    if problems:
        return None, problems
    if not _CODE_PATTERN.match(raw["id"]):
        problems.append(f"{where}: `id` must be snake_case ASCII, but {raw['id']!r} was given")
    if raw["type"] not in QUESTION_TYPES:
        problems.append(
            f"{where}: `type` must be one of {list(QUESTION_TYPES)}, but {raw['type']!r} was given"
        )
        return None, problems
    options, found = _build_options(raw, where)
    problems += found
    problems += _check_question_keys(raw, where, [option.code for option in options])
    if problems:
        return None, problems
    question = Question(
        id=raw["id"],
        text_lv=raw["text_lv"],
        text_en=raw["text_en"],
        type=raw["type"],
        required=bool(raw.get("required", False)),
        ordered=bool(raw.get("ordered", False)),
        options=options,
        missing_codes=tuple(str(c) for c in raw.get("missing_codes", [""])),
        other_code=raw.get("other_code"),
        asked_if={key: tuple(value) for key, value in (raw.get("asked_if") or {}).items()},
        format=raw.get("format"),
        min_value=raw.get("min_value"),
        max_value=raw.get("max_value"),
        derived=dict(raw.get("derived") or {}),
        lookup=dict(raw.get("lookup") or {}),
    )
    return question, []


def _build_options(raw: Mapping[str, Any], where: str) -> tuple[tuple[Option, ...], list[str]]:
    entries = raw.get("options")
    if raw["type"] not in CHOICE_TYPES:
        return (), (
            [f"{where}: only single and multiple questions have `options`"] if entries else []
        )
    if not isinstance(entries, list) or not entries:
        return (), [f"{where}: a {raw['type']} question needs a non-empty `options` list"]
    options, problems = [], []
    for position, entry in enumerate(entries):
        ok = (
            isinstance(entry, Mapping)
            and set(entry) == {"code", "lv", "en"}
            and all(isinstance(entry[key], str) and entry[key] for key in entry)
        )
        if not ok:
            problems.append(
                f"{where}: options[{position}] must have exactly the non-empty "
                f"string keys code, lv, en, but {entry!r} was given"
            )
            continue
        if not _CODE_PATTERN.match(entry["code"]):
            problems.append(f"{where}: option code {entry['code']!r} must be snake_case ASCII")
        options.append(Option(entry["code"], entry["lv"], entry["en"]))
    problems += _duplicates([o.code for o in options], f"{where}: duplicate option codes")
    problems += _duplicates(
        [normalise_label(o.lv) for o in options],
        f"{where}: option labels that differ only in case or accents",
    )
    return tuple(options), problems


def _check_question_keys(raw: Mapping[str, Any], where: str, codes: list[str]) -> list[str]:
    problems = []
    other = raw.get("other_code")
    if other is not None and other not in codes:
        problems.append(f"{where}: `other_code` {other!r} is not one of the codes {codes}")
    if raw.get("ordered") and raw["type"] != "single":
        problems.append(f"{where}: only single-choice questions can be `ordered`")
    if raw["type"] == "timestamp" and not raw.get("format"):
        problems.append(f"{where}: a timestamp question needs a `format` (strptime)")
    for key in ("min_value", "max_value"):
        value = raw.get(key)
        numeric = raw["type"] in ("year", "count") and isinstance(value, int)
        if value is not None and not numeric:
            problems.append(f"{where}: `{key}` must be an integer on a year or count question")
    return problems + _check_derived(raw, where, codes)


def _check_derived(raw: Mapping[str, Any], where: str, codes: list[str]) -> list[str]:
    problems = []
    derived = raw.get("derived") or {}
    allowed = _DERIVED_KEYS.get(raw["type"], set())
    if not isinstance(derived, Mapping) or set(derived) - allowed:
        problems.append(
            f"{where}: `derived` may only have {sorted(allowed)} for a "
            f"{raw['type']} question, but {derived!r} was given"
        )
        return problems
    if "band" in derived:
        band = derived["band"]
        if not isinstance(band, Mapping) or set(band) != {"column", "bounds"}:
            problems.append(f"{where}: `derived.band` needs exactly `column` and `bounds`")
        else:
            problems += [f"{where}: {p}" for p in check_bounds(band["bounds"], name="bounds")]
    if "flag" in derived:
        flag = derived["flag"]
        if (
            not isinstance(flag, Mapping)
            or set(flag) != {"column", "codes"}
            or not set(flag["codes"]) <= set(codes)
        ):
            problems.append(f"{where}: `derived.flag` needs `column` and `codes` from {codes}")
    lookup = raw.get("lookup")
    if lookup is not None and (
        raw["type"] != "text"
        or not isinstance(lookup, Mapping)
        or set(lookup) != {"code", "region"}
    ):
        problems.append(f"{where}: `lookup` is for text questions and needs `code` and `region`")
    return problems


def _check_across(questions: list[Question]) -> list[str]:
    problems = _duplicates([q.id for q in questions], "duplicate question ids")
    problems += _duplicates(
        [normalise_label(q.text_lv) for q in questions],
        "question texts that differ only in case or accents",
    )
    seen: dict[str, Question] = {}
    for question in questions:
        for other_id, codes in question.asked_if.items():
            earlier = seen.get(other_id)
            if earlier is None or earlier.type != "single":
                problems.append(
                    f"{question.id}: `asked_if` must name an earlier single-choice "
                    f"question, but {other_id!r} is not one"
                )
            elif set(codes) - set(earlier.codes):
                unknown = sorted(set(codes) - set(earlier.codes))
                problems.append(
                    f"{question.id}: `asked_if` codes {unknown} "
                    f"are not codes of {other_id!r} ({earlier.codes})"
                )
        seen[question.id] = question
    return problems


def _duplicates(values: list[str], what: str) -> list[str]:
    repeated = sorted({value for value in values if values.count(value) > 1})
    return [f"{what}: {repeated}"] if repeated else []
