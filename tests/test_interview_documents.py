"""Transcripts from Word (.docx) and LibreOffice (.odt) documents read as the same .txt does."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from odf import teletype
from odf import text as odf_text
from odf.opendocument import OpenDocumentText
from odf.table import Table, TableCell, TableRow

from ruralplan.interviews import io as files
from ruralplan.interviews import redact, segments
from tests.conftest import PROJECT_ROOT

SHIPPED = PROJECT_ROOT / "data" / "raw" / "interviews"
CODEBOOK = PROJECT_ROOT / "data" / "codebooks" / "interviews.yaml"
# Two shipped transcripts: a first one, and one with a second respondent and planted data.
IDS = ["int01", "int03"]


def _paragraphs(text: str) -> list[str]:
    """Split a .txt transcript into its paragraphs, as a typist would enter them in a document."""
    return [line for line in text.split("\n") if line.strip()]


def write_docx(path: Path, paragraphs: list[str], *, blank_between: bool = False) -> Path:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
        if blank_between:
            document.add_paragraph("")
    document.save(str(path))
    return path


def write_odt(path: Path, paragraphs: list[str]) -> Path:
    document = OpenDocumentText()
    for paragraph in paragraphs:
        element = odf_text.P()
        odf_text_add(element, paragraph)
        document.text.addElement(element)
    document.save(str(path))
    return path


def odf_text_add(element, paragraph: str) -> None:
    # As an editor stores text: "\n" as <text:line-break/>, runs of spaces as <text:s c=...>.
    teletype.addTextToElement(element, paragraph)


@pytest.fixture(scope="module")
def shipped_texts() -> dict[str, str]:
    return {key: (SHIPPED / f"{key}.txt").read_text(encoding="utf-8") for key in IDS}


@pytest.fixture(scope="module")
def codebook():
    return files.read_interview_codebook(CODEBOOK)


def _redacted_and_segments(folder: Path, codebook):
    config = redact.parse_redaction_config(codebook.redaction, language=codebook.language)
    register = redact.check_register(files.read_register(SHIPPED / "pii_register.csv"), config)
    texts, _ = redact.redact_transcripts(files.read_transcripts(folder), register, config)
    return texts, segments.segment_transcripts(texts, speakers=codebook.speakers)


@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_documents_give_the_same_redacted_text_and_segments_as_txt(
    tmp_path, shipped_texts, codebook, kind
):
    txt_dir, doc_dir = tmp_path / "txt", tmp_path / kind
    txt_dir.mkdir()
    doc_dir.mkdir()
    writer = write_docx if kind == "docx" else write_odt
    for key, text in shipped_texts.items():
        (txt_dir / f"{key}.txt").write_text(text, encoding="utf-8")
        writer(doc_dir / f"{key}.{kind}", _paragraphs(text))
    assert files.read_transcripts(doc_dir) == files.read_transcripts(txt_dir)
    redacted_txt, segments_txt = _redacted_and_segments(txt_dir, codebook)
    redacted_doc, segments_doc = _redacted_and_segments(doc_dir, codebook)
    assert redacted_doc == redacted_txt
    assert segments_doc.equals(segments_txt)
    # the shipped int01 has 31 paragraphs after its header (data/raw/interviews/README.md layout)
    assert (segments_doc["interview_id"] == "int01").sum() == len(
        _paragraphs(shipped_texts["int01"])
    ) - 1


def test_blank_paragraphs_and_soft_line_breaks_read_as_in_txt(tmp_path):
    # Word users space paragraphs with empty ones; a soft break (Shift+Enter) is a line break
    # inside the paragraph, which the segmenter joins with a space, as in a .txt file.
    paragraphs = ["# Saruna a", "A: Labdien.", "B: Pirmā rinda\notrā rinda."]
    write_docx(tmp_path / "a.docx", paragraphs, blank_between=True)
    write_odt(tmp_path / "b.odt", paragraphs)
    expected = "# Saruna a\n\nA: Labdien.\n\nB: Pirmā rinda\notrā rinda.\n"
    texts = files.read_transcripts(tmp_path)
    assert texts == {"a": expected, "b": expected}
    table = segments.segment_transcripts(texts, speakers={"A": "interviewer", "B": "respondent"})
    assert table["text"].tolist()[1::2] == ["Pirmā rinda otrā rinda."] * 2


def test_odt_spaces_tabs_and_lists_are_kept(tmp_path):
    document = OpenDocumentText()
    paragraph = odf_text.P()
    odf_text_add(paragraph, "B: divas  atstarpes\tun tabulācija")
    document.text.addElement(paragraph)
    items = odf_text.List()
    item = odf_text.ListItem()
    inner = odf_text.P()
    odf_text_add(inner, "B: punkts sarakstā")
    item.addElement(inner)
    items.addElement(item)
    document.text.addElement(items)
    document.save(str(tmp_path / "c.odt"))
    assert files.read_transcript(tmp_path / "c.odt") == (
        "B: divas  atstarpes\tun tabulācija\n\nB: punkts sarakstā\n"
    )


def test_folder_mixes_formats_and_skips_other_files(tmp_path):
    (tmp_path / "a.txt").write_text("A: x\n", encoding="utf-8")
    write_docx(tmp_path / "b.DOCX", ["A: y"])
    write_odt(tmp_path / "c.odt", ["A: z"])
    (tmp_path / "README.md").write_text("not a transcript", encoding="utf-8")
    (tmp_path / "~$b.docx").write_bytes(b"Word lock file")
    assert files.read_transcripts(tmp_path) == {"a": "A: x\n", "b": "A: y\n", "c": "A: z\n"}


def test_two_files_for_one_interview_are_an_error(tmp_path):
    (tmp_path / "int01.txt").write_text("A: x\n", encoding="utf-8")
    write_docx(tmp_path / "int01.docx", ["A: x"])
    with pytest.raises(files.InterviewFileError, match=r"int01.txt: interview 'int01' is also in"):
        files.read_transcripts(tmp_path)


def test_folder_without_transcripts_names_the_formats(tmp_path):
    expected = r"no transcripts; expected files ending in .txt, .docx, .odt"
    with pytest.raises(files.InterviewFileError, match=expected):
        files.read_transcripts(tmp_path)


# ---- damaged and protected documents -------------------------------------------------------------


def _ole_file(path: Path, *, encrypted: bool) -> Path:
    # The start of an OLE compound file, as Office writes an encrypted package (the stream
    # names EncryptionInfo and EncryptedPackage in its directory) or an old .doc.
    stream = "EncryptedPackage" if encrypted else "WordDocument"
    body = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504) + stream.encode("utf-16-le")
    path.write_bytes(body + bytes(1024))
    return path


@pytest.mark.parametrize("suffix", ["docx", "odt"])
def test_password_protected_office_file_is_named(tmp_path, suffix):
    _ole_file(tmp_path / f"int01.{suffix}", encrypted=True)
    with pytest.raises(files.InterviewFileError, match=r"int01\.\w+: the document is password"):
        files.read_transcripts(tmp_path)


def test_old_binary_word_file_renamed_to_docx_is_named(tmp_path):
    path = _ole_file(tmp_path / "int01.docx", encrypted=False)
    with pytest.raises(files.InterviewFileError, match="an old binary document, not a Word"):
        files.read_transcript(path)


def test_password_protected_odt_is_named(tmp_path):
    # LibreOffice keeps an encrypted .odt a zip, but marks content.xml in the manifest with
    # <manifest:encryption-data> and stores it encrypted.
    plain = write_odt(tmp_path / "plain.odt", ["A: x"])
    locked = tmp_path / "int02.odt"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(locked, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "META-INF/manifest.xml":
                data = data.replace(
                    b'manifest:full-path="content.xml" manifest:media-type="text/xml"/>',
                    b'manifest:full-path="content.xml" manifest:media-type="text/xml">'
                    b"<manifest:encryption-data "
                    b'manifest:checksum-type="SHA1/1K" manifest:checksum="x"/>'
                    b"</manifest:file-entry>",
                )
                assert b"encryption-data" in data
            if info.filename == "content.xml":
                data = bytes(range(256)) * 4
            target.writestr(info, data)
    with pytest.raises(files.InterviewFileError, match=r"int02.odt: the document is password"):
        files.read_transcript(locked)


@pytest.mark.parametrize("suffix", ["docx", "odt"])
def test_truncated_document_is_named(tmp_path, suffix):
    whole = (write_docx if suffix == "docx" else write_odt)(tmp_path / f"w.{suffix}", ["A: x"])
    broken = tmp_path / f"int03.{suffix}"
    broken.write_bytes(whole.read_bytes()[:200])
    with pytest.raises(files.InterviewFileError, match=rf"int03.{suffix}: not a readable"):
        files.read_transcript(broken)


def test_zip_that_is_not_a_word_document_is_named(tmp_path):
    path = tmp_path / "int04.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a document")
    with pytest.raises(files.InterviewFileError, match=r"int04.docx: not a readable Word"):
        files.read_transcript(path)


def test_text_in_a_table_is_refused_rather_than_dropped(tmp_path):
    document = docx.Document()
    document.add_paragraph("A: virs tabulas")
    document.add_table(rows=1, cols=2).cell(0, 1).text = "B: teksts tabulā"
    document.save(str(tmp_path / "t.docx"))
    with pytest.raises(files.InterviewFileError, match=r"t.docx: text in a table is not read"):
        files.read_transcript(tmp_path / "t.docx")
    odt = OpenDocumentText()
    table, row, cell = Table(), TableRow(), TableCell()
    paragraph = odf_text.P()
    odf_text_add(paragraph, "B: teksts tabulā")
    cell.addElement(paragraph)
    row.addElement(cell)
    table.addElement(row)
    odt.text.addElement(table)
    odt.save(str(tmp_path / "t.odt"))
    with pytest.raises(files.InterviewFileError, match=r"t.odt: text in a table is not read"):
        files.read_transcript(tmp_path / "t.odt")


def test_tracked_changes_are_refused_rather_than_half_read(tmp_path):
    path = write_docx(tmp_path / "w.docx", ["A: vecs teksts"])
    edited = tmp_path / "tracked.docx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(edited, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(
                    b"<w:r><w:t>A: vecs teksts</w:t></w:r>",
                    b'<w:ins w:id="1" w:author="x" w:date="2024-01-01T00:00:00Z">'
                    b"<w:r><w:t>A: jauns teksts</w:t></w:r></w:ins>",
                )
                assert b"w:ins" in data
            target.writestr(info, data)
    with pytest.raises(files.InterviewFileError, match="tracked.docx: the document has tracked"):
        files.read_transcript(edited)


def test_the_shipped_transcript_folder_is_read_unchanged():
    # README.md, metadata.csv and the CSV files beside the transcripts are not transcripts.
    texts = files.read_transcripts(SHIPPED)
    assert sorted(texts) == [f"int{n:02d}" for n in range(1, 17)]
    assert texts["int01"] == (SHIPPED / "int01.txt").read_text(encoding="utf-8")
