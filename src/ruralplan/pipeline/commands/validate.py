"""``ruralplan validate PATH``: check an export against the codebook, listing every problem."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``validate`` command."""
    parser = subparsers.add_parser(
        "validate", help="check a survey export; exit 0 when usable, 1 when not"
    )
    parser.add_argument("path", help="the export (.csv, .xlsx or .sav)")
    add_input_options(parser)
    parser.set_defaults(handler=_handle)


def add_input_options(parser: argparse.ArgumentParser) -> None:
    """Add the study, codebook, reference and sheet options shared with ``clean``."""
    from ruralplan.pipeline.commands.defaults import add_study_option

    add_study_option(parser)
    parser.add_argument("--codebook", default=None, help="default: the study's survey_codebook")
    parser.add_argument(
        "--municipalities", default=None, help="default: the study's municipalities"
    )
    parser.add_argument("--aliases", default=None, help="default: the study's municipality_aliases")
    parser.add_argument(
        "--sheet",
        default=None,
        help="worksheet of an XLSX export, by name or 0-based position (default: the first)",
    )


def format_problems(path: str, problems: Sequence[Any]) -> list[str]:
    """Format problems as ``PATH:ROW:COLUMN: message`` lines (warnings marked).

    Parameters
    ----------
    path
        The export as given on the command line.
    problems
        :class:`ruralplan.survey.base.Problem` objects; row 0 is the header or the whole file.

    Returns
    -------
    list of str
        One line per problem.
    """
    from ruralplan.survey.base import shown

    return [
        f"{path}:{p.row}:{shown(str(p.column))}: "
        f"{'warning: ' if p.severity == 'warning' else ''}{p.message}"
        for p in problems
    ]


def format_read_error(path: str, error: ValueError) -> str:
    """Format a reading error as one ``PATH:ROW:COLUMN: message`` line.

    Parameters
    ----------
    path
        The export as given on the command line.
    error
        An :class:`~ruralplan.survey.base.ExportReadError` (placed at its row and column, row
        0 and column ``-`` when it concerns the whole file), or another error that names its
        own file (a codebook or reference list), printed as it is.

    Returns
    -------
    str
        The line (one line per problem for a codebook with several).
    """
    from ruralplan.survey.base import ExportReadError

    if isinstance(error, ExportReadError):
        return f"{path}:{error.row or 0}:{error.column or '-'}: {error.message}"
    return str(error)


def load_inputs(args: argparse.Namespace, path: str) -> tuple[Any, Any, Any]:
    """Read the export, codebook and reference lists named by the options.

    Returns
    -------
    tuple
        ``(raw, codebook, references)``.

    Raises
    ------
    ValueError
        A reading error (:class:`ExportReadError` or :class:`CodebookError`) with the file name,
        or a :class:`~ruralplan.pipeline.study.StudyError` when a default cannot be found.
    """
    from ruralplan.pipeline.commands.defaults import study_defaults
    from ruralplan.survey import io as survey_io
    from ruralplan.survey.io import read_survey_codebook

    study_defaults(args, {"codebook": "survey_codebook"})
    codebook = read_survey_codebook(args.codebook)
    references = None
    if any(question.lookup for question in codebook.questions):
        study_defaults(
            args, {"municipalities": "municipalities", "aliases": "municipality_aliases"}
        )
        references = survey_io.load_references(args.municipalities, args.aliases)
    raw = survey_io.read_export(path, sheet=args.sheet, expected_columns=len(codebook.questions))
    return raw, codebook, references


def _handle(args: argparse.Namespace) -> int:
    from ruralplan.survey.clean import find_problems

    try:
        raw, codebook, references = load_inputs(args, args.path)
    except ValueError as error:
        print(format_read_error(args.path, error))
        print(f"{args.path}: not usable", file=sys.stderr)
        return 1
    problems = find_problems(raw, codebook, references=references)
    for line in format_problems(args.path, problems):
        print(line)
    errors = sum(problem.severity == "error" for problem in problems)
    print(
        f"{args.path}: {len(raw)} rows, {errors} errors, {len(problems) - errors} warnings; "
        f"{'not usable' if errors else 'usable'}",
        file=sys.stderr,
    )
    return 1 if errors else 0
