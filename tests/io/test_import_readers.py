"""Readers: every encoding analysts meet, identifiers kept as typed, messy xlsx sheets."""

from __future__ import annotations

import codecs
from datetime import datetime

import openpyxl
import pytest

from workbench.io.importspec import SourceSpec
from workbench.io.readers import read_table, sheet_names
from workbench.io.text_table import ReadError

from .conftest import write

CSV = "Name,Phone,City\nJosé Núñez,+447700900123,Besançon\nZoë Brontë,007,Köln\n"


@pytest.mark.parametrize(("encoding", "expected", "guessed"), [
    ("utf-8", "utf-8", False),
    ("utf-8-sig", "utf-8-sig", False),
    ("utf-16", "utf-16", False),
    ("cp1252", "cp1252", True),
])
def test_encodings_keep_accents_and_say_what_was_used(tmp_path, encoding, expected, guessed):
    table = read_table(write(tmp_path / "people.csv", CSV, encoding))
    assert table.columns == ["Name", "Phone", "City"]
    assert table.frame["Name"].tolist() == ["José Núñez", "Zoë Brontë"]
    assert table.frame["City"].tolist() == ["Besançon", "Köln"]
    assert (table.encoding, table.encoding_guessed) == (expected, guessed)


def test_identifiers_keep_plus_signs_and_leading_zeros(tmp_path):
    table = read_table(write(tmp_path / "p.csv", CSV))
    assert table.frame["Phone"].tolist() == ["+447700900123", "007"]
    assert table.row_numbers.tolist() == [2, 3]


def test_semicolons_blank_leading_lines_and_spaces_in_names(tmp_path):
    text = "\n;;\n Caller ; Callee \n0770;0771\n0772;\n"
    table = read_table(write(tmp_path / "calls.csv", text))
    assert table.columns == ["Caller", "Callee"]
    assert table.frame["Callee"].tolist() == ["0771", ""]
    assert table.row_numbers.tolist() == [4, 5]  # as a spreadsheet numbers them


def test_preview_reads_only_the_first_rows(tmp_path):
    body = "".join(f"{i},x\n" for i in range(1000))
    table = read_table(write(tmp_path / "big.csv", "n,v\n" + body), nrows=200)
    assert len(table.frame) == 200


def test_a_binary_file_is_refused_with_a_reason(tmp_path):
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(ReadError, match=r"photo\.xlsx: not a readable spreadsheet"):
        read_table(path)


def test_ragged_and_empty_csv(tmp_path):
    short = read_table(write(tmp_path / "short.csv", "a,b,c\n1,2,3\n4,5\n"))
    assert short.frame.values.tolist() == [["1", "2", "3"], ["4", "5", ""]]
    with pytest.raises(ReadError, match=r"rag\.csv: .*Expected 3 fields in line 4, saw 4"):
        read_table(write(tmp_path / "rag.csv", "a,b,c\n1,2,3\n4,5\n6,7,8,9\n"))
    with pytest.raises(ReadError, match=r"empty\.csv: not a readable CSV file"):
        read_table(write(tmp_path / "empty.csv", ""))


def messy_workbook(path):
    """What analysts get from partners: a title merged across the top, blank rows, a merged
    header, names with trailing spaces, numbers stored as text and dates as plain numbers."""
    book = openpyxl.Workbook()
    first = book.active
    first.title = "2016 "
    first["A1"] = "Hotline reports, March 2016"
    first.merge_cells("A1:E1")
    first.append([])
    first.append(["Reporter ", "Phone", None, "Reported", "Amount"])
    first.merge_cells("B3:C3")  # "Phone" covers two columns
    first.append(["Ana", "07700 900123", "07700900124", 42430, "25000"])
    first["B4"].number_format = "@"
    first.append(["Ben", 7700900125, None, datetime(2016, 3, 2, 14, 30), 1.5])
    first.append([])
    first.append(["Cy", None, None, None, "$25,000"])
    second = book.create_sheet("2017")
    second.append(["Reporter", "Phone"])
    second.append(["Dee", "+33612345678"])
    book.save(path)
    return path


def test_xlsx_messy_sheet(tmp_path):
    path = messy_workbook(tmp_path / "hotline.xlsx")
    assert sheet_names(path) == ["2016 ", "2017"]
    table = read_table(path, SourceSpec(sheet="2016"))  # trailing space in the sheet name
    assert table.sheet == "2016 "
    assert table.columns == ["Reporter", "Phone", "Phone (2)", "Reported", "Amount"]
    frame = table.frame
    assert frame["Reporter"].tolist() == ["Ana", "Ben", "Cy"]  # the blank row is not a row
    assert frame["Phone"].tolist() == ["07700 900123", "7700900125", ""]
    assert frame["Phone (2)"].tolist() == ["07700900124", "", ""]
    assert frame["Reported"].tolist() == ["42430", "2016-03-02 14:30:00", ""]
    assert frame["Amount"].tolist() == ["25000", "1.5", "$25,000"]
    assert table.row_numbers.tolist() == [4, 5, 7]


def test_xlsx_other_sheet_by_index_and_a_missing_sheet(tmp_path):
    path = messy_workbook(tmp_path / "hotline.xlsx")
    table = read_table(path, SourceSpec(sheet=1))
    assert table.frame["Phone"].tolist() == ["+33612345678"]
    with pytest.raises(ReadError, match="no sheet '2018'; the sheets are '2016 ', '2017'"):
        read_table(path, SourceSpec(sheet="2018"))


def _utf16_with_lone_surrogates(path, text):
    """UTF-16 (with BOM) that holds lone surrogates, as tools that cut text by code unit
    write it; Python only writes it with ``surrogatepass``."""
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le", "surrogatepass"))
    return path


def test_a_lone_surrogate_in_utf16_keeps_the_row_and_reports_the_cell(tmp_path):
    path = _utf16_with_lone_surrogates(
        tmp_path / "hotline.csv",
        "Name,Phone\nAlice,+447700900123\nBob\ud800,+447700900124\nCarol,+44770090\udc00125\n")
    table = read_table(path)
    assert table.encoding == "utf-16"
    assert table.frame["Name"].tolist() == ["Alice", "Bob\ufffd", "Carol"]
    assert [(i.file, i.row, i.column, i.value, i.severity) for i in table.issues] == [
        ("hotline.csv", 3, "Name", "Bob\ufffd", "warning"),
        ("hotline.csv", 4, "Phone", "+44770090\ufffd125", "warning"),
    ]
    assert "lone surrogate" in table.issues[0].reason


def test_a_lone_surrogate_in_a_utf16_header_is_reported_on_the_header_row(tmp_path):
    path = _utf16_with_lone_surrogates(tmp_path / "h.csv", "\n\nNa\udbffme,Phone\nAlice,1\n")
    table = read_table(path)
    assert table.columns == ["Na\ufffdme", "Phone"]
    assert [(i.row, i.column) for i in table.issues] == [(3, "Na\ufffdme")]


def test_an_import_of_utf16_with_a_lone_surrogate_imports_every_row_with_a_warning(tmp_path):
    from workbench.io.importer import build_import
    from workbench.io.importspec import parse_spec

    path = _utf16_with_lone_surrogates(tmp_path / "people.csv",
                                       "Name\nAlice\nBob\ud800\nCarol\n")
    spec = parse_spec('entities:\n  p: {type: Person, identity: "{Name}"}\n')
    report = build_import(spec, [path]).report
    assert report.rows_imported == 3
    assert [(w.file, w.row, w.column) for w in report.warnings] == [("people.csv", 3, "Name")]


def test_utf8_that_is_not_utf8_is_still_refused_whole(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("Name\nJosé\n".encode("cp1252"))
    with pytest.raises(ReadError, match="not utf-8 text"):
        read_table(path, SourceSpec(encoding="utf-8"))
