"""Pseudonymisation: inflected names, pattern rules, consistent placeholders, planted PII."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pandas as pd
import pytest

from ruralplan.interviews import io as files
from ruralplan.interviews import names, redact, residual
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
        "profile": 0,
        "url": 0,
        "iban": 0,
        "personal_code": 0,
        "phone": 0,
        "car_plate": 0,
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


def test_lower_case_register_word_matches_as_spelt_or_as_a_first_name(config):
    # A register word spelt exactly as written is replaced in lower case; of other lower-case
    # forms only those of a registered first name are (a name typed in lower case): an
    # inflected place name stays, and so does "valde" (board), which shares the stem of
    # Valdis but is no form of it.
    register = _register(("int01", "place", "ozolmuiža"), ("int01", "person", "Valdis Kalns"))
    text, _ = redact.redact_text(
        "Dzīvo ozolmuiža, ne ozolmuižā. Valde un valdim.", register, config, interview_id="int01"
    )
    assert text == "Dzīvo [VIETA_1], ne ozolmuižā. Valde un [PERSONA_1]."


def test_register_surface_forms_of_names_are_capitalised():
    # The stem rule relies on names being capitalised: every person or place surface form in
    # the shipped registers starts with a capital (lower-case forms inside e-mail addresses
    # are removed earlier by the e-mail pattern, see the tiny corpus test).
    for path in (
        PROJECT_ROOT / "data" / "raw" / "interviews" / "pii_register.csv",
        TINY / "pii_register.csv",
    ):
        table = pd.read_csv(path, dtype=str)
        named = table[table["category"].isin(["person", "place"])]
        lower = [
            form
            for forms in named["surface_forms"]
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
        "Biruta un Ojārs. Caunes ģimene.", register, config, interview_id="int10"
    )
    assert text == "[PERSONA_1] un [PERSONA_2]. [PERSONA_3] ģimene."


@pytest.mark.parametrize(("title", "number"), [("kundze", 1), ("kungs", 2)])
def test_a_gendered_title_tells_a_shared_surname_apart(config, title, number):
    # By hand: Biruta (a woman's name, -a) is [PERSONA_1], Ojārs (a man's, -s) [PERSONA_2];
    # "Caunes kundze" is the woman, "Caunes kungs" the man.
    register = _register(("int10", "person", "Biruta Caune"), ("int10", "person", "Ojārs Caune"))
    text, _ = redact.redact_text(
        f"Biruta un Ojārs. Caunes {title}.", register, config, interview_id="int10"
    )
    assert text == f"[PERSONA_1] un [PERSONA_2]. [PERSONA_{number}] {title}."


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
        ("Bērziņa kundze teica.", "[PERSONA_1] kundze teica."),
        ("Vecā kundze teica.", "Vecā kundze teica."),
        ("Tas kungs atnāca.", "Tas kungs atnāca."),
    ],
    ids=["surname", "adjective", "pronoun"],
)
def test_title_at_sentence_start_marks_a_surname_not_an_adjective(config, raw, expected):
    # A surname before a title stands in the genitive; the old lady and that gentleman are
    # an adjective and a pronoun in their dictionary forms.
    assert redact.redact_text(raw, _register(), config)[0] == expected


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


# Forms of the hostile-user corpus (issue 16) that survived redaction, one per line: each is
# found by a pattern of the study's codebook without any register row.
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("zvani 0037129345903.", "zvani [TĀLRUNIS]."),
        ("zvani 29.456.789.", "zvani [TĀLRUNIS]."),
        ("zvani +371 291 234 56.", "zvani [TĀLRUNIS]."),
        ("zvani (+371) 29345903.", "zvani [TĀLRUNIS]."),
        ("zvani 00371 29 34 59 03.", "zvani [TĀLRUNIS]."),
        ("zvani 29-345-903.", "zvani [TĀLRUNIS]."),
        ("zvani +372 5123 4567.", "zvani [TĀLRUNIS]."),
        ("raksti evalds.smits @ inbox.lv.", "raksti [E-PASTS]."),
        ("raksti evalds.smits(at)inbox.lv.", "raksti [E-PASTS]."),
        ("raksti zane.kaleja [at] pasts [dot] lv.", "raksti [E-PASTS]."),
        ("raksti EVALDS.SMITS@INBOX.LV.", "raksti [E-PASTS]."),
        ("kods 32567140817.", "kods [PERSONAS_KODS]."),
        ("kods 325671-40817.", "kods [PERSONAS_KODS]."),
        ("kods 04074810559.", "kods [PERSONAS_KODS]."),
        ("dzīvo Pils ielā nr. 7.", "dzīvo [ADRESE]."),
        ("dzīvo Skolas ielā 5 dz. 3.", "dzīvo [ADRESE]."),
        ("dzīvo Upes ielā 21, dz. 4.", "dzīvo [ADRESE]."),
        ("auto AB-1234.", "auto [AUTO_NR]."),
        ("auto AB 1234.", "auto [AUTO_NR]."),
        ("auto AB1234.", "auto [AUTO_NR]."),
        ("auto GX-777.", "auto [AUTO_NR]."),
        ("auto KL-12.", "auto [AUTO_NR]."),
        ("auto MN 5678.", "auto [AUTO_NR]."),
        ("konts LV80BANK0000435195001.", "konts [KONTS]."),
        ("konts LV80 BANK 0000 4351 9500 1.", "konts [KONTS]."),
        ("konts LV97HABA0012345678910.", "konts [KONTS]."),
        ("skat. facebook.com/evalds.smits.", "skat. [PROFILS]."),
        ("skat. https://www.facebook.com/zane.kaleja.strauta", "skat. [PROFILS]"),
        ("skat. instagram.com/anna_priede.", "skat. [PROFILS]."),
        ("skat. @evalds_smits.", "skat. [PROFILS]."),
        ("skat. x.com/esmits.", "skat. [PROFILS]."),
        ("skat. linkedin.com/in/zane-kaleja.", "skat. [PROFILS]."),
        ("skat. draugiem.lv/vilis.ozols.", "skat. [PROFILS]."),
        ("skat. https://www.youtube.com/@mezmalas.", "skat. [PROFILS]."),
        ("lapa www.evalds-smits.lv.", "lapa [SAITE]."),
        ("lapa https://mezmalas.lv/par-mums/anna-priede.", "lapa [SAITE]."),
        ("lapa mezmalas.lv.", "lapa [SAITE]."),
    ],
)
def test_planted_forms_are_caught_by_the_study_patterns(config, raw, expected):
    assert redact.redact_text(raw, _register(), config)[0] == expected


@pytest.mark.parametrize(
    "raw",
    [
        "sēde 29.05.2023.",
        "ieguldīja 20 000 000 eiro.",
        "plāns ES 2021.",
        "pēc COVID-19 laika",
        "LEADER 2014-2020 periodā",
        "1998. gadā, 15 %",
        "ap 20 000 EUR",
    ],
)
def test_dates_amounts_and_programme_names_are_kept(config, raw):
    assert redact.redact_text(raw, _register(), config)[0] == raw


@pytest.mark.parametrize(
    ("category", "value", "raw", "expected"),
    [
        ("phone", "+371 2934 5903", "zvani 0037129345903", "zvani [TĀLRUNIS]"),
        ("phone", "+371 2934 5903", "zvani 2934-5903", "zvani [TĀLRUNIS]"),
        ("personal_code", "321190-24518", "kods 32119024518", "kods [PERSONAS_KODS]"),
        ("iban", "LV80 BANK 0000 4351 9500 1", "LV80BANK0000435195001!", "[KONTS]!"),
        ("car_plate", "EV-7", "auto ev 7 stāv", "auto [AUTO_NR] stāv"),
        ("profile", "@anna.priede", "raksti @anna.priede", "raksti [PROFILS]"),
        ("address", "“Lejasķikuri”", "mājās „Lejasķikuros”", "mājās [ADRESE]"),
    ],
)
def test_register_values_match_with_any_separators(config, category, value, raw, expected):
    # Each value has a form no study pattern catches on its own (a one-digit car plate) or is
    # written differently in the text (no hyphen, no spaces, other quotes, an inflection).
    register = _register(("int01", category, value))
    assert redact.redact_text(raw, register, config, interview_id="int01")[0] == expected


def test_new_register_categories_are_accepted(config):
    register = _register(
        ("int01", "car_plate", "AB-1234"),
        ("int01", "iban", "LV80BANK0000435195001"),
        ("int01", "profile", "facebook.com/evalds.smits"),
        ("int01", "url", "www.evalds-smits.lv"),
    )
    assert len(redact.check_register(register, config)) == 4


NAMES_REGISTER = (
    ("int01", "person", "Ēvalds Šmits"),
    ("int01", "person", "Zane Kalēja-Strauta"),
    ("int01", "person", "Anna Priede"),
    ("int01", "person", "Zigrīda Dzene"),
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # lower-case forms of registered names take the person's number
        ("Ēvalds Šmits. Ar ēvaldam runāju.", "[PERSONA_1]. Ar [PERSONA_1] runāju."),
        ("Atnāca zigrīda dzene.", "Atnāca [PERSONA_1]."),
        # a double surname is one person, alone or after the first name
        (
            "Zane Kalēja-Strauta teica. Kalēja-Strauta arī.",
            "[PERSONA_1] teica. [PERSONA_1] arī.",
        ),
        # surname + title takes the surname's number
        ("Ēvalds Šmits. Šmita kungs piekrita.", "[PERSONA_1]. [PERSONA_1] kungs piekrita."),
        # diminutives of a registered first name are that person
        (
            "Anna Priede. Annele, Anneli un Anneles māsa.",
            "[PERSONA_1]. [PERSONA_1], [PERSONA_1] un [PERSONA_1] māsa.",
        ),
    ],
    ids=["lower-case", "lower-case-full-name", "double-surname", "title", "diminutive"],
)
def test_registered_names_in_other_forms_keep_one_number(config, raw, expected):
    register = _register(*NAMES_REGISTER)
    assert redact.redact_text(raw, register, config, interview_id="int01")[0] == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Tad Jānītis un Jānīša māsa.", "Tad [PERSONA_1] un [PERSONA_1] māsa."),
        ("Arī Mikiņš nāca.", "Arī [PERSONA_1] nāca."),
        ("Tad rūdolfs un vilis sāka.", "Tad [PERSONA_1] un [PERSONA_2] sāka."),
        ("Ar ēvaldam runāju.", "Ar [PERSONA_1] runāju."),
        (
            "Šmita kungs teica. Jānis Šmits piekrita.",
            "[PERSONA_1] kungs teica. [PERSONA_1] piekrita.",
        ),
        ("Dziedam kādu Paula dziesmu.", "Dziedam kādu [PERSONA_1] dziesmu."),
    ],
    ids=[
        "diminutives",
        "diminutive-ins",
        "lower-case",
        "lower-case-dative",
        "title-first",
        "genitive",
    ],
)
def test_names_beyond_the_register_come_from_the_name_day_calendar(config, raw, expected):
    assert redact.redact_text(raw, _register(), config)[0] == expected


@pytest.mark.parametrize(
    "raw",
    [
        "Priede pie skolas ir veca.",
        "Strauts ir piesārņots.",
        "Pie mājas aug liepa.",
        "Saule spīd. Liepa zied.",
        "Ļoti labi, vairs nē.",
        "Valde lēma Jāņos.",
        "Katru augustu un jūlijā.",
        "Balvu novadā.",
        "Intervija int01.",
    ],
)
def test_ordinary_words_that_look_like_names_are_kept(config, raw):
    # Priede and Strauts are registered surnames here; at the start of a sentence with
    # nothing marking a person they are the pine and the stream.
    register = _register(*NAMES_REGISTER, ("int01", "person", "Valdis Kalns"))
    assert redact.redact_text(raw, register, config, interview_id="int01")[0] == raw


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Priede teica, ka jā.", "[PERSONA_1] teica, ka jā."),
        ("Priedes kundze atnāca.", "[PERSONA_1] kundze atnāca."),
        ("Runāju ar Priedi.", "Runāju ar [PERSONA_1]."),
        ("Strauts zvanīja vakar.", "[PERSONA_1] zvanīja vakar."),
    ],
    ids=["verb-of-saying", "title", "mid-sentence", "verb-prefix"],
)
def test_context_marks_a_person_named_like_an_ordinary_word(config, raw, expected):
    register = _register(*NAMES_REGISTER)
    assert redact.redact_text(raw, register, config, interview_id="int01")[0] == expected


def test_registered_first_name_at_sentence_start_is_the_person(config):
    # "laima" (luck) is an ordinary word too, but Laima is this interview's person.
    register = _register(("int13", "person", "Laima Spūle"))
    text, _ = redact.redact_text("Laima arī bija.", register, config, interview_id="int13")
    assert text == "[PERSONA_1] arī bija."


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"placeholders": {"person": "[P_{n}]"}, "first_name": []}, "unknown redaction keys"),
        ({"placeholders": {"person": "[P_{n}]"}, "name_lexicon": "lv"}, "name_lexicon 'lv'"),
        ({"placeholders": {"person": "[P_{n}]"}, "titles": {"kungs": "x"}}, "titles.kungs"),
    ],
    ids=["unknown-key", "unknown-lexicon", "title-gender"],
)
def test_bad_redaction_settings_name_the_key(raw, message):
    with pytest.raises(redact.RedactionError, match=f"cb.yaml: .*{message}"):
        redact.parse_redaction_config(raw, source="cb.yaml")


def test_the_latvian_lexicon_needs_latvian_interviews():
    raw = {"placeholders": {"person": "[P_{n}]"}, "name_lexicon": "lv-namedays"}
    with pytest.raises(redact.RedactionError, match="language is 'en'"):
        redact.parse_redaction_config(raw, source="cb.yaml", language="en")


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
    raw = {key: value for key, value in raw.items() if key != "name_lexicon"}  # Latvian only
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
        "Vītoliņai ir svētki un tirdziņš katru gadu.\n\n"
        # Forms of the hostile-user corpus of issue 16 that used to reach the outputs.
        "Palīdzēja Ēvalds Šmits, ar ēvaldam runājām, un zigrīda dzene. Šmita kungs arī. "
        "Mūsu Jānītis, Jānīša māsa Annele, Anneli un Anneles, arī Mikiņš; rūdolfs un vilis. "
        "Zane Kalēja-Strauta teica, Kalēja-Strauta arī.\n\n"
        "Zvaniet 0037129345903, 29.456.789 vai +371 291 234 56; rakstiet evalds.smits @ "
        "inbox.lv vai evalds.smits(at)inbox.lv. Kods 32567140817, dzīvo Pils ielā nr. 7. "
        "Auto AB-1234 un GX 5678, konts LV80BANK0000435195001, profils "
        "facebook.com/evalds.smits, @evalds_smits, lapa www.evalds-smits.lv.\n"
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
    "int01,person,Ēvalds Šmits,Ēvalds Šmits|ēvaldam|Šmita\n"
    "int01,person,Zigrīda Dzene,zigrīda dzene\n"
    "int01,person,Zane Kalēja-Strauta,Zane Kalēja-Strauta|Kalēja-Strauta\n"
    "int01,iban,LV80BANK0000435195001,LV80BANK0000435195001\n"
    "int01,car_plate,AB-1234,AB-1234\n"
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
    "Ēvald",
    "ēvald",
    "Šmit",
    "zigrīda",
    "dzene",
    "Jānīt",
    "Jānīš",
    "Annel",
    "Mikiņ",
    "rūdolf",
    "vilis",
    "Kalēja",
    "Strauta",
    "0037129345903",
    "29.456.789",
    "291 234 56",
    "evalds",
    "inbox.lv",
    "32567140817",
    "Pils ielā",
    "AB-1234",
    "GX 5678",
    "LV80BANK",
    "facebook",
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
    # Nothing planted is left undecided: the residual scan of what the notebook wrote is empty.
    folder = next(p.parent for p in outputs if p.parent.name == "interviews_redacted")
    config = redact.parse_redaction_config(read_yaml(STUDY_CODEBOOK)["redaction"])
    register = redact.check_register(files.read_register(raw_dir / "pii_register.csv"), config)
    residuals = redact.residual_scan(files.read_transcripts(folder), register, config)
    assert residuals.empty, residuals.to_string()


def test_the_name_lexicon_is_the_calendar_of_lv_namedays():
    calendar = names.calendar_names("lv-namedays")
    extended = names.calendar_names("lv-namedays-extended")
    assert 900 < len(calendar) < len(extended)
    # the calendar's "day of all names not in calendars" is a sentence, not a name
    assert all(" " not in name and name[:1].isupper() for name in extended)
    assert {"Jānis", "Ēvalds", "Rūdolfs", "Zigrīda", "Vilis", "Miks"} <= set(calendar)


@pytest.mark.parametrize(
    ("name", "forms"),
    [
        ("Jānis", {"Jānītis", "Jānīša", "Jānītim", "Jāniņš", "Jāniņam"}),
        ("Anna", {"Annele", "Anneli", "Anneles", "Annīte", "Anniņa"}),
        ("Miks", {"Mikiņš", "Mikiņa", "Mikītis"}),
    ],
)
def test_diminutives_are_derived_in_every_case(name, forms):
    assert forms <= set(names.diminutives(name))


def test_inflections_include_palatalised_genitives():
    assert {"Jāņa", "Jānim", "Jāni"} <= set(names.inflections("Jānis"))
    assert {"Viļa", "Vilim"} <= set(names.inflections("Vilis"))
    assert {"Ēvalda", "Ēvaldam", "Ēvaldu"} <= set(names.inflections("Ēvalds"))


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("jānis", "name"),  # the dictionary knows it only as a name
        ("ēvaldam", "name"),  # the dictionary does not know it
        ("liepa", "both"),  # a name and the linden
        ("saule", "both"),
        ("augustu", "both"),  # a name and the month
        ("valde", "word"),  # shares the stem of Valdis
        ("ilgi", "word"),  # shares the stem of Ilga
    ],
)
def test_word_classes(word, kind):
    lexicon = names.load_lexicon("lv-namedays", (), "lv")
    assert names.word_class(word, lexicon, "lv") == kind


@pytest.mark.parametrize(
    ("text", "start", "expected"),
    [
        ("Priede aug.", 0, True),
        ("Tā ir. Priede aug.", 7, True),
        ("RESPONDENTS: Priede aug.", 13, True),
        ("Teica: „Priede aug”.", 8, True),
        ("Pie Priedes.", 4, False),
    ],
)
def test_sentence_starts(text, start, expected):
    assert names.is_sentence_start(text, start) is expected


def _scan(text, register=(), interview_id="int01"):
    config = redact.parse_redaction_config(read_yaml(STUDY_CODEBOOK)["redaction"])
    table = residual.residual_scan({interview_id: text}, _register(*register), config)
    return list(zip(table["kind"], table["candidate"], strict=True))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tad [PERSONA_1] Zvaigzne atnāca.", [("next_to_person", "Zvaigzne")]),
        ("Tad kaimiņš Zvaigzne [PERSONA_1] atnāca.", [("next_to_person", "Zvaigzne")]),
        ("Runāja Dievs Kungs.", [("next_to_title", "Dievs")]),
        ("Vēl šmita kundze.", [("next_to_title", "šmita")]),
        ("Numurs 1234567 te.", [("digits", "1234567")]),
        ("Raksti x @ y.", [("at", "@")]),
        ("Raksti x (at) y.", [("at", "(at)")]),
        ("Lapa abc.lv te.", [("url", "abc.lv")]),
        ("Lapa http:/abc te.", [("url", "http:")]),
        ("Kods AB12345 te.", [("code", "AB12345")]),
    ],
)
def test_residual_scan_lists_what_redaction_left(text, expected):
    assert _scan(text) == expected


def test_residual_scan_lists_names_kept_as_ordinary_words():
    text = "Priede pie skolas. Strauts ir piesārņots. Pie mājas aug liepa."
    assert _scan(text, NAMES_REGISTER) == [
        ("name_or_word", "Priede"),
        ("name_or_word", "Strauts"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Sēde 29.05.2023. un 2019-2024, 20 000 000 eiro, 1998. gadā.",
        "Vecā kundze zina. [PERSONA_1] kundze un [PERSONA_2] kungs.",
        "Tad [PERSONA_1] teica. Es un [PERSONA_2] [ADRESE] ar [E-PASTS].",
        "Skolotāja [PERSONA_1] atnāca.",
    ],
)
def test_residual_scan_leaves_ordinary_text_alone(text):
    assert _scan(text) == []


def test_residual_rows_name_line_and_redacted_context():
    config = redact.parse_redaction_config(read_yaml(STUDY_CODEBOOK)["redaction"])
    table = redact.residual_scan({"int02": "Sveiki.\nNumurs 1234567 te."}, _register(), config)
    assert list(table.columns) == redact.RESIDUAL_COLUMNS
    assert table.iloc[0].to_dict() == {
        "interview_id": "int02",
        "kind": "digits",
        "candidate": "1234567",
        "line": 2,
        "context": "Sveiki. Numurs 1234567 te.",
    }


@pytest.mark.parametrize(
    ("reviewed", "expected"),
    [
        (False, ["int01"]),
        (None, ["int01"]),
        ([], ["int01"]),
        (["int02"], ["int01", "int02"]),
        (True, ["int01", "int02", "int03"]),
    ],
)
def test_quotes_only_from_interviews_with_nothing_left_or_reviewed(reviewed, expected):
    residuals = pd.DataFrame({"interview_id": ["int02", "int03", "int03"]})
    ids = ["int03", "int01", "int02"]
    assert redact.quotable_interviews(residuals, ids, reviewed=reviewed) == expected


@pytest.mark.parametrize(
    ("reviewed", "message"),
    [
        (["int09"], r"study.yaml: unknown interview ids \['int09'\]"),
        ("int02", "study.yaml: expected true, false or a list of interview ids"),
        (3, "study.yaml: expected true, false or a list of interview ids"),
    ],
)
def test_a_bad_review_flag_is_refused(reviewed, message):
    residuals = pd.DataFrame({"interview_id": ["int02"]})
    with pytest.raises(redact.RedactionError, match=message):
        redact.quotable_interviews(
            residuals, ["int01", "int02"], reviewed=reviewed, source="study.yaml"
        )


def test_the_shipped_study_leaves_nothing_to_review_and_keeps_its_placeholders():
    codebook = files.read_interview_codebook(STUDY_CODEBOOK)
    config = redact.parse_redaction_config(codebook.redaction, language=codebook.language)
    raw = PROJECT_ROOT / "data" / "raw" / "interviews"
    register = redact.check_register(files.read_register(raw / "pii_register.csv"), config)
    texts, log = redact.redact_transcripts(files.read_transcripts(raw), register, config)
    assert redact.residual_scan(texts, register, config).empty
    # By hand (int10): Biruta Caune is [PERSONA_1], her husband Ojārs [PERSONA_4]; the
    # interviewer's "Caunes kundze" is Biruta; "Paula dziesmu" (Pauls' song) is a name.
    assert "Liels paldies, [PERSONA_1] kundze." in texts["int10"]
    assert "kādu [PERSONA_5] dziesmu" in texts["int10"]
    # int05: "Jāņus" (Midsummer) is a holiday, not the Jānis of int01.
    assert "pasākumus: Jāņus, rudens" in texts["int05"]
    assert log.groupby("category")["count"].sum().to_dict() == {
        "address": 16,
        "car_plate": 0,
        "email": 13,
        "iban": 0,
        "person": 85,
        "personal_code": 5,
        "phone": 17,
        "place": 34,
        "profile": 0,
        "url": 0,
    }
