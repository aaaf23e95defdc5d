"""The conda environment and pyproject.toml declare the same runtime packages."""

from __future__ import annotations

import re
import tomllib

import yaml


def _name(requirement: str) -> str:
    """Normalise a requirement to its distribution name (PEP 503)."""
    name = re.split(r"[<>=!~ ;\[]", requirement.strip(), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def test_environment_yml_lists_the_runtime_dependencies(project_root):
    pyproject = tomllib.loads((project_root / "pyproject.toml").read_text(encoding="utf-8"))
    runtime = {_name(req) for req in pyproject["project"]["dependencies"]}

    env = yaml.safe_load((project_root / "environment.yml").read_text(encoding="utf-8"))
    conda, pip = set(), set()
    for entry in env["dependencies"]:
        if isinstance(entry, dict):
            pip |= {_name(req) for req in entry["pip"] if not req.startswith("-")}
        else:
            conda.add(_name(entry))
    assert "python" in conda
    assert runtime == (conda | pip) - {"python", "pip"}


def test_every_locked_runtime_package_is_pinned_exactly(project_root):
    pyproject = tomllib.loads((project_root / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = {_name(r) for r in pyproject["project"]["dependencies"]}
    wanted |= {_name(r) for r in pyproject["project"]["optional-dependencies"]["dev"]}
    lock = (project_root / "requirements.lock").read_text(encoding="utf-8")
    pinned = {
        _name(line) for line in lock.splitlines() if "==" in line and not line.startswith("#")
    }
    assert wanted <= pinned, f"not pinned in the lock: {sorted(wanted - pinned)}"
    loose = [
        line for line in lock.splitlines() if line and not line.startswith("#") and "==" not in line
    ]
    assert loose == []
