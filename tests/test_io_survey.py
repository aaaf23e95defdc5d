"""Export readers: encodings, delimiters, text kept as typed, the two CSV paths agree."""

from __future__ import annotations

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


def _write(path, *, encoding="utf-8", sep=",", bom=False):
    table = _expected()
    table.to_csv(
        path, index=False, sep=sep, encoding="utf-8-sig" if bom else encoding, lineterminator="\r\n"
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


def test_ragged_rows_take_the_pandas_path_and_still_read(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("a,b,c\n1,2,3\n4,5\n", encoding="utf-8")
    assert survey_io._read_csv_arrow(path, ",", "utf8", ["a", "b", "c"]) is None
    table = survey_io.read_export(path)
    assert table.values.tolist() == [["1", "2", "3"], ["4", "5", ""]]


def test_too_many_fields_is_a_read_error_naming_the_file(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("a,b\n1,2\n3,4,5,6\n", encoding="utf-8")
    with pytest.raises(survey_io.ExportReadError, match=r"wide\.csv: cannot parse as CSV"):
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
