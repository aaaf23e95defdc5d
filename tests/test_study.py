"""The study loader: a study folder's study.yaml resolved into inputs, settings and outputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from ruralplan.pipeline.study import (
    INPUT_KEYS,
    SETTING_DEFAULTS,
    StudyError,
    check_inputs_exist,
    default_study,
    load_study,
    make_variables,
    parse_overrides,
    project_root,
    read_study_file,
    resolve_study,
)

FOLDER = Path("studies/halls")
SOURCE = "studies/halls/study.yaml"


def minimal(**changes) -> dict:
    """A study document naming only the four required inputs."""
    document = {
        "id": "halls",
        "inputs": {
            "survey": "raw/export.csv",
            "survey_codebook": "codebooks/survey.yaml",
            "report_layout": "report/layout.yaml",
            "table_headers": "report/headers.yaml",
        },
        "unit": {"lv": {"one": "nams", "other": "nami"}, "en": {"one": "hall", "other": "halls"}},
    }
    document.update(changes)
    return document


def error_of(document: dict, overrides: dict | None = None) -> str:
    with pytest.raises(StudyError) as caught:
        resolve_study(document, FOLDER, overrides)
    return str(caught.value)


# ---- the keys the format defines -----------------------------------------------------------


def test_exactly_four_inputs_are_required():
    # docs/studies.md promises that a survey, its codebook, a report layout and table headers
    # are all a study must name; every other input switches a step or part of one off.
    required = sorted(key for key, needed in INPUT_KEYS.items() if needed)
    assert required == ["report_layout", "survey", "survey_codebook", "table_headers"]


def test_a_minimal_study_resolves_paths_against_its_folder_and_fills_default_settings():
    study = resolve_study(minimal(), FOLDER)
    assert study.id == "halls"
    assert study.path("survey") == Path("studies/halls/raw/export.csv")
    assert study.path("transcripts") is None  # optional and not named: absent, not an error
    assert study.settings == SETTING_DEFAULTS
    assert study.processed_dir == Path("data/processed/halls")
    assert study.reports_dir == Path("reports/halls")
    assert study.study_file == Path(SOURCE)


def test_asking_for_a_key_that_is_not_an_input_is_a_key_error():
    study = resolve_study(minimal(), FOLDER)
    with pytest.raises(KeyError, match="'alpha' is not an input key"):
        study.path("alpha")


def test_require_names_the_study_file_and_the_missing_key():
    study = resolve_study(minimal(), FOLDER)
    with pytest.raises(StudyError) as caught:
        study.require("gold_coding")
    assert str(caught.value) == f"{SOURCE}: this step needs `gold_coding`, which is not set"


def test_an_empty_optional_input_counts_as_not_named():
    document = minimal()
    document["inputs"] = {**document["inputs"], "claims": "", "transcripts": None}
    study = resolve_study(document, FOLDER)
    assert study.path("claims") is None and study.path("transcripts") is None


# ---- bad input: each message names the file and the key -----------------------------------


def test_unknown_top_level_key():
    message = error_of(minimal(colour="blue"))
    assert message == f"{SOURCE}: unknown top-level keys ['colour']"


def test_unknown_input_key_lists_the_known_ones():
    document = minimal()
    document["inputs"] = {**document["inputs"], "surveys": "raw/other.csv"}
    message = error_of(document)
    assert message.startswith(f"{SOURCE}: unknown key 'surveys'; known keys are [")
    assert "'survey'" in message and "'alpha'" in message


def test_unknown_setting():
    message = error_of(minimal(settings={"alpha": 0.01, "beta": 0.2}))
    assert message.startswith(f"{SOURCE}: unknown setting 'beta'")


def test_unknown_override_key():
    message = error_of(minimal(), {"survy": "x.csv"})
    assert message.startswith(f"{SOURCE}: unknown key 'survy'")


@pytest.mark.parametrize("missing", ["survey", "report_layout"])
def test_missing_required_input(missing):
    document = minimal()
    document["inputs"] = {k: v for k, v in document["inputs"].items() if k != missing}
    assert error_of(document) == f"{SOURCE}: `inputs` must name ['{missing}']"


def test_an_override_can_supply_a_required_input_the_file_leaves_out():
    document = minimal()
    del document["inputs"]["survey"]
    study = resolve_study(document, FOLDER, {"survey": "elsewhere/export.csv"})
    assert study.path("survey") == Path("elsewhere/export.csv")


@pytest.mark.parametrize("bad_id", ["Halls", "halls 2025", "-halls", "", None, 2025, "hallš"])
def test_bad_id(bad_id):
    message = error_of(minimal(id=bad_id))
    assert message.startswith(f"{SOURCE}: `id` must be lower-case letters, digits, '-' or '_'")
    assert message.endswith(f"not {bad_id!r}")


def test_missing_id():
    document = minimal()
    del document["id"]
    assert error_of(document).endswith("not None")


@pytest.mark.parametrize(
    ("section", "value"),
    [("inputs", ["raw/export.csv"]), ("settings", "alpha=0.01"), ("unit", "halls")],
)
def test_sections_must_be_mappings(section, value):
    message = error_of(minimal(**{section: value}))
    assert message == f"{SOURCE}: `{section}` must be a mapping, not {type(value).__name__}"


def test_unit_without_other_form():
    unit = {"lv": {"one": "nams"}, "en": {"one": "hall", "other": "halls"}}
    message = error_of(minimal(unit=unit))
    assert message.startswith(f"{SOURCE}: `unit.lv` must give the unit noun's plural forms")
    assert "at least `other`" in message


def test_unit_missing_for_a_report_language():
    message = error_of(minimal(unit={"en": {"one": "hall", "other": "halls"}}))
    assert message.startswith(f"{SOURCE}: `unit.lv` must give")


def test_unit_with_a_category_that_is_not_cldr():
    unit = {"lv": {"one": "nams", "plural": "nami", "other": "nami"}, "en": {"other": "halls"}}
    assert error_of(minimal(unit=unit)) == (
        f"{SOURCE}: `unit.lv` has unknown plural categories ['plural']"
    )


def test_unit_forms_as_a_list_are_rejected():
    unit = {"lv": ["nams", "nami"], "en": {"other": "halls"}}
    assert "`unit.lv` must give" in error_of(minimal(unit=unit))


def test_unit_is_only_needed_for_the_languages_reported():
    document = minimal(settings={"languages": ["en"]}, unit={"en": {"other": "halls"}})
    study = resolve_study(document, FOLDER)
    assert study.unit == {"en": {"other": "halls"}}


@pytest.mark.parametrize("languages", [[], "", [1, 2], {"lv": 1}])
def test_bad_languages(languages):
    message = error_of(minimal(settings={"languages": languages}))
    assert message == f"{SOURCE}: `languages` must be a list of language codes, e.g. [lv, en]"


def test_languages_as_a_space_separated_string_as_make_passes_them():
    study = resolve_study(minimal(), FOLDER, {"languages": "en lv"})
    assert study.settings["languages"] == ["en", "lv"]


# ---- overrides from make ----------------------------------------------------------------------


def test_overridden_paths_are_relative_to_the_project_root_not_the_study_folder():
    study = resolve_study(
        minimal(), FOLDER, {"survey": "exports/real.csv", "transcripts": "private/talks"}
    )
    assert study.path("survey") == Path("exports/real.csv")
    assert study.path("transcripts") == Path("private/talks")
    # the keys not overridden keep their folder-relative paths
    assert study.path("survey_codebook") == Path("studies/halls/codebooks/survey.yaml")


def test_overridden_settings_win_over_the_file_and_the_defaults():
    document = minimal(settings={"alpha": 0.1, "min_cell": 3})
    study = resolve_study(document, FOLDER, {"alpha": 0.01})
    assert study.settings["alpha"] == 0.01
    assert study.settings["min_cell"] == 3
    assert study.settings["seed"] == SETTING_DEFAULTS["seed"]


def test_an_empty_override_keeps_the_study_file_value():
    # make passes `SURVEY=` as an empty value; that must not unset a required input.
    study = resolve_study(minimal(), FOLDER, {"survey": ""})
    assert study.path("survey") == Path("studies/halls/raw/export.csv")


def test_parse_overrides_reads_values_as_yaml_scalars():
    parsed = parse_overrides(["alpha=0.01", "synthetic=false", "survey=a b.csv", "seed=", "x=y=z"])
    expected = {"alpha": 0.01, "synthetic": False, "survey": "a b.csv", "seed": "", "x": "y=z"}
    assert parsed == expected


@pytest.mark.parametrize("pair", ["alpha", "=0.01"])
def test_parse_overrides_rejects_pairs_without_key_and_equals(pair):
    with pytest.raises(StudyError, match="must have the form key=value"):
        parse_overrides([pair])


# ---- make variables ----------------------------------------------------------------------------


def test_make_variables_lists_every_key_with_the_command_line_first():
    document = minimal(settings={"languages": ["lv", "en"], "synthetic": True})
    lines = make_variables(resolve_study(document, FOLDER)).splitlines()
    assert lines[0].startswith(f"# Generated from {SOURCE}")
    assert "STUDY_ID := halls" in lines
    assert "STUDY_OUT := reports/halls" in lines
    assert "STUDY_PROCESSED := data/processed/halls" in lines
    keys = next(line for line in lines if line.startswith("STUDY_KEYS := ")).split()[2:]
    assert keys == [*INPUT_KEYS, *SETTING_DEFAULTS]
    assert "var_survey := SURVEY" in lines
    assert "value_survey = $(or $(SURVEY),studies/halls/raw/export.csv)" in lines
    # an optional input the study leaves out is empty, so make sees no file for it
    assert "value_claims = $(or $(CLAIMS),)" in lines
    # a list becomes words, a boolean YAML's spelling
    assert "value_languages = $(or $(LANGUAGES),lv en)" in lines
    assert "value_synthetic = $(or $(SYNTHETIC),true)" in lines
    assert "value_min_cell = $(or $(MIN_CELL),5)" in lines


# ---- reading from disk ---------------------------------------------------------------------


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.ruralplan]\ndefault-study = "studies/halls"\n', encoding="utf-8"
    )
    folder = tmp_path / FOLDER
    folder.mkdir(parents=True)
    (folder / "study.yaml").write_text(
        "id: halls\n"
        "inputs:\n"
        "  survey: raw/export.csv\n"
        "  survey_codebook: codebooks/survey.yaml\n"
        "  report_layout: report/layout.yaml\n"
        "  table_headers: report/headers.yaml\n"
        "  transcripts: raw/talks\n"
        "unit:\n"
        "  lv: {one: nams, other: nami}\n"
        "  en: {one: hall, other: halls}\n",
        encoding="utf-8",
    )
    return tmp_path


def test_load_study_by_folder_by_file_and_by_absolute_path_agree(root: Path):
    by_folder = load_study("studies/halls", root=root)
    by_file = load_study("studies/halls/study.yaml", root=root)
    by_absolute = load_study(root / "studies/halls", root=root)
    assert by_folder == by_file == by_absolute
    assert by_folder.path("transcripts") == Path("studies/halls/raw/talks")


def test_load_study_without_a_folder_uses_the_projects_default(root: Path):
    assert default_study(root) == Path("studies/halls")
    assert load_study(None, root=root).id == "halls"


def test_default_study_missing_from_pyproject(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text("[tool.ruralplan]\n", encoding="utf-8")
    with pytest.raises(StudyError, match=r"\[tool.ruralplan\] has no default-study"):
        default_study(tmp_path)


def test_read_study_file_errors_name_the_file(tmp_path: Path):
    with pytest.raises(StudyError, match=r"study.yaml: cannot read the study file"):
        read_study_file(tmp_path)
    (tmp_path / "study.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(StudyError, match=r"study.yaml: not valid YAML"):
        read_study_file(tmp_path)
    (tmp_path / "study.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(StudyError, match=r"study.yaml: expected a mapping with id"):
        read_study_file(tmp_path)


def test_check_inputs_exist_names_every_absent_input(root: Path):
    study = load_study("studies/halls", root=root)
    with pytest.raises(StudyError) as caught:
        check_inputs_exist(study, root)
    message = str(caught.value)
    assert message.startswith(f"{SOURCE}: these inputs do not exist: ")
    assert "survey (studies/halls/raw/export.csv)" in message
    assert "transcripts (studies/halls/raw/talks)" in message
    for key, path in study.inputs.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.mkdir() if key == "transcripts" else target.write_text("x", encoding="utf-8")
    check_inputs_exist(study, root)


def test_named_files_expand_folders_and_start_with_the_study_file(root: Path, monkeypatch):
    monkeypatch.chdir(root)
    study = load_study("studies/halls", root=root)
    talks = root / "studies/halls/raw/talks"
    talks.mkdir(parents=True)
    for name in ("b.txt", "a.txt"):
        (talks / name).write_text("x", encoding="utf-8")
    files = study.named_files()
    assert files[0] == Path(SOURCE)
    assert files[-2:] == [talks.relative_to(root) / "a.txt", talks.relative_to(root) / "b.txt"]


def test_project_root_is_found_from_a_nested_folder(root: Path):
    assert project_root(root / "studies/halls") == root.resolve()


def test_project_root_needs_a_ruralplan_table(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text("[tool.other]\n", encoding="utf-8")
    with pytest.raises(StudyError, match=r"no pyproject.toml with a \[tool.ruralplan\] table"):
        project_root(tmp_path)


def test_the_shipped_study_loads_and_names_only_files_that_exist(project_root: Path):
    study = load_study("data", root=project_root)
    check_inputs_exist(study, project_root)
    assert study.id == "llf-2024"
