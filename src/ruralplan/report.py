"""Build the report's HTML pieces from computed results.

The report notebook reads files with :mod:`ruralplan.io.report` and displays what these
functions return. Everything a respondent or interviewee wrote is escaped, so free text is
shown as text and never interpreted as HTML. Study-specific wording (exhibit titles,
limitations) comes from ``data/report/exhibits.yaml``.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ruralplan import narrative

# The report's sections in order: key, Latvian title, English title.
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("summary", "Kopsavilkums", "Summary"),
    ("data", "Dati un metode", "Data and method"),
    ("strategy", "Stratēģiju esamība", "Strategy presence"),
    ("practice", "Motivācija, izstrādes veidi un pārskatīšana",
     "Motivation, ways of making strategies and review practice"),
    ("focus", "Satura fokusi", "Content focuses"),
    ("swot", "SVID matrica", "SWOT matrix"),
    ("tests", "Šķērstabulu testi", "Cross-tab tests"),
    ("claims", "Publicēto skaitļu pārbaude", "Published figures check"),
    ("limitations", "Ierobežojumi", "Limitations"),
    ("provenance", "Izcelsmes pielikums", "Provenance appendix"),
)

WORDS = {
    "lv": {
        "contents": "Saturs", "table": "Tabula", "figure": "Attēls", "cell": "šūna",
        "made_by": "Izveidoja", "saved_to": "saglabāts", "missing": "Vēl nav pieejams",
        "banner": ("Sintētiski demonstrācijas dati. Šajā pārskatā izmantoti pakotnes "
                   "sintētiskie dati, kas kalibrēti pēc publicētā LLF kopsavilkuma; skaitļi "
                   "nav atklājumi par Latviju."),
        "interview": "intervija", "not_traced": "nav izsekots",
        "exclusions": "Izslēgtās rindas pēc iemesla", "reason": "iemesls", "rows": "rindas",
        "commit": "Git revīzija", "no_git": "nav zināma (nav git darba kopijas)",
        "dirty": "darba kopijā ir nesaglabātas izmaiņas", "clean": "darba kopija bez izmaiņām",
        "notebooks": "Izpildītās piezīmju grāmatas", "parameters": "Parametri",
        "hashes": "Ievades failu SHA-256", "packages": "Pakotņu versijas",
        "exhibit_index": "Tabulu un attēlu rādītājs",
    },
    "en": {
        "contents": "Contents", "table": "Table", "figure": "Figure", "cell": "cell",
        "made_by": "Made by", "saved_to": "saved to", "missing": "Not available yet",
        "banner": ("Synthetic demonstration data. This report uses the package's synthetic "
                   "data, calibrated to the published LLF summary; its numbers are not "
                   "findings about Latvia."),
        "interview": "interview", "not_traced": "not traced",
        "exclusions": "Rows excluded, by reason", "reason": "reason", "rows": "rows",
        "commit": "Git commit", "no_git": "unknown (not a git checkout)",
        "dirty": "the working tree had uncommitted changes", "clean": "clean working tree",
        "notebooks": "Executed notebooks", "parameters": "Parameters",
        "hashes": "SHA-256 of input files", "packages": "Package versions",
        "exhibit_index": "Index of tables and figures",
    },
}

SWOT_ALIASES = {"strength": "strengths", "weakness": "weaknesses",
                "opportunity": "opportunities", "threat": "threats"}
SWOT_QUADRANTS = {
    "strengths": ("Stiprās puses", "Strengths"),
    "weaknesses": ("Vājās puses", "Weaknesses"),
    "opportunities": ("Iespējas", "Opportunities"),
    "threats": ("Draudi", "Threats"),
}

_DECIMAL_TEXT = re.compile(r"^-?\d+\.\d+$")
EXHIBIT_KEYS = {"file", "section", "made_by", "title_lv", "title_en", "required", "display"}
DISPLAYS = ("auto", "swot", "quotes")
FIGURE_SUFFIXES = (".png", ".svg")

# Matplotlib settings that make saved figures identical from run to run and readable in print.
PLOT_STYLE: Mapping[str, Any] = {
    "svg.hashsalt": "ruralplan",
    "svg.fonttype": "path",
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def section_titles(lang: str) -> list[str]:
    """Return the report's section headings in ``lang``.

    Parameters
    ----------
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    list of str
        Headings in report order.

    Raises
    ------
    ValueError
        If ``lang`` is not supported.
    """
    column = 1 if narrative.check_lang(lang) == "lv" else 2
    return [section[column] for section in SECTIONS]


def section_keys() -> list[str]:
    """Return the section keys in report order.

    Returns
    -------
    list of str
        Keys such as ``"summary"``; the anchor of a section is ``sec-<key>``.
    """
    return [section[0] for section in SECTIONS]


def heading_html(key: str, lang: str) -> str:
    """Return the numbered ``<h2>`` of a section with its anchor.

    Parameters
    ----------
    key
        A section key from :func:`section_keys`.
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        HTML heading.

    Raises
    ------
    ValueError
        If ``key`` is not a section.
    """
    keys = section_keys()
    if key not in keys:
        raise ValueError(f"section must be one of {keys}, but {key!r} was passed")
    number = keys.index(key) + 1
    title = section_titles(lang)[number - 1]
    return f'<h2 id="sec-{key}">{number}. {html.escape(title)}</h2>'


def toc_html(lang: str) -> str:
    """Return the table of contents linking to every section anchor.

    Parameters
    ----------
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        An HTML ``<nav>`` element.
    """
    items = "".join(
        f'<li><a href="#sec-{key}">{html.escape(title)}</a></li>'
        for key, title in zip(section_keys(), section_titles(lang), strict=True)
    )
    return (f'<nav class="toc" aria-label="{WORDS[lang]["contents"]}">'
            f'<p class="toc-title">{WORDS[lang]["contents"]}</p><ol>{items}</ol></nav>')


def banner_html(synthetic: bool, lang: str) -> str:
    """Return the synthetic-data banner, or an empty string for real data.

    Parameters
    ----------
    synthetic
        Whether the report is built from the shipped synthetic data.
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        HTML ``<div role="note">`` or ``""``.
    """
    narrative.check_lang(lang)
    if not synthetic:
        return ""
    return f'<div class="synthetic-banner" role="note">{html.escape(WORDS[lang]["banner"])}</div>'


def paragraph_html(*sentences: str) -> str:
    """Join generated sentences into one escaped paragraph.

    Parameters
    ----------
    *sentences
        Plain-text sentences.

    Returns
    -------
    str
        An HTML ``<p>``.
    """
    return f"<p>{html.escape(' '.join(s for s in sentences if s))}</p>"


def check_exhibits(document: Any, *, source: str = "exhibits.yaml") -> list[dict[str, Any]]:
    """Validate the exhibit list and return its entries with defaults filled in.

    Parameters
    ----------
    document
        The parsed YAML: a mapping with an ``exhibits`` list.
    source
        The file name, for messages.

    Returns
    -------
    list of dict
        Entries with keys ``file``, ``section``, ``made_by``, ``title_lv``, ``title_en``,
        ``required`` (default ``True``).

    Raises
    ------
    ValueError
        Naming the entry and key, if an entry is malformed; all problems at once.
    """
    entries = document.get("exhibits") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise ValueError(f"{source}: expected a mapping with an `exhibits` list")
    problems, checked = [], []
    for number, entry in enumerate(entries, start=1):
        entry = dict(entry) if isinstance(entry, dict) else {}
        unknown = sorted(set(entry) - EXHIBIT_KEYS)
        missing = sorted({"file", "section", "title_lv", "title_en"} - set(entry))
        if unknown or missing:
            problems.append(f"entry {number}: unknown keys {unknown}, missing keys {missing}")
        elif entry["section"] not in section_keys():
            problems.append(f"entry {number} ({entry['file']}): section must be one of "
                            f"{section_keys()}, but {entry['section']!r} was given")
        elif entry.setdefault("display", "auto") not in DISPLAYS:
            problems.append(f"entry {number} ({entry['file']}): display must be one of "
                            f"{list(DISPLAYS)}, but {entry['display']!r} was given")
        entry.setdefault("required", True)
        entry.setdefault("made_by", "")
        checked.append(entry)
    if problems:
        raise ValueError(f"{source}: " + "; ".join(problems))
    return checked


def caption_html(kind: str, number: int, title: str, file: str,
                 producer: tuple[str, int] | None, lang: str) -> str:
    """Return an exhibit caption naming the notebook cell that made it and its file.

    Parameters
    ----------
    kind
        ``"table"`` or ``"figure"``.
    number
        The exhibit's number within its kind.
    title
        Its title in ``lang``.
    file
        The output file (path relative to the project root).
    producer
        ``(notebook name, cell number)`` from :func:`ruralplan.provenance.find_producer`.
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        An HTML ``<figcaption>``.
    """
    words = WORDS[narrative.check_lang(lang)]
    if producer is None:
        made = words["not_traced"]
    else:
        made = (f'<a href="notebooks/{html.escape(producer[0])}">{html.escape(producer[0])}</a>, '
                f'{words["cell"]} {producer[1]}')
    return (f'<figcaption><strong>{words[kind]} {number}.</strong> {html.escape(title)} '
            f'<span class="exhibit-source">{words["made_by"]}: {made}; {words["saved_to"]} '
            f'<code>{html.escape(file)}</code></span></figcaption>')


def for_language(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Drop the columns written for the other language (``*_lv`` / ``*_en``).

    Parameters
    ----------
    table
        A results table.
    lang
        The report language.

    Returns
    -------
    pandas.DataFrame
        A new table without the other language's columns.
    """
    other = "en" if narrative.check_lang(lang) == "lv" else "lv"
    return table.loc[:, [c for c in table.columns if not str(c).endswith(f"_{other}")]]


def table_html(table: pd.DataFrame, lang: str, *, caption: str = "") -> str:
    """Render a table as escaped HTML with numbers formatted for ``lang``.

    Parameters
    ----------
    table
        The table; cell text is escaped.
    lang
        ``"lv"`` or ``"en"``.
    caption
        A ready ``<figcaption>`` (from :func:`caption_html`) or ``""``.

    Returns
    -------
    str
        A ``<figure class="exhibit">`` wrapping a scrollable table.
    """
    shown = for_language(table, lang).map(lambda value: _format_cell(value, lang))
    body = shown.to_html(index=False, escape=True, na_rep="\u2013", border=0,
                         classes="data-table")
    return (f'<figure class="exhibit table-exhibit">{caption}'
            f'<div class="scroll">{body}</div></figure>')


def _format_cell(value: Any, lang: str) -> Any:
    """Write a number as ``lang`` does, keeping as many decimals as it needs (at most 3)."""
    if isinstance(value, str) and _DECIMAL_TEXT.match(value):
        value = float(value)
    if isinstance(value, bool) or not isinstance(value, float):
        return value
    if pd.isna(value):
        return value
    if value != 0 and abs(value) < 0.001:
        return narrative.format_scientific(value, lang)
    text = narrative.format_number(value, lang, decimals=3)
    mark = "," if lang == "lv" else "."
    return text.rstrip("0").rstrip(mark) if mark in text else text


def figure_html(kind: str, data: bytes, *, alt: str, caption: str = "") -> str:
    """Embed a PNG or SVG figure as a data URI, so the report needs no other file.

    Parameters
    ----------
    kind
        ``"png"`` or ``"svg"``.
    data
        The image bytes.
    alt
        Text alternative (escaped).
    caption
        A ready ``<figcaption>`` or ``""``.

    Returns
    -------
    str
        A ``<figure class="exhibit">``.

    Raises
    ------
    ValueError
        If ``kind`` is not png or svg.
    """
    mime = {"png": "image/png", "svg": "image/svg+xml"}.get(kind)
    if mime is None:
        raise ValueError(f"kind must be 'png' or 'svg', but {kind!r} was passed")
    encoded = base64.b64encode(data).decode("ascii")
    return (f'<figure class="exhibit figure-exhibit"><img src="data:{mime};base64,{encoded}" '
            f'alt="{html.escape(alt)}">{caption}</figure>')


def missing_html(file: str, made_by: str, lang: str) -> str:
    """Return a visible note for an optional exhibit whose file is not there yet.

    Parameters
    ----------
    file
        The expected file.
    made_by
        The notebook that should write it.
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        An HTML note.
    """
    words = WORDS[narrative.check_lang(lang)]
    source = f" ({html.escape(made_by)})" if made_by else ""
    return (f'<p class="missing-exhibit">{words["missing"]}: '
            f"<code>{html.escape(file)}</code>{source}</p>")


def quote_html(quote: str, source: str) -> str:
    """Show an interview or survey quote as escaped text with its source.

    Parameters
    ----------
    quote
        The quoted words.
    source
        Where they come from (e.g. an interview id).

    Returns
    -------
    str
        An HTML ``<blockquote>``.
    """
    return (f"<blockquote><p>{html.escape(str(quote))}</p>"
            f"<footer>{html.escape(str(source))}</footer></blockquote>")


def swot_matrix_html(table: pd.DataFrame, lang: str, *, quadrant: str = "quadrant",
                     item: str = "item", count: str | None = None) -> str:
    """Lay out SWOT items as a 2x2 matrix (strengths, weaknesses / opportunities, threats).

    Parameters
    ----------
    table
        One row per item with a ``quadrant`` column (strengths, weaknesses, opportunities,
        threats, or their singulars) and an ``item`` label column.
    lang
        ``"lv"`` or ``"en"``.
    quadrant, item
        Column names.
    count
        Optional column of interview counts, shown in brackets after each item.

    Returns
    -------
    str
        An HTML ``<div class="swot">`` with four quadrants.

    Raises
    ------
    ValueError
        If a quadrant value is unknown or a column is missing.
    """
    missing = [c for c in (quadrant, item) if c not in table.columns]
    if missing:
        raise ValueError(f"SWOT table: missing columns {missing}; found {list(table.columns)}")
    codes = table[quadrant].astype(str).str.strip().str.lower().replace(SWOT_ALIASES)
    unknown = sorted(set(codes) - set(SWOT_QUADRANTS))
    if unknown:
        raise ValueError(f"SWOT table, column `{quadrant}`: expected {list(SWOT_QUADRANTS)}, "
                         f"found {unknown}")
    column = 0 if narrative.check_lang(lang) == "lv" else 1
    boxes = []
    for code, labels in SWOT_QUADRANTS.items():
        rows = table.loc[codes == code]
        texts = [str(row[item]) + (f" ({row[count]})" if count else "")
                 for _, row in rows.iterrows()]
        items = "".join(f"<li>{html.escape(text)}</li>" for text in texts)
        boxes.append(f'<section class="swot-{code}"><h3>{labels[column]}</h3><ul>{items}</ul>'
                     f"</section>")
    return f'<div class="swot">{"".join(boxes)}</div>'


def count_sentences(table: pd.DataFrame, lang: str, *, label: str, count: str = "n") -> list[str]:
    """Write one sentence per answer of a frequency table.

    Rows with ``row_type`` other than ``option`` (valid, no answer...) are not answers; the
    total is the ``valid`` row's count when there is one, else the sum of the answers. A
    count withheld for disclosure control (e.g. ``<5``) is quoted as it is, not computed on.

    Parameters
    ----------
    table
        One row per answer with a label column and a count column.
    lang
        ``"lv"`` or ``"en"``.
    label
        The label column (in ``lang``).
    count
        The count column.

    Returns
    -------
    list of str
        Sentences, in table order.

    Raises
    ------
    ValueError
        If a column is missing.
    """
    missing = [c for c in (label, count) if c not in table.columns]
    if missing:
        raise ValueError(f"frequency table: missing columns {missing}; found {list(table.columns)}")
    kinds = table["row_type"] if "row_type" in table.columns else pd.Series("option", table.index)
    options = table.loc[kinds == "option"]
    counts = pd.to_numeric(options[count], errors="coerce")
    valid = pd.to_numeric(table.loc[kinds == "valid", count], errors="coerce")
    total = int(valid.iloc[0]) if len(valid) and valid.notna().all() else int(counts.sum())
    sentences = []
    for (_, row), value in zip(options.iterrows(), counts, strict=True):
        if pd.isna(value):
            sentences.append(f"“{row[label]}”: {row[count]}.")
        else:
            sentences.append(narrative.share_sentence(str(row[label]), int(value), total, lang))
    return sentences


def interpret_tests(tests: pd.DataFrame, *, alpha: float, lang: str,
                    labels: Mapping[str, str] | None = None) -> list[str]:
    """Interpret cross-tab tests in plain language, respecting adjustment and effect size.

    The first sentence counts the tests and those significant after adjustment; then one
    sentence per test from :func:`ruralplan.crosstab.describe_result`, which names the effect
    size with Cohen's limits.

    Parameters
    ----------
    tests
        ``crosstab_tests.csv``: ``outcome``, ``predictor``, ``test``, ``p_adjusted``,
        ``effect_measure``, ``effect_size`` and the other columns ``describe_result`` reads.
    alpha
        The significance level the adjusted p-values are compared with.
    lang
        ``"lv"`` or ``"en"``.
    labels
        Optional display names for outcome and predictor ids.

    Returns
    -------
    list of str
        The summary sentence, then one sentence per test.

    Raises
    ------
    ValueError
        If a column is missing.
    """
    from ruralplan import crosstab

    needed = ["outcome", "predictor", "test", "p_adjusted", "effect_measure", "effect_size"]
    missing = [c for c in needed if c not in tests.columns]
    if missing:
        raise ValueError(f"cross-tab tests: missing columns {missing}; found {list(tests.columns)}")
    tested = tests.loc[tests["p_adjusted"].notna()]
    n_significant = int((tested["p_adjusted"] < alpha).sum())
    sentences = [narrative.tests_summary_sentence(len(tested), n_significant, alpha, lang)]
    for _, row in tests.iterrows():
        sentences.append(crosstab.describe_result(row.to_dict(), lang, alpha=alpha,
                                                  labels=labels))
    return sentences


def list_html(items: Sequence[str]) -> str:
    """Return escaped sentences as an HTML bullet list.

    Parameters
    ----------
    items
        Plain-text items.

    Returns
    -------
    str
        An HTML ``<ul>``.
    """
    return "<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in items) + "</ul>"


def plot_style() -> dict[str, Any]:
    """Return the matplotlib settings every pipeline figure should use.

    Apply them with ``matplotlib.rcParams.update(report.plot_style())`` before plotting.
    With ``SOURCE_DATE_EPOCH`` set (the Makefile sets it), saved SVG and PDF files then
    carry no run-dependent dates or ids.

    Returns
    -------
    dict
        rcParams.
    """
    return dict(PLOT_STYLE)


def list_outputs(names: Sequence[str], shown: Sequence[str]) -> list[str]:
    """Return the output files that no exhibit shows, so they can be listed, not dropped.

    Parameters
    ----------
    names
        Every file found in the output folders.
    shown
        Files shown as exhibits.

    Returns
    -------
    list of str
        Sorted files not in ``shown``.
    """
    return sorted(set(names) - set(shown))


def exhibit_kind(file: str) -> str:
    """Return ``"figure"`` for image files and ``"table"`` otherwise.

    Parameters
    ----------
    file
        The output file name.

    Returns
    -------
    str
        ``"figure"`` or ``"table"``.
    """
    return "figure" if file.lower().endswith(FIGURE_SUFFIXES) else "table"


def number_exhibits(entries: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Give tables and figures their own running numbers, in report order.

    Parameters
    ----------
    entries
        Checked exhibit entries (see :func:`check_exhibits`), globs already expanded.

    Returns
    -------
    list of dict
        New entries with ``kind`` and ``number`` added, in report order.
    """
    order = {key: index for index, key in enumerate(section_keys())}
    ranked = sorted(enumerate(entries), key=lambda pair: (order[pair[1]["section"]], pair[0]))
    counters = {"table": 0, "figure": 0}
    numbered = []
    for _, entry in ranked:
        kind = exhibit_kind(entry["file"])
        counters[kind] += 1
        numbered.append({**entry, "kind": kind, "number": counters[kind]})
    return numbered


def _first_column(table: pd.DataFrame, candidates: Sequence[str], what: str) -> str:
    for name in candidates:
        if name in table.columns:
            return name
    raise ValueError(f"{what}: expected one of the columns {list(candidates)}, "
                     f"found {list(table.columns)}")


def quotes_html(table: pd.DataFrame, lang: str) -> str:
    """Show a table of quotes as escaped block quotes with their sources.

    Parameters
    ----------
    table
        A ``quote`` column and a source column (``interview_id``, ``interview`` or ``source``);
        a theme label column (``label_<lang>``, ``code`` or ``theme``) groups them if present.
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        HTML block quotes.

    Raises
    ------
    ValueError
        If no quote or source column is found.
    """
    quote = _first_column(table, ["quote", f"quote_{lang}", "exemplar_quote"], "quotes table")
    source = _first_column(table, ["interview_id", "interview", "source"], "quotes table")
    theme = next((c for c in (f"label_{lang}", f"name_{lang}", "name", "theme", "code")
                  if c in table.columns), None)
    parts = []
    for _, row in table.iterrows():
        cite = f"{row[theme]} \u2014 {row[source]}" if theme else str(row[source])
        parts.append(quote_html(str(row[quote]), cite))
    return "".join(parts)


def exhibit_html(entry: Mapping[str, Any], data: Any, producer: tuple[str, int] | None,
                 lang: str) -> str:
    """Render one numbered exhibit with its caption, or a note when its file is missing.

    Parameters
    ----------
    entry
        A numbered entry from :func:`number_exhibits`.
    data
        A DataFrame for tables, ``(kind, bytes)`` for figures, ``None`` when missing.
    producer
        ``(notebook, cell)`` that wrote the file, or ``None``.
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        HTML.
    """
    if data is None:
        return missing_html(entry["file"], entry.get("made_by", ""), lang)
    title = entry[f"title_{narrative.check_lang(lang)}"]
    caption = caption_html(entry["kind"], entry["number"], title, entry["file"], producer, lang)
    if entry["kind"] == "figure":
        return figure_html(data[0], data[1], alt=title, caption=caption)
    if entry.get("display") == "swot":
        item = _first_column(data, [f"name_{lang}", "name", f"item_{lang}", "item"], "SWOT table")
        count = next((c for c in ("n_interviews", "n") if c in data.columns), None)
        body = swot_matrix_html(data, lang, item=item, count=count)
        return f'<figure class="exhibit">{caption}{body}</figure>'
    if entry.get("display") == "quotes":
        return f'<figure class="exhibit">{caption}{quotes_html(data, lang)}</figure>'
    return table_html(data, lang, caption=caption)


def section_text(document: Mapping[str, Any], key: str, lang: str) -> str:
    """Return the fixed paragraphs of a section from the exhibit file's ``text`` mapping.

    Parameters
    ----------
    document
        The parsed ``exhibits.yaml``.
    key
        The section key, e.g. ``"limitations"``.
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        HTML paragraphs (escaped); ``""`` if the file has none for this section.
    """
    paragraphs = document.get("text", {}).get(f"{key}_{narrative.check_lang(lang)}", [])
    return "".join(paragraph_html(str(text)) for text in paragraphs)


def notebook_links_html(names: Sequence[str]) -> str:
    """Link the executed notebooks, which sit in ``notebooks/`` beside the report.

    Parameters
    ----------
    names
        Notebook file names.

    Returns
    -------
    str
        An HTML list.
    """
    items = "".join(f'<li><a href="notebooks/{html.escape(n)}">{html.escape(n)}</a></li>'
                    for n in sorted(names))
    return f"<ul>{items}</ul>"


def summary_sentences(*, rows_out: int | None, strategy: pd.DataFrame | None,
                      tests: pd.DataFrame | None, alpha: float, lang: str) -> list[str]:
    """Write the key figures of the summary from whichever results are available.

    Parameters
    ----------
    rows_out
        Organisations in the clean data.
    strategy
        The main frequency table (label column ``label_<lang>``, count column ``n``).
    tests
        The cross-tab tests table.
    alpha
        The significance level.
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    list of str
        Sentences in report order.
    """
    sentences = []
    if rows_out is not None:
        phrase = narrative.count_phrase(rows_out, "organisation", lang)
        sentences.append(f"Analīzē iekļautas: {phrase}." if lang == "lv"
                         else f"Organisations analysed: {rows_out}.")
    if strategy is not None:
        label = _first_column(strategy, [f"label_{lang}", "label", "code"], "strategy table")
        count = _first_column(strategy, ["n", "count"], "strategy table")
        sentences.extend(count_sentences(strategy, lang, label=label, count=count))
    if tests is not None:
        sentences.append(interpret_tests(tests, alpha=alpha, lang=lang)[0])
    return sentences


def title_html(document: Mapping[str, Any], lang: str) -> str:
    """Return the report's ``<h1>`` from the exhibit file's ``text.title_<lang>``.

    Parameters
    ----------
    document
        The parsed ``exhibits.yaml``.
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        HTML heading.
    """
    title = document.get("text", {}).get(f"title_{narrative.check_lang(lang)}", "")
    return f"<h1>{html.escape(str(title))}</h1>"


def cleaning_html(summary: Mapping[str, Any], lang: str) -> str:
    """Describe the cleaning: rows in, rows out and exclusions by reason.

    Parameters
    ----------
    summary
        The cleaning summary with ``rows_in``, ``rows_out`` and ``exclusions`` (a mapping of
        reason to row count, or a list of ``{reason, rows}`` records).
    lang
        ``"lv"`` or ``"en"``.

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
    words = WORDS[narrative.check_lang(lang)]
    text = paragraph_html(narrative.cleaning_sentence(int(summary["rows_in"]),
                                                      int(summary["rows_out"]), lang))
    exclusions = summary.get("exclusions") or {}
    if isinstance(exclusions, Mapping):
        exclusions = [{"reason": k, "rows": v} for k, v in sorted(exclusions.items())]
    if not exclusions:
        return text
    table = pd.DataFrame(exclusions).rename(columns={"reason": words["reason"],
                                                     "rows": words["rows"]})
    caption = f"<figcaption>{words['exclusions']}</figcaption>"
    return text + table_html(table, lang, caption=caption)


def provenance_html(*, git: Mapping[str, Any], hashes: pd.DataFrame, packages: pd.DataFrame,
                    parameters: pd.DataFrame, exhibit_index: pd.DataFrame,
                    notebooks: Sequence[str], lang: str) -> str:
    """Lay out the provenance appendix.

    Parameters
    ----------
    git
        ``commit`` and ``dirty`` from :func:`ruralplan.io.report.git_state`.
    hashes, packages, parameters, exhibit_index
        Tables from :mod:`ruralplan.provenance`.
    notebooks
        Executed notebook file names, linked from the report.
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    str
        HTML.
    """
    words = WORDS[narrative.check_lang(lang)]
    if git.get("commit"):
        state = words["dirty"] if git.get("dirty") else words["clean"]
        commit = f"<code>{html.escape(str(git['commit']))}</code> ({state})"
    else:
        commit = words["no_git"]
    parts = [f"<p>{words['commit']}: {commit}</p>",
             f"<h3>{words['notebooks']}</h3>", notebook_links_html(notebooks)]
    for key, table in (("exhibit_index", exhibit_index), ("parameters", parameters),
                       ("hashes", hashes), ("packages", packages)):
        parts.append(f"<h3>{words[key]}</h3>" + table_html(table, lang))
    return "".join(parts)
