"""The published-figures check as a reader sees it: a short table and the base finding.

The analysis (:mod:`ruralplan.analysis.claims`) writes ``claims.csv``, ``claims_grim.csv`` and
``claims_share_set_bases.csv`` with English notes and code ids for reviewers; those files stay
downloadable and are shown in the audit version. Here only their figures and verdict codes are
read, and every word around them comes from the catalog of the report's language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ruralplan import narrative
from ruralplan.i18n import Translator, translator
from ruralplan.report.render import render

# One figure as the analysis writes it: "145", "28,8%", "29,0 % (42/145)".
_FIGURE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(%?)\s*(?:\((\d+)/(\d+)\))?\s*$")
# A published wording without figures or code ids, e.g. "puse", "vairākas".
_WORDS = re.compile(r"^[^\d_/]+$")


@dataclass(frozen=True)
class Figure:
    """One figure of the check: its value, whether it is a percentage, and its count if any."""

    value: float
    decimals: int
    percent: bool
    count: int | None = None
    base: int | None = None


def parse_figure(text: object) -> Figure | None:
    """Read one figure as the analysis writes it, or None when the text is not one figure.

    Parameters
    ----------
    text
        A cell of ``claims.csv`` (``published`` or ``reproduced``).

    Returns
    -------
    Figure or None
        The figure, keeping its number of decimals.

    Examples
    --------
    >>> parse_figure("29,0 % (42/145)")
    Figure(value=29.0, decimals=1, percent=True, count=42, base=145)
    >>> parse_figure("puse") is None
    True
    """
    match = _FIGURE.match(str(text)) if isinstance(text, str) else None
    if match is None:
        return None
    number, percent, count, base = match.groups()
    number = number.replace(",", ".")
    return Figure(
        value=float(number),
        decimals=len(number.split(".")[1]) if "." in number else 0,
        percent=bool(percent),
        count=int(count) if count else None,
        base=int(base) if base else None,
    )


def figure_text(figure: Figure, lang: str) -> str:
    """Write a figure in the report's language, e.g. ``29.0% (42 of 145)``.

    Parameters
    ----------
    figure
        A parsed figure.
    lang
        The report's language.

    Returns
    -------
    str
        The figure with the decimal mark of ``lang`` and its count, if any.
    """
    words = translator(lang)
    number = narrative.format_number(figure.value, lang, decimals=figure.decimals)
    text = words.gettext("%(num)s%%", num=number) if figure.percent else number
    if figure.count is None or figure.base is None:
        return text
    return words.gettext(
        "%(figure)s (%(count)s of %(base)s)",
        figure=text,
        count=narrative.format_number(figure.count, lang, decimals=0),
        base=narrative.format_number(figure.base, lang, decimals=0),
    )


def fitting_bases(share_bases: pd.DataFrame) -> list[int]:
    """Return the bases at which whole counts give every printed share and add up to the base.

    Parameters
    ----------
    share_bases
        ``claims_share_set_bases.csv``: ``base, all_possible, sums_to_base``.

    Returns
    -------
    list of int
        The fitting bases, smallest first.
    """
    if share_bases.empty:
        return []
    fits = share_bases["all_possible"].astype(str).eq("True") & share_bases["sums_to_base"].astype(
        str
    ).eq("True")
    return sorted({int(b) for b in share_bases.loc[fits, "base"]})


def _verdict_words(verdict: str, words: Translator) -> str:
    """Word a verdict code of ``claims.csv``; an unknown code is shown as it is (data)."""
    known = {
        "reproduced": words.pgettext("claim verdict", "Reproduced"),
        "differs": words.pgettext("claim verdict", "Differs slightly"),
        "consistent": words.pgettext("claim verdict", "Consistent"),
        "inconsistent": words.pgettext("claim verdict", "Not possible with the stated base"),
    }
    return known.get(verdict, verdict)


def _why(
    claim: str, verdict: str, published: Figure | None, found: Figure, grim: pd.DataFrame, lang: str
) -> str:
    """Say why a figure got its verdict, from the figures and the GRIM table only."""
    words = translator(lang)
    if published is None:
        return words.gettext("The published words fit this figure.")
    if verdict == "reproduced":
        return words.gettext("The same figure after rounding.")
    difference = found.value - published.value
    gap = words.gettext(
        "A difference of %(diff)s percentage points.",
        diff=("+" if difference > 0 else "")
        + narrative.format_number(difference, lang, decimals=max(published.decimals, 1)),
    )
    stated = grim.loc[
        (grim["claim_id"].astype(str) == claim)
        & grim["stated_base"].astype(str).eq("True")
        & ~grim["consistent"].astype(str).eq("True")
    ]
    if stated.empty:
        return gap
    return (
        gap
        + " "
        + words.gettext(
            "No whole number out of %(base)s gives %(published)s.",
            base=narrative.format_number(int(stated["base"].iloc[0]), lang, decimals=0),
            published=figure_text(published, lang),
        )
    )


def claim_rows(claims: pd.DataFrame, grim: pd.DataFrame, lang: str) -> list[dict[str, str]]:
    """Return the readers' rows: each published figure or wording beside this analysis.

    Claims whose published side is not one figure or plain words (associations, sets of
    shares, statements the survey cannot check) are left to the sentences and the files.

    Parameters
    ----------
    claims
        ``claims.csv``: ``claim_id, published, reproduced, verdict``.
    grim
        ``claims_grim.csv``: ``claim_id, base, stated_base, consistent``.
    lang
        The report's language.

    Returns
    -------
    list of dict
        ``published``, ``published_lang`` (``"lv"`` for quoted published words, else ``""``),
        ``found``, ``verdict`` and ``why``, as text.
    """
    words = translator(lang)
    rows = []
    for claim in claims.itertuples(index=False):
        found = parse_figure(claim.reproduced)
        published = parse_figure(claim.published)
        is_words = isinstance(claim.published, str) and bool(_WORDS.match(claim.published))
        if found is None or (published is None and not is_words):
            continue
        rows.append(
            {
                "published": figure_text(published, lang)
                if published
                else words.gettext("“%(words)s”", words=claim.published),
                "published_lang": "" if published else "lv",
                "found": figure_text(found, lang),
                "verdict": _verdict_words(str(claim.verdict), words),
                "why": _why(str(claim.claim_id), str(claim.verdict), published, found, grim, lang),
            }
        )
    return rows


def base_finding(
    grim: pd.DataFrame,
    share_bases: pd.DataFrame,
    rows_out: int | None,
    lang: str,
    *,
    unit: narrative.Noun = "respondent",
) -> list[str]:
    """Tell the base finding in two sentences, naming every fitting base and no single reading.

    Parameters
    ----------
    grim
        ``claims_grim.csv``.
    share_bases
        ``claims_share_set_bases.csv``.
    rows_out
        Organisations after cleaning, or None.
    lang
        The report's language.
    unit
        The study's unit noun (see :func:`ruralplan.narrative.noun_form`).

    Returns
    -------
    list of str
        Two sentences, or none when every printed share fits its stated base.
    """
    words = translator(lang)
    stated = grim.loc[grim["stated_base"].astype(str).eq("True")]
    if stated.empty or stated["consistent"].astype(str).eq("True").all():
        return []
    base = int(stated["base"].iloc[0])
    bases = fitting_bases(share_bases)
    num = len(stated)
    fmt = [narrative.format_number(b, lang, decimals=0) for b in bases]
    first = (
        words.ngettext(
            "Of the bases from %(low)s to %(high)s, only these give the %(num)s printed share "
            "from whole counts that add up to the base: %(bases)s.",
            "Of the bases from %(low)s to %(high)s, only these give all %(num)s printed shares "
            "from whole counts that add up to the base: %(bases)s.",
            num,
            num=narrative.format_number(num, lang, decimals=0),
            bases=", ".join(fmt),
            low=narrative.format_number(int(share_bases["base"].min()), lang, decimals=0),
            high=narrative.format_number(int(share_bases["base"].max()), lang, decimals=0),
        )
        if bases
        else words.gettext("No base in the checked range gives every printed share.")
    )
    second = words.gettext(
        "The stated base of %(base)s (after cleaning the survey has %(rows)s) cannot give "
        "them, and the files alone cannot tell which base, if any, the published shares were "
        "computed on.",
        base=narrative.format_number(base, lang, decimals=0),
        rows=narrative.count_phrase(rows_out if rows_out is not None else base, unit, lang),
    )
    return [first, second]


def claims_html(
    claims: pd.DataFrame,
    grim: pd.DataFrame,
    share_bases: pd.DataFrame,
    rows_out: int | None,
    lang: str,
    *,
    unit: narrative.Noun = "respondent",
    files: Sequence[str] = (),
) -> str:
    """Lay out the published-figures check for readers: finding, table, other claims, files.

    Parameters
    ----------
    claims, grim, share_bases
        The analysis's check tables.
    rows_out
        Organisations after cleaning, or None.
    lang
        The report's language.
    unit
        The study's unit noun.
    files
        The full check tables (paths relative to the report), offered as downloads.

    Returns
    -------
    str
        HTML.
    """
    rows = claim_rows(claims, grim, lang)
    return render(
        "claims.html.j2",
        lang,
        finding=base_finding(grim, share_bases, rows_out, lang, unit=unit),
        rows=rows,
        others=len(claims) - len(rows),
        files=list(files),
    )
