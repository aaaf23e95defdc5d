"""Sentences the report writes from the results: key figures, tests, published claims.

Their numbers are read from the results files, never typed into the wording; their words are
the catalog's (:mod:`ruralplan.i18n`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ruralplan import narrative
from ruralplan.analysis.claims import VERDICTS as CLAIM_VERDICTS
from ruralplan.i18n import Translator, translator
from ruralplan.report.blocks import list_html
from ruralplan.report.frequency import option_rows, valid_total
from ruralplan.report.tables import DASH, as_number, first_column, suppression_marker


def interpret_tests(
    tests: pd.DataFrame, *, alpha: float, lang: str, labels: Mapping[str, str] | None = None
) -> list[str]:
    """Interpret cross-tab tests in plain language, respecting adjustment and effect size.

    The first sentence counts the tests and those significant after adjustment; then one
    sentence per test from :func:`.crosstab.describe_result`, which names the effect
    size with Cohen's limits.

    Parameters
    ----------
    tests
        ``crosstab_tests.csv``: ``outcome``, ``predictor``, ``test``, ``p_adjusted``,
        ``effect_measure``, ``effect_size`` and the other columns ``describe_result`` reads.
    alpha
        The significance level the adjusted p-values are compared with.
    lang
        ``"lv"`` or ``"en"``.
    labels
        Optional display names for outcome and predictor ids.

    Returns
    -------
    list of str
        The summary sentence, then one sentence per test.

    Raises
    ------
    ValueError
        If a column is missing.
    """
    from ruralplan.analysis.describe import describe_result

    needed = ["outcome", "predictor", "test", "p_adjusted", "effect_measure", "effect_size"]
    missing = [c for c in needed if c not in tests.columns]
    if missing:
        raise ValueError(f"cross-tab tests: missing columns {missing}; found {list(tests.columns)}")
    tested = tests.loc[tests["p_adjusted"].notna()]
    n_significant = int((tested["p_adjusted"] < alpha).sum())
    sentences = [narrative.tests_summary_sentence(len(tested), n_significant, alpha, lang)]
    # describe_result puts labels in double quotes: their own quotes become single ones
    inner = {key: narrative.inner_quotes(value) for key, value in (labels or {}).items()}
    for _, row in tests.iterrows():
        sentences.append(describe_result(row.to_dict(), lang, alpha=alpha, labels=inner or None))
    return sentences


def group_sentence(table: pd.DataFrame, group: Mapping[str, Any], lang: str) -> str:
    """Say what share of participants gave any of a group of answers, in words and numbers.

    Parameters
    ----------
    table
        A frequency table with ``code`` and ``n``.
    group
        ``codes`` (list of answer codes) and ``sentence_<lang>``, a template with the fields
        ``{share_words}`` (e.g. "About half"), ``{count}``, ``{total}`` and ``{percent}``.
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        The sentence; ``""`` when a count of the group is withheld or missing.

    Raises
    ------
    ValueError
        If a code of the group is not in the table or the template is missing.
    """
    template = group.get(f"sentence_{narrative.check_lang(lang)}")
    codes = [str(c) for c in group.get("codes", [])]
    options = option_rows(table)
    unknown = sorted(set(codes) - set(options["code"].astype(str)))
    if not template or not codes or unknown:
        raise ValueError(
            f"summary group: needs `codes` found in the table and "
            f"`sentence_{lang}`; unknown codes {unknown}"
        )
    counts = pd.to_numeric(
        options.loc[options["code"].astype(str).isin(codes), "n"], errors="coerce"
    )
    total = valid_total(table)
    if counts.isna().any() or not total:
        return ""
    count = int(counts.sum())
    share = count / total
    return template.format(
        share_words=narrative.share_words(share, lang),
        count=narrative.format_number(count, lang, decimals=0),
        total=narrative.format_number(total, lang, decimals=0),
        percent=narrative.format_percent(share, lang),
    )


def answer_parts(table: pd.DataFrame, lang: str) -> list[str]:
    """Write every answer's share with its 95 % interval, one text per answer.

    Parameters
    ----------
    table
        A frequency table with ``row_type``, ``label_<lang>``, ``percent``, ``ci_low`` and
        ``ci_high`` (percent scale); withheld cells are quoted as their marker.
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    list of str
        E.g. ``“Current” 29.0% (95% CI 22.2–36.8%)``, in table order.
    """
    narrative.check_lang(lang)
    label = first_column(table, [f"label_{lang}", "label", "code"], "frequency table")
    parts = []
    for _, row in option_rows(table).iterrows():
        value = as_number(row.get("percent"))
        if value is None:
            parts.append(
                f"{narrative.quoted(row[label])} {suppression_marker(row.get('n')) or DASH}"
            )
            continue
        text = f"{narrative.quoted(row[label])} {narrative.format_percent(value / 100, lang)}"
        low, high = as_number(row.get("ci_low")), as_number(row.get("ci_high"))
        if low is not None and high is not None:
            text += f" ({narrative.interval_text(low / 100, high / 100, lang)})"
        parts.append(text)
    return parts


def summary_list_html(
    *,
    rows_out: int | None,
    strategy: pd.DataFrame | None,
    tests: pd.DataFrame | None,
    alpha: float,
    lang: str,
    group: Mapping[str, Any] | None = None,
    unit: narrative.Noun = "respondent",
) -> str:
    """Show the key figures of the summary, from whichever results are available, as a list.

    The answers of the main table become a nested list, one answer per line.

    Parameters
    ----------
    rows_out
        Organisations in the clean data.
    strategy
        The main frequency table (see :func:`answer_parts`).
    tests
        The cross-tab tests table.
    alpha
        The significance level.
    lang
        ``"lv"`` or ``"en"``.
    group
        Optional ``summary`` mapping of ``exhibits.yaml``: ``codes`` (answer codes counted
        together) and ``sentence_<lang>`` (a template, see :func:`group_sentence`).
    unit
        What one row of the clean data is in this study (its unit forms in ``lang``).

    Returns
    -------
    str
        An HTML ``<ul class="key-figures">`` (escaped).
    """
    words = translator(lang)
    items: list[Any] = []
    if rows_out is not None:
        items.append(narrative.analysed_sentence(rows_out, lang, unit=unit))
    if strategy is not None and group:
        items.append(group_sentence(strategy, group, lang))
    parts = answer_parts(strategy, lang) if strategy is not None else []
    if parts:
        # Translators: leads the list of every answer's share in the summary.
        items.append({"lead": words.gettext("By answer:"), "sub": parts})
    if tests is not None:
        items.append(interpret_tests(tests, alpha=alpha, lang=lang)[0])
    return list_html([item for item in items if item], css="key-figures")


def claims_sentence(claims: pd.DataFrame, lang: str) -> str:
    """Count the verdicts of the published-figures check in one sentence.

    Parameters
    ----------
    claims
        ``claims.csv`` with a ``verdict`` column.
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        The sentence (verdicts in the order of :data:`CLAIM_VERDICTS`, others after them).

    Raises
    ------
    ValueError
        If the ``verdict`` column is missing.
    """
    words = translator(lang)
    if "verdict" not in claims.columns:
        raise ValueError(f"claims table: missing column `verdict`; found {list(claims.columns)}")
    if claims.empty:
        return ""
    counts = {str(k): int(v) for k, v in claims["verdict"].astype(str).value_counts().items()}
    order = [v for v in CLAIM_VERDICTS if v in counts] + sorted(set(counts) - set(CLAIM_VERDICTS))
    parts = [_verdict_count(verdict, counts[verdict], words) for verdict in order]
    listed = parts[0]
    if len(parts) > 1:
        # Translators: the last item of a list joined to the others; %(head)s holds the
        # others separated by commas.
        listed = words.gettext("%(head)s and %(last)s", head=", ".join(parts[:-1]), last=parts[-1])
    return words.gettext(
        "Of %(claims)s from the published summary, %(verdicts)s.",
        claims=narrative.count_phrase(len(claims), "claim", lang),
        verdicts=listed,
    )


def _verdict_count(verdict: str, count: int, words: Translator) -> str:
    """How many claims got one verdict, e.g. "2 are reproduced" / "atkārtojas – 2"."""
    num = narrative.format_number(count, words.lang, decimals=0)
    phrases = {
        "reproduced": words.npgettext(
            "claims verdict count",
            "%(num)s is reproduced",
            "%(num)s are reproduced",
            count,
            num=num,
        ),
        "consistent": words.npgettext(
            "claims verdict count",
            "%(num)s is consistent",
            "%(num)s are consistent",
            count,
            num=num,
        ),
        "differs": words.npgettext(
            "claims verdict count", "%(num)s differs", "%(num)s differ", count, num=num
        ),
        "inconsistent": words.npgettext(
            "claims verdict count",
            "%(num)s is inconsistent with its stated base",
            "%(num)s are inconsistent with their stated base",
            count,
            num=num,
        ),
        "see cross-tab tests": words.npgettext(
            "claims verdict count",
            "%(num)s is judged by the cross-tab tests",
            "%(num)s are judged by the cross-tab tests",
            count,
            num=num,
        ),
        "not testable with the survey": words.npgettext(
            "claims verdict count",
            "%(num)s is not testable with the survey",
            "%(num)s are not testable with the survey",
            count,
            num=num,
        ),
        "cannot be checked": words.npgettext(
            "claims verdict count",
            "%(num)s cannot be checked with the survey",
            "%(num)s cannot be checked with the survey",
            count,
            num=num,
        ),
    }
    if verdict in phrases:
        return phrases[verdict]
    # Translators: a count of claims with a verdict the catalog does not know (shown as is).
    return words.gettext("%(num)s %(verdict)s", num=num, verdict=verdict)


def directional_sentence(directional: pd.DataFrame, lang: str, *, synthetic: bool) -> str:
    """Say how many published statements about associations the tests support.

    Parameters
    ----------
    directional
        ``claims_directional.csv`` with a ``verdict`` column (``supported`` / ...).
    lang
        ``"lv"`` or ``"en"``.
    synthetic
        Whether to add that the relations were put into the synthetic data by assumption.

    Returns
    -------
    str
        The sentence, or ``""`` for an empty table.
    """
    words = translator(lang)
    if "verdict" not in directional.columns:
        raise ValueError(
            f"directional claims table: missing column `verdict`; found {list(directional.columns)}"
        )
    if directional.empty:
        return ""
    total = len(directional)
    values = {
        "supported": narrative.format_number(
            int((directional["verdict"].astype(str) == "supported").sum()), lang, decimals=0
        ),
        "num": narrative.format_number(total, lang, decimals=0),
    }
    if synthetic:
        return words.ngettext(
            "The cross-tab tests support %(supported)s of the %(num)s published statement "
            "about associations (in the synthetic data these relations were put in by "
            "assumption).",
            "The cross-tab tests support %(supported)s of the %(num)s published statements "
            "about associations (in the synthetic data these relations were put in by "
            "assumption).",
            total,
            **values,
        )
    return words.ngettext(
        "The cross-tab tests support %(supported)s of the %(num)s published statement about "
        "associations.",
        "The cross-tab tests support %(supported)s of the %(num)s published statements about "
        "associations.",
        total,
        **values,
    )


def synthetic_tests_caveat(lang: str) -> str:
    """Warn that the tested associations of synthetic data were put in by assumption.

    Parameters
    ----------
    lang
        A report language.

    Returns
    -------
    str
        The caveat the tests section shows while the data are synthetic.
    """
    return translator(lang).gettext(
        "Read with caution: the data are synthetic, and the associations tested here were "
        "built into them by assumption, so these results show what the tests do, not "
        "findings about the organisations surveyed."
    )
