"""REFI-QDA project export (.qdpx): schema-valid, deterministic, redacted, rule codings."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest
from lxml import etree

from ruralplan.interviews import coder, redact, refiqda, segments
from ruralplan.interviews import io as files
from ruralplan.interviews import refiqda_project as project
from tests.conftest import PROJECT_ROOT

SCHEMA = PROJECT_ROOT.parent / "shared" / "refi-qda" / "Project.xsd"
RAW = PROJECT_ROOT / "data" / "raw" / "interviews"
CODEBOOK = PROJECT_ROOT / "data" / "codebooks" / "interviews.yaml"
TINY = PROJECT_ROOT / "tests" / "data" / "interviews_tiny"
NS = {"q": project.PROJECT_NAMESPACE}


@pytest.fixture(scope="module")
def schema():
    if not SCHEMA.is_file():
        pytest.skip(
            "the REFI-QDA project schema Project.xsd is not beside the project "
            "(../shared/refi-qda/); it is not shipped with the package"
        )
    import xmlschema

    return xmlschema.XMLSchema(str(SCHEMA))


def _build(folder, codebook_path, metadata=None):
    codebook = files.read_interview_codebook(codebook_path)
    config = redact.parse_redaction_config(codebook.redaction, language=codebook.language)
    register = redact.check_register(files.read_register(folder / "pii_register.csv"), config)
    texts, _ = redact.redact_transcripts(files.read_transcripts(folder), register, config)
    parts = segments.segment_transcripts(texts, speakers=codebook.speakers)
    coded = coder.code_segments(parts, codebook)
    spans = segments.segment_spans(texts, speakers=codebook.speakers)
    data = project.export_qdpx(
        texts, spans, coded, codebook, metadata=metadata, name="test", description="d"
    )
    return {"codebook": codebook, "texts": texts, "segments": parts, "coded": coded, "qdpx": data}


@pytest.fixture(scope="module")
def shipped():
    metadata = pd.read_csv(RAW / "metadata.csv", dtype="string", keep_default_na=False)
    return _build(RAW, CODEBOOK, metadata)


@pytest.fixture(scope="module")
def tiny():
    return _build(TINY, TINY / "codebook.yaml")


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _root(data: bytes) -> etree._Element:
    return etree.fromstring(_members(data)["project.qde"])


@pytest.mark.parametrize("which", ["shipped", "tiny"])
def test_project_validates_against_the_schema(schema, which, request):
    built = request.getfixturevalue(which)
    schema.validate(_root(built["qdpx"]))


def test_the_schema_check_would_catch_a_misordered_project(schema, tiny):
    # The validation is not vacuous: Cases after Sources breaks the schema's sequence.
    root = _root(tiny["qdpx"])
    cases = root.find("q:Cases", NS)
    root.remove(cases)
    root.append(cases)
    assert not schema.is_valid(root)


def test_export_is_deterministic(tiny):
    again = _build(TINY, TINY / "codebook.yaml")
    assert again["qdpx"] == tiny["qdpx"]


def test_every_interview_is_a_text_source_holding_its_redacted_transcript(shipped):
    members = _members(shipped["qdpx"])
    root = etree.fromstring(members["project.qde"])
    sources = root.findall("q:Sources/q:TextSource", NS)
    assert [s.get("name") for s in sources] == [f"int{n:02d}" for n in range(1, 17)]
    for source in sources:
        path = source.get("plainTextPath")
        assert path == f"internal://{source.get('guid')}.txt"
        text = members["sources/" + path.removeprefix("internal://")].decode("utf-8")
        assert text == shipped["texts"][source.get("name")]


def test_rule_codings_select_their_segments_and_are_by_the_rule_coder(shipped):
    root = _root(shipped["qdpx"])
    users = root.findall("q:Users/q:User", NS)
    assert [(u.get("name"), u.get("guid")) for u in users] == [
        (project.RULE_CODER, project.user_guid("rule"))
    ]
    segment_text = shipped["segments"].set_index(["interview_id", "segment_id"])["text"]
    found = []
    for source in root.findall("q:Sources/q:TextSource", NS):
        text = shipped["texts"][source.get("name")]
        for selection in source.findall("q:PlainTextSelection", NS):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            key = (source.get("name"), selection.get("name"))
            # the selection is the whole paragraph (each is one line in the shipped transcripts)
            assert text[start:end] == segment_text[key]
            assert selection.get("creatingUser") == project.user_guid("rule")
            for coding in selection.findall("q:Coding", NS):
                found.append((*key, coding.find("q:CodeRef", NS).get("targetGUID")))
    coded = shipped["coded"]
    expected = [
        (r.interview_id, r.segment_id, refiqda.guid_for(r.code)) for r in coded.itertuples()
    ]
    assert sorted(found) == sorted(expected)
    assert len(found) == 267  # coded segment-code pairs of the shipped study (notebook 03)


def test_codebook_holds_every_code_with_its_description(shipped):
    root = _root(shipped["qdpx"])
    codes = root.findall(".//q:CodeBook//q:Code", NS)
    codebook = shipped["codebook"]
    assert len(codes) == len(codebook.codes)
    by_guid = {c.get("guid"): c for c in codes}
    for code in codebook.codes:
        element = by_guid[refiqda.guid_for(code.id)]
        assert element.get("name") == code.name("lv")
        assert element.find("q:Description", NS).text.startswith(code.definition)


def test_cases_carry_the_interview_metadata_as_typed_variables(shipped):
    root = _root(shipped["qdpx"])
    variables = {
        v.get("guid"): (v.get("name"), v.get("typeOfVariable"))
        for v in root.findall("q:Variables/q:Variable", NS)
    }
    assert sorted(variables.values()) == [
        ("community_type", "Text"),
        ("date", "Date"),
        ("n_respondents", "Integer"),
        ("planning_region", "Text"),
        ("size_band", "Text"),
        ("strategy_status", "Text"),
        ("words", "Integer"),
    ]
    case = root.find("q:Cases/q:Case[@name='int03']", NS)
    values = {
        variables[v.find("q:VariableRef", NS).get("targetGUID")][0]: v[1].text
        for v in case.findall("q:VariableValue", NS)
    }
    # data/raw/interviews/metadata.csv, row int03
    assert values["community_type"] == "vrg" and values["n_respondents"] == "2"
    assert values["date"] == "2024-04-03"
    source = root.find("q:Sources/q:TextSource[@name='int03']", NS)
    assert case.find("q:SourceRef", NS).get("targetGUID") == source.get("guid")


def test_no_register_value_or_planted_personal_data_in_the_project(shipped):
    register = pd.read_csv(RAW / "pii_register.csv", dtype="string", keep_default_na=False)
    planted = set(register["value"])
    planted |= {form for forms in register["surface_forms"] for form in forms.split("|")}
    for name, data in _members(shipped["qdpx"]).items():
        content = data.decode("utf-8")
        leaked = sorted(form for form in planted if form in content)
        assert leaked == [], f"{name} holds {leaked}"


def test_metadata_values_are_redacted_before_they_reach_the_project(tiny):
    codebook = tiny["codebook"]
    config = redact.parse_redaction_config(codebook.redaction, language=codebook.language)
    register = redact.check_register(files.read_register(TINY / "pii_register.csv"), config)
    metadata = pd.DataFrame(
        {"interview_id": ["int01", "int02"], "note": ["runāja Pēteris Zariņš", "e-pasts"]}
    )
    clean = project.redact_metadata(metadata, register, config)
    assert "Zariņ" not in clean.loc[0, "note"] and clean.loc[1, "note"] == "e-pasts"
    spans = segments.segment_spans(tiny["texts"], speakers=codebook.speakers)
    data = project.export_qdpx(tiny["texts"], spans, tiny["coded"], codebook, metadata=clean)
    assert b"Zari" not in _members(data)["project.qde"]


def test_code_sets_become_project_sets(schema, tiny):
    root = _root(tiny["qdpx"])
    sets = root.findall("q:Sets/q:Set", NS)
    assert len(sets) == len(tiny["codebook"].sets) > 0
    members = {m.get("targetGUID") for m in sets[0].findall("q:MemberCode", NS)}
    assert members == {refiqda.guid_for(m) for m in tiny["codebook"].sets[0].members}


def test_a_coded_segment_without_a_span_is_refused(tiny):
    spans = segments.segment_spans(tiny["texts"], speakers=tiny["codebook"].speakers)
    with pytest.raises(project.QdpxExportError, match="have no span"):
        project.export_qdpx(tiny["texts"], spans.iloc[:1], tiny["coded"], tiny["codebook"])
