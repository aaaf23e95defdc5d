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
from ruralplan.report.anchors import REVIEW_PAGE, audit_href, audit_page
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
        Executed notebooks 01-04 by file name: each has an audit page (:mod:`.anchors`),
        linked beside its notebook.

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
        notebooks=[
            {"name": name, "page": audit_page(name) if name in (executed or {}) else ""}
            for name in sorted(notebooks)
        ],
        review_page=REVIEW_PAGE,
        index=index_rows(exhibit_index),
        tables=[(key, html(table_html(table, lang))) for key, table in tables],
    )


def index_rows(index: pd.DataFrame) -> list[dict[str, Any]]:
    """Return the exhibit index for the template: each file with the cell that saved it.

    Parameters
    ----------
    index
        ``file, notebook, cell`` from :func:`ruralplan.pipeline.provenance.exhibit_index`
        (``cell`` is the execution count; both missing when not traced).

    Returns
    -------
    list of dict
        ``file``, ``notebook`` and ``count`` and ``href`` (the cell in its audit page); a file
        not traced has ``""``, None and ``""``.

    Examples
    --------
    >>> table = pd.DataFrame({"file": ["t/a.csv"], "notebook": ["02.ipynb"], "cell": [7]})
    >>> index_rows(table)[0]["href"]
    'audit/02.html#02-cell-7'
    """
    rows = []
    for record in index.to_dict("records"):
        notebook, cell = record.get("notebook"), record.get("cell")
        traced = isinstance(notebook, str) and bool(notebook) and not pd.isna(cell)
        rows.append(
            {
                "file": str(record["file"]),
                "notebook": notebook if traced else "",
                "count": int(cell) if traced else None,
                "href": audit_href(notebook, int(cell)) if traced else "",
            }
        )
    return rows
