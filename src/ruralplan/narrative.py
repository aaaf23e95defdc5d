"""Sentences produced from numbers, worded by the language's catalog.

Numbers are formatted for the reader's language (:mod:`ruralplan.formatting`, Babel), and the
words of every sentence come from the catalog (:mod:`ruralplan.i18n`). A noun after a number
takes the form the number requires: the package's own nouns (rows, tests, claims) through
``ngettext`` and the catalog's plural rule; a study's unit (what one row of its survey is),
given in its study file with its forms by CLDR plural category, through
:func:`plural_category` (Babel's ``Locale.plural_form``). Latvian has three categories,
``one`` (1, 21, 101 organizācija), ``zero`` (0, 10-20, 30 organizāciju) and ``other``
(2-9, 22-29 organizācijas); English has ``one`` and ``other``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from babel import Locale

from ruralplan import formatting

# check_lang is i18n's: a report language is one with a catalog (re-exported for callers here).
from ruralplan.i18n import N_, Translator, check_lang, translator

# The languages every study's own wording (layout, table headers) is written in; the
# package's wording is in any language with a catalog.
LANGS = ("lv", "en")
NBSP = formatting.NBSP
# Three decimals cannot show a smaller p-value: below it the text says "< 0,001", never 0,000.
SMALLEST_P_VALUE = 0.001
# The package's own nouns that follow a number (see _package_noun).
PACKAGE_NOUNS = ("respondent", "row", "test", "claim")
# A noun: one of PACKAGE_NOUNS, or a study's own forms by plural category (its unit).
Noun = str | Mapping[str, str]


def plural_category(count: int, lang: str) -> str:
    """Return the CLDR plural category of a whole number in ``lang``.

    Examples
    --------
    >>> [plural_category(n, "lv") for n in (0, 1, 2, 11, 21, 145)]
    ['zero', 'one', 'other', 'zero', 'one', 'other']
    """
    return Locale.parse(check_lang(lang)).plural_form(abs(int(count)))


def _package_noun(noun: str, count: int, words: Translator) -> str:
    """Return the catalog's form of one of the package's nouns after ``count``."""
    forms = {
        "respondent": words.npgettext("noun after a number", "respondent", "respondents", count),
        "row": words.npgettext("noun after a number", "row", "rows", count),
        "test": words.npgettext("noun after a number", "test", "tests", count),
        "claim": words.npgettext("noun after a number", "claim", "claims", count),
    }
    return forms[noun]


def noun_form(count: int, noun: Noun, lang: str) -> str:
    """Return the form of ``noun`` that agrees with ``count``.

    Parameters
    ----------
    count
        The number the noun follows.
    noun
        One of :data:`PACKAGE_NOUNS` (worded by the catalog), or a mapping of CLDR plural
        category to form (a study's unit, already in ``lang``); ``other`` stands in for a
        category it leaves out.
    lang
        A report language.

    Returns
    -------
    str
        The agreeing noun form.

    Raises
    ------
    ValueError
        If ``noun`` is unknown or ``lang`` has no catalog.

    Examples
    --------
    >>> noun_form(3, {"one": "household", "other": "households"}, "en")
    'households'
    """
    words = translator(lang)
    if isinstance(noun, str):
        if noun not in PACKAGE_NOUNS:
            raise ValueError(
                f"noun must be one of {sorted(PACKAGE_NOUNS)}, but {noun!r} was passed"
            )
        return _package_noun(noun, count, words)
    if "other" not in noun:
        raise ValueError(f"a noun's forms must include `other`, but {dict(noun)!r} was passed")
    return noun.get(plural_category(count, lang), noun["other"])


def count_phrase(count: int, noun: Noun, lang: str) -> str:
    """Write a count with its agreeing noun, e.g. ``"21 organizācija"``.

    Parameters
    ----------
    count
        The number.
    noun
        One of :data:`PACKAGE_NOUNS` or a study's unit forms (see :func:`noun_form`).
    lang
        A report language.

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
        A report language.
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
    text = formatting.format_number(value, lang=check_lang(lang), decimals=decimals)
    return text if text else formatting.DASH


def format_scientific(value: float, lang: str) -> str:
    """Write a very small or large number with two significant digits, e.g. ``2,5e-08``.

    Parameters
    ----------
    value
        The number.
    lang
        A report language (its decimal mark).

    Returns
    -------
    str
        The number in scientific notation.
    """
    return formatting.format_scientific(value, lang=check_lang(lang))


def format_percent(share: float, lang: str, *, decimals: int = 1) -> str:
    """Format a share between 0 and 1 as a percentage.

    Parameters
    ----------
    share
        A proportion, e.g. ``0.288``.
    lang
        A report language: Latvian writes ``28,8 %`` (no-break space), English ``28.8%``.
    decimals
        Digits after the decimal mark.

    Returns
    -------
    str
        The percentage.
    """
    text = formatting.format_percent(share * 100, lang=check_lang(lang), decimals=decimals)
    return text if text else formatting.DASH


def format_p_value(p_value: float, lang: str) -> str:
    """Format a p-value: three decimals, or ``< 0,001`` / ``< 0.001`` below that.

    Parameters
    ----------
    p_value
        The p-value.
    lang
        A report language.

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
        A report language.

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


def interval_label(lang: str) -> str:
    """Name a 95 % confidence interval in ``lang``: ``95 % TI`` / ``95% CI``."""
    # Translators: the abbreviation of "95% confidence interval", before its bounds.
    return translator(lang).gettext("95%% CI")


def interval_text(low: float, high: float, lang: str, *, decimals: int = 1) -> str:
    """Write a 95 % interval for a share, e.g. ``"95 % TI: 21,9–36,6 %"``.

    Parameters
    ----------
    low, high
        Interval bounds as proportions.
    lang
        A report language.
    decimals
        Digits after the decimal mark.

    Returns
    -------
    str
        The interval in words of ``lang``.
    """
    low_text = format_number(low * 100, lang, decimals=decimals)
    high_text = format_percent(high, lang, decimals=decimals)
    return f"{interval_label(lang)}: {low_text}{formatting.DASH}{high_text}"


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
        A report language.
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
    return translator(lang).gettext(
        "%(units)s of %(total)s answered %(label)s (%(share)s).",
        units=count_phrase(count, unit, lang),
        total=format_number(total, lang, decimals=0),
        label=quoted(label),
        share=format_percent(count / total, lang),
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
        A report language.
    unit
        What one clean row is in this study (its unit forms in ``lang``).

    Returns
    -------
    str
        One sentence.
    """
    return translator(lang).gettext(
        "The raw export had %(rows)s; after cleaning, the analysis keeps %(units)s "
        "(%(excluded)s excluded).",
        rows=count_phrase(rows_in, "row", lang),
        units=count_phrase(rows_out, unit, lang),
        excluded=format_number(rows_in - rows_out, lang, decimals=0),
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
        A report language.

    Returns
    -------
    str
        One or two sentences.
    """
    words = translator(lang)
    if n_significant == 0:
        found = words.gettext("none is statistically significant")
    else:
        found = words.ngettext(
            "%(num)s is statistically significant",
            "%(num)s are statistically significant",
            n_significant,
            num=format_number(n_significant, lang, decimals=0),
        )
    return words.ngettext(
        "%(num)s\u00a0test was run; after adjusting the p-values for multiple testing, "
        "%(found)s (α = %(alpha)s). Significance does not mean a large effect, so each test "
        "also shows its effect size.",
        "%(num)s\u00a0tests were run; after adjusting the p-values for multiple testing, "
        "%(found)s (α = %(alpha)s). Significance does not mean a large effect, so each test "
        "also shows its effect size.",
        n_tests,
        num=format_number(n_tests, lang, decimals=0),
        found=found,
        alpha=format_number(alpha, lang, decimals=2),
    )


# Simple fractions a reader says in words. A share is named by the nearest one when it lies
# within SHARE_WORD_TOLERANCE. The Latvian words are in the dative, as in "pusei ... ir".
FRACTIONS: tuple[tuple[float, str], ...] = (
    (1 / 5, N_("About a fifth")),
    (1 / 4, N_("About a quarter")),
    (1 / 3, N_("About a third")),
    (1 / 2, N_("About half")),
    (2 / 3, N_("About two thirds")),
    (3 / 4, N_("About three quarters")),
)
SHARE_WORD_TOLERANCE = 0.025


def share_words(share: float, lang: str) -> str:
    """Name a share in words, e.g. 0.51 -> "About half" / "Apmēram pusei".

    Parameters
    ----------
    share
        A proportion between 0 and 1.
    lang
        A report language (Latvian: dative, for sentences of the form "... dalībnieku ir ...").

    Returns
    -------
    str
        "About <fraction>" when a simple fraction lies within 2.5 percentage points,
        otherwise "Some"; capitalised for the start of a sentence.

    Examples
    --------
    >>> share_words(74 / 145, "en"), share_words(74 / 145, "lv")
    ('About half', 'Apmēram pusei')
    """
    words = translator(lang)
    value, phrase = min(FRACTIONS, key=lambda fraction: abs(fraction[0] - share))
    if abs(value - share) > SHARE_WORD_TOLERANCE:
        # Translators: a share of participants not near a simple fraction, starting a sentence.
        return words.gettext("Some")
    return words.gettext(phrase)


def analysed_sentence(rows_out: int, lang: str, *, unit: Noun = "respondent") -> str:
    """Say how many respondents the analysis includes.

    The verb does not agree with the noun in either language ("ir", "includes"), so any
    study's unit fits the sentence whatever its gender.

    Parameters
    ----------
    rows_out
        Rows in the clean data.
    lang
        A report language.
    unit
        What one row is in this study (its unit forms in ``lang``).

    Returns
    -------
    str
        E.g. "Analīzē ir 145 organizācijas." / "The analysis includes 145 organisations."
    """
    return translator(lang).gettext(
        "The analysis includes %(units)s.", units=count_phrase(rows_out, unit, lang)
    )


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
