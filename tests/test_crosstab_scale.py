"""The fast paths for large data give the answers of the slow ones.

Tables are counted with integer codes instead of Python lists, and the logistic regression is
fitted on distinct covariate patterns with frequency weights: both must agree with an
independent computation (pandas' crosstab, R's glm on the original rows).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ruralplan.analysis import crosstab, regression

R_TERMS = {
    "(Intercept)": "Intercept",
    "org_age_years": "org_age_years",
    "org_typevrg": "org_type[vrg]",
    "org_typeneformala_kopiena": "org_type[neformala_kopiena]",
    "smart_villageja": "smart_village[ja]",
}
PREDICTORS = ["org_age_years", "org_type", "smart_village"]


def _mixed(n=500, seed=5):
    rng = np.random.default_rng(seed)
    level = pd.Categorical(
        rng.choice(["a", "b", "c", None], n, p=[0.4, 0.3, 0.2, 0.1]),
        categories=["c", "a", "b", "unused"],
        ordered=True,
    )
    age = pd.array(rng.integers(0, 12, n), dtype="Int64")
    age[rng.random(n) < 0.1] = pd.NA
    flag = pd.array(rng.random(n) < 0.4, dtype="boolean")
    flag[rng.random(n) < 0.05] = pd.NA
    outcome = pd.array(rng.random(n) < 0.5, dtype="boolean")
    outcome[rng.random(n) < 0.05] = pd.NA
    return pd.DataFrame({"y": outcome, "level": level, "age": age, "flag": flag})


@pytest.mark.parametrize("predictor", ["level", "age", "flag"])
def test_counts_agree_with_pandas_crosstab(predictor):
    data = _mixed()
    prepared = crosstab.prepare_table(data, outcome="y", predictor=predictor)
    complete = data[["y", predictor]].dropna()
    expected = pd.crosstab(
        complete[predictor].astype(object), complete["y"].astype(bool), dropna=False
    )
    ours = prepared.counts.copy()
    ours.index, ours.columns = list(ours.index), [bool(c) for c in ours.columns]
    expected = expected.reindex(index=list(ours.index), columns=list(ours.columns))
    np.testing.assert_array_equal(ours.to_numpy(), expected.to_numpy())
    assert prepared.n == len(complete)
    assert prepared.n_missing == len(data) - len(complete)


def test_category_order_and_dropped_categories_survive_the_fast_count():
    prepared = crosstab.prepare_table(_mixed(), outcome="y", predictor="level")
    assert list(prepared.counts.index) == ["c", "a", "b"]
    assert prepared.dropped == ("level=unused",)


@pytest.fixture
def logit_data(project_root):
    frame = pd.read_csv(project_root / "tests/data/r/logit_data.csv")
    frame["has_strategy"] = frame["has_strategy"].astype("boolean")
    frame["org_type"] = pd.Categorical(
        frame["org_type"], categories=["biedriba", "vrg", "neformala_kopiena", "cits"]
    )
    frame["smart_village"] = pd.Categorical(frame["smart_village"], categories=["ne", "ja"])
    frame["org_age_years"] = frame["org_age_years"].astype("Int64")
    return frame


def test_the_logit_of_every_row_repeated_k_times_is_r_glm_with_se_over_root_k(
    project_root, logit_data
):
    # Repeating every respondent k times leaves the maximum-likelihood estimates as they are
    # and multiplies the information by k, so R's standard errors shrink by sqrt(k). The fit
    # sees at most 80 distinct patterns whatever k is.
    k = 500
    reference = pd.read_csv(project_root / "tests/data/r/r_logit.csv")
    reference["term"] = reference["term"].map(R_TERMS)
    repeated = pd.concat([logit_data] * k, ignore_index=True)
    result = regression.fit_logit(repeated, outcome="has_strategy", predictors=PREDICTORS)
    ours = result.coefficients.set_index("term").loc[reference["term"]]
    np.testing.assert_allclose(ours["estimate"], reference["estimate"], rtol=1e-6)
    np.testing.assert_allclose(ours["std_error"], reference["std_error"] / np.sqrt(k), rtol=1e-6)
    assert result.summary["n"] == 80 * k


def test_covariate_patterns_count_each_distinct_row():
    frame = pd.DataFrame(
        {
            "y": [1, 0, 1, 1, 0],
            "g": pd.Categorical(["a", "a", "a", "b", "a"], categories=["b", "a"]),
        }
    )
    patterns, weights = regression.covariate_patterns(frame, ["y", "g"])
    assert list(zip(patterns["y"], patterns["g"], weights, strict=True)) == [
        (1, "a", 2),
        (0, "a", 2),
        (1, "b", 1),
    ]
    # the category order (the reference level of the model) is kept
    assert list(patterns["g"].cat.categories) == ["b", "a"]
