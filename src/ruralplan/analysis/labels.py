"""Display names of variables and categories, from the codebook and the labels file."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ruralplan.i18n import translator
from ruralplan.narrative import check_lang


def variable_labels(
    document: Any, lang: str, *, source: str = "variable labels"
) -> dict[str, dict[str, Any]]:
    """Read short variable names and extra category labels in ``lang``.

    Parameters
    ----------
    document
        The parsed labels file: ``variables`` mapping a column (or contrast) name to ``lv``,
        ``en`` and optionally ``categories`` (value as text -> ``{lv, en}``).
    lang
        ``"lv"`` or ``"en"``.
    source
        The file name, for messages.

    Returns
    -------
    dict
        Column name -> ``{"name": str, "categories": {value text: label}}``.

    Raises
    ------
    ValueError
        Naming the variable, if an entry lacks the ``lang`` name.
    """
    check_lang(lang)
    entries = document.get("variables") if isinstance(document, Mapping) else None
    if not isinstance(entries, Mapping):
        raise ValueError(f"{source}: expected a mapping with a `variables` mapping")
    result = {}
    for column, entry in entries.items():
        if not isinstance(entry, Mapping) or lang not in entry:
            raise ValueError(f"{source}: variable {column!r} needs a `{lang}` name")
        categories = entry.get("categories") or {}
        result[str(column)] = {
            "name": str(entry[lang]),
            "categories": {
                str(k): str(v[lang])
                for k, v in categories.items()
                if isinstance(v, Mapping) and lang in v
            },
        }
    return result


def display_labels(
    codebook: Any, column: str, lang: str, overrides: Mapping[str, Mapping[str, Any]] | None = None
) -> tuple[str, dict[Any, str]]:
    """Return the display name and category labels of ``column``.

    The short name from ``overrides`` (see :func:`variable_labels`) comes first, then the
    question text of the codebook, then the column name; category labels come from the
    codebook's options, completed by the overrides' ``categories``.

    Parameters
    ----------
    codebook
        A :class:`ruralplan.survey.codebook.Codebook`.
    column
        A clean column name.
    lang
        ``"lv"`` or ``"en"``.
    overrides
        Output of :func:`variable_labels`.

    Returns
    -------
    tuple
        The name and a mapping of category code to label.
    """
    check_lang(lang)
    extra = (overrides or {}).get(column, {})
    title, labels = column, {}
    if column in codebook.ids:
        question = codebook.question(column)
        title = question.text(lang)
        labels = {option.code: getattr(option, lang) for option in question.options}
    labels.update(extra.get("categories", {}))
    return extra.get("name", title), labels


def figure_title(outcome: str, predictor: str, lang: str) -> str:
    """Title a row-percentage figure: "Having a strategy by type of organisation (row %)".

    Parameters
    ----------
    outcome, predictor
        Display names (:func:`.labels.display_labels`).
    lang
        A report language.

    Returns
    -------
    str
        The title, starting with a capital letter.
    """
    text = translator(lang).gettext(
        "%(outcome)s by %(predictor)s (row %%)", outcome=outcome, predictor=predictor
    )
    return text[:1].upper() + text[1:]
