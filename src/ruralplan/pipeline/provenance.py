"""Provenance: where each number in the report came from and with what.

Pure functions over what :mod:`ruralplan.report.io` read: the synthetic-data decision, the
executed notebooks' parameters, which notebook cell wrote each exhibit, and package versions.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from ruralplan.io.saved import SAVED_METADATA_KEY

SYNTHETIC_SETTINGS = ("auto", True, False)

# Packages whose versions decide the numbers and the report's look.
KEY_PACKAGES = (
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "matplotlib",
    "seaborn",
    "pandera",
    "pyarrow",
    "simplemma",
    "krippendorff",
    "papermill",
    "nbconvert",
    "ruralplan",
)


def is_synthetic(
    setting: Any, *, survey_name: str, survey_digest: str, recorded: Mapping[str, str]
) -> bool:
    """Decide whether the report carries the synthetic-data banner.

    Parameters
    ----------
    setting
        The ``synthetic`` parameter: ``"auto"``, ``True`` or ``False``.
    survey_name
        The survey file's name, as listed in the checksum file.
    survey_digest
        SHA-256 of the survey file used.
    recorded
        Checksums of the shipped synthetic files (``data/raw/SHA256SUMS``).

    Returns
    -------
    bool
        ``setting`` when forced; with ``"auto"``, whether the survey file is the shipped
        synthetic one.

    Raises
    ------
    ValueError
        If ``setting`` is not one of ``"auto"``, ``true``, ``false``.

    Examples
    --------
    >>> is_synthetic("auto", survey_name="s.csv", survey_digest="ab", recorded={"s.csv": "ab"})
    True
    """
    if setting is True or setting is False:
        return setting
    if setting != "auto":
        raise ValueError(
            f"The parameter `synthetic` must be auto, true or false, but {setting!r} was passed"
        )
    return recorded.get(survey_name) == survey_digest or survey_digest in recorded.values()


def notebook_parameters(notebook: Mapping[str, Any]) -> dict[str, Any]:
    """Return the parameters papermill injected into an executed notebook.

    Parameters
    ----------
    notebook
        The executed notebook as JSON.

    Returns
    -------
    dict
        Parameter names mapped to values (empty when none were recorded).
    """
    return dict(notebook.get("metadata", {}).get("papermill", {}).get("parameters", {}))


def parameters_table(parameters: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    """Tabulate the parameters of every notebook.

    Parameters
    ----------
    parameters
        Notebook file names mapped to their parameters (see :func:`notebook_parameters`).

    Returns
    -------
    pandas.DataFrame
        Columns ``notebook``, ``parameter``, ``value``, sorted.
    """
    rows = [
        {"notebook": name, "parameter": key, "value": str(value)}
        for name, values in sorted(parameters.items())
        for key, value in sorted(values.items())
    ]
    return pd.DataFrame(rows, columns=["notebook", "parameter", "value"])


def saved_files(cell: Mapping[str, Any]) -> list[str]:
    """List the files a code cell announced it saved (:mod:`ruralplan.io.saved`).

    Parameters
    ----------
    cell
        A cell of an executed notebook, as JSON.

    Returns
    -------
    list of str
        Paths relative to the project root, in the order written; empty for a cell that saved
        nothing, or for a Markdown cell.
    """
    if cell.get("cell_type") != "code":
        return []
    found: list[str] = []
    for output in cell.get("outputs", []):
        metadata = output.get("metadata") or {}
        entry = metadata.get(SAVED_METADATA_KEY) if isinstance(metadata, Mapping) else None
        saved = entry.get("saved") if isinstance(entry, Mapping) else None
        if isinstance(saved, list):
            found += [str(path) for path in saved]
    return found


def find_writer(notebooks: Mapping[str, Mapping[str, Any]], saved: str) -> tuple[str, int] | None:
    """Find the notebook cell that saved a file, from what the cells announced.

    Only an exact match of the path counts: a file no cell announced is not traced, never
    guessed from the code's text.

    Parameters
    ----------
    notebooks
        Notebook file names mapped to executed notebooks, searched in sorted order.
    saved
        The file, as :func:`ruralplan.io.saved.saved_name` names it (relative to the project
        root, e.g. ``reports/<study id>/tables/claims.csv``).

    Returns
    -------
    tuple or None
        ``(notebook name, execution count)`` of the last cell that saved the file (the one
        whose bytes are on disk), or ``None`` when no executed cell announced it.

    Examples
    --------
    >>> cell = {"cell_type": "code", "execution_count": 4,
    ...         "outputs": [{"metadata": {"ruralplan": {"saved": ["t/a.csv"]}}}]}
    >>> find_writer({"02.ipynb": {"cells": [cell]}}, "t/a.csv")
    ('02.ipynb', 4)
    """
    found = None
    for name, notebook in sorted(notebooks.items()):
        for cell in notebook.get("cells", []):
            count = cell.get("execution_count")
            if count is not None and saved in saved_files(cell):
                found = (name, int(count))
    return found


def exhibit_index(
    outputs: Mapping[str, str], notebooks: Mapping[str, Mapping[str, Any]]
) -> pd.DataFrame:
    """List every output file with the notebook and cell that saved it.

    Parameters
    ----------
    outputs
        The name each file is listed by (e.g. ``tables/a.csv``) mapped to the path it was
        saved as (see :func:`find_writer`).
    notebooks
        Notebook file names mapped to executed notebooks.

    Returns
    -------
    pandas.DataFrame
        Columns ``file``, ``notebook``, ``cell`` (the execution count Jupyter shows; both
        missing when not traced), sorted by file.
    """
    rows = []
    for output, saved in sorted(outputs.items()):
        found = find_writer(notebooks, saved)
        rows.append(
            {
                "file": output,
                "notebook": found[0] if found else None,
                "cell": found[1] if found else None,
            }
        )
    table = pd.DataFrame(rows, columns=["file", "notebook", "cell"])
    table["cell"] = table["cell"].astype("Int64")
    return table


def package_versions(names: Iterable[str] = KEY_PACKAGES) -> pd.DataFrame:
    """Look up the installed version of each package.

    Parameters
    ----------
    names
        Distribution names.

    Returns
    -------
    pandas.DataFrame
        Columns ``package``, ``version`` (``not installed`` when absent), sorted by name.
    """
    rows = []
    for name in sorted(set(names)):
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            version = "not installed"
        rows.append({"package": name, "version": version})
    return pd.DataFrame(rows, columns=["package", "version"])


def hashes_table(hashes: Mapping[str, str]) -> pd.DataFrame:
    """Turn a mapping of file to SHA-256 into a sorted table.

    Parameters
    ----------
    hashes
        Relative paths mapped to digests.

    Returns
    -------
    pandas.DataFrame
        Columns ``file``, ``sha256``.
    """
    rows = [{"file": name, "sha256": digest} for name, digest in sorted(hashes.items())]
    return pd.DataFrame(rows, columns=["file", "sha256"])


def study_is_synthetic(study: Any) -> bool:
    """Decide whether a study's survey is its synthetic demonstration set.

    Parameters
    ----------
    study
        A :class:`ruralplan.pipeline.study.Study`; its ``synthetic`` setting and, with
        ``auto``, the checksums in its ``synthetic_checksums`` file decide.

    Returns
    -------
    bool
        Whether tables, figures and the report carry the synthetic-data notes.
    """
    from ruralplan.io import sha256_file
    from ruralplan.report.io import read_sha256sums

    survey = study.require("survey")
    checksums = study.path("synthetic_checksums")
    return is_synthetic(
        study.settings["synthetic"],
        survey_name=survey.name,
        survey_digest=sha256_file(survey),
        recorded=read_sha256sums(checksums) if checksums else {},
    )
