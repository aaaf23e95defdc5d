"""The environment: conda and pyproject.toml agree, pins are exact, a shared .venv is kept safe."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
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


def test_a_copy_never_installs_into_an_environment_it_links_to(project_root, tmp_path):
    # A copy of the project whose .venv links to another checkout's must not reinstall there
    # when the lock or pyproject.toml differ: the editable install would then point at the copy.
    shared = tmp_path / "shared-env"
    shared.mkdir()
    stamp = shared / ".ruralplan-installed"
    stamp.write_text("a hash of other files\n")
    os.utime(stamp, (0, 0))  # older than the lock file, so make looks at it
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("Makefile", "requirements.lock", "pyproject.toml"):
        shutil.copy2(project_root / name, copy / name)
    (copy / ".venv").symlink_to(shared)
    result = subprocess.run(
        ["make", "env"],
        cwd=copy,
        capture_output=True,
        text=True,
        env={**os.environ, "MAKEFLAGS": ""},
        timeout=120,
    )
    assert result.returncode != 0
    assert "run 'make env' in the checkout it belongs to" in result.stderr
    assert sorted(path.name for path in shared.iterdir()) == [".ruralplan-installed"]
    assert stamp.read_text() == "a hash of other files\n"


def test_binder_registers_the_kernel_the_notebooks_ask_for(project_root):
    # repo2docker runs postBuild after installing environment.yml (which installs `-e .`).
    from ruralplan.pipeline.run import KERNEL_NAME

    post_build = (project_root / "postBuild").read_text(encoding="utf-8")
    assert f"--name {KERNEL_NAME}" in post_build
    assert os.access(project_root / "postBuild", os.X_OK)
    env = yaml.safe_load((project_root / "environment.yml").read_text(encoding="utf-8"))
    pip = next(entry["pip"] for entry in env["dependencies"] if isinstance(entry, dict))
    assert "-e ." in pip
    for notebook in (project_root / "notebooks").glob("*.ipynb"):
        kernelspec = json.loads(notebook.read_text(encoding="utf-8"))["metadata"]["kernelspec"]
        assert kernelspec["name"] == KERNEL_NAME, notebook.name
