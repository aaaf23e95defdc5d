"""``ruralplan qda import``: read the codings of a REFI-QDA project back onto a study."""

from __future__ import annotations

import argparse
import sys

CODINGS_FILE = "qda_codings.csv"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``qda`` command and its ``import`` action."""
    parser = subparsers.add_parser(
        "qda",
        help="exchange interview codings with QDA tools (REFI-QDA .qdpx projects)",
        description="Exchange interview codings with NVivo, ATLAS.ti, MAXQDA or QualCoder.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    reader = actions.add_parser(
        "import",
        help="write the codings of a .qdpx project as DIR/qda_codings.csv",
        description=(
            "Place every text coding of a REFI-QDA project on the study's redacted transcripts "
            "and write DIR/qda_codings.csv (interview_id, start, end, code, coder, text). The "
            "project must hold the redacted transcripts that `make report` exports "
            "(reports/<study id>/interviews.qdpx), coded in any QDA tool."
        ),
    )
    reader.add_argument("project", metavar="FILE.qdpx", help="the coded project")
    reader.add_argument("--out", required=True, metavar="DIR", help="folder for the CSV file")
    reader.add_argument(
        "--study", default="", help="study folder holding study.yaml (default: the project's)"
    )
    reader.add_argument(
        "--transcripts",
        default=None,
        metavar="DIR",
        help="redacted transcripts (default: data/processed/<study id>/interviews_redacted)",
    )
    reader.add_argument(
        "--codebook", default=None, help="interview codebook (default: the study's)"
    )
    reader.set_defaults(handler=_import)


def _import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ruralplan.interviews import io as files
    from ruralplan.interviews.codebook import CodebookError
    from ruralplan.interviews.refiqda_import import QdpxError, import_qdpx
    from ruralplan.io import write_csv
    from ruralplan.pipeline.study import StudyError, load_study, project_root

    try:
        if args.transcripts and args.codebook:
            folder, codebook_path = Path(args.transcripts), Path(args.codebook)
        else:  # the study's paths are relative to the project root
            root = project_root()
            study = load_study(args.study, root=root)
            folder = Path(args.transcripts or root / study.processed_dir / "interviews_redacted")
            codebook_path = Path(args.codebook or root / study.require("interview_codebook"))
        if not folder.is_dir():
            raise files.InterviewFileError(
                f"{folder}: no redacted transcripts; run `make report` (notebook 03) for the "
                "study first, or name them with --transcripts"
            )
        codebook = files.read_interview_codebook(codebook_path)
        codings = import_qdpx(
            files.read_bytes(args.project),
            files.read_transcripts(folder),
            codebook,
            source=args.project,
        )
    except (QdpxError, files.InterviewFileError, CodebookError, StudyError) as error:
        print(f"ruralplan qda import: {error}", file=sys.stderr)
        return 1
    path = write_csv(codings, Path(args.out) / CODINGS_FILE)
    coders = codings.groupby("coder").size()
    who = ", ".join(f"{name} ({count})" for name, count in coders.items()) or "nobody"
    print(
        f"{len(codings)} codings on {codings['interview_id'].nunique()} interviews by {who}; "
        f"written to {path}"
    )
    return 0
