"""The stand-alone commands take every file left unnamed from a study's study.yaml."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ruralplan.pipeline.cli import main


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    """A project whose default study is a fresh `new-study` study (not the shipped one)."""
    (tmp_path / "pyproject.toml").write_text(
        '[tool.ruralplan]\ndefault-study = "studies/choir"\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["new-study", "studies/choir", "--id", "choir"]) == 0
    return tmp_path


def test_validate_and_clean_use_the_default_studys_files(project, capsys):
    export = "studies/choir/raw/survey_export.csv"
    assert main(["validate", export]) == 0
    assert main(["clean"]) == 0  # the study's export, into its processed-data folder
    said = capsys.readouterr().out
    assert "studies/choir/raw/survey_export.csv:" in said and "data/processed/choir" in said
    survey = pd.read_parquet(project / "data/processed/choir/survey.parquet")
    assert len(survey) > 0


def test_claims_reads_the_studys_clean_survey(project, capsys):
    assert main(["clean"]) == 0
    claims = project / "claims.yaml"
    claims.write_text(
        "claims:\n"
        "  - id: everyone\n"
        "    kind: count\n"
        '    quote_lv: "Piedalījās 1 grupa."\n'
        '    statement_en: "One group took part."\n'
        "    printed: '1'\n",
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(["claims", "--claims", str(claims), "--format", "csv"]) == 0
    table = capsys.readouterr().out
    assert table.startswith("claim_id,quote,published,reproduced,verdict,note")
    assert "everyone" in table


def test_a_file_the_study_does_not_name_is_a_clear_error(project, capsys):
    assert main(["claims"]) == 1  # the template study has no published claims
    error = capsys.readouterr().err
    assert "studies/choir/study.yaml" in error and "`claims`" in error


def test_another_study_is_chosen_with_study(project, capsys):
    assert main(["validate", "studies/choir/raw/survey_export.csv", "--study", "nowhere"]) == 1
    said = capsys.readouterr()
    assert "nowhere" in said.out + said.err


def test_no_command_defaults_to_a_file_of_the_shipped_study():
    commands = Path(__file__).resolve().parents[1] / "src/ruralplan/pipeline/commands"
    found = [
        f"{path.name}: {line.strip()}"
        for path in sorted(commands.glob("*.py"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if "default=" in line and ('"data/' in line or "Path(\"data/" in line)
    ]
    assert found == []
