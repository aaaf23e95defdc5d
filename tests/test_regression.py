"""ruralplan.analysis.regression against R's glm (tests/data/r/) and on degenerate data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ruralplan.analysis import regression

PREDICTORS = ["org_age_years", "org_type", "smart_village"]
# R names treatment contrasts by pasting the level to the variable name
R_TERMS = {
    "(Intercept)": "Intercept",
    "org_age_years": "org_age_years",
    "org_typevrg": "org_type[vrg]",
    "org_typeneformala_kopiena": "org_type[neformala_kopiena]",
    "smart_villageja": "smart_village[ja]",
}


@pytest.fixture
def data(project_root):
    frame = pd.read_csv(project_root / "tests/data/r/logit_data.csv")
    frame["has_strategy"] = frame["has_strategy"].astype("boolean")
    frame["org_type"] = pd.Categorical(
        frame["org_type"], categories=["biedriba", "vrg", "neformala_kopiena", "cits"]
    )
    frame["smart_village"] = pd.Categorical(frame["smart_village"], categories=["ne", "ja"])
    frame["org_age_years"] = frame["org_age_years"].astype("Int64")
    return frame


def test_logit_matches_r_glm(project_root, data):
    reference = pd.read_csv(project_root / "tests/data/r/r_logit.csv")
    reference["term"] = reference["term"].map(R_TERMS)
    result = regression.fit_logit(data, outcome="has_strategy", predictors=PREDICTORS)
    ours = result.coefficients.set_index("term").loc[reference["term"]]
    for column in ("estimate", "std_error", "z", "p_value"):
        np.testing.assert_allclose(ours[column], reference[column], rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(ours["ci_low"], np.exp(reference["ci_low"]), rtol=1e-6)
    np.testing.assert_allclose(ours["ci_high"], np.exp(reference["ci_high"]), rtol=1e-6)
    np.testing.assert_allclose(ours["odds_ratio"], np.exp(reference["estimate"]), rtol=1e-6)
    assert result.summary["n"] == 80 and result.summary["converged"]


@pytest.mark.parametrize("value", [True, False], ids=["all-true", "all-false"])
def test_a_one_level_boolean_predictor_is_not_defined_as_in_r(project_root, data, value):
    # R: glm(has_strategy ~ ... + flag) with a constant flag reports flag as NA ("not defined
    # because of singularities") and every other estimate as in the model without it, which
    # is r_logit.csv; the flag must neither take half the intercept nor get a fake 0 +/- 0.
    data["flag"] = pd.array([value] * len(data), dtype="boolean")
    reference = pd.read_csv(project_root / "tests/data/r/r_logit.csv")
    reference["term"] = reference["term"].map(R_TERMS)
    result = regression.fit_logit(data, outcome="has_strategy", predictors=[*PREDICTORS, "flag"])
    table = result.coefficients.set_index("term")
    assert table.loc["flag", regression.COEFFICIENT_COLUMNS[1:]].isna().all()
    ours = table.loc[reference["term"]]
    for column in ("estimate", "std_error", "p_value"):
        np.testing.assert_allclose(ours[column], reference[column], rtol=1e-6, atol=1e-8)
    assert result.summary["n_parameters"] == 5
    undefined = result.warnings.set_index("code").loc["not_defined"]
    assert "flag" in undefined["message_en"] and "flag" in undefined["message_lv"]


def test_a_one_level_category_is_reported_not_silently_left_out(data):
    data["region"] = pd.Categorical(["Kurzeme"] * len(data), categories=["Kurzeme", "Vidzeme"])
    result = regression.fit_logit(data, outcome="has_strategy", predictors=["region"])
    assert list(result.coefficients["term"]) == ["Intercept"]
    message = result.warnings.set_index("code").loc["not_defined", "message_en"]
    assert "region" in message


def test_few_events_and_empty_category_are_warned(data):
    result = regression.fit_logit(data, outcome="has_strategy", predictors=PREDICTORS)
    # 41 events, 39 non-events, 5 coefficients: 39 / 4 = 9.75 events per variable, below 10
    assert result.summary["events_per_variable"] == pytest.approx(9.75)
    assert list(result.warnings["code"]) == ["few_events", "empty_categories"]
    assert "org_type=cits" in result.warnings.loc[1, "message_en"]
    assert "9,8" in result.warnings.loc[0, "message_lv"]


def test_quasi_complete_separation_is_warned_not_hidden(data):
    data.loc[data["org_type"] == "vrg", "has_strategy"] = True
    result = regression.fit_logit(data, outcome="has_strategy", predictors=PREDICTORS)
    codes = set(result.warnings["code"])
    assert {"separation", "huge_std_error"} <= codes
    vrg = result.coefficients.set_index("term").loc["org_type[vrg]"]
    assert vrg["std_error"] > regression.MAX_STD_ERROR


@pytest.mark.parametrize("cut", [">", ">="], ids=["complete", "quasi-complete"])
def test_separation_by_a_numeric_predictor_is_warned(data, cut):
    # y = age > 20: a threshold on age predicts every outcome (complete separation); with
    # age >= 20 and the respondents aged exactly 20 split both ways, all but those
    # (quasi-complete separation, Albert & Anderson 1984). Either way the MLE does not exist.
    age = data["org_age_years"].astype(int)
    outcome = age > 20 if cut == ">" else age >= 20
    if cut == ">=":
        at_20 = np.flatnonzero(age == 20)
        assert len(at_20) >= 2
        outcome[at_20[0]] = False
    data["old"] = pd.array(outcome, dtype="boolean")
    result = regression.fit_logit(data, outcome="old", predictors=["org_age_years"])
    message = result.warnings.set_index("code").loc["separation", "message_en"]
    assert "org_age_years" in message


def test_separation_by_a_boolean_predictor_is_warned(data):
    # every respondent with the flag has a strategy: the flag's odds ratio is infinite
    data["flag"] = pd.array(data["has_strategy"] & (data["org_age_years"] > 10), dtype="boolean")
    result = regression.fit_logit(data, outcome="has_strategy", predictors=["flag"])
    message = result.warnings.set_index("code").loc["separation", "message_en"]
    assert "flag=True" in message


def test_separation_by_two_numeric_predictors_together_is_warned():
    # y = a > b: neither a nor b alone predicts y, a - b does (a separating hyperplane)
    rng = np.random.default_rng(5)
    a, b = rng.integers(0, 50, 60), rng.integers(0, 50, 60)
    keep = a != b
    frame = pd.DataFrame({"a": a[keep], "b": b[keep]})
    frame["y"] = pd.array(frame["a"] > frame["b"], dtype="boolean")
    for single in ("a", "b"):
        alone = regression.fit_logit(frame, outcome="y", predictors=[single])
        assert "separation" not in set(alone.warnings["code"])
    result = regression.fit_logit(frame, outcome="y", predictors=["a", "b"])
    message = result.warnings.set_index("code").loc["separation", "message_en"]
    assert "a, b" in message


def test_missing_rows_are_counted(data):
    data.loc[[0, 1, 2], "org_age_years"] = pd.NA
    result = regression.fit_logit(data, outcome="has_strategy", predictors=PREDICTORS)
    assert (result.summary["n"], result.summary["n_missing"]) == (77, 3)


def test_a_constant_outcome_gives_a_warning_not_a_traceback(data):
    data["has_strategy"] = pd.array([True] * len(data), dtype="boolean")
    result = regression.fit_logit(data, outcome="has_strategy", predictors=["org_age_years"])
    assert len(result.warnings) > 0
    assert set(result.warnings["code"]) & {
        "fit_failed",
        "separation",
        "few_events",
        "huge_std_error",
        "not_converged",
    }


@pytest.mark.parametrize(
    ("outcome", "predictors", "message"),
    [
        ("has_strategy", ["age"], "not in the data"),
        ("org_type", ["org_age_years"], "must be boolean"),
    ],
)
def test_bad_columns_raise_clear_errors(data, outcome, predictors, message):
    with pytest.raises(ValueError, match=message):
        regression.fit_logit(data, outcome=outcome, predictors=predictors)


def test_every_row_missing_gives_a_clear_error_naming_the_gaps(data):
    # 80 rows; the outcome is blank in all of them, age in 3 (the issue: numpy's "zero-size
    # array to reduction operation" escaped instead)
    data["has_strategy"] = pd.array([pd.NA] * len(data), dtype="boolean")
    data.loc[[0, 1, 2], "org_age_years"] = pd.NA
    with pytest.raises(
        ValueError,
        match=r"No row has the outcome and every predictor.*of 80 rows, missing values per "
        r"column: has_strategy 80, org_age_years 3\.",
    ):
        regression.fit_logit(data, outcome="has_strategy", predictors=PREDICTORS)


def test_validate_model():
    spec = {"logit": {"outcome": "has_strategy", "predictors": ["a", "b"]}}
    assert regression.validate_model(spec) == ("has_strategy", ["a", "b"])
    with pytest.raises(ValueError, match="pairs.yaml: expected `logit:`"):
        regression.validate_model({"logit": {"outcome": "x"}}, source="pairs.yaml")
