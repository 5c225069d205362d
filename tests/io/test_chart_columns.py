"""Format version 5 (columns): charts saved today in version 4 still open and come back
exactly after a save in version 5; columns with few distinct values are coded and read back."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import orjson
import pytest

from workbench.io import chartfile, load_chart, load_chart_and_manifest, save_chart
from workbench.model import (
    Chart,
    DatePrecision,
    Direction,
    Entity,
    Kind,
    Link,
    SourceRecord,
    Strength,
    Style,
    Value,
)

SAMPLES = Path(__file__).resolve().parents[2] / "sample_charts"


def _document(path: Path) -> dict:
    with zipfile.ZipFile(path) as z:
        return orjson.loads(z.read("chart.json"))


def _shared(chart: Chart) -> int:
    """How many distinct record objects the chart's items hold (sharing kept or lost)."""
    items = [*chart.entities.values(), *chart.links.values()]
    return len({id(record) for item in items for record in item.provenance})


TEST_DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.mark.parametrize("path", [TEST_DATA / "format-v4.wbchart",
                                  *sorted(SAMPLES.glob("*.wbchart"))], ids=lambda p: p.stem)
def test_a_chart_saved_by_the_release_opens_and_round_trips_exactly(tmp_path, path):
    """format-v4.wbchart is the nov13-network sample as the release before version 5 saved
    it (items as objects); the samples are whatever version they were last built in."""
    old, manifest = load_chart_and_manifest(path)
    if path.parent == TEST_DATA:
        assert manifest["format_version"] == 4
        assert isinstance(_document(path)["entities"], list)
        assert len(old.entities) == 132 and len(old.links) == 262
    path_again = tmp_path / "again.wbchart"
    save_chart(old, path_again, touch=False)
    again, manifest = load_chart_and_manifest(path_again)
    assert manifest["format_version"] == chartfile.FORMAT_VERSION == 5
    assert isinstance(_document(path_again)["entities"], dict)
    assert again == old  # every field, provenance, types, settings, merges, images
    assert again.settings == old.settings and again.merges == old.merges
    assert again.settings.get("display") == old.settings.get("display")
    assert again.settings.get("formatting") == old.settings.get("formatting")
    assert _shared(again) == _shared(old)
    for entity in old.entities.values():
        back = again.entity(entity.id)
        assert sorted(lk.id for lk in again.links_of(entity.id)) \
            == sorted(lk.id for lk in old.links_of(entity.id))
        assert back.date is None or back.date.utcoffset() == entity.date.utcoffset()


def _generated(n: int) -> Chart:
    """Enough items that types, sources and directions repeat (coded columns), with every
    optional field on some items and not on others."""
    chart = Chart("generated")
    when = datetime(2026, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    records = [SourceRecord("hotline", "calls.xlsx", "2026", row, when if row % 3 else None,
                            "B" if row % 2 else "", "2" if row % 5 else "", "P" * (row % 2))
               for row in range(n)]
    entities = [Entity(f"e{i}", ("Person", "Phone", "Hotel")[i % 3], f"label {i % 7}",
                       identity=f"id {i}" if i % 4 else None, x=i * 1.5, y=-i,
                       date=datetime(2016, 1, 1 + i % 28, tzinfo=UTC) if i % 2 else None,
                       date_precision=DatePrecision.DAY if i % 4 == 1 else DatePrecision.SECOND,
                       coordinates=(i % 90, -(i % 180)) if i % 5 == 0 else None,
                       attributes={"age": Value(Kind.NUMBER, i)} if i % 3 == 0 else {},
                       style=Style(colour="#00ff00") if i % 6 == 0 else Style(),
                       provenance=records[i:i + i % 3])
                for i in range(n)]
    chart.add_entities(entities)
    chart.add_links(Link(f"l{j}", f"e{j}", f"e{(j * 7 + 1) % n}", "Calls",
                         label="call" if j % 2 else "",
                         direction=(Direction.FORWARD, Direction.NONE)[j % 2],
                         strength=Strength.TENTATIVE if j % 9 == 0 else Strength.CONFIRMED,
                         date=datetime(2016, 2, 1, 10, j % 60) if j % 4 else None,
                         attributes={"seconds": Value(Kind.NUMBER, j * 2.5)} if j % 2 else {},
                         provenance=[records[j]]) for j in range(n))
    return chart


def test_a_generated_chart_round_trips_through_coded_columns(tmp_path):
    chart = _generated(200)
    path = tmp_path / "g.wbchart"
    save_chart(chart, path, touch=False)
    doc = _document(path)
    assert doc["entities"]["type"]["values"] == ["Person", "Phone", "Hotel"]
    assert doc["sources"]["source"] == {"values": ["hotline"], "codes": [0] * 200}
    assert doc["links"]["end1"][:3] == [0, 1, 2]  # ends by place in the entities
    again = load_chart(path)
    assert again == chart
    assert _shared(again) == _shared(chart) == 200
    e1 = again.entity("e1")
    assert e1.date.tzinfo == UTC and e1.date_precision is DatePrecision.DAY
    assert again.entity("e0").coordinates == (0.0, 0.0) and again.entity("e5").style == Style()
    assert again.entity("e5").attributes == {} and again.entity("e5").attributes \
        is not again.entity("e7").attributes  # each item its own dict
    source = again.links["l1"].provenance[0]
    assert source.imported_at.utcoffset() == timedelta(hours=2) and source.handling == "P"


def test_equal_records_of_different_items_are_written_once(tmp_path):
    """Records equal in every field but built separately (a store, a paste) share a place."""
    chart = Chart()
    chart.add_entities([Entity(f"e{i}", "Person", "A", provenance=[SourceRecord("s", row=1)])
                        for i in range(3)])
    path = tmp_path / "eq.wbchart"
    save_chart(chart, path)
    doc = _document(path)
    assert doc["sources"]["count"] == 1
    assert doc["entities"]["provenance"] == {"counts": [1, 1, 1], "places": [0, 0, 0]}
    assert load_chart(path) == chart


def test_records_sharing_a_row_number_are_merged_only_when_equal(tmp_path):
    """Two files' row 2 stay two records; the same file's row 2 built twice is one (saving
    tells records apart by row number first, then by every field where rows repeat)."""
    a, a_again, b, c = (SourceRecord("s", "a.csv", row=2), SourceRecord("s", "a.csv", row=2),
                        SourceRecord("s", "b.csv", row=2), SourceRecord("s", "a.csv", row=3))
    chart = Chart()
    chart.add_entities([Entity("e0", "Person", "A", provenance=[a, b]),
                        Entity("e1", "Person", "B", provenance=[a_again, c]),
                        Entity("e2", "Person", "C", provenance=[c])])
    path = tmp_path / "rows.wbchart"
    save_chart(chart, path)
    doc = _document(path)
    assert doc["sources"]["count"] == 3
    assert doc["entities"]["provenance"] == {"counts": [2, 2, 1], "places": [0, 1, 0, 2, 2]}
    again = load_chart(path)
    assert again == chart
    assert again.entity("e0").provenance[0] is again.entity("e1").provenance[0]


def test_a_loaded_chart_goes_straight_to_the_collectors_oldest_generation(tmp_path):
    """The young collections after a load would otherwise walk every object it made, twice."""
    import gc

    path = tmp_path / "g.wbchart"
    save_chart(_generated(50), path)
    chart = load_chart(path)
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert id(chart.entity("e1")) in oldest and id(chart.links["l1"]) in oldest
    assert id(chart.entity("e1").provenance) in oldest


def _forged(tmp_path: Path, mutate) -> Path:
    """A saved generated chart with its chart.json changed by ``mutate``."""
    path = tmp_path / "g.wbchart"
    save_chart(_generated(40), path, touch=False)
    with zipfile.ZipFile(path) as z:
        members = {name: z.read(name) for name in z.namelist()}
    document = orjson.loads(members["chart.json"])
    mutate(document)
    members["chart.json"] = orjson.dumps(document)
    bad = tmp_path / "forged.wbchart"
    with zipfile.ZipFile(bad, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return bad


@pytest.mark.parametrize(("column", "values", "message"), [
    (("entities", "type"), ["Person", 7, "Hotel"],
     r"entities\[1\] \(e1\)\.type: must be text, not number"),
    (("links", "direction"), ["forward", "sideways"],
     r"links\[1\] \(l1\)\.direction: 'sideways' is not one of none"),
    (("sources", "imported_at"), ["2026-03-01T09:30:00+02:00", "yesterday"],
     r"sources\[2\]\.imported_at: 'yesterday' is not an ISO date-time"),
])
def test_a_bad_value_of_a_coded_column_names_the_first_item_holding_it(tmp_path, column,
                                                                       values, message):
    """A coded column's distinct values are checked once; a bad one is reported at the first
    item whose code points to it, as when every item's value was checked."""
    section, name = column

    def mutate(document):
        document[section][name]["values"] = values

    with pytest.raises(chartfile.ChartFileError, match=message):
        load_chart(_forged(tmp_path, mutate))


def test_a_coded_column_with_a_bad_value_no_item_holds_is_refused(tmp_path):
    """Its values are checked whether or not an item points to them: a file that holds a
    bad value anywhere is damaged (before, a value no code pointed to was never looked at)."""
    def mutate(document):
        document["entities"]["type"]["values"].append({"evil": 1})

    with pytest.raises(chartfile.ChartFileError,
                       match=r"entities\.type\.values\[3\]: must be text, not object"):
        load_chart(_forged(tmp_path, mutate))
