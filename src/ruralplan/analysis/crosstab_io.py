"""Read the cross-tab pairs file and the published claims for notebook 04."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruralplan.analysis.crosstab import validate_pairs
from ruralplan.analysis.regression import validate_model
from ruralplan.io import read_yaml


def read_pairs(path: str | Path) -> list[dict[str, Any]]:
    """Read and check the list of outcome/predictor pairs to test.

    Parameters
    ----------
    path
        A YAML file with a ``pairs`` list (see ``data/analysis/crosstab_pairs.yaml``).

    Returns
    -------
    list of dict
        Pairs with keys ``outcome``, ``predictor`` and ``contrast``.

    Raises
    ------
    ValueError
        If the file is missing or malformed; the message names the file.
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{path}: the pairs file does not exist.")
    return validate_pairs(read_yaml(path), source=str(path))


def read_model(path: str | Path) -> tuple[str, list[str]]:
    """Read the logistic-regression entry (``logit:``) of the pairs file.

    Parameters
    ----------
    path
        The pairs file.

    Returns
    -------
    tuple
        Outcome column and predictor columns.
    """
    return validate_model(read_yaml(path), source=str(path))
