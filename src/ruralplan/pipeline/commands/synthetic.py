"""``ruralplan synthetic``: write the synthetic demonstration export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXPORT_NAME = "survey_export.csv"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``synthetic`` command."""
    parser = subparsers.add_parser(
        "synthetic", help="generate a synthetic survey export (demonstration data)"
    )
    parser.add_argument(
        "--n",
        type=int,
        default=None,
        help="organisations before duplicates (default: from the spec, 145)",
    )
    parser.add_argument(
        "--seed", type=int, default=None, help="random seed (default: from the spec, 2024)"
    )
    parser.add_argument(
        "--out",
        default="data/raw",
        help=f"folder (writes {EXPORT_NAME} and SHA256SUMS) or a .csv file",
    )
    parser.add_argument("--spec", default="data/raw/synthetic.yaml", help="generator settings")
    parser.add_argument("--codebook", default="data/codebooks/survey.yaml")
    parser.add_argument("--municipalities", default="data/reference/municipalities.csv")
    parser.add_argument("--aliases", default="data/reference/municipality_aliases.csv")
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    from ruralplan.io import read_yaml
    from ruralplan.survey import io as survey_io
    from ruralplan.survey.codebook import CodebookError
    from ruralplan.survey.io import read_survey_codebook
    from ruralplan.survey.synthetic import SpecError, generate_export

    try:
        codebook = read_survey_codebook(args.codebook)
        spec = read_yaml(args.spec)
        municipalities = survey_io.read_reference(args.municipalities, columns=["name", "type"])
        aliases = survey_io.read_reference(args.aliases, columns=["alias", "name", "kind"])
        table = generate_export(codebook, spec, municipalities, aliases, n=args.n, seed=args.seed)
    except (CodebookError, SpecError, survey_io.ExportReadError, OSError, ValueError) as error:
        print(f"ruralplan synthetic: {error}", file=sys.stderr)
        return 1
    out = Path(args.out)
    if out.suffix.lower() == ".csv":
        survey_io.write_export(table, out)
    else:
        export = survey_io.write_export(table, out / EXPORT_NAME)
        survey_io.write_checksums([export], out / "SHA256SUMS")
    return 0
