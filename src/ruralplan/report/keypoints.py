"""Key points: the boxed executive summary that opens the report's summary section.

Three to five bullets a funder reads in a minute: what was asked (the study's own words, the
layout's optional ``asked``) with the number analysed, the main figure (the layout's
``summary`` group sentence), and the caveats that change how the numbers may be read:
synthetic data, the interview coding's agreement with human coding, and whether the
published shares fit their stated base. Every number is read from the pipeline's files.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ruralplan import narrative
from ruralplan.i18n import translator
from ruralplan.report.claims import fitting_bases
from ruralplan.report.reliability import POOLED_CODE, headline_set, verdict_word
from ruralplan.report.render import render
from ruralplan.report.tables import number_cell

ASKED_KEY = "asked"


def check_asked(document: Any, *, source: str = "report layout") -> dict[str, str] | None:
    """Check the layout's optional ``asked``: what the study asked, in the study's words.

    Parameters
    ----------
    document
        The parsed layout file; ``asked`` is absent or a mapping with one text per report
        language (``lv``, ``en``), plain words without digits (numbers come from the files).
    source
        The file name, for messages.

    Returns
    -------
    dict or None
        Language to text, or None when the layout has no ``asked``.

    Raises
    ------
    ValueError
        Naming the file and the key, if ``asked`` is not such a mapping.

    Examples
    --------
    >>> check_asked({"asked": {"lv": "Vai?", "en": "Whether?"}})
    {'lv': 'Vai?', 'en': 'Whether?'}
    >>> check_asked({}) is None
    True
    """
    asked = document.get(ASKED_KEY) if isinstance(document, Mapping) else None
    if asked is None:
        return None
    if not isinstance(asked, Mapping):
        raise ValueError(
            f"{source}: `{ASKED_KEY}` must be a mapping with a text for each of "
            f"{list(narrative.LANGS)}, but {asked!r} was given"
        )
    problems = [
        f"`{ASKED_KEY}.{lang}` must be a non-empty text"
        for lang in narrative.LANGS
        if not isinstance(asked.get(lang), str) or not asked[lang].strip()
    ]
    problems += [
        f"`{ASKED_KEY}.{lang}` must not contain digits (numbers are computed), "
        f"but {asked[lang]!r} was given"
        for lang in narrative.LANGS
        if isinstance(asked.get(lang), str) and any(c.isdigit() for c in asked[lang])
    ]
    if problems:
        raise ValueError(f"{source}: " + "; ".join(problems))
    return {lang: " ".join(str(asked[lang]).split()) for lang in narrative.LANGS}


def reliability_point(table: pd.DataFrame, lang: str) -> str:
    """Say how well the interview coding agrees with human coding, pooled over all codes.

    Parameters
    ----------
    table
        ``interview_reliability.csv``: with a ``set`` column the headline set (held-out
        interviews first) is used, and its ``n_interviews`` named when present. An empty table
        means there was no human coding to compare with.
    lang
        A report language.

    Returns
    -------
    str
        The sentence; ``""`` when the table has no pooled row.
    """
    from ruralplan.interviews.reliability import RELIABLE, TENTATIVE

    words = translator(narrative.check_lang(lang))
    if table.empty:
        return words.gettext(
            "Interview coding: its agreement with human coding was not measured (no human "
            "coding to compare with), so the interview themes are unchecked."
        )
    chosen = headline_set(table)
    rows = table if chosen is None else table.loc[table["set"].astype(str) == chosen]
    pooled = rows.loc[rows["code"].astype(str) == POOLED_CODE]
    if pooled.empty or "alpha" not in pooled:
        return ""
    row = pooled.iloc[0]
    values = {
        "alpha": number_cell(row["alpha"], lang, 2),
        "verdict": verdict_word(str(row.get("alpha_verdict", "")), lang),
        "tentative": narrative.format_number(TENTATIVE, lang, decimals=3),
        "reliable": narrative.format_number(RELIABLE, lang, decimals=3),
    }
    interviews = _interviews(row, chosen, lang)
    if interviews:
        return words.gettext(
            "Interview coding: the rules agree with human coding on %(interviews)s with "
            "Krippendorff's α = %(alpha)s, %(verdict)s (tentative from %(tentative)s, "
            "reliable from %(reliable)s).",
            interviews=interviews,
            **values,
        )
    return words.gettext(
        "Interview coding: the rules agree with human coding with Krippendorff's α = "
        "%(alpha)s, %(verdict)s (tentative from %(tentative)s, reliable from %(reliable)s).",
        **values,
    )


def _interviews(row: Mapping[str, Any], chosen: str | None, lang: str) -> str:
    """Name the interviews of the headline set with their number, or ``""``."""
    words = translator(lang)
    count = pd.to_numeric(pd.Series([row.get("n_interviews")]), errors="coerce").iloc[0]
    if pd.isna(count) or chosen is None:
        return ""
    count = int(count)
    num = narrative.format_number(count, lang, decimals=0)
    phrases = {
        "held_out": words.ngettext(
            "%(num)s held-out interview (not used to write the rules)",
            "%(num)s held-out interviews (not used to write the rules)",
            count,
            num=num,
        ),
        "development": words.ngettext(
            "%(num)s interview used to write the rules",
            "%(num)s interviews used to write the rules",
            count,
            num=num,
        ),
        "all": words.ngettext(
            "%(num)s human-coded interview", "%(num)s human-coded interviews", count, num=num
        ),
    }
    return phrases.get(chosen, "")


def base_point(
    grim: pd.DataFrame, share_bases: pd.DataFrame, lang: str, *, section: int | None = None
) -> str:
    """Say in one sentence whether the published shares fit their stated base.

    Parameters
    ----------
    grim
        ``claims_grim.csv`` (``base``, ``stated_base``, ``consistent``).
    share_bases
        ``claims_share_set_bases.csv`` (see :func:`.claims.fitting_bases`).
    lang
        A report language.
    section
        The number of the published-figures section, referred to; None for no reference.

    Returns
    -------
    str
        The sentence; ``""`` when every printed share fits its stated base or none is checked.
    """
    words = translator(narrative.check_lang(lang))
    if grim.empty or share_bases.empty:
        return ""
    stated = grim.loc[grim["stated_base"].astype(str).eq("True")]
    if stated.empty or stated["consistent"].astype(str).eq("True").all():
        return ""
    bases = fitting_bases(share_bases)
    see = (
        # Translators: refers to the numbered section with the full check; starts with a space.
        words.gettext(
            " (see section %(num)s)", num=narrative.format_number(section, lang, decimals=0)
        )
        if section is not None
        else ""
    )
    values = {
        "base": narrative.format_number(int(stated["base"].iloc[0]), lang, decimals=0),
        "num": narrative.format_number(len(bases), lang, decimals=0),
        "low": narrative.format_number(int(share_bases["base"].min()), lang, decimals=0),
        "high": narrative.format_number(int(share_bases["base"].max()), lang, decimals=0),
        "see": see,
    }
    if not bases:
        return words.gettext(
            "Published figures: the printed shares cannot come from their stated base of "
            "%(base)s, nor from any base from %(low)s to %(high)s%(see)s.",
            **values,
        )
    return words.ngettext(
        "Published figures: the printed shares cannot come from their stated base of "
        "%(base)s; %(num)s base from %(low)s to %(high)s fits them, and the files cannot tell "
        "which base was used%(see)s.",
        "Published figures: the printed shares cannot come from their stated base of "
        "%(base)s; %(num)s bases from %(low)s to %(high)s fit them, and the files cannot tell "
        "which base was used%(see)s.",
        len(bases),
        **values,
    )


def synthetic_point(lang: str) -> str:
    """Say that the numbers are a demonstration on synthetic data, not findings."""
    return translator(lang).gettext(
        "The data are synthetic: every number here demonstrates the analysis and none is a finding."
    )


def key_points_html(points: list[str], lang: str) -> str:
    """Render the key points as a boxed list, or ``""`` when there are none.

    Parameters
    ----------
    points
        Plain-text bullets (empty ones are left out).
    lang
        A report language.

    Returns
    -------
    str
        An HTML ``<aside class="key-points">`` (escaped).
    """
    shown = [point for point in points if point]
    return render("key_points.html.j2", lang, points=shown) if shown else ""
