"""Command-line entry point: ``ruralplan <command>`` or ``python -m ruralplan <command>``.

Each command lives in its own module under :mod:`ruralplan.pipeline.commands` and exposes
``register(subparsers)``, which adds a sub-parser whose ``handler`` returns an exit code.
Heavy imports happen inside the handlers so that ``ruralplan --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from ruralplan import __version__

COMMAND_MODULES = (
    "run",
    "study",
    "synthetic",
    "validate",
    "clean",
    "claims",
    "redact",
    "new_study",
    "qda",
    "pages",
)


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every registered command.

    Returns
    -------
    argparse.ArgumentParser
        The top-level parser.
    """
    parser = argparse.ArgumentParser(
        prog="ruralplan",
        description="Clean, code, test and report a survey and interview study.",
    )
    parser.add_argument("--version", action="version", version=f"ruralplan {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"ruralplan.pipeline.commands.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command named in ``argv`` and return its exit code.

    Parameters
    ----------
    argv
        Arguments without the program name; ``sys.argv[1:]`` when omitted.

    Returns
    -------
    int
        0 on success, non-zero on failure.
    """
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        parser.print_help()
        return 2
    return int(args.handler(args) or 0)
