"""Write the synthetic survey export of the village hall example (deterministic).

Run from anywhere with the project's environment::

    .venv/bin/python examples/village-halls/make_data.py

It reads ``codebooks/survey.yaml`` and ``raw/synthetic.yaml`` next to this file, draws the
export with the package's own generator (:func:`ruralplan.survey.synthetic.generate_export`,
seeded by the spec) and writes ``raw/survey_export.csv`` and ``raw/SHA256SUMS``. The questionnaire
has no ``lookup`` question, so the generator gets empty reference lists. Running it twice gives
the same bytes.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ruralplan.io import read_yaml
from ruralplan.survey import io as survey_io
from ruralplan.survey.synthetic import generate_export

HERE = Path(__file__).resolve().parent
EXPORT = HERE / "raw" / "survey_export.csv"
CHECKSUMS = HERE / "raw" / "SHA256SUMS"


def build_export(folder: Path = HERE) -> pd.DataFrame:
    """Generate the export table from the example's codebook and generator spec.

    Parameters
    ----------
    folder
        The example study's folder.

    Returns
    -------
    pandas.DataFrame
        The export as the online form would give it: question texts as headers.
    """
    codebook = survey_io.read_survey_codebook(folder / "codebooks" / "survey.yaml")
    spec = read_yaml(folder / "raw" / "synthetic.yaml")
    no_places = pd.DataFrame({"name": [], "type": []}, dtype=str)
    no_aliases = pd.DataFrame({"alias": [], "name": [], "kind": []}, dtype=str)
    return generate_export(codebook, spec, no_places, no_aliases)


def main() -> None:
    """Write the export and its checksum file."""
    export = survey_io.write_export(build_export(), EXPORT)
    survey_io.write_checksums([export], CHECKSUMS)
    print(f"wrote {export.relative_to(HERE)} and {CHECKSUMS.relative_to(HERE)}")


if __name__ == "__main__":
    main()
