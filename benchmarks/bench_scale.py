"""Benchmark: the whole analysis of a 1,000,000-row generated export, in one process.

Goal: under 10 minutes and under 4 GB on a 2-core machine, with no step that grows faster than
the data. Prints ``name: value`` lines.

The export is generated with the package's own generator (``ruralplan.survey.synthetic``, the
default study's ``synthetic.yaml`` with ``n`` replaced) and written to a temporary CSV, in its
own process (``generate_1m_rows_seconds``; not part of the figures below). A fresh process then
does, in memory, what notebooks 01, 02 and 04 compute (without writing files or drawing
figures):

- ``clean``: read the CSV and clean it (notebook 01);
- ``tabulate``: a frequency table of every closed question with its public, suppressed copy,
  and the published-claims check (notebook 02);
- ``crosstab``: every pair of the study's pairs file (test, effect sizes with 2,000 bootstrap
  resamples, row percentages), the results table with its family adjustment, and the verdicts
  of the directional claims (notebook 04);
- ``logit``: the logistic regression of the pairs file, with its separation check.

``report_1m_rows_seconds`` is their sum; ``report_1m_rows_peak_mb`` the maximum resident set
size of that process (``resource.getrusage``), so generation does not count. With a smaller
``ROWS`` the same steps run on that many rows (the names keep ``1m``), which shows how each
step grows: ``python benchmarks/bench_scale.py [ROWS]``.
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
GOAL_SECONDS = 600.0
GOAL_MB = 4096.0
STEPS = ("clean", "tabulate", "crosstab", "logit")


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _study():
    from ruralplan.pipeline.study import load_study

    return load_study(root=ROOT)


def _path(study, key: str) -> Path:
    return ROOT / study.require(key)


def generate(path: str, rows: int) -> None:
    """Generate ``rows`` organisations with the study's generator spec; write them to ``path``."""
    from ruralplan.io import read_yaml
    from ruralplan.survey import io as survey_io
    from ruralplan.survey.io import read_survey_codebook
    from ruralplan.survey.synthetic import generate_export

    study = _study()
    codebook = read_survey_codebook(_path(study, "survey_codebook"))
    references = survey_io.load_references(
        _path(study, "municipalities"), _path(study, "municipality_aliases")
    )
    spec = read_yaml(_path(study, "synthetic_spec"))
    started = time.perf_counter()
    export = generate_export(codebook, spec, references.units, references.aliases, n=rows)
    survey_io.write_export(export, path)
    print(json.dumps({"seconds": time.perf_counter() - started, "rows": len(export)}))


def _timed(step: str, times: dict[str, float], function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    times[step] = times.get(step, 0.0) + time.perf_counter() - started
    return result


def _tabulate(survey, questions, claims, min_cell: int) -> int:
    from ruralplan.analysis import claims as claims_check
    from ruralplan.analysis import consistency
    from ruralplan.survey import tabulate

    tables = [tabulate.frequency_table(survey, q) for q in tabulate.closed_questions(questions)]
    for table in tables:
        tabulate.public_csv_table(table, min_cell=min_cell)
    claims_check.check_claims(claims, survey, lang="en", min_cell=min_cell)
    consistency.grim_table(claims)
    return len(tables)


def _crosstab(survey, pairs, claims, *, seed: int, alpha: float) -> int:
    from ruralplan.analysis import crosstab

    prepared, results = crosstab.run_pairs(survey, pairs, seed=seed)
    tests = crosstab.results_table(results)
    crosstab.effects_table(results)
    for table in prepared:
        crosstab.row_percentages(table)
    crosstab.judge_claims(claims, tests, alpha=alpha)
    return len(tests)


def child(path: str) -> None:
    """Run the analysis of ``path`` in this process; print the figures as one JSON line."""
    from ruralplan.analysis import crosstab_io, regression
    from ruralplan.analysis.claims_io import read_claims
    from ruralplan.survey import clean
    from ruralplan.survey import io as survey_io
    from ruralplan.survey.io import read_survey_codebook

    study = _study()
    settings = study.settings
    codebook = read_survey_codebook(_path(study, "survey_codebook"))
    references = survey_io.load_references(
        _path(study, "municipalities"), _path(study, "municipality_aliases")
    )
    claims = read_claims(_path(study, "claims"))
    pairs = crosstab_io.read_pairs(_path(study, "crosstab_pairs"))
    outcome, predictors = crosstab_io.read_model(_path(study, "crosstab_pairs"))
    start_mb = _max_rss_mb()
    times: dict[str, float] = {}

    raw = _timed("clean", times, survey_io.read_export, path)
    result = _timed("clean", times, clean.clean_survey, raw, codebook, references=references)
    del raw
    survey = result.table
    questions = _timed(
        "tabulate", times, _tabulate, survey, codebook.questions, claims, settings["min_cell"]
    )
    tests = _timed(
        "crosstab",
        times,
        _crosstab,
        survey,
        pairs,
        claims,
        seed=settings["seed"],
        alpha=settings["alpha"],
    )
    logit = _timed(
        "logit", times, regression.fit_logit, survey, outcome=outcome, predictors=predictors
    )
    print(
        json.dumps(
            {
                **times,
                "start_mb": start_mb,
                "peak_mb": _max_rss_mb(),
                "rows": len(survey),
                "questions": questions,
                "tests": tests,
                "logit_n": logit.summary["n"],
                "logit_warnings": sorted(set(logit.warnings["code"])),
            }
        )
    )


def _run(*args: str) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    """Generate the export, then analyse it in a fresh process; print the figures.

    Each runs in its own process started from this small one, so the peak memory is the
    analysis' own.
    """
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "export.csv")
        generated = _run("--generate", path, str(ROWS))
        figures = _run("--child", path)
    total = sum(figures[step] for step in STEPS)
    print(f"generate_1m_rows_seconds: {generated['seconds']:.1f}")
    for step in STEPS:
        print(f"report_1m_rows_{step}_seconds: {figures[step]:.1f}")
    print(f"report_1m_rows_seconds: {total:.1f}")
    print(f"report_process_start_mb: {figures['start_mb']:.0f}")
    print(f"report_1m_rows_peak_mb: {figures['peak_mb']:.0f}")
    print(f"report_1m_rows_export_rows: {generated['rows']}")
    print(f"report_1m_rows_clean_rows: {figures['rows']}")
    print(f"report_1m_rows_tables: {figures['questions']}")
    print(f"report_1m_rows_tests: {figures['tests']}")
    print(f"report_1m_rows_logit_n: {figures['logit_n']}")
    print(f"report_1m_rows_logit_warnings: {' '.join(figures['logit_warnings']) or 'none'}")
    within = total < GOAL_SECONDS and figures["peak_mb"] < GOAL_MB
    print(f"report_1m_rows_within_goal: {'yes' if within else 'no'}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(sys.argv[2])
    elif len(sys.argv) > 3 and sys.argv[1] == "--generate":
        generate(sys.argv[2], int(sys.argv[3]))
    else:
        main()
