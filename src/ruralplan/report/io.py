"""Read what the report shows: tables, figures, summaries, executed notebooks, input hashes.

Every reader names the file and the pipeline step that should have written it when the
file is missing, so a reviewer knows which notebook to run.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from ruralplan.io import read_yaml, sha256_file
from ruralplan.report.document import (
    check_exhibits,
    check_wording,
    code_names,
    number_exhibits,
    section_keys,
)
from ruralplan.report.inference import caution_notes, is_logit_table
from ruralplan.report.tables import check_table_headers

# Folders under the project root whose files are the pipeline's inputs.
INPUT_GLOBS = (
    "params.yaml",
    "data/raw/**/*",
    "data/codebooks/**/*",
    "data/published/**/*",
    "data/reference/**/*",
    "data/report/**/*",
)


class ReportInputMissing(FileNotFoundError):
    """Raised when a file the report needs has not been written by the pipeline."""


def require_file(path: str | Path, *, made_by: str = "") -> Path:
    """Return ``path`` if it exists, else raise a message naming who should have made it.

    Parameters
    ----------
    path
        The expected file.
    made_by
        The notebook that writes it, for the message.

    Returns
    -------
    pathlib.Path
        The path.

    Raises
    ------
    ReportInputMissing
        If the file does not exist.
    """
    path = Path(path)
    if not path.is_file():
        hint = f"; it is written by {made_by} (run `make report`)" if made_by else ""
        raise ReportInputMissing(f"{path}: the report needs this file, but it is missing{hint}")
    return path


def read_table(path: str | Path, *, made_by: str = "") -> pd.DataFrame:
    """Read a CSV table written by a pipeline notebook.

    Parameters
    ----------
    path
        The CSV file.
    made_by
        The notebook that writes it, named in the error.

    Returns
    -------
    pandas.DataFrame
        The table; text columns stay text.

    Raises
    ------
    ReportInputMissing
        If the file is missing.
    ValueError
        If the file is not a readable CSV.
    """
    path = require_file(path, made_by=made_by)
    try:
        return pd.read_csv(path, encoding="utf-8", keep_default_na=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise ValueError(f"{path}: not a readable UTF-8 CSV table ({error})") from error


def read_summary(path: str | Path, *, made_by: str = "") -> dict[str, Any]:
    """Read a JSON summary (for example the cleaning summary).

    Parameters
    ----------
    path
        The JSON file.
    made_by
        The notebook that writes it, named in the error.

    Returns
    -------
    dict
        The parsed mapping.

    Raises
    ------
    ReportInputMissing
        If the file is missing.
    ValueError
        If the file is not a JSON object.
    """
    path = require_file(path, made_by=made_by)
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: not valid JSON ({error})") from error
    if not isinstance(loaded, dict):
        raise ValueError(f"{path}: expected a JSON object, found {type(loaded).__name__}")
    return loaded


def read_exhibits(path: str | Path) -> dict[str, Any]:
    """Read the exhibit list: which tables and figures the report shows, in which section.

    Parameters
    ----------
    path
        ``data/report/exhibits.yaml``.

    Returns
    -------
    dict
        The parsed document; checked by :func:`ruralplan.report.document.check_exhibits`.
    """
    return read_yaml(require_file(path))


def read_table_headers(path: str | Path) -> dict[str, dict[str, dict[str, str]]]:
    """Read the column headers of the readers' tables and check them.

    Parameters
    ----------
    path
        ``data/report/table_headers.yaml``.

    Returns
    -------
    dict
        ``{lang: {table: {column: header}}}``, as
        :func:`ruralplan.report.tables.check_table_headers` returns it.

    Raises
    ------
    ReportInputMissing
        If the file is missing.
    ValueError
        Naming the file and every table, language or column that is wrong.
    """
    path = require_file(path)
    return check_table_headers(read_yaml(path), source=str(path))


def read_figure(path: str | Path) -> tuple[str, bytes]:
    """Read a saved figure for embedding in the report.

    Parameters
    ----------
    path
        A ``.png`` or ``.svg`` file.

    Returns
    -------
    tuple
        The format (``"png"`` or ``"svg"``) and the file's bytes.

    Raises
    ------
    ValueError
        If the file is neither PNG nor SVG.
    """
    path = require_file(path)
    kind = path.suffix.lower().lstrip(".")
    if kind not in {"png", "svg"}:
        raise ValueError(f"{path}: figures must be .png or .svg, found {path.suffix!r}")
    return kind, path.read_bytes()


def hash_inputs(root: str | Path, patterns: Iterable[str] = INPUT_GLOBS) -> dict[str, str]:
    """Hash every input file under ``root`` matching ``patterns``.

    Parameters
    ----------
    root
        The project root.
    patterns
        Glob patterns relative to ``root``.

    Returns
    -------
    dict
        Relative POSIX paths (sorted) mapped to SHA-256 digests.
    """
    root = Path(root)
    files = {p for pattern in patterns for p in root.glob(pattern) if p.is_file()}
    relative = sorted(p.relative_to(root).as_posix() for p in files)
    return {name: sha256_file(root / name) for name in relative}


def read_sha256sums(path: str | Path) -> dict[str, str]:
    """Read a ``sha256sum``-style file into a mapping of file name to digest.

    Parameters
    ----------
    path
        For example ``data/raw/SHA256SUMS``; a missing file gives an empty mapping.

    Returns
    -------
    dict
        File names (as written, without a leading ``*``) mapped to digests.

    Raises
    ------
    ValueError
        If a line is not ``<64 hex digits> <name>``.
    """
    path = Path(path)
    if not path.is_file():
        return {}
    sums: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        digest, _, name = line.partition(" ")
        if len(digest) != 64 or not name.strip():
            raise ValueError(f"{path}, line {number}: expected '<sha256> <file>', found {line!r}")
        sums[name.strip().lstrip("*")] = digest.lower()
    return sums


def git_state(root: str | Path) -> dict[str, Any]:
    """Describe the git commit of ``root`` and whether tracked files were changed.

    Parameters
    ----------
    root
        The project root.

    Returns
    -------
    dict
        ``commit`` (hex or ``None`` outside a git checkout) and ``dirty`` (bool or ``None``).
    """

    def _git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", *args], cwd=root, capture_output=True, text=True, check=True, timeout=30
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip()

    top = _git("rev-parse", "--show-toplevel")
    if top is None or Path(top).resolve() != Path(root).resolve():
        return {"commit": None, "dirty": None}
    status = _git("status", "--porcelain", "--untracked-files=no")
    return {
        "commit": _git("rev-parse", "HEAD"),
        "dirty": bool(status) if status is not None else None,
    }


def read_notebook(path: str | Path) -> dict[str, Any]:
    """Read an executed notebook as plain JSON.

    Parameters
    ----------
    path
        The ``.ipynb`` file.

    Returns
    -------
    dict
        The notebook document.
    """
    path = require_file(path)
    return json.loads(path.read_text(encoding="utf-8"))


def expand_exhibits(
    entries: list[dict[str, Any]], root: str | Path, *, lang: str
) -> list[dict[str, Any]]:
    """Fill in ``{lang}`` and replace entries whose ``file`` is a glob by one per match.

    Parameters
    ----------
    entries
        Checked exhibit entries.
    root
        The project root the paths are relative to.
    lang
        The report language, substituted for ``{lang}`` in file names.

    Returns
    -------
    list of dict
        Entries with concrete files (sorted within a glob). A glob matching nothing is kept
        as it is, so that it is reported as missing.
    """
    root = Path(root)
    expanded = []
    for entry in entries:
        entry = {**entry, "file": entry["file"].replace("{lang}", lang)}
        if not any(mark in entry["file"] for mark in "*?["):
            expanded.append(entry)
            continue
        matches = sorted(p.relative_to(root).as_posix() for p in root.glob(entry["file"]))
        expanded.extend([{**entry, "file": match} for match in matches] or [entry])
    return expanded


def load_exhibit(entry: dict[str, Any], root: str | Path) -> Any:
    """Read the file of one exhibit: a table, a figure, or ``None`` if optional and missing.

    Parameters
    ----------
    entry
        A checked exhibit entry with ``file``, ``required`` and ``made_by``.
    root
        The project root.

    Returns
    -------
    object
        A DataFrame for ``.csv``, ``(kind, bytes)`` for ``.png``/``.svg``, or ``None``.

    Raises
    ------
    ReportInputMissing
        If a required file is missing.
    """
    path = Path(root) / entry["file"]
    if not path.is_file():
        if entry.get("required", True):
            require_file(path, made_by=entry.get("made_by", ""))
        return None
    if path.suffix.lower() in {".png", ".svg"}:
        return read_figure(path)
    return read_table(path, made_by=entry.get("made_by", ""))


def list_outputs(
    root: str | Path, folders: Iterable[str] = ("reports/tables", "reports/figures")
) -> list[str]:
    """List the files the pipeline wrote into ``folders``.

    Parameters
    ----------
    root
        The project root.
    folders
        Output folders relative to ``root``.

    Returns
    -------
    list of str
        Sorted relative POSIX paths.
    """
    root = Path(root)
    return sorted(
        p.relative_to(root).as_posix()
        for folder in folders
        for p in (root / folder).glob("*")
        if p.is_file()
    )


def read_notebooks(folder: str | Path, names: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Read the executed notebooks that exist among ``names``.

    Parameters
    ----------
    folder
        The folder of executed notebooks (``reports/notebooks``).
    names
        File names to read.

    Returns
    -------
    dict
        File names mapped to notebooks; missing notebooks are left out.
    """
    folder = Path(folder)
    return {
        name: read_notebook(folder / name) for name in sorted(names) if (folder / name).is_file()
    }


def latest_date(path: str | Path, column: str, *, made_by: str = "") -> str | None:
    """Return the latest date in a date-time column of a parquet file, as ``YYYY-MM-DD``.

    The report's "as of" date comes from the data, never from the clock, so two builds on
    the same inputs agree.

    Parameters
    ----------
    path
        The parquet file (e.g. the clean survey).
    column
        The date-time column (e.g. the submission time).
    made_by
        The notebook that writes the file, named in the error.

    Returns
    -------
    str or None
        The date, or None when the column holds no dates.

    Raises
    ------
    ReportInputMissing
        If the file is missing.
    ValueError
        If the column is not in the file.
    """
    path = require_file(path, made_by=made_by)
    names = pq.read_schema(path).names
    if column not in names:
        raise ValueError(f"{path}: no column {column!r} for the report's date; found {names}")
    values = pd.to_datetime(pd.read_parquet(path, columns=[column])[column], errors="coerce")
    latest = values.max()
    return None if pd.isna(latest) else latest.strftime("%Y-%m-%d")


@dataclass(frozen=True)
class ReportInputs:
    """Everything the report notebook shows, read once from the files notebooks 01-04 wrote.

    Attributes
    ----------
    document
        The exhibit file (section titles, wording, exhibit list).
    entries
        Numbered exhibits, expanded for ``lang``, each with the column ``headers`` of the
        readers' tables in ``lang``.
    loaded
        Exhibit file name to its content (table or figure).
    by_section
        Section key to its exhibits, in report order.
    producers
        Exhibit file name to the notebook cell that wrote it.
    pipeline_notebooks
        Executed notebooks 01-04 by file name.
    cleaning
        The cleaning summary (rows in, rows out, exclusions).
    as_of
        Latest survey submission date, or ``None``.
    is_synthetic
        Whether the synthetic-data banner applies.
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
    """

    document: dict[str, Any]
    entries: list[dict[str, Any]]
    loaded: dict[str, Any]
    by_section: dict[str, list[dict[str, Any]]]
    producers: dict[str, Any]
    pipeline_notebooks: dict[str, dict[str, Any]]
    cleaning: dict[str, Any]
    as_of: str | None
    is_synthetic: bool
    code_names: dict[str, str]
    labels_document: dict[str, Any]
    variable_names: dict[str, str]
    term_names: dict[str, dict[str, str]]
    notes: dict[str, Any]


def load_report_inputs(
    *,
    lang: str,
    survey: str | Path,
    synthetic: str | bool,
    processed_dir: str | Path,
    reports_dir: str | Path,
    survey_codebook: str | Path,
    interview_codebook: str | Path,
    variable_labels: str | Path,
    exhibits: str | Path,
    table_headers: str | Path | None = None,
    root: str | Path = ".",
) -> ReportInputs:
    """Read and check every input of the report for one language.

    Parameters
    ----------
    lang
        ``"lv"`` or ``"en"``.
    survey
        The survey export (only hashed, to decide the synthetic-data banner).
    synthetic
        ``"auto"``, ``True`` or ``False``; see :func:`ruralplan.pipeline.provenance.is_synthetic`.
    processed_dir, reports_dir
        Where notebooks 01-04 wrote their outputs.
    survey_codebook, interview_codebook, variable_labels, exhibits
        The data files that label and arrange what is shown.
    table_headers
        The column headers of the readers' tables (:func:`read_table_headers`);
        ``table_headers.yaml`` beside ``exhibits`` when omitted. Every exhibit entry gets
        those of ``lang`` as ``headers``.
    root
        Project root that exhibit paths are relative to.

    Returns
    -------
    ReportInputs
        The loaded inputs.

    Raises
    ------
    ReportInputMissing
        If a required file is missing; the message names the notebook that writes it.
    """
    from ruralplan import narrative
    from ruralplan.analysis import crosstab, regression
    from ruralplan.pipeline import provenance
    from ruralplan.survey.io import read_survey_codebook

    root = Path(root)
    executed_dir = Path(reports_dir) / "notebooks"
    document = read_exhibits(exhibits)
    check_wording(document, source=str(exhibits))
    headers_file = table_headers or Path(exhibits).with_name("table_headers.yaml")
    headers = read_table_headers(headers_file)[narrative.check_lang(lang)]
    entries = [
        {**entry, "headers": headers}
        for entry in number_exhibits(
            expand_exhibits(check_exhibits(document, source=str(exhibits)), root, lang=lang)
        )
    ]
    loaded = {entry["file"]: load_exhibit(entry, root) for entry in entries}
    pipeline_notebooks = read_notebooks(
        executed_dir, [p.name for p in executed_dir.glob("0[1-4]_*.ipynb")]
    )
    made_by_clean = "notebooks/01_clean_survey.ipynb"
    labels_document = read_yaml(variable_labels)
    survey_book = read_survey_codebook(survey_codebook)
    logit_tables = [
        e for e in entries if e["kind"] == "table" and is_logit_table(loaded[e["file"]])
    ]
    return ReportInputs(
        document=document,
        entries=entries,
        loaded=loaded,
        by_section={k: [e for e in entries if e["section"] == k] for k in section_keys()},
        producers={
            e["file"]: provenance.find_producer(pipeline_notebooks, e["file"], made_by=e["made_by"])
            for e in entries
        },
        pipeline_notebooks=pipeline_notebooks,
        cleaning=read_summary(Path(processed_dir) / "cleaning_summary.json", made_by=made_by_clean),
        as_of=latest_date(
            Path(processed_dir) / "survey.parquet", "submitted_at", made_by=made_by_clean
        ),
        is_synthetic=provenance.is_synthetic(
            synthetic,
            survey_name=Path(survey).name,
            survey_digest=sha256_file(survey),
            recorded=read_sha256sums(Path(survey).parent / "SHA256SUMS"),
        ),
        code_names=code_names(read_yaml(interview_codebook), lang),
        labels_document=labels_document,
        variable_names={
            column: entry["name"]
            for column, entry in crosstab.variable_labels(
                labels_document, lang, source=str(variable_labels)
            ).items()
        },
        term_names={
            str(e["file"]): dict(
                zip(
                    loaded[e["file"]]["term"],
                    regression.term_labels(
                        loaded[e["file"]]["term"].tolist(),
                        lang,
                        labels=labels_document,
                        codebook=survey_book,
                    ),
                    strict=True,
                )
            )
            for e in logit_tables
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
    )
