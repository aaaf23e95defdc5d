"""Generate a synthetic online-form export from a codebook and a generator specification.

The specification (a YAML mapping, see ``data/raw/synthetic.yaml``) fixes the counts of one
*anchor* question exactly and draws every other answer from distributions given per group of
anchor answers, so stated relations hold by construction. The export is shaped like a real one:
question texts as headers, labels instead of codes, multiple answers joined in one cell, typed
years and counts in varied forms, municipality aliases, slips of case, accents and whitespace,
and duplicate submissions. Everything is vectorised with a seeded NumPy generator.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ruralplan.survey.codebook import Codebook, Question

MULTIPLE_SEPARATOR = ", "
_SPEC_KEYS = {"n", "seed", "timestamps", "anchor", "duplicates", "noise", "questions"}


class SpecError(ValueError):
    """Raised when a generator specification does not fit the codebook."""


def allocate_counts(weights: Mapping[str, float], n: int) -> dict[str, int]:
    """Split ``n`` into whole counts proportional to ``weights`` (largest remainder).

    Parameters
    ----------
    weights
        Non-negative weights per code, in the order to keep.
    n
        Total to split.

    Returns
    -------
    dict
        Counts per code summing to ``n``; ties go to the earlier code.

    Examples
    --------
    >>> allocate_counts({"a": 42, "b": 32, "c": 31, "d": 40}, 145)
    {'a': 42, 'b': 32, 'c': 31, 'd': 40}
    >>> allocate_counts({"a": 1, "b": 1}, 3)
    {'a': 2, 'b': 1}
    """
    total = sum(weights.values())
    exact = {code: n * weight / total for code, weight in weights.items()}
    counts = {code: math.floor(value) for code, value in exact.items()}
    order = sorted(exact, key=lambda code: -(exact[code] - counts[code]))
    for code in order[: n - sum(counts.values())]:
        counts[code] += 1
    return counts


def strip_accents_array(values: np.ndarray) -> np.ndarray:
    """Remove diacritics from each string of an object array (a typing slip)."""
    import unicodedata

    def _strip(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text)
        return unicodedata.normalize(
            "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
        )

    return np.array([_strip(value) for value in values], dtype=object)


def generate_export(
    codebook: Codebook,
    spec: Mapping[str, Any],
    municipalities: pd.DataFrame,
    aliases: pd.DataFrame,
    *,
    n: int | None = None,
    seed: int | None = None,
) -> pd.DataFrame:
    """Generate a synthetic export as a table of strings with question texts as headers.

    Parameters
    ----------
    codebook
        The questionnaire.
    spec
        Generator specification (anchor, duplicates, noise, per-question distributions).
    municipalities
        Reference list with ``name`` and ``type`` columns (for ``lookup`` questions).
    aliases
        Alias list with ``alias``, ``name`` and ``kind`` columns.
    n
        Number of organisations before duplicates; ``spec["n"]`` when omitted.
    seed
        Seed of the random generator; ``spec["seed"]`` when omitted.

    Returns
    -------
    pandas.DataFrame
        ``n`` plus the number of duplicates rows, in submission order.

    Raises
    ------
    SpecError
        If the specification names unknown questions or codes.
    """
    _check_spec(codebook, spec)
    n = int(spec["n"] if n is None else n)
    if n < 1:
        raise SpecError(f"`n` must be at least 1, but {n} was passed")
    rng = np.random.default_rng(int(spec["seed"] if seed is None else seed))
    anchor = spec["anchor"]
    counts = allocate_counts(anchor["weights"], n)
    codes: dict[str, np.ndarray] = {
        anchor["question"]: rng.permutation(np.repeat(list(counts), list(counts.values())))
    }
    group_of = {code: group for group, members in anchor["groups"].items() for code in members}
    groups = np.array([group_of[code] for code in codes[anchor["question"]]], dtype=object)
    context = _Context(
        rng=rng,
        n=n,
        groups=groups,
        noise=spec.get("noise", {}),
        municipalities=municipalities,
        aliases=aliases,
        reference_year=codebook.reference_year,
    )
    columns: dict[str, np.ndarray] = {}
    for question in codebook.questions:
        settings = spec["questions"].get(question.id, {})
        if question.type == "timestamp":
            continue
        if question.id == anchor["question"]:
            columns[question.id] = _render_single(question, codes[question.id], context)
            continue
        asked = _asked_mask(question, codes, n)
        columns[question.id], codes[question.id] = _generate_question(
            question, settings, context, asked
        )
    table = pd.DataFrame({q.text_lv: columns[q.id] for q in codebook.questions if q.id in columns})
    return _add_timestamps_and_duplicates(table, codebook, spec, codes, rng)


class _Context:
    """Shared state of one generation run (random generator, groups, reference lists)."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


def _check_spec(codebook: Codebook, spec: Mapping[str, Any]) -> None:
    problems = [f"unknown keys {sorted(set(spec) - _SPEC_KEYS)}"] if set(spec) - _SPEC_KEYS else []
    anchor = spec.get("anchor", {})
    try:
        question = codebook.question(anchor.get("question", ""))
    except KeyError as error:
        raise SpecError(f"`anchor.question`: {error.args[0]}") from None
    if list(anchor.get("weights", {})) != question.codes:
        problems.append(f"`anchor.weights` must list the codes {question.codes} in order")
    grouped = [code for members in anchor.get("groups", {}).values() for code in members]
    if sorted(grouped) != sorted(question.codes):
        problems.append(f"`anchor.groups` must put each of {question.codes} in one group")
    unknown = sorted(set(spec.get("questions", {})) - set(codebook.ids))
    if unknown:
        problems.append(f"`questions` names unknown question ids {unknown}")
    for qid, settings in spec.get("questions", {}).items():
        if qid in codebook.ids and codebook.question(qid).type in ("single", "multiple"):
            problems += _check_choice_settings(codebook.question(qid), settings)
    if problems:
        raise SpecError("generator specification: " + "; ".join(problems))


def _check_choice_settings(question: Question, settings: Mapping[str, Any]) -> list[str]:
    problems = []
    for group, distribution in settings.items():
        if group == "other_texts":
            continue
        unknown = sorted(set(distribution) - set(question.codes))
        if unknown:
            problems.append(f"{question.id}.{group}: unknown codes {unknown}")
    return problems


def _asked_mask(question: Question, codes: Mapping[str, np.ndarray], n: int) -> np.ndarray:
    asked = np.ones(n, dtype=bool)
    for other_id, allowed in question.asked_if.items():
        asked &= np.isin(codes[other_id], list(allowed))
    return asked


def _generate_question(
    question: Question, settings: Mapping[str, Any], context: _Context, asked: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    if question.type == "single":
        drawn = _draw_single(question, settings, context)
        rendered = _render_single(question, drawn, context)
    elif question.type == "multiple":
        drawn, rendered = _draw_multiple(question, settings, context)
    elif question.type in ("year", "count"):
        drawn, rendered = _draw_number(question, settings, context)
    elif question.lookup:
        drawn, rendered = _draw_lookup(settings, context)
    else:
        drawn = rendered = _draw_text(settings, context)
    rendered = np.where(asked, rendered, "")
    drawn = np.where(asked, drawn, None)
    return rendered.astype(object), drawn


def _group_settings(settings: Mapping[str, Any], group: str) -> Mapping[str, Any] | None:
    return settings.get(group, settings.get("all"))


def _draw_single(question: Question, settings: Mapping[str, Any], context: _Context) -> np.ndarray:
    drawn = np.empty(context.n, dtype=object)
    for group in sorted(set(context.groups)):
        mask = context.groups == group
        distribution = _group_settings(settings, group)
        if distribution is None:
            continue
        probabilities = np.array([distribution.get(code, 0.0) for code in question.codes])
        drawn[mask] = context.rng.choice(
            np.array(question.codes, dtype=object),
            size=int(mask.sum()),
            p=probabilities / probabilities.sum(),
        )
    return drawn


def _render_single(question: Question, drawn: np.ndarray, context: _Context) -> np.ndarray:
    labels = np.array([option.lv for option in question.options], dtype=object)
    index = np.full(len(drawn), -1)
    for position, code in enumerate(question.codes):
        index[drawn == code] = position
    rendered = np.where(index >= 0, labels[np.maximum(index, 0)], "")
    return _add_slips(rendered.astype(object), context)


def _add_slips(rendered: np.ndarray, context: _Context) -> np.ndarray:
    noise = context.noise
    shares = [
        noise.get("trailing_space", 0.0),
        noise.get("lowercase", 0.0),
        noise.get("no_diacritics", 0.0),
    ]
    slip = context.rng.choice(4, size=len(rendered), p=[1 - sum(shares), *shares])
    slip[rendered == ""] = 0
    out = rendered.copy()
    out[slip == 1] = np.char.add(rendered[slip == 1].astype(str), " ").astype(object)
    out[slip == 2] = np.char.lower(rendered[slip == 2].astype(str)).astype(object)
    out[slip == 3] = strip_accents_array(rendered[slip == 3])
    return out


def _draw_multiple(
    question: Question, settings: Mapping[str, Any], context: _Context
) -> tuple[np.ndarray, np.ndarray]:
    chosen = np.zeros((context.n, len(question.codes)), dtype=bool)
    for group in sorted(set(context.groups)):
        mask = context.groups == group
        distribution = _group_settings(settings, group)
        if distribution is None:
            continue
        probabilities = np.array([distribution.get(code, 0.0) for code in question.codes])
        chosen[mask] = context.rng.random((int(mask.sum()), len(question.codes))) < probabilities
        if question.required:
            empty = mask & ~chosen.any(axis=1)
            chosen[empty, int(np.argmax(probabilities))] = True
    texts = list(settings.get("other_texts", [])) or ["-"]
    other_pick = context.rng.integers(len(texts), size=context.n)
    key = chosen.astype(np.int64) @ (1 << np.arange(len(question.codes), dtype=np.int64))
    key = key * len(texts) + other_pick
    unique, inverse = np.unique(key, return_inverse=True)
    rendered = np.array(
        [_render_combination(question, int(k), texts) for k in unique], dtype=object
    )[inverse]
    return key, rendered


def _render_combination(question: Question, key: int, texts: list[str]) -> str:
    combination, text_index = divmod(key, len(texts))
    parts = []
    for position, option in enumerate(question.options):
        if combination >> position & 1:
            label = option.lv
            if option.code == question.other_code:
                label = f"{label}: {texts[text_index]}"
            parts.append(label)
    return MULTIPLE_SEPARATOR.join(parts)


def _draw_number(
    question: Question, settings: Mapping[str, Any], context: _Context
) -> tuple[np.ndarray, np.ndarray]:
    values = np.zeros(context.n, dtype=np.int64)
    for group in sorted(set(context.groups)):
        mask = context.groups == group
        params = _group_settings(settings, group) or {}
        size = int(mask.sum())
        if question.type == "year":
            shape = params["age_shape"]
            age = 1 + context.rng.gamma(shape, (params["age_mean"] - 1) / shape, size=size)
            age = np.minimum(np.floor(age), settings.get("max_age", 100))
            values[mask] = context.reference_year - age.astype(np.int64)
        else:
            drawn = context.rng.lognormal(np.log(params["median"]), params["sigma"], size=size)
            values[mask] = np.maximum(np.round(drawn), question.min_value or 0).astype(np.int64)
    if question.max_value is not None:
        values = np.minimum(values, question.max_value)
    formats = settings.get("formats", {"{v}": 1.0})
    weights = np.array(list(formats.values()), dtype=float)
    blank = settings.get("blank", 0.0)
    pick = context.rng.choice(
        len(formats) + 1, size=context.n, p=[*(weights / weights.sum() * (1 - blank)), blank]
    )
    key = values * (len(formats) + 1) + pick
    unique, inverse = np.unique(key, return_inverse=True)
    templates = [*formats, ""]
    rendered = np.array(
        [templates[k % (len(formats) + 1)].format(v=k // (len(formats) + 1)) for k in unique],
        dtype=object,
    )[inverse]
    return np.where(pick == len(formats), None, values).astype(object), rendered


def _draw_lookup(settings: Mapping[str, Any], context: _Context) -> tuple[np.ndarray, np.ndarray]:
    units = context.municipalities
    weights = units["type"].map(settings.get("type_weights", {})).fillna(1.0).to_numpy(float)
    picked = context.rng.choice(
        units["name"].to_numpy(object), size=context.n, p=weights / weights.sum()
    )
    rendered = picked.copy()
    mapped = context.aliases[context.aliases["name"] != ""]
    alias_rows = context.rng.random(context.n) < settings.get("alias_share", 0.0)
    for name in sorted(set(picked[alias_rows])):
        options = mapped.loc[mapped["name"] == name, "alias"].to_numpy(object)
        rows = alias_rows & (picked == name)
        if len(options):
            rendered[rows] = context.rng.choice(options, size=int(rows.sum()))
    ambiguous = context.aliases.loc[context.aliases["name"] == "", "alias"].to_numpy(object)
    unclear = context.rng.random(context.n) < settings.get("ambiguous_share", 0.0)
    if len(ambiguous):
        rendered[unclear] = context.rng.choice(ambiguous, size=int(unclear.sum()))
        picked[unclear] = None
    rendered = _add_slips(rendered.astype(object), context)
    blank = context.rng.random(context.n) < settings.get("blank", 0.0)
    rendered[blank] = ""
    picked[blank] = None
    return picked, rendered


def _draw_text(settings: Mapping[str, Any], context: _Context) -> np.ndarray:
    if "templates" in settings:
        templates = settings["templates"]
        pick = context.rng.integers(len(templates), size=context.n)
        return np.array([templates[p].format(i=i + 1) for i, p in enumerate(pick)], dtype=object)
    texts = np.array(["", *settings.get("texts", [])], dtype=object)
    if len(texts) == 1:
        return np.full(context.n, "", dtype=object)
    share = settings.get("share", 0.0)
    probabilities = [1 - share, *[share / (len(texts) - 1)] * (len(texts) - 1)]
    return texts[context.rng.choice(len(texts), size=context.n, p=probabilities)]


def _add_timestamps_and_duplicates(
    table: pd.DataFrame,
    codebook: Codebook,
    spec: Mapping[str, Any],
    codes: Mapping[str, np.ndarray],
    rng: np.random.Generator,
) -> pd.DataFrame:
    stamp = next((q for q in codebook.questions if q.type == "timestamp"), None)
    window = spec.get("timestamps", {})
    start = pd.Timestamp(window.get("start", "2024-01-01 00:00:00"))
    end = pd.Timestamp(window.get("end", "2024-12-31 23:59:59"))
    span = int((end - start).total_seconds())
    seconds = np.sort(rng.integers(span, size=len(table)))
    duplicates = spec.get("duplicates", {})
    candidates = np.flatnonzero(codes[spec["anchor"]["question"]] == duplicates.get("code"))
    count = min(int(duplicates.get("count", 0)), len(candidates))
    originals = np.sort(rng.choice(candidates, size=count, replace=False)) if count else []
    delay = int(duplicates.get("delay_seconds", 60))
    rows = np.concatenate([np.arange(len(table)), originals]).astype(np.int64)
    seconds = np.concatenate([seconds, seconds[originals] + delay])
    order = np.lexsort((np.arange(len(rows)), seconds))
    out = table.iloc[rows[order]].reset_index(drop=True)
    if stamp is not None:
        times = start + pd.to_timedelta(seconds[order], unit="s")
        out.insert(codebook.ids.index(stamp.id), stamp.text_lv, times.strftime(stamp.format))
    return out.astype(object)
