"""Name a logistic regression's terms for readers: variable and category labels by language.

Statsmodels names a categorical term ``variable[category]``; the study's label file and the
questionnaire codebook give the words a reader sees.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

TERM_PATTERN = re.compile(r"(\w+)\[(.+)\]")


def split_term(term: str) -> tuple[str, str | None]:
    """Split a coefficient name into its variable and category.

    Parameters
    ----------
    term
        A name of :data:`COEFFICIENT_COLUMNS` ``term``: ``org_type[vrg]``, ``age`` or
        ``Intercept``.

    Returns
    -------
    tuple
        ``(variable, category)``; the category is ``None`` for numeric terms.
    """
    match = TERM_PATTERN.fullmatch(str(term))
    return (match.group(1), match.group(2)) if match else (str(term), None)


def _categories(variable: str, lang: str, entry: Mapping, codebook: Any) -> dict[str, str]:
    """Category code -> label, in codebook order; the labels file fills in the rest."""
    found: dict[str, str] = {}
    if codebook is not None and variable in getattr(codebook, "ids", []):
        question = codebook.question(variable)
        found = {code: question.label(code, lang) for code in question.codes}
    for code, labels in (entry.get("categories") or {}).items():
        if isinstance(labels, Mapping) and lang in labels:
            found.setdefault(str(code), str(labels[lang]))
    return found


def term_labels(
    terms: Sequence[str], lang: str, *, labels: Mapping, codebook: Any = None
) -> list[str]:
    """Name the terms of a fitted model as a reader reads them, with the reference category.

    The reference of a categorical variable is its first category (codebook order) that has
    no term of its own, which is the category the formula leaves out.

    Parameters
    ----------
    terms
        Coefficient names, e.g. ``["Intercept", "org_type[vrg]", "org_age_years"]``.
    lang
        ``"lv"`` or ``"en"``.
    labels
        The parsed variable labels file: ``variables`` (``lv``/``en`` names, optional
        ``categories`` and ``per_<lang>``) and ``regression`` templates (``intercept``,
        ``category``, ``numeric``, ``numeric_plain``, each ``{lv, en}``).
    codebook
        The survey :class:`ruralplan.survey.codebook.Codebook`, for answer labels.

    Returns
    -------
    list of str
        One label per term; a variable without a name keeps its id.

    Raises
    ------
    ValueError
        If the ``regression`` templates are missing for ``lang``.
    """
    templates = labels.get("regression") if isinstance(labels, Mapping) else None
    needed = ("intercept", "category", "numeric", "numeric_plain")
    if not isinstance(templates, Mapping) or not all(
        isinstance(templates.get(k), Mapping) and lang in templates[k] for k in needed
    ):
        raise ValueError(f"variable labels: `regression` needs {list(needed)}, each with `{lang}`")
    variables = labels.get("variables") or {}
    split = [split_term(term) for term in terms]
    return [
        _term_label(variable, level, lang, variables, templates, codebook, split)
        for variable, level in split
    ]


def _term_label(
    variable: str,
    level: str | None,
    lang: str,
    variables: Mapping,
    templates: Mapping,
    codebook: Any,
    split: list[tuple[str, str | None]],
) -> str:
    if variable == "Intercept" and level is None:
        return str(templates["intercept"][lang])
    entry = variables.get(variable) if isinstance(variables.get(variable), Mapping) else {}
    name = str(entry.get(lang, variable))
    name = name[:1].upper() + name[1:]
    if level is None:
        per = entry.get(f"per_{lang}")
        key = "numeric" if per else "numeric_plain"
        return str(templates[key][lang]).format(variable=name, per=per)
    categories = _categories(variable, lang, entry, codebook)
    fitted = {lvl for var, lvl in split if var == variable}
    reference = next((c for c in categories if c not in fitted), None)
    return str(templates["category"][lang]).format(
        variable=name,
        category=categories.get(level, level),
        reference=categories.get(reference, reference or "?"),
    )
