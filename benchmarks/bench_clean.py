"""Benchmark: clean a 1,000,000-row generated export (goal: under 15 s and under 2 GB).

Prints ``name: value`` lines. The export is generated and written to a temporary CSV first
(not timed); the timed part reads that CSV and cleans it, as ``ruralplan clean`` would.
Peak memory is the process's maximum resident set size.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000


def main() -> None:
    """Generate, then time reading and cleaning; print the figures."""
    from ruralplan import clean
    from ruralplan.codebook import load_codebook
    from ruralplan.io import read_yaml
    from ruralplan.io import survey as survey_io
    from ruralplan.synthetic import generate_export

    codebook = load_codebook(ROOT / "data/codebooks/survey.yaml")
    references = survey_io.load_references(ROOT / "data/reference/municipalities.csv",
                                           ROOT / "data/reference/municipality_aliases.csv")
    spec = read_yaml(ROOT / "data/raw/synthetic.yaml")
    started = time.perf_counter()
    export = generate_export(codebook, spec, references.units, references.aliases, n=ROWS)
    with tempfile.TemporaryDirectory() as folder:
        path = survey_io.write_export(export, Path(folder) / "export.csv")
        del export
        generated = time.perf_counter() - started
        started = time.perf_counter()
        raw = survey_io.read_export(path)
        result = clean.clean_survey(raw, codebook, references=references)
        seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"generate_1m_rows_seconds: {generated:.1f}")
    print(f"clean_1m_rows_seconds: {seconds:.1f}")
    print(f"clean_1m_rows_peak_mb: {peak_mb:.0f}")
    print(f"clean_1m_rows_out: {result.summary['rows_out']}")


if __name__ == "__main__":
    main()
