"""``ruralplan redact``: placeholder until its stage lands."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``redact`` command."""
    parser = subparsers.add_parser("redact", help="(not yet available)")
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    print("ruralplan redact: not yet available", file=sys.stderr)
    return 2
