"""Check the published claims (``data/published/claims.yaml``) against the clean survey.

Each claim gets the value computed from the data and a verdict: ``reproduced``, ``differs``
(the note says by how much), ``consistent`` / ``inconsistent`` (for a set of printed shares and
their stated base, :mod:`.consistency`), ``see cross-tab tests`` (directional claims,
judged in notebook 04), ``not testable with the survey`` (an interview finding; the note says
where the interviews speak to it) or ``cannot be checked`` (the note says why). Claim kinds and
keys are described in ``docs/tables_and_claims.md``.

A printed figure is typed once, as ``printed``, and must occur in the quote: ``published`` and
``decimals`` are read from it (Latvian decimal comma included); when they are also given they
must agree with it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ruralplan.analysis.answers import chose_any, option_counts, share_of
from ruralplan.analysis.consistency import (
    consistent_bases,
    grim_consistent,
    nearest_consistent_base,
    printed_number,
)
from ruralplan.formatting import format_number, format_percent, round_half_up

CLAIM_COLUMNS = ["claim_id", "quote", "published", "reproduced", "verdict", "note"]
COMMON_KEYS = {"id", "kind", "quote_lv", "statement_en", "note_en"}
KIND_KEYS = {
    "count": (
        {"printed"},
        {"published", "decimals", "question", "codes", "among", "range", "operationalisation_en"},
    ),
    "share": (
        {"question", "codes", "base", "printed"},
        {"published", "decimals", "among", "range", "operationalisation_en"},
    ),
    "share_set": ({"question", "members", "base", "search"}, set()),
    "rank": ({"question", "codes", "position"}, set()),
    "directional": ({"test"}, set()),
    "interview_only": ({"interviews_en"}, {"reason_en"}),
    "not_checkable": ({"reason_en"}, set()),
}
REPRODUCED, DIFFERS, CANNOT = "reproduced", "differs", "cannot be checked"
CROSSTAB = "see cross-tab tests"
NOT_TESTABLE = "not testable with the survey"
#: Every verdict of :func:`check_claims`, in the order a summary lists them.
VERDICTS = (REPRODUCED, "consistent", DIFFERS, "inconsistent", CROSSTAB, NOT_TESTABLE, CANNOT)


class ClaimsError(ValueError):
    """Raised when the claims file is malformed; the message lists every problem."""


def parse_claims(document: Any, *, source: str = "claims") -> list[dict[str, Any]]:
    """Check the parsed claims file and return its claims.

    Parameters
    ----------
    document
        The parsed YAML: a mapping with a ``claims`` list.
    source
        The file name, used in messages.

    Returns
    -------
    list of dict
        The claims, in file order; a printed figure's ``published`` and ``decimals`` are
        filled in from ``printed``.

    Raises
    ------
    ClaimsError
        Listing every problem (unknown kind or key, missing key, duplicate id, bad value, a
        printed figure that is not in the quote or disagrees with ``published`` or
        ``decimals``).
    """
    if not isinstance(document, Mapping) or not isinstance(document.get("claims"), list):
        raise ClaimsError(f"{source}: expected a mapping with a `claims` list")
    problems: list[str] = []
    seen: set[str] = set()
    for number, claim in enumerate(document["claims"], start=1):
        where = f"claim {number}"
        if not isinstance(claim, Mapping):
            problems.append(f"{where}: expected a mapping, got {claim!r}")
            continue
        where = f"claim {number} ({claim.get('id', 'no id')})"
        if claim.get("id") in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(claim.get("id"))
        problems += [f"{where}: {problem}" for problem in _claim_problems(claim)]
    problems += _member_problems(document["claims"])
    if problems:
        raise ClaimsError("\n".join(f"{source}: {problem}" for problem in problems))
    return [_with_printed_figure(claim) for claim in document["claims"]]


def check_claims(
    claims: Sequence[Mapping[str, Any]],
    survey: pd.DataFrame,
    *,
    lang: str = "lv",
    min_cell: int = 5,
) -> pd.DataFrame:
    """Compute every claim from the clean survey and give it a verdict.

    Parameters
    ----------
    claims
        Output of :func:`parse_claims`.
    survey
        The clean survey, one row per organisation.
    lang
        Number style of the ``published`` and ``reproduced`` columns.
    min_cell
        Counts ``0 < n < min_cell`` are shown as ``"<min_cell"`` in ``reproduced`` (without
        their percentage), as in the public tables; verdicts use the full values.

    Returns
    -------
    pandas.DataFrame
        Columns ``claim_id, quote, published, reproduced, verdict, note``, in file order.
    """
    by_id = {claim["id"]: claim for claim in claims}
    rows = []
    for claim in claims:
        checker = _CHECKERS[claim["kind"]]
        published, reproduced, verdict, note = checker(claim, survey, lang=lang, by_id=by_id)
        if _has_small_count(reproduced, min_cell):
            reproduced = f"<{min_cell}"
        extra = claim.get("note_en")
        rows.append(
            {
                "claim_id": claim["id"],
                "quote": " ".join(str(claim["quote_lv"]).split()),
                "published": published,
                "reproduced": reproduced,
                "verdict": verdict,
                "note": " ".join(part for part in (note, extra) if part),
            }
        )
    return pd.DataFrame(rows, columns=CLAIM_COLUMNS)


# ---- checkers: each returns (published, reproduced, verdict, note) ------------------------------

Result = tuple[str, str, str, str]


def _check_count(
    claim: Mapping[str, Any], survey: pd.DataFrame, *, lang: str, by_id: Mapping[str, Any]
) -> Result:
    among = claim.get("among")
    try:
        group = (
            survey.loc[chose_any(survey, among["question"], among["codes"])] if among else survey
        )
        if "question" in claim:
            value = _count_ticks(group, claim["question"], claim["codes"])
        else:
            value = len(group)
    except (KeyError, ValueError) as error:
        return str(claim["printed"]), "", CANNOT, _message(error)
    reproduced = format_number(value, lang=lang, decimals=0)
    group_note = _among_note(among, len(group))
    if "range" in claim:
        verdict, note = _range_verdict(value, claim["range"], claim)
        return str(claim["printed"]), reproduced, verdict, _join(group_note, note)
    difference = int(value - claim["published"])
    if difference == 0:
        return str(claim["printed"]), reproduced, REPRODUCED, group_note
    return (
        str(claim["printed"]),
        reproduced,
        DIFFERS,
        _join(group_note, f"differs by {difference:+d}."),
    )


def _check_share(
    claim: Mapping[str, Any], survey: pd.DataFrame, *, lang: str, by_id: Mapping[str, Any]
) -> Result:
    printed = str(claim["printed"])
    try:
        count, valid = share_of(survey, claim["question"], claim["codes"], among=claim.get("among"))
    except (KeyError, ValueError) as error:
        return printed, "", CANNOT, _message(error)
    if valid == 0:
        return printed, "", CANNOT, "no valid answers in the data."
    percent = 100 * count / valid
    base_note = _base_note(claim.get("base"), valid)
    if "range" in claim:
        reproduced = f"{format_percent(percent, lang=lang, decimals=1)} ({count}/{valid})"
        verdict, note = _range_verdict(percent, claim["range"], claim)
        return printed, reproduced, verdict, _join(note, base_note)
    decimals = int(claim["decimals"])
    reproduced = f"{format_percent(percent, lang=lang, decimals=decimals)} ({count}/{valid})"
    difference = round_half_up(percent, decimals) - claim["published"]
    grim = _grim_note(claim, lang=lang)
    if abs(difference) < 0.5 * 10.0 ** (-decimals):
        return printed, reproduced, REPRODUCED, _join(base_note, grim)
    gap = format_number(difference, lang="en", decimals=decimals)
    gap = gap if difference < 0 else f"+{gap}"
    return (
        printed,
        reproduced,
        DIFFERS,
        _join(f"differs by {gap} percentage points.", base_note, grim),
    )


def _check_share_set(
    claim: Mapping[str, Any], survey: pd.DataFrame, *, lang: str, by_id: Mapping[str, Any]
) -> Result:
    members = [by_id[member] for member in claim["members"]]
    shares = [float(member["published"]) for member in members]
    decimals = [int(member["decimals"]) for member in members]
    printed = " / ".join(str(member["printed"]) for member in members)
    published = f"{printed} (n={claim['base']})"
    low, high = claim["search"]
    table = consistent_bases(shares, decimals=decimals, bases=range(int(low), int(high) + 1))
    stated = bool(
        consistent_bases(shares, decimals=decimals, bases=[int(claim["base"])])[
            "sums_to_base"
        ].iloc[0]
    )
    good = table.loc[table["sums_to_base"]]
    nearest = nearest_consistent_base(table, int(claim["base"]))
    reproduced = _data_shares(survey, members, lang=lang)
    if stated:
        note = f"whole counts out of {claim['base']} give all the printed shares."
        return published, reproduced, "consistent", note
    listing = ", ".join(str(base) for base in good["base"])
    note = (
        f"no whole counts out of {claim['base']} give all the printed shares and add up "
        f"to {claim['base']}. Bases from {low} to {high} that do: {listing or 'none'}."
    )
    if nearest is not None:
        counts = good.set_index("base").loc[nearest, "counts"]
        note += f" The nearest is {nearest} (counts {counts})."
    return published, reproduced, "inconsistent", note


def _check_rank(
    claim: Mapping[str, Any], survey: pd.DataFrame, *, lang: str, by_id: Mapping[str, Any]
) -> Result:
    codes = list(claim["codes"])
    where = "first" if claim["position"] == "top" else "last"
    published = f"{', '.join(codes)} {where}"
    try:
        counts = option_counts(survey, claim["question"])
    except KeyError as error:
        return published, "", CANNOT, _message(error)
    unknown = [code for code in codes if code not in counts.index]
    if unknown:
        return published, "", CANNOT, f"codes {unknown} are not in the data."
    ranked = counts.sort_values(ascending=claim["position"] != "top", kind="stable")
    shown = ranked.head(len(codes) + 1)  # the claimed options and the one that follows
    reproduced = ", ".join(f"{code} {value}" for code, value in shown.items())
    inside, outside = counts[codes], counts.drop(index=codes)
    if outside.empty:
        return published, reproduced, REPRODUCED, ""
    if claim["position"] == "top":
        holds = inside.min() > outside.max()
    else:
        holds = inside.max() < outside.min()
    if holds:
        return published, reproduced, REPRODUCED, ""
    return published, reproduced, DIFFERS, f"{', '.join(codes)} are not strictly {where}."


def _check_directional(
    claim: Mapping[str, Any], survey: pd.DataFrame, *, lang: str, by_id: Mapping[str, Any]
) -> Result:
    test = claim["test"]
    expectation = " ".join(str(test[key]) for key in ("expectation", "level") if key in test)
    published = f"{test['outcome']} {expectation} by {test['predictor']}"
    missing = [test[key] for key in ("outcome", "predictor") if test[key] not in survey.columns]
    if missing:
        return published, "", CANNOT, f"the survey data has no column(s) {missing}."
    return published, "", CROSSTAB, "judged by the cross-tab tests (notebook 04)."


def _check_interview_only(
    claim: Mapping[str, Any], survey: pd.DataFrame, *, lang: str, by_id: Mapping[str, Any]
) -> Result:
    reason = str(claim.get("reason_en", "")).strip()
    where = f"The interviews speak to it: {str(claim['interviews_en']).strip()}"
    return "", "", NOT_TESTABLE, _join(reason, where)


def _check_not_checkable(
    claim: Mapping[str, Any], survey: pd.DataFrame, *, lang: str, by_id: Mapping[str, Any]
) -> Result:
    return "", "", CANNOT, str(claim["reason_en"])


_CHECKERS = {
    "count": _check_count,
    "share": _check_share,
    "share_set": _check_share_set,
    "rank": _check_rank,
    "directional": _check_directional,
    "interview_only": _check_interview_only,
    "not_checkable": _check_not_checkable,
}


# ---- helpers ------------------------------------------------------------------------------------


def _claim_problems(claim: Mapping[str, Any]) -> list[str]:
    kind = claim.get("kind")
    if kind not in KIND_KEYS:
        return [f"kind must be one of {sorted(KIND_KEYS)}, but {kind!r} was given"]
    required, optional = KIND_KEYS[kind]
    required = required | {"id", "kind", "quote_lv", "statement_en"}
    problems = []
    missing = sorted(required - set(claim))
    if missing:
        problems.append(f"missing keys {missing}")
    unknown = sorted(set(claim) - required - optional - COMMON_KEYS)
    if unknown:
        problems.append(f"unknown keys {unknown}; allowed: {sorted(required | optional)}")
    if kind in ("count", "share"):
        problems += _figure_problems(claim)
        problems += _among_problems(claim.get("among"))
    if kind == "rank" and claim.get("position") not in ("top", "bottom"):
        problems.append(f"position must be top or bottom, but {claim.get('position')!r} was given")
    return problems


def _figure_problems(claim: Mapping[str, Any]) -> list[str]:
    problems = _quote_problems(claim)
    if "range" in claim:
        bounds = claim["range"]
        if not isinstance(bounds, Mapping) or not bounds or set(bounds) - {"above", "below"}:
            problems.append(f"range must be a mapping with `above` and/or `below`, not {bounds!r}")
        return problems
    printed = claim.get("printed")
    try:
        value, decimals, _ = printed_number(printed)
    except ValueError:
        problems.append(
            f"printed {printed!r} is not a number: give `range` (and `operationalisation_en`) "
            "for a verbal quantity"
        )
        return problems
    if claim["kind"] == "count" and decimals:
        problems.append(f"a count is a whole number, but printed {printed!r} has decimals")
    published = claim.get("published")
    if published is not None and not (
        isinstance(published, int | float)
        and not isinstance(published, bool)
        and abs(float(published) - value) < 1e-9
    ):
        problems.append(
            f"published {published!r} does not match the printed {printed!r} ({value:g}); "
            "leave `published` out, it is read from `printed`"
        )
    if "decimals" in claim and claim["decimals"] != decimals:
        problems.append(
            f"decimals {claim['decimals']!r} does not match the printed {printed!r} "
            f"({decimals} decimals); leave `decimals` out, it is read from `printed`"
        )
    return problems


def _normalised(text: Any) -> str:
    return " ".join(str(text).replace("\u00a0", " ").replace("\u202f", " ").split()).casefold()


def _quote_problems(claim: Mapping[str, Any]) -> list[str]:
    """List a problem when the printed figure or words do not occur in the quote."""
    printed, quote = claim.get("printed"), claim.get("quote_lv")
    if printed is None or quote is None or _normalised(printed) in _normalised(quote):
        return []
    return [f"printed {printed!r} does not occur in the quote {quote!r}"]


def _among_problems(among: Any) -> list[str]:
    if among is None:
        return []
    codes = among.get("codes") if isinstance(among, Mapping) else None
    if (
        not isinstance(among, Mapping)
        or set(among) != {"question", "codes"}
        or not isinstance(codes, list)
        or not codes
    ):
        return [f"among must be a mapping {{question, codes: [..]}}, not {among!r}"]
    return []


def _with_printed_figure(claim: Mapping[str, Any]) -> dict[str, Any]:
    """Return the claim with ``published`` and ``decimals`` read from a printed number."""
    claim = dict(claim)
    if claim.get("kind") in ("count", "share") and "range" not in claim:
        value, decimals, _ = printed_number(claim["printed"])
        claim["published"] = int(value) if claim["kind"] == "count" else value
        claim["decimals"] = decimals
    return claim


def _among_note(among: Mapping[str, Any] | None, size: int) -> str:
    if among is None:
        return ""
    codes = ", ".join(str(code) for code in among["codes"])
    return f"Among respondents answering {among['question']} = {codes} ({size})."


def _member_problems(claims: list[Any]) -> list[str]:
    by_id = {c.get("id"): c for c in claims if isinstance(c, Mapping)}
    problems = []
    for claim in claims:
        if not isinstance(claim, Mapping) or claim.get("kind") != "share_set":
            continue
        for member in claim.get("members", []):
            target = by_id.get(member)
            if target is None or target.get("kind") != "share" or "range" in target:
                problems.append(
                    f"claim {claim.get('id')}: member {member!r} is not a share claim "
                    "with a printed figure"
                )
    return problems


def _has_small_count(text: str, min_cell: int) -> bool:
    """Tell whether a reproduced value shows a count under ``min_cell`` (``k/n`` or ``code k``)."""
    counts = re.findall(r"\((\d+)/\d+\)|(?:^|, )[a-z_0-9]+ (\d+)(?=,|$)|^(\d+)$", text)
    values = [int(next(group for group in match if group)) for match in counts]
    return any(0 < value < min_cell for value in values)


def _count_ticks(survey: pd.DataFrame, question: str, codes: Sequence[str]) -> int:
    count, _ = share_of(survey, question, codes)
    return count


def _range_verdict(
    value: float, bounds: Mapping[str, float], claim: Mapping[str, Any]
) -> tuple[str, str]:
    above, below = bounds.get("above"), bounds.get("below")
    holds = (above is None or value > above) and (below is None or value < below)
    note = str(claim.get("operationalisation_en", ""))
    return (REPRODUCED if holds else DIFFERS), note


def _base_note(stated: Any, valid: int) -> str:
    if stated is None or int(stated) == valid:
        return ""
    return f"Stated base n={stated}, valid answers in the data {valid}."


def _grim_note(claim: Mapping[str, Any], *, lang: str) -> str:
    base = claim.get("base")
    if base is None:
        return ""
    value, decimals = float(claim["published"]), int(claim["decimals"])
    if grim_consistent(value, int(base), decimals=decimals, percent=True):
        return ""
    return (
        f"GRIM: no whole count out of {base} gives "
        f"{format_percent(value, lang='en', decimals=decimals)}."
    )


def _data_shares(survey: pd.DataFrame, members: list[Mapping[str, Any]], *, lang: str) -> str:
    parts = []
    valid = 0
    for member in members:
        try:
            count, valid = share_of(survey, member["question"], member["codes"])
        except (KeyError, ValueError):
            return ""
        if valid == 0:
            return ""
        decimals = int(member["decimals"])
        parts.append(format_percent(100 * count / valid, lang=lang, decimals=decimals))
    return f"{' / '.join(parts)} (n={valid})"


def _message(error: Exception) -> str:
    text = error.args[0] if error.args else str(error)
    return f"{text}."


def _join(*parts: str) -> str:
    return " ".join(part for part in parts if part)
