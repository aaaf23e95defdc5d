"""``ruralplan claims``: placeholder until its stage lands."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``claims`` command."""
    parser = subparsers.add_parser("claims", help="(not yet available)")
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    print("ruralplan claims: not yet available", file=sys.stderr)
    return 2
