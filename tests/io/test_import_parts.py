"""Several sheets of one workbook, each with its own mapping, in one spec; constants read from
a cell of the sheet (a year in a title above the header)."""

from __future__ import annotations

import openpyxl
import pytest

from workbench.io.import_spec_yaml import dump_spec
from workbench.io.importer import build_import
from workbench.io.importspec import SpecError, parse_spec
from workbench.model import Chart

PARTS = """\
types:
  - {name: Handset, icon: mdi6.cellphone}
parts:
  - source: {sheet: "2011"}
    entities:
      origin: {type: Country, identity: "{Origin or Source}"}
      destination: {type: Country, identity: "{To}"}
    links:
      - {from: origin, to: destination, type: Trafficked to}
  - source: {sheet: "2016", header_row: 2, constants: {Year: {cell: A1, pattern: '\\d{4}'}}}
    entities:
      origin: {type: Country, identity: "{Origin_Country}"}
      destination: {type: Country, identity: "{Destination_Country}"}
      phone: {type: Handset, identity: "{Phone}"}
    links:
      - {from: origin, to: destination, type: Trafficked to, date: "{Year}", date_format: "%Y"}
"""


@pytest.fixture
def workbook(tmp_path):
    book = openpyxl.Workbook()
    old = book.active
    old.title = "2011"
    old.append(["Origin or Source", "To"])
    old.append(["Nigeria", "Italy"])
    new = book.create_sheet("2016")
    new.append(["Routes reported in 2016"])
    new.append(["Origin_Country", "Destination_Country", "Phone"])
    new.append(["Ghana", "Spain", "h1"])
    new.append(["Nigeria", "Libya", "h2"])
    path = tmp_path / "routes.xlsx"
    book.save(path)
    return path


def test_each_sheet_is_read_with_its_own_mapping_from_one_spec(workbook):
    spec = parse_spec(PARTS, name="routes.yaml")
    assert [p.source.sheet for p in spec.parts] == ["2011", "2016"]
    plan = build_import(spec, [workbook], Chart())
    report = plan.report
    assert [(f.sheet, f.rows_read, f.rows_imported) for f in report.files] == \
        [("2011", 1, 1), ("2016", 2, 2)]
    assert report.links_new == 3
    assert {lk.date.year for lk in plan.links if lk.date} == {2016}  # the year from A1
    assert sum(1 for lk in plan.links if lk.date is None) == 1  # the 2011 sheet's link


def test_a_spec_with_parts_saves_and_loads_back_the_same():
    spec = parse_spec(PARTS)
    again = parse_spec(dump_spec(spec))
    assert again.parts == spec.parts
    assert again.parts[1].source.constants["Year"].cell == "A1"


def test_a_mistake_in_a_part_names_the_part_and_line():
    with pytest.raises(SpecError, match=r"s.yaml: parts\[1\]: entities.a.type \(line 6\)"):
        parse_spec("parts:\n  - entities: {a: {type: Person, identity: '{A}'}}\n"
                   "  - source: {sheet: x}\n"
                   "    entities:\n"
                   "      a:\n"
                   "        {type: Persn, identity: '{A}'}\n", name="s.yaml")


def test_a_cell_reference_must_look_like_a1():
    with pytest.raises(SpecError, match="'1A' is not a cell such as A1 or B2"):
        parse_spec("source: {constants: {Year: {cell: 1A}}}\n"
                   "entities: {a: {type: Person, identity: '{A}'}}\n")


def test_a_constant_from_a_cell_of_a_csv(tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text("Calls of 2016,\nFrom,To\nAna,Ben\n")
    spec = parse_spec("source: {header_row: 2, constants: {Year: {cell: A1, pattern: '\\d{4}'}}}"
                      "\nentities: {a: {type: Person, identity: '{From}'},"
                      " b: {type: Person, identity: '{To}'}}\n"
                      "links: [{from: a, to: b, type: Associate, date: '{Year}', "
                      "date_format: '%Y'}]\n")
    plan = build_import(spec, [path], Chart())
    assert [lk.date.year for lk in plan.links] == [2016]
