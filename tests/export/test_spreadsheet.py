"""Spreadsheets opened with real readers (openpyxl, the csv module) as a bank would."""

from __future__ import annotations

import csv
from datetime import datetime

import pytest
from openpyxl import load_workbook

from tests.io.conftest import HOSTILE
from workbench.export.spreadsheet import csv_paths, neutralise, write_csv, write_xlsx


@pytest.mark.parametrize("text, expected", [
    ("=1+1", "'=1+1"), ("+447700900123", "'+447700900123"), ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tcmd", "'\tcmd"), ("\r=x", "'\r=x"),
    ("Anna", "Anna"), ("a=b", "a=b"), ("", ""),
])
def test_neutralise(text, expected):
    assert neutralise(text) == expected


def _rows(sheet):
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_xlsx_has_both_sheets_with_styled_frozen_filtered_headers(rich_chart, tmp_path):
    path = tmp_path / "chart.xlsx"
    write_xlsx(rich_chart, path)
    book = load_workbook(path)
    assert book.sheetnames == ["Entities", "Links"]
    entities, links = book["Entities"], book["Links"]
    assert entities.max_row == len(rich_chart.entities) + 1
    assert links.max_row == len(rich_chart.links) + 1
    for sheet in (entities, links):
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref.startswith("A1:")
        assert sheet["A1"].font.bold
        assert sheet.column_dimensions["C"].width > 10  # labels are readable
    header = [c.value for c in entities[1]]
    assert header[:4] == ["ID", "Type", "Label", "Identity"]
    assert "type" in header and "Type" in header and "Sources" in header and "Grades" in header
    assert book.properties.title == rich_chart.title
    # Printed: the marking at the top and bottom of every page, the header row repeated.
    for sheet in (entities, links):
        assert sheet.oddHeader.center.text == "OFFICIAL-SENSITIVE"
        assert sheet.oddFooter.center.text == "OFFICIAL-SENSITIVE"
        assert sheet.print_title_rows == "$1:$1"


def test_xlsx_values_are_typed_and_sources_listed(rich_chart, tmp_path):
    path = tmp_path / "chart.xlsx"
    write_xlsx(rich_chart, path)
    sheet = load_workbook(path)["Entities"]
    rows = _rows(sheet)
    header = rows[0]
    anna = dict(zip(header, next(r for r in rows if r[2] == "Anna Kowalska"), strict=True))
    assert anna["age"] == 27 and anna["height"] == pytest.approx(1.68)
    assert anna["first seen"] == datetime(2016, 3, 4, 22, 15)
    assert anna["minor"] is False
    assert (anna["Latitude"], anna["Longitude"]) == (52.2297, 21.0122)
    assert anna["Links"] == 3
    assert "court.xlsx [Defendants] row 14 (A1)" in anna["Sources"]
    assert anna["Grades"] == "A1, E4"
    links = _rows(load_workbook(path)["Links"])
    recruit = dict(zip(links[0], next(r for r in links if r[1] == "Recruits"), strict=True))
    assert recruit["amount"] == -2500.5  # a negative number stays a number
    assert (recruit["From"], recruit["To"]) == ("-1+1 Ivanov", "Anna Kowalska")  # as text
    assert recruit["Direction"] == "reverse" and recruit["Strength"] == "tentative"


def test_no_cell_can_become_a_formula(rich_chart, tmp_path):
    """Text cells are strings exactly as they were (a phone number still matches), never
    formulas, and formatted as Text so that editing one in Excel keeps it text."""
    path = tmp_path / "chart.xlsx"
    write_xlsx(rich_chart, path)
    book = load_workbook(path)
    texts = []
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    assert cell.data_type == "s", cell.coordinate
                    if cell.value.startswith(("=", "+", "-", "@", "\t", "\r")):
                        assert cell.number_format == "@", cell.coordinate
    assert HOSTILE in texts
    assert "+447700900123" in texts  # the phone attribute, shown as text


def test_selection_only(rich_chart, tmp_path):
    path = tmp_path / "some.xlsx"
    ids = [e.id for e in rich_chart.entities.values() if e.type == "Person"]
    write_xlsx(rich_chart, path, entity_ids=ids)
    book = load_workbook(path)
    assert book["Entities"].max_row == 3
    assert book["Links"].max_row == 2  # only the link between the two people


def test_measures_become_columns(rich_chart, tmp_path):
    path = tmp_path / "m.xlsx"
    first = next(iter(rich_chart.entities))
    write_xlsx(rich_chart, path, measures={"Betweenness": {first: 0.75}})
    rows = _rows(load_workbook(path)["Entities"])
    column = rows[0].index("Betweenness")
    assert rows[1][column] == 0.75 and rows[2][column] is None


def test_csv_files_open_in_excel_with_accents_and_no_formulas(rich_chart, tmp_path):
    entities_path, links_path = write_csv(rich_chart, tmp_path / "out.csv")
    assert (entities_path, links_path) == csv_paths(tmp_path / "out.csv")
    assert entities_path.name == "out-entities.csv" and links_path.name == "out-links.csv"
    raw = entities_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    with entities_path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == len(rich_chart.entities) + 1
    header = rows[0]
    anna = dict(zip(header, next(r for r in rows if r[2] == "Anna Kowalska"), strict=True))
    assert anna["age"] == "27" and anna["minor"] == "no"
    assert anna["first seen"] == "2016-03-04 22:15:00"
    for row in rows:
        for cell in row:
            if cell.startswith(("=", "+", "-", "@", "\t", "\r")):
                float(cell)  # only a plain number (a negative position) may start so
    with links_path.open(encoding="utf-8-sig", newline="") as handle:
        links = list(csv.reader(handle))
    assert any(r[2] == "'" + HOSTILE for r in links)
    amount = links[0].index("amount")
    assert "-2500.5" in [r[amount] for r in links]  # numbers are not neutralised


def test_cyrillic_title_and_labels_survive(rich_chart, tmp_path):
    rich_chart.make_entity("Person", "Олена Шевченко", identity="Олена Шевченко")
    path = tmp_path / "c.xlsx"
    write_xlsx(rich_chart, path)
    labels = [r[2] for r in _rows(load_workbook(path)["Entities"])]
    assert "Олена Шевченко" in labels


def test_control_characters_become_visible_in_xlsx(rich_chart, tmp_path):
    rich_chart.make_entity("Person", "Bad\x07name")
    path = tmp_path / "c.xlsx"
    write_xlsx(rich_chart, path)
    labels = [r[2] for r in _rows(load_workbook(path)["Entities"])]
    assert "Bad\ufffdname" in labels


def test_a_cell_longer_than_excel_allows_is_cut_visibly(tmp_path):
    from workbench.model import Chart, SourceRecord

    chart = Chart("hub")
    chart.make_entity("Phone", "+447700900123", provenance=[
        SourceRecord("call records", file="calls.csv", row=i) for i in range(3000)])
    path = tmp_path / "hub.xlsx"
    write_xlsx(chart, path)
    rows = _rows(load_workbook(path)["Entities"])
    sources = rows[1][rows[0].index("Sources")]
    assert len(sources) <= 32_767
    assert sources.startswith("calls.csv row 0; calls.csv row 1;")
    assert "[cut:" in sources and "the CSV export has all]" in sources
    entities_csv, _ = write_csv(chart, tmp_path / "hub.csv")
    assert "calls.csv row 2999" in entities_csv.read_text(encoding="utf-8-sig")
