"""Summaries of coded segments: code counts, co-occurrence, quotes and the codebook's matrix."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ruralplan.interviews.codebook import ThemeCodebook

MATRIX_COLUMNS = ["item", "code", "cell", "quadrant", "quadrant_name", "n_interviews", "quote"]


def code_matrix(
    coded: pd.DataFrame, codebook: ThemeCodebook, interviews: Sequence[str], *, lang: str = "lv"
) -> pd.DataFrame:
    """Count coded segments per leaf code and interview.

    Parameters
    ----------
    coded
        From :func:`.coder.code_segments`.
    codebook
        Gives the leaf codes (rows, in codebook order) and their names.
    interviews
        Interview ids (columns), including those with no coded segment.
    lang
        Language of the ``name`` column.

    Returns
    -------
    pandas.DataFrame
        Columns ``code, name``, one count column per interview, ``n_interviews`` (interviews
        with at least one segment) and ``n_segments``.
    """
    ids = [code.id for code in codebook.leaves]
    counts = pd.crosstab(coded["code"], coded["interview_id"]) if len(coded) else pd.DataFrame()
    counts = counts.reindex(index=ids, columns=list(interviews), fill_value=0).astype("int64")
    table = counts.reset_index(names="code")
    table.insert(1, "name", [codebook.code(code).name(lang) for code in ids])
    table["n_interviews"] = (counts > 0).sum(axis=1).to_numpy()
    table["n_segments"] = counts.sum(axis=1).to_numpy()
    table.columns.name = None
    return table


def cooccurrence(coded: pd.DataFrame, codes: Sequence[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Count segments coded with both codes, and the c-coefficient n12 / (n1 + n2 - n12).

    Parameters
    ----------
    coded
        From :func:`.coder.code_segments`.
    codes
        Codes in display order (rows and columns).

    Returns
    -------
    tuple of pandas.DataFrame
        Square count table (diagonal: segments with the code) and square c-coefficient table
        (diagonal 1 where the code occurs, NaN for codes never applied), both indexed by code.

    Examples
    --------
    >>> coded = pd.DataFrame({"interview_id": ["a"] * 3, "segment_id": ["s1", "s1", "s2"],
    ...                       "code": ["x", "y", "x"]})
    >>> cooccurrence(coded, ["x", "y"])[1].loc["x", "y"]
    np.float64(0.5)
    """
    units = coded.assign(unit=coded["interview_id"] + "/" + coded["segment_id"])
    presence = pd.crosstab(units["unit"], units["code"]).clip(upper=1)
    presence = presence.reindex(columns=list(codes), fill_value=0).astype("int64")
    counts = presence.T @ presence
    counts = counts.reindex(index=list(codes), columns=list(codes), fill_value=0)
    diagonal = pd.Series(counts.to_numpy().diagonal(), index=counts.index)
    union = diagonal.to_numpy()[:, None] + diagonal.to_numpy()[None, :] - counts.to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = counts.to_numpy() / union.astype(float)
    ratio[union == 0] = float("nan")
    c_coefficient = pd.DataFrame(ratio, index=counts.index, columns=counts.columns).round(3)
    counts.index.name = c_coefficient.index.name = "code"
    counts.columns.name = c_coefficient.columns.name = None
    return counts, c_coefficient


def shorten(text: str, *, limit: int = 220) -> str:
    """Cut ``text`` at a word boundary to at most ``limit`` characters, adding an ellipsis.

    Examples
    --------
    >>> shorten("viens divi trīs", limit=10)
    'viens divi…'
    """
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def exemplar_quotes(
    coded: pd.DataFrame,
    codebook: ThemeCodebook,
    *,
    per_code: int = 2,
    limit: int = 220,
    lang: str = "lv",
) -> pd.DataFrame:
    """Pick short quotes per leaf code: the segments with most matched terms, one per interview.

    Ties are broken by the shorter text, then interview and segment id, so the choice is
    deterministic. Pass only redacted text.

    Parameters
    ----------
    coded
        From :func:`.coder.code_segments` run on redacted transcripts.
    codebook
        Gives the code order and names.
    per_code
        Maximum quotes per code (from different interviews).
    limit
        Maximum quote length in characters.
    lang
        Language of the ``name`` column.

    Returns
    -------
    pandas.DataFrame
        Columns ``code, name, interview_id, segment_id, quote``.
    """
    rows = []
    ranked = coded.assign(
        n_terms=coded["matched_terms"].str.count(";") + 1, length=coded["text"].str.len()
    )
    ranked = ranked.sort_values(
        ["code", "n_terms", "length", "interview_id", "segment_id"],
        ascending=[True, False, True, True, True],
    )
    for code in codebook.leaves:
        picked = ranked[ranked["code"] == code.id].drop_duplicates("interview_id").head(per_code)
        rows += [
            (code.id, code.name(lang), r.interview_id, r.segment_id, shorten(r.text, limit=limit))
            for r in picked.itertuples(index=False)
        ]
    return pd.DataFrame(rows, columns=["code", "name", "interview_id", "segment_id", "quote"])


def matrix_table(
    matrix: pd.DataFrame, quotes: pd.DataFrame, codebook: ThemeCodebook, lang: str = "lv"
) -> pd.DataFrame:
    """Summarise the codebook's ``matrix``: one row per item (a child of a cell).

    The cells are the children of ``matrix.root`` in codebook order, and their children are
    the items. A cell is named by its ``key`` or, without one, the last part of its id.

    Parameters
    ----------
    matrix
        From :func:`code_matrix`.
    quotes
        From :func:`exemplar_quotes`; the first quote of an item is shown.
    codebook
        Gives the ``matrix`` block, the cells and the items.
    lang
        Language of the name columns.

    Returns
    -------
    pandas.DataFrame
        Columns ``item`` (display name), ``code``, ``cell`` (the cell's code id), ``quadrant``
        (the cell's key),
        ``quadrant_name``, ``n_interviews``, ``quote``, in codebook order; no rows when the
        codebook has no ``matrix`` block. The cell columns keep the names of the quadrant
        table that the report reads.
    """
    if codebook.matrix is None:
        return pd.DataFrame([], columns=MATRIX_COLUMNS)
    interviews = matrix.set_index("code")["n_interviews"]
    first_quote = quotes.drop_duplicates("code").set_index("code")["quote"]
    rows = [
        (
            item.name(lang),
            item.id,
            cell.id,
            cell.short_key,
            cell.name(lang),
            int(interviews.get(item.id, 0)),
            first_quote.get(item.id, ""),
        )
        for cell in codebook.children(codebook.matrix.root)
        for item in codebook.children(cell.id)
    ]
    return pd.DataFrame(rows, columns=MATRIX_COLUMNS)


def matrix_grid(table: pd.DataFrame, columns: int = 2) -> pd.DataFrame:
    r"""Lay a :func:`matrix_table` out as a grid: one cell per matrix cell, ``columns`` per row.

    Each grid cell holds the cell's name, then one ``item (n_interviews)`` line per item.

    Parameters
    ----------
    table
        From :func:`matrix_table`.
    columns
        Cells per row (the codebook's ``matrix.columns``).

    Returns
    -------
    pandas.DataFrame
        Rows and columns labelled ``1``, ``2``...; an empty frame when ``table`` is empty.

    Examples
    --------
    >>> table = pd.DataFrame({"item": ["a", "b", "c"], "quadrant": ["x", "x", "y"],
    ...                       "quadrant_name": ["X", "X", "Y"], "n_interviews": [2, 1, 0]})
    >>> matrix_grid(table, columns=1)["1"].tolist()
    ['X\na (2)\nb (1)', 'Y\nc (0)']
    """
    if columns < 1:
        raise ValueError(f"columns must be at least 1, got {columns}")
    if table.empty:
        return pd.DataFrame()
    cells = []
    for _, rows in table.groupby("quadrant", sort=False):
        lines = [f"{row.item} ({row.n_interviews})" for row in rows.itertuples(index=False)]
        cells.append("\n".join([rows["quadrant_name"].iloc[0], *lines]))
    cells += [""] * (-len(cells) % columns)
    grid = [cells[start : start + columns] for start in range(0, len(cells), columns)]
    labels = [str(number) for number in range(1, len(grid) + 1)]
    return pd.DataFrame(grid, index=labels, columns=[str(n) for n in range(1, columns + 1)])


def plot_cooccurrence(
    c_coefficient: pd.DataFrame, *, labels: Sequence[str], title: str = "", note: str = ""
) -> Figure:
    """Draw the c-coefficient table as a heat map (lower triangle, diagonal left blank).

    Parameters
    ----------
    c_coefficient
        Square table from :func:`cooccurrence`.
    labels
        Axis labels, one per row.
    title
        Figure title.
    note
        Small text under the plot (e.g. that the data are synthetic).

    Returns
    -------
    matplotlib.figure.Figure
        The figure (not shown or saved).
    """
    values = c_coefficient.to_numpy(dtype=float).copy()
    values[np.triu_indices_from(values)] = np.nan
    size = 2.5 + 0.32 * len(labels)
    figure = Figure(figsize=(size + 2.5, size))
    axes = figure.add_subplot()
    image = axes.imshow(values, cmap="Blues", vmin=0, vmax=max(0.5, np.nanmax(values, initial=0)))
    axes.set_xticks(range(len(labels)), labels=labels, rotation=90, fontsize=7)
    axes.set_yticks(range(len(labels)), labels=labels, fontsize=7)
    for spine in axes.spines.values():
        spine.set_visible(False)
    figure.colorbar(image, ax=axes, shrink=0.6, label="c = n12 / (n1 + n2 - n12)")
    if title:
        axes.set_title(title, fontsize=10, loc="left")
    if note:
        figure.text(0.01, 0.01, note, fontsize=7, color="#555555")
    figure.tight_layout()
    return figure
