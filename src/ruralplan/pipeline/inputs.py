"""Read what each pipeline step needs from a study's files.

The notebooks ask for a step's inputs by study, not by path; this module knows which study key
feeds which reader, and what an optional input that a study leaves out means (no claims to
check, no tests to run, no register to redact with).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ruralplan.io import read_yaml
from ruralplan.pipeline.study import Study, StudyError


def survey_inputs(study: Study) -> tuple[Any, Any]:
    """Read the questionnaire codebook and, when the study names them, the reference lists.

    Parameters
    ----------
    study
        The study.

    Returns
    -------
    tuple
        The :class:`~ruralplan.survey.codebook.Codebook` and the
        :class:`~ruralplan.survey.clean.References` (``None`` without reference lists).

    Raises
    ------
    StudyError
        If only one of ``municipalities`` and ``municipality_aliases`` is named.
    """
    from ruralplan.survey import io as survey_io

    codebook = survey_io.read_survey_codebook(study.require("survey_codebook"))
    units, aliases = study.path("municipalities"), study.path("municipality_aliases")
    if (units is None) != (aliases is None):
        raise StudyError(
            f"{study.study_file}: name both `municipalities` and `municipality_aliases`, or neither"
        )
    references = survey_io.load_references(units, aliases) if units and aliases else None
    return codebook, references


def survey_export(study: Study, codebook: Any) -> Any:
    """Read the study's export, from its ``survey_sheet`` when it is a workbook.

    Parameters
    ----------
    study
        The study.
    codebook
        Its questionnaire codebook: the number of questions bounds how many columns are read.

    Returns
    -------
    pandas.DataFrame
        The export as text (see :func:`ruralplan.survey.io.read_export`).
    """
    from ruralplan.survey import io as survey_io

    sheet = study.settings["survey_sheet"]
    return survey_io.read_export(
        study.require("survey"),
        sheet=None if sheet == "" else sheet,
        expected_columns=len(codebook.questions),
    )


def published_claims(study: Study) -> list[dict[str, Any]]:
    """Read the study's published claims; an empty list when it names none."""
    from ruralplan.analysis import claims_io

    path = study.path("claims")
    return claims_io.read_claims(path) if path else []


@dataclass(frozen=True)
class CrosstabPlan:
    """What notebook 04 tests: pairs, short variable labels and the optional regression.

    Attributes
    ----------
    pairs
        Outcome/predictor pairs (empty when the study names no ``crosstab_pairs``).
    labels_document
        The variable-label file as read (no variables without one).
    model
        ``(outcome, predictors)`` of the logistic regression, or ``None``.
    model_name
        File stem of the regression's tables: the ``logit.name`` of the pairs file, or
        ``logit_<outcome>``.
    """

    pairs: list[dict[str, Any]]
    labels_document: dict[str, Any]
    model: tuple[str, list[str]] | None
    model_name: str


def crosstab_plan(study: Study) -> CrosstabPlan:
    """Read the study's cross-tab pairs, variable labels and regression model."""
    from ruralplan.analysis import crosstab_io

    pairs_path, labels_path = study.path("crosstab_pairs"), study.path("variable_labels")
    # Without a label file every variable is shown by its codebook name.
    labels_document = read_yaml(labels_path) if labels_path else {"variables": {}}
    if pairs_path is None:
        return CrosstabPlan([], labels_document, None, "")
    document = read_yaml(pairs_path)
    model = crosstab_io.read_model(pairs_path) if "logit" in document else None
    name = ""
    if model is not None:
        name = str(document["logit"].get("name") or f"logit_{model[0]}")
    return CrosstabPlan(crosstab_io.read_pairs(pairs_path), labels_document, model, name)


def personal_data_register(study: Study) -> tuple[Any, str]:
    """Read the study's register of personal data, or an empty one when it names none.

    Without a register, redaction still replaces what its patterns find (phones, e-mails,
    codes...), but no names or places: the notebook says so.

    Returns
    -------
    tuple
        The register table and its source (the file, or a note that there is none).
    """
    import pandas as pd

    from ruralplan.interviews import io as interview_io
    from ruralplan.interviews.redact import REGISTER_COLUMNS

    path = study.path("pii_register")
    if path is None:
        return pd.DataFrame(columns=list(REGISTER_COLUMNS)), f"{study.study_file}: no pii_register"
    return interview_io.read_register(path), str(path)


def gold_coding(study: Study) -> tuple[Any, str]:
    """Read the study's human (gold) coding, or an empty one when it names none.

    Returns
    -------
    tuple
        The gold table (columns ``interview_id``, ``segment_id``, ``code``) and its source.
    """
    import pandas as pd

    from ruralplan.interviews import io as interview_io
    from ruralplan.interviews.reliability import GOLD_COLUMNS

    path = study.path("gold_coding")
    if path is None:
        return pd.DataFrame(columns=GOLD_COLUMNS), f"{study.study_file}: no gold_coding"
    return interview_io.read_gold(path), str(path)


INTERVIEW_METADATA = "metadata.csv"
"""Interview metadata, when a study keeps them, sit beside the transcripts under this name."""


def interview_metadata(study: Study) -> tuple[Any, str]:
    """Read the interview metadata kept beside the transcripts, or none.

    The metadata (date, type of community, region...) become case variables of the REFI-QDA
    project; the file is ``metadata.csv`` in the transcripts folder, with an ``interview_id``
    column.

    Returns
    -------
    tuple
        The table (only ``interview_id`` when there is none) and its source.
    """
    import pandas as pd

    from ruralplan.interviews import io as interview_io

    folder = study.path("transcripts")
    path = folder / INTERVIEW_METADATA if folder is not None else None
    if path is None or not path.is_file():
        return pd.DataFrame({"interview_id": []}, dtype="string"), "no interview metadata"
    return interview_io.read_metadata(path), str(path)


def human_coding(study: Study, texts: Any, codebook: Any) -> tuple[Any, str]:
    """Read the codings of the study's coded REFI-QDA project (``qdpx``), or none.

    Parameters
    ----------
    study
        The study.
    texts
        Interview id mapped to the redacted transcript the project must hold.
    codebook
        The interview codebook.

    Returns
    -------
    tuple
        Every coding of the project, the rule coder's included
        (:data:`.refiqda_import.CODING_COLUMNS`), and its source (the file, or a note that
        there is none).
    """
    import pandas as pd

    from ruralplan.interviews import io as interview_io
    from ruralplan.interviews.refiqda_import import CODING_COLUMNS, import_qdpx

    path = study.path("qdpx")
    if path is None:
        return pd.DataFrame(columns=CODING_COLUMNS), f"{study.study_file}: no qdpx"
    data = interview_io.read_bytes(path)
    return import_qdpx(data, texts, codebook, source=str(path)), str(path)
