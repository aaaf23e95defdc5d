"""Write the generated fixtures of this folder from ``good_small.csv`` (run from the project root).

    .venv/bin/python tests/data/survey/make_fixtures.py

Each fixture is the six-row ``good_small.csv`` with one deliberate change; README.md lists
them with the message `ruralplan validate` must give. ``encrypted.xlsx`` is not made here: it
needs msoffcrypto-tool, which the project does not depend on (see README.md).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pyreadstat

HERE = Path(__file__).resolve().parent
GOOD = HERE / "good_small.csv"


def rows() -> list[list[str]]:
    """The header and six rows of good_small.csv."""
    with GOOD.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def as_csv(table: list[list[str]], *, delimiter: str = ",", newline: str = "\n") -> str:
    """Write rows as CSV text, quoting only where needed."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows(table)
    return buffer.getvalue()


def write(name: str, text: str, encoding: str = "utf-8") -> None:
    (HERE / name).write_bytes(text.encode(encoding))


def with_cell(column: int, row: int, value: str) -> list[list[str]]:
    """good_small.csv with one cell changed (``row`` 1 is the first answer row)."""
    table = rows()
    table[row][column] = value
    return table


def text_fixtures() -> None:
    table = rows()
    good = as_csv(table)
    write("cr_line_ends.csv", as_csv(table, newline="\r"))
    write("tab_separated.csv", as_csv(table, delimiter="\t"))
    write("title_rows.csv", "LLF aptauja 2024\nLejupielādēts 05.03.2024\n\n" + good)
    write("utf16.csv", as_csv(table, delimiter="\t", newline="\r\n"), "utf-16")
    write("bel_character.csv", as_csv(with_cell(1, 1, table[1][1] + "\a")))
    cut = good.index(table[4][3])  # row 4 cut inside its unquoted founding year
    write("truncated_mid_row.csv", good[: cut + 2])
    opened = '"Pieejama atbalsta'  # row 5, inside a quoted multiple-choice answer
    write("truncated_in_quotes.csv", good[: good.index(opened) + len(opened)])
    short = [list(r) for r in table]
    del short[3][5]
    write("short_row.csv", as_csv(short))
    extra = [list(r) for r in table]
    extra[2].insert(3, "papildu")
    write("extra_cell.csv", as_csv(extra))
    write("negative_count.csv", as_csv(with_cell(5, 2, "-5")))
    decimal_years = [list(r) for r in table]
    for row in decimal_years[1:]:
        if row[3].isdigit():
            row[3] += ".0"
    write("year_decimal.csv", as_csv(decimal_years))
    blank = [table[0]] + [[""] * len(table[0]) for _ in range(3)]
    write("all_blank_rows.csv", as_csv(blank))
    stamps = [table[0]] + [[r[0]] + [""] * (len(r) - 1) for r in table[1:4]]
    write("timestamp_only.csv", as_csv(stamps))
    invisible = [list(r) for r in table]
    invisible[0][1] = "\u200b" + invisible[0][1] + "\u00a0"
    invisible[0].append("Piezīmes\u200b\t")
    for row in invisible[1:]:
        row.append("")
    write("invisible_header.csv", as_csv(invisible))
    write("one_row.csv", as_csv(table[:2]))
    wide = ",".join(["x"] * 20_000) + "\n"
    write("too_many_columns.csv", wide)
    write("mixed_encoding.csv", good.replace("Paraugciems 002", "Paraugciems Ķ002"), "utf-8")
    data = (HERE / "mixed_encoding.csv").read_bytes().replace("Ķ".encode(), "Ķ".encode("cp1257"))
    (HERE / "mixed_encoding.csv").write_bytes(data)
    (HERE / "zip_named_csv.csv").write_bytes((HERE / "wrong_sheet.xlsx").read_bytes())


def workbook_fixtures() -> None:
    table = rows()
    header, body = table[0], table[1:]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Atbildes"
    sheet.append(header)
    for row in body:
        cells: list[object] = list(row)
        cells[0] = dt.datetime.strptime(row[0], "%d.%m.%Y %H:%M:%S")
        cells[3] = int(row[3]) if row[3].isdigit() else row[3]
        cells[5] = float(row[5]) if row[5].isdigit() else row[5]
        sheet.append(cells)
    book.save(HERE / "date_cells.xlsx")
    buffer = io.BytesIO()
    book.save(buffer)
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(HERE / "corrupt.xlsx", "w") as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # cut in the middle of the sheet's XML
            target.writestr(item, data)


def spss_fixture() -> None:
    table = rows()
    header, body = table[0], table[1:]
    frame = pd.DataFrame(body, columns=[f"q{i}" for i in range(len(header))])
    frame["q3"] = pd.to_numeric(frame["q3"], errors="coerce")  # numeric years ("2010. gadā" lost)
    frame["q5"] = pd.to_numeric(frame["q5"], errors="coerce")  # numeric counts
    labels = {1: "Jā", 2: "Nē", 3: "Nezinu"}
    codes = {label.casefold(): code for code, label in labels.items()}
    frame["q6"] = [codes.get(value.casefold()) for value in frame["q6"]]
    frame.loc[0, "q6"] = None  # a labelled variable with a missing value
    frame["q6"] = frame["q6"].astype(float)
    pyreadstat.write_sav(
        frame,
        str(HERE / "numeric.sav"),
        column_labels=header,
        variable_value_labels={"q6": labels},
    )


if __name__ == "__main__":
    text_fixtures()
    workbook_fixtures()
    spss_fixture()
