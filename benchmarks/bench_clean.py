"""Benchmark: clean a 1,000,000-row generated export (goal: under 15 s and under 2 GB).

Prints ``name: value`` lines. The export is generated and written to a temporary CSV first
(in its own process; not part of the cleaning figures). A fresh Python process then does what
``ruralplan clean`` does before writing: read that CSV and clean it (which includes the
clean-table schema check). Its figures:

- ``clean_1m_rows_seconds``: wall time of reading plus cleaning (``read_`` and ``parse_``
  split it); ``clean_1m_rows_cpu_seconds`` the CPU time of all its threads (Arrow reads in
  parallel), a steadier figure on a busy machine;
- ``clean_1m_rows_peak_mb``: the maximum resident set size of that process
  (``resource.getrusage``), so generation does not count; ``clean_process_start_mb`` is the
  same figure just after imports, before reading.

Usage: ``python benchmarks/bench_clean.py [ROWS]``.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROWS = int(sys.argv[1]) if len(sys.argv) == 2 else 1_000_000


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(path: str) -> None:
    """Read and clean ``path``; print the figures as one JSON line."""
    from ruralplan.survey import clean
    from ruralplan.survey import io as survey_io
    from ruralplan.survey.io import read_survey_codebook

    codebook = read_survey_codebook(ROOT / "data/codebooks/survey.yaml")
    references = survey_io.load_references(
        ROOT / "data/reference/municipalities.csv", ROOT / "data/reference/municipality_aliases.csv"
    )
    start_mb = _max_rss_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    raw = survey_io.read_export(path)
    read = time.perf_counter() - started
    result = clean.clean_survey(raw, codebook, references=references)
    total = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    print(
        json.dumps(
            {
                "read": read,
                "total": total,
                "cpu": cpu,
                "start_mb": start_mb,
                "peak_mb": _max_rss_mb(),
                "rows_in": result.summary["rows_in"],
                "rows_out": result.summary["rows_out"],
                "log_rows": len(result.log),
            }
        )
    )


def generate(path: str, rows: int) -> None:
    """Generate ``rows`` rows and write them to ``path``; print the seconds taken."""
    from ruralplan.io import read_yaml
    from ruralplan.survey import io as survey_io
    from ruralplan.survey.io import read_survey_codebook
    from ruralplan.survey.synthetic import generate_export

    codebook = read_survey_codebook(ROOT / "data/codebooks/survey.yaml")
    references = survey_io.load_references(
        ROOT / "data/reference/municipalities.csv", ROOT / "data/reference/municipality_aliases.csv"
    )
    spec = read_yaml(ROOT / "data/raw/synthetic.yaml")
    started = time.perf_counter()
    export = generate_export(codebook, spec, references.units, references.aliases, n=rows)
    survey_io.write_export(export, path)
    print(json.dumps({"seconds": time.perf_counter() - started}))


def _run(*args: str) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    """Generate the export, then clean it in a fresh process; print the figures.

    Both steps run in their own processes, started from this small one: a process inherits
    the peak memory of the process it was forked from, so the figures stay the cleaner's own.
    """
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "export.csv")
        generated = _run("--generate", path, str(ROWS))["seconds"]
        figures = _run("--child", path)
    print(f"generate_1m_rows_seconds: {generated:.1f}")
    print(f"read_1m_rows_seconds: {figures['read']:.1f}")
    print(f"parse_1m_rows_seconds: {figures['total'] - figures['read']:.1f}")
    print(f"clean_1m_rows_seconds: {figures['total']:.1f}")
    print(f"clean_1m_rows_cpu_seconds: {figures['cpu']:.1f}")
    print(f"clean_process_start_mb: {figures['start_mb']:.0f}")
    print(f"clean_1m_rows_peak_mb: {figures['peak_mb']:.0f}")
    print(f"clean_1m_rows_in: {figures['rows_in']}")
    print(f"clean_1m_rows_out: {figures['rows_out']}")
    print(f"clean_1m_rows_log_entries: {figures['log_rows']}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(sys.argv[2])
    elif len(sys.argv) > 3 and sys.argv[1] == "--generate":
        generate(sys.argv[2], int(sys.argv[3]))
    else:
        main()
