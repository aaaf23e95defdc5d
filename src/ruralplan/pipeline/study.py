"""A study is a folder: its ``study.yaml`` names every input file and setting.

Everything that belongs to one study (the survey export and its codebook, reference lists,
published claims, cross-tab pairs, report layout and wording, transcripts, interview codebook,
personal-data register, gold coding, the unit noun) is named in the study file, with paths
relative to the study's folder. The package and the notebooks name none of it.

Outputs of a study go to ``data/processed/<id>/`` and ``reports/<id>/`` under the project
root, so two studies never share a file.

Any key can be replaced for one run (``make report SURVEY=path/to/export.csv``). A replaced
path is taken relative to the project root, where ``make`` runs, not to the study folder.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

STUDY_FILE = "study.yaml"
PROCESSED_ROOT = Path("data/processed")
REPORTS_ROOT = Path("reports")

# Input keys and whether a study must name them. Optional inputs switch a step off, or part of
# it, with a visible note instead of an error.
INPUT_KEYS: dict[str, bool] = {
    "survey": True,
    "survey_codebook": True,
    "municipalities": False,
    "municipality_aliases": False,
    "synthetic_checksums": False,
    "synthetic_spec": False,
    "claims": False,
    "crosstab_pairs": False,
    "variable_labels": False,
    "report_layout": True,
    "table_headers": True,
    "transcripts": False,
    "interview_codebook": False,
    "pii_register": False,
    "gold_coding": False,
    "qdpx": False,
}
# Settings and their defaults.
SETTING_DEFAULTS: dict[str, Any] = {
    "alpha": 0.05,
    "min_cell": 5,
    "seed": 2024,
    "synthetic": "auto",
    "languages": ["lv", "en"],
    "survey_sheet": "",  # the worksheet of an XLSX export (name or 0-based position); "" = first
    # Interviews whose residual list (what redaction may have missed) a person has reviewed:
    # true for all, or a list of interview ids. Unreviewed interviews with residuals give no
    # quotes.
    "redaction_reviewed": False,
}
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_PLURAL_CATEGORIES = {"zero", "one", "two", "few", "many", "other"}


class StudyError(ValueError):
    """Raised when a study file is missing, malformed or names a file that does not exist."""


@dataclass(frozen=True)
class Study:
    """One study's inputs, settings and output folders, all relative to the project root.

    Attributes
    ----------
    id
        Short name of the study; names its output folders.
    folder
        The study's folder.
    inputs
        Input key to path; optional inputs the study does not use are absent.
    settings
        ``alpha``, ``min_cell``, ``seed``, ``synthetic`` and ``languages``.
    unit
        Language to the unit noun's plural forms, keyed by CLDR plural category
        (``{"lv": {"zero": ..., "one": ..., "other": ...}, "en": {...}}``); empty when the
        study gives none, and the report then counts respondents.
    """

    id: str
    folder: Path
    inputs: dict[str, Path]
    settings: dict[str, Any]
    unit: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def processed_dir(self) -> Path:
        """Folder of the study's processed data."""
        return PROCESSED_ROOT / self.id

    @property
    def reports_dir(self) -> Path:
        """Folder of the study's reports, tables, figures and executed notebooks."""
        return REPORTS_ROOT / self.id

    @property
    def study_file(self) -> Path:
        """The study file itself."""
        return self.folder / STUDY_FILE

    def path(self, key: str) -> Path | None:
        """Return the path of input ``key``, or ``None`` when the study does not use it."""
        if key not in INPUT_KEYS:
            raise KeyError(f"{key!r} is not an input key; known keys are {sorted(INPUT_KEYS)}")
        return self.inputs.get(key)

    def require(self, key: str) -> Path:
        """Return the path of input ``key``, with a clear error when the study has none."""
        path = self.path(key)
        if path is None:
            raise StudyError(f"{self.study_file}: this step needs `{key}`, which is not set")
        return path

    def named_files(self) -> list[Path]:
        """Every existing file the study names, folders expanded, the study file first.

        The runner refuses a study whose inputs are missing (:func:`check_inputs_exist`), so
        in a pipeline run this is every input.
        """
        files = [self.study_file]
        for path in self.inputs.values():
            files += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        return [path for path in dict.fromkeys(files) if path.is_file()]


def project_root(start: str | Path | None = None) -> Path:
    """Find the project root: the nearest folder upward holding a ``pyproject.toml``.

    Parameters
    ----------
    start
        Where to begin; the current directory when omitted. JupyterLab runs a notebook in
        its own folder, so the search goes upward rather than trusting the current directory.

    Returns
    -------
    pathlib.Path
        The absolute project root.

    Raises
    ------
    StudyError
        If no folder upward holds a ``pyproject.toml`` with a ``[tool.ruralplan]`` table.
    """
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and "ruralplan" in _tool_table(candidate).get("tool", {}):
            return folder
    raise StudyError(f"{here}: no pyproject.toml with a [tool.ruralplan] table above this folder")


def _tool_table(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def default_study(root: Path) -> Path:
    """Return the study folder named by ``[tool.ruralplan] default-study`` in pyproject.toml."""
    table = _tool_table(root / "pyproject.toml").get("tool", {}).get("ruralplan", {})
    if "default-study" not in table:
        raise StudyError(f"{root / 'pyproject.toml'}: [tool.ruralplan] has no default-study")
    return Path(table["default-study"])


def parse_overrides(pairs: Sequence[str]) -> dict[str, Any]:
    """Turn ``key=value`` strings into a mapping, values read as YAML scalars.

    Examples
    --------
    >>> parse_overrides(["alpha=0.01", "survey=my export.csv"])
    {'alpha': 0.01, 'survey': 'my export.csv'}
    """
    parsed: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw_value = pair.partition("=")
        if not sep or not key:
            raise StudyError(f"override {pair!r} must have the form key=value")
        parsed[key] = yaml.safe_load(raw_value) if raw_value != "" else ""
    return parsed


def read_study_file(folder: str | Path) -> dict[str, Any]:
    """Read ``study.yaml`` from ``folder`` (or the file itself, when given)."""
    folder = Path(folder)
    path = folder if folder.suffix in {".yaml", ".yml"} else folder / STUDY_FILE
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise StudyError(f"{path}: cannot read the study file ({error.strerror})") from None
    except yaml.YAMLError as error:
        raise StudyError(f"{path}: not valid YAML ({error})") from None
    if not isinstance(loaded, dict):
        raise StudyError(f"{path}: expected a mapping with id, inputs and settings")
    return loaded


def resolve_study(
    document: Mapping[str, Any], folder: Path, overrides: Mapping[str, Any] | None = None
) -> Study:
    """Check a study document and resolve its paths against the project root.

    Parameters
    ----------
    document
        The parsed study file.
    folder
        The study's folder, relative to the project root.
    overrides
        Values replacing the file's for one run; paths relative to the project root.

    Returns
    -------
    Study
        The study; input files are not opened here.

    Raises
    ------
    StudyError
        If a key is unknown, a required input or the id is missing, or a value has the wrong
        type; the message names the study file and the key.

    Examples
    --------
    >>> doc = {"id": "demo", "inputs": {"survey": "raw/s.csv", "survey_codebook": "c.yaml",
    ...        "report_layout": "r.yaml", "table_headers": "h.yaml"}}
    >>> study = resolve_study(doc, Path("examples/demo"), {"alpha": 0.01})
    >>> str(study.path("survey")), study.settings["alpha"], str(study.reports_dir)
    ('examples/demo/raw/s.csv', 0.01, 'reports/demo')
    """
    source = folder / STUDY_FILE
    overrides = dict(overrides or {})
    unknown = sorted(set(document) - {"id", "title", "inputs", "settings", "unit"})
    if unknown:
        raise StudyError(f"{source}: unknown top-level keys {unknown}")
    study_id = document.get("id")
    if not isinstance(study_id, str) or not _ID.match(study_id):
        raise StudyError(
            f"{source}: `id` must be lower-case letters, digits, '-' or '_' (it names the "
            f"output folders), not {study_id!r}"
        )
    raw_inputs = _mapping(document.get("inputs", {}), source, "inputs")
    raw_settings = _mapping(document.get("settings", {}), source, "settings")
    for key in [*raw_inputs, *overrides]:
        if key not in INPUT_KEYS and key not in SETTING_DEFAULTS:
            known = sorted([*INPUT_KEYS, *SETTING_DEFAULTS])
            raise StudyError(f"{source}: unknown key {key!r}; known keys are {known}")
    for key in raw_settings:
        if key not in SETTING_DEFAULTS:
            raise StudyError(
                f"{source}: unknown setting {key!r}; known: {sorted(SETTING_DEFAULTS)}"
            )
    inputs = {
        key: folder / str(value)
        for key, value in raw_inputs.items()
        if key in INPUT_KEYS and value not in (None, "")
    }
    inputs |= {
        key: Path(str(value))
        for key, value in overrides.items()
        if key in INPUT_KEYS and value not in (None, "")
    }
    missing = [key for key, required in INPUT_KEYS.items() if required and key not in inputs]
    if missing:
        raise StudyError(f"{source}: `inputs` must name {missing}")
    settings = SETTING_DEFAULTS | raw_settings
    settings |= {key: value for key, value in overrides.items() if key in SETTING_DEFAULTS}
    settings["languages"] = _languages(settings["languages"], source)
    return Study(
        id=study_id,
        folder=folder,
        inputs=inputs,
        settings=settings,
        unit=_unit(document.get("unit", {}), settings["languages"], source),
    )


def _mapping(value: Any, source: Path, key: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise StudyError(f"{source}: `{key}` must be a mapping, not {type(value).__name__}")
    return value


def _languages(value: Any, source: Path) -> list[str]:
    if isinstance(value, str):
        value = value.split()
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise StudyError(f"{source}: `languages` must be a list of language codes, e.g. [lv, en]")
    return value


def _unit(value: Any, languages: Sequence[str], source: Path) -> dict[str, dict[str, str]]:
    unit = _mapping(value, source, "unit")
    if not unit:
        return {}  # the report then says "respondents"
    for lang in languages:
        forms = unit.get(lang)
        if not isinstance(forms, dict) or "other" not in forms:
            raise StudyError(
                f"{source}: `unit.{lang}` must give the unit noun's plural forms by CLDR "
                "category, at least `other` (e.g. {one: household, other: households})"
            )
        wrong = sorted(set(forms) - _PLURAL_CATEGORIES)
        if wrong:
            raise StudyError(f"{source}: `unit.{lang}` has unknown plural categories {wrong}")
    return {lang: dict(unit[lang]) for lang in languages}


def load_study(
    study: str | Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    *,
    root: str | Path | None = None,
) -> Study:
    """Read and resolve a study from its folder (relative to the project root).

    Parameters
    ----------
    study
        The study folder (or its ``study.yaml``); the project's default study when empty.
    overrides
        Values replacing the study file's, as from ``make report SURVEY=...``.
    root
        The project root; found from the current directory when omitted.

    Returns
    -------
    Study
        The resolved study.
    """
    root = Path(root) if root is not None else project_root()
    folder = Path(study) if study else default_study(root)
    if folder.name in {STUDY_FILE, "study.yml"}:
        folder = folder.parent
    if folder.is_absolute():
        folder = folder.relative_to(root) if folder.is_relative_to(root) else folder
    document = read_study_file(root / folder)
    return resolve_study(document, folder, overrides)


def check_inputs_exist(study: Study, root: Path) -> None:
    """Raise a :class:`StudyError` naming every input the study names that does not exist."""
    absent = [f"{key} ({path})" for key, path in study.inputs.items() if not (root / path).exists()]
    if absent:
        raise StudyError(f"{study.study_file}: these inputs do not exist: {', '.join(absent)}")


def open_study(study: str | Path | None = "", settings: Mapping[str, Any] | None = None) -> Study:
    """Load a study for a notebook and make the project root the working directory.

    The pipeline runs notebooks from the project root; JupyterLab runs them from their own
    folder. Changing to the root makes the study's relative paths, and every path a notebook
    prints, the same in both.

    Parameters
    ----------
    study
        The study folder, relative to the project root; the default study when empty.
    settings
        Values replacing the study file's for this run.

    Returns
    -------
    Study
        The resolved study.
    """
    root = project_root()
    os.chdir(root)
    return load_study(study, settings, root=root)


def make_variables(study: Study) -> str:
    """Write the study as ``make`` variable assignments (the Makefile includes them).

    Each input and setting becomes ``value_<key>``: the upper-case ``make`` variable when it is
    set on the command line (``SURVEY=...``), else the study's own value.

    Examples
    --------
    >>> doc = {"id": "demo", "inputs": {"survey": "s.csv", "survey_codebook": "c.yaml",
    ...        "report_layout": "r.yaml", "table_headers": "h.yaml"}}
    >>> text = make_variables(resolve_study(doc, Path("ex")))
    >>> "value_survey = $(or $(SURVEY),ex/s.csv)" in text.splitlines()
    True
    """
    values: dict[str, Any] = {key: study.inputs.get(key, "") for key in INPUT_KEYS}
    values |= {key: study.settings[key] for key in SETTING_DEFAULTS}
    lines = [
        f"# Generated from {study.study_file} by `ruralplan study-vars`; do not edit.",
        f"STUDY_ID := {study.id}",
        f"STUDY_FILE := {study.study_file}",
        f"STUDY_OUT := {study.reports_dir}",
        f"STUDY_PROCESSED := {study.processed_dir}",
        f"STUDY_KEYS := {' '.join(values)}",
    ]
    for key, value in values.items():
        text = " ".join(value) if isinstance(value, list) else _make_scalar(value)
        lines += [f"var_{key} := {key.upper()}", f"value_{key} = $(or $({key.upper()}),{text})"]
    return "\n".join(lines) + "\n"


def _make_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
