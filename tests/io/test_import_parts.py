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


def test_locations_are_one_entity_per_place_through_the_gazetteer(tmp_path):
    from workbench.geo.places import place_namer

    path = tmp_path / "places.csv"
    path.write_text('Victim,Place\nA,Lagos\nB,"Lagos, Nigeria"\nC,lagos \nD,Atlantis\n')
    spec = parse_spec("entities:\n  v: {type: Person, identity: '{Victim}'}\n"
                      "  p: {type: Location, identity: '{Place}'}\n"
                      "links:\n  - {from: v, to: p, type: Associate}\n")
    plan = build_import(spec, [path], Chart(), places=place_namer())
    places = {e.label: e for e in plan.entities if e.type == "Location"}
    assert sorted(places) == ["Atlantis", "Lagos, Nigeria"]  # an unknown place stays itself
    assert places["Lagos, Nigeria"].attributes["aliases"].value == "Lagos; lagos"
    assert len(plan.links) == 4
    # without the gazetteer (a script that passes none) each spelling is its own place
    plain = build_import(spec, [path], Chart())
    assert sum(e.type == "Location" for e in plain.entities) == 3


def test_a_location_in_an_older_chart_is_found_by_its_folded_name(tmp_path):
    from workbench.geo.places import place_namer
    from workbench.model import SourceRecord

    chart = Chart()
    old = chart.make_entity("Location", "Lagos", identity="Lagos",
                            provenance=[SourceRecord("x")])
    path = tmp_path / "places.csv"
    path.write_text("Place\nLagos\n")
    spec = parse_spec("entities:\n  p: {type: Location, identity: '{Place}'}\n")
    plan = build_import(spec, [path], chart, places=place_namer())
    assert plan.report.entities_new == 0 and plan.report.entities_merged == 1
    plan.apply(chart)
    assert [e.id for e in chart.entities.values()] == [old.id]
