"""Shared fixtures: the project root and fixed seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def project_root() -> Path:
    """Return the root of the project checkout."""
    return PROJECT_ROOT
