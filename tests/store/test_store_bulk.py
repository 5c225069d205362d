"""The bulk path (DuckDB reads the CSV, distinct values through the chart's normalisers)
against the chart importer run chunk by chunk: the same files into two stores must give the
same entities, identities, labels, dates, places, attributes, links, provenance and report."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.store.conftest import IMPORTS
from workbench.io.importspec import load_spec, parse_spec
from workbench.store import open_store

EDGE_SPEC = """
source: {name: Edge cases, reliability: C, credibility: "3"}
region: GB
entities:
  caller: {type: Phone, identity: "{Caller}", label: "{Name}", date: "{Date}",
           lat: Lat, lon: Lon}
  callee: {type: Phone, identity: "{Callee}{Other}",
           when: {column: Kind, not_in: [sms]}}
  person: {type: Person, identity: "Mr {Name}", label: "{Name} ({Code})"}
attributes:
  caller: {seconds: {column: Seconds, kind: number}, note: Note}
  person: {code: Code}
filters: [{column: Kind, not_in: [ignore]}]
links:
  - {from: caller, to: callee, type: Calls, direction: forward, date: "{Date}",
     date_format: "%Y-%m-%d", label: "{Kind}",
     attributes: {seconds: {column: Seconds, kind: number}, code: "{Code}"}}
  - {from: person, to: caller, type: Uses, merge: true}
"""

EDGE_CSV = """Caller,Callee,Other,Name,Code,Kind,Date,Seconds,Note,Lat,Lon
07700 900001,07700 900002,,Ann,007,call,2016-01-02,12,first,51.5,-0.1
07700900001, ,07700 900003,ann,008,call,2016-01-03,<5,,,
+447700900002,07700 900001,,  Bob ,,sms,not a date,7,"quoted, note",91,0
not a phone,07700 900004,,Cy,009,call,2016-01-04,x,,51.4,-0.2
07700 900005,07700 900006,,Dee,,ignore,2016-01-05,1,,,
 ,,,,,call,,,,,
07700 900007,07700 900001,,Édith,010,call,,30,note é,52,1
07700 900001,07700 900002,,Ann,011,call,2016-02-02,40,second,50,0
"""


def dump(store) -> dict:
    """A store's content keyed by identities, not by ids (the two paths number alike,
    but the comparison must not depend on it)."""
    c = store.conn
    entities = {(t, i): rest for t, i, *rest in c.execute(
        "SELECT type, identity, label, date, lat, lon, fold FROM entities").fetchall()}
    attributes = sorted(c.execute(
        "SELECT e.type, e.identity, a.name, a.value, a.fold FROM entity_attributes a "
        "JOIN entities e ON e.id = a.entity_id").fetchall())
    entity_rows = sorted(c.execute(
        "SELECT e.type, e.identity, r.row, r.name, r.reliability, r.credibility "
        "FROM entity_records x JOIN entities e ON e.id = x.entity_id "
        "JOIN records r ON r.id = x.record_id").fetchall())
    links = sorted(c.execute(
        "SELECT a.type, a.identity, b.type, b.identity, l.type, l.label, l.direction, "
        "l.strength, l.date, l.attributes, l.merged, "
        "(SELECT list(r.row ORDER BY r.row) FROM link_records x JOIN records r "
        "ON r.id = x.record_id WHERE x.link_id = l.id) FROM links l "
        "JOIN entities a ON a.id = l.end1 JOIN entities b ON b.id = l.end2").fetchall(),
        key=repr)
    records = sorted(c.execute("SELECT row, name, sheet FROM records").fetchall())
    return {"entities": entities, "attributes": attributes, "entity_rows": entity_rows,
            "links": links, "records": records}


def report_of(result) -> dict:
    r = result.report
    return {"files": [(f.rows_read, f.rows_imported, f.rows_skipped, f.rows_rejected,
                       f.made, f.nothing, f.unlinked) for f in r.files],
            "issues": sorted((i.file, i.row, i.column, i.value, i.reason, i.severity)
                             for i in r.issues),
            "groups": sorted((g.column, g.reason, g.severity, tuple(g.rows.tolist()))
                             for g in r.row_groups),
            "notes": [n for n in r.notes if "row by row" not in n and "in blocks" not in n]}


def both(tmp_path: Path, spec_text: str, files: list[Path], spec=None):
    spec = spec or parse_spec(spec_text)
    out = []
    for bulk in (True, False):
        with open_store(tmp_path / f"{bulk}.wbstore", create=True) as store:
            result = store.import_files(spec, spec_text, files, bulk=bulk)
            out.append((dump(store), report_of(result), result))
    return out


def test_edge_cases_come_out_as_the_chart_importer_makes_them(tmp_path):
    """Bad phones and dates, a bound kept as text, empty and side-by-side identity columns,
    filters and 'when', labels from templates, a merged link, coordinates out of range,
    accents, "007" kept as written: cell for cell what the chart importer makes."""
    data = tmp_path / "edge.csv"
    data.write_text(EDGE_CSV, encoding="utf-8")
    (bulk, bulk_report, result), (chunked, chunk_report, _) = both(tmp_path, EDGE_SPEC, [data])
    assert not any("row by row" in n for n in result.report.notes)  # it took the bulk path
    assert bulk == chunked
    assert bulk_report == chunk_report
    assert ("edge.csv", 5, "Caller", "not a phone") in {i[:4] for i in bulk_report["issues"]}
    assert bulk["entities"][("Person", "mr ann")][0] == "Ann (007)"
    assert ("Person", "mr ann", "Phone", "+447700900001") in {lk[:4] for lk in bulk["links"]}


def test_two_roles_of_one_type_give_an_entity_its_first_label_date_and_attributes(tmp_path):
    """An identity written by several texts and by two roles of one type: its label, date
    and each attribute are the first found, roles in spec order then rows, as the chart
    importer finds them (the bulk path finds them among each text's first rows)."""
    data = tmp_path / "two.csv"
    data.write_text("A,B,NA,NB,Day,Note\n"
                    "07700 900001,07700900002,,Bee,2016-01-02,\n"
                    "07700900002,+447700900001,Ay,,,n1\n"
                    "+447700900002,07700 900003,Bea,Cee,2016-01-03,n2\n"
                    "07700 900003,07700 900001,,,2016-01-04,n3\n", encoding="utf-8")
    spec = """
region: GB
entities:
  a: {type: Phone, identity: "{A}", label: "{NA}", date: "{Day}"}
  b: {type: Phone, identity: "{B}", label: "{NB}"}
attributes:
  a: {note: Note}
  b: {note: "{NB}"}
links:
  - {from: a, to: b, type: Calls}
"""
    (bulk, bulk_report, _), (chunked, chunk_report, _) = both(tmp_path, spec, [data])
    assert bulk == chunked
    assert bulk_report == chunk_report
    assert bulk["entities"][("Phone", "+447700900002")][0] == "Ay"  # role a comes first
    assert ("Phone", "+447700900002", "note") in {a[:3] for a in bulk["attributes"]}


@pytest.mark.parametrize("spec, data", IMPORTS, ids=[d.name for _, d in IMPORTS])
def test_the_sample_data_comes_out_as_the_chart_importer_makes_it(tmp_path, spec, data):
    (bulk, bulk_report, result), (chunked, chunk_report, _) = both(
        tmp_path, spec.read_text(encoding="utf-8"), [data], load_spec(spec))
    assert bulk == chunked
    assert bulk_report == chunk_report
    by_row = any("row by row" in n for n in result.report.notes)
    assert by_row == (data.name == "trafficking_routes_2008_2016.csv")  # countries


def test_a_file_the_bulk_path_cannot_take_says_why(tmp_path):
    spec = IMPORTS[3][0]
    with open_store(tmp_path / "s.wbstore", create=True) as store:
        result = store.import_files(load_spec(spec), "", [IMPORTS[3][1]])
    assert any("imported row by row through the chart importer (entities.origin: "
               "countries" in n for n in result.report.notes)


@pytest.mark.parametrize("text, by_row", [
    ("From,To\n1,2\n\n3,4\n5,6\n", True),  # a blank line: the chart reader numbers the rows
    ('From,To\n1,2\n"3\n",4\n5,6\n', True),  # a line break inside a cell: so too
    ("From,To\n1,2\n3,4\n5,6", False),  # no line break at the end: the bulk path
])
def test_row_numbers_are_the_spreadsheet_rows_either_way(tmp_path, text, by_row):
    data = tmp_path / "rows.csv"
    data.write_text(text, encoding="utf-8")
    spec = ("entities:\n  a: {type: Person, identity: '{From}'}\n"
            "  b: {type: Person, identity: '{To}'}\nlinks:\n  - {from: a, to: b, "
            "type: Associate}\n")
    (bulk, bulk_report, result), (chunked, chunk_report, _) = both(tmp_path, spec, [data])
    assert bulk == chunked and bulk_report == chunk_report
    assert any("row by row" in n for n in result.report.notes) == by_row
