"""Provenance: synthetic decision, input hashes, parameters, versions, missing inputs."""

from __future__ import annotations

import hashlib

import pytest

from ruralplan.pipeline import provenance
from ruralplan.pipeline.study import load_study
from ruralplan.report import io as report_io


def test_forced_settings_win_and_auto_compares_checksums():
    recorded = {"survey_export.csv": "ab" * 32}
    kwargs = {"survey_name": "survey_export.csv", "recorded": recorded}
    assert provenance.is_synthetic("auto", survey_digest="ab" * 32, **kwargs) is True
    assert provenance.is_synthetic("auto", survey_digest="cd" * 32, **kwargs) is False
    assert provenance.is_synthetic(True, survey_digest="cd" * 32, **kwargs) is True
    assert provenance.is_synthetic(False, survey_digest="ab" * 32, **kwargs) is False


def test_unknown_synthetic_setting_is_refused():
    with pytest.raises(ValueError, match="must be auto, true or false, but 'maybe'"):
        provenance.is_synthetic("maybe", survey_name="s", survey_digest="", recorded={})


def test_sha256_matches_the_published_test_vector(tmp_path):
    # FIPS 180-2, appendix B.1: SHA-256("abc").
    path = tmp_path / "abc.txt"
    path.write_bytes(b"abc")
    assert report_io.sha256_file(path) == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


def test_input_hashes_cover_the_files_the_study_names_and_nothing_else(tmp_path, monkeypatch):
    (tmp_path / "study/raw").mkdir(parents=True)
    (tmp_path / "study/raw/b.txt").write_text("b")
    (tmp_path / "study/raw/a.txt").write_text("a")
    (tmp_path / "study/codebook.yaml").write_text("c")
    (tmp_path / "study/unrelated.csv").write_text("u")
    (tmp_path / "study/study.yaml").write_text(
        "id: demo\ninputs: {survey: raw/a.txt, survey_codebook: codebook.yaml, "
        "report_layout: codebook.yaml, table_headers: codebook.yaml, transcripts: raw}\n"
    )
    monkeypatch.chdir(tmp_path)
    study = load_study("study", root=tmp_path)
    hashes = report_io.hash_files(study.named_files())
    assert list(hashes) == [
        "study/codebook.yaml",
        "study/raw/a.txt",
        "study/raw/b.txt",
        "study/study.yaml",
    ]
    assert hashes["study/raw/a.txt"] == hashlib.sha256(b"a").hexdigest()


def test_sha256sums_file_is_parsed_and_checked(tmp_path):
    good = tmp_path / "SHA256SUMS"
    good.write_text(f"{'a' * 64}  survey_export.csv\n{'b' * 64} *int01.txt\n")
    assert report_io.read_sha256sums(good) == {"survey_export.csv": "a" * 64, "int01.txt": "b" * 64}
    assert report_io.read_sha256sums(tmp_path / "absent") == {}
    bad = tmp_path / "BAD"
    bad.write_text("1234 survey.csv\n")
    with pytest.raises(ValueError, match="BAD, line 1: expected '<sha256> <file>'"):
        report_io.read_sha256sums(bad)


def test_parameters_and_versions_tables():
    table = provenance.parameters_table({"b.ipynb": {"z": 1, "a": "x"}, "a.ipynb": {}})
    assert table.values.tolist() == [["b.ipynb", "a", "x"], ["b.ipynb", "z", "1"]]
    versions = provenance.package_versions(["pandas", "surely-not-installed-package"])
    assert versions.loc[versions["package"] == "pandas", "version"].item().startswith(("2", "3"))
    assert "not installed" in versions["version"].tolist()


def test_git_state_outside_a_checkout(tmp_path):
    assert report_io.git_state(tmp_path) == {"commit": None, "dirty": None}


def test_missing_report_input_names_file_and_producer(tmp_path):
    with pytest.raises(
        report_io.ReportInputMissing, match=r"claims.csv: the report needs this file.*02_tabulate"
    ):
        report_io.load_exhibit(
            {
                "file": "claims.csv",
                "required": True,
                "made_by": "notebooks/02_tabulate_survey.ipynb",
            },
            tmp_path,
        )
    assert report_io.load_exhibit({"file": "claims.csv", "required": False}, tmp_path) is None
