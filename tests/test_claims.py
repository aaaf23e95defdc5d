"""Published claims: parsing, verdicts and the command line."""

from __future__ import annotations

import pandas as pd
import pytest

from ruralplan.analysis.claims import ClaimsError, check_claims, parse_claims, share_of
from ruralplan.io import read_yaml
from ruralplan.pipeline.cli import main

CODES = ["current", "outdated", "not_needed", "needed_no_resources"]


def _survey(counts=(42, 32, 31, 40)) -> pd.DataFrame:
    status = [code for code, n in zip(CODES, counts, strict=True) for _ in range(n)]
    size = len(status)
    return pd.DataFrame(
        {
            "strategy_status": pd.Categorical(status, categories=CODES),
            "has_strategy": pd.array(
                [s in ("current", "outdated") for s in status], dtype="boolean"
            ),
            "org_type": ["vrg"] * size,
            # focus: econ ticked by all, heritage by half, innovation by 3
            "focus__econ": pd.array([True] * size, dtype="boolean"),
            "focus__heritage": pd.array([i % 2 == 0 for i in range(size)], dtype="boolean"),
            "focus__innovation": pd.array([i < 3 for i in range(size)], dtype="boolean"),
        }
    )


def _share(claim_id, code, published, decimals, printed):
    return {
        "id": claim_id,
        "kind": "share",
        "quote_lv": "q",
        "statement_en": "s",
        "question": "strategy_status",
        "codes": [code],
        "published": published,
        "decimals": decimals,
        "printed": printed,
        "base": 145,
    }


SHARES = [
    _share("current", "current", 28.8, 1, "28,8%"),
    _share("outdated", "outdated", 22, 0, "22%"),
    _share("not_needed", "not_needed", 21.2, 1, "21,2%"),
    _share("no_resources", "needed_no_resources", 28, 0, "28%"),
]


def _verdicts(claims, survey):
    table = check_claims(parse_claims({"claims": claims}), survey, lang="lv")
    return table.set_index("claim_id")


def test_printed_shares_against_145_organisations():
    # 42/145 = 28.97 -> 29.0 (printed 28.8); 32/145 = 22.07 -> 22; 31/145 = 21.38 -> 21.4;
    # 40/145 = 27.59 -> 28.
    table = _verdicts(SHARES, _survey())
    assert table["verdict"].to_dict() == {
        "current": "differs",
        "outdated": "reproduced",
        "not_needed": "differs",
        "no_resources": "reproduced",
    }
    assert table.loc["current", "reproduced"] == "29,0\u00a0% (42/145)"
    assert "differs by +0.2 percentage points" in table.loc["current", "note"]
    assert "GRIM: no whole count out of 145 gives 28.8%" in table.loc["current", "note"]


def test_raw_146_submissions_reproduce_every_printed_share():
    # The raw export with the duplicate submission: 42/32/31/41 of 146.
    claims = [{**claim, "base": 146} for claim in SHARES]
    table = _verdicts(claims, _survey((42, 32, 31, 41)))
    assert set(table["verdict"]) == {"reproduced"}


def test_share_set_names_the_consistent_bases():
    claims = [
        *SHARES,
        {
            "id": "set",
            "kind": "share_set",
            "quote_lv": "q",
            "statement_en": "s",
            "question": "strategy_status",
            "members": [c["id"] for c in SHARES],
            "base": 145,
            "search": [125, 160],
        },
    ]
    row = _verdicts(claims, _survey()).loc["set"]
    assert row["verdict"] == "inconsistent"
    assert "Bases from 125 to 160 that do: 132, 146, 156, 160." in row["note"]
    assert "The nearest is 146 (counts 42/32/31/41)." in row["note"]


def test_verbal_range_and_rank_and_count():
    claims = [
        {
            "id": "half",
            "kind": "share",
            "quote_lv": "Puse",
            "statement_en": "s",
            "question": "strategy_status",
            "codes": ["current", "outdated"],
            "base": 145,
            "printed": "puse",
            "range": {"above": 45, "below": 55},
        },
        {
            "id": "lead",
            "kind": "rank",
            "quote_lv": "q",
            "statement_en": "s",
            "question": "focus",
            "codes": ["econ"],
            "position": "top",
        },
        {
            "id": "last",
            "kind": "rank",
            "quote_lv": "q",
            "statement_en": "s",
            "question": "focus",
            "codes": ["heritage"],
            "position": "bottom",
        },
        {
            "id": "n",
            "kind": "count",
            "quote_lv": "q",
            "statement_en": "s",
            "published": 146,
            "printed": "146",
        },
    ]
    table = _verdicts(claims, _survey())
    assert table.loc["half", "verdict"] == "reproduced"  # 74/145 = 51.0 %
    assert table.loc["lead", "verdict"] == "reproduced"
    assert table.loc["last", "verdict"] == "differs"  # innovation (3) is last, not heritage
    assert table.loc["n", "verdict"] == "differs" and table.loc["n", "note"] == "differs by -1."


def test_directional_and_missing_columns():
    claims = [
        {
            "id": "lag",
            "kind": "directional",
            "quote_lv": "q",
            "statement_en": "s",
            "test": {
                "outcome": "has_strategy",
                "predictor": "org_type",
                "expectation": "higher_in",
                "level": "vrg",
            },
        },
        {
            "id": "age",
            "kind": "directional",
            "quote_lv": "q",
            "statement_en": "s",
            "test": {
                "outcome": "has_strategy",
                "predictor": "org_age_band",
                "expectation": "increasing",
            },
        },
        {
            "id": "gone",
            "kind": "share",
            "quote_lv": "q",
            "statement_en": "s",
            "question": "nope",
            "codes": ["a"],
            "base": 145,
            "published": 10,
            "decimals": 0,
            "printed": "10%",
        },
    ]
    table = _verdicts(claims, _survey())
    assert table.loc["lag", "verdict"] == "see cross-tab tests"
    assert table.loc["age", "verdict"] == "cannot be checked"
    assert "org_age_band" in table.loc["age", "note"]
    assert table.loc["gone", "verdict"] == "cannot be checked"


def test_small_counts_are_masked_in_the_reproduced_column():
    claims = [
        {
            "id": "few",
            "kind": "share",
            "quote_lv": "q",
            "statement_en": "s",
            "question": "focus",
            "codes": ["innovation"],
            "base": None,
            "printed": "daži",
            "range": {"below": 5},
        },
        {
            "id": "last",
            "kind": "rank",
            "quote_lv": "q",
            "statement_en": "s",
            "question": "focus",
            "codes": ["innovation"],
            "position": "bottom",
        },
    ]
    table = check_claims(parse_claims({"claims": claims}), _survey(), min_cell=5)
    # innovation: 3 of 145 = 2.1 %; the verdict uses it, the table does not print it.
    assert table["reproduced"].tolist() == ["<5", "<5"]
    assert table["verdict"].tolist() == ["reproduced", "reproduced"]


def test_share_of_multiple_choice_counts_respondents_who_ticked_any():
    survey = _survey()
    # heritage or innovation: even rows (73 of 145) plus rows 1 (odd, < 3) -> 74.
    assert share_of(survey, "focus", ["heritage", "innovation"]) == (74, 145)


def test_unknown_code_of_a_categorical_question_is_an_error_in_the_table():
    claim = _share("x", "maybe", 10, 0, "10%")
    row = _verdicts([claim], _survey()).loc["x"]
    assert row["verdict"] == "cannot be checked" and "['maybe']" in row["note"]


@pytest.mark.parametrize(
    ("claim", "message"),
    [
        ({"id": "a", "kind": "guess", "quote_lv": "q", "statement_en": "s"}, "kind must be one of"),
        ({**SHARES[0], "colour": "red"}, r"unknown keys \['colour'\]"),
        ({k: v for k, v in SHARES[0].items() if k != "decimals"}, "needs `decimals`"),
        ({k: v for k, v in SHARES[0].items() if k != "quote_lv"}, r"missing keys \['quote_lv'\]"),
        ({**SHARES[0], "range": {"around": 5}}, "range must be a mapping"),
    ],
    ids=["kind", "unknown-key", "no-decimals", "no-quote", "bad-range"],
)
def test_malformed_claims_are_refused(claim, message):
    with pytest.raises(ClaimsError, match=message):
        parse_claims({"claims": [claim]}, source="c.yaml")


def test_duplicate_ids_and_bad_members_are_all_listed():
    claims = [
        SHARES[0],
        SHARES[0],
        {
            "id": "set",
            "kind": "share_set",
            "quote_lv": "q",
            "statement_en": "s",
            "question": "q",
            "members": ["zz"],
            "base": 1,
            "search": [1, 2],
        },
    ]
    with pytest.raises(ClaimsError) as caught:
        parse_claims({"claims": claims}, source="c.yaml")
    assert "duplicate id" in str(caught.value) and "member 'zz'" in str(caught.value)


def test_shipped_claims_file_is_valid(project_root):
    claims = parse_claims(read_yaml(project_root / "data/published/claims.yaml"))
    kinds = {claim["kind"] for claim in claims}
    assert {"count", "share", "share_set", "rank", "directional", "not_checkable"} <= kinds
    ids = {claim["id"] for claim in claims}
    assert {"strategy_more_common_in_older_orgs", "strategy_more_common_in_lags"} <= ids


def _command_inputs(folder) -> list[str]:
    """Write a survey and a one-claim file to ``folder``; return the options naming them."""
    survey_path = folder / "survey.parquet"
    _survey().to_parquet(survey_path)
    claims_path = folder / "claims.yaml"
    claims_path.write_text(
        "claims:\n  - {id: n, kind: count, quote_lv: q, statement_en: s, published: 145, "
        "printed: '145'}\n",
        encoding="utf-8",
    )
    return ["--survey-data", str(survey_path), "--claims", str(claims_path)]


def test_command_writes_csv(tmp_path, capsys):
    code = main(["claims", "--format", "csv", *_command_inputs(tmp_path)])
    assert code == 0
    assert capsys.readouterr().out == (
        "claim_id,quote,published,reproduced,verdict,note\nn,q,145,145,reproduced,\n"
    )


def test_command_writes_the_printed_text_to_a_new_folder(tmp_path, capsys):
    inputs = _command_inputs(tmp_path)
    assert main(["claims", *inputs]) == 0
    printed = capsys.readouterr().out
    out = tmp_path / "new" / "claims.txt"
    assert main(["claims", *inputs, "--out", str(out)]) == 0
    assert capsys.readouterr().out == ""
    # Same bytes as printed: UTF-8 and "\n" line ends, whatever the platform.
    assert out.read_bytes() == printed.encode("utf-8")
    assert printed.startswith("n: reproduced\n")


def test_command_reports_a_missing_file_without_traceback(tmp_path, capsys, project_root):
    code = main(
        [
            "claims",
            "--survey-data",
            str(tmp_path / "none.parquet"),
            "--claims",
            str(project_root / "data/published/claims.yaml"),
        ]
    )
    assert code == 1
    assert "clean survey not found" in capsys.readouterr().err
