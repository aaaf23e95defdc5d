"""Provenance: where each number in the report came from and with what.

Pure functions over what :mod:`ruralplan.report.io` read: the synthetic-data decision, the
executed notebooks' parameters, which notebook cell wrote each exhibit, and package versions.
"""

from __future__ import annotations

import importlib.metadata
import re
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath
from typing import Any

import pandas as pd

SYNTHETIC_SETTINGS = ("auto", True, False)
# A file name built from a variable: f"{question_id}.csv", f"{name}.{lang}".
_TEMPLATED_NAME = re.compile(r"\{[^{}]+\}\.(?:[a-z]|\{)")

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


def _cell_text(cell: Mapping[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def find_producer(
    notebooks: Mapping[str, Mapping[str, Any]], output_path: str, *, made_by: str = ""
) -> tuple[str, int] | None:
    """Find the notebook cell that wrote an output file.

    The file's name (``strategy.csv``) is looked for first, then its quoted stem, in every
    notebook. Files named in a loop (``f"{question_id}.csv"``) are then traced to the first
    code cell of ``made_by`` that writes a templated file name into the same folder (the
    folder's name, e.g. ``tables``, appears in the cell).

    Parameters
    ----------
    notebooks
        Notebook file names mapped to executed notebooks, searched in sorted order.
    output_path
        The output file, e.g. ``reports/tables/claims.csv``.
    made_by
        The notebook expected to write it (a path or file name), for the loop fallback.

    Returns
    -------
    tuple or None
        ``(notebook name, 1-based cell number)``, or ``None`` if no cell could be found.
    """
    path = PurePosixPath(output_path)
    for needle in (path.name, f'"{path.stem}"', f"'{path.stem}'", f'"{path.stem}.'):
        for name, notebook in sorted(notebooks.items()):
            for number, cell in _code_cells(notebook):
                if needle in _cell_text(cell):
                    return name, number
    expected = PurePosixPath(made_by).name
    if expected in notebooks:
        for number, cell in _code_cells(notebooks[expected]):
            text = _cell_text(cell)
            if path.parent.name in text and _TEMPLATED_NAME.search(text):
                return expected, number
    return None


def _code_cells(notebook: Mapping[str, Any]) -> list[tuple[int, Mapping[str, Any]]]:
    return [
        (number, cell)
        for number, cell in enumerate(notebook.get("cells", []), start=1)
        if cell.get("cell_type") == "code"
    ]


def exhibit_index(
    outputs: Iterable[str],
    notebooks: Mapping[str, Mapping[str, Any]],
    made_by: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """List every output file with the notebook and cell that made it.

    Parameters
    ----------
    outputs
        Output files (relative paths) shown in or attached to the report.
    notebooks
        Notebook file names mapped to executed notebooks.
    made_by
        Output files mapped to the notebook expected to write them (from the exhibit list).

    Returns
    -------
    pandas.DataFrame
        Columns ``file``, ``notebook``, ``cell`` (``<NA>`` when not traced), sorted by file.
    """
    rows = []
    for output in sorted(set(outputs)):
        found = find_producer(notebooks, output, made_by=(made_by or {}).get(output, ""))
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
