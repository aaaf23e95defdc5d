"""Rule-based theme coder: codebook, segmenting, rule types, negation, gates, summaries."""

from __future__ import annotations

import copy
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ruralplan.interviews import codebook as cbk
from ruralplan.interviews import coder, gates, summaries, words
from ruralplan.interviews import io as files
from ruralplan.interviews import segments as seg
from ruralplan.io import read_yaml
from tests.conftest import PROJECT_ROOT

TINY = PROJECT_ROOT / "tests" / "data" / "interviews_tiny"
STUDY_CODEBOOK = PROJECT_ROOT / "data" / "codebooks" / "interviews.yaml"


@pytest.fixture(scope="module")
def tiny_raw():
    return read_yaml(TINY / "codebook.yaml")


@pytest.fixture(scope="module")
def tiny(tiny_raw):
    return cbk.parse_codebook(tiny_raw, source="tiny.yaml")


@pytest.fixture(scope="module")
def study():
    return files.read_interview_codebook(STUDY_CODEBOOK)


def _found(codebook, text):
    return coder.code_text(coder.compile_codebook(codebook), text)


def test_segments_are_paragraphs_numbered_across_speakers(tiny):
    text = (
        "# Intervija x\nJAUTĀ: Jautājums?\nATBILD: Pirmā daļa\nturpinās.\n\nOtrā daļa.\n"
        "ATBILD 2: Cits.\n"
    )
    segments = seg.split_segments(text, interview_id="x", speakers=tiny.speakers)
    assert segments["segment_id"].tolist() == ["s001", "s002", "s003", "s004"]
    assert segments["speaker"].tolist() == ["JAUTĀ", "ATBILD", "ATBILD", "ATBILD 2"]
    assert segments["role"].tolist() == ["interviewer", "respondent", "respondent", "respondent"]
    assert segments.loc[1, "text"] == "Pirmā daļa turpinās."


def test_text_before_first_label_is_an_error_with_line_number(tiny):
    with pytest.raises(seg.TranscriptError, match=r"int9, line 2: text before the first"):
        seg.split_segments(
            "# x\nkaut kas\nJAUTĀ: ?", interview_id="int9", speakers=tiny.speakers, source="int9"
        )


def test_tiny_corpus_is_coded_with_its_own_codebook(tiny):
    segments = seg.segment_transcripts(files.read_transcripts(TINY), speakers=tiny.speakers)
    coded = coder.code_segments(segments, tiny)
    pairs = set(zip(coded["interview_id"], coded["segment_id"], coded["code"], strict=True))
    # By reading: s002 river + fishing, s003 lake + fish + river, s005 contest + fishing;
    # int02 s002 river only ("nav ezera" is negated), interviewer turns never coded.
    assert pairs == {
        ("int01", "s002", "water.river"),
        ("int01", "s002", "fish"),
        ("int01", "s003", "water.lake"),
        ("int01", "s003", "fish"),
        ("int01", "s003", "water.river"),
        ("int01", "s005", "contest"),
        ("int01", "s005", "fish"),
        ("int02", "s002", "water.river"),
    }
    assert list(coded.columns) == coder.CODED_COLUMNS


@pytest.mark.parametrize(
    ("text", "code", "term"),
    [
        ("Upē", "water.river", "upe"),  # lemma, locative
        ("upes", "water.river", "upe"),  # lemma, genitive
        ("ezeram", "water.lake", "ezers"),  # lemma/stem, dative
        ("zivīm", "fish", "zivīm"),  # exact form
        ("makšķerējām", "fish", "makšķer*"),  # prefix, finite verb
        ("makšķerēšanas sacensības", "contest", "makšķerēšanas sacensības"),  # phrase
        ("makšķerēšanas lielās sacensības", "contest", "makšķerēšanas sacensības"),  # gap 1
        ("kausu", "contest", r"/\bkaus[su]\b/"),  # pattern
    ],
)
def test_rule_types_match_inflected_forms(tiny, text, code, term):
    assert term in _found(tiny, text).get(code, [])


def test_phrase_beyond_gap_does_not_match(tiny):
    found = _found(tiny, "makšķerēšanas ļoti lielās sacensības")
    assert "contest" not in found or "makšķerēšanas sacensības" not in found["contest"]


@pytest.mark.parametrize(
    ("text", "coded"),
    [
        ("Mums nav ezera.", False),
        ("Nav mums ezera.", False),
        ("Ezers mums ir.", True),
        ("Bez ezera.", False),
    ],
)
def test_negation_cue_before_the_term_drops_the_match(tiny, text, coded):
    assert ("water.lake" in _found(tiny, text)) is coded


def test_code_with_negation_keep_ignores_cues(tiny):
    assert "contest" in _found(tiny, "nav kausu")


def test_a_negated_phrase_still_counts_where_it_occurs_again_without_cue(tiny_raw):
    raw = copy.deepcopy(tiny_raw)
    raw["codes"][4]["negation"] = "drop"
    codebook = cbk.parse_codebook(raw, source="tiny.yaml")
    phrase = "makšķerēšanas sacensības"
    # window_before is 2: "nav" right before the phrase negates it; four words later it does not.
    assert "contest" not in _found(codebook, f"nav {phrase}")
    assert _found(codebook, f"nav {phrase}. Bet šogad bija {phrase}")["contest"] == [phrase]


def test_study_codebook_examples_and_counter_examples_hold(study):
    misses = coder.check_examples(study)
    assert misses.empty, misses.to_string()


def test_study_codebook_has_the_agreed_leaf_codes(study):
    leaves = {code.id for code in study.leaves}
    assert len(leaves) == 26
    assert {
        "why.strategy_in_head",
        "focus.innovation_caution",
        "swot.threat.unstable_funding",
    } <= leaves
    assert study.code("why.funding_requirement").parent == "why.external"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "Tas ir mūsu stratēģijā ierakstīts, un stratēģija palīdz.",
            "swot.opportunity.strategy_as_tool",
        ),
        ("Komiteja pārskatīja to reizi gadā.", "review.regular"),
        ("Pa ceļiem nevar izbraukt.", "focus.territory_infrastructure"),
    ],
)
def test_study_forms_simplemma_alone_gets_wrong(study, text, code):
    # "stratēģijā" and "pārskatīja" come back unchanged from simplemma and "ceļiem" becomes
    # "celis" (knee): the codebook's prefixes, patterns and exact forms must still catch them.
    assert code in _found(study, text)


def test_nothing_in_src_names_a_study_theme():
    folder = PROJECT_ROOT / "src" / "ruralplan" / "interviews"
    paths = sorted(folder.glob("*.py"))
    assert {"coder.py", "codebook.py", "gates.py", "summaries.py"} <= {p.name for p in paths}
    source = "\n".join(p.read_text(encoding="utf-8") for p in paths)
    for word in ("swot", "strategy_in_head", "stratēģ", "PERSONA", "INTERVĒTĀJS", "RESPONDENT"):
        assert word not in source, word


def test_no_private_regular_expression_internals_are_used():
    source = "\n".join(p.read_text(encoding="utf-8") for p in (PROJECT_ROOT / "src").rglob("*.py"))
    private = re.compile(r"\bre\._|from re import _|\bsre_(?:parse|constants|compile)\b")
    assert private.findall(source) == []


def _broken(raw, edit):
    raw = copy.deepcopy(raw)
    edit(raw)
    return raw


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda r: r["codes"].append(dict(r["codes"][1])), r"duplicate code ids \['water.river'\]"),
        (lambda r: r["codes"][1].update(parent="sea"), r"'water.river' names unknown parent 'sea'"),
        (lambda r: r["codes"][1].update(rules={}), r"'water.river'.rules: is empty"),
        (
            lambda r: r["codes"][2].update(rules={"lemmas": ["ezers"], "regex": ["x"]}),
            r"unknown rule kinds \['regex'\]",
        ),
        (
            lambda r: r["codes"][3].update(rules={"patterns": ["(unclosed"]}),
            r"'\(unclosed' is not a valid regular expression",
        ),
        (lambda r: r["codes"][1].update(colour="#fff"), r"unknown keys \['colour'\]"),
        (lambda r: r["codes"][1].pop("name_en"), r"missing required keys \['name_en'\]"),
        (lambda r: r["codes"][4].pop("rules"), r"codes \['contest'\] have no rules and no child"),
        (lambda r: r["codes"][1].update(key="Upes Puse"), r"'water.river': key must be lower"),
        (lambda r: r.update(language="xx"), r"tiny.yaml: language: 'xx' is not a supported"),
        (lambda r: r.update(language="LV"), r"tiny.yaml: language: 'LV' is not a supported"),
        (lambda r: r.update(language=["lv"]), r"tiny.yaml: language: \['lv'\] is not a"),
        (lambda r: r.update(matrix="water"), r"tiny.yaml: matrix: expected a mapping with `root`"),
        (lambda r: r.update(matrix={"columns": 2}), r"tiny.yaml: matrix: expected a mapping"),
        (
            lambda r: r.update(matrix={"root": "water", "rows": 2}),
            r"tiny.yaml: matrix: expected a mapping",
        ),
        (
            lambda r: r.update(matrix={"root": "water", "columns": 0}),
            r"tiny.yaml: matrix.columns: expected a positive integer, got 0",
        ),
        (
            lambda r: r.update(matrix={"root": "water", "columns": "two"}),
            r"matrix.columns: expected a positive integer, got 'two'",
        ),
        (
            lambda r: r.update(matrix={"root": "sea"}),
            r"tiny.yaml: matrix.root: 'sea' is not a code id",
        ),
        (
            lambda r: r.update(matrix={"root": "fish"}),
            r"tiny.yaml: matrix.root: 'fish' must be a grouping code",
        ),
        (
            lambda r: r.update(matrix={"root": "water.river"}),
            r"matrix.root: 'water.river' must be a grouping code",
        ),
    ],
    ids=[
        "duplicate",
        "unknown-parent",
        "empty-rule",
        "unknown-rule-kind",
        "bad-regex",
        "unknown-key",
        "missing-name",
        "leaf-without-rules",
        "bad-cell-key",
        "unknown-language",
        "upper-case-language",
        "language-not-a-string",
        "matrix-not-a-mapping",
        "matrix-without-root",
        "matrix-unknown-key",
        "matrix-zero-columns",
        "matrix-columns-not-a-number",
        "matrix-unknown-root",
        "matrix-root-with-rules",
        "matrix-root-is-a-leaf",
    ],
)
def test_codebook_errors_are_precise(tiny_raw, edit, message):
    with pytest.raises(cbk.CodebookError, match=message):
        cbk.parse_codebook(_broken(tiny_raw, edit), source="tiny.yaml")


# ---- interview language --------------------------------------------------------------------------


def test_language_defaults_to_latvian_when_absent(tiny, study):
    assert "language" not in read_yaml(TINY / "codebook.yaml")
    assert tiny.language == "lv"
    assert study.language == "lv"


def test_language_decides_lemmatiser_and_stemmer(tiny_raw):
    raw = copy.deepcopy(tiny_raw)
    raw["language"] = "en"
    raw["codes"].append(
        {
            "id": "house",
            "name_lv": "Māja",
            "name_en": "House",
            "definition": "Houses.",
            "rules": {"lemmas": ["house"]},
        }
    )
    english = cbk.parse_codebook(raw, source="tiny.yaml")
    assert english.language == "en"
    # English lemmas: "Houses" is a form of "house"; the Latvian stemmer is not used, so the
    # dative "ezeram" no longer reaches the lemma "ezers" (it does in Latvian, see above).
    assert _found(english, "Two Houses")["house"] == ["house"]
    assert "water.lake" not in _found(english, "ezeram")
    assert "water.lake" in _found(english, "ezers")
    # Folding of palatalised consonants is Latvian too: the prefix rule needs the letters.
    assert words.fold("makšķer", "en") == "makšķer"
    assert words.stem_key("ezeram", "lv") == words.stem_key("ezers", "lv")
    assert words.stem_key("ezeram", "en") == "ezeram"


def test_is_supported_asks_the_lemmatiser():
    assert words.is_supported("lv") and words.is_supported("en")
    assert not words.is_supported("xx")


# ---- matrix ------------------------------------------------------------------------------------


def _matrix_codebook(matrix):
    def code(code_id, parent, name, **extra):
        return {
            "id": code_id,
            "parent": parent,
            "name_lv": name,
            "name_en": name.upper(),
            "definition": "d",
            **extra,
        }

    raw = {
        "speakers": {"respondent": ["A"]},
        "codes": [
            code("water", None, "Ūdeņi"),
            code("water.fresh", "water", "Saldūdens", key="sweet"),
            code("water.fresh.river", "water.fresh", "Upe", rules={"lemmas": ["upe"]}),
            code("water.fresh.lake", "water.fresh", "Ezers", rules={"lemmas": ["ezers"]}),
            code("water.salt", "water", "Sāļš"),
            code("water.salt.sea", "water.salt", "Jūra", rules={"lemmas": ["jūra"]}),
            code("fish", None, "Zivis", rules={"lemmas": ["zivs"]}),
        ],
    }
    if matrix is not None:
        raw["matrix"] = matrix
    return cbk.parse_codebook(raw, source="m.yaml")


def _counts_and_quotes():
    matrix = pd.DataFrame(
        {
            "code": ["water.fresh.river", "water.fresh.lake", "water.salt.sea", "fish"],
            "n_interviews": [2, 0, 1, 3],
            "n_interviews_total": 5,
        }
    )
    quotes = pd.DataFrame(
        {"code": ["water.fresh.river", "water.fresh.river"], "quote": ["pirmā", "otrā"]}
    )
    return matrix, quotes


def test_matrix_table_lists_items_under_the_cells_of_the_root():
    codebook = _matrix_codebook({"root": "water", "columns": 1})
    assert codebook.matrix == cbk.MatrixSpec(root="water", columns=1)
    table = summaries.matrix_table(*_counts_and_quotes(), codebook, "lv")
    assert list(table.columns) == summaries.MATRIX_COLUMNS
    # Codebook order; the first cell has an explicit key, the second takes its id's last part.
    assert table.to_dict("list") == {
        "item": ["Upe", "Ezers", "Jūra"],
        "code": ["water.fresh.river", "water.fresh.lake", "water.salt.sea"],
        "cell": ["water.fresh", "water.fresh", "water.salt"],
        "quadrant": ["sweet", "sweet", "salt"],
        "quadrant_name": ["Saldūdens", "Saldūdens", "Sāļš"],
        "n_interviews": [2, 0, 1],
        "n_interviews_total": [5, 5, 5],
        "quote": ["pirmā", "", ""],
    }
    english = summaries.matrix_table(*_counts_and_quotes(), codebook, lang="en")
    assert english["quadrant_name"].tolist() == ["SALDŪDENS", "SALDŪDENS", "SĀĻŠ"]


def test_matrix_grid_lays_cells_out_in_rows():
    codebook = _matrix_codebook({"root": "water"})
    table = summaries.matrix_table(*_counts_and_quotes(), codebook)
    grid = summaries.matrix_grid(table, codebook.matrix.columns)
    assert grid.shape == (1, 2)
    assert grid.loc["1", "1"] == "Saldūdens\nUpe (2/5)\nEzers (0/5)"
    assert grid.loc["1", "2"] == "Sāļš\nJūra (1/5)"
    three = summaries.matrix_grid(pd.concat([table, table.assign(quadrant="x")]), 2)
    assert three.shape == (2, 2) and three.loc["2", "2"] == ""


def test_without_a_matrix_block_the_table_and_grid_are_empty(tiny):
    assert tiny.matrix is None
    table = summaries.matrix_table(*_counts_and_quotes(), tiny)
    assert table.empty and list(table.columns) == summaries.MATRIX_COLUMNS
    grid = summaries.matrix_grid(table, 2)
    assert grid.empty
    assert "<table" in grid.style.set_properties(**{"white-space": "pre-wrap"}).to_html()


def test_study_matrix_has_its_four_swot_cells_in_order(study):
    matrix = pd.DataFrame(
        {"code": [code.id for code in study.leaves], "n_interviews": 1, "n_interviews_total": 16}
    )
    quotes = pd.DataFrame({"code": [], "quote": []})
    table = summaries.matrix_table(matrix, quotes, study, lang="en")
    counts = table.groupby("quadrant", sort=False).size()
    # docs/interviews.md: four quadrants of 3 + 3 + 2 + 2 items, in this order
    assert list(counts.index) == ["strengths", "weaknesses", "opportunities", "threats"]
    assert counts.tolist() == [3, 3, 2, 2]
    assert study.matrix.columns == 2


def test_summaries_match_hand_counts(tiny):
    coded = pd.DataFrame(
        {
            "interview_id": ["a", "a", "a", "b"],
            "segment_id": ["s1", "s1", "s2", "s1"],
            "speaker": "ATBILD",
            "code": ["water.river", "fish", "water.river", "fish"],
            "matched_terms": ["upe", "zivs; makšķer*", "upe", "zivs"],
            "text": ["x", "x", "yy", "z"],
        }
    )
    matrix = summaries.code_matrix(coded, tiny, ["a", "b", "c"])
    river = matrix.set_index("code").loc["water.river"]
    assert (river["a"], river["b"], river["c"], river["n_interviews"], river["n_segments"]) == (
        2,
        0,
        0,
        1,
        2,
    )
    counts, c_coef = summaries.cooccurrence(coded, ["water.river", "fish", "water.lake"])
    # river in 2 segments, fish in 2, together in 1: c = 1 / (2 + 2 - 1) = 0.333.
    assert counts.loc["water.river", "fish"] == 1
    assert c_coef.loc["water.river", "fish"] == pytest.approx(0.333)
    assert pd.isna(c_coef.loc["water.lake", "water.lake"])
    assert set(matrix["n_interviews_total"]) == {3}  # a, b and c, though c has no coding
    segments = coded[["interview_id", "segment_id", "text"]].drop_duplicates()
    terms = coded.assign(n_terms=[1, 2, 1, 1])  # fish in a/s1 rests on two terms
    quotes = summaries.exemplar_quotes(coded, segments, tiny, terms=terms)
    # only the two-term coding may be quoted without human support
    assert quotes[["code", "interview_id", "segment_id"]].values.tolist() == [["fish", "a", "s1"]]
    assert quotes.loc[0, "n_interviews"] == 2 and quotes.loc[0, "n_interviews_total"] == 2


# ---- same results as the coder before the rewrites -----------------------------------------------

V1 = PROJECT_ROOT / "tests" / "data" / "coding_v1"


def test_coder_reproduces_stored_output_on_shipped_transcripts():
    # expected_coded.csv was written by the first coder with the frozen codebook.
    codebook = files.read_interview_codebook(V1 / "codebook.yaml")
    texts = files.read_transcripts(PROJECT_ROOT / "data" / "raw" / "interviews")
    segments = seg.segment_transcripts(texts, speakers=codebook.speakers)
    coded = coder.code_segments(segments, codebook)
    expected = pd.read_csv(V1 / "expected_coded.csv", dtype="string", keep_default_na=False)
    got = coded[["interview_id", "segment_id", "code", "matched_terms"]].astype("string")
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected)
    # and the per-code totals stated in the fixture README's source run
    assert len(expected) == 289
    assert expected["code"].value_counts()["focus.territory_infrastructure"] == 37


def test_coder_orders_terms_tokens_then_phrases_then_patterns(tiny):
    segments = seg.segment_transcripts(files.read_transcripts(TINY), speakers=tiny.speakers)
    coded = coder.code_segments(segments, tiny)
    terms = dict(
        zip(coded["segment_id"] + "/" + coded["code"], coded["matched_terms"], strict=True)
    )
    # Order of terms within a code: token rules in text order, then phrases, then patterns.
    assert terms["s005/contest"] == r"makšķerēšanas sacensības; /\bkaus[su]\b/"
    assert terms["s003/fish"] == "zivju"


def test_a_stem_ending_in_kst_is_found(tiny_raw):
    # rīkšu (genitive plural of rīkste, a rod) stems to rīkst, like rīkste itself.
    raw = copy.deepcopy(tiny_raw)
    raw["codes"].append(
        {
            "id": "rod",
            "name_lv": "Rīkste",
            "name_en": "Rod",
            "definition": "Fishing rods.",
            "rules": {"lemmas": ["rīkste"]},
        }
    )
    codebook = cbk.parse_codebook(raw, source="tiny.yaml")
    assert words.stem_key("rīkšu") == words.stem_key("rīkste") == "rīkst"
    assert _found(codebook, "Daudz rīkšu.") == {"rod": ["rīkste"]}


def test_corpus_coder_equals_coding_each_text_alone(study):
    # Coding segments together must give what coding each one separately gives: negation
    # windows and phrase gaps never reach into the neighbouring segment.
    texts = ["Mums nav", "stratēģijas. Ezers", "stratēģija palīdz", "", "nav naudas"]
    segments = pd.DataFrame(
        {
            "interview_id": "a",
            "segment_id": [f"s{i}" for i in range(5)],
            "speaker": "R",
            "role": "respondent",
            "text": texts,
        }
    )
    coded = coder.code_segments(segments, study)
    matcher = coder.compile_codebook(study)
    alone = {
        (f"s{i}", code): "; ".join(terms)
        for i, text in enumerate(texts)
        for code, terms in coder.code_text(matcher, text).items()
    }
    keys = zip(coded["segment_id"], coded["code"], strict=True)
    assert alone and dict(zip(keys, coded["matched_terms"], strict=True)) == alone


def test_code_segments_keeps_positions_with_a_shuffled_index(tiny):
    segments = seg.segment_transcripts(files.read_transcripts(TINY), speakers=tiny.speakers)
    expected = coder.code_segments(segments, tiny)
    shuffled = segments.set_axis(list(range(len(segments), 0, -1))).astype(object)
    pd.testing.assert_frame_equal(coder.code_segments(shuffled, tiny), expected)


@pytest.mark.parametrize("missing", [None, float("nan"), 7])
def test_code_segments_names_the_row_without_text(tiny, missing):
    segments = pd.DataFrame(
        {
            "interview_id": "a",
            "segment_id": ["s001", "s002", "s003"],
            "speaker": "R",
            "role": "respondent",
            "text": pd.Series(["labi", missing, "labi"], dtype=object),
        }
    )
    with pytest.raises(TypeError, match=r"interview a, segment s002: column 'text' must hold"):
        coder.code_segments(segments, tiny)


def test_code_segments_without_respondent_segments_is_an_empty_table(tiny):
    segments = seg.split_segments("JAUTĀ: Upe?", interview_id="a", speakers=tiny.speakers)
    coded = coder.code_segments(segments, tiny)
    assert coded.empty and list(coded.columns) == coder.CODED_COLUMNS


# ---- pattern gates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bplauktā\b", [{"plauktā"}]),  # whole word
        (r"\bne(?:pārskat|atjaun)\w*", [{"ne"}, {"pārskat", "atjaun"}]),  # prefix + branch
        (r"naud\w*.{0,9}trūkst", [{"naud"}, {"trūkst"}]),  # free-standing literals
        (r"(?:a|b)?x", [{"x"}]),  # optional group ignored
        (r"(?:nav|)\s+x", [{"x"}]),  # empty branch: no literal
        (r"nav|maz", [{"nav", "maz"}]),  # top-level alternation
        (r"ab+c", [{"ab"}, {"c"}]),  # "abbc" holds "ab" and "c", not "abc"
        (r"ab*c", [{"a"}, {"c"}]),  # "ac" holds no "b"
        (r"ab{2,3}c", [{"ab"}, {"c"}]),  # "abbc" again: the repeat ends the run
        (r"(?:ab){0,2}c", [{"c"}]),
        (r"(?:ab)+c", [{"ab"}, {"c"}]),
        (r"x\.y", [{"x.y"}]),  # an escaped dot is a literal dot
        (r"(?=abc)x(?<!q)", [{"x"}]),  # lookarounds add nothing
        (r"[ab]cd[]e]f[^]]g", [{"cd"}, {"f"}, {"g"}]),  # classes, "]" first in a class
        (r"(?:a(?:b|c d)|e f)g", [{"a", "e f"}, {"g"}]),  # a branch gives its strongest set
        (r"\w+", []),  # nothing required
    ],
)
def test_required_literals(pattern, expected):
    assert [set(group) for group in gates.required_literals(pattern)] == expected


@pytest.mark.parametrize(
    "pattern",
    [r"(?i)nav", r"(a)\1x", r"\x41bc", r"(?x) a b", r"a{b}c", r"(?P<n>ab)(?(n)c|d)", "(unclosed"],
    ids=["inline-flag", "back-reference", "hex-escape", "verbose", "literal-brace", "cond", "bad"],
)
def test_patterns_the_reader_leaves_alone_have_no_gate(pattern):
    assert gates.required_literals(pattern) == ()


def test_fold_table_asks_re_which_characters_match_without_case():
    table = gates.fold_table("sik")
    assert table["ſ"] == "s" and table["S"] == "s"  # long s, and the capital
    assert table["ı"] == "i" and table["İ"] == "i"  # dotless i, dotted capital I
    assert table["\u212a"] == "k"  # Kelvin sign
    assert not {"s", "i", "k", "a"} & set(table)  # representatives and other letters stay
    assert gates.fold_table("aA") == {"A": "a"}


_STUDY_PATTERNS = [
    pattern
    for code in files.read_interview_codebook(STUDY_CODEBOOK).leaves
    for pattern in code.rules.patterns
]
_GATE_PATTERNS = [
    r"\b(?:ab cd|ef,?\s+gh|ij)",
    r"(?:ab|cd ef)\w*\s+(?:gh|ij kl)",
    r"(?:a(?:b|c d)|e f)g",
    r"(?:ab|)cd",
    r"x(?:ab|cd|ef)(?:ab|cd|ef)+",
    r"sa+b?[ab]\.",
    r"Ab Cd",
    r"(?<!ne)ab(?=cd)",
]
_GATE_PIECES = ["ab", "cd", "ef", "gh", "ij", "kl", "x", "a", "g", " ", ",", ".", "AB", "ſ", "ı"]
_GATE_PIECES += ["nav ", "naudas", "stratēģija", "ſtratēģija", "palīdz", "tā, kā ir", "ne"]


@settings(max_examples=500, deadline=None)
@given(
    source=st.sampled_from(_GATE_PATTERNS + _STUDY_PATTERNS),
    text=st.lists(st.sampled_from(_GATE_PIECES), max_size=12).map("".join),
)
def test_the_gate_opens_for_every_text_the_pattern_matches(source, text):
    # A gate that stayed shut on a matching text would lose a code; patterns are searched
    # without case in lower-cased text, where "s" also matches "ſ".
    lowered = text.lower()
    if re.search(source, lowered, re.IGNORECASE) is not None:
        assert gates.PatternGate([source]).open(lowered) == [0]


def test_gate_opens_only_where_all_literal_sets_occur():
    gate = gates.PatternGate([r"\bnav\s+(?:naudas|laika)", r"\w+", r"(?i)x"])
    assert gate.open("mums nav laika") == [0, 1, 2]
    assert gate.open("nav mums") == [1, 2]  # one set met, not the other
    assert gate.open("naudas nav") == [0, 1, 2]  # the gate ignores order; the search does not


def test_patterns_give_the_same_segments_as_a_case_insensitive_search(study):
    # ſ (long s) and ı (dotless i) match s and i only without case: "ſtratēģija ... palīdz"
    # must still be coded, through the gate's folding.
    texts = [text for code in study.leaves for text in (*code.examples, *code.counter_examples)]
    texts += ["ſtratēģija mums palīdz", "STRATĒĢIJA mums PALĪDZ", "nav naudas", "Nav naudas ı"]
    segments = pd.DataFrame(
        {
            "interview_id": "a",
            "segment_id": [f"s{i:03d}" for i in range(len(texts))],
            "speaker": "R",
            "role": "respondent",
            "text": texts,
        }
    )
    coded = coder.code_segments(segments, study)
    found = {
        (row.segment_id, row.code)
        for row in coded.itertuples(index=False)
        if "/" in row.matched_terms
    }  # pattern terms are written /.../
    expected = {
        (f"s{i:03d}", code.id)
        for i, text in enumerate(texts)
        for code in study.leaves
        for pattern in code.rules.patterns
        if re.search(pattern, text.lower(), re.IGNORECASE)
    }
    assert found == expected
    assert (f"s{len(texts) - 4:03d}", "swot.opportunity.strategy_as_tool") in expected


# ---- segmenter equivalence -----------------------------------------------------------------------


def _reference_segments(transcripts, speakers):
    """The line-by-line segmenter as first written (one tuple per paragraph), for comparison."""
    labels = sorted(speakers, key=len, reverse=True)
    label_re = re.compile(r"^(" + "|".join(re.escape(label) for label in labels) + r"): ?(.*)$")
    plain = not any(":" in label for label in speakers)
    rows = []
    for key in sorted(transcripts):
        paragraphs, owners, speaker, fresh = [], [], None, True
        for number, line in enumerate(transcripts[key].splitlines(), start=1):
            stripped = line.strip()
            if plain:
                head, colon, rest = stripped.partition(":")
                label = (head, rest) if colon and head in speakers else None
            else:
                match = label_re.match(stripped)
                label = match.groups() if match else None
            if label:
                speaker, fresh, stripped = label[0], True, label[1].strip()
            if not stripped:
                fresh = True
                continue
            if number == 1 and stripped.startswith("#"):
                continue
            if speaker is None:
                raise seg.TranscriptError(f"{key}, line {number}: text before")
            if fresh:
                paragraphs.append([])
                owners.append(speaker)
                fresh = False
            paragraphs[-1].append(stripped)
        rows += [
            (key, f"s{i:03d}", who, speakers[who], " ".join(lines))
            for i, (who, lines) in enumerate(zip(owners, paragraphs, strict=True), start=1)
        ]
    return pd.DataFrame(rows, columns=seg.SEGMENT_COLUMNS)


# Line breaks str.splitlines knows, and whitespace str.strip removes, beyond "\n" and " ".
_ODD = ["\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
_ODD += ["\t", "\xa0", "\u3000", "\u200b", "\ufeff"]
_PIECES = ["A: ", "A:", "B 2: ", " A : ", "B 2:", "x: ", "#", "# h", "vārds", "a b", ":", "\n"]
_PIECES += _ODD + ["\x1f", "\u2000", "\n\n", "\n \n", "A:B: ", " # x"]


@settings(max_examples=600, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["b", "a", "c"]),
        st.lists(st.sampled_from(_PIECES), max_size=30).map("".join),
        max_size=3,
    ),
    st.sampled_from(
        [{"A": "interviewer", "B 2": "respondent"}, {"A": "x", "A:B": "y"}, {" A": "x", "x": "y"}]
    ),
)
def test_segmenter_equals_line_by_line_reference(transcripts, speakers):
    try:
        expected = _reference_segments(transcripts, speakers)
    except seg.TranscriptError as error:
        with pytest.raises(seg.TranscriptError) as raised:
            seg.segment_transcripts(transcripts, speakers=speakers)
        assert str(raised.value).split(":")[0] == str(error).split(":")[0]
        return
    segments = seg.segment_transcripts(transcripts, speakers=speakers)
    pd.testing.assert_frame_equal(segments, expected)
    for key in sorted(transcripts):
        alone = seg.split_segments(transcripts[key], interview_id=key, speakers=speakers)
        pd.testing.assert_frame_equal(alone, _reference_segments({key: transcripts[key]}, speakers))


def test_segments_of_transcripts_without_paragraphs_are_an_empty_table():
    segments = seg.segment_transcripts({"a": "# only a header\n", "b": ""}, speakers={"A": "r"})
    assert segments.columns.tolist() == seg.SEGMENT_COLUMNS
    assert len(segments) == 0


# ---- segment spans: where each segment sits in its transcript -----------------------------------


def _span_text(text: str, start: int, end: int) -> str:
    """A span's text as the segmenter writes a paragraph: lines stripped, joined by a space."""
    piece = seg._LINE_BREAKS.sub("\n", text[start:end])
    return " ".join(line.strip() for line in piece.split("\n")) if "\n" in piece else piece


def _check_spans(transcripts, speakers):
    segments = seg.segment_transcripts(transcripts, speakers=speakers)
    spans = seg.segment_spans(transcripts, speakers=speakers)
    assert spans.columns.tolist() == seg.SPAN_COLUMNS
    assert spans[["interview_id", "segment_id"]].equals(segments[["interview_id", "segment_id"]])
    got = [
        _span_text(transcripts[row.interview_id], row.start, row.end)
        for row in spans.itertuples(index=False)
    ]
    assert got == segments["text"].tolist()
    for row in spans.itertuples(index=False):
        text = transcripts[row.interview_id]
        assert not text[row.start].isspace() and not text[row.end - 1].isspace()


@settings(max_examples=600, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["b", "a", "c"]),
        st.lists(st.sampled_from(_PIECES), max_size=30).map("".join),
        max_size=3,
    ),
    st.sampled_from(
        [{"A": "interviewer", "B 2": "respondent"}, {"A": "x", "A:B": "y"}, {" A": "x", "x": "y"}]
    ),
)
def test_segment_spans_cover_exactly_the_segment_texts(transcripts, speakers):
    try:
        seg.segment_transcripts(transcripts, speakers=speakers)
    except seg.TranscriptError:
        with pytest.raises(seg.TranscriptError):
            seg.segment_spans(transcripts, speakers=speakers)
        return
    _check_spans(transcripts, speakers)


@pytest.mark.parametrize(
    "folder", ["data/raw/interviews", "examples/village-halls/raw/interviews", TINY], ids=str
)
def test_segment_spans_of_the_shipped_transcripts(folder):
    folder = PROJECT_ROOT / folder
    codebook_path = folder / "codebook.yaml"
    if not codebook_path.is_file():
        codebook_path = folder.parents[1] / "codebooks" / "interviews.yaml"
    speakers = files.read_interview_codebook(codebook_path).speakers
    _check_spans(files.read_transcripts(folder), speakers)


def test_segment_spans_by_hand():
    text = "# h\r\n\r\nA: Labdien!\r\nB:  Pirmā\r\n rinda \r\n\r\notrā.\n"
    spans = seg.segment_spans({"x": text}, speakers={"A": "interviewer", "B": "respondent"})
    # "Labdien!" starts after "# h\r\n\r\nA: " (3 + 2 + 2 + 3 characters); B's turn after
    # "\r\nB:  " at 18; its first paragraph ends before " \r\n\r\n", the second is "otrā."
    assert spans[["start", "end"]].values.tolist() == [[10, 18], [24, 37], [42, 47]]
    assert [text[10:18], text[24:37], text[42:47]] == ["Labdien!", "Pirmā\r\n rinda", "otrā."]
