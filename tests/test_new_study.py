"""`ruralplan new-study DIR`: a new study folder from the package's template."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from ruralplan.interviews import io as interview_files
from ruralplan.interviews import redact, reliability
from ruralplan.interviews.coder import check_examples
from ruralplan.interviews.segments import segment_transcripts
from ruralplan.pipeline.cli import main
from ruralplan.pipeline.commands.new_study import study_id_from_name
from ruralplan.pipeline.study import check_inputs_exist, load_study
from ruralplan.survey import io as survey_io
from ruralplan.survey.clean import clean_survey, find_problems
from tests.test_examples import llf_identifiers, yaml_strings

TEMPLATE = Path(__file__).resolve().parents[1] / "src/ruralplan/pipeline/new_study_template"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """An empty project root: a pyproject.toml with a [tool.ruralplan] table."""
    (tmp_path / "pyproject.toml").write_text("[tool.ruralplan]\n", encoding="utf-8")
    return tmp_path


def new_study(*args: str) -> int:
    return main(["new-study", *args])


def files_under(folder: Path) -> list[str]:
    """Every file below ``folder``, as sorted POSIX paths relative to it."""
    return sorted(
        Path(base, name).relative_to(folder).as_posix()
        for base, _, names in os.walk(folder)
        for name in names
        if "__pycache__" not in base
    )


def test_writes_a_study_the_loader_accepts_with_every_input_present(root, monkeypatch, capsys):
    monkeypatch.chdir(root)
    assert new_study("studies/My Groups 2025") == 0
    study = load_study("studies/My Groups 2025", root=root)
    # the id comes from the folder name: lower case, '-' for the spaces
    assert study.id == "my-groups-2025"
    check_inputs_exist(study, root)
    for key in ("transcripts", "interview_codebook", "pii_register", "gold_coding"):
        assert study.path(key) is not None, key  # notebook 03 requires each of them
    assert study.reports_dir == Path("reports/my-groups-2025")
    out = capsys.readouterr().out
    assert "make report STUDY=studies/My Groups 2025" in out


def test_every_template_file_is_copied_byte_for_byte_except_the_study_id(tmp_path):
    target = tmp_path / "groups"
    assert new_study(str(target), "--id", "choir_2025") == 0
    assert files_under(target) == files_under(TEMPLATE)
    for name in files_under(TEMPLATE):
        if name != "study.yaml":
            assert (target / name).read_bytes() == (TEMPLATE / name).read_bytes(), name
    document = yaml.safe_load((target / "study.yaml").read_text(encoding="utf-8"))
    assert document["id"] == "choir_2025"
    assert "{{" not in (target / "study.yaml").read_text(encoding="utf-8")


def test_writes_into_an_existing_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    assert new_study(str(tmp_path / "empty")) == 0
    assert (tmp_path / "empty" / "study.yaml").is_file()


def test_refuses_a_folder_that_holds_anything_and_leaves_it_alone(tmp_path, capsys):
    target = tmp_path / "mine"
    target.mkdir()
    (target / ".notes").write_text("keep me", encoding="utf-8")
    assert new_study(str(target)) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"ruralplan new-study: {target}: the folder is not empty")
    assert files_under(target) == [".notes"]
    assert (target / ".notes").read_text(encoding="utf-8") == "keep me"


def test_refuses_a_path_that_is_a_file(tmp_path, capsys):
    target = tmp_path / "study.txt"
    target.write_text("x", encoding="utf-8")
    assert new_study(str(target)) == 2
    assert "exists and is not a folder" in capsys.readouterr().err


@pytest.mark.parametrize("bad_id", ["Choir", "choir 2025", "-choir"])
def test_a_bad_id_is_refused_naming_study_yaml_and_nothing_is_written(tmp_path, capsys, bad_id):
    target = tmp_path / "choir"
    assert new_study(str(target), f"--id={bad_id}") == 2
    error = capsys.readouterr().err
    assert f"{target}/study.yaml: `id` must be lower-case letters" in error
    assert "give another with --id" in error
    assert not target.exists()


def test_a_folder_name_with_nothing_usable_needs_an_id(tmp_path, capsys):
    assert new_study(str(tmp_path / "!!!")) == 2
    assert "give one with --id" in capsys.readouterr().err
    assert new_study(str(tmp_path / "!!!"), "--id", "ok") == 0


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("village-halls", "village-halls"),
        ("Ciemu Bibliotēkas", "ciemu-bibliotekas"),
        ("  Fire_Brigades 2025 ", "fire_brigades-2025"),
        ("__x__", "x"),
        ("ūķš", "uks"),
        ("!!!", ""),
    ],
)
def test_study_id_from_name(name, expected):
    assert study_id_from_name(name) == expected


# ---- the template's content runs: checked here without the notebooks -----------------------


def test_the_template_export_is_usable_and_has_about_thirty_rows():
    codebook = survey_io.read_survey_codebook(TEMPLATE / "codebooks/survey.yaml")
    raw = survey_io.read_export(TEMPLATE / "raw/survey_export.csv")
    problems = find_problems(raw, codebook)
    assert [p for p in problems if p.severity == "error"] == []
    assert len(codebook.questions) == 4  # the time sent and three questions
    assert len(clean_survey(raw, codebook).table) == 30


def test_the_template_synthetic_checksum_matches_its_export():
    # the "example data" notes rest on this: auto compares the export with SHA256SUMS
    from ruralplan.io import sha256_file
    from ruralplan.report.io import read_sha256sums

    recorded = read_sha256sums(TEMPLATE / "raw/SHA256SUMS")
    assert recorded == {"survey_export.csv": sha256_file(TEMPLATE / "raw/survey_export.csv")}


def test_the_template_interviews_redact_segment_and_match_their_gold_coding():
    codebook = interview_files.read_interview_codebook(TEMPLATE / "codebooks/interviews.yaml")
    assert [code.id for code in codebook.leaves] == ["rooms", "newcomers"]
    assert check_examples(codebook).empty
    config = redact.parse_redaction_config(codebook.redaction)
    register_path = TEMPLATE / "raw/interviews/pii_register.csv"
    register = redact.check_register(interview_files.read_register(register_path), config)
    texts, _ = redact.redact_transcripts(
        interview_files.read_transcripts(TEMPLATE / "raw/interviews"), register, config
    )
    assert sorted(texts) == ["interview1", "interview2"]
    for surface in _surface_forms(register_path):
        assert not any(surface in text for text in texts.values()), surface
    segments = segment_transcripts(texts, speakers=codebook.speakers)
    gold = reliability.check_gold(
        interview_files.read_gold(TEMPLATE / "raw/interviews/gold_coding.csv"),
        segments,
        [code.id for code in codebook.leaves],
    )
    assert len(gold) == 4


def _surface_forms(register: Path) -> list[str]:
    import pandas as pd

    table = pd.read_csv(register, dtype=str, keep_default_na=False)
    return [form for forms in table["surface_forms"] for form in forms.split("|")]


def test_the_template_names_nothing_of_the_shipped_study():
    shipped = llf_identifiers()
    for name in files_under(TEMPLATE):
        if name.endswith(".yaml"):
            found = yaml_strings(TEMPLATE / name) & shipped
            assert not found, f"{name}: {sorted(found)}"
