"""The synthetic generator: committed export reproducible, calibration exact, relations hold."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from ruralplan.pipeline.cli import main
from ruralplan.survey.synthetic import SpecError, allocate_counts, generate_export


def test_committed_export_is_the_generator_output_for_the_default_seed(
    project_root, monkeypatch, tmp_path
):
    monkeypatch.chdir(project_root)
    assert main(["synthetic", "--out", str(tmp_path)]) == 0
    fresh = (tmp_path / "survey_export.csv").read_bytes()
    assert fresh == (project_root / "data/raw/survey_export.csv").read_bytes()
    digest = hashlib.sha256(fresh).hexdigest()
    sums = (project_root / "data/raw/SHA256SUMS").read_text(encoding="utf-8")
    assert sums == f"{digest}  survey_export.csv\n"


def test_raw_strategy_counts_reproduce_the_printed_shares(project_root):
    # Published: 28,8 % / 22 % / 21,2 % / 28 % (n-145); 42/32/31/41 of 146 print like that.
    raw = pd.read_csv(project_root / "data/raw/survey_export.csv", dtype=str, keep_default_na=False)
    column = (
        "Vai Jūsu organizācijai / kopienai ir izstrādāta darbības stratēģija, attīstības "
        "plāns, vīzija?"
    )
    first_word = raw[column].str.strip().str.lower().str[:2]
    assert len(raw) == 146
    shares = (raw[column].str.contains("novecojusi").sum(), first_word.isin(["ja", "jā"]).sum())
    assert shares == (32, 74)
    printed = [
        round(100 * 42 / 146, 1),
        round(100 * 32 / 146),
        round(100 * 31 / 146, 1),
        round(100 * 41 / 146),
    ]
    assert printed == [28.8, 22, 21.2, 28]


@pytest.mark.parametrize(
    ("n", "expected"), [(145, [42, 32, 31, 40]), (1, [1, 0, 0, 0]), (290, [84, 64, 62, 80])]
)
def test_allocate_counts(n, expected):
    counts = allocate_counts({"a": 42, "b": 32, "c": 31, "d": 40}, n)
    assert list(counts.values()) == expected


def test_bad_spec_names_the_problem(project_root):
    from ruralplan.io import read_yaml
    from ruralplan.survey.io import read_survey_codebook

    codebook = read_survey_codebook(project_root / "data/codebooks/survey.yaml")
    spec = read_yaml(project_root / "data/raw/synthetic.yaml")
    spec["questions"]["org_type"]["with_strategy"]["club"] = 0.1
    with pytest.raises(SpecError, match=r"org_type.with_strategy: unknown codes \['club'\]"):
        generate_export(codebook, spec, pd.DataFrame(), pd.DataFrame())


def test_other_seed_other_rows_same_counts(project_root, monkeypatch, tmp_path):
    monkeypatch.chdir(project_root)
    assert main(["synthetic", "--seed", "7", "--n", "300", "--out", str(tmp_path / "x.csv")]) == 0
    table = pd.read_csv(tmp_path / "x.csv", dtype=str)
    assert len(table) == 301
