"""Tests of the synthetic interview corpus in ``data/raw/interviews/`` (data, not code).

The transcripts, metadata, gold coding and personal-data register are written by hand; these
tests keep them consistent with each other and with the transcript format the coder relies on.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1] / "data" / "raw" / "interviews"

# The leaf codes agreed for the interview codebook (the shared contract of issue 5).
CODES = (
    "why.leader_role",
    "why.funding_requirement",
    "why.competition_criterion",
    "why.support_programme",
    "why.strategy_in_head",
    "how.broad_forum",
    "how.small_group",
    "how.one_person",
    "review.regular",
    "review.lapsed",
    "focus.economic_activity",
    "focus.heritage",
    "focus.culture_events",
    "focus.territory_infrastructure",
    "focus.innovation",
    "focus.innovation_caution",
    "swot.strength.participation",
    "swot.strength.flexibility",
    "swot.strength.solidarity",
    "swot.weakness.limited_resources",
    "swot.weakness.resistance_to_change",
    "swot.weakness.lack_of_expertise",
    "swot.opportunity.strategy_as_tool",
    "swot.opportunity.openness_to_change",
    "swot.threat.external_challenges",
    "swot.threat.unstable_funding",
)
LABELS = {"INTERVĒTĀJS": "interviewer", "RESPONDENTS": "respondent", "RESPONDENTS 2": "respondent"}
LABEL_RE = re.compile(r"^(INTERVĒTĀJS|RESPONDENTS 2|RESPONDENTS): (\S.*)$")
LOOKS_LIKE_LABEL = re.compile(r"^[A-ZĀČĒĢĪĶĻŅŠŪŽ][A-ZĀČĒĢĪĶĻŅŠŪŽ ]*\d*:")
META_COLUMNS = [
    "interview_id",
    "date",
    "community_type",
    "planning_region",
    "size_band",
    "strategy_status",
    "n_respondents",
    "words",
]
COMMUNITY_TYPES = {"biedriba", "nodibinajums", "vrg", "neformala_kopiena"}
REGIONS = {"Kurzemes", "Latgales", "Rīgas", "Vidzemes", "Zemgales"}
SIZE_BANDS = {"1-9", "10-19", "20-49", "50+"}
STATUSES = {"written", "in_head", "none"}
PII_CATEGORIES = {"person", "phone", "email", "personal_code", "address", "place"}


class FormatError(ValueError):
    """A transcript does not follow the agreed turn format."""


def parse_transcript(text: str, interview_id: str) -> list[tuple[str, str, str]]:
    """Return ``(segment_id, speaker_label, text)`` per paragraph, or raise FormatError.

    Independent of the coder on purpose: it states the format as the data card does.
    """
    if "\r" in text or "\t" in text:
        raise FormatError(f"{interview_id}: carriage returns or tabs in the text")
    if not text.endswith("\n") or text.endswith("\n\n"):
        raise FormatError(f"{interview_id}: the file must end with exactly one newline")
    header, sep, body = text.partition("\n\n")
    if header != f"# Intervija {interview_id}" or not sep:
        raise FormatError(
            f"{interview_id}: first line must be '# Intervija {interview_id}' "
            f"followed by one blank line, found {header[:40]!r}"
        )
    segments: list[tuple[str, str, str]] = []
    speaker = None
    for number, block in enumerate(body.rstrip("\n").split("\n\n"), start=1):
        if not block.strip() or "\n" in block or block != block.strip():
            raise FormatError(
                f"{interview_id}, paragraph {number}: paragraphs are one line each, "
                "separated by exactly one blank line"
            )
        match = LABEL_RE.match(block)
        if match:
            speaker, content = match.group(1), match.group(2)
        elif LOOKS_LIKE_LABEL.match(block):
            raise FormatError(
                f"{interview_id}, paragraph {number}: unknown speaker label in "
                f"{block[:30]!r}; expected one of {sorted(LABELS)}"
            )
        elif speaker is None or LABELS[speaker] != "respondent":
            raise FormatError(
                f"{interview_id}, paragraph {number}: a paragraph without a label "
                "must continue a respondent turn"
            )
        else:
            content = block
        segments.append((f"s{number:03d}", speaker, content))
    return segments


def count_words(segments: list[tuple[str, str, str]]) -> int:
    """Count whitespace-separated tokens of the spoken text (labels and header excluded)."""
    return sum(len(content.split()) for _, _, content in segments)


def read_rows(name: str) -> list[dict[str, str]]:
    """Read one CSV of the corpus as a list of dicts."""
    with open(CORPUS / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def transcripts() -> dict[str, str]:
    """Map interview id to raw transcript text."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))}


@pytest.fixture(scope="module")
def segments(transcripts: dict[str, str]) -> dict[str, list[tuple[str, str, str]]]:
    """Map interview id to its parsed segments."""
    return {iid: parse_transcript(text, iid) for iid, text in transcripts.items()}


@pytest.fixture(scope="module")
def gold() -> list[dict[str, str]]:
    """Rows of the gold-standard coding."""
    return read_rows("gold_coding.csv")


def code_coverage(gold_rows: list[dict[str, str]]) -> dict[str, int]:
    """Return the number of interviews in which each code is applied at least once."""
    pairs = {(row["code"], row["interview_id"]) for row in gold_rows}
    counts = Counter(code for code, _ in pairs)
    return {code: counts.get(code, 0) for code in CODES}


# --- the format checker itself must reject bad transcripts ---------------------------------

GOOD = "# Intervija int99\n\nINTERVĒTĀJS: Kā jums iet?\n\nRESPONDENTS: Labi.\n\nTurpinu.\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace("int99", "int98", 1), "first line"),
        (GOOD.replace("INTERVĒTĀJS: Kā", "Kā"), "must continue a respondent turn"),
        (GOOD.replace("RESPONDENTS: Labi.", "RESPONDENTE 3: Labi."), "unknown speaker label"),
        (GOOD.replace("\n\nTurpinu.", "\n\n\nTurpinu."), "exactly one blank line"),
        (GOOD.replace("Labi.", "Labi.\nun vēl"), "one line each"),
        (GOOD + "\n", "exactly one newline"),
        (GOOD.replace("\n", "\r\n"), "carriage returns"),
    ],
    ids=[
        "wrong-header",
        "text-before-label",
        "unknown-label",
        "double-blank",
        "wrapped-line",
        "trailing-blank",
        "crlf",
    ],
)
def test_parser_rejects_malformed_transcripts(text: str, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        parse_transcript(text, "int99")


def test_parser_numbers_paragraphs_across_speakers() -> None:
    # Interviewer paragraphs are numbered too; the continuation is the respondent's 2nd paragraph.
    assert parse_transcript(GOOD, "int99") == [
        ("s001", "INTERVĒTĀJS", "Kā jums iet?"),
        ("s002", "RESPONDENTS", "Labi."),
        ("s003", "RESPONDENTS", "Turpinu."),
    ]
    assert count_words(parse_transcript(GOOD, "int99")) == 5


# --- transcripts ---------------------------------------------------------------------------


def test_at_least_sixteen_transcripts_named_intNN(transcripts: dict[str, str]) -> None:
    assert len(transcripts) >= 16
    assert all(re.fullmatch(r"int\d{2}", iid) for iid in transcripts)


def test_every_transcript_parses(segments: dict[str, list[tuple[str, str, str]]]) -> None:
    for iid, segs in segments.items():
        assert segs[0][1] == "INTERVĒTĀJS", iid
        assert {label for _, label, _ in segs} >= {"INTERVĒTĀJS", "RESPONDENTS"}, iid


def test_word_counts_are_in_range(segments: dict[str, list[tuple[str, str, str]]]) -> None:
    too_short_or_long = {
        iid: count_words(s) for iid, s in segments.items() if not 600 <= count_words(s) <= 1500
    }
    assert too_short_or_long == {}


def test_no_published_example_village_is_reused(transcripts: dict[str, str]) -> None:
    # The published summary names a real smart village; the synthetic corpus must not.
    assert not any("Jaunciem" in text for text in transcripts.values())


# --- metadata ------------------------------------------------------------------------------


def test_metadata_matches_files(
    transcripts: dict[str, str], segments: dict[str, list[tuple[str, str, str]]]
) -> None:
    rows = read_rows("metadata.csv")
    assert list(rows[0]) == META_COLUMNS
    assert [r["interview_id"] for r in rows] == sorted(transcripts)
    for row in rows:
        iid = row["interview_id"]
        assert int(row["words"]) == count_words(segments[iid]), iid
        respondents = {label for _, label, _ in segments[iid] if LABELS[label] == "respondent"}
        assert int(row["n_respondents"]) == len(respondents), iid
        assert date.fromisoformat(row["date"]).year == 2024, iid
        assert row["community_type"] in COMMUNITY_TYPES, iid
        assert row["planning_region"] in REGIONS, iid
        assert row["size_band"] in SIZE_BANDS, iid
        assert row["strategy_status"] in STATUSES, iid


def test_metadata_covers_the_variety_asked_for() -> None:
    rows = read_rows("metadata.csv")
    assert {r["community_type"] for r in rows} == COMMUNITY_TYPES
    assert {r["planning_region"] for r in rows} == REGIONS
    assert {r["strategy_status"] for r in rows} == STATUSES
    assert {r["n_respondents"] for r in rows} == {"1", "2"}


# --- gold coding ---------------------------------------------------------------------------


def test_gold_coding_is_well_formed(
    gold: list[dict[str, str]], segments: dict[str, list[tuple[str, str, str]]]
) -> None:
    assert list(gold[0]) == ["interview_id", "segment_id", "code", "coder_note"]
    keys = [(r["interview_id"], r["segment_id"], r["code"]) for r in gold]
    assert len(keys) == len(set(keys)), "a code is applied twice to the same segment"
    assert keys == sorted(keys)
    for row in gold:
        where = f"{row['interview_id']} {row['segment_id']} {row['code']}"
        assert row["code"] in CODES, where
        assert row["coder_note"].strip(), where
        by_id = {sid: label for sid, label, _ in segments[row["interview_id"]]}
        assert LABELS[by_id[row["segment_id"]]] == "respondent", where


def test_gold_set_has_at_least_six_interviews_and_every_code(gold: list[dict[str, str]]) -> None:
    assert len({r["interview_id"] for r in gold}) >= 6
    assert [code for code, n in code_coverage(gold).items() if n == 0] == []


def test_gold_codes_exist_in_the_interview_codebook(gold: list[dict[str, str]]) -> None:
    from ruralplan.interviews.io import read_interview_codebook

    codebook = read_interview_codebook(CORPUS.parents[2] / "data/codebooks/interviews.yaml")
    leaves = {code.id for code in codebook.leaves}
    assert set(CODES) <= leaves
    assert {r["code"] for r in gold} <= leaves


def test_data_card_coverage_table_is_current(gold: list[dict[str, str]]) -> None:
    card = (CORPUS / "README.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| `([a-z_.]+)` \| (\d+) \|", card, flags=re.MULTILINE))
    assert {code: int(n) for code, n in table.items()} == code_coverage(gold)


# --- personal-data register ----------------------------------------------------------------


def test_register_surface_forms_occur_in_their_transcript(transcripts: dict[str, str]) -> None:
    rows = read_rows("pii_register.csv")
    assert list(rows[0]) == ["interview_id", "category", "value", "surface_forms"]
    for row in rows:
        assert row["category"] in PII_CATEGORIES, row
        forms = row["surface_forms"].split("|")
        assert all(forms) and len(forms) == len(set(forms)), row
        missing = [f for f in forms if f not in transcripts[row["interview_id"]]]
        assert missing == [], row


def test_register_plants_every_category_in_most_transcripts(transcripts: dict[str, str]) -> None:
    rows = read_rows("pii_register.csv")
    assert {r["category"] for r in rows} == PII_CATEGORIES
    with_names = {r["interview_id"] for r in rows if r["category"] == "person"}
    assert with_names == set(transcripts)
    with_phone = {r["interview_id"] for r in rows if r["category"] == "phone"}
    assert len(with_phone) > len(transcripts) / 2
    # Inflected names are the hard case: many surface forms differ from the base form.
    inflected = [
        f
        for r in rows
        if r["category"] in {"person", "place"}
        for f in r["surface_forms"].split("|")
        if f != r["value"]
    ]
    assert len(inflected) >= 30


def test_personal_codes_and_phones_have_the_planted_shapes() -> None:
    rows = read_rows("pii_register.csv")
    for row in rows:
        if row["category"] == "personal_code":
            assert re.fullmatch(r"\d{6}-\d{5}", row["value"]), row
        if row["category"] == "phone":
            assert len(re.sub(r"\D", "", row["value"]).removeprefix("371")) == 8, row
        if row["category"] == "email":
            assert re.fullmatch(r"[\w.-]+@[\w-]+(\.[\w-]+)+", row["value"]), row


def test_register_villages_are_not_real_municipalities(project_root: Path) -> None:
    rows = read_rows("pii_register.csv")
    places = {r["value"] for r in rows if r["category"] == "place"}
    municipalities = (project_root / "data/reference/municipalities.csv").read_text(
        encoding="utf-8"
    )
    assert [p for p in places if p in municipalities] == []
