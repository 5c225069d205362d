"""A chart drawn from the store holds exactly what the store says: every link checked
against the chart file's own reader fed the store's rows (read here with plain SQL, row by
row), with its first source records, its entities with theirs; and the edges the layout is
given are the pairs of the links, in order. These hold the fast reads (columns, not rows;
links made directly) to what a chart file could hold."""

from __future__ import annotations

from datetime import UTC

import orjson
import pandas as pd

from workbench.io import load_chart, save_chart
from workbench.io.chartjson import link_in
from workbench.io.importspec import parse_spec
from workbench.model import Chart, Link, SourceRecord
from workbench.store import open_store
from workbench.store.charting import (
    PROVENANCE_CAP,
    _edges,
    add_expansion,
    links_between,
    load_items,
    store_setting,
)
from workbench.store.interface import NO_FILTERS


def _records(conn, ids) -> dict[int, list[tuple]]:
    """Each link's source records as the chart shows them, in record order, with ids."""
    out: dict[int, list[tuple]] = {}
    for sid, rid, name, file, sheet, row, at, rel, cred in conn.execute(
            "SELECT x.link_id, x.record_id, r.name, s.file, r.sheet, r.row, s.imported_at, "
            "r.reliability, r.credibility FROM link_records x JOIN records r "
            "ON r.id = x.record_id JOIN sources s ON s.id = r.source_id "
            "WHERE x.link_id IN (SELECT unnest(?)) ORDER BY x.link_id, x.record_id",
            [list(ids)]).fetchall():
        out.setdefault(sid, []).append(
            (rid, SourceRecord(name, file, sheet, row, at.replace(tzinfo=UTC), rel, cred)))
    return out


def _expected_links(conn, ends: dict[int, str]) -> dict[str, Link]:
    """The links among the store entities ``ends`` (store id -> chart id) as a chart holds
    them, grouped here in pandas: one per connection (type, direction, the two ends, either
    way round without a direction), the links of one made by the chart file reader from the
    store's rows with their first PROVENANCE_CAP records; those of many labelled with their
    count, dated first to last, with their first record."""
    rows = conn.execute("SELECT id, end1, end2, type, label, direction, strength, date, "
                        "attributes FROM links WHERE end1 IN (SELECT unnest($e)) "
                        "AND end2 IN (SELECT unnest($e)) ORDER BY id",
                        {"e": list(ends)}).df()
    records = _records(conn, rows["id"].tolist())
    undirected = rows["direction"].isin(["none", "both"]) & (rows["end2"] < rows["end1"])
    rows["a"] = rows["end1"].where(~undirected, rows["end2"])
    rows["b"] = rows["end2"].where(~undirected, rows["end1"])
    out = {}
    for _, group in rows.groupby(["type", "direction", "a", "b"]):
        first = group.iloc[0]  # the smallest id: rows are in id order
        dates = group["date"].dropna()
        data = {"id": f"l{first['id']}", "end1": ends[first["end1"]],
                "end2": ends[first["end2"]], "type": first["type"], "label": first["label"],
                "direction": first["direction"], "strength": first["strength"]}
        if len(dates):
            data["date"] = dates.min().isoformat()
        held = sorted(r for sid in group["id"] for r in records.get(sid, []))
        if len(group) == 1:
            if isinstance(first["attributes"], str) and first["attributes"]:
                data["attributes"] = orjson.loads(first["attributes"])
            shown = held[:PROVENANCE_CAP]
        else:
            data["label"] = f"{len(group):,} {first['type']}"
            data["attributes"] = {"links": {"kind": "number", "value": len(group)},
                                  "records": {"kind": "number", "value": len(held)}}
            if len(dates) and dates.max() != dates.min():
                data["attributes"]["end"] = {"kind": "datetime",
                                             "value": dates.max().isoformat()}
            shown = held[:1]
        link = link_in(data)
        link.provenance = [record for _, record in shown]
        out[link.id] = link
    return out


def _check_links(store, chart) -> int:
    setting = store_setting(chart)
    ends = {sid: cid for cid, sid in setting["entities"].items()}
    expected = _expected_links(store.conn, ends)
    assert chart.links == expected
    several = {cid for cid, lk in expected.items() if "links" in lk.attributes}
    assert set(setting.get("connections", {})) == several
    return len(expected)


def _busiest(store) -> int:
    """The entity with the most links in the store."""
    return store.conn.execute(
        "SELECT e FROM (SELECT end1 AS e FROM links UNION ALL SELECT end2 FROM links) "
        "GROUP BY e ORDER BY count(*) DESC, e LIMIT 1").fetchone()[0]


def test_a_hubs_chart_and_expansion_hold_a_link_per_connection_as_a_chart_file_would(
        sample_store):
    hub = _busiest(sample_store)
    chart = sample_store.chart([hub], hops=2, max_entities=60)
    drawn = _check_links(sample_store, chart)
    assert drawn == len(chart.links) > 50
    several = [lk for lk in chart.links.values() if "links" in lk.attributes]
    assert several and max(lk.attributes["links"].value for lk in several) > 5
    assert chart.settings["display"] == {"link_width": "links"}  # wider the more it holds
    # an expansion brings only connections that are new
    other = next(sid for sid in store_setting(chart)["entities"].values() if sid != hub)
    found = sample_store.expand(chart, other, hops=2, max_entities=40)
    assert found.links and not set(found.link_ids.values()) & set(
        store_setting(chart)["links"].values())
    add_expansion(chart, sample_store, found)
    assert _check_links(sample_store, chart) == drawn + len(found.links)


def test_the_edges_given_to_the_layout_are_the_pairs_of_links_in_order():
    ends = [("e10", "e9"), ("e9", "e10"), ("e2", "e10"), ("e3", "e3"), ("e10", "e2"),
            ("e9", "e10"), ("e100", "e2"), ("e2", "e9")]
    links = [Link(f"l{k}", a, b, "Calls") for k, (a, b) in enumerate(ends)]
    ids = ["e9", "e10", "e2", "e3"]  # e100 is not laid out with them
    position = {name: k for k, name in enumerate(ids)}
    expected = []
    for a, b in ends:  # each pair once, in the order of its first link, by position
        if a != b and a in position and b in position:
            pair = tuple(sorted((position[a], position[b])))
            if pair not in expected:
                expected.append(pair)
    assert _edges(ids, links) == expected == [(0, 1), (1, 2), (0, 2)]
    assert _edges(ids, []) == []


def test_links_new_in_the_store_are_drawn_after_a_result_read_in_part(sample_store):
    """The links a chart lacks come back as the store holds them, even when the last
    statement on the store was read only in part (its first row)."""
    chart = sample_store.chart([_busiest(sample_store)], hops=1, max_entities=10)
    setting = store_setting(chart)
    gone = sorted(setting["links"])[:3]  # links of one store link each
    removed = chart.remove_links(gone)
    sample_store.conn.execute("SELECT id FROM links ORDER BY id").fetchone()
    found = links_between(sample_store, chart, [setting["links"][cid] for cid in gone])
    assert sorted(found.link_ids) == gone
    assert {lk.id: lk for lk in found.links} == {lk.id: lk for lk in removed}


def test_a_connection_carries_its_first_record_and_a_saved_chart_still_names_its_sources(
        sample_store, tmp_path):
    """A line standing for many store links carries one source record, their first (the
    rest are the store's: Show Each Link); saved and opened where there is no store, every
    line still says which source, file and row it came from."""
    chart = sample_store.chart([_busiest(sample_store)], hops=2, max_entities=60)
    setting = store_setting(chart)
    ends = {sid: cid for cid, sid in setting["entities"].items()}
    expected = _expected_links(sample_store.conn, ends)
    several = setting["connections"]
    assert len(several) > 10
    for cid in several:
        assert len(chart.links[cid].provenance) == 1
        assert chart.links[cid].provenance == expected[cid].provenance
    path = tmp_path / "drawn.wbchart"
    save_chart(chart, path)
    opened = load_chart(path)  # no store anywhere near it
    for link in opened.links.values():
        first = link.provenance[0]
        assert first.source and first.file and first.row is not None
        assert first == chart.links[link.id].provenance[0]


MERGED_SPEC = """
entities:
  person: {type: Person, identity: "{Name}"}
  phone: {type: Phone, identity: "{Phone}"}
links:
  - {from: person, to: phone, type: Uses, merge: MERGE}
"""


def test_a_connection_of_merged_and_single_links_counts_and_shows_all_their_records(tmp_path):
    """A merged link holds its further records apart from its first (link_records_more):
    a connection of it and of links from another import counts every record of them all and
    shows the first of them all, in record order, as the pandas grouping does."""

    merged = tmp_path / "merged.csv"
    pd.DataFrame([("Ann", "07700 900001")] * 4 + [("Bob", "07700 900002")] * 2,
                 columns=["Name", "Phone"]).to_csv(merged, index=False)
    single = tmp_path / "single.csv"
    pd.DataFrame([("Ann", "07700 900001")] * 2 + [("Cy", "07700 900002")],
                 columns=["Name", "Phone"]).to_csv(single, index=False)
    with open_store(tmp_path / "uses.wbstore", create=True) as store:
        for data, merge in ((merged, "true"), (single, "false")):
            spec = MERGED_SPEC.replace("MERGE", merge)
            store.import_files(parse_spec(spec), spec, [data])
        assert store.conn.execute("SELECT count(*) FROM link_records_more").fetchone()[0] == 4
        seeds = [store.resolve_seed(name) for name in ("Ann", "Bob")]
        chart = store.chart(seeds, hops=1)
        assert _check_links(store, chart) == 2  # Ann's three links, and Bob's
        ann = next(lk for lk in chart.links.values() if lk.label == "3 Uses")
        assert ann.attributes["records"].value == 6
        assert [(r.file, r.row) for r in ann.provenance] == [("merged.csv", 2)]
        expanded = store.chart([seeds[1]], hops=1)
        found = store.expand(expanded, seeds[0], hops=1, max_entities=10)
        assert [lk.label for lk in found.links] == ["3 Uses"]
        add_expansion(expanded, store, found)
        assert _check_links(store, expanded) == 2


def test_an_entitys_first_records_are_found_wherever_they_lie_in_the_store(tmp_path):
    """An entity's first twenty records come from the earliest part of the store's records
    when it holds twenty there, else from wherever they lie: Bob's twenty-two all early,
    Ann's three early and the rest late, Cy's only late, Dee's one record the very last; each
    as plain SQL over every record of the entity ranks them."""

    rows = [("Bob", f"07700 9{k:05d}") for k in range(25)]
    rows[20:23] = [("Ann", f"07700 8{k:05d}") for k in range(3)]
    rows += [("Eve", f"07700 7{k:05d}") for k in range(120)]
    rows += [("Cy", f"07700 6{k:05d}") for k in range(30)]
    rows += [("Ann", f"07700 5{k:05d}") for k in range(25)] + [("Dee", "07700 400000")]
    data = tmp_path / "uses.csv"
    pd.DataFrame(rows, columns=["Name", "Phone"]).to_csv(data, index=False)
    spec = MERGED_SPEC.replace("MERGE", "false")
    with open_store(tmp_path / "uses.wbstore", create=True) as store:
        store.import_files(parse_spec(spec), spec, [data])
        people = {name: store.resolve_seed(name) for name in ("Ann", "Bob", "Cy", "Dee")}
        entities, _ = load_items(store, list(people.values()), NO_FILTERS, {}, {}, Chart(),
                                 set())
        expected = {}
        for entity, row in store.conn.execute(
                "SELECT x.entity_id, r.row FROM entity_records x JOIN records r "
                "ON r.id = x.record_id WHERE x.entity_id IN (SELECT unnest(?)) "
                "ORDER BY x.entity_id, x.record_id", [list(people.values())]).fetchall():
            expected.setdefault(entity, []).append(row)
    shown = {e.label: [r.row for r in e.provenance] for e in entities}
    assert shown == {name: expected[sid][:PROVENANCE_CAP] for name, sid in people.items()}
    assert shown["Bob"] == [*range(2, 22)]  # rows 2-21 (1: the header)
    assert shown["Ann"] == [22, 23, 24, *range(177, 194)]
    assert shown["Cy"] == [*range(147, 167)] and shown["Dee"] == [202]
