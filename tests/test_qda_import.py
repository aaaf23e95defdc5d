"""REFI-QDA projects back in: round trip, the styles of four QDA tools, and bad projects."""

from __future__ import annotations

import io
import uuid
import zipfile

import pandas as pd
import pytest
from lxml import etree

from ruralplan.interviews import coder, redact, refiqda, segments
from ruralplan.interviews import io as files
from ruralplan.interviews import refiqda_import as qda
from ruralplan.interviews import refiqda_project as project
from ruralplan.pipeline.cli import main
from tests.conftest import PROJECT_ROOT

TINY = PROJECT_ROOT / "tests" / "data" / "interviews_tiny"
NS = {"q": project.PROJECT_NAMESPACE}
SECOND = "Otrā kodētāja"  # the second coder's user name
SECOND_GUID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
# The second coder's codings: (interview, phrase selected, code id), placed by searching the
# redacted text for the phrase, independently of the segmenter and of the exporter.
SECOND_CODINGS = [
    ("int01", "ezerā zivju nav daudz", "water.lake"),
    ("int01", "Rīkojam makšķerēšanas sacensības", "contest"),
    ("int02", "tikai upe", "water.river"),
]


@pytest.fixture(scope="module")
def study():
    codebook = files.read_interview_codebook(TINY / "codebook.yaml")
    config = redact.parse_redaction_config(codebook.redaction, language=codebook.language)
    register = redact.check_register(files.read_register(TINY / "pii_register.csv"), config)
    texts, _ = redact.redact_transcripts(files.read_transcripts(TINY), register, config)
    parts = segments.segment_transcripts(texts, speakers=codebook.speakers)
    coded = coder.code_segments(parts, codebook)
    spans = segments.segment_spans(texts, speakers=codebook.speakers)
    exported = project.export_qdpx(texts, spans, coded, codebook)
    return {
        "codebook": codebook,
        "texts": texts,
        "segments": parts,
        "coded": coded,
        "qdpx": exported,
    }


def _unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _place(texts, interview_id, phrase):
    start = texts[interview_id].find(phrase)
    assert start >= 0, phrase
    return start, start + len(phrase)


def add_second_coder(data: bytes, texts, *, by_name: bool = False) -> bytes:
    """Add a user and their codings to an exported project, as another tool would save them."""
    members = _unzip(data)
    root = etree.fromstring(members["project.qde"])
    etree.SubElement(root.find("q:Users", NS), f"{{{NS['q']}}}User", guid=SECOND_GUID, name=SECOND)
    names = {c.get("guid"): c.get("name") for c in root.iter(f"{{{NS['q']}}}Code")}
    for number, (interview_id, phrase, code) in enumerate(SECOND_CODINGS):
        source = root.find(f"q:Sources/q:TextSource[@name='{interview_id}']", NS)
        start, end = _place(texts, interview_id, phrase)
        selection = etree.Element(
            f"{{{NS['q']}}}PlainTextSelection",
            guid=str(uuid.uuid5(uuid.NAMESPACE_OID, f"sel{number}")),
            startPosition=str(start),
            endPosition=str(end),
            creatingUser=SECOND_GUID,
        )
        coding = etree.SubElement(
            selection, f"{{{NS['q']}}}Coding", guid=str(uuid.uuid5(uuid.NAMESPACE_OID, str(number)))
        )
        target = refiqda.guid_for(code)
        if by_name:  # a tool that made its own code GUIDs: only the name is the codebook's
            target = str(uuid.uuid5(uuid.NAMESPACE_OID, names[target])).upper()
        etree.SubElement(coding, f"{{{NS['q']}}}CodeRef", targetGUID=target)
        first_coding = source.find("q:Coding", NS)
        if first_coding is not None:
            first_coding.addprevious(selection)
        else:
            source.append(selection)
    if by_name:
        for code in root.iter(f"{{{NS['q']}}}Code"):
            code.set("guid", str(uuid.uuid5(uuid.NAMESPACE_OID, code.get("name"))).upper())
    members["project.qde"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return _zip(members)


def _expected_second(texts):
    return sorted(
        (key, *_place(texts, key, phrase), code, SECOND, phrase)
        for key, phrase, code in SECOND_CODINGS
    )


def _expected_rule(study):
    # every rule coding selects its whole paragraph: the selected text, with its line breaks
    # joined as the segmenter joins them, is the segment's text
    return {(r.interview_id, r.code, r.text) for r in study["coded"].itertuples(index=False)}


def _check(study, codings):
    assert codings.columns.tolist() == qda.CODING_COLUMNS
    second = codings[codings["coder"] == SECOND]
    assert sorted(second.itertuples(index=False, name=None)) == _expected_second(study["texts"])
    rule = codings[codings["coder"] == project.RULE_CODER]
    got = {
        (r.interview_id, r.code, " ".join(line.strip() for line in r.text.split("\n")))
        for r in rule.itertuples(index=False)
    }
    assert got == _expected_rule(study)
    assert len(rule) == len(study["coded"])
    for row in codings.itertuples(index=False):
        assert study["texts"][row.interview_id][row.start : row.end] == row.text


def test_round_trip_brings_every_coding_back_at_its_offsets(study):
    data = add_second_coder(study["qdpx"], study["texts"])
    codings = qda.import_qdpx(data, study["texts"], study["codebook"], source="coded.qdpx")
    _check(study, codings)
    assert sorted(codings["coder"].unique()) == sorted([project.RULE_CODER, SECOND])


# ---- the styles of the tools ---------------------------------------------------------------------


def _restyle(
    data: bytes,
    *,
    folder=None,
    crlf=False,
    bom=False,
    inline=False,
    origin=None,
    guids=None,
    qde="project.qde",
    source_names=None,
) -> bytes:
    """Rewrite an exported project in the style of another tool."""
    members = _unzip(data)
    root = etree.fromstring(members.pop("project.qde"))
    if origin:
        root.set("origin", origin)
    for source in root.iter(f"{{{NS['q']}}}TextSource"):
        path = source.get("plainTextPath").removeprefix("internal://")
        text = members.pop(f"sources/{path}").decode("utf-8")
        if crlf:
            text = text.replace("\n", "\r\n")
        if inline:
            del source.attrib["plainTextPath"]
            content = etree.Element(f"{{{NS['q']}}}PlainTextContent")
            content.text = text
            source.insert(0, content)
        else:
            members[f"{folder}/{path}"] = ("\ufeff" if bom else "").encode() + text.encode("utf-8")
        if source_names:
            source.set("name", source_names(source.get("name")))
    if guids:
        for element in root.iter():
            for attribute in ("guid", "targetGUID", "creatingUser", "creatingUserGUID"):
                if element.get(attribute):
                    element.set(attribute, guids(element.get(attribute)))
    members[qde] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return _zip(members)


def _crlf_offsets(texts, codings_xml: bytes) -> bytes:
    """Shift every selection as a tool counting CRLF as two characters would write it."""
    root = etree.fromstring(codings_xml)
    for source in root.iter(f"{{{NS['q']}}}TextSource"):
        text = texts[source.get("name")]
        for selection in source.iter(f"{{{NS['q']}}}PlainTextSelection"):
            for attribute in ("startPosition", "endPosition"):
                at = int(selection.get(attribute))
                selection.set(attribute, str(at + text.count("\n", 0, at)))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _nvivo(data, texts):
    # NVivo: Sources/ with capital S, CRLF text files with a byte-order mark, offsets counting
    # CRLF as two characters, GUIDs in braces.
    members = _unzip(data)
    members["project.qde"] = _crlf_offsets(texts, members["project.qde"])
    return _restyle(
        _zip(members),
        folder="Sources",
        crlf=True,
        bom=True,
        origin="NVivo 14",
        guids=lambda g: "{" + g + "}",
    )


def _atlas(data, _texts):
    # ATLAS.ti: CRLF in the text files but offsets counting a line break as one character;
    # sources named after the original file.
    return _restyle(
        data,
        folder="sources",
        crlf=True,
        origin="ATLAS.ti Windows 23.2",
        source_names=lambda name: f"{name}.docx",
    )


def _maxqda(data, _texts):
    # MAXQDA: the text inline in the project, the project file under another name.
    return _restyle(data, inline=True, origin="MAXQDA 2022", qde="Export.qde")


def _qualcoder(data, _texts):
    # QualCoder: lower-case GUIDs, sources/ named with .txt.
    return _restyle(
        data,
        folder="sources",
        origin="QualCoder 3.5",
        guids=str.lower,
        source_names=lambda name: f"{name}.txt",
    )


@pytest.mark.parametrize(
    "style", [_nvivo, _atlas, _maxqda, _qualcoder], ids=["NVivo", "ATLAS.ti", "MAXQDA", "QualCoder"]
)
def test_projects_in_each_tools_style_come_back_the_same(study, style):
    coded = add_second_coder(study["qdpx"], study["texts"])
    codings = qda.import_qdpx(style(coded, study["texts"]), study["texts"], study["codebook"])
    _check(study, codings)


def test_codes_are_matched_by_name_when_the_guids_are_the_tools_own(study):
    data = add_second_coder(study["qdpx"], study["texts"], by_name=True)
    codings = qda.import_qdpx(data, study["texts"], study["codebook"])
    _check(study, codings)


def test_english_code_names_match_too(study):
    members = _unzip(add_second_coder(study["qdpx"], study["texts"], by_name=True))
    english = {code.name("lv"): code.name("en") for code in study["codebook"].codes}
    root = etree.fromstring(members["project.qde"])
    for code in root.iter(f"{{{NS['q']}}}Code"):
        code.set("name", english[code.get("name")].upper())
    members["project.qde"] = etree.tostring(root)
    codings = qda.import_qdpx(_zip(members), study["texts"], study["codebook"])
    _check(study, codings)


def test_the_cli_writes_the_codings_file(study, tmp_path, capsys):
    path = tmp_path / "coded.qdpx"
    path.write_bytes(add_second_coder(study["qdpx"], study["texts"]))
    files.write_transcripts(study["texts"], tmp_path / "redacted")
    code = main(
        [
            "qda",
            "import",
            str(path),
            "--out",
            str(tmp_path / "out"),
            "--transcripts",
            str(tmp_path / "redacted"),
            "--codebook",
            str(TINY / "codebook.yaml"),
        ]
    )
    assert code == 0, capsys.readouterr().err
    written = pd.read_csv(tmp_path / "out" / "qda_codings.csv", keep_default_na=False)
    assert written.columns.tolist() == ["interview_id", "start", "end", "code", "coder", "text"]
    _check(study, written)
    assert f"{SECOND} (3)" in capsys.readouterr().out


# ---- bad projects --------------------------------------------------------------------------------


def _fails(study, data, message):
    with pytest.raises(qda.QdpxError, match=message):
        qda.import_qdpx(data, study["texts"], study["codebook"], source="bad.qdpx")


def test_a_file_that_is_not_a_zip(study):
    _fails(study, b"<Project/>", r"bad.qdpx: not a zip archive .*a REFI-QDA project")


def test_a_zip_without_a_project(study):
    _fails(
        study,
        _zip({"notes.txt": b"x", "sources/a.txt": b"y"}),
        r"bad.qdpx: no project.qde at the top of the zip, so not a REFI-QDA project",
    )


def test_a_project_file_that_is_not_a_project(study):
    _fails(study, _zip({"project.qde": b"<CodeBook/>"}), "root element 'CodeBook'; expected")
    _fails(study, _zip({"project.qde": b"<Project"}), "project.qde is not well-formed XML")


def test_sources_that_are_not_the_studys_redacted_transcripts(study):
    members = _unzip(study["qdpx"])
    root = etree.fromstring(members["project.qde"])
    guid = root.find("q:Sources/q:TextSource[@name='int01']", NS).get("guid")
    unredacted = (TINY / "int01.txt").read_text(encoding="utf-8")
    members[f"sources/{guid}.txt"] = unredacted.encode("utf-8")
    _fails(
        study,
        _zip(members),
        r"source 'int01' is not the study's redacted transcript int01: they differ at "
        r"character \d+",
    )
    root.find("q:Sources/q:TextSource[@name='int01']", NS).set("name", "Fokusgrupa 3")
    members["project.qde"] = etree.tostring(root)
    _fails(
        study,
        _zip(members),
        r"source 'Fokusgrupa 3' matches none of the study's transcripts by name or by text",
    )


def test_unknown_and_grouping_codes_are_named(study):
    members = _unzip(add_second_coder(study["qdpx"], study["texts"]))
    root = etree.fromstring(members["project.qde"])
    refs = [r for r in root.iter(f"{{{NS['q']}}}CodeRef")]
    refs[-1].set("targetGUID", "{6B29FC40-CA47-1067-B31D-00DD010662DA}")
    codes = root.find("q:CodeBook/q:Codes", NS)
    etree.SubElement(
        codes,
        f"{{{NS['q']}}}Code",
        guid="6b29fc40-ca47-1067-b31d-00dd010662da",
        name="Laivu noma",
        isCodable="true",
    )
    refs[-2].set("targetGUID", refiqda.guid_for("water"))
    members["project.qde"] = etree.tostring(root)
    _fails(
        study,
        _zip(members),
        r"codes not in the codebook: 'Laivu noma' \(1 codings\); grouping codes, which are "
        r"not applied: 'Ūdeņi' \(1 codings\)",
    )


def test_a_selection_outside_its_text(study):
    members = _unzip(study["qdpx"])
    root = etree.fromstring(members["project.qde"])
    selection = root.find(".//q:PlainTextSelection", NS)
    selection.set("endPosition", "100000")
    members["project.qde"] = etree.tostring(root)
    _fails(study, _zip(members), r"selection \d+-100000 lies outside the text of int01")


def test_a_source_outside_the_project(study):
    members = _unzip(study["qdpx"])
    root = etree.fromstring(members["project.qde"])
    root.find(".//q:TextSource", NS).set("plainTextPath", "absolute:///home/x/int01.txt")
    members["project.qde"] = etree.tostring(root)
    _fails(study, _zip(members), r"the text is outside the project \(absolute:///home/x")


def test_the_cli_names_the_file_and_fails(tmp_path, capsys):
    path = tmp_path / "broken.qdpx"
    path.write_bytes(b"not a zip")
    files.write_transcripts({"int01": "ATBILD: x\n"}, tmp_path / "redacted")
    code = main(
        [
            "qda",
            "import",
            str(path),
            "--out",
            str(tmp_path / "out"),
            "--transcripts",
            str(tmp_path / "redacted"),
            "--codebook",
            str(TINY / "codebook.yaml"),
        ]
    )
    assert code == 1
    assert f"ruralplan qda import: {path}: not a zip archive" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# ---- the study's inputs --------------------------------------------------------------------------


def _study(tmp_path, **inputs):
    from ruralplan.pipeline.study import resolve_study

    document = {
        "id": "t",
        "inputs": {
            "survey": "s.csv",
            "survey_codebook": "c.yaml",
            "report_layout": "r.yaml",
            "table_headers": "h.yaml",
            **inputs,
        },
    }
    return resolve_study(document, tmp_path)


def test_the_study_key_qdpx_feeds_the_human_coding(study, tmp_path):
    from ruralplan.pipeline import inputs

    (tmp_path / "coded.qdpx").write_bytes(add_second_coder(study["qdpx"], study["texts"]))
    codings, source = inputs.human_coding(
        _study(tmp_path, qdpx="coded.qdpx"), study["texts"], study["codebook"]
    )
    assert source == str(tmp_path / "coded.qdpx")
    people = qda.human_codings(codings)
    assert set(people["coder"]) == {SECOND} and len(people) == len(SECOND_CODINGS)
    none, note = inputs.human_coding(_study(tmp_path), study["texts"], study["codebook"])
    assert none.empty and none.columns.tolist() == qda.CODING_COLUMNS
    assert note.endswith("no qdpx")


def test_interview_metadata_sit_beside_the_transcripts(tmp_path):
    from ruralplan.pipeline import inputs

    folder = tmp_path / "raw"
    folder.mkdir()
    table, source = inputs.interview_metadata(_study(tmp_path, transcripts="raw"))
    assert table.columns.tolist() == ["interview_id"] and source == "no interview metadata"
    (folder / "metadata.csv").write_text("interview_id,region\nint01,Kurzemes\n", encoding="utf-8")
    table, source = inputs.interview_metadata(_study(tmp_path, transcripts="raw"))
    assert table.to_dict("list") == {"interview_id": ["int01"], "region": ["Kurzemes"]}
    (folder / "metadata.csv").write_text("id,region\nint01,a\n", encoding="utf-8")
    with pytest.raises(files.InterviewFileError, match="metadata.csv: interview metadata need"):
        inputs.interview_metadata(_study(tmp_path, transcripts="raw"))
    (folder / "metadata.csv").write_text("interview_id\nint01\nint01\n", encoding="utf-8")
    with pytest.raises(files.InterviewFileError, match=r"interviews \['int01'\] have more than"):
        inputs.interview_metadata(_study(tmp_path, transcripts="raw"))
