"""What the themes rest on: human codings placed on segments first, else the rule coder's."""

from __future__ import annotations

import pandas as pd

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
    basis, chosen, coders = summaries.basis_codings(rule, none)
    assert basis == summaries.BASIS_MACHINE and coders == [coder.RULE_CODER]
    assert chosen.values.tolist() == [["a", "s1", "x"]]


def test_two_human_coders_form_the_basis_together():
    rule = pd.DataFrame({"interview_id": ["a"], "segment_id": ["s1"], "code": ["x"]})
    human = pd.DataFrame(
        [("a", "s2", "y", "Juris"), ("a", "s2", "y", "Ilze"), ("b", "s1", "x", "Ilze")],
        columns=["interview_id", "segment_id", "code", "coder"],
    )
    basis, chosen, coders = summaries.basis_codings(rule, human)
    assert basis == summaries.BASIS_HUMAN and coders == ["Ilze", "Juris"]
    assert chosen.values.tolist() == [["a", "s2", "y"], ["b", "s1", "x"]]


def _pooled(*rows):
    table = pd.DataFrame(rows, columns=["coder_a", "coder_b", "kappa"])
    return table.assign(code=reliability.OVERALL)


def test_machine_basis_says_unreviewed_with_its_base_and_agreement():
    table = summaries.basis_table(
        "machine", [coder.RULE_CODER], 16, 16, _pooled((coder.RULE_CODER, "gold coding", 0.401))
    )
    row = table.iloc[0]
    assert table.columns.tolist() == summaries.BASIS_COLUMNS
    assert not row["reviewed"] and row["n_interviews_total"] == 16
    assert "machine-coded" in row["statement_en"] and "not been reviewed" in row["statement_en"]
    assert (
        "of the 16 interviews" in row["statement_en"] and "gold coding 0.40" in row["statement_en"]
    )
    assert "nav pārskatījis" in row["statement_lv"] and "no 16 intervijām" in row["statement_lv"]
    assert "gold coding 0,40" in row["statement_lv"] and "vismaz 0,667" in row["statement_lv"]


def test_machine_basis_without_a_human_coding_says_agreement_is_unmeasured():
    empty = pd.DataFrame(columns=reliability.AGREEMENT_COLUMNS)
    row = summaries.basis_table("machine", [coder.RULE_CODER], 6, 6, empty).iloc[0]
    assert "has not been measured" in row["statement_en"]
    assert "nav mērīta" in row["statement_lv"]


def test_human_basis_names_coders_and_pairs():
    agreement = _pooled(
        (coder.RULE_CODER, "Ilze", 0.52),
        (coder.RULE_CODER, "Juris", float("nan")),
        ("Ilze", "Juris", 0.81),
    )
    row = summaries.basis_table("human", ["Ilze", "Juris"], 10, 16, agreement).iloc[0]
    assert row["reviewed"] and row["coders"] == "Ilze; Juris"
    english = row["statement_en"]
    assert "researchers' coding (Ilze, Juris; 10 of the 16 interviews coded)" in english
    assert "Ilze 0.52; Juris not computable" in english
    assert "between the coders: Ilze and Juris 0.81" in english
    assert "Ilze un Juris 0,81" in row["statement_lv"]
