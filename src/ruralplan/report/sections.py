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

from ruralplan.report.blocks import heading_html, list_html, paragraph_html, section_text
from ruralplan.report.claims import base_finding, claims_html
from ruralplan.report.exhibits import exhibit_html
from ruralplan.report.inference import family_sentences
from ruralplan.report.provenance import cleaning_html, provenance_html
from ruralplan.report.render import render
from ruralplan.report.sentences import (
    claims_sentence,
    directional_sentence,
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
    parts += [_exhibit(entry, inputs) for entry in inputs.by_section[key] if not entry.get("audit")]
    if kind == "provenance":
        parts.append(provenance_html(**inputs.provenance, lang=lang))
    return "".join(parts)


def _summary_html(inputs: Any) -> str:
    tables, lang = inputs.tables, inputs.lang
    key_figures = summary_list_html(
        rows_out=inputs.cleaning.get("rows_out"),
        strategy=inputs.summary_table,
        tests=tables["tests"],
        alpha=inputs.study.settings["alpha"],
        lang=lang,
        group=inputs.document.get("summary"),
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
