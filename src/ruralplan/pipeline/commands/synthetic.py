"""``ruralplan synthetic``: write a study's synthetic demonstration export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``synthetic`` command."""
    parser = subparsers.add_parser(
        "synthetic",
        help="generate a study's synthetic survey export (demonstration data) from its spec",
    )
    parser.add_argument(
        "study", nargs="?", default="", help="study folder (default: the project's)"
    )
    parser.add_argument(
        "--n", type=int, default=None, help="respondents before duplicates (default: the spec's)"
    )
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: the spec's)")
    parser.add_argument(
        "--out",
        default=None,
        help="a folder or a .csv file (default: the study's survey file, and its checksum "
        "file is rewritten)",
    )
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    import pandas as pd

    from ruralplan.io import read_yaml
    from ruralplan.pipeline.study import StudyError, load_study
    from ruralplan.survey import io as survey_io
    from ruralplan.survey.codebook import CodebookError
    from ruralplan.survey.synthetic import SpecError, generate_export

    try:
        study = load_study(args.study)
        codebook = survey_io.read_survey_codebook(study.require("survey_codebook"))
        spec = read_yaml(study.require("synthetic_spec"))
        units, aliases = study.path("municipalities"), study.path("municipality_aliases")
        # A questionnaire without `lookup` questions needs no reference lists.
        municipalities = (
            survey_io.read_reference(units, columns=["name", "type"])
            if units
            else pd.DataFrame({"name": [], "type": []}, dtype=str)
        )
        alias_table = (
            survey_io.read_reference(aliases, columns=["alias", "name", "kind"])
            if aliases
            else pd.DataFrame({"alias": [], "name": [], "kind": []}, dtype=str)
        )
        table = generate_export(
            codebook, spec, municipalities, alias_table, n=args.n, seed=args.seed
        )
    except (StudyError, CodebookError, SpecError, OSError, ValueError) as error:
        print(f"ruralplan synthetic: {error}", file=sys.stderr)
        return 1
    survey = study.require("survey")
    if args.out is None:
        export = survey_io.write_export(table, survey)
        checksums = study.path("synthetic_checksums")
        if checksums:
            survey_io.write_checksums([export], checksums)
    elif Path(args.out).suffix.lower() == ".csv":
        survey_io.write_export(table, Path(args.out))
    else:
        export = survey_io.write_export(table, Path(args.out) / survey.name)
        survey_io.write_checksums([export], Path(args.out) / "SHA256SUMS")
    return 0
