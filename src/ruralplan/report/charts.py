"""What a chart shows, in words and numbers: its caption, alt text and accessible table.

Each figure of the pipeline has a table of the same stem in ``tables/`` (frequency charts of
notebook 02, the cross-tab charts and the interview co-occurrence of notebooks 03-04). The
alt text names the largest and smallest values and the base read from that table, so it
says what the image shows rather than repeating its title; the cross-tab charts also get
their numbers as a table under the image.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

import pandas as pd

from ruralplan import narrative
from ruralplan.i18n import translator
from ruralplan.report.tables import as_number


def chart_table_file(figure_file: str) -> str:
    """Return the table file of a figure: ``figures/x.lv.svg`` -> ``tables/x.csv``.

    Parameters
    ----------
    figure_file
        A figure path relative to the report folder.

    Returns
    -------
    str
        The table path relative to the report folder.

    Examples
    --------
    >>> chart_table_file("figures/crosstab_a_by_b.en.svg")
    'tables/crosstab_a_by_b.csv'
    """
    stem = PurePosixPath(figure_file).name.split(".")[0]
    return f"tables/{stem}.csv"


def is_crosstab_table(table: pd.DataFrame) -> bool:
    """Tell a row-percentage table of notebook 04 (``total``, ``n_*`` and ``pct_*``)."""
    return "total" in table.columns and any(str(c).startswith("pct_") for c in table.columns)


def crosstab_columns(table: pd.DataFrame) -> list[str]:
    """Return the outcome categories of a row-percentage table, in its column order."""
    return [str(c)[4:] for c in table.columns if str(c).startswith("pct_")]


def _sentence(title: str) -> str:
    """End a title as a sentence: a question keeps its mark, other titles get a full stop."""
    return title if title.endswith((".", "?", "!")) else f"{title}."


def _pct(value: float, lang: str) -> str:
    return narrative.format_percent(value / 100, lang, decimals=1)


def crosstab_alt(
    table: pd.DataFrame,
    title: str,
    lang: str,
    *,
    rows: Mapping[str, str],
    columns: Mapping[str, str],
) -> str:
    """Describe a cross-tab chart: its largest and smallest row percentage, and n.

    Parameters
    ----------
    table
        A row-percentage table (first column the groups).
    title
        The chart's title.
    lang
        A report language.
    rows, columns
        Group and answer code to label.

    Returns
    -------
    str
        The alt text.
    """
    words = translator(lang)
    group = table.columns[0]
    cells = [
        (
            float(row[f"pct_{answer}"]),
            str(row[group]),
            answer,
            int(row[f"n_{answer}"]),
            int(row["total"]),
        )
        for _, row in table.iterrows()
        for answer in crosstab_columns(table)
        if as_number(row[f"pct_{answer}"]) is not None
    ]
    if not cells:
        return title
    high, low = max(cells), min(cells)

    def cell(item: tuple[float, str, str, int, int]) -> dict[str, str]:
        share, grp, answer, count, total = item
        return {
            "answer": columns.get(answer, answer),
            "group": rows.get(grp, grp),
            "share": _pct(share, lang),
            "count": narrative.format_number(count, lang, decimals=0),
            "total": narrative.format_number(total, lang, decimals=0),
        }

    return words.gettext(
        "%(title)s Bars of row percentages for %(groups)s groups, n = %(n)s. Largest: "
        "“%(high_answer)s” in “%(high_group)s”, %(high_share)s (%(high_count)s of "
        "%(high_total)s). Smallest: “%(low_answer)s” in “%(low_group)s”, %(low_share)s "
        "(%(low_count)s of %(low_total)s).",
        title=_sentence(title),
        groups=narrative.format_number(len(table), lang, decimals=0),
        n=narrative.format_number(int(table["total"].sum()), lang, decimals=0),
        **{f"high_{k}": v for k, v in cell(high).items()},
        **{f"low_{k}": v for k, v in cell(low).items()},
    )


def crosstab_rows(
    table: pd.DataFrame, lang: str, *, rows: Mapping[str, str], columns: Mapping[str, str]
) -> dict[str, Any]:
    """Return a cross-tab chart's numbers as a table: group, each answer's % (n), total.

    Parameters
    ----------
    table
        A row-percentage table.
    lang
        A report language.
    rows, columns
        Group and answer code to label.

    Returns
    -------
    dict
        ``headers`` (the group column's header is left to the template) and ``rows``.
    """
    group = table.columns[0]
    answers = crosstab_columns(table)
    body = []
    for _, row in table.iterrows():
        cells = [rows.get(str(row[group]), str(row[group]))]
        for answer in answers:
            share = as_number(row[f"pct_{answer}"])
            count = narrative.format_number(int(row[f"n_{answer}"]), lang, decimals=0)
            cells.append(f"{_pct(share, lang)} ({count})" if share is not None else count)
        cells.append(narrative.format_number(int(row["total"]), lang, decimals=0))
        body.append(cells)
    return {"answers": [columns.get(a, a) for a in answers], "rows": body}


def frequency_alt(table: pd.DataFrame, title: str, lang: str) -> str:
    """Describe a frequency chart: its most and least frequent answer, and the valid n.

    Answers withheld for disclosure control (``<5``, ``x``) are left out of the comparison.

    Parameters
    ----------
    table
        A frequency table of notebook 02 (``row_type``, ``label_<lang>``, ``n``, ``percent``).
    title
        The chart's title.
    lang
        A report language.

    Returns
    -------
    str
        The alt text; the title alone when no answer has a number.
    """
    words = translator(lang)
    options = table.loc[table["row_type"].astype(str) == "option"]
    shown = [
        (as_number(row["percent"]), str(row[f"label_{lang}"]), as_number(row["n"]))
        for _, row in options.iterrows()
        if as_number(row["percent"]) is not None
    ]
    valid = table.loc[table["row_type"].astype(str) == "valid", "n"]
    if not shown or valid.empty:
        return title
    high, low = max(shown), min(shown)
    return words.gettext(
        "%(title)s Bars for %(answers)s answers, n = %(n)s valid answers. Largest: "
        "“%(high)s”, %(high_share)s (%(high_count)s). Smallest: “%(low)s”, %(low_share)s "
        "(%(low_count)s).",
        title=_sentence(title),
        answers=narrative.format_number(len(options), lang, decimals=0),
        n=narrative.format_number(int(as_number(valid.iloc[0]) or 0), lang, decimals=0),
        high=high[1],
        high_share=_pct(high[0], lang),
        high_count=narrative.format_number(int(high[2] or 0), lang, decimals=0),
        low=low[1],
        low_share=_pct(low[0], lang),
        low_count=narrative.format_number(int(low[2] or 0), lang, decimals=0),
    )


def cooccurrence_alt(table: pd.DataFrame, title: str, lang: str, names: Mapping[str, str]) -> str:
    """Describe a code co-occurrence chart: the pair of codes found together most often.

    Parameters
    ----------
    table
        A square table, first column ``code``, one column per code, counts of interviews.
    title
        The chart's title.
    lang
        A report language.
    names
        Code id to name in ``lang``.

    Returns
    -------
    str
        The alt text.
    """
    words = translator(lang)
    matrix = table.set_index(table.columns[0])
    pairs = [
        (int(matrix.loc[a, b]), str(a), str(b))
        for i, a in enumerate(matrix.index)
        for b in list(matrix.columns)[i + 1 :]
        if b in matrix.columns and as_number(matrix.loc[a, b]) is not None
    ]
    if not pairs:
        return title
    count, first, second = max(pairs, key=lambda p: (p[0], p[1], p[2]))
    return words.gettext(
        "%(title)s A grid of %(codes)s interview codes; the pair found together most often: "
        "“%(first)s” and “%(second)s” (%(count)s).",
        title=_sentence(title),
        codes=narrative.format_number(len(matrix), lang, decimals=0),
        first=names.get(first, first),
        second=names.get(second, second),
        count=narrative.format_number(count, lang, decimals=0),
    )


def chart_context(
    figure_file: str,
    title: str,
    table: pd.DataFrame | None,
    lang: str,
    *,
    codebook: Any,
    overrides: Mapping[str, Mapping[str, Any]],
    code_names: Mapping[str, str],
) -> dict[str, Any]:
    """Return a figure's own caption title, alt text and (cross-tab charts) numbers.

    Parameters
    ----------
    figure_file
        The figure path relative to the report folder.
    title
        The layout's title of the figure (one title for a glob of cross-tab charts).
    table
        The figure's table (:func:`chart_table_file`), or None when there is none.
    lang
        A report language.
    codebook
        The survey codebook (answer labels).
    overrides
        Short variable names and extra category labels
        (:func:`ruralplan.analysis.labels.variable_labels`).
    code_names
        Interview code id to name.

    Returns
    -------
    dict
        ``title``, ``alt`` and ``numbers`` (``None`` or the output of :func:`crosstab_rows`).
    """
    from ruralplan.analysis.labels import display_labels, figure_title

    if table is None or table.empty:
        return {"title": title, "alt": title, "numbers": None}
    if is_crosstab_table(table):
        predictor = str(table.columns[0])
        stem = PurePosixPath(figure_file).name.split(".")[0]
        outcome = stem.removeprefix("crosstab_").removesuffix(f"_by_{predictor}")
        outcome_name, columns = display_labels(codebook, outcome, lang, overrides)
        predictor_name, rows = display_labels(codebook, predictor, lang, overrides)
        columns = {str(k): str(v) for k, v in columns.items()}
        rows = {str(k): str(v) for k, v in rows.items()}
        own = figure_title(outcome_name, predictor_name, lang)
        return {
            "title": own,
            "alt": crosstab_alt(table, own, lang, rows=rows, columns=columns),
            "numbers": {
                **crosstab_rows(table, lang, rows=rows, columns=columns),
                "group": predictor_name[:1].upper() + predictor_name[1:],
            },
        }
    if "row_type" in table.columns and f"label_{lang}" in table.columns:
        return {"title": title, "alt": frequency_alt(table, title, lang), "numbers": None}
    if str(table.columns[0]) == "code" and len(table.columns) == len(table) + 1:
        return {
            "title": title,
            "alt": cooccurrence_alt(table, title, lang, code_names),
            "numbers": None,
        }
    return {"title": title, "alt": title, "numbers": None}
