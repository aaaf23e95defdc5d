"""Benchmark: tabulate every closed question of a large clean survey, and suppress counts.

Prints ``name: value`` lines. The clean survey is made by repeating the shipped clean file
of the default study (``data/processed/<id>/survey.parquet``, run notebook 01 first) up to the
requested number of rows.
Goal: all closed questions of 1,000,000 organisations in under 10 s.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000


def main() -> None:
    """Build the large survey (not timed), then time tables and suppression."""
    import pandas as pd

    from ruralplan.pipeline.study import load_study
    from ruralplan.survey import tabulate
    from ruralplan.survey.io import read_survey_codebook

    study = load_study(root=ROOT)
    codebook = read_survey_codebook(ROOT / study.require("survey_codebook"))
    base = pd.read_parquet(ROOT / study.processed_dir / "survey.parquet")
    repeats = -(-ROWS // len(base))
    survey = pd.concat([base] * repeats, ignore_index=True).iloc[:ROWS]
    questions = tabulate.closed_questions(codebook.questions)

    start = time.perf_counter()
    tables = [tabulate.frequency_table(survey, question) for question in questions]
    tabulate_seconds = time.perf_counter() - start

    start = time.perf_counter()
    for table in tables:
        tabulate.public_csv_table(table, min_cell=5)
    public_seconds = time.perf_counter() - start

    print(f"tables_rows: {len(survey)}")
    print(f"tables_questions: {len(questions)}")
    print(f"tables_frequency_seconds: {tabulate_seconds:.3f}")
    print(f"tables_public_seconds: {public_seconds:.3f}")


if __name__ == "__main__":
    main()
