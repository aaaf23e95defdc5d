"""REFI-QDA codebook export (validated against the standard's schema) and import."""

from __future__ import annotations

import pytest
from lxml import etree

from ruralplan.interviews import io as files
from ruralplan.interviews import refiqda
from tests.conftest import PROJECT_ROOT

SCHEMA = PROJECT_ROOT.parent / "shared" / "refi-qda" / "Codebook.xsd"
QDC = PROJECT_ROOT / "tests" / "data" / "qdc"
TINY = PROJECT_ROOT / "tests" / "data" / "interviews_tiny" / "codebook.yaml"
STUDY = PROJECT_ROOT / "data" / "codebooks" / "interviews.yaml"


@pytest.fixture(scope="module")
def schema():
    if not SCHEMA.is_file():
        pytest.skip(
            "REFI-QDA Codebook.xsd is not beside the project (../shared/refi-qda/); "
            "it is not shipped with the package"
        )
    import xmlschema

    return xmlschema.XMLSchema(str(SCHEMA))


@pytest.mark.parametrize("path", [TINY, STUDY], ids=["tiny", "study"])
@pytest.mark.parametrize("lang", ["lv", "en"])
def test_export_validates_against_the_schema(schema, path, lang):
    data = refiqda.export_qdc(files.read_interview_codebook(path), lang=lang)
    schema.validate(etree.fromstring(data))


def test_export_is_deterministic_and_guids_follow_ids():
    codebook = files.read_interview_codebook(TINY)
    first = refiqda.export_qdc(codebook)
    assert first == refiqda.export_qdc(codebook)
    assert refiqda.guid_for("water.river").encode() in first


def test_round_trip_keeps_hierarchy_names_descriptions_and_sets():
    codebook = files.read_interview_codebook(TINY)
    codes, sets = refiqda.import_qdc(refiqda.export_qdc(codebook, lang="en"))
    matched = refiqda.match_codes(codes, codebook).set_index("code")
    assert list(matched.index) == ["water", "water.river", "water.lake", "fish", "contest"]
    assert matched.loc["water.river", "parent_guid"] == refiqda.guid_for("water")
    assert matched.loc["water.river", "name"] == "River"
    assert matched.loc["water.river", "color"] == "#1F77B4"
    assert not matched.loc["water", "is_codable"] and matched.loc["water.lake", "is_codable"]
    assert matched.loc["contest", "description"].endswith("Do not use when: Sport in general.")
    assert set(sets["member_guid"]) == {
        refiqda.guid_for("water.river"),
        refiqda.guid_for("water.lake"),
    }


def test_import_prefixed_file_with_sets_and_colours():
    codes, sets = refiqda.import_qdc((QDC / "prefixed_with_sets.qdc").read_bytes())
    assert codes["name"].tolist() == ["Zivis", "Līdakas", "Laivas"]
    assert codes["depth"].tolist() == [0, 1, 0]
    assert codes.loc[1, "parent_guid"] == "6B29FC40-CA47-1067-B31D-00DD010662DA"
    assert codes["is_codable"].tolist() == [True, True, False]
    assert codes.loc[1, "color"] == "#abc"
    assert codes.loc[0, "description"] == "Viss par zivīm"
    assert sets.loc[0, "member_guid"] == codes.loc[1, "guid"]


def test_import_file_without_namespace_and_with_empty_sets():
    codes, sets = refiqda.import_qdc((QDC / "no_namespace_empty_sets.qdc").read_bytes())
    assert codes["name"].tolist() == ["Upe", "Krasts"]
    assert codes["is_codable"].tolist() == [True, True]
    assert sets.empty


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<CodeBook><Codes>", "not well-formed XML"),
        (b"<Project/>", "root element is 'Project'"),
        (
            b'<CodeBook><Codes><Code guid="nope" name="x" isCodable="true"/></Codes></CodeBook>',
            "line 1: guid 'nope' is not a GUID",
        ),
        (
            b'<CodeBook><Codes><Code guid="0F8FAD5B-D9CB-469F-A165-70867728950E"/></Codes>'
            b"</CodeBook>",
            "has no `name`",
        ),
    ],
    ids=["malformed", "wrong-root", "bad-guid", "no-name"],
)
def test_import_errors_name_the_problem(data, message):
    with pytest.raises(refiqda.QdcError, match=message):
        refiqda.import_qdc(data, source="x.qdc")
