"""Two `make report` runs on the same inputs give byte-identical outputs."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.pipeline_build import built_once, copy_project, make_report

pytestmark = pytest.mark.slow

COMPARED = ["reports/report.lv.html", "reports/report.en.html", "reports/report-audit.html",
            "reports/notebooks/*.ipynb", "reports/tables/*", "reports/figures/*",
            "data/processed/*"]


def _hashes(root: Path) -> dict[str, str]:
    files = sorted({p for pattern in COMPARED for p in root.glob(pattern) if p.is_file()})
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in files}


def test_two_builds_are_byte_identical(tmp_path, tmp_path_factory, project_root):
    first = built_once(tmp_path_factory, project_root)
    second = copy_project(project_root, tmp_path / "second")
    make_report(second)
    first_hashes, second_hashes = _hashes(first), _hashes(second)
    assert len(first_hashes) > 10
    assert sorted(first_hashes) == sorted(second_hashes)
    differing = [name for name in first_hashes if first_hashes[name] != second_hashes[name]]
    assert differing == [], f"outputs differ between two identical runs: {differing}"
