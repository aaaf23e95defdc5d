"""``ruralplan synthetic``: placeholder until its stage lands."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``synthetic`` command."""
    parser = subparsers.add_parser("synthetic", help="(not yet available)")
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    print("ruralplan synthetic: not yet available", file=sys.stderr)
    return 2
