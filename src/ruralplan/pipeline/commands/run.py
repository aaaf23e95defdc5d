"""``ruralplan run``: execute one pipeline notebook on a study (used by the Makefile)."""

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
    parser.add_argument("--study", default="", help="study folder (default: the project's)")
    parser.add_argument(
        "-p",
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="replace one key of the study file for this run (repeatable)",
    )
    parser.add_argument("--lang", default=None, help="language the notebook writes in")
    parser.add_argument("--kernel", default=None, help="Jupyter kernel name")
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    from ruralplan.pipeline.run import KERNEL_NAME, NotebookFailed, run_notebook
    from ruralplan.pipeline.study import (
        StudyError,
        check_inputs_exist,
        load_study,
        parse_overrides,
        project_root,
    )

    try:
        root = project_root()
        overrides = parse_overrides(args.overrides)
        study = load_study(args.study, overrides, root=root)
        check_inputs_exist(study, root)
    except StudyError as error:
        print(f"ruralplan run: {error}", file=sys.stderr)
        return 2
    parameters = {"study_folder": str(study.folder), "settings": overrides}
    if args.lang:
        parameters["lang"] = args.lang
    try:
        run_notebook(
            args.source,
            args.output,
            parameters=parameters,
            cwd=root,
            kernel_name=args.kernel or KERNEL_NAME,
            outputs_within=[study.reports_dir, study.processed_dir],
        )
    except NotebookFailed as error:
        print(f"ruralplan run: {error}", file=sys.stderr)
        return 1
    return 0
