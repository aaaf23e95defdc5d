"""Read and write interview files: codebook, transcripts, register, gold coding, REFI-QDA."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ruralplan.interviews.codebook import ThemeCodebook, parse_codebook
from ruralplan.interviews.redact import REGISTER_COLUMNS
from ruralplan.interviews.reliability import GOLD_COLUMNS
from ruralplan.io import read_yaml, record_output


class InterviewFileError(ValueError):
    """Raised when an interview input file is missing or unreadable."""


def read_interview_codebook(path: str | Path) -> ThemeCodebook:
    """Read and validate the interview codebook YAML.

    Parameters
    ----------
    path
        The codebook file.

    Returns
    -------
    ThemeCodebook
        The validated codebook.
    """
    path = Path(path)
    if not path.is_file():
        raise InterviewFileError(f"{path}: interview codebook not found")
    return parse_codebook(read_yaml(path), source=str(path))


def read_transcripts(directory: str | Path, *, pattern: str = "*.txt") -> dict[str, str]:
    """Read every transcript in ``directory``; the file stem is the interview id.

    Parameters
    ----------
    directory
        Folder of UTF-8 text files.
    pattern
        Glob of transcript files.

    Returns
    -------
    dict
        Interview id mapped to text, in sorted id order.

    Raises
    ------
    InterviewFileError
        If the folder holds no transcript or a file is not UTF-8.
    """
    directory = Path(directory)
    paths = sorted(directory.glob(pattern))
    if not paths:
        raise InterviewFileError(f"{directory}: no transcripts matching {pattern!r}")
    texts = {}
    for path in paths:
        try:
            texts[path.stem] = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        except UnicodeDecodeError as error:
            raise InterviewFileError(f"{path}: not UTF-8 text ({error})") from error
    return texts


def _read_columns(path: str | Path, columns: list[str], what: str) -> pd.DataFrame:
    path = Path(path)
    if not path.is_file():
        raise InterviewFileError(f"{path}: {what} not found")
    header = pd.read_csv(path, nrows=0, encoding="utf-8").columns
    missing = [column for column in columns if column not in header]
    if missing:
        raise InterviewFileError(f"{path}: {what} lacks columns {missing}; expected {columns}")
    return pd.read_csv(
        path, usecols=columns, dtype="string", keep_default_na=False, encoding="utf-8"
    )[columns]


def read_register(path: str | Path) -> pd.DataFrame:
    """Read the columns ``interview_id, category, value`` of the personal-data register.

    Other columns (such as recorded surface forms) are never loaded.

    Parameters
    ----------
    path
        The register CSV.

    Returns
    -------
    pandas.DataFrame
        The three columns as strings.
    """
    return _read_columns(path, REGISTER_COLUMNS, "personal-data register")


def read_gold(path: str | Path) -> pd.DataFrame:
    """Read the gold-standard coding (``interview_id, segment_id, code``).

    Parameters
    ----------
    path
        The gold coding CSV.

    Returns
    -------
    pandas.DataFrame
        The three columns as strings.
    """
    return _read_columns(path, GOLD_COLUMNS, "gold coding")


def write_transcripts(texts: Mapping[str, str], directory: str | Path) -> list[Path]:
    """Write transcripts as ``<id>.txt`` and remove other ``.txt`` files left in the folder.

    Parameters
    ----------
    texts
        Interview id mapped to text.
    directory
        Destination folder, created if needed.

    Returns
    -------
    list of pathlib.Path
        The files written, sorted.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.txt"):
        if stale.stem not in texts:
            stale.unlink()
    written = []
    for interview_id in sorted(texts):
        path = directory / f"{interview_id}.txt"
        path.write_text(texts[interview_id], encoding="utf-8", newline="\n")
        written.append(record_output(path))
    return written


def read_bytes(path: str | Path) -> bytes:
    """Read a file's bytes, naming it if it is missing.

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    bytes
        Its content.
    """
    path = Path(path)
    if not path.is_file():
        raise InterviewFileError(f"{path}: file not found")
    return path.read_bytes()
