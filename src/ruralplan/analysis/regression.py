"""Logistic regression of a binary outcome, with plain warnings when it cannot be trusted.

statsmodels fits the model (formula API, binomial GLM, the same estimates as R's ``glm``) and
only warns on perfect separation; here convergence, complete and quasi-complete separation (by
any predictor or combination of predictors, found by a linear program; Konis 2007), absurd
standard errors and too few events per variable are checked explicitly and reported as
warnings with a code and a sentence.

A term that repeats earlier ones (a predictor with a single value in the analysed rows, or
one predictor copying another) has no estimate: like R's ``glm`` it is left out of the fit and
reported with NaN (R's ``NA``) and a ``not_defined`` warning, instead of statsmodels'
pseudo-inverse silently sharing the intercept between the two.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy.optimize import linprog

from ruralplan.narrative import format_number

COEFFICIENT_COLUMNS = [
    "term",
    "estimate",
    "std_error",
    "z",
    "p_value",
    "odds_ratio",
    "ci_low",
    "ci_high",
]
WARNING_COLUMNS = ["code", "message_en", "message_lv"]
MIN_EVENTS_PER_VARIABLE = 10.0
MAX_STD_ERROR = 10.0
ALIAS_TOLERANCE = 1e-7
"""A design column whose part not explained by earlier columns is below this share of its own
length is aliased (R's ``lm`` and ``dqrdc2`` use the same 1e-7)."""
SEPARATION_TOLERANCE = 1e-7
"""A separating direction must beat this (on columns scaled to at most 1) to count."""


@dataclass(frozen=True)
class LogitResult:
    """A fitted logistic regression: coefficients, fit summary and warnings.

    Attributes
    ----------
    coefficients
        Columns :data:`COEFFICIENT_COLUMNS`; odds ratios and Wald 95 % intervals on the odds
        scale (R's ``exp(confint.default(fit))``). Empty when the fit failed.
    summary
        ``formula, n, n_missing, events, non_events, n_parameters, events_per_variable,
        converged``.
    warnings
        Columns :data:`WARNING_COLUMNS`; no rows when nothing looks wrong.
    """

    coefficients: pd.DataFrame
    summary: dict
    warnings: pd.DataFrame


def _term_name(raw: str) -> str:
    """Turn ``C(org_type)[T.vrg]`` into ``org_type[vrg]``; other names stay as they are."""
    match = re.fullmatch(r"C\((\w+)\)\[T\.(.+)\]", raw)
    return f"{match.group(1)}[{match.group(2)}]" if match else raw


def _model_frame(
    data: pd.DataFrame, outcome: str, predictors: Sequence[str]
) -> tuple[pd.DataFrame, int, list[str]]:
    """Return complete cases, outcome as 0/1, booleans as 0/1, empty categories dropped."""
    missing = [c for c in [outcome, *predictors] if c not in data.columns]
    if missing:
        raise ValueError(
            f"Columns {missing} are not in the data; available are {sorted(map(str, data))}."
        )
    frame = data[[outcome, *predictors]]
    complete = frame.notna().all(axis=1)
    if not complete.any():
        gaps = ", ".join(f"{c} {int(n)}" for c, n in frame.isna().sum().items() if n)
        raise ValueError(
            f"No row has the outcome and every predictor, so no model can be fitted: of "
            f"{len(frame)} rows, missing values per column: {gaps or 'none (the data are empty)'}."
        )
    frame = frame[complete].copy()
    if not pd.api.types.is_bool_dtype(frame[outcome].dtype):
        raise ValueError(f"The outcome {outcome!r} must be boolean, not {frame[outcome].dtype}.")
    frame[outcome] = frame[outcome].astype(int)
    dropped = []
    for column in predictors:
        series = frame[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            unused = [str(c) for c in series.cat.categories if not (series == c).any()]
            dropped += [f"{column}={c}" for c in unused]
            frame[column] = series.cat.remove_unused_categories()
        elif pd.api.types.is_bool_dtype(series.dtype):
            frame[column] = series.astype(int)
        elif pd.api.types.is_numeric_dtype(series.dtype):
            frame[column] = series.astype(float)
        else:
            raise ValueError(
                f"The predictor {column!r} must be categorical, boolean or numeric, "
                f"not {series.dtype}."
            )
    return frame, int((~complete).sum()), dropped


def covariate_patterns(
    frame: pd.DataFrame, columns: Sequence[str]
) -> tuple[pd.DataFrame, np.ndarray]:
    """Collapse rows that agree on every column into one, with how many rows it stands for.

    A binomial model of the distinct patterns of outcome and predictors, each weighted by its
    number of rows (frequency weights), has the same likelihood, estimates and standard errors
    as the model of every row; with categorical predictors and whole-number ages a million
    respondents fall into a few thousand patterns, so the fit no longer grows with the rows.

    Parameters
    ----------
    frame
        Complete cases.
    columns
        The columns that define a pattern (the outcome and the predictors).

    Returns
    -------
    tuple
        The patterns (the same columns and dtypes, first-seen order) and their row counts.

    Examples
    --------
    >>> frame = pd.DataFrame({"y": [1, 1, 0, 1], "x": [2.0, 2.0, 2.0, 3.0]})
    >>> patterns, weights = covariate_patterns(frame, ["y", "x"])
    >>> patterns.to_dict("list"), weights.tolist()
    ({'y': [1, 0, 1], 'x': [2.0, 2.0, 3.0]}, [2, 1, 1])
    """
    columns = list(columns)
    grouped = frame.groupby(columns, observed=True, sort=False).size()
    patterns = grouped.index.to_frame(index=False)
    for column in columns:
        patterns[column] = patterns[column].astype(frame[column].dtype)
    return patterns, grouped.to_numpy(dtype=np.int64)


def _formula(frame: pd.DataFrame, outcome: str, predictors: Sequence[str]) -> str:
    terms = [
        f"C({c})" if isinstance(frame[c].dtype, pd.CategoricalDtype) else c for c in predictors
    ]
    return f"{outcome} ~ " + " + ".join(terms)


def _warning(code: str, en: str, lv: str) -> dict[str, str]:
    return {"code": code, "message_en": en, "message_lv": lv}


def _separated_levels(
    frame: pd.DataFrame, outcome: str, predictors: Sequence[str], booleans: Sequence[str]
) -> list[str]:
    """List categories (and boolean values) in which every respondent has the same outcome."""
    found = []
    for column in predictors:
        if isinstance(frame[column].dtype, pd.CategoricalDtype) or column in booleans:
            shares = frame.groupby(column, observed=True)[outcome].mean()
            name = (lambda v: str(bool(v))) if column in booleans else str
            found += [f"{column}={name(v)}" for v, share in shares.items() if share in (0, 1)]
    return found


def separating_direction(
    design: np.ndarray, outcome: np.ndarray, weights: np.ndarray | None = None
) -> np.ndarray | None:
    """Find a direction that separates the outcomes, if there is one (Konis 2007).

    The data are separated (completely or quasi-completely; Albert & Anderson 1984) when some
    ``b`` has ``x_i b >= 0`` for every event and ``<= 0`` for every non-event, and not all zero;
    the likelihood then grows without bound along ``b``. The linear program maximises the sum
    of those signed margins with ``-1 <= b <= 1``: zero means no separation.

    Parameters
    ----------
    design
        The model matrix of the estimable terms.
    outcome
        0/1 per row.
    weights
        How many respondents each row stands for (:func:`covariate_patterns`); 1 each by
        default. Repeated rows add nothing to the constraints, only to the objective.

    Returns
    -------
    numpy.ndarray or None
        The direction (on columns scaled to at most 1 in absolute value), or None.

    Examples
    --------
    >>> x = np.array([[1.0, 1], [1, 2], [1, 3], [1, 4]])
    >>> separating_direction(x, np.array([0, 0, 1, 1])) is not None
    True
    >>> separating_direction(x, np.array([0, 1, 0, 1])) is None
    True
    """
    design = np.asarray(design, dtype=float)
    scale = np.abs(design).max(axis=0)
    signed = design / np.where(scale > 0, scale, 1.0) * np.where(outcome > 0, 1.0, -1.0)[:, None]
    counts = np.ones(len(signed)) if weights is None else np.asarray(weights, dtype=float)
    result = linprog(
        -(counts @ signed),
        A_ub=-signed,
        b_ub=np.zeros(len(signed)),
        bounds=(-1, 1),
        method="highs",
    )
    if result.status != 0 or -result.fun <= SEPARATION_TOLERANCE:
        return None
    return result.x


def _direction_terms(names: Sequence[str], direction: np.ndarray) -> list[str]:
    """Terms other than the intercept that take part in a separating direction."""
    return [
        name
        for name, weight in zip(names, direction, strict=True)
        if abs(weight) > SEPARATION_TOLERANCE and name != "Intercept"
    ]


def _design_warnings(
    frame: pd.DataFrame,
    outcome: str,
    predictors: Sequence[str],
    n_parameters: int,
    dropped: list[str],
    *,
    booleans: Sequence[str] = (),
    separating: Sequence[str] = (),
) -> list[dict[str, str]]:
    found = []
    events = int(frame[outcome].sum())
    smallest = min(events, len(frame) - events)
    epv = smallest / max(n_parameters - 1, 1)
    if epv < MIN_EVENTS_PER_VARIABLE:
        found.append(
            _warning(
                "few_events",
                f"Only {format_number(epv, 'en')} events per estimated coefficient (fewer than "
                f"{MIN_EVENTS_PER_VARIABLE:g}): estimates and intervals are unreliable.",
                f"Uz katru novērtēto koeficientu ir tikai {format_number(epv, 'lv')} notikumi "
                f"(mazāk par {MIN_EVENTS_PER_VARIABLE:g}): novērtējumi un intervāli nav uzticami.",
            )
        )
    separation = _separation_warning(
        _separated_levels(frame, outcome, predictors, booleans), separating
    )
    if separation:
        found.append(separation)
    if dropped:
        listed = ", ".join(dropped)
        found.append(
            _warning(
                "empty_categories",
                f"Categories with no respondents were left out: {listed}.",
                f"Kategorijas bez respondentiem izlaistas: {listed}.",
            )
        )
    return found


def _separation_warning(levels: Sequence[str], terms: Sequence[str]) -> dict[str, str] | None:
    """Name the categories with a single outcome, else the terms of a separating direction."""
    if levels:
        listed = ", ".join(levels)
        return _warning(
            "separation",
            f"Every respondent in {listed} has the same outcome (separation): the odds ratio "
            "for that category is infinite or zero and its interval meaningless.",
            f"Visiem respondentiem grupā {listed} ir vienāds iznākums (separācija): šīs "
            "kategorijas izredžu attiecība ir bezgalīga vai nulle, tās intervāls bez nozīmes.",
        )
    if terms:
        listed = ", ".join(terms)
        return _warning(
            "separation",
            f"The outcome is predicted without error by {listed} (separation): the estimates "
            "run off to infinity and their odds ratios and intervals are meaningless.",
            f"Iznākumu bez kļūdām paredz {listed} (separācija): novērtējumi aiziet uz "
            "bezgalību, to izredžu attiecības un intervāli ir bez nozīmes.",
        )
    return None


def _fit_warnings(fit, names: list[str]) -> list[dict[str, str]]:
    found = []
    if not fit.converged:
        found.append(
            _warning(
                "not_converged",
                "The fit did not converge: do not use these estimates.",
                "Modeļa novērtēšana nekonverģēja: šos novērtējumus nelietot.",
            )
        )
    bse = np.asarray(fit.bse, dtype=float)
    absurd = [
        name
        for name, se in zip(names, bse, strict=True)
        if not np.isfinite(se) or se > MAX_STD_ERROR
    ]
    if absurd:
        listed = ", ".join(absurd)
        found.append(
            _warning(
                "huge_std_error",
                f"Standard errors above {MAX_STD_ERROR:g} on the log-odds scale for {listed}: "
                "a sign of separation; these terms cannot be interpreted.",
                f"Standartkļūda virs {MAX_STD_ERROR:g} (logaritmisko izredžu skalā) terminiem "
                f"{listed}: separācijas pazīme; šos terminus nevar interpretēt.",
            )
        )
    return found


def fit_logit(data: pd.DataFrame, *, outcome: str, predictors: Sequence[str]) -> LogitResult:
    """Fit a logistic regression of a boolean ``outcome`` on ``predictors``.

    Categorical predictors enter as treatment contrasts against their first category (the
    codebook order decides the reference); empty categories are dropped and reported.

    Parameters
    ----------
    data
        One row per respondent.
    outcome
        A boolean column.
    predictors
        Categorical, boolean or numeric columns.

    Returns
    -------
    LogitResult
        Coefficients with odds ratios and Wald intervals, a summary and warnings. A fit that
        fails (e.g. a singular design) gives no coefficients and a ``fit_failed`` warning.

    Raises
    ------
    ValueError
        If a column is missing or has an unusable type, or no row is complete (the message
        counts the missing values of each column).
    """
    frame, n_missing, dropped = _model_frame(data, outcome, predictors)
    booleans = [c for c in predictors if pd.api.types.is_bool_dtype(data[c].dtype)]
    formula = _formula(frame, outcome, predictors)
    events = int(frame[outcome].sum())
    summary = {
        "formula": formula,
        "n": len(frame),
        "n_missing": n_missing,
        "events": events,
        "non_events": len(frame) - events,
    }
    coefficients = pd.DataFrame(columns=COEFFICIENT_COLUMNS)
    patterns, weights = covariate_patterns(frame, [outcome, *predictors])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = smf.glm(formula, patterns, family=sm.families.Binomial())
            design = pd.DataFrame(model.exog, columns=model.exog_names)
            # rows scaled by the square root of their weight have the column lengths and
            # residuals of the full design, so aliasing is judged as on every row
            keep = estimable_columns(model.exog * np.sqrt(weights)[:, None])
            fit = sm.GLM(
                pd.Series(model.endog),
                design.loc[:, keep],
                family=sm.families.Binomial(),
                freq_weights=weights,
            ).fit()
    except (ValueError, np.linalg.LinAlgError) as error:
        summary.update(n_parameters=0, events_per_variable=float("nan"), converged=False)
        failed = _warning(
            "fit_failed",
            f"The model could not be fitted: {error}.",
            f"Modeli nevarēja novērtēt: {error}.",
        )
        found = [failed] + _design_warnings(
            frame, outcome, predictors, 1, dropped, booleans=booleans
        )
        return LogitResult(coefficients, summary, pd.DataFrame(found, columns=WARNING_COLUMNS))
    names = [_term_name(str(name)) for name in design.columns]
    coefficients = _coefficients(fit, names, keep)
    n_parameters = int(keep.sum())
    summary.update(
        n_parameters=n_parameters,
        events_per_variable=min(events, len(frame) - events) / max(n_parameters - 1, 1),
        converged=bool(fit.converged),
    )
    kept = [name for name, k in zip(names, keep, strict=True) if k]
    undefined = [name for name, k in zip(names, keep, strict=True) if not k]
    undefined += _one_level_categories(frame, predictors)
    direction = separating_direction(
        design.loc[:, keep].to_numpy(float), model.endog, weights=weights
    )
    found = _fit_warnings(fit, kept) + _design_warnings(
        frame,
        outcome,
        predictors,
        n_parameters,
        dropped,
        booleans=booleans,
        separating=[] if direction is None else _direction_terms(kept, direction),
    )
    if undefined:
        found.append(_undefined_warning(undefined))
    return LogitResult(coefficients, summary, pd.DataFrame(found, columns=WARNING_COLUMNS))


def _coefficients(fit: Any, names: list[str], keep: np.ndarray) -> pd.DataFrame:
    """Coefficient rows of every design column; aliased columns are NaN, as R's ``NA``."""

    def spread(values: Any) -> np.ndarray:
        full = np.full(len(names), np.nan)
        full[keep] = np.asarray(values, dtype=float)
        return full

    interval = np.asarray(fit.conf_int(), dtype=float)
    estimate = spread(fit.params)
    with np.errstate(over="ignore"):
        return pd.DataFrame(
            {
                "term": names,
                "estimate": estimate,
                "std_error": spread(fit.bse),
                "z": spread(fit.tvalues),
                "p_value": spread(fit.pvalues),
                "odds_ratio": np.exp(estimate),
                "ci_low": np.exp(spread(interval[:, 0])),
                "ci_high": np.exp(spread(interval[:, 1])),
            }
        )


def estimable_columns(design: np.ndarray, *, tol: float = ALIAS_TOLERANCE) -> np.ndarray:
    """Flag the design columns that are not linear combinations of earlier ones.

    Columns are taken in order, as R's ``glm`` does: a column whose residual on the columns
    already kept is shorter than ``tol`` times its own length (an all-zero column, a copy of the
    intercept) is aliased and gets no estimate.

    Parameters
    ----------
    design
        The model matrix, intercept first.
    tol
        Relative tolerance.

    Returns
    -------
    numpy.ndarray
        Boolean, True for a column to fit.

    Examples
    --------
    >>> estimable_columns(np.array([[1.0, 1.0, 0.0, 2.0], [1.0, 1.0, 0.0, 3.0]])).tolist()
    [True, False, False, True]
    """
    design = np.asarray(design, dtype=float)
    keep = np.zeros(design.shape[1], dtype=bool)
    for j in range(design.shape[1]):
        column = design[:, j]
        length = np.linalg.norm(column)
        residual = column
        if keep.any():
            basis = design[:, keep]
            residual = column - basis @ np.linalg.lstsq(basis, column, rcond=None)[0]
        keep[j] = length > 0 and np.linalg.norm(residual) > tol * length
    return keep


def _one_level_categories(frame: pd.DataFrame, predictors: Sequence[str]) -> list[str]:
    """Categorical predictors with one observed category: the formula gives them no term."""
    return [
        column
        for column in predictors
        if isinstance(frame[column].dtype, pd.CategoricalDtype)
        and len(frame[column].cat.categories) < 2
    ]


def _undefined_warning(terms: Sequence[str]) -> dict[str, str]:
    listed = ", ".join(terms)
    return _warning(
        "not_defined",
        f"No estimate for {listed}: in the analysed rows it takes a single value or repeats "
        "other terms, so its effect cannot be separated (R reports NA).",
        f"Nav novērtējuma terminam {listed}: analizētajās rindās tam ir tikai viena vērtība "
        "vai tas atkārto citus terminus, tāpēc tā ietekmi nevar nodalīt (R rāda NA).",
    )


def validate_model(spec: object, *, source: str = "model") -> tuple[str, list[str]]:
    """Check a ``logit: {outcome, predictors}`` entry of the analysis file.

    Parameters
    ----------
    spec
        The parsed analysis file (a mapping with a ``logit`` key).
    source
        File name, for messages.

    Returns
    -------
    tuple
        The outcome column and the list of predictor columns.

    Raises
    ------
    ValueError
        If the entry is missing or malformed.
    """
    model = spec.get("logit") if isinstance(spec, dict) else None
    if (
        not isinstance(model, dict)
        or not isinstance(model.get("outcome"), str)
        or not isinstance(model.get("predictors"), list)
        or not model["predictors"]
    ):
        raise ValueError(
            f"{source}: expected `logit:` with an `outcome` column and a non-empty "
            f"`predictors` list, but got {model!r}."
        )
    return model["outcome"], [str(p) for p in model["predictors"]]
