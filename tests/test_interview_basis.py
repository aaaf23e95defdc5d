"""What the themes rest on: human codings placed on segments first, else the rule coder's."""

from __future__ import annotations

import pandas as pd

from ruralplan import i18n
from ruralplan.interviews import coder, reliability, segments, summaries

TEXT = "# h\n\nA: Labdien.\n\nB: Pirmā rindkopa.\n\nOtrā rindkopa.\n\nA: Paldies.\n"
SPEAKERS = {"A": "interviewer", "B": "respondent"}


def _codings(*rows):
    return pd.DataFrame(rows, columns=["interview_id", "start", "end", "code", "coder"])


def _place(phrase):
    start = TEXT.index(phrase)
    return start, start + len(phrase)


def test_a_selection_codes_every_respondent_segment_it_touches():
    parts = segments.segment_transcripts({"a": TEXT}, speakers=SPEAKERS)
    spans = segments.segment_spans({"a": TEXT}, speakers=SPEAKERS)
    # segments: s001 interviewer, s002 and s003 respondent, s004 interviewer
    across = (_place("rindkopa.\n\nOtrā")[0], _place("rindkopa.\n\nOtrā")[1])
    within = _place("Otrā")
    interviewer = _place("Labdien")
    between = (_place("Pirmā rindkopa.")[1], _place("Otrā")[0])  # only the blank line
    codings = _codings(
        ("a", *across, "x", "Ilze"),
        ("a", *within, "y", "Ilze"),
        ("a", *interviewer, "z", "Ilze"),
        ("a", *between, "w", "Ilze"),
    )
    found = segments.codings_on_segments(codings, spans, parts)
    assert found.values.tolist() == [
        ["a", "s002", "x", "Ilze"],
        ["a", "s003", "x", "Ilze"],
        ["a", "s003", "y", "Ilze"],
    ]


def test_without_human_codings_the_basis_is_the_rule_coding():
    rule = pd.DataFrame({"interview_id": ["a"], "segment_id": ["s1"], "code": ["x"]})
    none = pd.DataFrame(columns=["interview_id", "segment_id", "code", "coder"])
    basis = summaries.basis_codings(rule, none, ["b", "a"])
    assert basis.name == summaries.BASIS_MACHINE and basis.coders == [coder.RULE_CODER]
    assert basis.codings.values.tolist() == [["a", "s1", "x"]]
    assert basis.interviews == ["a", "b"]  # the rule coder codes every interview


def test_two_human_coders_form_the_basis_together():
    rule = pd.DataFrame({"interview_id": ["a"], "segment_id": ["s1"], "code": ["x"]})
    human = pd.DataFrame(
        [("a", "s2", "y", "Juris"), ("a", "s2", "y", "Ilze"), ("b", "s1", "x", "Ilze")],
        columns=["interview_id", "segment_id", "code", "coder"],
    )
    basis = summaries.basis_codings(rule, human, ["a", "b", "c"])
    assert basis.name == summaries.BASIS_HUMAN and basis.coders == ["Ilze", "Juris"]
    assert basis.codings.values.tolist() == [["a", "s2", "y"], ["b", "s1", "x"]]
    assert basis.interviews == ["a", "b"]  # c was not coded by a person


def _pooled(*rows):
    table = pd.DataFrame(rows, columns=["coder_a", "coder_b", "kappa"])
    return table.assign(code=reliability.OVERALL)


def test_machine_basis_says_unreviewed_with_its_base_and_agreement():
    basis = summaries.CodingBasis(
        "machine", pd.DataFrame(), [coder.RULE_CODER], list("abcdefghijklmnop")
    )
    table = summaries.basis_table(basis, 16, _pooled((coder.RULE_CODER, "gold coding", 0.401)))
    row = table.iloc[0]
    statements = [f"statement_{lang}" for lang in i18n.languages()]
    assert table.columns.tolist() == [*summaries.BASIS_COLUMNS, *statements]
    assert {"statement_lv", "statement_en"} <= set(statements)
    assert not row["reviewed"] and row["n_interviews_total"] == 16
    assert "machine-coded" in row["statement_en"] and "not been reviewed" in row["statement_en"]
    assert (
        "of the 16 interviews" in row["statement_en"]
        and "the gold coding 0.40" in row["statement_en"]
    )
    assert "nav pārskatījis" in row["statement_lv"] and "no 16 intervijām" in row["statement_lv"]
    assert "zelta standarta kodējums 0,40" in row["statement_lv"]
    assert (
        "vismaz 0,667" in row["statement_lv"] and "ticamam kodējumam 0,800" in row["statement_lv"]
    )
    # the tentative threshold is not called the reliable one
    assert "tentative conclusions need at least 0.667, reliable coding 0.800" in row["statement_en"]


def test_machine_basis_without_a_human_coding_says_agreement_is_unmeasured():
    empty = pd.DataFrame(columns=reliability.AGREEMENT_COLUMNS)
    basis = summaries.CodingBasis("machine", pd.DataFrame(), [coder.RULE_CODER], list("abcdef"))
    row = summaries.basis_table(basis, 6, empty).iloc[0]
    assert "has not been measured" in row["statement_en"]
    assert "nav mērīta" in row["statement_lv"]


def test_human_basis_names_coders_and_pairs():
    agreement = _pooled(
        (coder.RULE_CODER, "Ilze", 0.52),
        (coder.RULE_CODER, "Juris", float("nan")),
        ("Ilze", "Juris", 0.81),
    )
    basis = summaries.CodingBasis("human", pd.DataFrame(), ["Ilze", "Juris"], list("abcdefghij"))
    row = summaries.basis_table(basis, 16, agreement).iloc[0]
    assert row["reviewed"] and row["coders"] == "Ilze; Juris"
    english = row["statement_en"]
    assert "researchers' coding (Ilze, Juris; 10 of the 16 interviews coded)" in english
    assert "Ilze 0.52; Juris not computable" in english
    assert "between the coders: Ilze and Juris 0.81" in english
    assert "Ilze un Juris 0,81" in row["statement_lv"]


def test_compare_coders_pairs_the_rule_coder_with_project_coders_and_gold():
    units = pd.DataFrame({"interview_id": ["a", "a", "b", "b"], "segment_id": ["s1", "s2"] * 2})
    rule = pd.DataFrame({"interview_id": ["a", "b"], "segment_id": ["s1", "s1"], "code": "x"})
    human = pd.DataFrame(
        [("a", "s1", "x", "Ilze"), ("b", "s2", "x", "Juris")],
        columns=["interview_id", "segment_id", "code", "coder"],
    )
    gold = pd.DataFrame({"interview_id": ["a", "b"], "segment_id": ["s1", "s2"], "code": "x"})
    table = reliability.compare_coders(rule, human, gold, units, ["x"])
    pooled = table[table["code"] == reliability.OVERALL]
    pairs = list(zip(pooled["coder_a"], pooled["coder_b"], pooled["n_interviews"], strict=True))
    rule_name, gold_name = coder.RULE_CODER, reliability.GOLD_CODER
    # Ilze coded interview a, Juris b, the gold coding both; Ilze and Juris share none
    assert pairs == [
        (rule_name, "Ilze", 1),
        (rule_name, "Juris", 1),
        (rule_name, gold_name, 2),
        ("Ilze", gold_name, 1),
        ("Juris", gold_name, 1),
    ]
    agree = pooled.set_index(["coder_a", "coder_b"])["percent_agreement"]
    assert agree[("Ilze", gold_name)] == 100.0 and agree[(rule_name, "Juris")] == 0.0


def test_code_names_in_both_languages_follow_the_code_column():
    from ruralplan.interviews import io as files
    from tests.conftest import PROJECT_ROOT

    codebook = files.read_interview_codebook(
        PROJECT_ROOT / "tests" / "data" / "interviews_tiny" / "codebook.yaml"
    )
    table = pd.DataFrame({"coder_a": ["r", "r"], "code": ["fish", reliability.OVERALL]})
    named = reliability.with_code_names(table, codebook)
    assert named.columns.tolist() == ["coder_a", "code", "name_lv", "name_en"]
    assert named["name_lv"].tolist() == ["Zivis", reliability.OVERALL]
    assert named["name_en"].tolist() == ["Fish", reliability.OVERALL]
