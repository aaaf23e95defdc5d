"""``ruralplan run``: execute one pipeline notebook (used by the Makefile)."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``run`` command."""
    parser = subparsers.add_parser(
        "run",
        help="execute a notebook with papermill, writing the output only on success",
    )
    parser.add_argument("source", help="source notebook")
    parser.add_argument("output", help="executed notebook to write")
    parser.add_argument("--params", default="params.yaml", help="parameter file")
    parser.add_argument(
        "-p",
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override one parameter (repeatable)",
    )
    parser.add_argument("--cwd", default=".", help="working directory of the kernel")
    parser.add_argument("--kernel", default=None, help="Jupyter kernel name")
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    from ruralplan.pipeline.params import ParameterError, apply_overrides, load_params
    from ruralplan.pipeline.run import KERNEL_NAME, NotebookFailed, run_notebook

    try:
        parameters = apply_overrides(load_params(args.params), args.overrides)
    except (OSError, ParameterError) as error:
        print(f"ruralplan run: {error}", file=sys.stderr)
        return 2
    try:
        run_notebook(
            args.source,
            args.output,
            parameters=parameters,
            cwd=args.cwd,
            kernel_name=args.kernel or KERNEL_NAME,
        )
    except NotebookFailed as error:
        print(f"ruralplan run: {error}", file=sys.stderr)
        return 1
    return 0
