"""Defaults of the stand-alone commands, taken from a study's ``study.yaml``.

``validate``, ``clean``, ``claims`` and ``redact`` can be run on files named one by one; every
file left unnamed is the one the study names (``--study``, else the project's default study),
so the package itself names no study's files.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path


def add_study_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--study``: the folder whose ``study.yaml`` gives the defaults."""
    parser.add_argument(
        "--study",
        default="",
        metavar="FOLDER",
        help="study whose study.yaml names the files not given here (default: the project's)",
    )


def study_defaults(args: argparse.Namespace, names: dict[str, str]) -> None:
    """Fill each option left unset with the file the study names.

    Parameters
    ----------
    args
        Parsed options with a ``study`` attribute.
    names
        Option attribute mapped to a study input key (e.g. ``{"codebook": "survey_codebook"}``),
        or to ``"processed_dir"`` for the study's processed-data folder.

    Raises
    ------
    ruralplan.pipeline.study.StudyError
        If no project or study can be found, or the study does not name a needed file.
    """
    from ruralplan.pipeline.study import load_study, project_root

    missing = {option: key for option, key in names.items() if getattr(args, option) is None}
    if not missing:
        return
    root = project_root()
    study = load_study(args.study, root=root)
    for option, key in missing.items():
        path = study.processed_dir if key == "processed_dir" else study.require(key)
        setattr(args, option, _shown(root / path))


def _shown(path: Path) -> str:
    """Give the path relative to the working directory, as a typed path would be."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)
