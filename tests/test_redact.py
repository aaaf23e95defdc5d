"""Pseudonymisation: inflected names, pattern rules, consistent placeholders, planted PII."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pandas as pd
import pytest

from ruralplan.interviews import io as files
from ruralplan.interviews import redact
from ruralplan.io import read_yaml
from tests.conftest import PROJECT_ROOT

TINY = PROJECT_ROOT / "tests" / "data" / "interviews_tiny"
STUDY_CODEBOOK = PROJECT_ROOT / "data" / "codebooks" / "interviews.yaml"


@pytest.fixture(scope="module")
def config():
    return redact.parse_redaction_config(read_yaml(STUDY_CODEBOOK)["redaction"])


def _register(*rows):
    return pd.DataFrame(rows, columns=["interview_id", "category", "value"])


@pytest.mark.parametrize(
    "form",
    [
        "Kalniņa",
        "Kalniņas",
        "Kalniņai",
        "Kalniņu",
        "Kalniņā",
        "Kalniņ",
        "Ilze",
        "Ilzes",
        "Ilzei",
        "Ilzi",
    ],
)
def test_inflected_forms_of_a_registered_name_are_replaced(config, form):
    register = _register(("int01", "person", "Ilze Kalniņa"))
    text, counts = redact.redact_text(f"Vakar runāju ar {form} par plānu.", register, config)
    assert text == "Vakar runāju ar [PERSONA_1] par plānu."
    assert counts["person"] == 1


@pytest.mark.parametrize("form", ["Jānis", "Jāņa", "Jānim", "Jāni"])
def test_inflected_first_names_from_the_lexicon_are_replaced(config, form):
    # Not on the register: caught by the first-name lexicon in the codebook.
    text, _ = redact.redact_text(f"Tad {form} atnāca.", _register(), config)
    assert text == "Tad [PERSONA_1] atnāca."


def test_placeholders_are_consistent_within_an_interview(config):
    register = _register(
        ("int01", "person", "Ilze Kalniņa"),
        ("int01", "person", "Jānis Ozols"),
        ("int01", "place", "Lejasciems"),
    )
    text, counts = redact.redact_text(
        "Ilze Kalniņa un Jāņa Ozola brālis. Kalniņai patīk Lejasciemā, Ozolam ne.", register, config
    )
    assert text == (
        "[PERSONA_1] un [PERSONA_2] brālis. [PERSONA_1] patīk [VIETA_1], [PERSONA_2] ne."
    )
    assert counts == {
        "email": 0,
        "personal_code": 0,
        "phone": 0,
        "address": 0,
        "person": 4,
        "place": 1,
    }


def test_one_number_per_person_for_full_name_surname_first_name_and_title(config):
    # By hand: "Ilze Kalniņa" is one person (two words of one register value); every later
    # mention of her, by surname, first name or surname + title, takes her number.
    register = _register(("int01", "person", "Ilze Kalniņa"), ("int01", "person", "Jānis Ozols"))
    text, counts = redact.redact_text(
        "Ilzei Kalniņai zvanīja Jānis Ozols. Kalniņa piekrita, Ilze arī. Kalniņas kundze "
        "un Ozola kungs.",
        register,
        config,
        interview_id="int01",
    )
    assert text == (
        "[PERSONA_1] zvanīja [PERSONA_2]. [PERSONA_1] piekrita, [PERSONA_1] arī. "
        "[PERSONA_1] kundze un [PERSONA_2] kungs."
    )
    assert counts["person"] == 6


def test_names_of_other_interviews_do_not_split_a_full_name(config):
    # "Bērziņš" of int01 shares its stem with "Bērziņa" of int02: in int02 the full name
    # and the surname alone are int02's person, one placeholder.
    register = _register(("int01", "person", "Jānis Bērziņš"), ("int02", "person", "Gunta Bērziņa"))
    text, _ = redact.redact_text(
        "Gunta Bērziņa teica. Bērziņai taisnība.", register, config, interview_id="int02"
    )
    assert text == "[PERSONA_1] teica. [PERSONA_1] taisnība."


def test_common_noun_sharing_a_name_stem_is_kept(config):
    # By hand: "valde" (board) shares the stem "vald" of the registered first name "Valdis".
    # Names are capitalised in Latvian, so only the capitalised forms Valdis (nominative),
    # Valdi (accusative) and Valda (genitive) are the person; valde, valdes, valdē stay.
    register = _register(("int01", "person", "Valdis Kalns"))
    text, counts = redact.redact_text(
        "Valdis teica, ka valdes sēdē valde lēma. Valdi ievēlēja valdē, Valda vārdā runāja.",
        register,
        config,
        interview_id="int01",
    )
    assert text == (
        "[PERSONA_1] teica, ka valdes sēdē valde lēma. [PERSONA_1] ievēlēja "
        "valdē, [PERSONA_1] vārdā runāja."
    )
    assert counts["person"] == 3


def test_lower_case_word_matches_only_an_exact_register_word(config):
    # A register word spelt exactly as written is still replaced in lower case; an
    # inflected lower-case form of it is not (bad input: a name written in lower case).
    register = _register(("int01", "place", "ozolmuiža"))
    text, _ = redact.redact_text(
        "Dzīvo ozolmuiža, ne ozolmuižā.", register, config, interview_id="int01"
    )
    assert text == "Dzīvo [VIETA_1], ne ozolmuižā."


def test_register_surface_forms_of_names_are_capitalised():
    # The stem rule relies on names being capitalised: every person or place surface form in
    # the shipped registers starts with a capital (lower-case forms inside e-mail addresses
    # are removed earlier by the e-mail pattern, see the tiny corpus test).
    for path in (
        PROJECT_ROOT / "data" / "raw" / "interviews" / "pii_register.csv",
        TINY / "pii_register.csv",
    ):
        table = pd.read_csv(path, dtype=str)
        names = table[table["category"].isin(["person", "place"])]
        lower = [
            form
            for forms in names["surface_forms"]
            for form in forms.split("|")
            if "@" not in form and "." not in form and not form[:1].isupper()
        ]
        assert lower == [], f"{path.name}: lower-case name forms {lower}"


def test_ambiguous_first_name_gets_its_own_number(config):
    # Two people called Ilze in one interview: the full names are told apart, "Ilze" alone
    # could be either, so it gets a third number (never one of theirs).
    register = _register(("int01", "person", "Ilze Kalniņa"), ("int01", "person", "Ilze Ozola"))
    text, _ = redact.redact_text(
        "Ilze Kalniņa un Ilze Ozola. Ilze teica, Ozolai patika.",
        register,
        config,
        interview_id="int01",
    )
    assert text == "[PERSONA_1] un [PERSONA_2]. [PERSONA_3] teica, [PERSONA_2] patika."


def test_shared_surname_alone_is_ambiguous_but_first_names_are_not(config):
    register = _register(("int10", "person", "Biruta Caune"), ("int10", "person", "Ojārs Caune"))
    text, _ = redact.redact_text(
        "Biruta un Ojārs. Caunes kundze.", register, config, interview_id="int10"
    )
    assert text == "[PERSONA_1] un [PERSONA_2]. [PERSONA_3] kundze."


def test_one_word_register_value_joins_the_full_name_it_repeats(config):
    # The register lists the surname again on its own: still the same person.
    register = _register(
        ("int01", "person", "Kalniņa"),
        ("int01", "person", "Ilze Kalniņa"),
        ("int01", "person", "Pudāns"),
    )
    text, _ = redact.redact_text(
        "Kalniņa un Pudāns. Ilze Kalniņa.", register, config, interview_id="int01"
    )
    assert text == "[PERSONA_1] un [PERSONA_2]. [PERSONA_1]."


def test_lexicon_first_name_joins_a_registered_surname(config):
    register = _register(("int01", "person", "Ozols"))
    text, _ = redact.redact_text("Jānis Ozols un Ozols.", register, config, interview_id="int01")
    assert text == "[PERSONA_1] un [PERSONA_1]."


def test_title_marks_an_unlisted_surname(config):
    text, _ = redact.redact_text("Runāja Bērziņa kundze.", _register(), config)
    assert text == "Runāja [PERSONA_1] kundze."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Zvaniet +371 29 123 456 vakarā", "Zvaniet [TĀLRUNIS] vakarā"),
        ("Zvaniet 29123456.", "Zvaniet [TĀLRUNIS]."),
        ("tālr. 6712 3456", "tālr. [TĀLRUNIS]"),
        ("raksti uz ilze.k@inbox.lv!", "raksti uz [E-PASTS]!"),
        ("kods 150385-12345 ir", "kods [PERSONAS_KODS] ir"),
        ("dzīvo Skolas ielā 5-3, Ventspilī", "dzīvo [ADRESE], Ventspilī"),
        ("mājās „Ozoli” pie upes", "[ADRESE] pie upes"),
    ],
    ids=["plus371", "eight-digits", "landline", "email", "personal-code", "street", "house"],
)
def test_pattern_rules(config, raw, expected):
    assert redact.redact_text(raw, _register(), config)[0] == expected


def test_year_ranges_are_not_taken_for_phones(config):
    assert redact.redact_text("stratēģija 2019-2024", _register(), config)[0] == (
        "stratēģija 2019-2024"
    )


def test_unknown_register_category_is_refused_with_row_number(config):
    register = _register(("int01", "person", "Ilze"), ("int01", "car", "AB-1234"))
    with pytest.raises(redact.RedactionError, match=r"reg.csv, row 3, column category: 'car'"):
        redact.check_register(register, config, source="reg.csv")


def test_register_reader_never_loads_surface_forms(tmp_path):
    path = tmp_path / "pii.csv"
    shutil.copy(TINY / "pii_register.csv", path)
    assert list(files.read_register(path).columns) == ["interview_id", "category", "value"]


def test_register_without_value_column_names_the_file(tmp_path):
    path = tmp_path / "pii.csv"
    path.write_text("interview_id,category\nint01,person\n", encoding="utf-8")
    with pytest.raises(files.InterviewFileError, match="pii.csv: .*lacks columns \\['value'\\]"):
        files.read_register(path)


def test_stems_follow_the_interview_language():
    raw = read_yaml(STUDY_CODEBOOK)["redaction"]
    register = _register(("int01", "person", "Ilze Kalniņa"))
    latvian = redact.parse_redaction_config(raw, language="lv")
    english = redact.parse_redaction_config(raw, language="en")
    # The locative Kalniņā shares the stem key kalnin with Kalniņa only through the Latvian
    # stemmer; without it (English) the exact form is still replaced, the locative is not.
    assert redact.redact_text("Pie Kalniņā.", register, latvian)[0] == "Pie [PERSONA_1]."
    assert redact.redact_text("Pie Kalniņā.", register, english)[0] == "Pie Kalniņā."
    assert redact.redact_text("Ar Kalniņa.", register, english)[0] == "Ar [PERSONA_1]."


def test_unsupported_language_is_an_error_naming_the_source():
    raw = read_yaml(STUDY_CODEBOOK)["redaction"]
    with pytest.raises(redact.RedactionError, match=r"cb.yaml: language 'xx' is not supported"):
        redact.parse_redaction_config(raw, source="cb.yaml", language="xx")


def test_tiny_corpus_surface_forms_do_not_survive():
    raw = read_yaml(TINY / "codebook.yaml")
    config = redact.parse_redaction_config(raw["redaction"])
    full = pd.read_csv(TINY / "pii_register.csv", dtype=str)
    register = redact.check_register(full, config)
    texts, log = redact.redact_transcripts(files.read_transcripts(TINY), register, config)
    joined = "\n".join(texts.values())
    for forms in full["surface_forms"]:
        for form in forms.split("|"):
            assert form not in joined
    assert "[CILVĒKS_1]" in joined
    assert set(log.columns) == {"interview_id", "category", "count"}
    # By hand: int01 has two person mentions, a place and a phone; int02 a person, an e-mail,
    # an address and a personal code.
    assert log["count"].sum() == 8


PLANTED = {
    "int01": (
        "# Intervija int01\n"
        "INTERVĒTĀJS: Labdien! Kā jūs sauc?\n"
        "RESPONDENTS: Esmu Daina Vītoliņa no Mežmalām. Mūsu stratēģiju rakstīja Vītoliņas "
        "kundze kopā ar Raimondu Krūmiņu.\n\n"
        "Ja vajag, zvaniet 26 555 123 vai rakstiet daina.vitolina@pasts.lv. Dzīvoju Meža ielā "
        "12, Mežmalās.\n"
        "INTERVĒTĀJS: Paldies.\n"
        "RESPONDENTS 2: Krūmiņam gan ir personas kods 311270-10987, bet to jums nevajag. "
        "Vītoliņai ir svētki un tirdziņš katru gadu.\n"
    ),
}
PLANTED_REGISTER = (
    "interview_id,category,value,surface_forms\n"
    "int01,person,Daina Vītoliņa,Daina Vītoliņa|Vītoliņas|Vītoliņai\n"
    "int01,person,Raimonds Krūmiņš,Raimondu Krūmiņu|Krūmiņam\n"
    "int01,place,Mežmalas,Mežmalām|Mežmalās\n"
    "int01,phone,26 555 123,26 555 123\n"
    "int01,email,daina.vitolina@pasts.lv,daina.vitolina@pasts.lv\n"
    "int01,address,Meža iela 12,Meža ielā 12\n"
    "int01,personal_code,311270-10987,311270-10987\n"
)
SURFACE = [
    "Daina",
    "Vītoliņ",
    "Krūmiņ",
    "Raimond",
    "Mežmal",
    "26 555 123",
    "555 123",
    "daina.vitolina",
    "pasts.lv",
    "Meža ielā",
    "311270",
    "10987",
]


@pytest.mark.slow
def test_planted_personal_data_appears_nowhere_in_pipeline_outputs(tmp_path):
    raw_dir = tmp_path / "data" / "raw" / "interviews"
    raw_dir.mkdir(parents=True)
    for interview_id, text in PLANTED.items():
        (raw_dir / f"{interview_id}.txt").write_text(text, encoding="utf-8")
    (raw_dir / "pii_register.csv").write_text(PLANTED_REGISTER, encoding="utf-8")
    (raw_dir / "gold_coding.csv").write_text(
        "interview_id,segment_id,code,coder_note\nint01,s005,focus.culture_events,\n",
        encoding="utf-8",
    )
    shutil.copytree(PROJECT_ROOT / "data" / "codebooks", tmp_path / "data" / "codebooks")
    shutil.copytree(PROJECT_ROOT / "data" / "report", tmp_path / "data" / "report")
    shutil.copytree(PROJECT_ROOT / "notebooks", tmp_path / "notebooks")
    (tmp_path / "data" / "raw" / "survey.csv").write_text("a\n1\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.ruralplan]\ndefault-study = "data"\n')
    (tmp_path / "data" / "study.yaml").write_text(
        "id: planted\n"
        "inputs:\n"
        "  survey: raw/survey.csv\n"
        "  survey_codebook: codebooks/survey.yaml\n"
        "  report_layout: report/exhibits.yaml\n"
        "  table_headers: report/table_headers.yaml\n"
        "  transcripts: raw/interviews\n"
        "  interview_codebook: codebooks/interviews.yaml\n"
        "  pii_register: raw/interviews/pii_register.csv\n"
        "  gold_coding: raw/interviews/gold_coding.csv\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruralplan",
            "run",
            "notebooks/03_code_interviews.ipynb",
            "reports/planted/notebooks/03_code_interviews.ipynb",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outputs = [
        p
        for folder in ("data/processed", "reports")
        for p in (tmp_path / folder).rglob("*")
        if p.is_file()
    ]
    assert any(p.name == "coded_segments.csv" for p in outputs)
    for path in outputs:
        content = path.read_bytes().decode("utf-8", errors="ignore")
        leaked = [form for form in SURFACE if form in content]
        assert leaked == [], f"{path.relative_to(tmp_path)} contains {leaked}"
