"""Where the report's figures come from: the cleaning account and the provenance appendix.

The cleaning account says how many rows went in and out and why rows were excluded; the
appendix names the git commit, the executed notebooks, their parameters, input hashes and
package versions, and the notebook cell behind every table and figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ruralplan import narrative
from ruralplan.report.blocks import paragraph_html
from ruralplan.report.render import html, render
from ruralplan.report.tables import table_html


def cleaning_html(
    summary: Mapping[str, Any],
    lang: str,
    *,
    reasons: Mapping[str, Any] | None = None,
    unit: narrative.Noun = "respondent",
) -> str:
    """Describe the cleaning: rows in, rows out and exclusions by reason.

    Parameters
    ----------
    summary
        The cleaning summary with ``rows_in``, ``rows_out`` and ``exclusions`` (a mapping of
        reason to row count, or a list of ``{reason, rows}`` records).
    lang
        ``"lv"`` or ``"en"``.
    reasons
        Reason code to ``{lv, en}`` label (``exclusion_reasons`` of the exhibit file); a
        reason without a label is shown as its code.
    unit
        What one clean row is in this study (its unit forms in ``lang``).

    Returns
    -------
    str
        A paragraph and, when rows were excluded, a table of reasons.

    Raises
    ------
    ValueError
        If ``rows_in`` or ``rows_out`` is missing.
    """
    missing = [key for key in ("rows_in", "rows_out") if key not in summary]
    if missing:
        raise ValueError(f"cleaning summary: missing keys {missing}; found {sorted(summary)}")
    text = paragraph_html(
        narrative.cleaning_sentence(
            int(summary["rows_in"]), int(summary["rows_out"]), lang, unit=unit
        )
    )
    exclusions = summary.get("exclusions") or {}
    if isinstance(exclusions, Mapping):
        exclusions = [{"reason": k, "rows": v} for k, v in sorted(exclusions.items())]
    if not exclusions:
        return text
    table = pd.DataFrame(exclusions)
    table["reason"] = [reason_label(r, lang, reasons) for r in table["reason"]]
    caption = render("exclusions_caption.html.j2", lang)
    return text + table_html(table, lang, caption=caption)


def reason_label(reason: Any, lang: str, reasons: Mapping[str, Any] | None) -> str:
    """Return the reader's label of an exclusion reason code, or the code itself.

    Parameters
    ----------
    reason
        A reason code such as ``duplicate_submission``.
    lang
        ``"lv"`` or ``"en"``.
    reasons
        Reason code to ``{lv, en}`` labels.

    Returns
    -------
    str
        The label, or the code when none is given.
    """
    entry = (reasons or {}).get(str(reason))
    label = entry.get(narrative.check_lang(lang)) if isinstance(entry, Mapping) else None
    return str(label) if label else str(reason)


def provenance_html(
    *,
    git: Mapping[str, Any],
    hashes: pd.DataFrame,
    packages: pd.DataFrame,
    parameters: pd.DataFrame,
    exhibit_index: pd.DataFrame,
    notebooks: Sequence[str],
    lang: str,
    executed: Mapping[str, Any] | None = None,
) -> str:
    """Lay out the provenance appendix.

    Parameters
    ----------
    git
        ``commit`` and ``dirty`` from :func:`ruralplan.report.io.git_state`.
    hashes, packages, parameters, exhibit_index
        Tables from :mod:`ruralplan.pipeline.provenance`.
    notebooks
        Executed notebook file names, linked from the report.
    lang
        ``"lv"`` or ``"en"``.
    executed
        Executed notebooks 01-04 by file name, for the execution counts of the index.

    Returns
    -------
    str
        HTML.
    """
    tables = [
        ("parameters", parameters),
        ("hashes", hashes),
        ("packages", packages),
    ]
    return render(
        "provenance.html.j2",
        narrative.check_lang(lang),
        commit=git.get("commit"),
        dirty=git.get("dirty"),
        notebooks=sorted(notebooks),
        index=index_rows(exhibit_index, executed or {}, lang),
        tables=[(key, html(table_html(table, lang))) for key, table in tables],
    )


def execution_count(notebooks: Mapping[str, Any], producer: tuple[str, int] | None) -> int | None:
    """Return the execution count Jupyter shows (``[8]``) for a cell found by its position.

    :func:`ruralplan.pipeline.provenance.find_producer` numbers cells by position, counting
    markdown and the injected parameters cell; a reader of the executed notebook sees the
    execution count instead.

    Parameters
    ----------
    notebooks
        Executed notebooks by file name.
    producer
        ``(notebook name, 1-based cell position)`` or None.

    Returns
    -------
    int or None
        The cell's ``execution_count``; None when not traced or never executed.
    """
    if producer is None or producer[0] not in notebooks:
        return None
    cells = notebooks[producer[0]].get("cells", [])
    position = int(producer[1])
    if not 1 <= position <= len(cells):
        return None
    count = cells[position - 1].get("execution_count")
    return int(count) if count is not None else None


def same_stem_maker(output: str, made_by: Mapping[str, str]) -> str:
    """Return the notebook the layout names for the file whose stem shares most with this one.

    ``figures/x.en.png`` and ``tables/x.csv`` are written by the cell that writes
    ``figures/x.lv.svg``, and ``tables/logit_strategy_fit.json`` by the notebook of
    ``tables/logit_strategy.csv``; the layout lists only one of them. Stems must share at
    least their first two ``_``-separated parts.

    Parameters
    ----------
    output
        An output file path.
    made_by
        Exhibit file to the notebook the layout says writes it.

    Returns
    -------
    str
        The notebook, or ``""`` when no exhibit shares the stem.

    Examples
    --------
    >>> same_stem_maker("figures/a.en.png", {"figures/a.lv.svg": "nb/02.ipynb"})
    'nb/02.ipynb'
    """
    stem = output.rsplit("/", 1)[-1].split(".")[0].split("_")
    best, shared = "", 1  # at least two leading parts must agree (``logit_strategy``)
    for file, notebook in sorted(made_by.items()):
        other = file.rsplit("/", 1)[-1].split(".")[0].split("_")
        common = next(
            (i for i, (a, b) in enumerate(zip(stem, other, strict=False)) if a != b),
            min(len(stem), len(other)),
        )
        if other == stem:
            return notebook
        if common > shared:
            best, shared = notebook, common
    return best


def index_rows(
    index: pd.DataFrame, notebooks: Mapping[str, Any], lang: str
) -> list[dict[str, Any]]:
    """Return the exhibit index for the template: file, notebook and execution count, or why not.

    Parameters
    ----------
    index
        ``file, notebook, cell`` from :func:`ruralplan.pipeline.provenance.exhibit_index`
        (cell by position; missing when not traced).
    notebooks
        Executed notebooks by file name.
    lang
        A report language.

    Returns
    -------
    list of dict
        ``file``, ``notebook`` (``""`` when not traced) and ``count`` (None when unknown).
    """
    rows = []
    for record in index.to_dict("records"):
        notebook = record.get("notebook")
        cell = record.get("cell")
        traced = isinstance(notebook, str) and notebook and not pd.isna(cell)
        producer = (notebook, int(cell)) if traced else None
        rows.append(
            {
                "file": str(record["file"]),
                "notebook": notebook if traced else "",
                "count": execution_count(notebooks, producer),
            }
        )
    return rows


def writing_cell(notebook: Mapping[str, Any], output: str) -> int | None:
    """Find the cell of ``notebook`` that most likely wrote ``output`` when no cell names it.

    Files named from parts (``f"{model}_fit.json"``, ``f"{stem}.csv"``) or written by a
    helper are traced to the first code cell that writes (``write``/``save``) and names the
    longest part of the file name: a leading part (``crosstab_``), a trailing one
    (``_fit.json``), or else the folder (``processed_dir``, ``tables``, ``figures``).

    Parameters
    ----------
    notebook
        The executed notebook the layout says writes the file.
    output
        The output path, e.g. ``tables/logit_strategy_fit.json``.

    Returns
    -------
    int or None
        The 1-based position of the cell, or None.

    Examples
    --------
    >>> cell = {"cell_type": "code", "source": 'io.write_json(s, d / f"{m}_fit.json")'}
    >>> writing_cell({"cells": [cell]}, "tables/logit_strategy_fit.json")
    1
    """
    name = output.rsplit("/", 1)[-1]
    stem, _, ext = name.partition(".")
    parts = stem.split("_")
    needles = [stem + "."]
    for k in range(len(parts) - 1, 0, -1):
        needles += ["_".join(parts[:k]) + "_", "_" + "_".join(parts[k:]) + "." + ext]
    folder = output.rsplit("/", 2)[-2] if "/" in output else ""
    needles += [n for n in (folder, "processed_dir" if "processed" in output else "") if n]
    cells = [
        (position, "".join(cell.get("source", "")))
        for position, cell in enumerate(notebook.get("cells", []), start=1)
        if cell.get("cell_type") == "code"
    ]
    for needle in needles:
        for position, text in cells:
            if needle in text and ("write" in text or "save" in text):
                return position
    return None
