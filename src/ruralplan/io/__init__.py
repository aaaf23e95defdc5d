"""Reading and writing files: the only place in the package that touches the disk.

Writers are deterministic (fixed column order, no index, Unix line endings, sorted keys)
so that the same inputs give the same bytes. Stage-specific readers live in submodules.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

# The pipeline runner names a file in this environment variable; every writer below appends
# the path it wrote to it, so the next run of the same step can remove what it no longer writes.
OUTPUT_LOG_VARIABLE = "RURALPLAN_OUTPUT_LOG"


def record_output(path: Path) -> Path:
    """Add ``path`` to the runner's output log, when a runner asked for one, and return it."""
    log = os.environ.get(OUTPUT_LOG_VARIABLE)
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(path.as_posix() + "\n")
    return path


def read_yaml(path: str | Path) -> Any:
    """Read a YAML file, naming the file in any error.

    Parameters
    ----------
    path
        The file to read.

    Returns
    -------
    object
        The parsed document.

    Raises
    ------
    ValueError
        If the file is not valid YAML.
    """
    path = Path(path)
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ValueError(f"{path}: not valid YAML: {error}") from error


def write_csv(table: pd.DataFrame, path: str | Path) -> Path:
    """Write a table as UTF-8 CSV without the index, creating parent folders.

    Parameters
    ----------
    table
        The table to write.
    path
        Destination file.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    return record_output(path)


def write_parquet(table: pd.DataFrame, path: str | Path) -> Path:
    """Write a table as Parquet without the index, creating parent folders.

    Parameters
    ----------
    table
        The table to write.
    path
        Destination file.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_parquet(path, index=False)
    return record_output(path)


def write_json(data: Mapping[str, Any], path: str | Path) -> Path:
    """Write a mapping as indented JSON with sorted keys, creating parent folders.

    Parameters
    ----------
    data
        JSON-serialisable mapping.
    path
        Destination file.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str)
    path.write_text(text + "\n", encoding="utf-8")
    return record_output(path)


def read_json(path: str | Path) -> Any:
    """Read a JSON file written by :func:`write_json`.

    Parameters
    ----------
    path
        The file to read.

    Returns
    -------
    object
        The parsed document.
    """
    return json.loads(Path(path).read_text(encoding="utf-8"))


def write_bytes(data: bytes, path: str | Path) -> Path:
    """Write bytes (e.g. an XML document), creating parent folders.

    Parameters
    ----------
    data
        The content.
    path
        Destination file.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return record_output(path)


def sha256_file(path: str | Path) -> str:
    """Return the SHA-256 hex digest of a file, read in blocks.

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    str
        64 hexadecimal digits.
    """
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
