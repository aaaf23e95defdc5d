"""Quotes come from the strongest codings, never from one the gold coding contradicts."""

from __future__ import annotations

import pandas as pd
import pytest

from ruralplan.interviews import coder, redact, segments, summaries
from ruralplan.interviews import io as files
from tests.conftest import PROJECT_ROOT

RAW = PROJECT_ROOT / "data" / "raw" / "interviews"
TINY = PROJECT_ROOT / "tests" / "data" / "interviews_tiny"
KEYS = ["interview_id", "segment_id", "code"]


@pytest.fixture(scope="module")
def shipped():
    codebook = files.read_interview_codebook(PROJECT_ROOT / "data/codebooks/interviews.yaml")
    config = redact.parse_redaction_config(codebook.redaction, language=codebook.language)
    register = redact.check_register(files.read_register(RAW / "pii_register.csv"), config)
    texts, _ = redact.redact_transcripts(files.read_transcripts(RAW), register, config)
    parts = segments.segment_transcripts(texts, speakers=codebook.speakers)
    coded = coder.code_segments(parts, codebook)
    terms = coded[KEYS].assign(n_terms=coder.independent_terms(coded, codebook))
    gold = files.read_gold(RAW / "gold_coding.csv")
    quotes = summaries.exemplar_quotes(coded, parts, codebook, gold=gold, terms=terms)
    return {"codebook": codebook, "coded": coded, "gold": gold, "quotes": quotes, "terms": terms}


def test_the_participation_strength_is_not_illustrated_by_lacking_know_how(shipped):
    # The gold coding of int14 s010 ("Otra lieta ir tā, ka es nezinu, kā to pareizi
    # izdarīt...") is the weakness lack_of_expertise; the rule coder also gives it the
    # strength participation, from the one word "iesaistīt".
    gold = shipped["gold"]
    at = gold[(gold["interview_id"] == "int14") & (gold["segment_id"] == "s010")]
    assert at["code"].tolist() == ["swot.weakness.lack_of_expertise"]
    coded = shipped["coded"].set_index(["interview_id", "segment_id", "code"])
    assert coded.loc[("int14", "s010", "swot.strength.participation"), "matched_terms"] == (
        "iesaistī*"
    )
    quotes = shipped["quotes"]
    chosen = quotes[quotes["code"] == "swot.strength.participation"]
    assert not chosen["quote"].str.startswith("Otra lieta ir tā, ka es nezinu").any()
    assert ("int14", "s010") not in set(
        zip(chosen["interview_id"], chosen["segment_id"], strict=True)
    )
    # the two quotes the gold coding confirms (gold_coding.csv rows int14 s012, int01 s010)
    assert sorted(zip(chosen["interview_id"], chosen["segment_id"], strict=True)) == [
        ("int01", "s010"),
        ("int14", "s012"),
    ]


def test_every_quote_of_a_gold_coded_study_is_confirmed_by_the_gold_coding(shipped):
    gold = set(shipped["gold"][KEYS].itertuples(index=False, name=None))
    quotes = shipped["quotes"]
    assert len(quotes) > 0
    unconfirmed = [
        key for key in quotes[KEYS].itertuples(index=False, name=None) if key not in gold
    ]
    assert unconfirmed == []
    assert (quotes["n_human"] == 1).all()  # the gold coding, the one human coding here


def test_quotes_state_their_base(shipped):
    quotes = shipped["quotes"].set_index("code")
    # 16 interviews; the rule coder finds external challenges in 14 of them (the SWOT of the
    # issue, "Pastāvīgi ārējie izaicinājumi (14)")
    assert set(quotes["n_interviews_total"]) == {16}
    assert quotes.loc["swot.threat.external_challenges", "n_interviews"].tolist() == [14, 14]


def _tiny_case():
    segments_table = pd.DataFrame(
        {
            "interview_id": ["a", "a", "a", "b", "c"],
            "segment_id": ["s1", "s2", "s3", "s1", "s1"],
            "text": ["īss", "garāks teksts", "vēl garāks teksts", "b teksts", "c teksts"],
        }
    )
    basis = pd.DataFrame(
        {
            "interview_id": ["a", "a", "a", "b", "c"],
            "segment_id": ["s1", "s2", "s3", "s1", "s1"],
            "code": "fish",
        }
    )
    return segments_table, basis


def test_candidates_weigh_human_support_terms_and_gold_contradiction():
    segments_table, basis = _tiny_case()
    terms = basis.assign(n_terms=[3, 2, 1, 1, 2])
    human = pd.DataFrame(
        {"interview_id": ["a"], "segment_id": ["s3"], "code": ["fish"], "coder": ["Ilze"]}
    )
    # the gold coding covers interview a only, where it codes s2 alone
    gold = pd.DataFrame({"interview_id": ["a"], "segment_id": ["s2"], "code": ["fish"]})
    table = summaries.quote_candidates(
        basis, segments_table, human=human, gold=gold, terms=terms
    ).set_index(["interview_id", "segment_id"])
    assert table["n_human"].tolist() == [0, 1, 1, 0, 0]
    assert table["contradicted"].tolist() == [True, False, True, False, False]
    # a/s1: three terms but contradicted; a/s3: human-coded but contradicted; b/s1: one term
    assert table["eligible"].tolist() == [False, True, False, False, True]


def test_human_coded_segments_come_first_then_more_terms():
    segments_table, basis = _tiny_case()
    terms = basis.assign(n_terms=[3, 2, 1, 1, 4])
    human = pd.DataFrame(
        {"interview_id": ["a"], "segment_id": ["s3"], "code": ["fish"], "coder": ["Ilze"]}
    )
    codebook = files.read_interview_codebook(TINY / "codebook.yaml")
    quotes = summaries.exemplar_quotes(
        basis, segments_table, codebook, human=human, terms=terms, per_code=3
    )
    # a/s3 is human-coded (one term only), then c/s1 (4 terms); a/s1 is the same interview
    assert quotes[["interview_id", "segment_id"]].values.tolist() == [["a", "s3"], ["c", "s1"]]
    assert quotes["n_human"].tolist() == [1, 0] and quotes["n_terms"].tolist() == [1, 4]
    assert quotes.columns.tolist() == summaries.QUOTE_COLUMNS


# ---- independent terms -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_codebook():
    return files.read_interview_codebook(TINY / "codebook.yaml")


@pytest.mark.parametrize(
    ("text", "code", "expected"),
    [
        ("Upē un pie upes.", "water.river", 1),  # one lemma twice: one term
        ("Zivis upē, un ezerā arī zivis.", "fish", 1),
        ("Makšķerējam zivis.", "fish", 2),  # two words of the code
    ],
)
def test_independent_terms_count_distinct_words(tiny_codebook, text, code, expected):
    matcher = coder.compile_codebook(tiny_codebook)
    found = coder.code_text(matcher, text)
    assert code in found
    coded = pd.DataFrame({"code": [code], "text": [text]})
    assert coder.independent_terms(coded, tiny_codebook).tolist() == [expected]


def test_forms_of_one_word_and_rules_on_one_word_are_one_term(shipped):
    terms = shipped["terms"].set_index(KEYS)["n_terms"]
    coded = shipped["coded"].set_index(KEYS)["matched_terms"]
    # "ceļš; ceļa; autobus*; ceļi": forms of the road (one stem) and the bus: two terms
    key = coded[coded == "ceļš; ceļa; autobus*; ceļi"].index[0]
    assert terms[key] == 2
    # "mantojum*; mantojums": a prefix and a lemma on the same word: one term
    key = coded[coded == "mantojum*; mantojums"].index[0]
    assert terms[key] == 1


def test_the_terms_kept_for_weighing_are_the_terms_the_coder_reports(shipped):
    matcher = coder.compile_codebook(shipped["codebook"])
    for text in shipped["coded"]["text"].drop_duplicates():
        places = coder._term_words(matcher, text.lower())
        found = coder.code_text(matcher, text)
        assert {c: set(t) for c, t in places.items()} == {c: set(t) for c, t in found.items()}
