"""Save figures as SVG and PNG with the same bytes on every run."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib as mpl
from matplotlib.figure import Figure

from ruralplan.figures import FIGURE_RC
from ruralplan.io import record_output


def save_figure(
    figure: Figure,
    stem: str | Path,
    *,
    formats: Sequence[str] = ("svg", "png"),
    dpi: int = 150,
) -> list[Path]:
    """Write ``figure`` to ``<stem>.<format>`` for each format, reproducibly.

    SVG ids are salted with a fixed string and no date is written, whatever the environment
    (``SOURCE_DATE_EPOCH`` included). PNG files carry no software version.

    Parameters
    ----------
    figure
        The figure to save.
    stem
        Path without extension, e.g. ``reports/figures/strategy_status.lv``.
    formats
        ``"svg"`` and/or ``"png"``.
    dpi
        Resolution of the PNG.

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    ValueError
        If a format other than svg or png is asked for.
    """
    unknown = sorted(set(formats) - {"svg", "png"})
    if unknown:
        raise ValueError(f"`formats` may hold 'svg' and 'png', but {unknown} was passed.")
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    written = []
    with mpl.rc_context(FIGURE_RC):
        for fmt in formats:
            path = stem.with_name(f"{stem.name}.{fmt}")
            figure.savefig(path, format=fmt, dpi=dpi, metadata=_metadata(fmt))
            written.append(record_output(path))
    return written


def _metadata(fmt: str) -> dict[str, str | None]:
    # No date at all, whatever SOURCE_DATE_EPOCH says: a figure saved from JupyterLab (where
    # make's environment is not set) must be the same file as one saved by `make report`.
    return {"Software": None} if fmt == "png" else {"Date": None}
