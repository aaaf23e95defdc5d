"""Summaries of coded segments: code counts, co-occurrence, quotes and the codebook's matrix."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ruralplan.formatting import format_number
from ruralplan.i18n import Translator, languages, translator
from ruralplan.interviews.codebook import ThemeCodebook
from ruralplan.interviews.coder import RULE_CODER
from ruralplan.interviews.reliability import GOLD_CODER, OVERALL, RELIABLE, TENTATIVE

BASIS_HUMAN, BASIS_MACHINE = "human", "machine"
BASIS_COLUMNS = ["basis", "reviewed", "coders", "n_interviews", "n_interviews_total"]
"""Columns of :func:`basis_table` before its ``statement_<lang>`` columns, one per catalog."""
QUOTE_COLUMNS = [
    "code",
    "name",
    "interview_id",
    "segment_id",
    "quote",
    "n_human",
    "n_terms",
    "n_interviews",
    "n_interviews_total",
]
MATRIX_COLUMNS = [
    "item",
    "code",
    "cell",
    "quadrant",
    "quadrant_name",
    "n_interviews",
    "n_interviews_total",
    "quote",
]


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
        with at least one segment), ``n_segments`` and ``n_interviews_total``, the base: the
        number of ``interviews`` (a theme is in ``n_interviews`` of ``n_interviews_total``).
    """
    ids = [code.id for code in codebook.leaves]
    counts = pd.crosstab(coded["code"], coded["interview_id"]) if len(coded) else pd.DataFrame()
    counts = counts.reindex(index=ids, columns=list(interviews), fill_value=0).astype("int64")
    table = counts.reset_index(names="code")
    table.insert(1, "name", [codebook.code(code).name(lang) for code in ids])
    table["n_interviews"] = (counts > 0).sum(axis=1).to_numpy()
    table["n_segments"] = counts.sum(axis=1).to_numpy()
    table["n_interviews_total"] = len(interviews)
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


def quote_candidates(
    basis: pd.DataFrame,
    segments: pd.DataFrame,
    *,
    human: pd.DataFrame | None = None,
    gold: pd.DataFrame | None = None,
    terms: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Weigh each coding of the basis as evidence for a quote.

    Parameters
    ----------
    basis
        ``interview_id, segment_id, code``: the codings the themes rest on.
    segments
        ``interview_id, segment_id, text`` of every segment (redacted).
    human
        Human codings of segments (``... code, coder``), e.g. from a QDA project.
    gold
        The gold coding (``interview_id, segment_id, code``): it supports the codings it
        shares, and in the interviews it covers it contradicts the codings it lacks.
    terms
        Rule codings with ``n_terms`` (:func:`.coder.independent_terms`).

    Returns
    -------
    pandas.DataFrame
        The basis rows with ``text``, ``n_human`` (human coders applying the code, the gold
        coding counted as one), ``n_terms`` (independent rule terms, 0 when the rule coder did
        not apply it), ``contradicted`` and ``eligible`` (not contradicted, and coded by a
        human or resting on more than one independent term).
    """
    keys = ["interview_id", "segment_id", "code"]
    table = (
        basis[keys]
        .drop_duplicates()
        .merge(segments[["interview_id", "segment_id", "text"]], on=keys[:2], how="left")
    )
    support = [human[[*keys, "coder"]]] if human is not None else []
    if gold is not None:
        support.append(gold[keys].assign(coder=GOLD_CODER))
    table["n_human"] = 0
    if support:
        backing = pd.concat(support).drop_duplicates()
        n_human = backing.groupby(keys, as_index=False).size().rename(columns={"size": "found"})
        table = table.merge(n_human, on=keys, how="left")
        table["n_human"] = table.pop("found")
    table["n_terms"] = 0
    if terms is not None:
        best = (
            terms.groupby(keys, as_index=False)["n_terms"]
            .max()
            .rename(columns={"n_terms": "found"})
        )
        table = table.merge(best, on=keys, how="left")
        table["n_terms"] = table.pop("found")
    table[["n_human", "n_terms"]] = table[["n_human", "n_terms"]].fillna(0).astype("int64")
    table["contradicted"] = False
    if gold is not None:
        agreed = table.merge(gold[keys].drop_duplicates(), on=keys, how="left", indicator=True)
        covered = table["interview_id"].isin(set(gold["interview_id"]))
        table["contradicted"] = covered.to_numpy() & (agreed["_merge"] == "left_only").to_numpy()
    table["eligible"] = ~table["contradicted"] & ((table["n_human"] > 0) | (table["n_terms"] > 1))
    return table


def exemplar_quotes(
    basis: pd.DataFrame,
    segments: pd.DataFrame,
    codebook: ThemeCodebook,
    *,
    human: pd.DataFrame | None = None,
    gold: pd.DataFrame | None = None,
    terms: pd.DataFrame | None = None,
    n_interviews_total: int | None = None,
    per_code: int = 2,
    limit: int = 220,
    lang: str = "lv",
) -> pd.DataFrame:
    """Pick short quotes per leaf code from the segments whose coding is strongest.

    A quote comes only from an eligible coding (:func:`quote_candidates`): never from one the
    gold coding contradicts, and from a rule coding only when more than one independent term
    found it. Human-coded segments come first (more coders first), then more independent
    terms, then shorter texts; interview and segment id break ties, so the choice is
    deterministic. At most one quote per interview. Pass only redacted text.

    Parameters
    ----------
    basis, segments, human, gold, terms
        As for :func:`quote_candidates`.
    codebook
        Gives the code order and names.
    n_interviews_total
        The base of the counts (interviews in the basis); the number of interviews in
        ``segments`` when omitted.
    per_code
        Maximum quotes per code (from different interviews).
    limit
        Maximum quote length in characters.
    lang
        Language of the ``name`` column.

    Returns
    -------
    pandas.DataFrame
        :data:`QUOTE_COLUMNS`: ``code, name, interview_id, segment_id, quote``, the
        strength of the coding (``n_human``, ``n_terms``) and the code's ``n_interviews`` of
        ``n_interviews_total``.
    """
    table = quote_candidates(basis, segments, human=human, gold=gold, terms=terms)
    total = segments["interview_id"].nunique() if n_interviews_total is None else n_interviews_total
    reach = table.groupby("code")["interview_id"].nunique()
    ranked = table[table["eligible"]].assign(length=lambda t: t["text"].str.len())
    ranked = ranked.sort_values(
        ["code", "n_human", "n_terms", "length", "interview_id", "segment_id"],
        ascending=[True, False, False, True, True, True],
    )
    rows = []
    for code in codebook.leaves:
        picked = ranked[ranked["code"] == code.id].drop_duplicates("interview_id").head(per_code)
        rows += [
            (
                code.id,
                code.name(lang),
                r.interview_id,
                r.segment_id,
                shorten(r.text, limit=limit),
                r.n_human,
                r.n_terms,
                int(reach.get(code.id, 0)),
                total,
            )
            for r in picked.itertuples(index=False)
        ]
    return pd.DataFrame(rows, columns=QUOTE_COLUMNS)


def matrix_table(
    matrix: pd.DataFrame, quotes: pd.DataFrame, codebook: ThemeCodebook, lang: str = "lv"
) -> pd.DataFrame:
    """Summarise the codebook's ``matrix``: one row per item (a child of a cell).

    The cells are the children of ``matrix.root`` in codebook order, and their children are
    the items. A cell is named by its ``key`` or, without one, the last part of its id.

    Parameters
    ----------
    matrix
        From :func:`code_matrix` (its ``n_interviews_total`` is the base of every count).
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
        (the cell's key), ``quadrant_name``, ``n_interviews``, ``n_interviews_total`` (the
        base), ``quote``, in codebook order; no rows when the codebook has no ``matrix``
        block. The cell columns keep the names of the quadrant table that the report reads.
    """
    if codebook.matrix is None:
        return pd.DataFrame([], columns=MATRIX_COLUMNS)
    interviews = matrix.set_index("code")["n_interviews"]
    total = int(matrix["n_interviews_total"].max()) if len(matrix) else 0
    first_quote = quotes.drop_duplicates("code").set_index("code")["quote"]
    rows = [
        (
            item.name(lang),
            item.id,
            cell.id,
            cell.short_key,
            cell.name(lang),
            int(interviews.get(item.id, 0)),
            total,
            first_quote.get(item.id, ""),
        )
        for cell in codebook.children(codebook.matrix.root)
        for item in codebook.children(cell.id)
    ]
    return pd.DataFrame(rows, columns=MATRIX_COLUMNS)


def _count(row: tuple) -> str:
    total = getattr(row, "n_interviews_total", None)
    return f"{row.n_interviews}" if total is None else f"{row.n_interviews}/{total}"


def matrix_grid(table: pd.DataFrame, columns: int = 2) -> pd.DataFrame:
    r"""Lay a :func:`matrix_table` out as a grid: one cell per matrix cell, ``columns`` per row.

    Each grid cell holds the cell's name, then one ``item (n_interviews/n_interviews_total)``
    line per item (``item (n_interviews)`` when the table has no base column).

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
    >>> matrix_grid(table.assign(n_interviews_total=16), columns=1)["1"].tolist()[1]
    'Y\nc (0/16)'
    """
    if columns < 1:
        raise ValueError(f"columns must be at least 1, got {columns}")
    if table.empty:
        return pd.DataFrame()
    cells = []
    for _, rows in table.groupby("quadrant", sort=False):
        lines = [f"{row.item} ({_count(row)})" for row in rows.itertuples(index=False)]
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


@dataclass(frozen=True)
class CodingBasis:
    """The codings the themes rest on.

    Attributes
    ----------
    name
        :data:`BASIS_HUMAN` or :data:`BASIS_MACHINE`.
    codings
        ``interview_id, segment_id, code``, one row each.
    coders
        The coders' names.
    interviews
        The interviews they coded, sorted: the base of every count.
    """

    name: str
    codings: pd.DataFrame
    coders: list[str]
    interviews: list[str]


def basis_codings(
    rule: pd.DataFrame, human: pd.DataFrame, interviews: Sequence[str]
) -> CodingBasis:
    """Choose the codings themes rest on: human codings when there are any, else the rule's.

    Parameters
    ----------
    rule
        The rule coder's codings (``interview_id, segment_id, code``).
    human
        Human codings of segments (``interview_id, segment_id, code, coder``); with several
        coders a segment counts as coded when any of them coded it.
    interviews
        Every interview of the study (the rule coder codes them all).

    Returns
    -------
    CodingBasis
        Human codings on the interviews the coders coded, or the rule coding on all.
    """
    keys = ["interview_id", "segment_id", "code"]
    if len(human):
        chosen = human[keys].drop_duplicates().sort_values(keys, ignore_index=True)
        coded = sorted(human["interview_id"].unique())
        return CodingBasis(BASIS_HUMAN, chosen, sorted(human["coder"].unique()), coded)
    chosen = rule[keys].drop_duplicates().sort_values(keys, ignore_index=True)
    return CodingBasis(BASIS_MACHINE, chosen, [RULE_CODER], sorted(interviews))


def _kappa(value: float, words: Translator, digits: int = 2) -> str:
    if pd.isna(value):
        return words.pgettext("agreement coefficient", "not computable")
    return format_number(value, lang=words.lang, decimals=digits)


def _coder(name: str, words: Translator) -> str:
    return words.gettext("the gold coding") if name == GOLD_CODER else name


def _statement(
    lang: str, basis: str, coders: list[str], counts: tuple[int, int], pooled: pd.DataFrame
) -> str:
    """Say in words what coding the themes rest on, one sentence per part."""
    words = translator(lang)
    n, total = counts
    if basis == BASIS_HUMAN:
        who = words.ngettext(
            "Themes rest on researchers' coding (%(coders)s; %(n)s of the %(num)s interview "
            "coded).",
            "Themes rest on researchers' coding (%(coders)s; %(n)s of the %(num)s interviews "
            "coded).",
            total,
            coders=", ".join(coders),
            n=n,
        )
    else:
        who = words.gettext(
            "Themes are machine-coded by the codebook's rules and have not been reviewed by a "
            "researcher."
        )
    parts = [
        who,
        words.ngettext(
            "Counts give how many of the %(num)s interview mention a theme.",
            "Counts give how many of the %(num)s interviews mention a theme.",
            n,
        ),
    ]
    rule = pooled[pooled["coder_a"] == RULE_CODER]
    if len(rule):
        pairs = "; ".join(
            f"{_coder(r.coder_b, words)} {_kappa(r.kappa, words)}"
            for r in rule.itertuples(index=False)
        )
        parts.append(
            words.gettext(
                "Agreement of the machine coding with human coding (Cohen's kappa, all codes "
                "pooled; tentative conclusions need at least %(tentative)s, reliable coding "
                "%(reliable)s): %(pairs)s.",
                tentative=_kappa(TENTATIVE, words, 3),
                reliable=_kappa(RELIABLE, words, 3),
                pairs=pairs,
            )
        )
    else:
        parts.append(
            words.gettext(
                "The agreement of the machine coding with human coding has not been measured."
            )
        )
    humans = pooled[pooled["coder_a"] != RULE_CODER]
    if len(humans):
        pairs = "; ".join(
            words.gettext(
                "%(first)s and %(second)s %(kappa)s",
                first=_coder(r.coder_a, words),
                second=_coder(r.coder_b, words),
                kappa=_kappa(r.kappa, words),
            )
            for r in humans.itertuples(index=False)
        )
        parts.append(words.gettext("Agreement between the coders: %(pairs)s.", pairs=pairs))
    return " ".join(parts)


def basis_table(
    basis: CodingBasis, n_interviews_total: int, agreement: pd.DataFrame
) -> pd.DataFrame:
    """State in one row what the themes rest on, with the coders' agreement in words.

    Parameters
    ----------
    basis
        From :func:`basis_codings`.
    n_interviews_total
        Interviews of the study.
    agreement
        From :func:`.reliability.coder_agreement`; its pooled rows are stated.

    Returns
    -------
    pandas.DataFrame
        :data:`BASIS_COLUMNS`: ``reviewed`` is False for machine coding; then one
        ``statement_<lang>`` per language with a catalog, saying it in words from the catalog
        (unreviewed machine coding, the base "n of N interviews", kappa of the rule coder with
        each human coder and between coders).

    Examples
    --------
    >>> pooled = pd.DataFrame({"coder_a": [RULE_CODER], "coder_b": ["gold coding"],
    ...                        "code": ["(all codes)"], "kappa": [0.4012]})
    >>> basis = CodingBasis("machine", pd.DataFrame(), [RULE_CODER], [f"i{n}" for n in range(16)])
    >>> basis_table(basis, 16, pooled).loc[0, "statement_en"]
    ... # doctest: +NORMALIZE_WHITESPACE
    "Themes are machine-coded by the codebook's rules and have not been reviewed by a
    researcher. Counts give how many of the 16 interviews mention a theme. Agreement of the
    machine coding with human coding (Cohen's kappa, all codes pooled; tentative conclusions
    need at least 0.667, reliable coding 0.800): the gold coding 0.40."
    """
    pooled = agreement[agreement["code"] == OVERALL]
    row = {
        "basis": basis.name,
        "reviewed": basis.name == BASIS_HUMAN,
        "coders": "; ".join(basis.coders),
        "n_interviews": len(basis.interviews),
        "n_interviews_total": n_interviews_total,
    }
    counts = (len(basis.interviews), n_interviews_total)
    for lang in languages():
        row[f"statement_{lang}"] = _statement(lang, basis.name, basis.coders, counts, pooled)
    return pd.DataFrame([row])
