"""The importer on small real files: entities and links per row, merging, the report, undo."""

from __future__ import annotations

import csv

import pytest

from workbench.io.import_report import WARNING
from workbench.io.importer import ImportCancelled, build_import, import_files
from workbench.io.importspec import SpecError, parse_spec
from workbench.model import Chart, ChartError, Kind, SourceRecord, Value

from .conftest import write

CALLS = """\
Caller,Callee,Caller name,When,Amount,Note
07700 900123,+44 7700 900124,Ana Lima,01/03/2016 14:30,"$25,000",=HYPERLINK("x")
+447700900124,07700900125,Ben Okoro,02/03/2016,1.33E+07,
07700 900123,not a phone,Ana Lima,03/03/2016,<5,
,,,,,
07700900125,07700 900123,Cy Moss,31/02/2016,7,
"""

CALL_SPEC = """\
source: {name: Hotline calls, reliability: C, credibility: "3"}
region: GB
entities:
  caller: {type: Phone, identity: "{Caller}"}
  callee: {type: Phone, identity: "{Callee}"}
  person: {type: Person, identity: "{Caller name}"}
links:
  - {from: caller, to: callee, type: Calls, direction: forward, date: "{When}",
     date_format: ["%d/%m/%Y %H:%M", "%d/%m/%Y"],
     attributes: {amount: {column: Amount, kind: number}, note: Note}}
  - {from: person, to: caller, type: Uses, direction: forward}
"""


@pytest.fixture
def calls(tmp_path):
    return write(tmp_path / "calls.csv", CALLS)


def test_rows_make_entities_and_links_and_bad_values_are_reported(calls):
    chart = Chart()
    report = import_files(parse_spec(CALL_SPEC), [calls], into=chart)
    # a bad value costs only itself: row 4 (callee not a phone) still makes its caller, its
    # person and their link; row 6 (31 February) makes its call, undated
    assert (report.rows_read, report.rows_imported, report.rows_skipped,
            report.rows_rejected) == (5, 4, 1, 0)
    phones = {e.identity for e in chart if e.type == "Phone"}
    assert phones == {"+447700900123", "+447700900124", "+447700900125"}
    assert {e.label for e in chart if e.type == "Person"} == {"Ana Lima", "Ben Okoro",
                                                             "Cy Moss"}
    calls_links = [lk for lk in chart.links.values() if lk.type == "Calls"]
    assert len(calls_links) == 3 and len(chart.links) == 7
    undated = [lk for lk in calls_links if lk.provenance[0].row == 6]
    assert [lk.date for lk in undated] == [None]
    first = min(calls_links, key=lambda lk: lk.provenance[0].row)
    assert first.attributes["amount"] == Value(Kind.NUMBER, 25000)
    assert first.date.isoformat() == "2016-03-01T14:30:00"
    assert first.provenance[0].row == 2 and first.provenance[0].grade == "C3"
    errors = {(i.row, i.column, i.value): i.reason for i in report.errors}
    assert set(errors) == {(4, "Callee", "not a phone")}
    assert "not a phone number" in errors[(4, "Callee", "not a phone")]
    [date] = report.warnings
    assert (date.row, date.column, date.value) == (6, "When", "31/02/2016")
    assert "matches none of the date formats" in date.reason


def test_an_entity_carries_every_row_that_made_or_touched_it(calls):
    chart = Chart()
    import_files(parse_spec(CALL_SPEC), [calls], into=chart)
    ana = chart.find("Phone", "+447700900123")
    assert [p.row for p in ana.provenance] == [2, 4, 6]  # row 4's callee is bad, not its caller
    ben_phone = chart.find("Phone", "+447700900124")
    assert [p.row for p in ben_phone.provenance] == [2, 3]


def test_numbers_bounds_and_formulas(calls, tmp_path):
    chart = Chart()
    spec = parse_spec(CALL_SPEC.replace('date: "{When}",', ""))  # dates not checked here
    report = import_files(spec, [calls], into=chart)
    amounts = sorted((lk.provenance[0].row, lk.attributes["amount"])
                     for lk in chart.links.values() if lk.type == "Calls")
    assert amounts[1] == (3, Value(Kind.NUMBER, 1.33e7))
    assert (4, Value(Kind.TEXT, "<5")) not in amounts  # row 4 has a bad phone: rejected
    assert [i.row for i in report.errors] == [4]  # the bad phone
    out = tmp_path / "report.csv"
    report.write_csv(out)
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert rows[0]["file"] == "calls.csv" and rows[0]["row"] == "4"


def test_a_bound_is_kept_as_text_with_a_warning(tmp_path):
    path = write(tmp_path / "victims.csv", "Town,Victims\nLeeds,<5\nYork,12\n")
    spec = parse_spec("entities:\n  town: {type: Location, identity: '{Town}'}\n"
                      "attributes:\n  town: {victims: {column: Victims, kind: number}}\n")
    chart = Chart()
    report = import_files(spec, [path], into=chart)
    assert chart.find("Location", "leeds").attributes["victims"] == Value(Kind.TEXT, "<5")
    assert chart.find("Location", "york").attributes["victims"] == Value(Kind.NUMBER, 12)
    [warning] = report.issues
    assert (warning.severity, warning.row, warning.value) == (WARNING, 2, "<5")
    assert "bound" in warning.reason and report.rows_rejected == 0


def test_split_cells_and_coordinates(tmp_path):
    path = write(tmp_path / "routes.csv",
                 "From,Via,To,Lat,Lon\nAlbania,\"Greece, Italy\",UK,41.0,20.0\n"
                 "Kosovo,,UK,95,20\n=cmd|' /C calc'!A0,,UK,,\n")
    spec = parse_spec("""
entities:
  origin: {type: Country, identity: "{From}", lat: Lat, lon: Lon}
  via: {type: Country, identity: "{Via}", split: ","}
  dest: {type: Country, identity: "{To}"}
links:
  - {from: origin, to: via, type: Transits through}
  - {from: via, to: dest, type: Trafficked to}
  - {from: origin, to: dest, type: Trafficked to}
""")
    chart = Chart()
    report = import_files(spec, [path], into=chart)
    assert {e.label for e in chart} == {"Albania", "Kosovo", "Greece", "Italy",
                                        "United Kingdom", "=cmd|' /C calc'!A0"}
    assert chart.find("Country", "AL").coordinates == (41.0, 20.0)
    assert len(chart.links) == 2 + 2 + 3
    assert [(g.group, g.rows.tolist()) for g in report.row_groups] == [
        ("row(s) with no via (Via empty): no Country made and no link to it", [3, 4])]
    [bad_coordinates] = report.warnings
    assert bad_coordinates.row == 3 and "outside latitude" in bad_coordinates.reason
    assert chart.find("Country", "XK").coordinates is None


def test_report_csv_neutralises_formulas(tmp_path):
    path = write(tmp_path / "p.csv", "Phone\n=1+2\n")
    report = import_files(parse_spec("entities:\n  p: {type: Phone, identity: '{Phone}'}"),
                          [path], into=Chart())
    out = tmp_path / "r.csv"
    report.write_csv(out)
    assert list(csv.reader(out.open(encoding="utf-8-sig")))[1][4] == "'=1+2"


def test_same_phone_in_two_files_and_an_earlier_chart_is_one_entity(calls, tmp_path):
    hotline = write(tmp_path / "hotline.csv", "Reported phone,Reported by\n0044 7700 900123,NGO\n")
    chart = Chart()
    import_files(parse_spec(CALL_SPEC), [calls], into=chart)
    before = len(chart)
    spec = parse_spec("source: {name: Hotline}\nentities:\n  p: {type: Phone, identity: "
                      "'{Reported phone}'}\nattributes:\n  p: {reported_by: Reported by}\n")
    plan = build_import(spec, [hotline], chart)
    assert plan.report.entities_merged == 1 and not plan.entities
    plan.apply(chart)
    phone = chart.find("Phone", "+447700900123")
    assert len(chart) == before
    assert [p.source for p in phone.provenance] == ["Hotline calls"] * 3 + ["Hotline"]
    assert phone.attributes["reported_by"] == Value(Kind.TEXT, "NGO")


def test_build_does_not_change_the_chart_and_revert_undoes_exactly(calls, tmp_path):
    chart = Chart()
    chart.make_entity("Phone", "Known", identity="07700900123",
                      provenance=[SourceRecord("Earlier")])
    before_entities = {k: (e.label, list(e.provenance), dict(e.attributes))
                       for k, e in chart.entities.items()}
    plan = build_import(parse_spec(CALL_SPEC), [calls], chart)
    assert len(chart) == 1 and not chart.links
    plan.apply(chart)
    assert len(chart) == 6 and len(chart.links) == 7
    assert len(chart.find("Phone", "+447700900123").provenance) == 4
    plan.revert(chart)
    assert {k: (e.label, list(e.provenance), dict(e.attributes))
            for k, e in chart.entities.items()} == before_entities
    assert not chart.links
    plan.apply(chart)  # redo
    assert len(chart) == 6


def test_cancel_stops_the_build_and_changes_nothing(calls):
    chart = Chart()
    seen = []
    with pytest.raises(ImportCancelled):
        build_import(parse_spec(CALL_SPEC), [calls], chart,
                     progress=lambda f, m: seen.append(f), cancelled=lambda: True)
    assert len(chart) == 0


def test_progress_goes_to_one(calls):
    seen: list[float] = []
    build_import(parse_spec(CALL_SPEC), [calls], Chart(), progress=lambda f, m: seen.append(f))
    assert seen[-1] == 1.0 and seen == sorted(seen)


def test_a_spec_for_another_file_is_refused_before_anything(calls):
    spec = parse_spec("entities:\n  p: {type: Phone, identity: '{Mobile}'}", name="s.yaml")
    with pytest.raises(SpecError, match=r"s.yaml does not fit calls.csv: 1 column is missing: "
                       r"'Mobile' \(entities.p.identity, line 2\)\. The columns of calls.csv "
                       "are: 'Caller', 'Callee'"):
        build_import(spec, [calls], Chart())


def test_a_missing_file_is_reported_and_the_others_go_on(calls, tmp_path):
    plan = build_import(parse_spec(CALL_SPEC), [tmp_path / "gone.csv", calls], Chart())
    assert plan.report.rows_imported == 4
    assert any("gone.csv: no such file" in i.reason for i in plan.report.errors)


def run_cli(*args: str):
    import subprocess
    import sys

    from .conftest import REPO

    return subprocess.run([sys.executable, "-m", "workbench", "import", *args],
                          capture_output=True, text=True, cwd=REPO, timeout=120)


def test_cli_exit_codes_and_into(calls, tmp_path):
    spec = write(tmp_path / "calls.yaml", CALL_SPEC)
    first = tmp_path / "first.wbchart"
    result = run_cli(str(calls), "--spec", str(spec), "-o", str(first), "--report",
                     str(tmp_path / "r.csv"))
    assert result.returncode == 0, result.stderr
    assert "imported 4, skipped 1, rejected 0." in result.stdout
    assert "calls.csv row 4, column 'Callee'" in result.stdout
    written = (tmp_path / "r.csv").read_text(encoding="utf-8-sig").splitlines()
    assert f"Report of {len(written) - 1:,} issue(s) written" in result.stdout  # every row
    hotline = write(tmp_path / "hotline.csv", "Caller,Callee,Caller name,When,Amount,Note\n"
                    "07700900123,07700900999,Dee,01/01/2017,,\n")
    both = tmp_path / "both.wbchart"
    result = run_cli(str(hotline), "--spec", str(spec), "--into", str(first), "-o", str(both))
    assert result.returncode == 0, result.stderr
    assert "2 new, 1 already in the chart" in result.stdout
    empty = write(tmp_path / "empty.csv", "Caller,Callee,Caller name,When,Amount,Note\n")
    result = run_cli(str(empty), "--spec", str(spec), "-o", str(tmp_path / "x.wbchart"))
    assert result.returncode == 1 and "nothing was imported" in result.stderr
    bad = write(tmp_path / "bad.yaml", "entities:\n  p: {type: Phone}\n")
    result = run_cli(str(calls), "--spec", str(bad), "-o", str(tmp_path / "y.wbchart"))
    assert result.returncode == 2 and "entities.p (line 2): needs 'identity'" in result.stderr
    assert not (tmp_path / "y.wbchart").exists()


def test_xlsx_sheets_through_one_spec_with_two_sources(tmp_path):
    from .test_import_readers import messy_workbook

    path = messy_workbook(tmp_path / "hotline.xlsx")
    spec = parse_spec("""
sources:
  - {sheet: "2016", name: Hotline 2016}
  - {sheet: "2017", name: Hotline 2017}
region: GB
entities:
  reporter: {type: Person, identity: "{Reporter}"}
  phone: {type: Phone, identity: "{Phone}"}
links:
  - {from: reporter, to: phone, type: Uses}
""")
    chart = Chart()
    report = import_files(spec, [path], into=chart)
    assert [(f.sheet, f.rows_read, f.rows_imported) for f in report.files] == \
        [("2016 ", 3, 3), ("2017", 1, 1)]
    ben = chart.find("Phone", "+447700900125")  # a number cell: no leading zero, GB region
    assert ben is not None and ben.provenance[0].sheet == "2016 " and ben.provenance[0].row == 5
    assert chart.find("Phone", "+33612345678").provenance[0].source == "Hotline 2017"
    [empty] = report.row_groups
    assert (empty.sheet, empty.column, empty.rows.tolist()) == ("2016 ", "Phone", [7])
    assert "1 row(s) with no phone (Phone empty)" in report.summary()


def test_xlsx_dates_stored_as_numbers_and_numbers_stored_as_text(tmp_path):
    from .test_import_readers import messy_workbook

    path = messy_workbook(tmp_path / "hotline.xlsx")
    spec = parse_spec("""
source: {sheet: 0}
entities:
  reporter: {type: Person, identity: "{Reporter}", date: "{Reported}", date_format: "%d/%m/%Y"}
attributes:
  reporter: {amount: {column: Amount, kind: number}}
""")
    chart = Chart()
    report = import_files(spec, [path], into=chart)
    ana, ben = chart.find("Person", "ana"), chart.find("Person", "ben")
    assert ana.date.isoformat() == "2016-03-01T00:00:00"  # Excel day 42430
    assert ben.date.isoformat() == "2016-03-02T14:30:00"  # a real date cell
    assert ana.attributes["amount"] == Value(Kind.NUMBER, 25000)  # text "25000"
    assert chart.find("Person", "cy").attributes["amount"] == Value(Kind.NUMBER, 25000)
    assert report.rows_rejected == 0


def test_each_file_with_its_own_spec(calls, tmp_path):
    hotline = write(tmp_path / "hotline.csv", "Mobile\n07700900125\n")
    other = parse_spec("entities:\n  p: {type: Phone, identity: '{Mobile}'}")
    chart = Chart()
    plan = build_import([parse_spec(CALL_SPEC), other], [calls, hotline], chart)
    plan.apply(chart)
    phone = chart.find("Phone", "+447700900125")
    assert {p.file for p in phone.provenance} == {"calls.csv", "hotline.csv"}


def test_cli_one_spec_per_file(calls, tmp_path):
    spec = write(tmp_path / "calls.yaml", CALL_SPEC)
    hotline = write(tmp_path / "hotline.csv", "Mobile\n07700900125\n")
    other = write(tmp_path / "hotline.yaml", "entities:\n  p: {type: Phone, identity: '{Mobile}'}")
    out = tmp_path / "both.wbchart"
    result = run_cli(str(calls), str(hotline), "--spec", str(spec), "--spec", str(other),
                     "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "Rows read 6, imported 5" in result.stdout
    result = run_cli(str(calls), "--spec", str(spec), "--spec", str(other), "-o", str(out))
    assert result.returncode == 2 and "2 specifications for 1 files" in result.stderr


def test_a_chart_changed_since_the_plan_is_refused_untouched(calls):
    chart = Chart()
    plan = build_import(parse_spec(CALL_SPEC), [calls], chart)
    chart.make_entity("Phone", "Added meanwhile", identity="+447700900123")
    with pytest.raises(ChartError, match="build the import again"):
        plan.apply(chart)
    assert len(chart) == 1 and not chart.links


def test_a_spec_can_name_its_data_file(calls, tmp_path):
    spec = write(tmp_path / "named.yaml", "source: {path: calls.csv}\n" +
                 CALL_SPEC.split("\n", 1)[1])
    out = tmp_path / "named.wbchart"
    result = run_cli("--spec", str(spec), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "Rows read 5, imported 4" in result.stdout
