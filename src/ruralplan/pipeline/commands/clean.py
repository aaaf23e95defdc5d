"""``ruralplan clean [--survey PATH] [--out DIR]``: write the clean survey and its cleaning log."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``clean`` command."""
    from ruralplan.pipeline.commands.validate import add_input_options

    parser = subparsers.add_parser(
        "clean", help="clean a survey export into survey.parquet and cleaning_log.csv"
    )
    parser.add_argument("--survey", default=None, help="the export (default: the study's survey)")
    parser.add_argument(
        "--out", default=None, help="output folder (default: the study's processed-data folder)"
    )
    add_input_options(parser)
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    from ruralplan.pipeline.commands.defaults import study_defaults
    from ruralplan.pipeline.commands.validate import (
        format_problems,
        format_read_error,
        load_inputs,
    )
    from ruralplan.survey.clean import CleaningError, clean_survey, data_dictionary

    try:
        study_defaults(args, {"survey": "survey", "out": "processed_dir"})
    except ValueError as error:
        print(f"ruralplan clean: {error}", file=sys.stderr)
        return 2
    try:
        raw, codebook, references = load_inputs(args, args.survey)
        result = clean_survey(raw, codebook, references=references)
    except CleaningError as error:
        for line in format_problems(args.survey, error.problems):
            print(line, file=sys.stderr)
        print(f"ruralplan clean: {len(error.problems)} errors; nothing written", file=sys.stderr)
        return 1
    except ValueError as error:
        print(format_read_error(args.survey, error), file=sys.stderr)
        print("ruralplan clean: nothing written", file=sys.stderr)
        return 1
    if Path(args.out).exists() and not Path(args.out).is_dir():
        print(f"{args.out}: not a folder; expected a folder for the outputs", file=sys.stderr)
        return 1
    try:
        _write(result, data_dictionary(result.table, codebook), args.out)
    except OSError as error:
        print(
            f"{error.filename or args.out}: cannot write ({error.strerror or error})",
            file=sys.stderr,
        )
        return 1
    summary = result.summary
    print(
        f"{args.survey}: {summary['rows_in']} rows in, {summary['rows_out']} rows out, "
        f"{summary['rows_excluded']} excluded; written to {args.out}"
    )
    return 0


def _write(result: object, dictionary: object, out: str) -> None:
    """Write the clean outputs; any failure to write is an :class:`OSError` naming the file."""
    import pyarrow as pa

    from ruralplan.survey import io as survey_io

    try:
        survey_io.write_clean_outputs(result, dictionary, out)
    except pa.ArrowException as error:  # pyarrow's own error when it cannot open a file
        raise OSError(0, str(error).splitlines()[0], out) from None
