"""``ruralplan pages``: render executed notebooks as HTML pages (used by the Makefile)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``pages`` command."""
    parser = subparsers.add_parser(
        "pages",
        help="render executed notebooks as the reader's reports and the audit pages",
    )
    parser.add_argument(
        "--reader",
        nargs=3,
        action="append",
        default=[],
        metavar=("NOTEBOOK", "HTML", "LANG"),
        help="a reader's page: no code, no audit-only cells (repeatable)",
    )
    parser.add_argument(
        "--audit",
        nargs=2,
        action="append",
        default=[],
        metavar=("NOTEBOOK", "HTML"),
        help="an audit page: code, outputs and cell anchors (repeatable)",
    )
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    from ruralplan.pipeline.pages import Page, render_pages

    pages = [Page(Path(nb), Path(html), reader_lang=lang) for nb, html, lang in args.reader]
    pages += [Page(Path(nb), Path(html)) for nb, html in args.audit]
    if not pages:
        print("ruralplan pages: name at least one --reader or --audit page", file=sys.stderr)
        return 2
    try:
        render_pages(pages)
    except FileNotFoundError as error:
        print(f"ruralplan pages: {error}", file=sys.stderr)
        return 1
    return 0
