"""Read what the report shows: tables, figures, summaries, executed notebooks, input hashes.

Every reader names the file and the pipeline step that should have written it when the
file is missing, so a reviewer knows which notebook to run.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from ruralplan.io import read_yaml, sha256_file
from ruralplan.report.tables import check_table_headers


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


def hash_files(files: Iterable[str | Path]) -> dict[str, str]:
    """Hash files (for example every input a study names).

    Parameters
    ----------
    files
        Paths, relative to the working directory (the project root).

    Returns
    -------
    dict
        POSIX paths (sorted) mapped to SHA-256 digests.
    """
    names = sorted({Path(f).as_posix() for f in files})
    return {name: sha256_file(name) for name in names}


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


def list_outputs(root: str | Path, folders: Iterable[str] = ("tables", "figures")) -> list[str]:
    """List the files the pipeline wrote into ``folders`` of a study's report folder.

    Parameters
    ----------
    root
        The study's report folder (``reports/<study id>``).
    folders
        Output folders relative to ``root``.

    Returns
    -------
    list of str
        Sorted POSIX paths relative to ``root``.
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
