"""Agreement between the rule coder and a gold standard: Cohen's kappa and Krippendorff's alpha.

Each code is treated as a binary variable (present or absent) on every respondent segment of
the gold-coded interviews. Per code and pooled over all codes, the table gives Cohen's kappa
computed from the 2x2 confusion table and Krippendorff's alpha for nominal data (the
``krippendorff`` package), with the usual thresholds: at least .800 reliable, at least .667
tentative (Krippendorff 2004, *Content Analysis*, 2nd ed., p. 241). A code that neither coder
applied has no defined agreement and is reported as not computable.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence

import krippendorff
import numpy as np
import pandas as pd

from ruralplan.interviews.codebook import ThemeCodebook
from ruralplan.interviews.coder import RULE_CODER

TENTATIVE = 0.667
RELIABLE = 0.800
OVERALL = "(all codes)"
GOLD_COLUMNS = ["interview_id", "segment_id", "code"]
GOLD_CODER = "gold coding"
"""The name the gold coding goes by when it is compared with other coders."""
SET_ALL = "all"
RELIABILITY_COLUMNS = [
    "code",
    "n_segments",
    "n_rule",
    "n_gold",
    "n_both",
    "percent_agreement",
    "kappa",
    "kappa_verdict",
    "alpha",
    "alpha_verdict",
]


class GoldError(ValueError):
    """Raised when a gold-standard coding file does not fit the segments or the codebook."""


def cohen_kappa(first: Sequence[bool], second: Sequence[bool]) -> float:
    """Return Cohen's kappa of two binary codings of the same units (NaN when undefined).

    Parameters
    ----------
    first, second
        Presence (True) or absence of a code per unit, same length.

    Returns
    -------
    float
        ``(p_o - p_e) / (1 - p_e)``; NaN when ``p_e == 1`` (one category only) or no units.

    Examples
    --------
    >>> round(cohen_kappa([1, 1, 0, 0], [1, 0, 0, 0]), 3)
    0.5
    """
    a = np.asarray(first, dtype=bool)
    b = np.asarray(second, dtype=bool)
    if a.shape != b.shape:
        raise ValueError(f"codings differ in length: {a.size} and {b.size}")
    if a.size == 0:
        return math.nan
    observed = float(np.mean(a == b))
    expected = float(a.mean() * b.mean() + (1 - a.mean()) * (1 - b.mean()))
    if math.isclose(expected, 1.0):
        return math.nan
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(first: Sequence[bool], second: Sequence[bool]) -> float:
    """Return Krippendorff's alpha (nominal) of two codings; NaN when a single value occurs.

    Parameters
    ----------
    first, second
        Presence (True) or absence of a code per unit, same length.

    Returns
    -------
    float
        Alpha, or NaN when it is not computable.

    Raises
    ------
    ValueError
        If the codings differ in length.
    """
    first_values, second_values = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    if first_values.shape != second_values.shape:
        raise ValueError(f"codings differ in length: {first_values.size} and {second_values.size}")
    data = np.vstack([first_values, second_values])
    if data.size == 0 or np.unique(data).size < 2:
        return math.nan
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def verdict(value: float, *, tentative: float = TENTATIVE, reliable: float = RELIABLE) -> str:
    """Classify an agreement coefficient against the thresholds.

    Examples
    --------
    >>> verdict(0.7), verdict(float("nan"))
    ('tentative', 'not computable')
    """
    if math.isnan(value):
        return "not computable"
    if value >= reliable:
        return "reliable"
    return "tentative" if value >= tentative else "below threshold"


def check_gold(
    gold: pd.DataFrame, segments: pd.DataFrame, codes: Iterable[str], *, source: str = "gold"
) -> pd.DataFrame:
    """Validate gold-standard codings against the segments and the leaf codes.

    Parameters
    ----------
    gold
        Table with ``interview_id, segment_id, code`` (other columns are ignored).
    segments
        All segments (``interview_id, segment_id, role``).
    codes
        The allowed code ids.
    source
        Name used in error messages, normally the file path.

    Returns
    -------
    pandas.DataFrame
        The three columns, without duplicate rows.

    Raises
    ------
    GoldError
        Naming the row and column of a missing column, unknown code or unknown segment.
    """
    missing = [column for column in GOLD_COLUMNS if column not in gold.columns]
    if missing:
        raise GoldError(f"{source}: missing columns {missing}; expected {GOLD_COLUMNS}")
    known = set(codes)
    roles = {(r.interview_id, r.segment_id): r.role for r in segments.itertuples(index=False)}
    for row, record in enumerate(gold[GOLD_COLUMNS].itertuples(index=False), start=2):
        if record.code not in known:
            raise GoldError(
                f"{source}, row {row}, column code: {record.code!r} is not a leaf "
                f"code of the codebook; expected one of {sorted(known)}"
            )
        role = roles.get((record.interview_id, record.segment_id))
        if role is None:
            raise GoldError(
                f"{source}, row {row}: segment {record.segment_id!r} of interview "
                f"{record.interview_id!r} does not exist in the transcripts"
            )
        if role != "respondent":
            raise GoldError(
                f"{source}, row {row}: segment {record.segment_id!r} of interview "
                f"{record.interview_id!r} belongs to the {role}; only respondent "
                "segments are coded"
            )
    return gold[GOLD_COLUMNS].drop_duplicates().reset_index(drop=True)


def presence(coded: pd.DataFrame, units: pd.DataFrame, codes: Sequence[str]) -> pd.DataFrame:
    """Return a boolean unit-by-code table: does ``coded`` apply the code to the unit.

    Parameters
    ----------
    coded
        Codings with ``interview_id, segment_id, code``.
    units
        The units (``interview_id, segment_id``), in the order wanted.
    codes
        Columns of the result.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``(interview_id, segment_id)``, one boolean column per code.
    """
    index = pd.MultiIndex.from_frame(units[["interview_id", "segment_id"]])
    table = pd.DataFrame(False, index=index, columns=list(codes))
    for record in coded.itertuples(index=False):
        key = (record.interview_id, record.segment_id)
        if record.code in table.columns and key in index:
            table.loc[key, record.code] = True
    return table


def _row(code: str, rule: np.ndarray, gold: np.ndarray) -> dict[str, object]:
    kappa = cohen_kappa(rule, gold)
    alpha = krippendorff_alpha(rule, gold)
    return {
        "code": code,
        "n_segments": int(rule.size),
        "n_rule": int(rule.sum()),
        "n_gold": int(gold.sum()),
        "n_both": int((rule & gold).sum()),
        "percent_agreement": round(100 * float(np.mean(rule == gold)), 1) if rule.size else np.nan,
        "kappa": round(kappa, 3),
        "kappa_verdict": verdict(kappa),
        "alpha": round(alpha, 3),
        "alpha_verdict": verdict(alpha),
    }


def reliability_table(
    rule: pd.DataFrame, gold: pd.DataFrame, units: pd.DataFrame, codes: Sequence[str]
) -> pd.DataFrame:
    """Compare rule and gold codings per code and pooled over all codes.

    Parameters
    ----------
    rule, gold
        Codings with ``interview_id, segment_id, code``.
    units
        The respondent segments of the gold-coded interviews.
    codes
        The codes to compare, in display order.

    Returns
    -------
    pandas.DataFrame
        Columns ``code, n_segments, n_rule, n_gold, n_both, percent_agreement, kappa,
        kappa_verdict, alpha, alpha_verdict``; the last row pools all codes (every
        segment-code pair is one unit).
    """
    rule_table = presence(rule, units, codes)
    gold_table = presence(gold, units, codes)
    rows = [_row(code, rule_table[code].to_numpy(), gold_table[code].to_numpy()) for code in codes]
    rows.append(_row(OVERALL, rule_table.to_numpy().ravel(), gold_table.to_numpy().ravel()))
    return pd.DataFrame(rows, columns=RELIABILITY_COLUMNS)


def check_sets(
    sets: Mapping[str, Sequence[str]], gold_ids: Iterable[str], *, source: str = "sets"
) -> dict[str, list[str]]:
    """Validate named sets of gold-coded interviews (e.g. development and held-out).

    Parameters
    ----------
    sets
        Set name mapped to interview ids; the sets must not overlap. The name ``all`` is
        reserved for the union.
    gold_ids
        The interviews that have gold coding.
    source
        Name used in error messages.

    Returns
    -------
    dict
        Set name mapped to its sorted gold-coded interview ids, in the given order. Interviews
        without gold coding are left out (the notebook prints each set's members), and a set
        left with none is omitted, so a corpus with other gold interviews still runs.

    Raises
    ------
    GoldError
        If a set is empty in the codebook, named ``all`` or overlaps another.
    """
    known, seen, checked = set(gold_ids), {}, {}
    for name, members in sets.items():
        ids = sorted({str(member) for member in members})
        if name == SET_ALL or not ids:
            raise GoldError(f"{source}: set {name!r} must be non-empty and not named {SET_ALL!r}")
        twice = [i for i in ids if i in seen]
        if twice:
            raise GoldError(
                f"{source}: interviews {twice} are in set {name!r} and in set "
                f"{seen[twice[0]]!r}; sets must not overlap"
            )
        seen.update(dict.fromkeys(ids, name))
        if any(i in known for i in ids):
            checked[name] = [i for i in ids if i in known]
    return checked


def reliability_by_set(
    rule: pd.DataFrame,
    gold: pd.DataFrame,
    units: pd.DataFrame,
    codes: Sequence[str],
    sets: Mapping[str, Sequence[str]],
) -> pd.DataFrame:
    """Run :func:`reliability_table` on each named set of interviews and on all of them.

    Parameters
    ----------
    rule, gold
        Codings with ``interview_id, segment_id, code``.
    units
        The respondent segments of all gold-coded interviews.
    codes
        The codes to compare, in display order.
    sets
        Set name mapped to interview ids (see :func:`check_sets`), in display order.

    Returns
    -------
    pandas.DataFrame
        A ``set`` column (each set name in the given order, then ``all``), ``n_interviews``
        (the set's interviews among ``units``) and the columns of :func:`reliability_table`.
    """
    frames = []
    wanted = {
        **{name: list(ids) for name, ids in sets.items()},
        SET_ALL: sorted(units["interview_id"].unique()),
    }
    for name, ids in wanted.items():
        keep = [frame[frame["interview_id"].isin(ids)] for frame in (rule, gold, units)]
        table = reliability_table(*keep, codes)
        table.insert(0, "set", name)
        table.insert(1, "n_interviews", int(keep[2]["interview_id"].nunique()))
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


AGREEMENT_COLUMNS = [
    "coder_a",
    "coder_b",
    "n_interviews",
    "code",
    "n_segments",
    "n_a",
    "n_b",
    "n_both",
    "percent_agreement",
    "kappa",
    "kappa_verdict",
    "alpha",
    "alpha_verdict",
]


def coder_pairs(rule: str, humans: Sequence[str]) -> list[tuple[str, str]]:
    """Pair the rule coder with each human coder, then the human coders with each other.

    Examples
    --------
    >>> coder_pairs("rule", ["Ilze", "Juris"])
    [('rule', 'Ilze'), ('rule', 'Juris'), ('Ilze', 'Juris')]
    """
    return [(rule, human) for human in humans] + list(itertools.combinations(humans, 2))


def coder_agreement(
    codings: pd.DataFrame,
    units: pd.DataFrame,
    codes: Sequence[str],
    pairs: Sequence[tuple[str, str]],
    scope: Mapping[str, Iterable[str]],
) -> pd.DataFrame:
    """Compare pairs of coders per code and pooled, on the interviews both of them coded.

    Parameters
    ----------
    codings
        ``interview_id, segment_id, code, coder``: every coder's segment codings.
    units
        The segments that can be coded (respondent segments) of all interviews.
    codes
        The codes to compare, in display order.
    pairs
        ``(coder_a, coder_b)`` in display order (see :func:`coder_pairs`).
    scope
        Coder mapped to the interviews they coded: the rule coder codes every interview, a
        human coder those of their project, the gold coding those in its file.

    Returns
    -------
    pandas.DataFrame
        :data:`AGREEMENT_COLUMNS`: one row per pair and code and a pooled row per pair
        (``code`` = :data:`OVERALL`); ``n_a``/``n_b`` count the segments each coder gave the
        code. A pair without a shared interview is left out.
    """
    frames = []
    for first, second in pairs:
        shared = sorted(set(scope[first]) & set(scope[second]))
        if not shared:
            continue
        keep = units[units["interview_id"].isin(shared)]
        sides = [
            codings[(codings["coder"] == name) & codings["interview_id"].isin(shared)]
            for name in (first, second)
        ]
        table = reliability_table(*sides, keep, codes).rename(
            columns={"n_rule": "n_a", "n_gold": "n_b"}
        )
        table.insert(0, "coder_a", first)
        table.insert(1, "coder_b", second)
        table.insert(2, "n_interviews", len(shared))
        frames.append(table)
    if not frames:
        return pd.DataFrame([], columns=AGREEMENT_COLUMNS)
    return pd.concat(frames, ignore_index=True)[AGREEMENT_COLUMNS]


def compare_coders(
    rule: pd.DataFrame,
    human: pd.DataFrame,
    gold: pd.DataFrame,
    units: pd.DataFrame,
    codes: Sequence[str],
) -> pd.DataFrame:
    """Compare the rule coder with every human coding, and the human codings with each other.

    Parameters
    ----------
    rule
        The rule coder's codings (``interview_id, segment_id, code``); it coded every
        interview of ``units``.
    human
        Human codings from a QDA project (``... code, coder``); each coder coded the
        interviews they have codings in.
    gold
        The gold coding (``interview_id, segment_id, code``), compared as the coder
        :data:`GOLD_CODER` on its interviews; may be empty.
    units
        The respondent segments of all interviews.
    codes
        The codes to compare, in display order.

    Returns
    -------
    pandas.DataFrame
        From :func:`coder_agreement`: the rule coder against each project coder, then against
        the gold coding, then every pair of human codings.
    """
    keys = ["interview_id", "segment_id", "code"]
    parts = [rule[keys].assign(coder=RULE_CODER), human[[*keys, "coder"]]]
    scope = {RULE_CODER: set(units["interview_id"])}
    scope |= {name: set(rows["interview_id"]) for name, rows in human.groupby("coder")}
    humans = sorted(human["coder"].unique())
    if len(gold):
        parts.append(gold[keys].assign(coder=GOLD_CODER))
        scope[GOLD_CODER] = set(gold["interview_id"])
        humans.append(GOLD_CODER)
    codings = pd.concat(parts, ignore_index=True)
    return coder_agreement(codings, units, codes, coder_pairs(RULE_CODER, humans), scope)


def with_code_names(table: pd.DataFrame, codebook: ThemeCodebook) -> pd.DataFrame:
    """Add the code's name in Latvian and English (``name_lv``, ``name_en``) after ``code``.

    A report shows the column of its language; a row whose code is not in the codebook (the
    pooled row) keeps its id as its name.

    Parameters
    ----------
    table
        A table with a ``code`` column of code ids.
    codebook
        The codebook.

    Returns
    -------
    pandas.DataFrame
        A copy with the two columns inserted.
    """
    named = table.copy()
    known = {code.id: code for code in codebook.codes}
    at = named.columns.get_loc("code") + 1
    for offset, lang in enumerate(("lv", "en")):
        names = [known[c].name(lang) if c in known else c for c in named["code"]]
        named.insert(at + offset, f"name_{lang}", names)
    return named
