"""Build the whole pipeline in a temporary copy of the project, once per test session.

Several test modules (browser, reproducibility) need a built project; building takes a
minute or two, so the first build is shared. Under pytest-xdist each worker is its own
process: a module using :func:`built_once` marks its tests with :data:`SHARED_BUILD_GROUP`,
so they all run in the worker that built it. Copies keep file times (``copy2``), so that
`make` never thinks the shared environment is out of date and reinstalls it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

COPIED = [
    "Makefile",
    "pyproject.toml",
    "requirements.lock",
    "notebooks",
    "src",
    "data",
    "README.md",
]
_BUILT: dict[str, Path] = {}
SHARED_BUILD_GROUP = "llf-build"
"""The pytest-xdist group of every test that uses :func:`built_once`."""


def copy_project(project_root: Path, destination: Path, *, extra: Sequence[str] = ()) -> Path:
    """Copy what `make report` needs, without outputs, sharing the project's environment.

    ``extra`` names further top-level folders or files to copy (e.g. ``examples``).
    """
    destination.mkdir(parents=True, exist_ok=True)
    for name in [*COPIED, *extra]:
        source = project_root / name
        if source.is_dir():
            shutil.copytree(
                source,
                destination / name,
                ignore=shutil.ignore_patterns("processed", "__pycache__", "*.egg-info"),
            )
        elif source.exists():
            shutil.copy2(source, destination / name)
    (destination / "data" / "processed").mkdir(exist_ok=True)
    (destination / "reports").mkdir(exist_ok=True)
    (destination / ".venv").symlink_to(project_root / ".venv")
    return destination


def make_report(copy: Path, *targets: str, study: str | None = None) -> subprocess.CompletedProcess:
    """Run `make -j2 report` (or ``targets``) in ``copy`` and fail with its output if it fails.

    ``study`` is passed as ``STUDY=...`` (a study folder relative to ``copy``); the project's
    default study when omitted.
    """
    variables = [f"STUDY={study}"] if study else []
    result = subprocess.run(
        ["make", "-j2", *(targets or ("report",)), *variables],
        cwd=copy,
        capture_output=True,
        text=True,
        env={**os.environ, "MAKEFLAGS": ""},
        timeout=1800,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return result


def built_once(tmp_path_factory, project_root: Path) -> Path:
    """Return a copy of the project where `make report` has run (shared within the session)."""
    if not (project_root / ".venv" / ".ruralplan-installed").exists():
        pytest.skip("the project environment is not installed; run `make env`")
    if "copy" not in _BUILT:
        copy = copy_project(project_root, tmp_path_factory.mktemp("built") / "project")
        make_report(copy)
        _BUILT["copy"] = copy
    return _BUILT["copy"]
