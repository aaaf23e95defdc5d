"""The example study in examples/village-halls, and that nothing of the shipped study is built in.

The package claims that a study is a folder: nothing in ``src/`` or ``notebooks/`` names a
question, answer code or interview theme of the shipped LLF study, and a second study with
other questions, codes, themes, speakers, layout and wording runs end to end. The slow tests
build reports for the example and for a ``ruralplan new-study`` folder in a copy of the
project and look for the shipped study's wording in them.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
from collections.abc import Iterator
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import yaml

from ruralplan.interviews import io as interview_files
from ruralplan.interviews import redact, reliability
from ruralplan.interviews.coder import check_examples
from ruralplan.interviews.segments import segment_transcripts
from ruralplan.io import sha256_file
from ruralplan.pipeline.cli import main
from ruralplan.pipeline.study import check_inputs_exist, load_study
from ruralplan.report.io import read_sha256sums
from ruralplan.survey import io as survey_io
from ruralplan.survey.clean import clean_survey, find_problems
from tests.pipeline_build import copy_project, make_report

PROJECT = Path(__file__).resolve().parents[1]
EXAMPLE = Path("examples/village-halls")
EXAMPLE_ID = "village-halls"
SHIPPED = Path("data")

# Identifiers of the shipped study that are also ordinary words of code, so finding them says
# nothing about the study: "other" is a CLDR plural category and the usual name of an "other"
# answer; "current" is a common variable name (the current item of a loop). Codes of three
# characters or fewer ("ja", "ne", "vrg", "why", "how", "cits") are left out for the same
# reason: as words they occur everywhere ("ne" is also the Latvian negation cue).
COMMON_WORDS = frozenset({"other", "current"})
SHORTEST_CHECKED = 4


# ---- what the shipped study calls things ----------------------------------------------------


@cache
def llf_identifiers() -> frozenset[str]:
    """Question ids, option codes and interview theme ids of the shipped study (filtered).

    Read from its codebooks, so a code added there is checked too. Short codes and
    :data:`COMMON_WORDS` are left out (see the comment there).
    """
    survey = yaml.safe_load((PROJECT / "data/codebooks/survey.yaml").read_text(encoding="utf-8"))
    themes = yaml.safe_load(
        (PROJECT / "data/codebooks/interviews.yaml").read_text(encoding="utf-8")
    )
    found = set()
    for question in survey["questions"]:
        found.add(question["id"])
        found.update(option["code"] for option in question.get("options") or [])
    found.update(code["id"] for code in themes["codes"])
    return frozenset(
        name for name in found if len(name) >= SHORTEST_CHECKED and name not in COMMON_WORDS
    )


def test_the_shipped_identifiers_are_read_from_its_codebooks():
    # spot checks, one of each kind, so that an empty or misread set cannot pass the scans below
    names = llf_identifiers()
    assert {"strategy_status", "needed_no_resources", "swot.threat.unstable_funding"} <= names
    assert "other" not in names and "vrg" not in names
    assert len(names) > 60


# ---- the scan: whole quoted strings and identifiers, never prose ------------------------------


# Where a node of each kind keeps the identifier it introduces or uses.
_NAME_FIELDS = {
    ast.Name: ("id",),
    ast.Attribute: ("attr",),
    ast.arg: ("arg",),
    ast.keyword: ("arg",),
    ast.FunctionDef: ("name",),
    ast.AsyncFunctionDef: ("name",),
    ast.ClassDef: ("name",),
    ast.alias: ("name", "asname"),
}


def python_names(source: str) -> Iterator[str]:
    """Yield every string constant and identifier of Python ``source`` (whole strings only).

    A docstring or a sentence is one constant, so a word inside prose never matches; an
    f-string gives its literal pieces.
    """
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value
        for field in _NAME_FIELDS.get(type(node), ()):
            value = getattr(node, field)
            if value:
                yield value


def notebook_code(path: Path) -> str:
    """The code cells of a notebook, joined."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


def yaml_strings(path: Path) -> set[str]:
    """Every string key and value of a YAML document."""

    def walk(value) -> Iterator[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from walk(key)
                yield from walk(item)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item)

    return set(walk(yaml.safe_load(path.read_text(encoding="utf-8"))))


def test_the_scan_finds_quoted_strings_and_names_but_not_prose():
    source = (
        'def f(strategy_status):\n    """Says strategy_status in prose."""\n'
        '    x = {"focus.heritage": 1}\n    return f"{x} motivation: none"\n'
    )
    assert {"strategy_status", "focus.heritage", "f", "x"} <= set(python_names(source))
    assert "motivation" not in set(python_names(source))


def scan_for_shipped_names(paths: list[Path], read) -> dict[str, list[str]]:
    shipped = llf_identifiers()
    hits: dict[str, list[str]] = {}
    for path in paths:
        for name in sorted(set(python_names(read(path))) & shipped):
            hits.setdefault(str(path.relative_to(PROJECT)), []).append(name)
    return hits


def test_the_package_names_no_question_code_or_theme_of_the_shipped_study():
    files = sorted((PROJECT / "src").rglob("*.py"))
    assert len(files) > 20
    assert scan_for_shipped_names(files, lambda p: p.read_text(encoding="utf-8")) == {}


def test_the_notebooks_name_no_question_code_or_theme_of_the_shipped_study():
    files = sorted((PROJECT / "notebooks").glob("*.ipynb"))
    assert len(files) >= 5
    assert scan_for_shipped_names(files, notebook_code) == {}


# ---- the example study itself -----------------------------------------------------------------


@pytest.fixture(scope="module")
def study():
    return load_study(EXAMPLE, root=PROJECT)


def test_the_example_loads_and_every_input_it_names_exists(study):
    assert study.id == EXAMPLE_ID
    check_inputs_exist(study, PROJECT)
    assert study.path("claims") is None and study.path("municipalities") is None
    assert study.unit["en"] == {"one": "village hall", "other": "village halls"}


def test_the_example_shares_no_identifier_with_the_shipped_study(study):
    shipped = llf_identifiers()
    for path in study.named_files():
        if path.suffix == ".yaml":
            found = yaml_strings(PROJECT / path) & shipped
            assert not found, f"{path}: {sorted(found)}"


def test_the_example_has_its_own_id_speakers_and_codes(study):
    shipped = load_study(SHIPPED, root=PROJECT)
    assert study.id != shipped.id
    ours = interview_files.read_interview_codebook(PROJECT / study.require("interview_codebook"))
    theirs = interview_files.read_interview_codebook(
        PROJECT / shipped.require("interview_codebook")
    )
    assert not set(ours.speakers) & set(theirs.speakers)
    assert not {c.id for c in ours.codes} & {c.id for c in theirs.codes}
    assert 4 <= len(ours.leaves) <= 6


def test_the_synthetic_command_reproduces_the_committed_export_and_checksum(
    study, tmp_path, monkeypatch
):
    # the export is what `ruralplan synthetic <study>` draws from the study's codebook and spec
    monkeypatch.chdir(PROJECT)
    assert main(["synthetic", str(EXAMPLE), "--out", str(tmp_path)]) == 0
    export = PROJECT / study.require("survey")
    assert (tmp_path / export.name).read_bytes() == export.read_bytes()
    recorded = read_sha256sums(PROJECT / study.require("synthetic_checksums"))
    assert recorded == {export.name: sha256_file(export)}


def test_the_example_export_is_usable_and_matches_its_generator_settings(study):
    codebook = survey_io.read_survey_codebook(PROJECT / study.require("survey_codebook"))
    raw = survey_io.read_export(PROJECT / study.require("survey"))
    assert [p for p in find_problems(raw, codebook) if p.severity == "error"] == []
    spec = yaml.safe_load((PROJECT / study.require("synthetic_spec")).read_text(encoding="utf-8"))
    # n halls, plus the duplicates the spec plants; cleaning removes exactly those
    assert len(raw) == spec["n"] + spec["duplicates"]["count"]
    clean = clean_survey(raw, codebook).table
    assert len(clean) == spec["n"]
    # the anchor's counts are fixed exactly by the generator
    counts = clean["upkeep_plan"].value_counts().to_dict()
    assert counts == spec["anchor"]["weights"]
    # the follow-up question is asked only of halls with a written plan
    assert clean["plan_horizon"].notna().sum() == spec["anchor"]["weights"]["written_plan"]
    types = {q.type for q in codebook.questions}
    assert {"timestamp", "text", "single", "multiple", "year", "count"} <= types


def test_the_example_interviews_redact_code_and_match_their_gold_coding(study):
    codebook = interview_files.read_interview_codebook(
        PROJECT / study.require("interview_codebook")
    )
    assert check_examples(codebook).empty
    config = redact.parse_redaction_config(codebook.redaction)
    register_path = PROJECT / study.require("pii_register")
    register = redact.check_register(interview_files.read_register(register_path), config)
    texts, _ = redact.redact_transcripts(
        interview_files.read_transcripts(PROJECT / study.require("transcripts")), register, config
    )
    assert len(texts) == 6
    table = pd.read_csv(register_path, dtype=str, keep_default_na=False)
    for interview_id, forms in zip(table["interview_id"], table["surface_forms"], strict=True):
        for form in forms.split("|"):
            assert form not in texts[interview_id], (interview_id, form)
    segments = segment_transcripts(texts, speakers=codebook.speakers)
    gold = reliability.check_gold(
        interview_files.read_gold(PROJECT / study.require("gold_coding")),
        segments,
        [code.id for code in codebook.leaves],
    )
    assert sorted(gold["interview_id"].unique()) == ["hall01", "hall02", "hall03", "hall04"]


# ---- slow: whole reports, looked at for the shipped study's wording --------------------------


class _Text(HTMLParser):
    """Collect the visible text of an HTML page (no scripts, styles or attributes)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


DISTINCTIVE = ("Latvijas Lauku forums", "LLF", "Viedā ciema", "Viedais ciems", "Smart Village")


@cache
def shipped_wording() -> tuple[str, ...]:
    """Title, banner and section titles of the shipped report, and distinctive names."""
    layout = yaml.safe_load((PROJECT / "data/report/exhibits.yaml").read_text(encoding="utf-8"))
    texts = [layout["text"][f"title_{lang}"] for lang in ("lv", "en")]
    texts += [layout["banner"][lang] for lang in ("lv", "en")]
    texts += [section[lang] for section in layout["sections"] for lang in ("lv", "en")]
    return (*texts, *DISTINCTIVE)


@cache
def llf_column_names() -> frozenset[str]:
    """Clean columns the shipped codebook derives (ages, bands, flags, looked-up codes)."""
    survey = yaml.safe_load((PROJECT / "data/codebooks/survey.yaml").read_text(encoding="utf-8"))
    names = set()
    for question in survey["questions"]:
        derived = question.get("derived") or {}
        names.update(
            value["column"] if isinstance(value, dict) else value for value in derived.values()
        )
        names.update((question.get("lookup") or {}).values())
    return frozenset(names)


def check_reports(copy: Path, study_folder: str) -> None:
    study = load_study(study_folder, root=copy)
    folder = copy / study.reports_dir
    for name in ("report.lv.html", "report.en.html", "report-audit.html"):
        assert (folder / name).is_file(), f"{folder / name} was not written"
    wording = shipped_wording()
    for lang in ("lv", "en"):
        text = visible_text((folder / f"report.{lang}.html").read_text(encoding="utf-8"))
        found = [phrase for phrase in wording if phrase in text]
        assert found == [], f"report.{lang}.html of {study.id} shows {found}"
    # no output of this study is named after a question, code, theme or derived column of
    # the shipped study (tables/strategy_status.csv, figures/focus.en.svg, ...swot...); make's
    # own bookkeeping (.params/, one stamp per study-file key) is not an output
    shipped = llf_identifiers() | llf_column_names()
    outputs = [p for p in folder.rglob("*") if not p.relative_to(folder).parts[0].startswith(".")]
    named = sorted(p.name for p in outputs if any(n in p.name for n in shipped))
    assert named == [], f"{study.id} holds outputs of the shipped study: {named}"
    # and nothing was written for the shipped study: the copy never built it
    default = load_study(SHIPPED, root=copy)
    assert not (copy / default.reports_dir).exists()
    assert not (copy / default.processed_dir).exists()


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory):
    if not (PROJECT / ".venv" / ".ruralplan-installed").exists():
        pytest.skip("the project environment is not installed; run `make env`")
    return copy_project(PROJECT, tmp_path_factory.mktemp("studies") / "project", extra=["examples"])


@pytest.mark.slow
@pytest.mark.xdist_group("example-study-build")
def test_the_example_study_builds_its_own_reports(project_copy):
    make_report(project_copy, study=str(EXAMPLE))
    check_reports(project_copy, str(EXAMPLE))


@pytest.mark.slow
@pytest.mark.xdist_group("new-study-build")
def test_a_new_study_builds_its_own_reports(project_copy):
    result = subprocess.run(
        [str(PROJECT / ".venv/bin/ruralplan"), "new-study", "studies/choir", "--id", "choir"],
        cwd=project_copy,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    make_report(project_copy, study="studies/choir")
    check_reports(project_copy, "studies/choir")
