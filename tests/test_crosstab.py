"""ruralplan.analysis.crosstab: table preparation, test choice, edge cases, claims and sentences."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from ruralplan.analysis import crosstab

BANDS = ["0-4", "5-9", "10-19", "20+"]
TYPES = ["biedriba", "nodibinajums", "vrg", "neformala_kopiena", "cits"]


def _survey(bands, types, strategy):
    return pd.DataFrame(
        {
            "org_age_band": pd.Categorical(bands, categories=BANDS, ordered=True),
            "org_type": pd.Categorical(types, categories=TYPES),
            "has_strategy": pd.array(strategy, dtype="boolean"),
        }
    )


@pytest.fixture
def survey():
    # 40 organisations: strategies more common in older bands and in local action groups
    bands = ["0-4"] * 10 + ["5-9"] * 10 + ["10-19"] * 10 + ["20+"] * 10
    types = (["biedriba"] * 6 + ["vrg"] * 2 + ["neformala_kopiena"] * 2) * 4
    strategy = (
        [False] * 8
        + [True] * 2
        + [False] * 6
        + [True] * 4
        + [False] * 4
        + [True] * 6
        + [False] * 2
        + [True] * 8
    )
    return _survey(bands, types, strategy)


def test_bands_keep_category_order_not_lexical_order(survey):
    prepared = crosstab.prepare_table(survey, outcome="has_strategy", predictor="org_age_band")
    assert list(prepared.counts.index) == BANDS  # lexical order would put "10-19" first
    assert prepared.counts.to_numpy().tolist() == [[8, 2], [6, 4], [4, 6], [2, 8]]


def test_empty_categories_are_dropped_and_reported(survey):
    prepared = crosstab.prepare_table(survey, outcome="has_strategy", predictor="org_type")
    assert list(prepared.counts.index) == ["biedriba", "vrg", "neformala_kopiena"]
    assert prepared.dropped == ("org_type=nodibinajums", "org_type=cits")
    result = crosstab.run_test(prepared, seed=1, n_resamples=200)
    assert "empty categories dropped: org_type=nodibinajums, org_type=cits" in result.test_reason


def test_missing_values_are_counted_not_silently_dropped(survey):
    survey.loc[[0, 1], "has_strategy"] = pd.NA
    survey.loc[2, "org_age_band"] = np.nan
    prepared = crosstab.prepare_table(survey, outcome="has_strategy", predictor="org_age_band")
    assert (prepared.n, prepared.n_missing) == (37, 3)


def test_ordered_predictor_and_binary_outcome_get_the_trend_test(survey):
    result = crosstab.run_test(
        crosstab.prepare_table(survey, outcome="has_strategy", predictor="org_age_band"),
        seed=1,
        n_resamples=200,
    )
    assert result.test == "linear_by_linear"
    # scores 1..4 against 0/1: r = 0.4472 by hand (cov 0.25 / sqrt(1.25 * 0.25)), M2 = 39 r^2
    assert result.effect_measure == "pearson_r_scores"
    assert result.effect_size == pytest.approx(0.25 / np.sqrt(1.25 * 0.25))
    assert result.statistic == pytest.approx(39 * 0.2)
    assert result.effect_size > 0


def test_contrast_gives_a_2x2_with_an_oriented_odds_ratio(survey):
    prepared = crosstab.prepare_table(
        survey, outcome="has_strategy", predictor="org_type", contrast="vrg"
    )
    assert prepared.predictor == "org_type_vrg_vs_other"
    assert list(prepared.counts.index) == [False, True]
    result = crosstab.run_test(prepared, seed=1, n_resamples=200)
    assert result.effect_measure == "odds_ratio_conditional"
    assert result.test in ("fisher_exact", "pearson_chi2")


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ([[30, 20], [15, 35]], "pearson_chi2"),  # smallest expected 22.5
        ([[3, 1], [1, 3]], "fisher_exact"),
        ([[3, 1, 2], [1, 3, 4]], "fisher_monte_carlo"),
        ([[20, 15, 18], [16, 15, 14]], "pearson_chi2"),
    ],
    ids=["large-2x2", "small-2x2", "small-2x3", "large-2x3"],
)
def test_test_choice_follows_the_expected_count_rule(counts, expected):
    counts = np.array(counts)
    table = pd.DataFrame(
        counts,
        index=pd.Index(range(counts.shape[0]), name="x"),
        columns=pd.Index([f"c{i}" for i in range(counts.shape[1])], name="y"),
    )
    prepared = crosstab.PreparedTable(
        outcome="y",
        predictor="x",
        counts=table,
        row_scores=np.arange(counts.shape[0]),
        col_scores=np.arange(counts.shape[1]),
        row_ordered=False,
        col_ordered=False,
        continuous=False,
        n=int(counts.sum()),
        n_missing=0,
    )
    assert crosstab.choose_test(prepared)[0] == expected


def test_2x2_with_a_zero_cell_gives_a_boundary_odds_ratio_not_nan():
    data = _survey(
        ["0-4"] * 7 + ["5-9"] * 11,
        ["vrg"] * 7 + ["biedriba"] * 11,
        [True] * 7 + [False] * 5 + [True] * 6,
    )
    result = crosstab.run_test(
        crosstab.prepare_table(data, outcome="has_strategy", predictor="org_type", contrast="vrg"),
        seed=1,
        n_resamples=200,
    )
    assert result.test == "fisher_exact"
    assert result.effect_size == np.inf and result.ci_high == np.inf
    # the same table as tests/data/r `zero_cell` with rows swapped: R gives OR 0 with
    # interval (0, 1.43908188705976), so here OR = inf and the lower limit is 1 / 1.439...
    assert result.ci_low == pytest.approx(1 / 1.43908188705976, rel=1e-6)
    assert np.isfinite(result.p_value)


@pytest.mark.parametrize(
    ("bands", "strategy", "reason"),
    [
        (["0-4", "5-9"] * 5, [True] * 10, "only one category of has_strategy"),
        (["20+"] * 10, [True, False] * 5, "only one category of org_age_band"),
        ([None] * 10, [True, False] * 5, "no respondent has both values"),
    ],
    ids=["single-outcome-category", "predictor-with-one-level", "all-missing"],
)
def test_untestable_tables_give_a_reason_not_an_error(bands, strategy, reason):
    data = _survey(bands, ["biedriba"] * 10, strategy)
    result = crosstab.run_test(
        crosstab.prepare_table(data, outcome="has_strategy", predictor="org_age_band"), seed=1
    )
    assert result.test == "none"
    assert reason in result.test_reason
    table = crosstab.results_table([result])
    assert np.isnan(table.loc[0, "p_adjusted"])
    assert "could not be tested" in crosstab.describe_result(table.iloc[0], "en")


def test_a_zero_row_in_a_fixed_table_is_ignored_by_cramers_v():
    with_zero = np.array([[5, 3], [0, 0], [2, 6]])
    assert float(crosstab.cramers_v(with_zero)) == float(crosstab.cramers_v(with_zero[[0, 2]]))


@pytest.mark.parametrize(
    ("column", "message"),
    [("age", "not in the data"), ("name", "must be categorical, boolean or numeric")],
)
def test_bad_columns_raise_clear_errors(survey, column, message):
    survey["name"] = ["x"] * len(survey)
    with pytest.raises(ValueError, match=message):
        crosstab.prepare_table(survey, outcome="has_strategy", predictor=column)


def test_unknown_contrast_level_is_named(survey):
    with pytest.raises(ValueError, match="Cannot contrast 'lag'.*'vrg'"):
        crosstab.prepare_table(survey, outcome="has_strategy", predictor="org_type", contrast="lag")


def test_holm_and_bh_by_hand():
    # p = 0.01, 0.04, 0.03 (NaN skipped). Holm: sorted 0.01*3, 0.03*2, 0.04*1 -> 0.03, 0.06,
    # then monotone: 0.06 for 0.04. BH: 0.04*3/3, 0.03*3/2 = 0.045, 0.01*3 = 0.03, monotone.
    p = [0.01, 0.04, float("nan"), 0.03]
    holm = crosstab.adjust_p_values(p, method="holm")
    bh = crosstab.adjust_p_values(p, method="bh")
    np.testing.assert_allclose(holm[[0, 1, 3]], [0.03, 0.06, 0.06])
    np.testing.assert_allclose(bh[[0, 1, 3]], [0.03, 0.04, 0.04])
    assert np.isnan(holm[2]) and np.isnan(bh[2])
    with pytest.raises(ValueError, match="adjustment must be one of"):
        crosstab.adjust_p_values(p, method="bonferroni")


def test_results_table_has_the_published_columns_and_is_reproducible(survey):
    pairs = [
        {"outcome": "has_strategy", "predictor": "org_age_band"},
        {"outcome": "has_strategy", "predictor": "org_type"},
    ]
    first = crosstab.results_table(crosstab.run_pairs(survey, pairs, seed=3)[1])
    again = crosstab.results_table(crosstab.run_pairs(survey, pairs, seed=3)[1])
    assert list(first.columns) == [*crosstab.TEST_COLUMNS, "p_holm", "p_bh"]
    assert crosstab.TEST_COLUMNS[-3:] == ["min_expected", "min_count", "df_min"]
    pd.testing.assert_frame_equal(first, again)
    assert (first["ci_low"] <= first["effect_size"] + 1e-12).all()


def test_row_percentages_sum_to_100(survey):
    table = crosstab.row_percentages(
        crosstab.prepare_table(survey, outcome="has_strategy", predictor="org_age_band")
    )
    assert list(table.columns) == [
        "org_age_band",
        "n_False",
        "n_True",
        "total",
        "pct_False",
        "pct_True",
    ]
    np.testing.assert_allclose(table[["pct_False", "pct_True"]].sum(axis=1), 100)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 30), min_size=2, max_size=4), min_size=2, max_size=4).filter(
        lambda rows: len({len(r) for r in rows}) == 1
    )
)
def test_corrected_v_is_between_zero_and_plain_v(rows):
    counts = np.array(rows)
    plain = crosstab.cramers_v(counts)
    corrected = crosstab.cramers_v(counts, corrected=True)
    if np.isfinite(plain):
        assert 0 <= plain <= 1 + 1e-12
    if np.isfinite(corrected):
        assert 0 <= corrected <= 1 + 1e-12


def test_validate_pairs_names_the_problem():
    assert crosstab.validate_pairs({"pairs": [{"outcome": "a", "predictor": "b"}]}) == [
        {
            "outcome": "a",
            "predictor": "b",
            "contrast": None,
            "family": "exploratory",
            "sensitivity_of": None,
        }
    ]
    with pytest.raises(ValueError, match="pair 1 has unknown keys \\['test'\\]"):
        crosstab.validate_pairs(
            {"pairs": [{"outcome": "a", "predictor": "b", "test": 1}]}, source="pairs.yaml"
        )
    with pytest.raises(ValueError, match="pairs.yaml: expected a mapping"):
        crosstab.validate_pairs([1], source="pairs.yaml")


# ---- claims and sentences ----------------------------------------------------------------------

CLAIMS = [
    {
        "id": "older",
        "kind": "directional",
        "quote_lv": "Visbiežāk ... ilggadīgām",
        "test": {
            "outcome": "has_strategy",
            "predictor": "org_age_band",
            "expectation": "increasing",
        },
    },
    {
        "id": "lags",
        "kind": "directional",
        "quote_lv": "... vietējām rīcības grupām",
        "test": {
            "outcome": "has_strategy",
            "predictor": "org_type",
            "expectation": "higher_in",
            "level": "vrg",
        },
    },
    {
        "id": "smart",
        "kind": "directional",
        "quote_lv": "Viedais ciems",
        "test": {
            "outcome": "has_strategy",
            "predictor": "smart_village",
            "expectation": "higher_in",
            "level": "ja",
        },
    },
    {"id": "share", "kind": "share", "quote_lv": "28,8%"},
]


def _tests_table(p_age, r_age, p_vrg, or_vrg):
    rows = [
        {
            "outcome": "has_strategy",
            "predictor": "org_age_band",
            "test": "linear_by_linear",
            "test_reason": "",
            "p_adjusted": p_age,
            "effect_measure": "pearson_r_scores",
            "effect_size": r_age,
        },
        {
            "outcome": "has_strategy",
            "predictor": "org_type_vrg_vs_other",
            "test": "fisher_exact",
            "test_reason": "",
            "p_adjusted": p_vrg,
            "effect_measure": "odds_ratio_conditional",
            "effect_size": or_vrg,
        },
    ]
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    ("p_age", "r_age", "verdict"),
    [
        (0.01, 0.3, "supported"),
        (0.01, -0.3, "not supported in these data"),
        (0.2, 0.3, "not supported in these data"),
    ],
    ids=["significant-right-way", "significant-wrong-way", "not-significant"],
)
def test_claim_verdict_needs_adjusted_p_and_direction(p_age, r_age, verdict):
    judged = crosstab.judge_claims(CLAIMS, _tests_table(p_age, r_age, 0.5, 2.0), alpha=0.05)
    assert list(judged.columns) == crosstab.CLAIM_COLUMNS
    assert list(judged["claim_id"]) == ["older", "lags", "smart"]  # non-directional skipped
    assert judged.loc[0, "verdict"] == verdict
    assert judged.loc[1, "verdict"] == "not supported in these data"
    assert judged.loc[2, "verdict"] == "not tested"
    assert "smart_village_ja_vs_other" in judged.loc[2, "note"]
    assert judged["note"].str.contains("synthetic").all()


def test_higher_in_uses_the_odds_ratio_direction():
    judged = crosstab.judge_claims(CLAIMS[1:2], _tests_table(1, 0, 0.001, 0.4), alpha=0.05)
    assert judged.loc[0, "verdict"] == "not supported in these data"
    judged = crosstab.judge_claims(CLAIMS[1:2], _tests_table(1, 0, 0.001, 4.0), alpha=0.05)
    assert judged.loc[0, "verdict"] == "supported"


def test_malformed_claims_are_all_listed():
    bad = [
        {
            "id": "a",
            "kind": "directional",
            "test": {"outcome": "x", "predictor": "y", "expectation": "more"},
        },
        {
            "id": "b",
            "kind": "directional",
            "test": {"outcome": "x", "predictor": "y", "expectation": "higher_in"},
        },
    ]
    with pytest.raises(ValueError, match="'a'.*expectation must be.*'b'.*needs a `level`"):
        crosstab.judge_claims(bad, _tests_table(1, 0, 1, 1), alpha=0.05)


@pytest.mark.parametrize(
    ("lang", "p", "expected"),
    [
        (
            "en",
            0.2,
            "No evidence of an association between “has_strategy” and “org_type” "
            "after Holm adjustment (p\u00a0=\u00a00.200); the strength is estimated as "
            "Cramér's V (bias-corrected) = 0.12, 95% CI 0.02–0.30. The interval gives the "
            "precision of the estimate only: Cramér's V (bias-corrected) is never below 0, so "
            "its interval says nothing about whether there is an association.",
        ),
        (
            "en",
            0.01,
            "“Has_strategy” and “org_type” are associated after Holm adjustment "
            "(p\u00a0=\u00a00.010); the effect is small (Cramér's V "
            "(bias-corrected) = 0.12, 95% CI 0.02–0.30).",
        ),
        (
            "lv",
            0.0004,
            "Pēc Holma korekcijas sakarība starp “has_strategy” un “org_type” ir "
            "statistiski nozīmīga (p\u00a0<\u00a00,001); efekts ir mazs (Kramēra V "
            "(koriģēts) = 0,12, 95\u00a0% TI 0,02–0,30).",
        ),
    ],
    ids=["en-none", "en-small", "lv-small"],
)
def test_describe_result_respects_adjustment_and_effect_size(lang, p, expected):
    row = {
        "outcome": "has_strategy",
        "predictor": "org_type",
        "test": "pearson_chi2",
        "test_reason": "",
        "p_adjusted": p,
        "effect_measure": "cramers_v_corrected",
        "effect_size": 0.12,
        "ci_low": 0.02,
        "ci_high": 0.30,
    }
    assert crosstab.describe_result(row, lang) == expected


@pytest.mark.parametrize(
    ("measure", "value", "df_min", "size"),
    [
        ("cramers_v", 0.09, 1, 0),
        ("cramers_v", 0.12, 1, 1),
        ("cramers_v", 0.2, 3, 2),
        ("odds_ratio_conditional", 1.5, 1, 0),
        ("odds_ratio_conditional", 1 / 4, 1, 2),
        ("odds_ratio_conditional", 0.0, 1, 3),
        ("pearson_r_scores", -0.55, 1, 3),
        ("eta_squared_h", 0.005, 1, 0),
        ("eta_squared_h", 0.05, 1, 1),
        ("eta_squared_h", 0.1, 3, 2),
        ("eta_squared_h", 0.2, 1, 3),
    ],
)
def test_effect_size_classes(measure, value, df_min, size):
    # Cohen (1988) w = 0.1/0.3/0.5, V limits = w / sqrt(df_min); eta^2 0.01/0.06/0.14;
    # OR 1.68/3.47/6.71
    assert crosstab.effect_size_class(measure, value, df_min=df_min) == size


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("corrected", [False, True], ids=["plain", "corrected"])
def test_cramers_v_of_a_single_respondent_is_nan_without_warnings(corrected):
    # One respondent: no association can be measured, and Bergsma's n - 1 would be zero.
    assert np.isnan(crosstab.cramers_v(np.array([[1, 0], [0, 0]]), corrected=corrected))


def _diagonal_table(k, on, off):
    # two unordered k-category variables: `on` respondents in each diagonal cell, else `off`
    rows, cols = [], []
    for i in range(k):
        for j in range(k):
            count = on if i == j else off
            rows += [f"r{i}"] * count
            cols += [f"c{j}"] * count
    return pd.DataFrame(
        {
            "x": pd.Categorical(rows, categories=[f"r{i}" for i in range(k)]),
            "y": pd.Categorical(cols, categories=[f"c{j}" for j in range(k)]),
        }
    )


def test_effect_size_of_a_4x4_table_is_sized_by_its_own_df_min_without_the_caller():
    # By hand: 11 on the diagonal, 4 elsewhere: n = 92, every expected count 5.75, chi2 =
    # 4 * (5.25**2 + 3 * 1.75**2) / 5.75 = 25.565; Bergsma: phi2 = chi2 / n - 9 / 91,
    # k~ = 4 - 9 / 91, V~ = sqrt(phi2 / (k~ - 1)) = 0.2484. Cohen's w = V * sqrt(3) = 0.430,
    # between 0.3 and 0.5: a medium effect (it would be "small" if V were read as w).
    chi2 = 4 * (5.25**2 + 3 * 1.75**2) / 5.75
    phi2, k = chi2 / 92 - 9 / 91, 4 - 9 / 91
    _, results = crosstab.run_pairs(
        _diagonal_table(4, 11, 4), [{"outcome": "y", "predictor": "x"}], seed=1, n_resamples=50
    )
    row = crosstab.results_table(results).iloc[0]
    assert row["test"] == "pearson_chi2"
    assert row["statistic"] == pytest.approx(chi2)
    assert row["effect_size"] == pytest.approx(np.sqrt(phi2 / (k - 1)))
    assert row["df_min"] == 3
    sentence = crosstab.describe_result(row.to_dict(), "en", alpha=0.05)
    assert "the effect is medium" in sentence
    # the report reads the table back from CSV, where df_min is a float
    assert "efekts ir vidējs" in crosstab.describe_result({**row.to_dict(), "df_min": 3.0}, "lv")


def test_df_min_given_by_the_caller_still_wins_and_a_row_without_it_counts_as_2x2():
    row = {
        "outcome": "y",
        "predictor": "x",
        "test": "pearson_chi2",
        "test_reason": "",
        "p_adjusted": 0.001,
        "effect_measure": "cramers_v_corrected",
        "effect_size": 0.267,
        "ci_low": 0.1,
        "ci_high": 0.4,
    }
    # w = 0.267 (df_min 1): small; w = 0.267 * sqrt(3) = 0.462 (df_min 3): medium
    assert "effect is small" in crosstab.describe_result(row, "en")
    assert "effect is medium" in crosstab.describe_result({**row, "df_min": 3}, "en")
    assert "effect is small" in crosstab.describe_result({**row, "df_min": 3}, "en", df_min=1)


def _one_row(measure, value, p=0.001, predictor="org_age_band", test="pearson_chi2"):
    return pd.DataFrame(
        [
            {
                "outcome": "has_strategy",
                "predictor": predictor,
                "test": test,
                "test_reason": "",
                "p_adjusted": p,
                "effect_measure": measure,
                "effect_size": value,
            }
        ]
    )


def _claim(expectation, predictor="org_age_band", level=None):
    test = {"outcome": "has_strategy", "predictor": predictor, "expectation": expectation}
    if level is not None:
        test["level"] = level
    return {"id": "c", "kind": "directional", "quote_lv": "q", "test": test}


@pytest.mark.parametrize("expectation", ["increasing", "decreasing"])
def test_an_undirected_measure_cannot_support_or_refute_a_direction(expectation):
    # Cramér's V is >= 0 whichever way the association goes: it says nothing about direction
    judged = crosstab.judge_claims(
        [_claim(expectation)], _one_row("cramers_v_corrected", 0.3), alpha=0.05
    )
    assert judged.loc[0, "verdict"] == "direction not testable"
    assert "cramers_v_corrected" in judged.loc[0, "note"]


@pytest.mark.parametrize(
    ("expectation", "odds_ratio", "verdict"),
    [
        ("increasing", 3.0, "supported"),
        ("increasing", 0.4, "not supported in these data"),
        ("decreasing", 0.4, "supported"),
        ("decreasing", 3.0, "not supported in these data"),
    ],
)
def test_a_2x2_odds_ratio_gives_the_direction(expectation, odds_ratio, verdict):
    # OR > 1: the second outcome category (True) is more common in the second predictor
    # category, a positive association of two ordered (e.g. boolean) variables
    tests = _one_row("odds_ratio_conditional", odds_ratio, predictor="flag", test="fisher_exact")
    judged = crosstab.judge_claims([_claim(expectation, "flag")], tests, alpha=0.05)
    assert judged.loc[0, "verdict"] == verdict


def test_decreasing_is_supported_by_a_negative_trend():
    tests = _one_row("pearson_r_scores", -0.3, test="linear_by_linear")
    judged = crosstab.judge_claims([_claim("decreasing")], tests, alpha=0.05)
    assert judged.loc[0, "verdict"] == "supported"


def test_higher_in_a_level_of_a_many_category_outcome_is_not_testable():
    # the contrast against a nominal 4-category outcome is a 2x4 table: V only
    tests = _one_row("cramers_v_corrected", 0.4, predictor="org_type_vrg_vs_other")
    judged = crosstab.judge_claims([_claim("higher_in", "org_type", "vrg")], tests, alpha=0.05)
    assert judged.loc[0, "verdict"] == "direction not testable"


def test_a_nominal_predictor_strongly_associated_does_not_support_increasing():
    # org_type is unordered, so the pair gets chi-square and V, and "increasing" has no meaning
    types = ["biedriba"] * 30 + ["vrg"] * 30 + ["cits"] * 30
    strategy = [False] * 25 + [True] * 5 + [True] * 25 + [False] * 5 + [False] * 15 + [True] * 15
    data = _survey(["0-4"] * 90, types, strategy)
    _, results = crosstab.run_pairs(
        data, [{"outcome": "has_strategy", "predictor": "org_type"}], seed=1, n_resamples=50
    )
    tests = crosstab.results_table(results)
    assert tests.loc[0, "p_adjusted"] < 0.001
    for expectation in ("increasing", "decreasing"):
        judged = crosstab.judge_claims([_claim(expectation, "org_type")], tests, alpha=0.05)
        assert judged.loc[0, "verdict"] == "direction not testable"


def _numeric_by_nominal(groups, categories):
    values = [v for group in groups.values() for v in group]
    labels = [name for name, group in groups.items() for _ in group]
    return pd.DataFrame({"value": values, "group": pd.Categorical(labels, categories=categories)})


def test_numeric_predictor_by_nominal_outcome_gets_kruskal_wallis_as_in_r():
    # R's ?kruskal.test example (Hollander & Wolfe 1973, p. 116): "Kruskal-Wallis chi-squared
    # = 0.77143, df = 2, p-value = 0.68". By hand: ranks 1..14 (no ties), rank sums 36, 36, 33
    # for n = 5, 4, 5: H = 12 / (14 * 15) * (36**2/5 + 36**2/4 + 33**2/5) - 3 * 15 = 0.77143.
    groups = {
        "normal": [2.9, 3.0, 2.5, 2.6, 3.2],
        "copd": [3.8, 2.7, 4.0, 2.4],
        "asbestosis": [2.8, 3.4, 3.7, 2.2, 2.0],
    }
    data = _numeric_by_nominal(groups, list(groups))
    prepared = crosstab.prepare_table(data, outcome="group", predictor="value")
    result = crosstab.run_test(prepared, seed=1, n_resamples=50)
    h = 12 / (14 * 15) * (36**2 / 5 + 36**2 / 4 + 33**2 / 5) - 45
    assert result.test == "kruskal_wallis"
    assert result.statistic == pytest.approx(h)
    assert result.statistic == pytest.approx(0.77143, abs=5e-6)
    assert result.df == 2
    assert result.p_value == pytest.approx(np.exp(-h / 2))  # chi-square, 2 df
    # eta^2_H = (H - k + 1) / (n - k) is below zero here: no effect
    assert result.effect_measure == "eta_squared_h"
    assert result.effect_size == 0


def test_eta_squared_of_two_separate_groups_by_hand():
    # values 1, 2 in group x and 3, 4 in y: rank sums 3 and 7, H = 12 / 20 * (9/2 + 49/2) - 15
    # = 2.4; eta^2_H = (H - k + 1) / (n - k) = 1.4 / 2 = 0.7, a large effect
    data = _numeric_by_nominal({"x": [1, 2], "y": [3, 4]}, ["x", "y"])
    row = crosstab.results_table(
        [
            crosstab.run_test(
                crosstab.prepare_table(data, outcome="group", predictor="value"),
                seed=1,
                n_resamples=50,
            )
        ]
    ).iloc[0]
    assert row["statistic"] == pytest.approx(2.4)
    assert row["effect_size"] == pytest.approx(0.7)
    assert crosstab.effect_size_class("eta_squared_h", row["effect_size"]) == 3  # 0.7 >= 0.14
    # four respondents: the bootstrap interval runs from 0 to 1, so the size is not named
    sentence = crosstab.describe_result(row.to_dict(), "en", alpha=0.5)
    assert "unstable" in sentence and "large" not in sentence


def test_a_test_of_a_nominal_outcome_does_not_depend_on_the_order_of_its_categories():
    # ages of three kinds of organisation: the middle category in codebook order is the oldest
    rng = np.random.default_rng(4)
    groups = {
        "a": rng.integers(1, 15, 20).tolist(),
        "b": rng.integers(20, 40, 20).tolist(),
        "c": rng.integers(1, 15, 20).tolist(),
    }
    p_values = set()
    for order in (["a", "b", "c"], ["a", "c", "b"], ["b", "a", "c"]):
        data = _numeric_by_nominal(groups, order)
        result = crosstab.run_test(
            crosstab.prepare_table(data, outcome="group", predictor="value"), seed=1, n_resamples=50
        )
        assert result.test != "linear_by_linear"
        p_values.add(round(result.p_value, 12))
        assert not np.isnan(result.effect_size)
    assert len(p_values) == 1


def test_kruskal_wallis_with_ties_agrees_with_scipy():
    # many tied ages, as in survey data; scipy.stats.kruskal corrects for ties as R does
    rng = np.random.default_rng(9)
    groups = {g: rng.integers(0, 6, size).tolist() for g, size in (("x", 12), ("y", 9), ("z", 15))}
    groups["z"] = [v + 2 for v in groups["z"]]
    data = _numeric_by_nominal(groups, list(groups))
    result = crosstab.run_test(
        crosstab.prepare_table(data, outcome="group", predictor="value"), seed=1, n_resamples=50
    )
    expected = stats.kruskal(*groups.values())
    assert result.statistic == pytest.approx(expected.statistic)
    assert result.p_value == pytest.approx(expected.pvalue)


def test_numeric_predictor_by_ordered_outcome_keeps_the_trend_test():
    data = _survey(["0-4"] * 6, ["vrg"] * 6, [False, False, True, False, True, True])
    data["age"] = [1, 2, 3, 4, 5, 6]
    result = crosstab.run_test(
        crosstab.prepare_table(data, outcome="has_strategy", predictor="age"),
        seed=1,
        n_resamples=50,
    )
    assert result.test == "linear_by_linear"
