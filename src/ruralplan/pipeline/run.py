"""Execute a pipeline notebook with papermill, atomically and reproducibly.

The executed notebook is written to a temporary file and moved into place only when every
cell succeeded, so a failed run never leaves an output that ``make`` would take as up to date.
A failed copy is kept beside the output, with ``.failed`` in its name, for the reader to open.
Timing and other run-dependent metadata are removed so two runs give the same bytes.

Every file a notebook writes is logged beside the executed notebook (``.<name>.outputs``);
before the step runs again, the files of its last run are removed, so a table or figure the
step no longer writes (a renamed model, a dropped question) cannot linger in the report.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import nbformat

from ruralplan.io import OUTPUT_LOG_VARIABLE

KERNEL_NAME = "ruralplan"

# Metadata written by papermill or nbclient that changes from run to run.
_VOLATILE_CELL_KEYS = ("execution",)
_VOLATILE_PAPERMILL_KEYS = ("start_time", "end_time", "duration", "exception", "status")
# pandas Styler gives each rendered table a random id ``T_<5 hex digits>``.
# Default reprs such as ``<pandas.io.formats.style.Styler at 0x7fd95f903dd0>``.
_ADDRESS = re.compile(r"(<[\w.]+(?: object)? at )0x[0-9a-f]+>")
_STYLER_ID = re.compile(r"\bT_([0-9a-f]{5})(?=[_\"'\s{,.:#])")


def stable_styler_ids(html: str, prefix: str) -> str:
    """Replace pandas Styler's random table ids by ids numbered in order of appearance.

    Parameters
    ----------
    html
        An HTML output of a cell.
    prefix
        Text that makes the ids unique within the notebook (e.g. the cell number).

    Returns
    -------
    str
        The same HTML with ``T_<random>`` replaced by ``T_<prefix>_<n>``.

    Examples
    --------
    >>> stable_styler_ids('<style>#T_ab12f_row0 {}</style><table id="T_ab12f">', "c3")
    '<style>#T_c3_0_row0 {}</style><table id="T_c3_0">'
    """
    found: dict[str, str] = {}
    for match in _STYLER_ID.finditer(html):
        found.setdefault(match.group(1), f"{prefix}_{len(found)}")
    return _STYLER_ID.sub(lambda m: f"T_{found[m.group(1)]}", html) if found else html


def _stabilise_outputs(cell: nbformat.NotebookNode, index: int) -> None:
    for number, output in enumerate(cell.get("outputs", [])):
        data = output.get("data", {})
        if "text/plain" in data:
            plain = data["text/plain"]
            plain = "".join(plain) if isinstance(plain, list) else plain
            data["text/plain"] = _ADDRESS.sub(r"\g<1>0x…>", plain)
        if "text/html" in data:
            html = data["text/html"]
            html = "".join(html) if isinstance(html, list) else html
            data["text/html"] = stable_styler_ids(html, f"c{index}o{number}")


def remove_logged_outputs(log: Path, root: Path, within: Sequence[str | Path]) -> list[Path]:
    """Remove the files a step's last run logged, then the log itself.

    Parameters
    ----------
    log
        The output log of the step (one path per line, relative to ``root``).
    root
        The working directory the step ran in (the project root).
    within
        Only files inside these folders (relative to ``root``) are removed: a log can never
        make the runner delete an input.

    Returns
    -------
    list of pathlib.Path
        The files removed.
    """
    if not log.is_file():
        return []
    folders = [(root / folder).resolve() for folder in within]
    removed = []
    for line in sorted(set(log.read_text(encoding="utf-8").splitlines())):
        path = (root / line).resolve()
        if line and path.is_file() and any(path.is_relative_to(f) for f in folders):
            path.unlink()
            removed.append(path)
    log.unlink()
    return removed


def _restore(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


class NotebookFailed(RuntimeError):
    """Raised when a notebook cell fails; the message names the kept failed copy."""


def notebook_parameters(source: str | Path) -> list[str]:
    """List the names declared in a notebook's ``parameters`` cell.

    Parameters
    ----------
    source
        Path to the source notebook.

    Returns
    -------
    list of str
        Parameter names in the order papermill reports them.
    """
    import papermill

    return list(papermill.inspect_notebook(str(source)))


def select_parameters(declared: list[str], available: Mapping[str, Any]) -> dict[str, Any]:
    """Keep only the parameters a notebook declares.

    Parameters
    ----------
    declared
        Names from the notebook's ``parameters`` cell.
    available
        Everything the runner could inject (study folder, settings, language).

    Returns
    -------
    dict
        The subset of ``available`` the notebook declares.
    """
    return {name: available[name] for name in declared if name in available}


def strip_volatile_metadata(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove timings and random ids so that identical runs give identical files.

    Parameters
    ----------
    notebook
        An executed notebook; it is not modified.

    Returns
    -------
    nbformat.NotebookNode
        A copy without timing metadata, with cell ids derived from the cell position,
        pandas Styler table ids numbered instead of random, and memory addresses in default
        reprs (``<... at 0x7f...>``) blanked.
    """
    cleaned = nbformat.from_dict(notebook)
    papermill_meta = cleaned.metadata.get("papermill", {})
    for key in _VOLATILE_PAPERMILL_KEYS:
        papermill_meta.pop(key, None)
    for key in ("input_path", "output_path"):
        if key in papermill_meta:
            papermill_meta[key] = os.path.basename(str(papermill_meta[key]))
    for index, cell in enumerate(cleaned.cells):
        for key in _VOLATILE_CELL_KEYS:
            cell.metadata.pop(key, None)
        cell.metadata.pop("papermill", None)
        _stabilise_outputs(cell, index)
        digest = hashlib.sha256(f"{index}:{cell.cell_type}".encode()).hexdigest()[:16]
        cell["id"] = f"cell-{digest}"
    return cleaned


def run_notebook(
    source: str | Path,
    output: str | Path,
    *,
    parameters: Mapping[str, Any],
    cwd: str | Path,
    kernel_name: str = KERNEL_NAME,
    outputs_within: Sequence[str | Path] = (),
) -> Path:
    """Execute ``source`` with papermill and write it to ``output`` only on success.

    Parameters
    ----------
    source
        The clean source notebook.
    output
        Where the executed notebook goes.
    parameters
        Project parameters; only those the notebook declares are injected.
    cwd
        Working directory for the kernel (the project root), so relative paths resolve.
    kernel_name
        The Jupyter kernel registered inside the project's environment.
    outputs_within
        Folders (relative to ``cwd``) the step writes into; files its last run logged there
        are removed before it runs. Without folders nothing is removed.

    Returns
    -------
    pathlib.Path
        The output path.

    Raises
    ------
    NotebookFailed
        If a cell raised (the failed notebook is kept at ``<output stem>.failed.ipynb``), or
        the runner could not read or write its own files (a read-only output folder).
    """
    try:
        return _run_notebook(
            Path(source), Path(output), parameters, Path(cwd), kernel_name, outputs_within
        )
    except OSError as error:  # the runner's own files, not a cell's: those raise above
        raise NotebookFailed(f"{error.filename or output}: {error.strerror or error}") from None


def _run_notebook(
    source: Path,
    output: Path,
    parameters: Mapping[str, Any],
    cwd: Path,
    kernel_name: str,
    outputs_within: Sequence[str | Path],
) -> Path:
    import papermill
    from papermill.exceptions import PapermillExecutionError
    from traitlets.config import Config

    output.parent.mkdir(parents=True, exist_ok=True)
    temporary = output.with_name(f".{output.stem}.running.ipynb")
    failed = output.with_name(f"{output.stem}.failed.ipynb")
    injected = select_parameters(notebook_parameters(source), parameters)
    log = output.with_name(f".{output.stem}.outputs")
    remove_logged_outputs(log, cwd, outputs_within)
    previous_log = os.environ.get(OUTPUT_LOG_VARIABLE)
    os.environ[OUTPUT_LOG_VARIABLE] = str(log.resolve())
    sockets = tempfile.mkdtemp(prefix="ruralplan-kernel-")
    try:
        papermill.execute_notebook(
            str(source),
            str(temporary),
            parameters=injected,
            kernel_name=kernel_name,
            cwd=str(cwd),
            progress_bar=False,
            record_timing=False,
            # Local sockets instead of TCP: the kernel's traffic never touches the network,
            # and the kernel has no reason to warn that it is unencrypted. Each run has its own
            # socket folder, so notebooks run side by side (make -j2) never share a socket.
            config=Config({"KernelManager": {"transport": "ipc", "ip": f"{sockets}/kernel"}}),
        )
    except PapermillExecutionError as error:
        temporary.replace(failed)
        raise NotebookFailed(
            f"{source}: cell {error.exec_count} raised {error.ename}: {error.evalue}\n"
            f"The failed notebook is kept at {failed}"
        ) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    finally:
        _restore(OUTPUT_LOG_VARIABLE, previous_log)
        shutil.rmtree(sockets, ignore_errors=True)
    executed = strip_volatile_metadata(nbformat.read(temporary, as_version=4))
    nbformat.write(executed, temporary)
    temporary.replace(output)
    failed.unlink(missing_ok=True)
    return output
