"""The codebook loader: the shipped codebook loads, and malformed codebooks fail precisely."""

from __future__ import annotations

import copy

import pytest

from ruralplan.survey.codebook import (
    CodebookError,
    band_labels,
    normalise_label,
    parse_codebook,
)
from ruralplan.survey.io import read_survey_codebook

MINIMAL = {
    "survey": {"id": "t", "title_lv": "T", "title_en": "T", "reference_year": 2020},
    "questions": [
        {
            "id": "colour",
            "text_lv": "Krāsa",
            "text_en": "Colour",
            "type": "single",
            "options": [
                {"code": "red", "lv": "Sarkana", "en": "Red"},
                {"code": "blue", "lv": "Zila", "en": "Blue"},
            ],
        },
        {
            "id": "born",
            "text_lv": "Gads",
            "text_en": "Year",
            "type": "year",
            "derived": {"age": "age_years", "band": {"column": "age_band", "bounds": [0, 10]}},
        },
    ],
}


def _with(change):
    document = copy.deepcopy(MINIMAL)
    change(document)
    return document


def test_shipped_codebook_loads_with_the_contract_ids(project_root):
    codebook = read_survey_codebook(project_root / "data/codebooks/survey.yaml")
    assert codebook.ids[:3] == ["submitted_at", "org_name", "org_type"]
    status = codebook.question("strategy_status")
    assert status.codes == ["current", "outdated", "not_needed", "needed_no_resources"]
    assert codebook.question("focus").codes[0] == "economic_activity"
    assert codebook.question("strategy_review").ordered is True
    assert codebook.reference_year == 2024
    assert codebook.question("org_type").label("vrg", "en") == "Local action group"


def test_label_of_unknown_code_names_the_known_codes():
    question = parse_codebook(MINIMAL).question("colour")
    with pytest.raises(KeyError, match=r"no option 'green'.*\['red', 'blue'\]"):
        question.label("green")


def test_unknown_question_id_lists_known_ids():
    with pytest.raises(KeyError, match="known ids are"):
        parse_codebook(MINIMAL).question("size")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["questions"].append(copy.deepcopy(d["questions"][0])),
            "duplicate question ids: \\['colour'\\]",
        ),
        (
            lambda d: d["questions"][0]["options"].append({"code": "red", "lv": "X", "en": "X"}),
            "duplicate option codes: \\['red'\\]",
        ),
        (
            lambda d: d["questions"][0]["options"].append(
                {"code": "r2", "lv": "SARKANA", "en": "X"}
            ),
            "differ only in case or accents",
        ),
        (lambda d: d["questions"][0].update(colour_hint="x"), "unknown keys \\['colour_hint'\\]"),
        (lambda d: d.update(extra=1), "unknown top-level keys \\['extra'\\]"),
        (lambda d: d["questions"][0].update(other_code="green"), "`other_code` 'green'"),
        (lambda d: d["questions"][0].update(type="choice"), "`type` must be one of"),
        (
            lambda d: d["questions"][1]["derived"]["band"].update(bounds=[10, 5]),
            "must be increasing, but \\[10, 5\\]",
        ),
        (lambda d: d["survey"].pop("reference_year"), "missing keys \\['reference_year'\\]"),
        (
            lambda d: d["questions"][1].update(asked_if={"colour": ["green"]}),
            "`asked_if` codes \\['green'\\]",
        ),
    ],
    ids=[
        "dup-id",
        "dup-code",
        "dup-label",
        "unknown-key",
        "unknown-top",
        "other-code",
        "bad-type",
        "bounds",
        "no-year",
        "asked-if",
    ],
)
def test_malformed_codebook_is_refused_with_a_precise_message(change, message):
    with pytest.raises(CodebookError, match=message):
        parse_codebook(_with(change), source="cb.yaml")


def test_every_problem_is_reported_at_once():
    def two_problems(document):
        document["questions"][0]["options"][1]["code"] = "red"
        document["questions"][1]["type"] = "number"

    with pytest.raises(CodebookError) as caught:
        parse_codebook(_with(two_problems), source="cb.yaml")
    lines = str(caught.value).splitlines()
    assert len(lines) == 2 and all(line.startswith("cb.yaml: ") for line in lines)


def test_missing_file_is_a_codebook_error(tmp_path):
    with pytest.raises(CodebookError, match="cannot read"):
        read_survey_codebook(tmp_path / "nope.yaml")


def test_band_labels_from_lower_bounds():
    assert band_labels([1, 10, 20, 50]) == ["1-9", "10-19", "20-49", "50+"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Stratēģija", "strategija"),
        ("  Jā,\tbet  ", "ja, bet"),
        ("„labi”", '"labi"'),
        ("ĶEGUMA novads", "keguma novads"),
    ],
)
def test_normalise_label(raw, expected):
    assert normalise_label(raw) == expected
