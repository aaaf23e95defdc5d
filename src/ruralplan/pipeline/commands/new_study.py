"""``ruralplan new-study DIR``: start a study folder from the package's template.

The template (``ruralplan/pipeline/new_study_template/``) is a small study that runs as
written: three questions (and the time sent) with a 30-row example export, a report layout and
table headers, an interview codebook with two codes, two short transcripts with their
personal-data register and human coding, and ``study.yaml``. Its files are data, copied as
they are; only the study id in ``study.yaml`` is filled in. A folder that already holds
anything is never written into.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections.abc import Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

TEMPLATE_PACKAGE = "ruralplan.pipeline"
TEMPLATE_FOLDER = "new_study_template"
ID_PLACEHOLDER = "{{ study_id }}"
_NOT_ID = re.compile(r"[^a-z0-9_-]+")


class NewStudyError(ValueError):
    """Raised when a study cannot be started in the folder asked for."""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``new-study`` command."""
    parser = subparsers.add_parser(
        "new-study",
        help="start a new study folder from a small template that runs as written",
        description=(
            "Write a minimal study (codebooks, a tiny example export, two transcripts, report "
            "layout, study.yaml) into DIR, which must be empty or not exist yet. Then run it "
            "with `make report STUDY=DIR`; see docs/studies.md."
        ),
    )
    parser.add_argument("folder", metavar="DIR", help="the new study's folder")
    parser.add_argument(
        "--id",
        dest="study_id",
        default=None,
        help="the study's id, which names its output folders (default: from DIR's name)",
    )
    parser.set_defaults(handler=_handle)


def study_id_from_name(name: str) -> str:
    """Turn a folder name into a study id: lower case, ASCII, ``-`` for anything else.

    Parameters
    ----------
    name
        The folder's name.

    Returns
    -------
    str
        Lower-case letters, digits, ``-`` and ``_``, starting with a letter or digit; empty
        when nothing usable is left.

    Examples
    --------
    >>> study_id_from_name("Ciemu Bibliotēkas 2025")
    'ciemu-bibliotekas-2025'
    >>> study_id_from_name("__my study!__")
    'my-study'
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return _NOT_ID.sub("-", ascii_name.lower()).strip("-_")


def template_files(
    root: Traversable | None = None, prefix: PurePosixPath | None = None
) -> Iterator[tuple[PurePosixPath, Traversable]]:
    """List the template's files with their paths relative to the template folder.

    Parameters
    ----------
    root
        The folder to list; the package's template when omitted.
    prefix
        Path of ``root`` inside the template (used when recursing); none for the top.

    Yields
    ------
    tuple
        ``(relative path, resource)`` for every file, in name order within each folder.
    """
    if root is None:
        root = resources.files(TEMPLATE_PACKAGE).joinpath(TEMPLATE_FOLDER)
    prefix = prefix or PurePosixPath()
    for item in sorted(root.iterdir(), key=lambda entry: entry.name):
        if item.name == "__pycache__":
            continue
        if item.is_dir():
            yield from template_files(item, prefix / item.name)
        else:
            yield prefix / item.name, item


def render(relative: PurePosixPath, content: bytes, study_id: str) -> bytes:
    """Fill the study id into ``study.yaml``; every other file is copied unchanged.

    Parameters
    ----------
    relative
        The file's path inside the template.
    content
        The file's bytes.
    study_id
        The new study's id.

    Returns
    -------
    bytes
        The bytes to write.
    """
    if str(relative) != "study.yaml":
        return content
    return content.decode("utf-8").replace(ID_PLACEHOLDER, study_id).encode("utf-8")


def check_target(folder: Path) -> None:
    """Raise unless ``folder`` is missing or an empty folder.

    Parameters
    ----------
    folder
        Where the study would be written.

    Raises
    ------
    NewStudyError
        If ``folder`` is a file or a folder that holds anything (hidden files count).
    """
    if folder.exists() and not folder.is_dir():
        raise NewStudyError(f"{folder}: exists and is not a folder; choose a new folder name")
    if folder.is_dir() and any(folder.iterdir()):
        raise NewStudyError(
            f"{folder}: the folder is not empty; new-study writes only into an empty or new "
            "folder, so that no file of yours is overwritten"
        )


def check_study_id(study_id: str, folder: Path) -> None:
    """Raise unless ``study_id`` is accepted by the study loader.

    The template's own ``study.yaml`` is rendered with the id and resolved by
    :func:`ruralplan.pipeline.study.resolve_study`, so the rule is the loader's, not a copy.

    Parameters
    ----------
    study_id
        The id asked for (or made from the folder name).
    folder
        The new study's folder, for messages.

    Raises
    ------
    NewStudyError
        With the loader's message (naming ``study.yaml`` and ``id``) and how to give another.
    """
    import yaml

    from ruralplan.pipeline.study import StudyError, resolve_study

    if not study_id:
        raise NewStudyError(
            f"{folder}: no study id can be made from the folder's name; give one with --id"
        )
    name = PurePosixPath("study.yaml")
    template = dict(template_files())[name]
    document = yaml.safe_load(render(name, template.read_bytes(), study_id))
    try:
        resolve_study(document, folder)
    except StudyError as error:
        raise NewStudyError(f"{error} (give another with --id)") from None


def write_study(folder: Path, study_id: str) -> list[Path]:
    """Copy the template into ``folder`` with ``study_id`` filled in.

    Parameters
    ----------
    folder
        An empty or missing folder.
    study_id
        The study's id.

    Returns
    -------
    list of pathlib.Path
        The files written, in template order.

    Raises
    ------
    NewStudyError
        If the folder is not empty or the id is not valid; nothing is written then.
    """
    check_target(folder)
    check_study_id(study_id, folder)
    written = []
    for relative, item in template_files():
        target = folder.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(render(relative, item.read_bytes(), study_id))
        written.append(target)
    return written


def _handle(args: argparse.Namespace) -> int:
    folder = Path(args.folder)
    study_id = args.study_id if args.study_id is not None else study_id_from_name(folder.name)
    try:
        written = write_study(folder, study_id)
    except NewStudyError as error:
        print(f"ruralplan new-study: {error}", file=sys.stderr)
        return 2
    print(f"wrote study {study_id!r} ({len(written)} files) to {folder}")
    print(f"run it with:  make report STUDY={folder}")
    print(f"outputs go to reports/{study_id}/ and data/processed/{study_id}/; see docs/studies.md")
    return 0
