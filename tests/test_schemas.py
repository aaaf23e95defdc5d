"""pandera schemas built from the codebook: shipped data passes, planted faults are named."""

from __future__ import annotations

import pandas as pd
import pytest

from ruralplan.pipeline.cli import main
from ruralplan.survey import clean, parsing, schemas
from ruralplan.survey import io as survey_io
from ruralplan.survey.codebook import parse_codebook
from ruralplan.survey.columns import match_columns

ASKED = "an answer although the question was not asked; expected missing (asked only when "


def _problems(table, codebook, references, **options):
    return [
        (p.row, p.column, p.message)
        for p in schemas.check_clean(table, codebook, references=references, **options)
    ]


# ---- the shipped (synthetic) data passes -------------------------------------------------------


def test_shipped_export_passes_the_raw_schema(raw, codebook):
    mapping, _ = match_columns(list(raw.columns), codebook)
    assert schemas.check_raw(raw, codebook, mapping) == []


def test_shipped_clean_table_passes_the_clean_schema(result, codebook, references):
    assert _problems(result.table, codebook, references) == []
    assert _problems(result.table, codebook, None) == []


def test_clean_schema_columns_follow_the_codebook(result, codebook, references):
    schema = schemas.clean_schema(codebook, references=references)
    assert list(schema.columns) == list(result.table.columns)
    review = schema.columns["strategy_review"].dtype.type
    assert list(review.categories) == codebook.question("strategy_review").codes
    assert review.ordered


# ---- planted faults in the clean table ----------------------------------------------------------


def test_each_planted_cell_fault_is_named_with_its_raw_row(result, codebook, references):
    table = result.table.copy()
    # positions after the excluded duplicate: raw_row differs from position + 1
    after = int(result.exclusions["row"].iloc[0])
    position = after  # the row just after the excluded one, 0-based position
    raw_row = int(table.loc[position, "raw_row"])
    assert raw_row == position + 2
    table.loc[position, "founding_year"] = 1066
    table.loc[position, "municipality"] = "Jaunciems"
    no_strategy = table.index[table["has_strategy"].eq(False)][0]
    table.loc[no_strategy, "strategy_review"] = "annually"
    table.loc[no_strategy, "focus__heritage"] = pd.NA
    row = int(table.loc[no_strategy, "raw_row"])
    assert _problems(table, codebook, references) == sorted(
        [
            (raw_row, "founding_year", "1066: expected a value from 1850 to 2024"),
            (raw_row, "municipality", "'Jaunciems': expected a name from the reference list"),
            (
                row,
                "focus",
                "some options missing and others not; expected every option "
                "True/False, or all missing",
            ),
            (row, "strategy_review", ASKED + "strategy_status in ['current', 'outdated'])"),
        ]
    )


def test_repeated_respondent_id_is_reported_on_both_rows(result, codebook, references):
    table = result.table.copy()
    table.loc[1, "respondent_id"] = table.loc[0, "respondent_id"]
    message = "'R001' appears more than once; expected each value once"
    assert _problems(table, codebook, references) == [
        (1, "respondent_id", message),
        (2, "respondent_id", message),
    ]


def test_column_and_dtype_faults_are_whole_table_problems(result, codebook, references):
    table = result.table.drop(columns=["comment"]).assign(extra=1)
    table["strategy_status"] = table["strategy_status"].cat.add_categories(["maybe"])
    table["members_band"] = table["members_band"].cat.as_unordered()
    found = _problems(table, codebook, references)
    codes = codebook.question("strategy_status").codes
    assert found == [
        (0, "comment", "column missing; expected a column 'comment' (clean survey)"),
        (0, "extra", "column not in the codebook; expected only the columns of the clean survey"),
        (
            0,
            "members_band",
            "dtype category with categories ['1-9', '10-19', '20-49', '50+']; "
            "expected category with ordered categories "
            "['1-9', '10-19', '20-49', '50+']",
        ),
        (
            0,
            "strategy_status",
            f"dtype category with categories {codes + ['maybe']}; expected "
            f"category with categories {codes}",
        ),
    ]


def test_strict_required_asks_for_answers_to_required_questions(result, codebook, references):
    table = result.table.copy()
    table.loc[2, "org_type"] = pd.NA
    assert _problems(table, codebook, references) == []
    assert _problems(table, codebook, references, strict_required=True) == [
        (3, "org_type", "missing value; expected an answer")
    ]


def test_band_override_changes_the_expected_categories(raw, codebook, references):
    bands = {"org_age_band": [0, 10, 30]}
    table = clean.clean_survey(raw, codebook, references=references, bands=bands).table
    assert schemas.check_clean(table, codebook, references=references, bands=bands) == []
    assert [p.column for p in schemas.check_clean(table, codebook, references=references)] == [
        "org_age_band"
    ]


def test_cleaning_refuses_to_return_a_table_that_breaks_its_schema(
    raw, codebook, references, monkeypatch
):
    def unordered(values, bounds):
        return pd.Categorical(["x"] * len(values))

    monkeypatch.setattr(parsing, "assign_bands", unordered)
    with pytest.raises(clean.CleaningError) as caught:
        clean.clean_survey(raw, codebook, references=references)
    assert {(p.row, p.column) for p in caught.value.problems} == {
        (0, "org_age_band"),
        (0, "members_band"),
    }
    assert all(p.message.startswith("clean table: dtype category") for p in caught.value.problems)


# ---- the raw schema: submissions without any answer ---------------------------------------------


def test_empty_submissions_are_reported_and_excluded(
    raw, codebook, references, result, tmp_path, monkeypatch, capsys, project_root
):
    empty = pd.DataFrame([[""] * raw.shape[1]] * 2, columns=raw.columns, dtype="str")
    empty.iloc[0, 0] = raw.iloc[0, 0]  # a timestamp alone is not an answer
    bad = pd.concat([raw.iloc[:3], empty, raw.iloc[3:]], ignore_index=True)
    path = tmp_path / "export.csv"
    survey_io.write_export(bad, path)
    monkeypatch.chdir(project_root)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    message = (
        "-: warning: no answer to any question; expected at least one answer; "
        "excluded as empty_submission"
    )
    assert f"{path}:4:{message}" in out and f"{path}:5:{message}" in out
    outcome = clean.clean_survey(survey_io.read_export(path), codebook, references=references)
    duplicate = int(result.exclusions["row"].iloc[0]) + 2  # two rows inserted before it
    assert outcome.exclusions[["row", "reason"]].values.tolist() == [
        [4, "empty_submission"],
        [5, "empty_submission"],
        [duplicate, "duplicate_submission"],
    ]
    assert outcome.summary["rows_out"] == 145
    assert outcome.summary["exclusions"] == {"duplicate_submission": 1, "empty_submission": 2}


def test_unanswered_ignores_the_timestamp_and_blank_codes(codebook):
    view = pd.DataFrame(
        {
            "submitted_at": ["01.01.2024 10:00:00", "", " "],
            "org_name": ["  ", "Kopiena", ""],
            "comment": ["", "", " "],
        },
        dtype="str",
    )
    assert schemas.unanswered(view, codebook).tolist() == [True, False, True]


# ---- a tiny made-up questionnaire ----------------------------------------------------------------

TINY = {
    "survey": {"id": "garden", "title_lv": "Dārzs", "title_en": "Garden", "reference_year": 2010},
    "questions": [
        {
            "id": "grows",
            "text_lv": "Vai audzējat?",
            "text_en": "Grow?",
            "type": "single",
            "required": True,
            "options": [
                {"code": "yes", "lv": "Jā", "en": "Yes"},
                {"code": "no", "lv": "Nē", "en": "No"},
            ],
        },
        {
            "id": "crops",
            "text_lv": "Ko audzējat?",
            "text_en": "What?",
            "type": "multiple",
            "asked_if": {"grows": ["yes"]},
            "options": [
                {"code": "beans", "lv": "Pupas", "en": "Beans"},
                {"code": "kale", "lv": "Kāposti", "en": "Kale"},
            ],
        },
        {
            "id": "since",
            "text_lv": "Kopš kura gada?",
            "text_en": "Since?",
            "type": "year",
            "min_value": 1950,
        },
    ],
}


def test_tiny_questionnaire_schemas(monkeypatch):
    codebook = parse_codebook(TINY)
    raw = pd.DataFrame(
        {
            "Vai audzējat?": ["Jā", "Nē", ""],
            "Ko audzējat?": ["Pupas, Kāposti", "", ""],
            "Kopš kura gada?": ["1999", "", ""],
        },
        dtype=object,
    )
    mapping, _ = match_columns(list(raw.columns), codebook)
    assert [p.row for p in schemas.check_raw(raw, codebook, mapping)] == [3]
    outcome = clean.clean_survey(raw, codebook)
    assert list(outcome.exclusions["reason"]) == ["empty_submission"]
    table = outcome.table
    assert schemas.check_clean(table, codebook) == []
    assert list(schemas.clean_schema(codebook).columns) == [
        "respondent_id",
        "raw_row",
        "grows",
        "crops__beans",
        "crops__kale",
        "since",
    ]
    table.loc[1, "crops__kale"] = True
    table.loc[0, "since"] = 1900
    assert [(p.row, p.column, p.message) for p in schemas.check_clean(table, codebook)] == [
        (1, "since", "1900: expected a value from 1950 to 2010"),
        (2, "crops", ASKED + "grows in ['yes'])"),
        (
            2,
            "crops",
            "some options missing and others not; expected every option True/False, or all missing",
        ),
    ]


def test_tiny_raw_schema_requires_required_columns_only():
    codebook = parse_codebook(TINY)
    schema = schemas.raw_schema(codebook)
    assert schema.columns["grows"].required
    assert not schema.columns["crops"].required and not schema.columns["since"].required
    view = pd.DataFrame({"since": pd.Series(["1999"], dtype="str")})
    found = schemas.validate(schema, view, pd.Series([1]).to_numpy())
    assert [(p.row, p.column, p.message) for p in found] == [
        (0, "grows", "column missing; expected a column 'grows' (raw export)")
    ]
