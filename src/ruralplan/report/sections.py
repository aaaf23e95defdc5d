"""Lay out one section of the report from its kind, wording and exhibits.

A study's layout lists the sections in order, each with a kind (see
:data:`.document.SECTION_KINDS`): every section shows its heading, its fixed paragraphs and
its exhibits; a ``summary`` adds the key figures and the published-figures sentences, a
``data`` section the account of the cleaning, a ``tests`` section the sentences interpreting
the cross-tab tests, a ``claims`` section the published figures beside this analysis in words
(its raw check tables, marked ``audit`` in the layout, go to the audit version), a
``provenance`` section the appendix of commit, input hashes, package versions, parameters and
the index of every output (gathered by :func:`.inputs.load_provenance`).
"""

from __future__ import annotations

from typing import Any

from ruralplan import narrative
from ruralplan.report.blocks import heading_html, list_html, paragraph_html, section_text
from ruralplan.report.charts import chart_table_file
from ruralplan.report.claims import base_finding, claims_html
from ruralplan.report.exhibits import exhibit_html
from ruralplan.report.inference import family_sentences
from ruralplan.report.keypoints import (
    base_point,
    key_points_html,
    reliability_point,
    synthetic_point,
)
from ruralplan.report.openers import section_opening
from ruralplan.report.provenance import cleaning_html, provenance_html
from ruralplan.report.published_shares import published_shares_html
from ruralplan.report.render import render
from ruralplan.report.sentences import (
    claims_sentence,
    directional_sentence,
    group_sentence,
    interpret_tests,
    summary_list_html,
    synthetic_tests_caveat,
)


def section_html(key: str, inputs: Any) -> str:
    """Return the HTML of one section of the report.

    Parameters
    ----------
    key
        A section key of the study's layout.
    inputs
        The :class:`.inputs.ReportInputs` of the report.

    Returns
    -------
    str
        The section: heading, the lines its kind adds, fixed paragraphs, exhibits.

    Raises
    ------
    KeyError
        If ``key`` is not a section of the layout.
    """
    kind, lang, document = inputs.kinds[key], inputs.lang, inputs.document
    parts = [heading_html(key, lang, document)]
    if kind == "exhibits":
        parts.append(
            section_opening(
                [inputs.loaded[e["file"]] for e in inputs.by_section[key] if not e.get("audit")],
                lang,
                unit=inputs.unit,
                codebook=inputs.survey_book,
            )
        )
    if kind == "summary":
        parts.append(_summary_html(inputs))
    if kind == "tests":
        sentences = interpret_tests(
            inputs.tables["tests"],
            alpha=inputs.study.settings["alpha"],
            lang=lang,
            labels=inputs.variable_names,
        )
        families = family_sentences(
            inputs.tables["tests"], alpha=inputs.study.settings["alpha"], lang=lang
        )
        parts.append(paragraph_html(sentences[0], *families))
        if inputs.is_synthetic:
            parts.append(paragraph_html(synthetic_tests_caveat(lang)))
        parts.append(list_html(sentences[1:]))
    parts.append(section_text(document, key, lang))
    if kind == "data":
        parts.append(
            cleaning_html(
                inputs.cleaning,
                lang,
                reasons=document.get("exclusion_reasons"),
                unit=inputs.unit,
            )
        )
    if kind == "claims":
        parts.append(_claims_html(inputs))
    for entry in inputs.by_section[key]:
        if not entry.get("audit"):
            parts += [_exhibit(entry, inputs), _beside_summary_chart(entry, inputs)]
    if kind == "provenance":
        parts.append(provenance_html(**inputs.provenance, lang=lang))
    return "".join(parts)


def _summary_html(inputs: Any) -> str:
    tables, lang = inputs.tables, inputs.lang
    # The number analysed and the group sentence open the key points, not the list below.
    key_figures = _key_points(inputs) + summary_list_html(
        rows_out=None,
        strategy=inputs.summary_table,
        tests=tables["tests"],
        alpha=inputs.study.settings["alpha"],
        lang=lang,
        unit=inputs.unit,
    )
    if tables["claims"].empty:  # a study that checks no published figures
        return key_figures
    return key_figures + paragraph_html(
        claims_sentence(tables["claims"], lang),
        *base_finding(
            tables["grim"],
            tables["share_bases"],
            inputs.cleaning.get("rows_out"),
            lang,
            unit=inputs.unit,
        ),
        directional_sentence(tables["directional"], lang, synthetic=inputs.is_synthetic),
    )


def _key_points(inputs: Any) -> str:
    """Box the key points: what was asked, the main figure, the caveats (see keypoints)."""
    lang, tables = inputs.lang, inputs.tables
    rows_out = inputs.cleaning.get("rows_out")
    analysed = narrative.analysed_sentence(rows_out, lang, unit=inputs.unit) if rows_out else ""
    asked = (inputs.asked or {}).get(lang, "")
    group = inputs.document.get("summary") or {}
    reliability = next(
        (
            inputs.loaded[e["file"]]
            for e in inputs.entries
            if e.get("display") == "reliability" and inputs.loaded[e["file"]] is not None
        ),
        None,
    )
    return key_points_html(
        [
            " ".join(text for text in (asked, analysed) if text),
            group_sentence(inputs.summary_table, group, lang)
            if inputs.summary_table is not None and group.get("codes")
            else "",
            synthetic_point(lang) if inputs.is_synthetic else "",
            reliability_point(reliability, lang) if reliability is not None else "",
            base_point(tables["grim"], tables["share_bases"], lang, section=_claims_number(inputs)),
        ],
        lang,
    )


def _claims_number(inputs: Any) -> int | None:
    """Return the number of the published-figures section (kind ``claims``), or None."""
    keys = list(inputs.kinds)
    return next((keys.index(k) + 1 for k, kind in inputs.kinds.items() if kind == "claims"), None)


def _beside_summary_chart(entry: dict[str, Any], inputs: Any) -> str:
    """Show the published shares under the chart of the summary's table; ``""`` elsewhere."""
    table = (inputs.document.get("summary") or {}).get("table")
    if entry.get("kind") != "figure" or not table or chart_table_file(entry["file"]) != table:
        return ""
    return published_shares_html(
        inputs.registered_claims,
        inputs.tables["claims"],
        inputs.summary_table,
        inputs.lang,
        section=_claims_number(inputs),
    )


def _exhibit(entry: dict[str, Any], inputs: Any) -> str:
    """One exhibit, with the names its display needs (codes, variables or model terms)."""
    file = entry["file"]
    names = inputs.code_names
    if inputs.kinds[entry["section"]] == "tests":
        names = inputs.term_names.get(file, inputs.variable_names)
    return exhibit_html(
        entry,
        inputs.loaded[file],
        inputs.producers[file],
        inputs.lang,
        names=names,
        notes=inputs.notes.get(file, ()),
        logit=inputs.labels_document.get("regression"),
        chart=inputs.charts.get(file),
        quote_lang=inputs.interview_language,
    )


def _claims_html(inputs: Any) -> str:
    tables = inputs.tables
    return claims_html(
        tables["claims"],
        tables["grim"],
        tables["share_bases"],
        inputs.cleaning.get("rows_out"),
        inputs.lang,
        unit=inputs.unit,
        files=[
            "tables/" + name
            for name in (
                "claims.csv",
                "claims_grim.csv",
                "claims_share_set_bases.csv",
                "claims_directional.csv",
            )
        ],
    )


def audit_html(inputs: Any) -> str:
    """Return the exhibits the layout marks ``audit``, for the reviewer's version only.

    The report notebook shows them in a cell tagged ``audit-only``, so the readers' reports
    leave them out.

    Parameters
    ----------
    inputs
        The :class:`.inputs.ReportInputs` of the report.

    Returns
    -------
    str
        A heading and the exhibits, or ``""`` when the layout marks none.
    """
    entries = [entry for entry in inputs.entries if entry.get("audit")]
    if not entries:
        return ""
    heading = render("audit_heading.html.j2", inputs.lang)
    return heading + "".join(_exhibit(entry, inputs) for entry in entries)
