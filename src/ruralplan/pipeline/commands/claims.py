"""``ruralplan claims``: check the published claims against the clean survey."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``claims`` command."""
    from ruralplan.pipeline.commands.defaults import add_study_option

    parser = subparsers.add_parser(
        "claims",
        help="compare the published summary's figures with the clean survey data",
        description="Compute every registered claim from the clean survey and give a verdict.",
    )
    parser.add_argument(
        "--format",
        choices=("table", "csv"),
        default="table",
        help="a readable table (default) or CSV with columns claim_id, quote, "
        "published, reproduced, verdict, note",
    )
    add_study_option(parser)
    parser.add_argument(
        "--survey-data",
        type=Path,
        default=None,
        metavar="PATH",
        help="clean survey (default: survey.parquet in the study's processed-data folder)",
    )
    parser.add_argument(
        "--claims",
        type=Path,
        default=None,
        metavar="PATH",
        help="claims file (default: the study's claims)",
    )
    parser.add_argument(
        "--lang", choices=("lv", "en"), default="lv", help="number style (default: %(default)s)"
    )
    parser.add_argument(
        "--min-cell",
        type=int,
        default=5,
        metavar="N",
        help="show counts under N as '<N' (default: %(default)s)",
    )
    parser.add_argument(
        "--out", type=Path, metavar="PATH", help="write to this file instead of standard output"
    )
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    from ruralplan.analysis.claims import ClaimsError, check_claims
    from ruralplan.analysis.claims_io import read_claims, read_clean_survey
    from ruralplan.io import write_bytes, write_csv
    from ruralplan.pipeline.commands.defaults import study_defaults

    try:
        study_defaults(args, {"claims": "claims", "survey_data": "processed_dir"})
        if Path(args.survey_data).is_dir():  # the study's folder: its clean survey
            args.survey_data = Path(args.survey_data) / "survey.parquet"
        claims = read_claims(args.claims)
        survey = read_clean_survey(args.survey_data)
    except (FileNotFoundError, ClaimsError, ValueError) as error:
        print(f"ruralplan claims: {error}", file=sys.stderr)
        return 1
    table = check_claims(claims, survey, lang=args.lang, min_cell=args.min_cell)
    if args.format == "csv":
        if args.out:
            write_csv(table, args.out)
        else:
            table.to_csv(sys.stdout, index=False, lineterminator="\n")
        return 0
    text = _as_text(table)
    if args.out:
        write_bytes(text.encode("utf-8"), args.out)
    else:
        print(text, end="")
    return 0


def _as_text(table) -> str:
    """Lay the claims out one block per claim, which reads better than a wide table."""
    lines = []
    for row in table.itertuples(index=False):
        lines.append(f"{row.claim_id}: {row.verdict}")
        lines.append(f"  quote:      {row.quote}")
        if row.published:
            lines.append(f"  published:  {row.published}")
        if row.reproduced:
            lines.append(f"  reproduced: {row.reproduced}")
        if row.note:
            lines.append(f"  note:       {row.note}")
        lines.append("")
    return "\n".join(lines)
