"""Rule-based theme coder: segmenting, rule types, negation, codebook validation."""

from __future__ import annotations

import copy
import re

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ruralplan.interviews import coding
from ruralplan.interviews import io as files
from ruralplan.io import read_yaml
from tests.conftest import PROJECT_ROOT

TINY = PROJECT_ROOT / "tests" / "data" / "interviews_tiny"
STUDY_CODEBOOK = PROJECT_ROOT / "data" / "codebooks" / "interviews.yaml"


@pytest.fixture(scope="module")
def tiny_raw():
    return read_yaml(TINY / "codebook.yaml")


@pytest.fixture(scope="module")
def tiny(tiny_raw):
    return coding.parse_codebook(tiny_raw, source="tiny.yaml")


@pytest.fixture(scope="module")
def study():
    return files.read_interview_codebook(STUDY_CODEBOOK)


def test_segments_are_paragraphs_numbered_across_speakers(tiny):
    text = (
        "# Intervija x\nJAUTĀ: Jautājums?\nATBILD: Pirmā daļa\nturpinās.\n\nOtrā daļa.\n"
        "ATBILD 2: Cits.\n"
    )
    segments = coding.split_segments(text, interview_id="x", speakers=tiny.speakers)
    assert segments["segment_id"].tolist() == ["s001", "s002", "s003", "s004"]
    assert segments["speaker"].tolist() == ["JAUTĀ", "ATBILD", "ATBILD", "ATBILD 2"]
    assert segments["role"].tolist() == ["interviewer", "respondent", "respondent", "respondent"]
    assert segments.loc[1, "text"] == "Pirmā daļa turpinās."


def test_text_before_first_label_is_an_error_with_line_number(tiny):
    with pytest.raises(coding.TranscriptError, match=r"int9, line 2: text before the first"):
        coding.split_segments(
            "# x\nkaut kas\nJAUTĀ: ?", interview_id="int9", speakers=tiny.speakers, source="int9"
        )


def test_tiny_corpus_is_coded_with_its_own_codebook(tiny):
    segments = coding.segment_transcripts(files.read_transcripts(TINY), speakers=tiny.speakers)
    coded = coding.code_segments(segments, tiny)
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
    assert list(coded.columns) == coding.CODED_COLUMNS


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
    found = coding.code_text(coding.compile_codebook(tiny), text)
    assert term in found.get(code, [])


def test_phrase_beyond_gap_does_not_match(tiny):
    found = coding.code_text(coding.compile_codebook(tiny), "makšķerēšanas ļoti lielās sacensības")
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
    assert ("water.lake" in coding.code_text(coding.compile_codebook(tiny), text)) is coded


def test_code_with_negation_keep_ignores_cues(tiny):
    assert "contest" in coding.code_text(coding.compile_codebook(tiny), "nav kausu")


def test_study_codebook_examples_and_counter_examples_hold(study):
    misses = coding.check_examples(study)
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
    assert code in coding.code_text(coding.compile_codebook(study), text)


def test_nothing_in_src_names_a_study_theme():
    import ruralplan

    source = "\n".join(
        p.read_text(encoding="utf-8")
        for p in (PROJECT_ROOT / "src" / "ruralplan").rglob("*.py")
        if p.name in {"coding.py", "redact.py", "reliability.py", "refiqda.py"}
        or p.parent.name == "io"
        and p.name == "interviews.py"
    )
    assert ruralplan is not None
    for word in ("swot", "strategy_in_head", "stratēģ", "PERSONA", "INTERVĒTĀJS", "RESPONDENT"):
        assert word not in source, word


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
    ],
)
def test_codebook_errors_are_precise(tiny_raw, edit, message):
    with pytest.raises(coding.CodebookError, match=message):
        coding.parse_codebook(_broken(tiny_raw, edit), source="tiny.yaml")


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
    matrix = coding.code_matrix(coded, tiny, ["a", "b", "c"])
    river = matrix.set_index("code").loc["water.river"]
    assert (river["a"], river["b"], river["c"], river["n_interviews"], river["n_segments"]) == (
        2,
        0,
        0,
        1,
        2,
    )
    counts, c_coef = coding.cooccurrence(coded, ["water.river", "fish", "water.lake"])
    # river in 2 segments, fish in 2, together in 1: c = 1 / (2 + 2 - 1) = 0.333.
    assert counts.loc["water.river", "fish"] == 1
    assert c_coef.loc["water.river", "fish"] == pytest.approx(0.333)
    assert pd.isna(c_coef.loc["water.lake", "water.lake"])
    quotes = coding.exemplar_quotes(coded, tiny)
    assert quotes.set_index("code").loc["fish", "segment_id"].tolist() == ["s1", "s1"]


# ---- fast path: same results as the coder before the throughput rewrite -----------------------

V1 = PROJECT_ROOT / "tests" / "data" / "coding_v1"


def test_fast_coder_reproduces_stored_output_on_shipped_transcripts():
    # expected_coded.csv was written by the earlier (slow) coder with the frozen codebook.
    codebook = files.read_interview_codebook(V1 / "codebook.yaml")
    texts = files.read_transcripts(PROJECT_ROOT / "data" / "raw" / "interviews")
    segments = coding.segment_transcripts(texts, speakers=codebook.speakers)
    coded = coding.code_segments(segments, codebook)
    expected = pd.read_csv(V1 / "expected_coded.csv", dtype="string", keep_default_na=False)
    got = coded[["interview_id", "segment_id", "code", "matched_terms"]].astype("string")
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected)
    # and the per-code totals stated in the fixture README's source run
    assert len(expected) == 289
    assert expected["code"].value_counts()["focus.territory_infrastructure"] == 37


def test_fast_coder_reproduces_tiny_corpus_terms(tiny):
    segments = coding.segment_transcripts(files.read_transcripts(TINY), speakers=tiny.speakers)
    coded = coding.code_segments(segments, tiny)
    terms = dict(
        zip(coded["segment_id"] + "/" + coded["code"], coded["matched_terms"], strict=True)
    )
    # Order of terms within a code: token rules in text order, then phrases, then patterns.
    assert terms["s005/contest"] == r"makšķerēšanas sacensības; /\bkaus[su]\b/"
    assert terms["s003/fish"] == "zivju"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bplauktā\b", [{"<plauktā>"}]),  # whole token
        (r"\bne(?:pārskat|atjaun)\w*", [{"pārskat", "atjaun"}, {"<ne"}]),  # prefix + branch
        (r"naud\w*.{0,9}trūkst", [{"trūkst"}, {"naud"}]),  # free-standing literals
        (r"(?:a|b)?x", [{"x"}]),  # optional group ignored
        (r"(?:nav|)\s+x", [{"<x"}]),  # empty branch: no literal
        (r"\w+", []),  # nothing required
    ],
    ids=["token", "prefix", "free", "optional", "empty-branch", "none"],
)
def test_required_literals(pattern, expected):
    assert [set(group) for group in coding.required_literals(pattern)] == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="aĀbŠ ΣσςİıẞßǅꞫ\u0345Ωİ.-", max_size=12), min_size=1, max_size=5))
def test_lowered_texts_equal_str_lower(tiny, texts):
    # Arrow lower-cases only when that is exact for the corpus's characters; capital sigma
    # (final form depends on context) and characters with other mappings fall back to Python.
    array = pa.array(texts, pa.large_string())
    corpus = coding._index_corpus(coding.compile_codebook(tiny), array)
    assert coding._lowered(array, corpus) == [text.lower() for text in texts]


def test_arrow_lower_refuses_capital_sigma():
    assert coding.arrow_lower_is_exact("ΑΒ")
    assert not coding.arrow_lower_is_exact("ΟΔΟΣ")  # Python writes the final sigma as ς


_LATVIAN_LETTERS = "aābcčdeēfgģhiījkķlļmnņoprsštuūvzž"


def _stem_key_starts_folded_word(word: str) -> bool:
    return coding.fold(word).startswith(coding.stem_key(word)[:-1])


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=_LATVIAN_LETTERS, min_size=1, max_size=8),
    st.sampled_from(["", "u", "iem", "kšu", "ņņu", "pju", "šņa", "ļļi", "ajiem", "čos", "s"]),
)
def test_stem_key_less_its_last_letter_starts_the_folded_word(stem, ending):
    # The coder skips stemming words that start with no key less its last letter; that is
    # exact only while this holds for every word.
    assert _stem_key_starts_folded_word(stem + ending)


def test_stem_key_prefix_holds_for_dictionary_forms():
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    forms = sorted(DefaultDictionaryFactory().get_dictionary("lv").keys())
    sample = [form.decode() if isinstance(form, bytes) else form for form in forms[::9]]
    assert len(sample) > 10_000
    assert [w for w in sample if not _stem_key_starts_folded_word(w.lower())] == []


def test_stem_keys_of_words_no_rule_can_use_are_left_empty(study):
    matcher = coding.compile_codebook(study)
    # "festivāliem" stems to the key of the lemma rule "festivāls"; "zzzzzzz" to no key.
    assert coding._token_keys(matcher, "festivāliem")[1] == coding.stem_key("festivāls")
    assert coding._token_keys(matcher, "zzzzzzz") == (coding.lemma("zzzzzzz"), "", "")


def test_skipped_stem_keys_are_never_keys_of_the_codebook(study):
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    matcher = coding.compile_codebook(study)
    keys = set(matcher.stem_index) | set(matcher.phrase_index["key"])
    terms = {term for code in study.leaves for term in code.rules.lemmas}
    words = {term[:-1] + ending for term in terms for ending in ("", "u", "iem", "ā", "os", "ām")}
    forms = sorted(DefaultDictionaryFactory().get_dictionary("lv").keys())[::40]
    words |= {(form.decode() if isinstance(form, bytes) else form).lower() for form in forms}
    used = 0
    for word in sorted(words):
        full, short = coding.word_keys(word)[1:], coding._token_keys(matcher, word)[1:]
        for whole, kept in zip(full, short, strict=True):
            assert kept == whole or (kept == "" and whole not in keys), word
            used += kept in keys
    assert used > 50  # the check saw words whose stem keys the rules do use


@pytest.mark.parametrize(
    ("keys", "text", "starts"),
    [
        ({}, "abc", False),
        ({"ab": [1], "abcd": [2]}, "abcde", True),
        ({"ab": [1], "abcd": [2]}, "ab", True),
        ({"ab": [1], "abcd": [2]}, "a", False),
        ({"ab": [1], "abcd": [2]}, "acbd", False),
        ({"abc": [1], "abxy": [2]}, "abxyz", True),
        ({"abc": [1], "abxy": [2]}, "abxz", False),
        ({"": [1]}, "", True),
    ],
)
def test_key_index_tells_whether_a_key_starts_the_text(keys, text, starts):
    index = coding._KeyIndex.build(keys)
    assert index.starts(text) is starts
    assert bool(index.prefixes_of(text)) is starts


def test_a_stem_ending_in_kst_is_still_found(tiny_raw):
    # rīkšu (genitive plural of rīkste, a rod) stems to rīkst: one letter longer than the
    # folded word's start rīks, the one case where a stem key is not a prefix of the word.
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
    matcher = coding.compile_codebook(coding.parse_codebook(raw, source="tiny.yaml"))
    assert coding.stem_key("rīkšu") == coding.stem_key("rīkste") == "rīkst"
    assert coding.code_text(matcher, "Daudz rīkšu.") == {"rod": ["rīkste"]}


_BRANCHY_PATTERNS = [
    r"\b(?:ab cd|ef,?\s+gh|ij)",
    r"(?:ab|cd ef)\w*\s+(?:gh|ij kl)",
    r"(?:a(?:b|c d)|e f)g",
    r"(?:ab|)cd",
    r"x(?:ab|cd|ef|gh|ij|kl)(?:ab|cd|ef|gh|ij|kl)(?:ab|cd|ef|gh|ij|kl)",
]


@settings(max_examples=400, deadline=None)
@given(
    source=st.sampled_from(_BRANCHY_PATTERNS),
    text=st.lists(
        st.sampled_from(["ab", "cd", "ef", "gh", "ij", "kl", "x", "a", "g", " ", ",", "AB"]),
        max_size=10,
    ).map("".join),
)
def test_branch_literal_sets_are_met_by_every_match(source, text):
    # A set of literals is required when every match hits one of them; for alternations the
    # sets combine one set per branch, and a wrong combination would skip a real match.
    lowered = text.lower()
    if re.search(source, lowered, re.IGNORECASE) is None:
        return
    tokens = re.findall(r"\w+", lowered)
    for group in coding.required_literals(source):
        assert any(coding._literal_in(literal, token) for literal in group for token in tokens)


def test_alternation_sets_combine_one_set_per_branch():
    found = {frozenset(group) for group in coding.required_literals(r"\b(?:ab cd|ef gh)")}
    assert found == {
        frozenset({"<ab>", "<ef>"}),
        frozenset({"<ab>", "<gh"}),
        frozenset({"<cd", "<ef>"}),
        frozenset({"<cd", "<gh"}),
    }


def test_gates_never_skip_a_pattern_that_matches(study):
    # Every pattern match found by a plain search must also pass the literal gate.
    matcher = coding.compile_codebook(study)
    texts = [text for code in study.leaves for text in (*code.examples, *code.counter_examples)]
    texts += ["TĀ, kā ir!", "Tā  kā bija", "ſtratēģija", "Nav\tnaudas", "viss ir labi."]
    for text in texts:
        lowered = text.lower()
        tokens = set(coding._tokenise(matcher, text))
        literals_met = set()
        for token in tokens:
            key = token.translate(coding._GATE_FOLD)
            literals_met |= {
                i
                for i, group in enumerate(matcher.groups)
                if any(coding._literal_in(lit, key) for lit in group)
            }
        for number, (_, pattern, _) in enumerate(matcher.patterns):
            if pattern.search(lowered):
                assert matcher.needs[number] <= literals_met, (pattern.pattern, text)


def test_gate_index_agrees_with_literal_definition(study):
    # The indexed gate lookup must give the same groups as testing every literal on the token.
    matcher = coding.compile_codebook(study)
    texts = [text for code in study.leaves for text in (*code.examples, *code.counter_examples)]
    tokens = {token for text in texts for token in coding._tokenise(matcher, text)}
    tokens |= {"nav", "n", "ne", "pārskatīja", "neprotam", "20", "ſtratēģija", "kā", "x"}
    tokens = sorted(tokens)
    one_by_one = coding._gate_groups(matcher, tokens, in_arrow=False)
    in_arrow = coding._gate_groups(matcher, tokens, in_arrow=True)
    for token, found, found_in_arrow in zip(tokens, one_by_one, in_arrow, strict=True):
        key = token.translate(coding._GATE_FOLD)
        expected = {
            i
            for i, group in enumerate(matcher.groups)
            if any(coding._literal_in(literal, key) for literal in group)
        }
        assert found == found_in_arrow == expected, token


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
    coded = coding.code_segments(segments, study)
    matcher = coding.compile_codebook(study)
    alone = {
        (f"s{i}", code): "; ".join(terms)
        for i, text in enumerate(texts)
        for code, terms in coding.code_text(matcher, text).items()
    }
    keys = zip(coded["segment_id"], coded["code"], strict=True)
    assert alone and dict(zip(keys, coded["matched_terms"], strict=True)) == alone


# ---- case-sensitive search of patterns where it is exact -----------------------------------------


def test_case_free_items_refuses_back_references_and_inline_flags():
    assert coding.case_free_items(r"(a)\1") is None
    assert coding.case_free_items(r"(?x) a b") is None
    assert coding.case_free_items(r"(?-i:a)b") is None
    assert coding.case_free_items(r"a.\bb") == (r"\U00000061", r"\U00000062")


@pytest.mark.parametrize(
    ("item", "char", "same"),
    [
        (r"\U00000073", "s", True),
        (r"\U00000073", "ſ", False),  # long s folds to s
        (r"\U00000069", "ı", False),
        (r"[\U00000061-\U0000007a]", "ā", True),
        (r"[^\U00000073]", "ſ", False),
        (r"[\w]", "ſ", True),
    ],
)
def test_same_without_case(item, char, same):
    assert coding._same_without_case(item, char) is same


def test_patterns_give_the_same_segments_as_a_case_insensitive_search(study):
    # The coder searches case-sensitively where that is exact for the corpus's characters;
    # ſ (long s) and ı (dotless i) force the case-insensitive search, which must still find
    # "ſtratēģija ... palīdz" (s matches ſ only without case).
    texts = [text for code in study.leaves for text in (*code.examples, *code.counter_examples)]
    texts += ["ſtratēģija mums palīdz", "STRATĒĢIJA mums PALĪDZ", "nav naudas", "Nav naudas ı"]
    matcher = coding.compile_codebook(study)
    for group in (texts[:-2], texts):
        segments = pd.DataFrame(
            {
                "interview_id": "a",
                "segment_id": [f"s{i:03d}" for i in range(len(group))],
                "speaker": "R",
                "role": "respondent",
                "text": group,
            }
        )
        coded = coding.code_segments(segments, study)
        found = {
            (row.segment_id, row.code)
            for row in coded.itertuples(index=False)
            if "/" in row.matched_terms
        }  # pattern terms are written /.../
        expected = set()
        for i, text in enumerate(group):
            for code, pattern, _ in matcher.patterns:
                if pattern.search(text.lower()):
                    expected.add((f"s{i:03d}", code))
        assert found == expected
    assert ("s" + f"{len(texts) - 4:03d}", "swot.opportunity.strategy_as_tool") in expected


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
                raise coding.TranscriptError(f"{key}, line {number}: text before")
            if fresh:
                paragraphs.append([])
                owners.append(speaker)
                fresh = False
            paragraphs[-1].append(stripped)
        rows += [
            (key, f"s{i:03d}", who, speakers[who], " ".join(lines))
            for i, (who, lines) in enumerate(zip(owners, paragraphs, strict=True), start=1)
        ]
    return pd.DataFrame(rows, columns=coding.SEGMENT_COLUMNS)


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
    except coding.TranscriptError as error:
        with pytest.raises(coding.TranscriptError) as raised:
            coding.segment_transcripts(transcripts, speakers=speakers)
        assert str(raised.value).split(":")[0] == str(error).split(":")[0]
        return
    segments = coding.segment_transcripts(transcripts, speakers=speakers)
    pd.testing.assert_frame_equal(segments, expected)
    for key in sorted(transcripts):
        alone = coding.split_segments(transcripts[key], interview_id=key, speakers=speakers)
        pd.testing.assert_frame_equal(alone, _reference_segments({key: transcripts[key]}, speakers))


def test_segments_of_transcripts_without_paragraphs_are_an_empty_table():
    segments = coding.segment_transcripts({"a": "# only a header\n", "b": ""}, speakers={"A": "r"})
    assert segments.columns.tolist() == coding.SEGMENT_COLUMNS
    assert len(segments) == 0


def test_code_segments_keeps_positions_with_a_shuffled_index(tiny):
    segments = coding.segment_transcripts(files.read_transcripts(TINY), speakers=tiny.speakers)
    expected = coding.code_segments(segments, tiny)
    shuffled = segments.set_axis(list(range(len(segments), 0, -1))).astype(object)
    pd.testing.assert_frame_equal(coding.code_segments(shuffled, tiny), expected)


_WORD_PIECES = [
    "nav",
    "Naudas",
    " ",
    "  ",
    "\t",
    "\xa0",
    "e-pasts",
    "–",
    ",",
    "ĀBOLS",
    "ſ",
    "\n",
    "1.",
]


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(st.lists(st.sampled_from(_WORD_PIECES), max_size=12).map("".join), max_size=6),
    skip=st.integers(min_value=0, max_value=2),
)
def test_corpus_tokens_equal_word_runs_of_each_lowered_text(tiny, texts, skip):
    # Cutting the shared UTF-8 buffer at spaces must give, per segment, exactly the \w+ runs
    # of the lower-cased text, also for a sliced array (non-zero offset) and empty texts.
    array = pa.array(["x y"] * skip + texts, pa.large_string())[skip:]
    corpus = coding._index_corpus(coding.compile_codebook(tiny), array)
    found = [
        [corpus.vocabulary[i] for i in corpus.ids[corpus.start[n] : corpus.start[n + 1]]]
        for n in range(len(texts))
    ]
    assert found == [re.findall(r"\w+", text.lower()) for text in texts]
    assert (corpus.segment == [n for n, words in enumerate(found) for _ in words]).all()


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
        coding.code_segments(segments, tiny)


@pytest.mark.parametrize(
    ("source", "relaxed"),
    [
        (r"\b(?:nav|maz)\s+\w+", r"(?:nav|maz)\s+\w+"),
        (r"\bplauktā\b", r"plauktā\b"),
        (r"\bnav|maz", None),  # the boundary belongs to one branch only
        (r"(?:\bnav)", None),
        (r"nav\b", None),
        (r"\\bnav", None),  # an escaped backslash, not a boundary
    ],
)
def test_relaxed_pattern_drops_only_a_leading_word_boundary(source, relaxed):
    found = coding.relaxed_pattern(re.compile(source))
    assert (None if found is None else found.pattern) == relaxed


_BOUNDARY_PATTERNS = [
    r"\bne\w*",
    r"\b(?:nav|ne)\s+\w*",
    r"\bnav\b",
    r"\b(?:ab|b)",
    r"\b\W",
    r"\b(?=a)",
]


@settings(max_examples=300, deadline=None)
@given(
    source=st.sampled_from(_BOUNDARY_PATTERNS),
    text=st.text(alphabet=st.sampled_from(list("anevb _,ā\u0131\n")), max_size=20),
)
def test_pattern_found_equals_a_plain_search(source, text):
    # The relaxed search skips the boundary, then confirms each hit; on texts where the
    # relaxed form hits inside words ("nenav", "aab") the answer must not change.
    pattern = re.compile(source)
    relaxed = coding.relaxed_pattern(pattern)
    assert relaxed is not None
    assert coding.pattern_found(pattern, relaxed, text) == (pattern.search(text) is not None)


def test_pattern_found_rejects_hits_inside_words():
    pattern = re.compile(r"\bnav\b")
    relaxed = coding.relaxed_pattern(pattern)
    assert not coding.pattern_found(pattern, relaxed, "kanava, navigācija")
    assert coding.pattern_found(pattern, relaxed, "kanava, nav")
