"""Sentences produced from numbers, in Latvian or English.

Numbers are formatted for the reader's language (Latvian: decimal comma, space before ``%``)
and nouns take the form their number requires. Which form follows a number is the CLDR plural
category of that number in the language (Babel's ``Locale.plural_form``): Latvian has three,
``one`` (1, 21, 101 organizācija), ``zero`` (0, 10-20, 30 organizāciju) and ``other``
(2-9, 22-29 organizācijas); English has ``one`` and ``other``. The unit of a study (what one
row of its survey is) is given in the study file with its forms by category.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from babel import Locale

from ruralplan import formatting

LANGS = ("lv", "en")
NBSP = formatting.NBSP
# Three decimals cannot show a smaller p-value: below it the text says "< 0,001", never 0,000.
SMALLEST_P_VALUE = 0.001

# Nouns of the package's own sentences, by CLDR plural category.
NOUNS: Mapping[str, Mapping[str, Mapping[str, str]]] = {
    "respondent": {
        "lv": {"zero": "respondentu", "one": "respondents", "other": "respondenti"},
        "en": {"one": "respondent", "other": "respondents"},
    },
    "row": {
        "lv": {"zero": "rindu", "one": "rinda", "other": "rindas"},
        "en": {"one": "row", "other": "rows"},
    },
    "interview": {
        "lv": {"zero": "interviju", "one": "intervija", "other": "intervijas"},
        "en": {"one": "interview", "other": "interviews"},
    },
    "test": {
        "lv": {"zero": "testu", "one": "tests", "other": "testi"},
        "en": {"one": "test", "other": "tests"},
    },
    "claim": {
        "lv": {"zero": "apgalvojumu", "one": "apgalvojums", "other": "apgalvojumi"},
        "en": {"one": "claim", "other": "claims"},
    },
}
# A noun: a key of NOUNS, or a study's own forms by plural category (its unit).
Noun = str | Mapping[str, str]


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is a supported report language.

    Parameters
    ----------
    lang
        Language code.

    Returns
    -------
    str
        The same code.

    Raises
    ------
    ValueError
        If ``lang`` is not ``"lv"`` or ``"en"``.
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {list(LANGS)}, but {lang!r} was passed")
    return lang


def plural_category(count: int, lang: str) -> str:
    """Return the CLDR plural category of a whole number in ``lang``.

    Examples
    --------
    >>> [plural_category(n, "lv") for n in (0, 1, 2, 11, 21, 145)]
    ['zero', 'one', 'other', 'zero', 'one', 'other']
    """
    return Locale.parse(check_lang(lang)).plural_form(abs(int(count)))


def noun_form(count: int, noun: Noun, lang: str) -> str:
    """Return the form of ``noun`` that agrees with ``count``.

    Parameters
    ----------
    count
        The number the noun follows.
    noun
        A key of :data:`NOUNS`, or a mapping of plural category to form (a study's unit,
        already in ``lang``); ``other`` stands in for a category it leaves out.
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        The agreeing noun form.

    Raises
    ------
    ValueError
        If ``noun`` is unknown or ``lang`` unsupported.

    Examples
    --------
    >>> noun_form(3, {"one": "household", "other": "households"}, "en")
    'households'
    """
    category = plural_category(count, lang)
    if isinstance(noun, str):
        if noun not in NOUNS:
            raise ValueError(f"noun must be one of {sorted(NOUNS)}, but {noun!r} was passed")
        noun = NOUNS[noun][lang]
    if "other" not in noun:
        raise ValueError(f"a noun's forms must include `other`, but {dict(noun)!r} was passed")
    return noun.get(category, noun["other"])


def count_phrase(count: int, noun: Noun, lang: str) -> str:
    """Write a count with its agreeing noun, e.g. ``"21 organizācija"``.

    Parameters
    ----------
    count
        The number.
    noun
        A key of :data:`NOUNS` or a study's unit forms (see :func:`noun_form`).
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        Number and noun separated by a no-break space.
    """
    return f"{format_number(count, lang, decimals=0)}{NBSP}{noun_form(count, noun, lang)}"


def format_number(value: float, lang: str, *, decimals: int = 1) -> str:
    """Format a number with the decimal mark and digit grouping of ``lang``.

    Parameters
    ----------
    value
        The number; NaN gives an en dash. Rounding is half away from zero
        (:func:`ruralplan.formatting.format_number`).
    lang
        ``"lv"`` (decimal comma, space between thousands) or ``"en"``.
    decimals
        Digits after the decimal mark.

    Returns
    -------
    str
        The formatted number.

    Examples
    --------
    >>> format_number(1234.5, "lv").replace(NBSP, " ")
    '1 234,5'
    >>> format_number(1234.5, "en")
    '1,234.5'
    """
    check_lang(lang)
    text = formatting.format_number(value, lang=lang, decimals=decimals)
    return text if text else "\u2013"


def format_scientific(value: float, lang: str) -> str:
    """Write a very small or large number with two significant digits, e.g. ``2,5e-08``.

    Parameters
    ----------
    value
        The number.
    lang
        ``"lv"`` (decimal comma) or ``"en"``.

    Returns
    -------
    str
        The number in scientific notation.
    """
    text = f"{value:.1e}"
    return text.replace(".", ",") if check_lang(lang) == "lv" else text


def format_percent(share: float, lang: str, *, decimals: int = 1) -> str:
    """Format a share between 0 and 1 as a percentage.

    Parameters
    ----------
    share
        A proportion, e.g. ``0.288``.
    lang
        ``"lv"`` writes ``28,8 %`` (no-break space), ``"en"`` writes ``28.8%``.
    decimals
        Digits after the decimal mark.

    Returns
    -------
    str
        The percentage.
    """
    check_lang(lang)
    text = formatting.format_percent(share * 100, lang=lang, decimals=decimals)
    return text if text else "\u2013"


def format_p_value(p_value: float, lang: str) -> str:
    """Format a p-value: three decimals, or ``< 0,001`` / ``< 0.001`` below that.

    Parameters
    ----------
    p_value
        The p-value.
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        The formatted value.
    """
    relation, value = _p_value_parts(p_value, lang)
    return f"<{NBSP}{value}" if relation == "<" else value


def p_phrase(p_value: float, lang: str) -> str:
    """Write a p-value with its relation sign: ``p = 0,031`` or ``p < 0,001``.

    Parameters
    ----------
    p_value
        The p-value.
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        The phrase, with no-break spaces around the sign.

    Examples
    --------
    >>> p_phrase(0.0002, "en").replace(NBSP, " "), p_phrase(0.0314, "lv").replace(NBSP, " ")
    ('p < 0.001', 'p = 0,031')
    """
    relation, value = _p_value_parts(p_value, lang)
    return f"p{NBSP}{relation}{NBSP}{value}"


def _p_value_parts(p_value: float, lang: str) -> tuple[str, str]:
    """Split a p-value into its relation sign and printed value: ``("<", "0,001")``."""
    if p_value < SMALLEST_P_VALUE:
        return "<", format_number(SMALLEST_P_VALUE, lang, decimals=3)
    return "=", format_number(p_value, lang, decimals=3)


def interval_text(low: float, high: float, lang: str, *, decimals: int = 1) -> str:
    """Write a 95 % interval for a share, e.g. ``"95 % TI: 21,9–36,6 %"``.

    Parameters
    ----------
    low, high
        Interval bounds as proportions.
    lang
        ``"lv"`` or ``"en"``.
    decimals
        Digits after the decimal mark.

    Returns
    -------
    str
        The interval in words of ``lang``.
    """
    label = f"95{NBSP}% TI" if lang == "lv" else "95% CI"
    low_text = format_number(low * 100, lang, decimals=decimals)
    high_text = format_percent(high, lang, decimals=decimals)
    return f"{label}: {low_text}\u2013{high_text}"


def share_sentence(
    label: str, count: int, total: int, lang: str, *, unit: Noun = "respondent"
) -> str:
    """Say how many respondents out of ``total`` gave an answer.

    Parameters
    ----------
    label
        The answer's display label in ``lang``.
    count
        Respondents that gave it.
    total
        Respondents that answered the question.
    lang
        ``"lv"`` or ``"en"``.
    unit
        What a respondent is in this study (its unit forms in ``lang``).

    Returns
    -------
    str
        One sentence.

    Raises
    ------
    ValueError
        If ``total`` is not positive or ``count`` is outside ``0..total``.
    """
    if total <= 0 or not 0 <= count <= total:
        raise ValueError(f"count must be within 0..total, but {count} of {total} was passed")
    share = format_percent(count / total, lang)
    if lang == "lv":
        return (
            f"Atbildi {quoted(label)} sniedza {count_phrase(count, unit, lang)} "
            f"no {format_number(total, lang, decimals=0)} ({share})."
        )
    return (
        f"{count_phrase(count, unit, lang).capitalize()} of "
        f"{format_number(total, lang, decimals=0)} answered {quoted(label)} ({share})."
    )


def cleaning_sentence(rows_in: int, rows_out: int, lang: str, *, unit: Noun = "respondent") -> str:
    """Describe how many rows the cleaning kept.

    Parameters
    ----------
    rows_in
        Rows in the raw export.
    rows_out
        Rows in the clean data.
    lang
        ``"lv"`` or ``"en"``.
    unit
        What one clean row is in this study (its unit forms in ``lang``).

    Returns
    -------
    str
        One sentence.
    """
    removed = rows_in - rows_out
    if lang == "lv":
        return (
            f"Neapstrādātajā eksportā bija {count_phrase(rows_in, 'row', lang)}; pēc tīrīšanas "
            f"analīzē paliek {count_phrase(rows_out, unit, lang)} "
            f"(izslēgto rindu skaits: {format_number(removed, lang, decimals=0)})."
        )
    check_lang(lang)
    return (
        f"The raw export had {count_phrase(rows_in, 'row', lang)}; after cleaning, the "
        f"analysis keeps {count_phrase(rows_out, unit, lang)} "
        f"({format_number(removed, lang, decimals=0)} excluded)."
    )


def tests_summary_sentence(n_tests: int, n_significant: int, alpha: float, lang: str) -> str:
    """Summarise how many tests stay significant after adjusting for multiple testing.

    Parameters
    ----------
    n_tests
        Tests run.
    n_significant
        Tests whose adjusted p-value is below ``alpha``.
    alpha
        The significance level.
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        One or two sentences.
    """
    alpha_text = format_number(alpha, lang, decimals=2)
    if lang == "lv":
        found = (
            "neviens tests nav statistiski nozīmīgs"
            if n_significant == 0
            else f"statistiski nozīmīgo testu skaits ir {n_significant}"
        )
        return (
            f"Kopā veikto testu skaits: {n_tests}. Pēc p vērtību korekcijas daudzkārtējai "
            f"testēšanai {found} (α = {alpha_text}). Nozīmīgums vēl nenozīmē lielu efektu, "
            f"tāpēc katram testam norādīts arī efekta lielums."
        )
    check_lang(lang)
    if n_significant == 0:
        found = "none is"
    else:
        found = f"{n_significant} {'is' if n_significant == 1 else 'are'}"
    return (
        f"{count_phrase(n_tests, 'test', lang).capitalize()} were run; after adjusting the "
        f"p-values for multiple testing, {found} statistically significant "
        f"(α = {alpha_text}). Significance does not mean a large effect, so each test also "
        f"shows its effect size."
    )


# Simple fractions a reader says in words: value, Latvian (dative, as in "pusei ... ir"),
# English. A share is named by the nearest one when it lies within SHARE_WORD_TOLERANCE.
FRACTIONS: tuple[tuple[float, str, str], ...] = (
    (1 / 5, "piektajai daļai", "a fifth"),
    (1 / 4, "ceturtdaļai", "a quarter"),
    (1 / 3, "trešdaļai", "a third"),
    (1 / 2, "pusei", "half"),
    (2 / 3, "divām trešdaļām", "two thirds"),
    (3 / 4, "trim ceturtdaļām", "three quarters"),
)
SHARE_WORD_TOLERANCE = 0.025


def share_words(share: float, lang: str) -> str:
    """Name a share in words, e.g. 0.51 -> "About half" / "Apmēram pusei".

    Parameters
    ----------
    share
        A proportion between 0 and 1.
    lang
        ``"lv"`` (dative, for sentences of the form "... dalībnieku ir ...") or ``"en"``.

    Returns
    -------
    str
        "About <fraction>" when a simple fraction lies within 2.5 percentage points,
        otherwise "Some" / "Daļai"; capitalised for the start of a sentence.

    Examples
    --------
    >>> share_words(74 / 145, "en"), share_words(74 / 145, "lv")
    ('About half', 'Apmēram pusei')
    """
    check_lang(lang)
    value, lv, en = min(FRACTIONS, key=lambda fraction: abs(fraction[0] - share))
    if abs(value - share) > SHARE_WORD_TOLERANCE:
        return "Daļai" if lang == "lv" else "Some"
    return f"Apmēram {lv}" if lang == "lv" else f"About {en}"


def analysed_sentence(rows_out: int, lang: str, *, unit: Noun = "respondent") -> str:
    """Say how many respondents the analysis includes.

    The verb does not agree with the noun in either language ("ir", "includes"), so any
    study's unit fits the sentence whatever its gender.

    Parameters
    ----------
    rows_out
        Rows in the clean data.
    lang
        ``"lv"`` or ``"en"``.
    unit
        What one row is in this study (its unit forms in ``lang``).

    Returns
    -------
    str
        E.g. "Analīzē ir 145 organizācijas." / "The analysis includes 145 organisations."
    """
    phrase = count_phrase(rows_out, unit, lang)
    if lang == "lv":
        return f"Analīzē ir {phrase}."
    return f"The analysis includes {phrase}."


_INNER_QUOTES = re.compile(r"[“„\"«]([^“”„\"«»]*)[”“\"»]")


def inner_quotes(text: str) -> str:
    """Turn double quotation marks inside a label into single ones.

    The report's convention: a quoted label takes double marks “…”; quotation marks inside
    it (“…”, „…”, "…", «…») become single marks ‘…’, so nested quotes stay readable.

    Parameters
    ----------
    text
        A label, e.g. ``pieteikšanās “Viedā ciema” zīmei``.

    Returns
    -------
    str
        The label with single inner marks: ``pieteikšanās ‘Viedā ciema’ zīmei``.
    """
    return _INNER_QUOTES.sub(lambda match: f"\u2018{match.group(1)}\u2019", str(text))


def quoted(text: str) -> str:
    """Quote a label with double marks, its own quotation marks made single.

    Parameters
    ----------
    text
        A label.

    Returns
    -------
    str
        ``“label”`` following :func:`inner_quotes`.
    """
    return f"\u201c{inner_quotes(text)}\u201d"
