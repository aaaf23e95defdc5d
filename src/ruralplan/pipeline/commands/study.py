"""``ruralplan study-vars``: a study's inputs and settings as ``make`` variables."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``study-vars`` command."""
    parser = subparsers.add_parser(
        "study-vars",
        help="print a study's inputs and settings as make variables (the Makefile uses them)",
    )
    parser.add_argument(
        "study", nargs="?", default="", help="study folder (default: the project's)"
    )
    parser.add_argument("--out", default=None, help="write to this file instead of printing")
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    from ruralplan.io import write_bytes
    from ruralplan.pipeline.study import StudyError, load_study, make_variables

    try:
        text = make_variables(load_study(args.study))
    except StudyError as error:
        print(f"ruralplan study-vars: {error}", file=sys.stderr)
        return 2
    if args.out:
        write_bytes(text.encode("utf-8"), args.out)
    else:
        sys.stdout.write(text)
    return 0
