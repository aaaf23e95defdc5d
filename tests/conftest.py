"""Shared fixtures: the project root, fixed seeds and the shipped survey inputs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import settings

from ruralplan.survey import clean
from ruralplan.survey import io as survey_io
from ruralplan.survey.base import References
from ruralplan.survey.codebook import Codebook
from ruralplan.survey.io import read_survey_codebook

# Property tests do real work (cleaning, parsing dates): on a busy machine one example can take
# longer than hypothesis' 200 ms default deadline, which is then a false failure.
settings.register_profile("ruralplan", deadline=None)
settings.load_profile("ruralplan")

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def project_root() -> Path:
    """Return the root of the project checkout."""
    return PROJECT_ROOT


# Module scope, not session: tests that change a table in place then affect only their own module.


@pytest.fixture(scope="module")
def codebook(project_root: Path) -> Codebook:
    """Return the shipped survey codebook."""
    return read_survey_codebook(project_root / "data/codebooks/survey.yaml")


@pytest.fixture(scope="module")
def references(project_root: Path) -> References:
    """Return the shipped municipality list and its aliases."""
    return survey_io.load_references(
        project_root / "data/reference/municipalities.csv",
        project_root / "data/reference/municipality_aliases.csv",
    )


@pytest.fixture(scope="module")
def raw(project_root: Path) -> pd.DataFrame:
    """Return the shipped raw survey export."""
    return survey_io.read_export(project_root / "data/raw/survey_export.csv")


@pytest.fixture(scope="module")
def result(raw: pd.DataFrame, codebook: Codebook, references: References) -> clean.CleanResult:
    """Return the shipped export cleaned with the shipped codebook and references."""
    return clean.clean_survey(raw, codebook, references=references)
