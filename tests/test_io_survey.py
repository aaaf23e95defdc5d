"""Export readers: encodings, delimiters, text kept as typed, the two CSV paths agree."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pandas as pd
import pytest

from ruralplan.survey import io as survey_io

HEADER = ["Laiks", "Nosaukums, pilns", "Gads"]
ROWS = [
    ["04.03.2024 08:00:12", " Ābeļzieds ", "007"],
    ["05.03.2024 09:10:00", 'Kopiena "Ezers"; Nr. 2', ""],
    ["06.03.2024 10:00:00", "Divas\nrindas", "2005. gadā"],
]


def _expected() -> pd.DataFrame:
    return pd.DataFrame(ROWS, columns=HEADER, dtype="str")


def _write(path, *, encoding="utf-8", sep=",", bom=False, newline="\r\n"):
    table = _expected()
    table.to_csv(
        path,
        index=False,
        sep=sep,
        encoding="utf-8-sig" if bom else encoding,
        lineterminator=newline,
        # a cell's "\n" is quoted only when it is part of the line end
        quoting=csv.QUOTE_ALL if newline == "\r" else csv.QUOTE_MINIMAL,
    )
    return path


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("utf8.csv", {}),
        ("bom.csv", {"bom": True}),
        ("cp1257.csv", {"encoding": "cp1257", "sep": ";"}),
        ("semicolon.csv", {"sep": ";"}),
    ],
)
def test_csv_variants_read_to_the_same_text_table(tmp_path, name, options):
    table = survey_io.read_export(_write(tmp_path / name, **options))
    pd.testing.assert_frame_equal(table, _expected())
    assert all(str(dtype) == "str" for dtype in table.dtypes)


def test_cells_are_kept_as_typed(tmp_path):
    table = survey_io.read_export(_write(tmp_path / "a.csv"))
    assert table.loc[0, "Gads"] == "007"  # not read as a number
    assert table.loc[0, "Nosaukums, pilns"] == " Ābeļzieds "  # spaces kept for the log
    assert table.loc[1, "Gads"] == ""  # blank is "", not missing
    assert table.loc[2, "Nosaukums, pilns"] == "Divas\nrindas"  # line break inside quotes


def test_a_short_row_is_refused_not_padded(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("a,b,c\n1,2,3\n4,5\n6,7,8\n", encoding="utf-8")
    with pytest.raises(survey_io.ExportReadError) as caught:
        survey_io.read_export(path)
    assert str(caught.value) == (
        f"{path}:2:-: line 3 has 2 cells; expected 3 like the header (line 1, cells separated "
        "by commas): a row with fewer cells is not padded"
    )


def test_too_many_fields_is_a_read_error_naming_the_file_and_row(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("a,b\n1,2\n3,4,5,6\n", encoding="utf-8")
    with pytest.raises(survey_io.ExportReadError, match=r"wide\.csv:2:-: line 3 has 4 cells"):
        survey_io.read_export(path)


def test_windows_1257_after_a_long_ascii_start(tmp_path):
    path = tmp_path / "late.csv"
    filler = "".join(f"{i:06d},x\n" for i in range(20_000))  # longer than the sniffed head
    path.write_bytes(("id,v\n" + filler + "999999,Ķekava\n").encode("cp1257"))
    table = survey_io.read_export(path)
    assert len(table) == 20_001 and table.iloc[-1].tolist() == ["999999", "Ķekava"]


def test_multibyte_character_cut_at_the_head_boundary(tmp_path):
    path = tmp_path / "cut.csv"
    head = "v\n" + "a" * (survey_io._HEAD_BYTES - 3) + "\n"
    path.write_bytes((head + "ā\n").encode("utf-8"))
    assert len(path.read_bytes()[: survey_io._HEAD_BYTES].decode("utf-8", "ignore")) > 0
    table = survey_io.read_export(path)
    assert table["v"].tolist()[-1] == "ā"


def test_decode_text_and_sniff_delimiter():
    assert survey_io.decode_text("Ā;b".encode("cp1257"), source="x") == "Ā;b"
    assert survey_io.decode_text("\ufeffĀ".encode(), source="x") == "Ā"
    assert survey_io.decode_text("Ā".encode()[:1], source="x", partial=True) == ""
    assert survey_io.sniff_delimiter('"a, b";c;d') == ";"
    assert survey_io.sniff_delimiter("a,b;c") == ","
    with pytest.raises(survey_io.ExportReadError, match="x: this looks like a binary file"):
        survey_io.decode_text(b"\x00\x01\x02", source="x")


def test_whitespace_only_file_is_refused(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text(" \n\n", encoding="utf-8")
    with pytest.raises(survey_io.ExportReadError, match="blank.csv: the file has no text"):
        survey_io.read_export(path)


def test_xlsx_sheet_by_name_and_position(tmp_path):
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"Piezīmes": ["nav"]}).to_excel(writer, sheet_name="Info", index=False)
        _expected().to_excel(writer, sheet_name="Atbildes", index=False)
    expected = _expected()
    pd.testing.assert_frame_equal(survey_io.read_export(path, sheet="Atbildes"), expected)
    pd.testing.assert_frame_equal(survey_io.read_export(path, sheet=1), expected)
    assert list(survey_io.read_export(path).columns) == ["Piezīmes"]


def test_sav_labels_become_headers(tmp_path):
    import pyreadstat

    path = tmp_path / "export.sav"
    named = _expected()
    named.columns = ["q1", "q2", "q3"]
    pyreadstat.write_sav(named.astype(str), str(path), column_labels=HEADER)
    table = survey_io.read_export(path)
    # SPSS pads text with blanks, so trailing spaces do not survive the format
    expected = _expected().apply(lambda column: column.str.rstrip())
    pd.testing.assert_frame_equal(table, expected)


# ---- issue 16: absurd, damaged and unusual exports -------------------------------------------


def test_a_line_of_three_million_fields_is_refused_at_once(tmp_path):
    # pandas spent over 600 s mangling the duplicate names of such a header; the reader counts
    # the columns before anything splits the line
    path = tmp_path / "wide.csv"
    path.write_text(",".join(["x"] * 3_000_001) + "\n", encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(survey_io.ExportReadError, match="3,000,001 columns; expected 14"):
        survey_io.read_export(path, expected_columns=14)
    assert time.perf_counter() - start < 5


def test_a_data_line_of_three_million_fields_is_refused_at_once(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("a,b\n1,2\n" + ",".join(["x"] * 3_000_001) + "\n", encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(survey_io.ExportReadError, match=r":2:-: line 3 has 3,000,001 cells"):
        survey_io.read_export(path)
    assert time.perf_counter() - start < 5


def test_header_just_over_the_column_limit_is_refused(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(survey_io.MAX_COLUMNS + 1)) + "\n")
    with pytest.raises(survey_io.ExportReadError, match="16,385 columns; expected one per"):
        survey_io.read_export(path)


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"])
def test_any_line_end_reads_the_same(tmp_path, newline):
    table = survey_io.read_export(_write(tmp_path / "a.csv", newline=newline))
    pd.testing.assert_frame_equal(table, _expected())


def test_tab_separated_reads_the_same(tmp_path):
    table = survey_io.read_export(_write(tmp_path / "a.txt", sep="\t"))
    pd.testing.assert_frame_equal(table, _expected())


def test_title_lines_above_the_header_are_skipped_and_named(tmp_path):
    path = tmp_path / "a.csv"
    body = _write(tmp_path / "body.csv").read_text(encoding="utf-8")
    path.write_text("Aptauja 2024,,\n\n,,\n" + body, encoding="utf-8")
    table = survey_io.read_export(path)
    pd.testing.assert_frame_equal(table, _expected())
    assert table.attrs["notes"] == [
        "2 line(s) above the header skipped as a title ('Aptauja 2024,,', ',,'); the header is "
        "line 4"
    ]
    assert table.attrs["source"] == str(path)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_explained_with_or_without_byte_order_mark(tmp_path, encoding):
    path = tmp_path / "unicode.txt"
    path.write_bytes("Laiks\tGads\n04.03.2024\t2005\n".encode(encoding))
    with pytest.raises(survey_io.ExportReadError, match="the file is UTF-16 text"):
        survey_io.read_export(path)


def test_a_control_character_is_read_as_text_not_called_binary(tmp_path):
    path = tmp_path / "bel.csv"
    path.write_text("a,b\n1,zvans\a\n", encoding="utf-8")
    assert survey_io.read_export(path)["b"].tolist() == ["zvans\a"]  # cleaning names it


def test_download_cut_inside_a_quoted_cell(tmp_path):
    path = tmp_path / "cut.csv"
    path.write_text('a,b,c\n1,2,3\n4,"pie, ', encoding="utf-8")
    with pytest.raises(survey_io.ExportReadError) as caught:
        survey_io.read_export(path)
    assert (caught.value.row, caught.value.column) == (2, "b")
    assert "the file ends inside a quoted cell of the row on line 3" in caught.value.message


def test_download_cut_inside_the_last_quoted_cell_of_a_full_row(tmp_path):
    # pyarrow closes the quote silently; the odd number of quotes sends it to the checker
    path = tmp_path / "cut.csv"
    path.write_text('a,b,c\n1,2,3\n4,5,"Plānojam, strat', encoding="utf-8")
    with pytest.raises(survey_io.ExportReadError, match=r":2:c: the file ends inside a quoted"):
        survey_io.read_export(path)


def test_download_cut_in_the_middle_of_a_character(tmp_path):
    path = tmp_path / "cut.csv"
    path.write_bytes("a,b\n1,Ābeļzieds\n2,Ķ".encode()[:-1])
    with pytest.raises(survey_io.ExportReadError, match="ends in the middle of a character"):
        survey_io.read_export(path)


def test_a_stray_quote_without_a_final_line_break_still_reads(tmp_path):
    path = tmp_path / "quote.csv"
    path.write_text('a,b\n1,5" ekrāns\n2,x', encoding="utf-8")
    assert survey_io.read_export(path).values.tolist() == [["1", '5" ekrāns'], ["2", "x"]]


def test_mixed_encodings_after_the_head_name_row_and_column(tmp_path):
    path = tmp_path / "mixed.csv"
    filler = "".join(f"{i},Ābele\n" for i in range(10_000))  # UTF-8, longer than the head
    path.write_bytes(("id,v\n" + filler).encode() + "99,Ķekava\n".encode("cp1257"))
    with pytest.raises(survey_io.ExportReadError) as caught:
        survey_io.read_export(path)
    assert (caught.value.row, caught.value.column) == (10_001, "v")
    assert caught.value.message.startswith("bytes 0xCD are not UTF-8 text")


def test_a_cell_over_the_cell_limit_is_refused_with_its_line(tmp_path, monkeypatch):
    from ruralplan.survey import export_csv, export_rows

    monkeypatch.setattr(export_rows, "MAX_CELL_CHARS", 1000)
    path = tmp_path / "long.csv"
    path.write_text('a,b\n1,2\n3,"' + "x\n" * 800 + '"\n', encoding="utf-8")
    layout = export_csv.read_layout(path, path.read_bytes())
    with pytest.raises(survey_io.ExportReadError, match=r":2:-: line 3: a cell longer than 1,000"):
        export_rows._checked_rows(path, layout, "utf-8")
    assert csv.field_size_limit() == 131_072  # the module's limit is put back


def test_rows_pyarrow_cannot_hold_in_one_block_are_read_by_the_checker(tmp_path):
    path = tmp_path / "big.csv"
    cells = ["y" * 100_000] * 12  # one 1.2 MB row: more than pyarrow's block
    path.write_text(",".join(f"c{i}" for i in range(12)) + "\n" + ",".join(cells) + "\n")
    table = survey_io.read_export(path)
    assert table.shape == (1, 12) and table.iloc[0, 11] == cells[11]
    assert str(table.dtypes.iloc[0]) == "str"


def test_the_checker_reads_what_pyarrow_reads(tmp_path):
    from ruralplan.survey import export_csv, export_rows

    path = _write(tmp_path / "a.csv", bom=True)
    layout = export_csv.read_layout(path, path.read_bytes())
    checked = export_rows._checked_rows(path, layout, layout.encoding)
    pd.testing.assert_frame_equal(checked, export_rows._arrow_rows(path, layout, layout.encoding))


def test_a_line_over_the_line_limit_is_refused_before_it_is_split(tmp_path, monkeypatch):
    from ruralplan.survey import export_csv, export_rows

    monkeypatch.setattr(export_rows, "MAX_LINE_CHARS", 100)
    path = tmp_path / "a.csv"
    path.write_text("a,b\n1,2\n" + "3," + "z" * 150 + "\n", encoding="utf-8")
    layout = export_csv.read_layout(path, path.read_bytes())
    with pytest.raises(survey_io.ExportReadError, match="line 3 is longer than 100 characters"):
        export_rows._checked_rows(path, layout, "utf-8")


def test_unreadable_file_and_folder_are_named(tmp_path, monkeypatch):
    path = _write(tmp_path / "a.csv")
    original = Path.open

    def refuse(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(survey_io.ExportReadError) as caught:
        survey_io.read_export(path)
    assert (
        str(caught.value)
        == f"{path}: cannot read the file (Permission denied); check its permissions"
    )
    with pytest.raises(survey_io.ExportReadError, match="a folder, not a file"):
        survey_io.read_export(tmp_path)


def test_zip_and_office_files_named_csv_say_what_they_are():
    from ruralplan.survey.export_csv import check_head

    with pytest.raises(survey_io.ExportReadError, match="a ZIP archive"):
        check_head(b"PK\x03\x04\x14\x00\x00\x00", "a.csv")
    with pytest.raises(survey_io.ExportReadError, match="an Office binary file"):
        check_head(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "a.csv")


def test_xlsx_date_cells_and_numbers_are_read_as_what_they_mean(tmp_path):
    import datetime as dt

    import openpyxl

    path = tmp_path / "typed.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Laiks", "Gads", "Biedri", "Diena", "Jā?"])
    book.active.append([dt.datetime(2024, 3, 4, 8, 0, 12), 1978, 56.0, dt.date(2024, 3, 5), True])
    book.active.append([None, 2005.5, "ap. 20", None, None])
    book.save(path)
    table = survey_io.read_export(path)
    assert table.values.tolist() == [
        ["2024-03-04 08:00:12", "1978", "56", "2024-03-05", "TRUE"],
        ["", "2005.5", "ap. 20", "", ""],
    ]


def test_xlsx_title_rows_are_skipped_and_named(tmp_path):
    path = tmp_path / "titled.xlsx"
    with pd.ExcelWriter(path) as writer:
        _expected().to_excel(writer, index=False, startrow=2)
        writer.sheets["Sheet1"]["A1"] = "Aptauja"
    table = survey_io.read_export(path)
    pd.testing.assert_frame_equal(table, _expected())
    assert table.attrs["notes"] == ["1 row(s) above the header skipped as a title ('Aptauja')"]


def test_corrupt_and_encrypted_workbooks_are_explained(project_root):
    folder = project_root / "tests/data/survey"
    with pytest.raises(survey_io.ExportReadError, match=r"not a readable XLSX workbook \(Parse"):
        survey_io.read_export(folder / "corrupt.xlsx")
    with pytest.raises(survey_io.ExportReadError, match="it is password-protected"):
        survey_io.read_export(folder / "encrypted.xlsx")


def test_two_sheets_are_named_in_a_note(project_root):
    table = survey_io.read_export(project_root / "tests/data/survey/wrong_sheet.xlsx")
    assert table.attrs["notes"] == [
        "the workbook has 2 sheets ('Piezīmes', 'Atbildes'); the first, 'Piezīmes', was read: "
        "name another with --sheet"
    ]
    assert survey_io.read_export(
        project_root / "tests/data/survey/wrong_sheet.xlsx", sheet="1"
    ).shape == (6, 14)


def test_sav_numbers_and_a_labelled_variable_with_a_missing_value(tmp_path):
    import pyreadstat

    path = tmp_path / "typed.sav"
    frame = pd.DataFrame({"year": [1978.0, None, 2005.0], "vote": [1.0, None, 2.0]})
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels=["Gads", "Jā vai nē"],
        variable_value_labels={"vote": {1.0: "Jā", 2.0: "Nē"}},
    )
    table = survey_io.read_export(path)
    assert table.values.tolist() == [["1978", "Jā"], ["", ""], ["2005", "Nē"]]


def test_cell_text():
    import datetime as dt

    from ruralplan.survey.export_books import cell_text

    assert cell_text(dt.datetime(2024, 3, 4, 8, 0, 12, 400)) == "2024-03-04 08:00:12"
    assert cell_text(dt.datetime(2024, 3, 4, 8, 0, 12, 250_000)) == "2024-03-04 08:00:12.250"
    assert cell_text(float("inf")) == "inf" and cell_text(-3.0) == "-3"
    assert cell_text(dt.time(8, 30)) == "08:30:00" and cell_text(False) == "FALSE"
