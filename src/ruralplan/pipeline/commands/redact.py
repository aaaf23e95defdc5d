"""``ruralplan redact``: pseudonymise a folder of interview transcripts."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``redact`` command."""
    from ruralplan.pipeline.commands.defaults import add_study_option

    parser = subparsers.add_parser(
        "redact",
        help="replace personal data in interview transcripts by placeholders",
        description=(
            "Write redacted copies of the transcripts, redaction_log.csv (counts only) and "
            "redaction_residuals.csv (what may still be personal data, for a person to review)."
        ),
    )
    parser.add_argument("--transcripts", required=True, help="folder of raw .txt transcripts")
    parser.add_argument("--out", required=True, help="folder for the redacted transcripts")
    parser.add_argument(
        "--register",
        default=None,
        help="personal-data register CSV (default: TRANSCRIPTS/pii_register.csv)",
    )
    add_study_option(parser)
    parser.add_argument(
        "--codebook",
        default=None,
        help="codebook whose `redaction` section holds the settings "
        "(default: the study's interview_codebook)",
    )
    parser.add_argument(
        "--log", default=None, help="where to write the log (default: OUT/../redaction_log.csv)"
    )
    parser.add_argument(
        "--residuals",
        default=None,
        help="where to list what may still be personal data "
        "(default: OUT/../redaction_residuals.csv)",
    )
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ruralplan.interviews import io as files
    from ruralplan.interviews import redact
    from ruralplan.interviews.codebook import CodebookError
    from ruralplan.io import write_csv
    from ruralplan.pipeline.study import StudyError

    out = Path(args.out)
    register_path = Path(args.register or Path(args.transcripts) / "pii_register.csv")
    from ruralplan.pipeline.commands.defaults import study_defaults

    try:
        study_defaults(args, {"codebook": "interview_codebook"})
        codebook = files.read_interview_codebook(args.codebook)
        config = redact.parse_redaction_config(
            codebook.redaction, source=args.codebook, language=codebook.language
        )
        register = redact.check_register(
            files.read_register(register_path), config, source=str(register_path)
        )
        texts, log = redact.redact_transcripts(
            files.read_transcripts(args.transcripts), register, config
        )
        residuals = redact.residual_scan(texts, register, config)
    except (CodebookError, redact.RedactionError, files.InterviewFileError, StudyError) as error:
        print(f"ruralplan redact: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"{error.filename}: cannot read ({error.strerror or error})", file=sys.stderr)
        return 1
    try:
        files.write_transcripts(texts, out)
        log_path = write_csv(log, args.log or out.parent / "redaction_log.csv")
        residuals_path = write_csv(
            residuals, args.residuals or out.parent / "redaction_residuals.csv"
        )
    except OSError as error:
        print(f"{error.filename or out}: cannot write ({error.strerror or error})", file=sys.stderr)
        return 1
    print(f"redacted {len(texts)} transcripts into {out}; log: {log_path}")
    print(
        f"left for a person to review: {len(residuals)} candidates in "
        f"{residuals.interview_id.nunique()} transcripts ({residuals_path})"
    )
    return 0
