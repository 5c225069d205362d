"""The .wbchart file: lossless round trips, atomic saves, and clear refusals of bad files."""

from __future__ import annotations

import os
import shutil
import stat
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.io import (
    ChartFileError,
    chartfile,
    load_chart,
    load_chart_and_manifest,
    peek_chart,
    save_chart,
)
from workbench.model import (
    Chart,
    Direction,
    Entity,
    EntityType,
    Kind,
    Link,
    LinkType,
    SourceRecord,
    Strength,
    Style,
    Value,
)

from ..conftest import TEST_DATA


def rich_chart() -> Chart:
    chart = Chart("Operation Lighthouse — شبكة — Сеть 🚢")
    chart.description = "Routes from hotline reports"
    chart.marking = "OFFICIAL-SENSITIVE"
    chart.author = "A. Analyst"
    chart.settings = {"formatting": [{"attribute": "victims", "min": 5, "colour": "#ff0000"}]}
    chart.images["photo-1.png"] = b"\x89PNG fake bytes"
    chart.add_types([EntityType("Hotel", "mdi6.bed", "#123456", Kind.TEXT)],
                    [LinkType("Stays at", "#abcdef", True)])
    src = SourceRecord("hotline", "hotline.xlsx", "2016", 14,
                       datetime(2016, 3, 1, 9, 30, tzinfo=UTC), "B", "2", "P")
    attrs = {
        "note": Value(Kind.TEXT, "Говорит по-русски; يتكلم العربية 😀"),
        "victims": Value(Kind.NUMBER, 12),
        "amount": Value(Kind.NUMBER, 25000.5),
        "seen": Value(Kind.DATETIME, datetime(2016, 5, 4, 22, 15)),
        "seen_tz": Value(Kind.DATETIME, datetime(2016, 5, 4, 22, 15,
                                                 tzinfo=timezone(timedelta(hours=1)))),
        "minor": Value(Kind.FLAG, True),
        "phone": Value(Kind.PHONE, "+447700900123"),
        "email": Value(Kind.EMAIL, "ana@example.org"),
        "site": Value(Kind.URL, "http://example.org/ad/1"),
        "handle": Value(Kind.USERNAME, "maxpayne"),
        "where": Value(Kind.COORDINATES, (41.9, 12.5)),
    }
    a = chart.make_entity("Person", "Ana Silva", identity="Ana Silva", attributes=attrs,
                          provenance=[src], x=10.5, y=-3.25, date=datetime(2016, 1, 2),
                          coordinates=(6.5, 3.4), style=Style("mdi6.account-alert", "#aa0000", 2))
    b = chart.make_entity("Hotel", "Hotel Roma", x=100, y=50)
    chart.make_link(a.id, b.id, "Stays at", label="3 nights", direction=Direction.FORWARD,
                    strength=Strength.TENTATIVE, attributes={"nights": Value(Kind.NUMBER, 3)},
                    date=datetime(2016, 2, 1), style=Style(colour="#00ff00"), provenance=[src])
    chart.make_link(a.id, b.id, "Associate", strength=Strength.UNCONFIRMED)
    return chart


def test_round_trip_is_lossless(tmp_path):
    chart = rich_chart()
    path = tmp_path / "c.wbchart"
    save_chart(chart, path)
    again = load_chart(path)
    assert again == chart
    assert again.entity("e1").attributes["seen_tz"].value.utcoffset() == timedelta(hours=1)
    assert again.title == "Operation Lighthouse — شبكة — Сеть 🚢"
    assert again.images == {"photo-1.png": b"\x89PNG fake bytes"}
    assert again.entity_type("Hotel").icon == "mdi6.bed"


def test_empty_chart_round_trips(tmp_path):
    empty = Chart("")
    save_chart(empty, tmp_path / "e.wbchart")
    again = load_chart(tmp_path / "e.wbchart")
    assert again == empty and len(again.entities) == 0


def test_file_is_a_zip_with_manifest_chart_and_images(tmp_path):
    path = tmp_path / "c.wbchart"
    save_chart(rich_chart(), path)
    with zipfile.ZipFile(path) as z:
        assert set(z.namelist()) == {"manifest.json", "chart.json", "images/photo-1.png"}
        manifest = orjson.loads(z.read("manifest.json"))
    assert manifest["format"] == "workbench-chart" \
        and manifest["format_version"] == chartfile.FORMAT_VERSION
    assert manifest["app_version"]


def test_version_1_file_always_loads():
    chart, manifest = load_chart_and_manifest(TEST_DATA / "format-v1.wbchart")
    assert manifest["format_version"] == 1
    assert chart.title == "Format version 1 fixture"
    assert len(chart.entities) == 3 and len(chart.links) == 2
    assert chart.find("Phone", "+447700900123").attributes["calls"].value == 12


def test_migrations_run_in_order(tmp_path, monkeypatch):
    """A future reader migrates a version-1 file through each step, the next one last."""
    seen = []

    def three_to_four(doc):  # whatever the next step will be
        seen.append(chartfile.FORMAT_VERSION - 1)
        doc["title"] = doc["title"] + " (migrated)"
        return doc

    current = chartfile.FORMAT_VERSION
    monkeypatch.setattr(chartfile, "FORMAT_VERSION", current + 1)
    monkeypatch.setitem(chartfile.MIGRATIONS, current, three_to_four)
    chart = load_chart(TEST_DATA / "format-v1.wbchart")
    assert seen == [chartfile.FORMAT_VERSION - 1] and chart.title.endswith("(migrated)")
    assert chart.merges == [] and chart.rejected == set()


def test_shared_source_records_are_written_once_and_shared_again(tmp_path):
    """A row's record behind a link and both its ends is one record in the file."""
    chart = Chart("shared")
    row = SourceRecord("adverts", "ads.csv", row=4, imported_at=datetime(2026, 3, 1, 9, 30),
                       reliability="B", credibility="2")
    same = SourceRecord("adverts", "ads.csv", row=4, imported_at=datetime(2026, 3, 1, 9, 30),
                        reliability="B", credibility="2")  # equal, not the same object
    other = SourceRecord("adverts", "ads.csv", row=5)
    chart.add_entities([Entity("a", "Person", "A", provenance=[row]),
                        Entity("b", "Phone", "B", provenance=[same, other])])
    chart.add_links([Link("l", "a", "b", "Uses", provenance=[row])])
    path = tmp_path / "shared.wbchart"
    save_chart(chart, path)
    with zipfile.ZipFile(path) as z:
        document = orjson.loads(z.read("chart.json"))
        manifest = orjson.loads(z.read("manifest.json"))
        assert manifest["format_version"] == chartfile.FORMAT_VERSION
    assert document["sources"]["count"] == 2
    assert document["entities"]["provenance"] == {"counts": [1, 2], "places": [0, 0, 1]}
    assert document["links"]["provenance"] == {"counts": [1], "places": [0]}
    loaded = load_chart(path)
    a, b, link = loaded.entity("a"), loaded.entity("b"), loaded.links["l"]
    assert a.provenance == [row] and b.provenance == [row, other]
    assert a.provenance[0] is b.provenance[0] is link.provenance[0]


def test_version_1_records_move_to_the_shared_list():
    """Migration to shared records on the version-1 fixture: each record once, every item still has
    what it had."""
    with zipfile.ZipFile(TEST_DATA / "format-v1.wbchart") as z:
        old = orjson.loads(z.read("chart.json"))
    inline = [r for kind in ("entities", "links") for item in old[kind]
              for r in item.get("provenance", [])]
    assert inline and all(isinstance(r, dict) for r in inline)
    new = chartfile.migrate(orjson.loads(orjson.dumps(old)), 1)
    assert len(new["sources"]) == len({orjson.dumps(r, option=orjson.OPT_SORT_KEYS)
                                       for r in inline})
    for kind in ("entities", "links"):
        for before, after in zip(old[kind], new[kind], strict=True):
            assert [new["sources"][i] for i in after.get("provenance", [])] \
                == before.get("provenance", [])


def _write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def _valid_members() -> dict[str, bytes]:
    manifest, body = chartfile.chart_bytes(rich_chart())
    return {"manifest.json": manifest, "chart.json": body}


def _with_chart(mutate) -> dict[str, bytes]:
    members = _valid_members()
    doc = orjson.loads(members["chart.json"])
    mutate(doc)
    members["chart.json"] = orjson.dumps(doc)
    return members


BAD_FILES = {
    "not a zip": (None, "not a zip archive"),
    "no manifest": ({"chart.json": b"{}"}, "manifest.json is missing"),
    "other format": ({"manifest.json": b'{"format": "gephi", "format_version": 1}'},
                     "names another format"),
    "newer version": ({"manifest.json": b'{"format": "workbench-chart", "format_version": 99,'
                                        b' "app_version": "9.0"}'}, "newer Workbench"),
    "no chart": ({"manifest.json": b'{"format": "workbench-chart", "format_version": 1}'},
                 "chart.json is missing"),
    "bad json": ({"manifest.json": b'{"format": "workbench-chart", "format_version": 1}',
                  "chart.json": b"{not json"}, "not valid JSON"),
    "dangling link": (_with_chart(lambda d: d["links"]["end2"].__setitem__(0, 7)),
                      r"links\[0\] \(l3\)\.end2: 7 is not the place of one of the chart's 2 "
                      "entities"),
    "number as text": (_with_chart(
        lambda d: d["entities"]["attributes"][0]["victims"].update(value="12")),
        r"entities\[0\] \(e1\)\.attributes\.victims: must be a number"),
    "bad kind": (_with_chart(
        lambda d: d["entities"]["attributes"][0]["victims"].update(kind="blob")),
        "unknown attribute kind 'blob'"),
    "duplicate id": (_with_chart(lambda d: d["entities"]["id"].__setitem__(1, "e1")),
                     "id 'e1' is already in the chart"),
    "bad grade": (_with_chart(
        lambda d: d["sources"]["reliability"].__setitem__(0, "Z")),
        r"sources\[0\]: source reliability must be one of A-E"),
    "no such source": (_with_chart(lambda d: d["entities"].update(
        provenance={"counts": [2, 0], "places": [0, 7]})),
                       r"entities\[0\] \(e1\)\.provenance\[1\]: 7 is not the number of one "
                       "of the chart's 1 source records"),
    "source as text": (_with_chart(
        lambda d: d["links"]["provenance"]["places"].__setitem__(0, "0")),
                       r"links\[0\] \(l3\)\.provenance\[0\]: '0' is not the number"),
    "sources not a list": (_with_chart(lambda d: d.update(sources="all")),
                           "sources: must be a list"),
    "sources without a count": (_with_chart(lambda d: d["sources"].pop("count")),
                                "sources.count: must be a whole number"),
    "bad import time": (_with_chart(
        lambda d: d["sources"]["imported_at"].__setitem__(0, "yesterday")),
                        r"chart\.json: sources\[0\]\.imported_at: 'yesterday' is not an ISO"),
    "bad direction": (_with_chart(lambda d: d["links"]["direction"].__setitem__(0, "sideways")),
                      "'sideways' is not one of none, forward"),
    "unknown key": (_with_chart(lambda d: d["entities"].update(evil=["x", "y"])),
                    r"unknown keys \['evil'\]"),
    "bad date": (_with_chart(lambda d: d["entities"]["date"].__setitem__(0, "yesterday")),
                 "'yesterday' is not an ISO date-time"),
    "path in image": ({**_valid_members(), "images/../../etc": b"x"}, "bad image name"),
    "kind as a list": (_with_chart(
        lambda d: d["entities"]["attributes"][0]["victims"].update(kind=[])),
        r"unknown attribute kind \[\]"),
    "direction as a list": (_with_chart(lambda d: d["links"]["direction"].__setitem__(0, [])),
                            r"\[\] is not one of none"),
    "types not a list": (_with_chart(lambda d: d["types"].update(entity_types=None)),
                         "entity_types: must be a list"),
    "column too short": (_with_chart(lambda d: d["entities"].update(label=["Ana"])),
                         r"entities\.label: has 1 values for 2 items"),
    "count lies": (_with_chart(lambda d: d["links"].update(count=3)),
                   r"links\.id: has 2 values for 3 items"),
    "position as text": (_with_chart(lambda d: d["entities"]["x"].__setitem__(1, "far")),
                         r"entities\[1\] \(e2\)\.x: must be a number, not text"),
    "label missing": (_with_chart(lambda d: d["entities"].pop("label")),
                      r"entities\.label: is missing"),
    "code out of range": (_with_chart(lambda d: d["entities"].update(
        type={"values": ["Person"], "codes": [0, 3]})),
        r"entities\.type\.codes\[1\]: 3 is not the place of one of the column's 1 values"),
    "provenance counts wrong": (_with_chart(lambda d: d["entities"].update(
        provenance={"counts": [1, 1], "places": [0]})),
        r"entities\.provenance: the counts add up to 2, not to the 1 places"),
    "an old-style item list with a dangling link": (
        _with_chart(lambda d: d.update(links=[{"id": "l9", "end1": "e1", "end2": "e404",
                                               "type": "Associate"}])),
        "missing entity 'e404'"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_damaged_files_are_refused_with_one_clear_message(tmp_path, case):
    members, message = BAD_FILES[case]
    path = tmp_path / "bad.wbchart"
    if members is None:
        path.write_bytes(b"%PDF-1.4 this is not a zip at all")
    else:
        _write_zip(path, members)
    with pytest.raises(ChartFileError, match=message) as info:
        load_chart(path)
    assert "bad.wbchart" in str(info.value)


def _damage(path: Path, how: str) -> None:
    """Damage chart.json inside a saved file the ways disks and tools do."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("chart.json")
    header = info.header_offset
    if how == "corrupt data":  # bits flipped inside the compressed stream
        start = header + 30 + len(info.filename) + 40
        data[start:start + 20] = bytes(b ^ 0xFF for b in data[start:start + 20])
    else:
        central = next(i for i in range(len(data)) if data[i:i + 4] == b"PK\x01\x02"
                       and data[i + 46:i + 56] == b"chart.json")
        if how == "unknown compression":
            data[header + 8:header + 10] = (99).to_bytes(2, "little")
            data[central + 10:central + 12] = (99).to_bytes(2, "little")
        else:  # marked encrypted
            data[header + 6] |= 1
            data[central + 8] |= 1
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["corrupt data", "unknown compression", "encrypted"])
def test_damaged_compressed_member_is_refused(tmp_path, how):
    path = tmp_path / "rotten.wbchart"
    save_chart(load_chart(TEST_DATA / "format-v1.wbchart"), path)
    _damage(path, how)
    with pytest.raises(ChartFileError, match=r"rotten\.wbchart"):
        load_chart(path)
    with pytest.raises(ChartFileError, match=r"rotten\.wbchart"):
        peek_chart(path)


def test_peek_counts_only_lists(tmp_path):
    path = _write_zip(tmp_path / "odd.wbchart", _with_chart(lambda d: d.update(entities=5)))
    assert peek_chart(path)["entities"] == 0
    with pytest.raises(ChartFileError, match="'entities' must be a section of columns"):
        load_chart(path)


def test_truncated_file_is_refused(tmp_path):
    good = tmp_path / "good.wbchart"
    save_chart(rich_chart(), good)
    data = good.read_bytes()
    bad = tmp_path / "cut.wbchart"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(ChartFileError):
        load_chart(bad)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ChartFileError, match="no such file"):
        load_chart(tmp_path / "nope.wbchart")
    with pytest.raises(ChartFileError, match="folder"):
        load_chart(tmp_path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root ignores directory permissions")
def test_failed_save_leaves_old_file_untouched_no_permission(tmp_path):
    path = tmp_path / "c.wbchart"
    save_chart(rich_chart(), path)
    before = path.read_bytes()
    tmp_path.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(ChartFileError, match="unchanged"):
            save_chart(Chart("other"), path)
    finally:
        tmp_path.chmod(stat.S_IRWXU)
    assert path.read_bytes() == before


def test_failed_save_leaves_old_file_untouched(tmp_path, monkeypatch):
    """Simulate a full disk while writing: the old file survives, no temp file is left."""
    path = tmp_path / "c.wbchart"
    save_chart(rich_chart(), path)
    before = path.read_bytes()

    def disk_full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(chartfile.os, "fsync", disk_full)
    chart = Chart("new")
    modified = chart.modified
    with pytest.raises(ChartFileError, match=r"No space left on device.*unchanged"):
        save_chart(chart, path)
    assert path.read_bytes() == before
    assert chart.modified == modified
    assert os.listdir(tmp_path) == ["c.wbchart"]


def test_save_replaces_existing_file_and_keeps_its_permissions(tmp_path):
    path = tmp_path / "c.wbchart"
    save_chart(rich_chart(), path)
    assert path.stat().st_mode & 0o044  # readable by colleagues, unlike a bare temp file
    path.chmod(0o640)
    save_chart(Chart("second"), path)
    assert load_chart(path).title == "second"
    assert path.stat().st_mode & 0o777 == 0o640


def test_large_chart_round_trips(tmp_path):
    chart = Chart("big")
    entities = [Entity(f"e{i}", "Phone", f"+4477009{i:05d}", identity=f"+4477009{i:05d}",
                       x=i * 1.5, y=-i, provenance=[SourceRecord("calls", "c.csv", row=i)])
                for i in range(100_000)]
    chart.add_entities(entities)
    chart.add_links(Link(f"l{i}", f"e{i}", f"e{(i * 7 + 1) % 100_000}", "Calls",
                         direction=Direction.FORWARD) for i in range(50_000))
    path = tmp_path / "big.wbchart"
    save_chart(chart, path)
    assert load_chart(path) == chart


def test_shipped_v1_fixture_is_not_rewritten(tmp_path):
    """Copy, load and save: the fixture stays as committed (tests never touch it)."""
    copy = shutil.copy(TEST_DATA / "format-v1.wbchart", tmp_path / "v1.wbchart")
    save_chart(load_chart(copy), copy)
    assert load_chart(copy).title == "Format version 1 fixture"


# ----- property-based round trip -------------------------------------------------------------
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
naive_dt = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1))
values = st.one_of(
    st.builds(Value, st.just(Kind.TEXT), text),
    st.builds(Value, st.just(Kind.NUMBER), st.one_of(st.integers(-2**53, 2**53), finite)),
    st.builds(Value, st.just(Kind.DATETIME), naive_dt),
    st.builds(Value, st.just(Kind.FLAG), st.booleans()),
    st.builds(Value, st.sampled_from([Kind.PHONE, Kind.EMAIL, Kind.URL, Kind.USERNAME]), text),
    st.builds(Value, st.just(Kind.COORDINATES),
              st.tuples(st.floats(-90, 90), st.floats(-180, 180))),
)
sources = st.builds(SourceRecord, text, text, text, st.none() | st.integers(0, 10**7),
                    st.none() | naive_dt, st.sampled_from(["", "A", "E"]),
                    st.sampled_from(["", "1", "5"]), text)


@st.composite
def charts(draw):
    chart = Chart(draw(text))
    chart.marking = draw(text)
    n = draw(st.integers(0, 6))
    for i in range(n):
        chart.add_entities([Entity(
            f"e{i}", draw(st.sampled_from(["Person", "Phone", "Unknown type"])), draw(text),
            identity=f"id{i}" if draw(st.booleans()) else None,
            attributes=draw(st.dictionaries(text, values, max_size=3)),
            x=draw(finite), y=draw(finite), date=draw(st.none() | naive_dt),
            coordinates=draw(st.none() | st.tuples(st.floats(-90, 90), st.floats(-180, 180))),
            style=Style(draw(st.none() | text),
                        draw(st.none() | st.from_regex(r"#[0-9a-fA-F]{6}", fullmatch=True)),
                        draw(st.none() | st.floats(min_value=1e-3, max_value=1e3))),
            provenance=draw(st.lists(sources, max_size=2)),
        )])
    for j in range(draw(st.integers(0, 6)) if n else 0):
        chart.add_links([Link(
            f"l{j}", f"e{draw(st.integers(0, n - 1))}", f"e{draw(st.integers(0, n - 1))}",
            draw(text), draw(text), draw(st.sampled_from(list(Direction))),
            draw(st.sampled_from(list(Strength))),
            attributes=draw(st.dictionaries(text, values, max_size=2)),
            provenance=draw(st.lists(sources, max_size=2)),
        )])
    return chart


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(charts())
def test_any_chart_round_trips(tmp_path, chart):
    path = tmp_path / "h.wbchart"
    save_chart(chart, path)
    assert load_chart(path) == chart


def test_a_save_is_checked_against_the_bytes_meant_for_the_disk(tmp_path):
    """Before a save replaces the old file, the file written must hold exactly the zip made
    for it (nothing cut short or changed on the way), and that zip must list every member
    with its size and the CRC the reader will check."""
    from workbench.io.chartzip import verify_written

    members = _valid_members()
    archive = chartfile.zip_bytes(members)
    path = tmp_path / "written.tmp"
    path.write_bytes(archive)
    verify_written(path, archive, members, "c.wbchart")
    path.write_bytes(archive[:-10])
    with pytest.raises(ChartFileError, match=r"c\.wbchart: the file just written is shorter"):
        verify_written(path, archive, members, "c.wbchart")
    flipped = bytearray(archive)
    flipped[len(archive) // 2] ^= 0x10
    path.write_bytes(bytes(flipped))
    with pytest.raises(ChartFileError, match="reads back differently"):
        verify_written(path, archive, members, "c.wbchart")
    path.write_bytes(archive)
    with pytest.raises(ChartFileError, match="does not hold what was saved"):
        verify_written(path, archive, {**members, "chart.json": b"{}"}, "c.wbchart")
    with pytest.raises(ChartFileError, match="cannot be read back"):
        verify_written(tmp_path / "gone.tmp", archive, members, "c.wbchart")
