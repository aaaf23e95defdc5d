"""Notebook 03 end to end: the exported project, coded by a person, becomes the themes' basis."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import zipfile

import pandas as pd
import pytest
from lxml import etree

from ruralplan.interviews import io as files
from ruralplan.interviews import refiqda, segments
from tests.conftest import PROJECT_ROOT

EXAMPLE = PROJECT_ROOT / "examples" / "village-halls"
SCHEMA = PROJECT_ROOT.parent / "shared" / "refi-qda" / "Project.xsd"
Q = "urn:QDA-XML:project:1.0"
CODER = "Kodētāja A"
CODER_GUID = "0C2F7E43-8E35-4C43-9B0B-0C5A6A1D2E11"


def _run(root, *overrides):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruralplan",
            "run",
            *[arg for key in overrides for arg in ("-p", key)],
            "notebooks/03_code_interviews.ipynb",
            "reports/village-halls/notebooks/03_code_interviews.ipynb",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def _code_as_a_person(exported: bytes, gold: pd.DataFrame, speakers) -> bytes:
    """Code every gold row under a person's user, selecting its paragraph, as a tool would."""
    with zipfile.ZipFile(io.BytesIO(exported)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    root = etree.fromstring(members["project.qde"])
    etree.SubElement(root.find(f"{{{Q}}}Users"), f"{{{Q}}}User", guid=CODER_GUID, name=CODER)
    texts, sources = {}, {}
    for source in root.iter(f"{{{Q}}}TextSource"):
        path = "sources/" + source.get("plainTextPath").removeprefix("internal://")
        texts[source.get("name")] = members[path].decode("utf-8")
        sources[source.get("name")] = source
    spans = segments.segment_spans(texts, speakers=speakers).set_index(
        ["interview_id", "segment_id"]
    )
    for number, row in enumerate(gold.itertuples(index=False)):
        start, end = spans.loc[(row.interview_id, row.segment_id)]
        selection = etree.SubElement(
            sources[row.interview_id],
            f"{{{Q}}}PlainTextSelection",
            guid=f"00000000-0000-4000-8000-{number:012d}",
            startPosition=str(start),
            endPosition=str(end),
            creatingUser=CODER_GUID,
        )
        coding = etree.SubElement(
            selection, f"{{{Q}}}Coding", guid=f"00000000-0000-4000-9000-{number:012d}"
        )
        etree.SubElement(coding, f"{{{Q}}}CodeRef", targetGUID=refiqda.guid_for(row.code))
    members["project.qde"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.slow
def test_a_coded_project_becomes_the_basis_of_the_themes(tmp_path):
    shutil.copytree(EXAMPLE, tmp_path / "study")
    shutil.copytree(PROJECT_ROOT / "notebooks", tmp_path / "notebooks")
    (tmp_path / "pyproject.toml").write_text('[tool.ruralplan]\ndefault-study = "study"\n')
    tables = tmp_path / "reports" / "village-halls" / "tables"

    _run(tmp_path)
    basis = pd.read_csv(tables / "interview_coding_basis.csv")
    assert basis.loc[0, "basis"] == "machine" and not basis.loc[0, "reviewed"]
    assert "machine-coded" in basis.loc[0, "statement_en"]
    exported = (tmp_path / "reports" / "village-halls" / "interviews.qdpx").read_bytes()
    if SCHEMA.is_file():
        import xmlschema

        with zipfile.ZipFile(io.BytesIO(exported)) as archive:
            xmlschema.XMLSchema(str(SCHEMA)).validate(etree.fromstring(archive.read("project.qde")))

    gold = files.read_gold(EXAMPLE / "raw" / "interviews" / "gold_coding.csv")
    codebook = files.read_interview_codebook(EXAMPLE / "codebooks" / "interviews.yaml")
    coded = tmp_path / "coded.qdpx"
    coded.write_bytes(_code_as_a_person(exported, gold, codebook.speakers))
    _run(tmp_path, f"qdpx={coded}")

    basis = pd.read_csv(tables / "interview_coding_basis.csv")
    assert basis.loc[0, "basis"] == "human" and basis.loc[0, "coders"] == CODER
    # the code matrix now counts the person's codings: the gold rows, per code
    expected = gold.groupby("code")["interview_id"].nunique()
    matrix = pd.read_csv(tables / "interview_code_matrix.csv").set_index("code")
    assert (
        matrix["n_interviews"].to_dict() == expected.reindex(matrix.index, fill_value=0).to_dict()
    )
    # the base is the interviews the person coded (those of the gold file), not all six
    assert set(matrix["n_interviews_total"]) == {gold["interview_id"].nunique()}
    assert matrix.columns.str.startswith("hall").sum() == gold["interview_id"].nunique()
    agreement = pd.read_csv(tables / "interview_coder_agreement.csv")
    pooled = agreement[agreement["code"] == "(all codes)"]
    assert list(zip(pooled["coder_a"], pooled["coder_b"], strict=True)) == [
        ("ruralplan rule coder", CODER),
        ("ruralplan rule coder", "gold coding"),
        (CODER, "gold coding"),
    ]
    assert pooled["kappa"].iloc[2] == pytest.approx(1.0)  # the person coded as the gold coding
    quotes = pd.read_csv(tables / "interview_exemplar_quotes.csv")
    assert (quotes["n_human"] == 2).all()  # the person and the gold coding
