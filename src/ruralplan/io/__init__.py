"""Reading and writing files: the only place in the package that touches the disk.

Writers are deterministic (fixed column order, no index, Unix line endings, sorted keys)
so that the same inputs give the same bytes. Stage-specific readers live in submodules.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ruralplan.io.saved import announce_saved

# The pipeline runner names a file in this environment variable; every writer below appends
# the path it wrote to it, so the next run of the same step can remove what it no longer writes.
OUTPUT_LOG_VARIABLE = "RURALPLAN_OUTPUT_LOG"


def record_output(path: Path) -> Path:
    """Log ``path`` for the runner and announce it in the running cell's output; return it.

    The runner's output log is written when a runner asked for one; the announcement
    (``saved: <path>``, :func:`ruralplan.io.saved.announce_saved`) is made inside a kernel.
    """
    log = os.environ.get(OUTPUT_LOG_VARIABLE)
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(path.as_posix() + "\n")
    announce_saved(path)
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


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection)."""
_FORMULA_START = "^[=+\\-@\t\r]"
_PLAIN_NUMBER = "^[+-]?(?:\\d+(?:[.,]\\d*)?|[.,]\\d+)(?:[eE][+-]?\\d+)?$"


def write_csv(table: pd.DataFrame, path: str | Path, *, formula_safe: bool = True) -> Path:
    """Write a table as UTF-8 CSV without the index, creating parent folders.

    Text that a spreadsheet would run as a formula is neutralised (OWASP's rule against CSV
    injection): a text cell or header starting with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return gets a leading ``'``, so Excel and LibreOffice show it as text. Numbers
    are never changed: numeric columns are written as they are, and a text cell that is a
    plain number (``-5``, ``+371``, ``-0,25``) is not a formula either.

    Parameters
    ----------
    table
        The table to write; not modified.
    path
        Destination file.
    formula_safe
        Neutralise formulas (default). Off only for files that imitate an input, such as a
        synthetic survey export, which must hold the answers exactly as typed.

    Returns
    -------
    pathlib.Path
        The path written.

    Examples
    --------
    >>> import tempfile
    >>> table = pd.DataFrame({"text": ["=1+2", "@SUM(A1)", "-5", "labi"], "n": [-1, 2, 3, 4]})
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     print(write_csv(table, Path(folder) / "t.csv").read_text(), end="")
    text,n
    '=1+2,-1
    '@SUM(A1),2
    -5,3
    labi,4
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if formula_safe:
        table = formula_safe_table(table)
    # Python 3.11's csv writer leaves a cell holding a lone carriage return unquoted, which
    # splits the row for every reader (and makes the rest of the cell a new, unsafe one)
    quoting = csv.QUOTE_ALL if _has_carriage_return(table) else csv.QUOTE_MINIMAL
    table.to_csv(path, index=False, lineterminator="\n", encoding="utf-8", quoting=quoting)
    return record_output(path)


def _has_carriage_return(table: pd.DataFrame) -> bool:
    """Tell whether a text cell or header of ``table`` holds a carriage return."""
    columns = [pd.Series(list(table.columns), dtype=object)]
    for position in range(table.shape[1]):
        column = table.iloc[:, position]
        if isinstance(column.dtype, pd.CategoricalDtype):
            columns.append(pd.Series(column.cat.categories, dtype=object))
        elif pd.api.types.is_string_dtype(column.dtype) or column.dtype == object:
            columns.append(column)
    for values in columns:
        try:
            if values.str.contains("\r", regex=False, na=False).astype(bool).any():
                return True
        except AttributeError:  # no text in the column
            continue
    return False


def formula_safe_table(table: pd.DataFrame) -> pd.DataFrame:
    """Return ``table`` with a ``'`` before every text cell or header a spreadsheet would run.

    Parameters
    ----------
    table
        Any table; not modified.

    Returns
    -------
    pandas.DataFrame
        The same table (the same object, when nothing needs a quote) with text cells and
        headers starting with one of :data:`FORMULA_STARTS` prefixed by ``'``, plain numbers
        written as text excepted. Numeric, boolean and date columns are never touched.
    """
    changed = {}
    for position in range(table.shape[1]):
        safe = _formula_safe_column(table.iloc[:, position])
        if safe is not None:
            changed[position] = safe
    headers = _formula_safe_values(pd.Series(list(table.columns), dtype=object))
    if not changed and headers is None:
        return table
    safe_table = table.copy(deep=False)
    for position, values in changed.items():
        safe_table.isetitem(position, values)
    if headers is not None:
        safe_table.columns = pd.Index(headers.tolist(), dtype=object)
    return safe_table


def _formula_safe_column(column: pd.Series) -> pd.Series | None:
    """Return the column with formulas quoted, or None when it has none (or is not text)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = _formula_safe_values(pd.Series(column.cat.categories, dtype=object))
        if categories is None:
            return None
        if categories.is_unique:
            return column.cat.rename_categories(categories.tolist())
        column = column.astype(object)
    if not (pd.api.types.is_string_dtype(column.dtype) or column.dtype == object):
        return None
    return _formula_safe_values(column)


def _formula_safe_values(values: pd.Series) -> pd.Series | None:
    """Return the values with ``'`` before text formulas, or None when none needs one."""
    try:  # cells that are not text (numbers in an object column) give no match
        risky = values.str.contains(_FORMULA_START, regex=True, na=False).astype(bool)
    except AttributeError:  # no text at all
        return None
    if not risky.any():
        return None
    risky &= ~values.str.contains(_PLAIN_NUMBER, regex=True, na=False).astype(bool)
    if not risky.any():
        return None
    safe = values.copy()
    safe[risky] = "'" + values[risky].astype(str)
    return safe


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
