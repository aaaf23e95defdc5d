"""Cleaning: shipped export, contract columns, row accounting, formats, generic questionnaire."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ruralplan.survey import clean, values
from ruralplan.survey import io as survey_io
from ruralplan.survey.codebook import normalise_label, parse_codebook
from ruralplan.survey.duplicates import row_keys


def test_shipped_export_cleans_to_145_with_the_calibrated_counts(result):
    table = result.table
    assert len(table) == 145
    counts = table["strategy_status"].value_counts(sort=False).to_dict()
    assert counts == {"current": 42, "outdated": 32, "not_needed": 31, "needed_no_resources": 40}
    assert result.summary["exclusions"] == {"duplicate_submission": 1}
    assert result.summary["rows_in"] == result.summary["rows_out"] + 1
    assert table["has_strategy"].sum() == 74


def test_contract_columns_and_dtypes(result):
    table = result.table
    assert list(table.columns[:6]) == [
        "respondent_id",
        "raw_row",
        "submitted_at",
        "org_name",
        "org_type",
        "founding_year",
    ]
    assert table["org_age_band"].cat.ordered
    assert list(table["org_age_band"].cat.categories) == ["0-4", "5-9", "10-19", "20+"]
    assert list(table["members_band"].cat.categories) == ["1-9", "10-19", "20-49", "50+"]
    assert list(table["strategy_review"].cat.categories) == [
        "annually",
        "every_few_years",
        "when_needed",
        "never",
    ]
    assert table["strategy_review"].cat.ordered and not table["strategy_status"].cat.ordered
    assert str(table["has_strategy"].dtype) == "boolean"
    assert str(table["focus__economic_activity"].dtype) == "boolean"
    assert str(table["founding_year"].dtype) == "Int64"
    no_strategy = ~table["has_strategy"]
    assert table.loc[no_strategy, "strategy_review"].isna().all()
    assert table.loc[no_strategy, "motivation__other"].isna().all()
    assert (table["org_age_years"] == 2024 - table["founding_year"]).dropna().all()
    assert set(table["planning_region"].dropna()) <= {
        "Kurzemes",
        "Latgales",
        "Rīgas",
        "Vidzemes",
        "Zemgales",
    }


def test_words_only_relations_hold_in_the_shipped_synthetic_data(result):
    table = result.table
    ages = table.groupby("has_strategy")["org_age_years"].mean()
    assert ages[True] > ages[False] + 5
    by_type = table.groupby("org_type", observed=True)["has_strategy"].mean()
    assert by_type["vrg"] == by_type.max()
    smart = table.groupby("smart_village", observed=True)["has_strategy"].mean()
    assert smart["ja"] > 0.8
    focus = table.filter(like="focus__").mean()
    assert focus.idxmax() == "focus__economic_activity"
    assert table["strategy_review"].value_counts(normalize=True)["annually"] < 0.2


def test_ambiguous_old_municipality_is_missing_with_a_logged_reason(result):
    log = result.log[result.log["rule"] == "lookup_ambiguous"]
    assert len(log) >= 1
    rows = result.table.set_index("raw_row").loc[log["row"], "municipality"]
    assert rows.isna().all()
    warnings = [p for p in result.problems if "cannot be mapped to one unit" in p.message]
    assert len(warnings) == len(log)


def test_every_change_is_logged_and_input_not_modified(raw, codebook, references):
    before = raw.copy()
    outcome = clean.clean_survey(raw, codebook, references=references)
    pd.testing.assert_frame_equal(raw, before)
    assert list(outcome.log.columns) == clean.LOG_COLUMNS
    assert outcome.log["rule"].notna().all()
    year_rows = outcome.log[outcome.log["rule"] == "year_from_text"]
    assert (year_rows["raw_value"].str.strip() != year_rows["clean_value"]).all()


def test_age_bands_overridable(raw, codebook, references):
    outcome = clean.clean_survey(
        raw, codebook, references=references, bands={"org_age_band": [0, 10, 30]}
    )
    assert list(outcome.table["org_age_band"].cat.categories) == ["0-9", "10-29", "30+"]
    with pytest.raises(clean.CleaningError, match="must be increasing"):
        clean.clean_survey(raw, codebook, references=references, bands={"org_age_band": [10, 5]})


def test_same_export_in_five_formats_cleans_identically(raw, codebook, references, tmp_path):
    import pyreadstat

    paths = {
        "utf8": tmp_path / "a.csv",
        "bom": tmp_path / "b.csv",
        "cp1257": tmp_path / "c.csv",
        "xlsx": tmp_path / "d.xlsx",
        "sav": tmp_path / "e.sav",
    }
    raw.to_csv(paths["utf8"], index=False, encoding="utf-8")
    raw.to_csv(paths["bom"], index=False, encoding="utf-8-sig")
    raw.to_csv(paths["cp1257"], index=False, encoding="cp1257", sep=";")
    raw.to_excel(paths["xlsx"], index=False)
    named = raw.copy()
    named.columns = [f"q{i:02d}" for i in range(raw.shape[1])]
    pyreadstat.write_sav(named.astype(str), str(paths["sav"]), column_labels=list(raw.columns))
    expected = clean.clean_survey(raw, codebook, references=references).table
    for name, path in paths.items():
        table = clean.clean_survey(
            survey_io.read_export(path), codebook, references=references
        ).table
        pd.testing.assert_frame_equal(table, expected, obj=name)


def test_reordered_and_extra_columns_are_tolerated(raw, codebook, references, result):
    shuffled = raw[list(reversed(raw.columns))].copy()
    shuffled.insert(3, "Papildu kolonna", "x")
    table = clean.clean_survey(shuffled, codebook, references=references).table
    pd.testing.assert_frame_equal(table, result.table)


# ---- pure helpers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2005", 2005),
        ("2005.", 2005),
        ("2005. gadā", 2005),
        ("ap 1998", 1998),
        ("apm. 1998.", 1998),
        ("", None),
        ("1998/2005", None),
        ("05", None),
        ("pirms 20 gadiem", None),
        ("1978.0", 1978),  # SPSS and spreadsheets write whole numbers so
        ("1978,00", 1978),
        ("1978.5", None),  # not a whole year
        ("-1978", -1978),  # refused later as out of range, not read as 1978
    ],
)
def test_parse_year(text, year):
    assert values.parse_year(text) == year


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("25", 25),
        ("ap. 25", 25),
        ("-5", -5),  # issue 16: was read as 5
        ("\u22125", -5),  # the minus sign character
        ("56.0", 56),
        ("12.5", None),
        ("2,000", None),  # a thousands separator or three decimals: not certain
        ("20-30", None),
        ("daudz", None),
    ],
)
def test_parse_count(text, count):
    assert values.parse_count(text) == count


def test_negative_count_is_an_impossible_value(raw, codebook, references):
    changed = raw.copy()
    changed.iloc[1, 5] = "-5"
    problems = clean.find_problems(changed, codebook, references=references)
    assert [(p.row, p.column, p.message) for p in problems if p.severity == "error"] == [
        (2, "members_count", "'-5': impossible value -5; expected 1 to 5000")
    ]


def test_iso_timestamps_as_date_cells_give_the_same_moment(raw, codebook, references, result):
    changed = raw.copy()
    stamps = pd.to_datetime(raw.iloc[:, 0], format="%d.%m.%Y %H:%M:%S")
    changed.iloc[:, 0] = stamps.dt.strftime("%Y-%m-%d %H:%M:%S").astype("str")
    outcome = clean.clean_survey(changed, codebook, references=references)
    pd.testing.assert_frame_equal(outcome.table, result.table)
    pd.testing.assert_frame_equal(outcome.log, result.log)


def test_timestamp_in_neither_form_names_both(raw, codebook, references):
    changed = raw.copy()
    changed.iloc[0, 0] = "2024/03/04 08:00"
    problems = clean.find_problems(changed, codebook, references=references)
    assert problems[0].message == (
        "'2024/03/04 08:00': not a date and time; expected the format %d.%m.%Y %H:%M:%S or ISO "
        "8601 (2024-03-04 08:00:12)"
    )


def test_control_character_in_an_answer_is_an_error_naming_row_and_column(
    raw, codebook, references
):
    changed = raw.copy()
    changed.iloc[2, 13] = "labi\x1b[31m"
    problems = clean.find_problems(changed, codebook, references=references)
    assert (3, "comment") in {(p.row, p.column) for p in problems if p.severity == "error"}
    assert any("control character U+001B (ESC)" in p.message for p in problems)


def test_rows_without_any_answer_are_refused_when_no_row_has_one(raw, codebook, references):
    stamps_only = raw.head(3).copy()
    stamps_only.iloc[:, 1:] = ""
    with pytest.raises(clean.CleaningError, match="none of the 3 rows answers a question"):
        clean.clean_survey(stamps_only, codebook, references=references)


def test_one_row_export_cleans_to_its_row(raw, codebook, references, result):
    one = clean.clean_survey(raw.head(1), codebook, references=references)
    assert one.summary["rows_in"] == one.summary["rows_out"] == 1
    pd.testing.assert_frame_equal(one.table, result.table.head(1))
    first_row_log = result.log[result.log["row"] == 1].reset_index(drop=True)
    pd.testing.assert_frame_equal(one.log.astype(str), first_row_log.astype(str))


def test_cleaning_error_names_the_file_when_read_from_one(project_root, codebook, references):
    path = project_root / "tests/data/survey/year_1066.csv"
    with pytest.raises(clean.CleaningError) as caught:
        clean.clean_survey(survey_io.read_export(path), codebook, references=references)
    assert str(caught.value) == (
        f"{path}:2:founding_year: '1066': impossible value 1066; expected 1850 to 2024"
    )


@given(
    st.integers(min_value=1000, max_value=9999),
    st.sampled_from(["{}", "{}.", "{}. gadā", "ap {}", " {} "]),
)
def test_parse_year_reads_any_written_form(year, form):
    assert values.parse_year(form.format(year)) == year


@given(st.text())
def test_normalising_twice_changes_nothing(text):
    assert normalise_label(normalise_label(text)) == normalise_label(text)


def test_split_multiple_with_commas_inside_labels(codebook):
    focus = codebook.question("focus")
    cell = (
        "Ekonomiskās aktivitātes veicināšana (vietējie uzņēmēji, mājražotāji, darba vietas), "
        "Kultūras pasākumi, kopienas iesaiste, vide"
    )
    assert values.split_multiple(cell, focus) == (
        ["economic_activity", "culture_events", "environment"],
        None,
        [],
    )


def test_split_multiple_other_text_keeps_its_commas(codebook):
    challenges = codebook.question("challenges")
    codes, other, unknown = values.split_multiple("Trūkst laika, Cits: telpas, ceļi", challenges)
    assert (codes, other, unknown) == (["time", "other"], "telpas, ceļi", [])


@given(st.data())
def test_split_multiple_recovers_any_subset(codebook, data):
    question = codebook.question("challenges")
    chosen = data.draw(st.lists(st.sampled_from(question.codes[:-1]), unique=True, min_size=1))
    order = data.draw(st.permutations(chosen))
    slip = data.draw(st.sampled_from([str, str.lower, str.upper]))
    cell = ", ".join(slip(question.label(code)) for code in order)
    codes, other, unknown = values.split_multiple(cell, question)
    assert (set(codes), other, unknown) == (set(chosen), None, [])


def test_assign_bands_edges():
    bands = values.assign_bands([0, 4, 5, 9, 10, 19, 20, None], [0, 5, 10, 20])
    assert list(bands[:7]) == ["0-4", "0-4", "5-9", "5-9", "10-19", "10-19", "20+"]
    assert pd.isna(bands[7])


# ---- a second, made-up questionnaire proves nothing study-specific is in the code ----------------

TINY = {
    "survey": {"id": "cafe", "title_lv": "Kafija", "title_en": "Coffee", "reference_year": 2000},
    "questions": [
        {
            "id": "drink",
            "text_lv": "Ko dzerat?",
            "text_en": "Drink?",
            "type": "single",
            "required": True,
            "ordered": True,
            "options": [
                {"code": "small", "lv": "Mazu, lūdzu", "en": "Small"},
                {"code": "large", "lv": "Lielu", "en": "Large"},
            ],
        },
        {
            "id": "extras",
            "text_lv": "Piedevas",
            "text_en": "Extras",
            "type": "multiple",
            "other_code": "else",
            "options": [
                {"code": "milk", "lv": "Piens, auzu", "en": "Oat milk"},
                {"code": "sugar", "lv": "Cukurs", "en": "Sugar"},
                {"code": "else", "lv": "Kas cits", "en": "Other"},
            ],
        },
        {
            "id": "cups",
            "text_lv": "Cik tases?",
            "text_en": "Cups?",
            "type": "count",
            "derived": {"band": {"column": "cups_band", "bounds": [0, 2]}},
        },
    ],
}


def test_validate_and_clean_a_tiny_unrelated_questionnaire(tmp_path, monkeypatch, capsys):
    codebook = parse_codebook(TINY)
    raw = pd.DataFrame(
        {
            "cik tases?": ["1", "3 tases", "2"],
            "KO DZERAT?": ["Mazu, lūdzu", "lielu ", "Mazu, ludzu"],
            "Piedevas": ["Piens, auzu, Cukurs", "Kas cits: medus", ""],
        },
        dtype=object,
    )
    assert clean.find_problems(raw, codebook) == []
    table = clean.clean_survey(raw, codebook).table
    assert list(table["drink"]) == ["small", "large", "small"]
    assert table["drink"].cat.ordered
    assert table["extras__milk"].tolist()[:2] == [True, False]
    assert pd.isna(table.loc[2, "extras__milk"])
    assert table.loc[1, "extras_other_text"] == "medus"
    assert list(table["cups"]) == [1, 3, 2]
    assert list(table["cups_band"].astype(str)) == ["0-1", "2+", "2+"]
    bad = raw.assign(**{"KO DZERAT?": ["Tēju", "Lielu", "Lielu"]})
    problems = clean.find_problems(bad, codebook)
    assert [(p.row, p.column) for p in problems] == [(1, "drink")]
    assert "expected one of ['Mazu, lūdzu', 'Lielu']" in problems[0].message


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["x", "y", None]),
            st.sampled_from([True, False, None]),
            st.sampled_from(["p", "q", None]),
            st.sampled_from([1, 2, None]),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_row_keys_equal_exactly_for_equal_rows(rows):
    table = pd.DataFrame(
        {
            "a": pd.Categorical([r[0] for r in rows], categories=["x", "y"]),
            "b": pd.array([r[1] for r in rows], dtype="boolean"),
            "s": pd.array([r[2] for r in rows], dtype="string"),
            "i": pd.array([r[3] for r in rows], dtype="Int64"),
        }
    )
    keys = row_keys(table).tolist()
    first_seen: dict[tuple, int] = {}
    expected = [first_seen.setdefault(row, len(first_seen)) for row in rows]
    assert keys == expected


_DIGITS = st.one_of(
    st.text(alphabet="0123456789", min_size=1, max_size=4),
    st.integers(min_value=0, max_value=61).map("{:02d}".format),  # zero-padded, maybe invalid
    st.integers(min_value=0, max_value=9999).map("{:04d}".format),
)


@given(
    st.lists(
        st.tuples(
            _DIGITS, _DIGITS, _DIGITS, _DIGITS, _DIGITS, _DIGITS, st.sampled_from(["", " ", "x"])
        ),
        min_size=1,
        max_size=20,
    )
)
def test_parse_datetimes_agrees_with_pandas(parts):
    fmt = "%d.%m.%Y %H:%M:%S"
    cells = pd.Series(
        [f"{d}.{m}.{y} {h}:{mi}:{s}{tail}" for d, m, y, h, mi, s, tail in parts]
        + ["04.03.2024 08:00:12", "29.02.2023 10:00:00", "31.12.1999 23:59:60"],
        dtype="str",
    )
    expected = pd.to_datetime(cells, format=fmt, errors="coerce")
    pd.testing.assert_series_equal(values.parse_datetimes(cells, fmt), expected)


def test_parse_datetimes_other_formats_go_to_pandas():
    cells = pd.Series(["2024-03-04T08:00", "March 4 2024 8:00", "x"], dtype="str")
    for fmt in ("%Y-%m-%dT%H:%M", "%B %d %Y %H:%M"):
        pd.testing.assert_series_equal(
            values.parse_datetimes(cells, fmt), pd.to_datetime(cells, format=fmt, errors="coerce")
        )
