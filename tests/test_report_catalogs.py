"""The gettext catalogs: complete, up to date with the code, well formed; no language branches."""

from __future__ import annotations

import re
import shutil

import pytest
from babel import Locale
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from ruralplan import formatting, i18n, narrative
from ruralplan.report.exhibits import caption_html
from tests.conftest import PROJECT_ROOT

SOURCE = PROJECT_ROOT / "src" / "ruralplan"
LOCALE = SOURCE / "locale"
# The report languages: every one needs a complete catalog.
LANGUAGES = ("lv", "en")
# A branch on the language: the language variable compared with a language code, either way
# round, or looked up in a tuple of codes.
LANG_BRANCH = re.compile(
    r"""\b(?:\w+_)?(?:lang|language)\b\)?\s*[!=]=\s*["'][a-z]{2}["']"""
    r"""|["'][a-z]{2}["']\s*[!=]=\s*(?:\w+_)?(?:lang|language)\b"""
    r"""|\b(?:lang|language)\s+(?:not\s+)?in\s*[(\[{]\s*["'][a-z]{2}["']"""
)
# Redaction works in the transcripts' language, not the report's: Latvian name forms,
# palatalised consonants and the Latvian name-day calendar are algorithms for that language,
# and these modules decide when they apply. Everything else is searched.
NOT_REPORT_WORDING = (
    "interviews/names.py",
    "interviews/redact_config.py",
    "interviews/redact_patterns.py",
)


def _catalog(lang):
    with (LOCALE / lang / "LC_MESSAGES" / "ruralplan.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def _key(message):
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    return message.context, msgid


def _extracted():
    """Messages in the code and templates now, found as `make messages` finds them."""
    with (LOCALE / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = set()
    for _, _, message, _, context in extract_from_dir(
        str(SOURCE), method_map, options_map, keywords=DEFAULT_KEYWORDS
    ):
        found.add((context, message[0] if isinstance(message, tuple) else message))
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated(lang):
    untranslated = []
    for message in _catalog(lang):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            untranslated.append(_key(message))
    assert untranslated == [], f"{lang}: untranslated or fuzzy messages {untranslated}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_column_headers_are_words_not_column_ids(lang):
    # A table column's header is a message whose id is the column's name in the CSV; the
    # English "translation" must still be words a reader knows (not `n_interviews`).
    raw = [
        message.id
        for message in _catalog(lang)
        if message.context == "table column" and re.search(r"[a-z]_[a-z]", message.string)
    ]
    assert raw == [], f"{lang}: column headers left as column ids: {raw}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_holds_exactly_the_messages_of_the_code(lang):
    # A message added to the code and missing here would show in English in every report;
    # `make messages` brings the catalogs up to date.
    in_catalog = {_key(m) for m in _catalog(lang) if m.id}
    in_code = _extracted()
    assert sorted(in_code - in_catalog, key=str) == [], "run `make messages`"
    assert sorted(in_catalog - in_code, key=str) == [], "obsolete: run `make messages`"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_their_placeholders(lang):
    # Babel's own checks: named placeholders of a translation must exist in the message,
    # and a plural message has as many forms as the catalog's rule.
    problems = [(_key(m), [str(e) for e in errors]) for m, errors in _catalog(lang).check()]
    assert problems == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_translation_carries_markup(lang):
    # Templates trust the catalog's text (only filled-in values are escaped), so a message
    # must never hold HTML.
    marked = [
        _key(m)
        for m in _catalog(lang)
        if m.id
        and any(
            ch in text
            for text in (m.string if isinstance(m.string, tuple) else (m.string,))
            for ch in "<>&"
        )
    ]
    assert marked == []


def test_latvian_plural_rule_of_the_catalog_matches_cldr():
    # The catalog chooses the package's nouns, CLDR (Babel) a study's unit: both must pick
    # the same form, or "21 organizācija" would sit beside "21 testi".
    # The rule checked is the one the compiled catalog applies at run time.
    rule = i18n.translator("lv").translations.plural
    form_of_category = {"zero": 0, "one": 1, "other": 2}
    for count in range(0, 1001):
        category = Locale.parse("lv").plural_form(count)
        assert rule(count) == form_of_category[category], count
    assert _catalog("lv").num_plurals == 3


def test_no_branch_on_the_language_in_the_package():
    # Wording belongs in the catalogs: code that tests the language ("if lang == 'lv'") is
    # how English ended up in the Latvian report.
    found = [
        f"{path.relative_to(PROJECT_ROOT)}:{number}: {line.strip()}"
        for path in sorted(SOURCE.rglob("*.py"))
        if path.relative_to(SOURCE).as_posix() not in NOT_REPORT_WORDING
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if LANG_BRANCH.search(line)
    ]
    assert found == []


@pytest.mark.parametrize(
    ("line", "is_branch"),
    [
        ('if lang == "lv":', True),
        ("x = a if figure_lang != 'en' else b", True),
        ('column = 0 if narrative.check_lang(lang) == "lv" else 1', True),
        ('if "en" == language:', True),
        ('if lang not in ("lv", "en"):', True),
        ("lang = check_lang(lang)", False),
        ('if word_class(word, lexicon, lang) != "name":', False),
        ("if lang not in TEXT_LANGS:", False),
    ],
)
def test_the_branch_search_finds_what_it_should(line, is_branch):
    assert bool(LANG_BRANCH.search(line)) is is_branch


def test_a_new_language_is_a_copied_catalog(tmp_path):
    # Adding a language: copy a catalog, translate it; CLDR gives the number style.
    folder = tmp_path / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    text = (LOCALE / "en" / "LC_MESSAGES" / "ruralplan.po").read_text(encoding="utf-8")
    text = text.replace('"Language: en\\n"', '"Language: de\\n"')
    text = text.replace('msgstr "Table %(number)s."', 'msgstr "Tabelle %(number)s."')
    (folder / "ruralplan.po").write_text(text, encoding="utf-8")
    with i18n.catalogs_from(tmp_path):
        assert "de" in i18n.languages()
        assert formatting.format_number(1234.5, lang="de", decimals=1) == "1.234,5"
        caption = caption_html("table", 2, "Titel", "t.csv", None, "de")
        assert "<strong>Tabelle 2.</strong> Titel" in caption
    with pytest.raises(ValueError, match="'de' was passed"):
        narrative.check_lang("de")


def test_an_edited_catalog_changes_the_report_wording(tmp_path):
    # A linguist corrects the catalog, not the code: the edited form is what the report says.
    copy = tmp_path / "lv" / "LC_MESSAGES"
    copy.mkdir(parents=True)
    shutil.copy(LOCALE / "lv" / "LC_MESSAGES" / "ruralplan.po", copy / "ruralplan.po")
    text = (copy / "ruralplan.po").read_text(encoding="utf-8")
    (copy / "ruralplan.po").write_text(
        text.replace('msgstr "Pa atbildēm:"', 'msgstr "Atbilžu sadalījums:"'), encoding="utf-8"
    )
    with i18n.catalogs_from(tmp_path):
        assert i18n.translator("lv").gettext("By answer:") == "Atbilžu sadalījums:"
    assert i18n.translator("lv").gettext("By answer:") == "Pa atbildēm:"


def test_a_broken_catalog_is_named_in_the_error(tmp_path):
    folder = tmp_path / "lv" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "ruralplan.po").write_text('msgid "a"\nfoo bar\n', encoding="utf-8")
    with i18n.catalogs_from(tmp_path), pytest.raises(ValueError, match=r"ruralplan\.po: not a"):
        i18n.translator("lv")
