"""Dates keep the precision and time zone their source gave, through import and the chart file."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime, timedelta, timezone

import orjson
import pytest

from tests.conftest import REPO, TEST_DATA
from workbench.io import load_chart, save_chart
from workbench.io.chartfile import FORMAT_VERSION, load_chart_and_manifest
from workbench.io.chartjson import ChartFileError, chart_from_json, chart_to_json
from workbench.io.importer import import_files
from workbench.io.importspec import parse_spec
from workbench.model import Chart, DatePrecision, date_span

SPEC = """\
source: {name: notes}
entities:
  a: {type: Person, identity: "{From}"}
  b: {type: Person, identity: "{To}"}
links:
  - {from: a, to: b, type: Associate, date: "{When}"}
"""


def _import(tmp_path, rows: list[str]) -> dict[str, tuple[datetime, DatePrecision]]:
    path = tmp_path / "notes.csv"
    path.write_text("From,To,When\n" + "".join(f"p{i},q{i},{w}\n" for i, w in enumerate(rows)))
    chart = Chart()
    import_files(parse_spec(SPEC), [path], into=chart)
    out = {}
    for lk in chart.links.values():
        out[chart.entity(lk.end1).label] = (lk.date, lk.date_precision)
    return out


def test_iso_dates_keep_what_they_wrote_and_their_offset(tmp_path):
    got = _import(tmp_path, ["2016", "2016-03", "2016-03-04", "2016-03-04 10:30",
                             "2016-03-04T10:30:15+02:00", "2016-03-04T10:30:15Z"])
    assert got["p0"] == (datetime(2016, 1, 1), DatePrecision.YEAR)
    assert got["p1"] == (datetime(2016, 3, 1), DatePrecision.MONTH)
    assert got["p2"] == (datetime(2016, 3, 4), DatePrecision.DAY)
    assert got["p3"] == (datetime(2016, 3, 4, 10, 30), DatePrecision.MINUTE)
    two = timezone(timedelta(hours=2))
    assert got["p4"] == (datetime(2016, 3, 4, 10, 30, 15, tzinfo=two), DatePrecision.SECOND)
    assert got["p4"][0].utcoffset() == timedelta(hours=2)  # the wall clock as written, +02:00
    assert got["p5"][0].tzinfo == UTC


def test_formats_give_their_precision(tmp_path):
    got = _import(tmp_path, ["03/04/2016", "05/04/2016"])  # day/month/year: a day
    assert {p for _, p in got.values()} == {DatePrecision.DAY}
    got = _import(tmp_path, ["2008.0", "2011.0"])  # a year that went through a float
    assert got["p0"] == (datetime(2008, 1, 1), DatePrecision.YEAR)


def test_the_sample_charts_carry_the_precision_of_their_sources():
    routes = load_chart(REPO / "sample_charts" / "trafficking-routes.wbchart")
    assert {lk.date_precision for lk in routes.links.values() if lk.date} == {DatePrecision.YEAR}
    calls = load_chart(REPO / "sample_charts" / "call-records.wbchart")
    assert {lk.date_precision for lk in calls.links.values()} == {DatePrecision.MINUTE}


def test_precision_and_zone_survive_the_chart_file(tmp_path):
    chart = Chart()
    a = chart.make_entity("Person", "Ana")
    b = chart.make_entity("Person", "Ben")
    a.date, a.date_precision = datetime(2015, 1, 1), DatePrecision.YEAR
    link = chart.make_link(a.id, b.id, "Associate")
    link.date = datetime(2015, 11, 13, 21, 40, tzinfo=timezone(timedelta(hours=1)))
    link.date_precision = DatePrecision.MINUTE
    path = tmp_path / "c.wbchart"
    save_chart(chart, path)
    back, manifest = load_chart_and_manifest(path)
    assert manifest["format_version"] == FORMAT_VERSION
    assert back.entity(a.id).date_precision is DatePrecision.YEAR
    assert back.link(link.id).date == link.date
    assert back.link(link.id).date.utcoffset() == timedelta(hours=1)
    assert back.link(link.id).date_precision is DatePrecision.MINUTE
    with zipfile.ZipFile(path) as z:
        doc = orjson.loads(z.read("chart.json"))
    assert doc["entities"]["date_precision"] == ["year", "second"]


def test_an_unknown_precision_is_refused_naming_the_item():
    doc = chart_to_json(Chart())
    doc["entities"] = [{"id": "e1", "type": "Person", "label": "A", "x": 0, "y": 0,
                        "date": "2016-01-01T00:00:00", "date_precision": "fortnight"}]
    with pytest.raises(ChartFileError, match=r"entities\[0\] \(e1\)\.date_precision: "
                                             "'fortnight' is not one of year"):
        chart_from_json(doc)


def test_a_version_1_file_still_opens_with_exact_dates():
    chart, manifest = load_chart_and_manifest(TEST_DATA / "format-v1.wbchart")
    assert manifest["format_version"] == 1
    assert all(e.date_precision is DatePrecision.SECOND for e in chart.entities.values())


@pytest.mark.parametrize(("precision", "start", "end"), [
    (DatePrecision.YEAR, datetime(2016, 1, 1), datetime(2017, 1, 1)),
    (DatePrecision.MONTH, datetime(2016, 12, 1), datetime(2017, 1, 1)),
    (DatePrecision.DAY, datetime(2016, 12, 31), datetime(2017, 1, 1)),
    (DatePrecision.MINUTE, datetime(2016, 12, 31, 23, 59), datetime(2017, 1, 1)),
])
def test_a_date_stands_for_the_span_of_its_precision(precision, start, end):
    assert date_span(datetime(2016, 12, 31, 23, 59), precision) == (start, end)
