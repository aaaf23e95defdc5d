"""Wall time of `make report`: cold, against the floor, and a no-op rerun.

Prints `name: value` lines:

- cold_report_seconds: `make -j2 report` in a fresh copy of the project (outputs removed,
  environment present, shared through a symlink);
- floor_seconds: the same command in a copy whose notebooks keep only their parameters cell
  and their import statements, so the same number of notebooks run the same way (runner,
  kernels, make -j2, nbconvert) doing nothing but importing;
- ratio: cold / floor (goal: at most 1.0);
- noop_report_seconds: a second `make report` with nothing changed (goal: under 1 s).

Run with `make bench` or `.venv/bin/python benchmarks/bench_pipeline.py`.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
# One way of copying the project for a build, shared with the pipeline tests.
sys.path.insert(0, str(ROOT))
from tests.pipeline_build import copy_project as _copy_project  # noqa: E402


def copy_project(destination: Path) -> Path:
    """Copy the project without outputs, keeping file times, sharing the environment."""
    return _copy_project(ROOT, destination)


def imports_only(source: str) -> str:
    """Keep only the import statements of a code cell."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return ""
    lines = source.splitlines()
    kept = [
        "\n".join(lines[node.lineno - 1 : node.end_lineno])
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    return "\n".join(kept)


def strip_to_imports(notebook_path: Path) -> None:
    """Rewrite a notebook so it keeps its parameters cell and its imports, nothing else."""
    notebook = nbformat.read(notebook_path, as_version=4)
    cells = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if "parameters" in cell.metadata.get("tags", []):
            cells.append(cell)
        elif imports_only(cell.source):
            cell.source = imports_only(cell.source)
            cells.append(cell)
    notebook.cells = cells
    nbformat.write(notebook, notebook_path)


def timed_make(project: Path, *args: str) -> float:
    """Run make in ``project`` and return the wall time; stop with its output on failure."""
    started = time.perf_counter()
    result = subprocess.run(
        ["make", *args, "report"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "MAKEFLAGS": ""},
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        output = result.stdout[-3000:] + result.stderr[-3000:]
        sys.exit(f"make report failed in {project}:\n{output}")
    return elapsed


def main() -> None:
    """Print the benchmark lines."""
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as temporary:
        base = Path(temporary)
        project = copy_project(base / "project")
        cold = timed_make(project, "-j2")
        noop = timed_make(project)
        floor_project = copy_project(base / "floor")
        for notebook in sorted((floor_project / "notebooks").glob("*.ipynb")):
            strip_to_imports(notebook)
        floor = timed_make(floor_project, "-j2")
    print(f"cold_report_seconds: {cold:.1f}")
    print(f"floor_seconds: {floor:.1f}")
    print(f"ratio: {cold / floor:.2f}")
    print(f"noop_report_seconds: {noop:.2f}")


if __name__ == "__main__":
    main()
