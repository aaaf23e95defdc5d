"""Say in a notebook cell's output which files the cell saved, so each file can be traced to it.

Every writer of :mod:`ruralplan.io` calls :func:`announce_saved`. Inside a Jupyter kernel
(a notebook run by ``ruralplan run`` or opened in JupyterLab) the cell that is running then
shows one output, ``saved: <path>`` per file, with the same paths in the output's metadata
under :data:`SAVED_METADATA_KEY`. The executed notebook thus records which cell wrote each
file; :func:`ruralplan.pipeline.provenance.find_writer` reads it back. Outside a kernel
(tests, the command line) nothing is shown.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

SAVED_METADATA_KEY = "ruralplan"
"""Key of an output's metadata holding ``{"saved": [path, ...]}``."""
SAVED_PREFIX = "saved: "

# The cell being run (its execution count) and the files it saved so far: one output per
# cell, updated in place, lists them all.
_CURRENT: dict[str, Any] = {"count": None, "paths": []}


def saved_name(path: str | Path) -> str:
    """Return the name a saved file is announced by: its POSIX path relative to the project.

    Parameters
    ----------
    path
        The file written, relative to the working directory (the project root in a
        notebook) or absolute.

    Returns
    -------
    str
        The path relative to the working directory when it lies inside it, else as given.

    Examples
    --------
    >>> saved_name(Path("reports") / "s" / "tables" / "a.csv")
    'reports/s/tables/a.csv'
    """
    path = Path(path)
    if path.is_absolute():
        try:
            path = path.relative_to(Path.cwd())
        except ValueError:
            return path.as_posix()
    return path.as_posix()


def saved_output(paths: Sequence[str]) -> tuple[dict[str, str], dict[str, Any]]:
    """Build the data and metadata of the output announcing ``paths``.

    Parameters
    ----------
    paths
        Names from :func:`saved_name`, in the order the files were written.

    Returns
    -------
    tuple of dict
        ``text/plain``: one line ``saved: <path>`` per file; metadata:
        ``{"ruralplan": {"saved": [<path>, ...]}}``.

    Examples
    --------
    >>> saved_output(["t/a.csv"])
    ({'text/plain': 'saved: t/a.csv'}, {'ruralplan': {'saved': ['t/a.csv']}})
    """
    text = "\n".join(SAVED_PREFIX + path for path in paths)
    return {"text/plain": text}, {SAVED_METADATA_KEY: {"saved": list(paths)}}


def announce_saved(path: str | Path) -> None:
    """Add ``path`` to the running cell's list of saved files, when run inside a kernel.

    Parameters
    ----------
    path
        The file just written.
    """
    # A kernel has imported IPython; where it is not imported there is no cell to show in.
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return
    from IPython.display import display, update_display

    count = shell.execution_count
    first = _CURRENT["count"] != count
    if first:
        _CURRENT.update(count=count, paths=[])
    _CURRENT["paths"].append(saved_name(path))
    data, metadata = saved_output(_CURRENT["paths"])
    # The id lives only while the kernel runs (it is not saved in the notebook).
    display_id = f"ruralplan-saved-{os.getpid()}-{count}"
    show = display if first else update_display
    show(data, raw=True, metadata=metadata, display_id=display_id)
