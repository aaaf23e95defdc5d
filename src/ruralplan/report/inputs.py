"""Read everything one report shows, for one study and one language.

Paths of exhibits are relative to the study's report folder (``reports/<study id>/``), where
the report itself is written, so the links in the report work as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ruralplan import narrative
from ruralplan.io import read_yaml
from ruralplan.io.saved import saved_name
from ruralplan.pipeline.study import Study
from ruralplan.report.charts import chart_context, chart_table_file
from ruralplan.report.document import (
    check_exhibits,
    check_wording,
    code_names,
    number_exhibits,
)
from ruralplan.report.inference import caution_notes, is_logit_table
from ruralplan.report.io import (
    expand_exhibits,
    git_state,
    hash_files,
    latest_date,
    list_outputs,
    load_exhibit,
    read_exhibits,
    read_notebooks,
    read_summary,
    read_table,
    read_table_headers,
)
from ruralplan.report.keypoints import check_asked

CLEAN_NOTEBOOK = "notebooks/01_clean_survey.ipynb"
TABULATE_NOTEBOOK = "notebooks/02_tabulate_survey.ipynb"
CROSSTAB_NOTEBOOK = "notebooks/04_crosstab_tests.ipynb"
# Tables every run writes whatever the study, and the notebook that writes each.
PIPELINE_TABLES = {
    "tests": ("tables/crosstab_tests.csv", CROSSTAB_NOTEBOOK),
    "claims": ("tables/claims.csv", TABULATE_NOTEBOOK),
    "grim": ("tables/claims_grim.csv", TABULATE_NOTEBOOK),
    "directional": ("tables/claims_directional.csv", CROSSTAB_NOTEBOOK),
    "share_bases": ("tables/claims_share_set_bases.csv", TABULATE_NOTEBOOK),
}


@dataclass(frozen=True)
class ReportInputs:
    """Everything the report notebook shows, read once from the files notebooks 01-04 wrote.

    Attributes
    ----------
    study
        The study.
    lang
        The report's language.
    document
        The study's report layout (sections, wording, exhibit list).
    kinds
        Section key to kind, in report order.
    entries
        Numbered exhibits, expanded for ``lang``, each with the column ``headers`` of the
        readers' tables in ``lang``.
    loaded
        Exhibit file name to its content (table or figure).
    by_section
        Section key to its exhibits, in report order.
    producers
        Exhibit file name to ``(notebook, execution count)`` of the cell that saved it, or
        ``None`` when no cell announced saving it.
    pipeline_notebooks
        Executed notebooks 01-04 by file name.
    cleaning
        The cleaning summary (rows in, rows out, exclusions).
    as_of
        Latest date of the layout's ``as_of_question``, or ``None``.
    is_synthetic
        Whether the synthetic-data banner applies.
    unit
        The study's unit noun in ``lang``, by plural category (``"respondent"`` when the
        study names none).
    tables
        The tables every run writes: ``tests``, ``claims``, ``grim``, ``directional`` and
        ``share_bases``.
    summary_table
        The layout's ``summary.table`` (the main frequency table), or ``None``.
    code_names
        Interview code id to display name in ``lang``.
    labels_document
        The variable-label file.
    variable_names
        Survey variable id to display name in ``lang``.
    term_names
        Regression table file to a mapping of model term to display name.
    notes
        Exhibit file to caution notes shown under it.
    interview_language
        The interviews' language (the interview codebook's ``language``, ``lv`` when it names
        none; ``""`` without an interview codebook): quotes are marked with it.
    charts
        Figure file to its own caption title, alt text and numbers
        (:func:`.charts.chart_context`).
    provenance
        What the provenance appendix shows (see :func:`load_provenance`).
    asked
        What the study asked, per language (the layout's optional ``asked``), or ``None``.
    survey_book
        The survey codebook (skip rules and answer labels of the section openings).
    registered_claims
        The study's published claims as registered in its claims file (empty without one).
    """

    study: Study
    lang: str
    document: dict[str, Any]
    kinds: dict[str, str]
    entries: list[dict[str, Any]]
    loaded: dict[str, Any]
    by_section: dict[str, list[dict[str, Any]]]
    producers: dict[str, Any]
    pipeline_notebooks: dict[str, dict[str, Any]]
    cleaning: dict[str, Any]
    as_of: str | None
    is_synthetic: bool
    unit: narrative.Noun
    tables: dict[str, pd.DataFrame]
    summary_table: pd.DataFrame | None
    code_names: dict[str, str]
    labels_document: dict[str, Any]
    variable_names: dict[str, str]
    term_names: dict[str, dict[str, str]]
    notes: dict[str, Any]
    interview_language: str
    charts: dict[str, dict[str, Any]]
    provenance: dict[str, Any]
    asked: dict[str, str] | None = None
    survey_book: Any = None
    registered_claims: list[dict[str, Any]] = field(default_factory=list)


def load_report_inputs(
    study: Study, *, lang: str, run_parameters: Mapping[str, Any] | None = None
) -> ReportInputs:
    """Read and check every input of a study's report for one language.

    Parameters
    ----------
    study
        The study; its ``report_layout`` and ``table_headers`` arrange the report, and its
        codebooks and labels name what is shown.
    lang
        ``"lv"`` or ``"en"``.
    run_parameters
        The report notebook's own parameters, listed in the provenance appendix.

    Returns
    -------
    ReportInputs
        The loaded inputs.

    Raises
    ------
    ReportInputMissing
        If a required file is missing; the message names the notebook that writes it.
    ValueError
        If the layout is malformed; the message names the file.
    """
    from ruralplan.analysis.labels import variable_labels
    from ruralplan.pipeline import provenance
    from ruralplan.pipeline.inputs import published_claims
    from ruralplan.survey.io import read_survey_codebook

    narrative.check_lang(lang)
    root = study.reports_dir
    layout_path = study.require("report_layout")
    document = read_exhibits(layout_path)
    wording = check_wording(document, source=str(layout_path))
    asked = check_asked(document, source=str(layout_path))
    headers = read_table_headers(study.require("table_headers"))[lang]
    checked = check_exhibits(document, source=str(layout_path))
    entries = [
        {**entry, "headers": headers}
        for entry in number_exhibits(expand_exhibits(checked, root, lang=lang), wording["keys"])
    ]
    loaded = {entry["file"]: load_exhibit(entry, root) for entry in entries}
    executed_dir = root / "notebooks"
    pipeline_notebooks = read_notebooks(
        executed_dir, [p.name for p in executed_dir.glob("0[1-4]_*.ipynb")]
    )
    labels_path = study.path("variable_labels")
    # Without a label file every variable is shown by its codebook name.
    labels_document = read_yaml(labels_path) if labels_path else {"variables": {}}
    survey_book = read_survey_codebook(study.require("survey_codebook"))
    interview_book = study.path("interview_codebook")
    summary = document.get("summary") or {}
    interview_document = read_yaml(interview_book) if interview_book else {}
    names = code_names(interview_document, lang) if interview_book else {}
    overrides = variable_labels(labels_document, lang, source=str(labels_path))
    return ReportInputs(
        study=study,
        lang=lang,
        document=document,
        kinds=wording["kinds"],
        entries=entries,
        loaded=loaded,
        by_section={k: [e for e in entries if e["section"] == k] for k in wording["keys"]},
        producers={
            e["file"]: provenance.find_writer(
                pipeline_notebooks, saved_name(study.reports_dir / e["file"])
            )
            for e in entries
        },
        pipeline_notebooks=pipeline_notebooks,
        cleaning=read_summary(
            study.processed_dir / "cleaning_summary.json", made_by=CLEAN_NOTEBOOK
        ),
        as_of=_as_of(study, document.get("as_of_question")),
        is_synthetic=provenance.study_is_synthetic(study),
        unit=study.unit.get(lang, "respondent"),
        tables={
            name: read_table(root / file, made_by=made_by)
            for name, (file, made_by) in PIPELINE_TABLES.items()
        },
        summary_table=(
            read_table(root / summary["table"], made_by=TABULATE_NOTEBOOK)
            if summary.get("table")
            else None
        ),
        code_names=names,
        labels_document=labels_document,
        variable_names={column: entry["name"] for column, entry in overrides.items()},
        term_names={
            str(e["file"]): _term_names(loaded[e["file"]], lang, labels_document, survey_book)
            for e in entries
            if e["kind"] == "table" and is_logit_table(loaded[e["file"]])
        },
        notes={
            e["file"]: caution_notes(
                read_table(root / e["notes"], made_by=e["made_by"]),
                lang,
                lead=document["notes"][f"caution_{lang}"],
            )
            for e in entries
            if e.get("notes")
        },
        # A codebook without `language` is read as Latvian (docs/interviews.md).
        interview_language=str(interview_document.get("language", "lv")) if interview_book else "",
        charts={
            str(e["file"]): chart_context(
                str(e["file"]),
                e[f"title_{lang}"],
                _chart_table(root / chart_table_file(str(e["file"]))),
                lang,
                codebook=survey_book,
                overrides=overrides,
                code_names=names,
            )
            for e in entries
            if e["kind"] == "figure" and loaded[e["file"]] is not None
        },
        provenance=load_provenance(
            study,
            pipeline_notebooks,
            {f"05_report.{lang}.ipynb": dict(run_parameters or {})},
        ),
        asked=asked,
        survey_book=survey_book,
        registered_claims=published_claims(study),
    )


def load_provenance(
    study: Study,
    pipeline_notebooks: Mapping[str, Any],
    own: Mapping[str, Mapping[str, Any]],
) -> dict[str, Any]:
    """Gather the provenance appendix: commit, input hashes, versions, parameters, outputs.

    Parameters
    ----------
    study
        The study: every file it names is hashed, and its settings are listed.
    pipeline_notebooks
        Executed notebooks 01-04 by file name.
    own
        The report notebook's file name mapped to its parameters.

    Returns
    -------
    dict
        Keyword arguments of :func:`.provenance.provenance_html` except ``lang``.
    """
    from ruralplan.pipeline import provenance

    parameters = {
        name: provenance.notebook_parameters(nb) for name, nb in pipeline_notebooks.items()
    }
    parameters[str(study.study_file)] = {"id": study.id, **study.settings}
    # Tables and figures are listed relative to the report folder, the cleaning summary
    # relative to the project; each is traced by the path its writer announced.
    outputs = {o: saved_name(study.reports_dir / o) for o in list_outputs(study.reports_dir)}
    summary_file = saved_name(study.processed_dir / "cleaning_summary.json")
    outputs[summary_file] = summary_file
    return {
        "git": git_state(Path(".")),
        "hashes": provenance.hashes_table(hash_files(study.named_files())),
        "packages": provenance.package_versions(),
        "parameters": provenance.parameters_table(parameters | dict(own)),
        "exhibit_index": provenance.exhibit_index(outputs, pipeline_notebooks),
        "notebooks": [*pipeline_notebooks, *own],
        "executed": dict(pipeline_notebooks),
    }


def _chart_table(path: Path) -> pd.DataFrame | None:
    """Read a figure's table, or None: a figure without one keeps its title as alt text."""
    return read_table(path) if path.is_file() else None


def _as_of(study: Study, question: str | None) -> str | None:
    """Latest date of the layout's date question in the clean survey; no question, no date."""
    if not question:
        return None
    return latest_date(study.processed_dir / "survey.parquet", question, made_by=CLEAN_NOTEBOOK)


def _term_names(
    table: pd.DataFrame, lang: str, labels: dict[str, Any], codebook: Any
) -> dict[str, str]:
    from ruralplan.analysis.terms import term_labels

    terms = table["term"].tolist()
    labelled = term_labels(terms, lang, labels=labels, codebook=codebook)
    return dict(zip(terms, labelled, strict=True))
