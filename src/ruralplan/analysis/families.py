"""Families of tests for the multiple-testing adjustment: confirmatory, exploratory, sensitivity.

A study states in its pairs file which tests judge its registered claims (``confirmatory``),
which look for other associations (``exploratory``) and which re-test a question of another
pair in a different coding (``sensitivity``, with ``sensitivity_of`` naming that pair: age in
bands and in years, a contrast and its full variable). p-values are adjusted within the
confirmatory family and within the exploratory family, each on its own; sensitivity analyses
are not tests of their own, so they join no family and keep their p-value unadjusted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from statsmodels.stats.multitest import multipletests

CONFIRMATORY, EXPLORATORY, SENSITIVITY = "confirmatory", "exploratory", "sensitivity"
FAMILIES = (CONFIRMATORY, EXPLORATORY, SENSITIVITY)
#: Families whose p-values are adjusted (each on its own).
ADJUSTED_FAMILIES = (CONFIRMATORY, EXPLORATORY)
#: The family of a pair that states none.
DEFAULT_FAMILY = EXPLORATORY
ADJUSTMENTS = {"holm": "holm", "bh": "fdr_bh"}


def pair_key(outcome: str, predictor: str, contrast: str | None = None) -> str:
    """Name a pair as its results row does: ``outcome by predictor`` (the contrast's name).

    Parameters
    ----------
    outcome, predictor
        Column names.
    contrast
        The contrasted category, if any.

    Returns
    -------
    str
        E.g. ``"y by x"`` or ``"y by x_a_vs_other"``.

    Examples
    --------
    >>> pair_key("y", "x", "a")
    'y by x_a_vs_other'
    """
    from ruralplan.analysis.contingency import contrast_name

    shown = predictor if contrast is None else contrast_name(predictor, contrast)
    return f"{outcome} by {shown}"


def check_p_values(p_values: Sequence[float]) -> np.ndarray:
    """Return p-values as floats, refusing any outside [0, 1] (NaN marks an untested pair).

    Parameters
    ----------
    p_values
        Raw p-values.

    Returns
    -------
    numpy.ndarray
        The p-values as floats.

    Raises
    ------
    ValueError
        Naming the position and value of every p-value below 0, above 1 or infinite.
    """
    p = np.asarray(p_values, dtype=float)
    if p.ndim != 1:
        raise ValueError(
            f"p-values must be a flat list, but an array of shape {p.shape} was given."
        )
    bad = [(i, v) for i, v in enumerate(p.tolist()) if not np.isnan(v) and not 0 <= v <= 1]
    if bad:
        listed = ", ".join(f"position {i}: {v!r}" for i, v in bad)
        raise ValueError(f"p-values must lie between 0 and 1 (NaN for untested); got {listed}.")
    return p


def adjust_p_values(p_values: Sequence[float], *, method: str = "holm") -> np.ndarray:
    """Adjust p-values for multiple testing, leaving NaN (untested) entries as NaN.

    Parameters
    ----------
    p_values
        Raw p-values in [0, 1]; NaN marks a test that could not run and is not counted.
    method
        ``holm`` (default) or ``bh`` (Benjamini-Hochberg).

    Returns
    -------
    numpy.ndarray
        Adjusted p-values in the input order.

    Raises
    ------
    ValueError
        If ``method`` is unknown or a p-value lies outside [0, 1].

    Examples
    --------
    >>> adjust_p_values([0.01, 0.04, float("nan")]).round(3).tolist()
    [0.02, 0.04, nan]
    """
    if method not in ADJUSTMENTS:
        raise ValueError(f"The adjustment must be one of {sorted(ADJUSTMENTS)}, not {method!r}.")
    p = check_p_values(p_values)
    adjusted = np.full(p.shape, np.nan)
    tested = np.isfinite(p)
    if tested.any():
        adjusted[tested] = multipletests(p[tested], method=ADJUSTMENTS[method])[1]
    return adjusted


def adjust_within_families(
    p_values: Sequence[float], families: Sequence[str], *, method: str = "holm"
) -> np.ndarray:
    """Adjust p-values within each adjusted family; sensitivity rows stay NaN.

    Parameters
    ----------
    p_values
        Raw p-values (NaN: not tested).
    families
        The family of each p-value, one of :data:`FAMILIES`.
    method
        ``holm`` or ``bh``.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values in the input order; NaN for sensitivity analyses and untested pairs.

    Raises
    ------
    ValueError
        If the lengths differ, a family is unknown or a p-value is outside [0, 1].

    Examples
    --------
    >>> adjust_within_families([0.01, 0.04, 0.03], ["confirmatory", "exploratory",
    ...                        "sensitivity"]).tolist()
    [0.01, 0.04, nan]
    """
    p = check_p_values(p_values)
    labels = np.asarray([str(f) for f in families], dtype=object)
    if labels.shape != p.shape:
        raise ValueError(f"{len(labels)} families were given for {len(p)} p-values.")
    unknown = sorted(set(labels.tolist()) - set(FAMILIES))
    if unknown:
        raise ValueError(f"Unknown test families {unknown}; allowed are {list(FAMILIES)}.")
    adjusted = np.full(p.shape, np.nan)
    for family in ADJUSTED_FAMILIES:
        members = labels == family
        if members.any():
            adjusted[members] = adjust_p_values(p[members], method=method)
    return adjusted


def pair_family(
    entry: Mapping[str, Any], keys: Sequence[str], *, where: str
) -> tuple[str, str | None, str]:
    """Read a pair's ``family`` and ``sensitivity_of`` and check them.

    Parameters
    ----------
    entry
        One pair of the pairs file, with ``outcome``, ``predictor`` and optional ``contrast``,
        ``family`` and ``sensitivity_of`` (a mapping ``{predictor, contrast, outcome}`` whose
        ``outcome`` defaults to the pair's own).
    keys
        :func:`pair_key` of every pair in the file.
    where
        The file and pair number, for messages.

    Returns
    -------
    tuple
        The family, the :func:`pair_key` of the pair re-tested (None unless sensitivity), and
        an error message ("" when the entry is fine).
    """
    reference = entry.get("sensitivity_of")
    family = str(entry.get("family", SENSITIVITY if reference is not None else DEFAULT_FAMILY))
    if family not in FAMILIES:
        return family, None, f"{where}: family must be one of {list(FAMILIES)}, not {family!r}"
    if family != SENSITIVITY:
        if reference is not None:
            return family, None, f"{where}: `sensitivity_of` needs `family: sensitivity`"
        return family, None, ""
    if not isinstance(reference, Mapping) or "predictor" not in reference:
        return (
            family,
            None,
            f"{where}: a sensitivity pair needs `sensitivity_of: {{predictor: ..., "
            "contrast: ...}}` naming the pair whose question it codes differently",
        )
    target = pair_key(
        str(reference.get("outcome", entry["outcome"])),
        str(reference["predictor"]),
        None if reference.get("contrast") is None else str(reference["contrast"]),
    )
    own = pair_key(str(entry["outcome"]), str(entry["predictor"]), entry.get("contrast"))
    if target == own or target not in keys:
        return family, target, f"{where}: `sensitivity_of` names {target!r}, not another pair"
    return family, target, ""


def with_families(
    entries: Sequence[Mapping[str, Any]], pairs: Sequence[Mapping[str, Any]]
) -> tuple[list[dict[str, Any]], list[str]]:
    """Add ``family`` and ``sensitivity_of`` to checked pairs and list every problem.

    Parameters
    ----------
    entries
        The pairs as written in the file (with their ``family`` and ``sensitivity_of``).
    pairs
        The same pairs with ``outcome``, ``predictor`` and ``contrast`` checked.

    Returns
    -------
    tuple
        The pairs with ``family`` and ``sensitivity_of`` (the re-tested pair's
        :func:`pair_key`, or None), and the problems found (a sensitivity pair that names no
        other pair or a sensitivity pair, an unknown family, a pair listed twice).
    """
    keys = [pair_key(p["outcome"], p["predictor"], p["contrast"]) for p in pairs]
    out, problems = [], []
    for number, (entry, pair) in enumerate(zip(entries, pairs, strict=True), start=1):
        where = f"pair {number} ({keys[number - 1]})"
        family, target, problem = pair_family({**entry, **pair}, keys, where=where)
        out.append({**pair, "family": family, "sensitivity_of": target})
        problems += [problem] if problem else []
    family_of = dict(zip(keys, (p["family"] for p in out), strict=True))
    for number, pair in enumerate(out, start=1):
        if family_of.get(pair["sensitivity_of"]) == SENSITIVITY:
            problems.append(
                f"pair {number} ({keys[number - 1]}): `sensitivity_of` names "
                f"{pair['sensitivity_of']!r}, itself a sensitivity pair; name the pair it "
                "re-tests"
            )
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        problems.append(f"pairs listed more than once: {duplicates}")
    return out, problems
