"""Read the published-claims file and the clean survey for the claims check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ruralplan.analysis.claims import parse_claims
from ruralplan.io import read_yaml


def read_claims(path: str | Path) -> list[dict[str, Any]]:
    """Read and check ``data/published/claims.yaml``.

    Parameters
    ----------
    path
        The claims file.

    Returns
    -------
    list of dict
        The checked claims, in file order.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ruralplan.analysis.claims.ClaimsError
        If the file is malformed; every problem is listed.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: claims file not found")
    return parse_claims(read_yaml(path), source=str(path))


def read_clean_survey(path: str | Path) -> pd.DataFrame:
    """Read the clean survey written by notebook 01.

    Parameters
    ----------
    path
        ``data/processed/survey.parquet`` or another clean survey in Parquet format.

    Returns
    -------
    pandas.DataFrame
        One row per organisation.

    Raises
    ------
    FileNotFoundError
        If the file does not exist; the message says which step writes it.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: clean survey not found; run notebook 01 (make report) to write it"
        )
    return pd.read_parquet(path)
