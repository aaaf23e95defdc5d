"""Load notebook parameters from the versioned ``params.yaml`` and command-line overrides."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml


class ParameterError(ValueError):
    """Raised when a parameter file or override is malformed."""


def load_params(path: str | Path) -> dict[str, Any]:
    """Read a flat YAML mapping of parameters.

    Parameters
    ----------
    path
        The parameter file, normally ``params.yaml`` at the project root.

    Returns
    -------
    dict
        Parameter names mapped to their default values.

    Raises
    ------
    ParameterError
        If the file is not a flat mapping of scalars.
    """
    path = Path(path)
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ParameterError(f"{path}: not valid YAML ({error})") from error
    if not isinstance(loaded, dict):
        raise ParameterError(f"{path}: expected a mapping of parameter names to values")
    nested = [key for key, value in loaded.items() if isinstance(value, dict | list)]
    if nested:
        raise ParameterError(f"{path}: parameters must be scalars, but {nested} are not")
    return loaded


def apply_overrides(params: Mapping[str, Any], overrides: Sequence[str]) -> dict[str, Any]:
    """Return a copy of ``params`` with ``key=value`` overrides applied.

    Values are parsed as YAML scalars, so ``alpha=0.01`` gives a float and
    ``lang=en`` a string. Unknown keys are refused so that a typo cannot pass unnoticed.

    Parameters
    ----------
    params
        Defaults, usually from :func:`load_params`.
    overrides
        Strings of the form ``key=value``.

    Returns
    -------
    dict
        A new mapping with the overrides applied.

    Raises
    ------
    ParameterError
        If an override is not ``key=value`` or names an unknown parameter.

    Examples
    --------
    >>> apply_overrides({"alpha": 0.05}, ["alpha=0.01"])
    {'alpha': 0.01}
    """
    merged = dict(params)
    for override in overrides:
        key, sep, raw_value = override.partition("=")
        if not sep or not key:
            raise ParameterError(f"override {override!r} must have the form key=value")
        if key not in merged:
            raise ParameterError(
                f"unknown parameter {key!r}; known parameters are {sorted(merged)}"
            )
        merged[key] = yaml.safe_load(raw_value) if raw_value != "" else ""
    return merged
