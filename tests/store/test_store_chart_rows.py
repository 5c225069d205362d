"""A chart drawn from the store holds exactly what the store says: every link checked
against the chart file's own reader fed the store's rows (read here with plain SQL, row by
row), with its first source records; and the pairs the layout and the link display are
given are the pairs of the links, counted. These hold the fast reads (columns, not rows;
links made directly) to what a chart file could hold."""

from __future__ import annotations

from collections import Counter
from datetime import UTC

import orjson

from workbench.io.chartjson import link_in
from workbench.model import Link, SourceRecord
from workbench.store.charting import (
    PROVENANCE_CAP,
    _pairs,
    add_expansion,
    links_between,
    store_setting,
)


def _expected_links(conn, ids: dict[int, str], ends: dict[int, str]) -> dict[str, Link]:
    """The links ``ids`` (store id -> chart id) as the chart file reader makes them from
    the store's rows, each with its first PROVENANCE_CAP records."""
    records: dict[int, list[SourceRecord]] = {}
    for sid, name, file, sheet, row, at, rel, cred in conn.execute(
            "SELECT x.link_id, r.name, s.file, r.sheet, r.row, s.imported_at, r.reliability, "
            "r.credibility FROM link_records x JOIN records r ON r.id = x.record_id "
            "JOIN sources s ON s.id = r.source_id WHERE x.link_id IN (SELECT unnest(?)) "
            "ORDER BY x.link_id, x.record_id", [list(ids)]).fetchall():
        if len(records.setdefault(sid, [])) < PROVENANCE_CAP:
            records[sid].append(SourceRecord(name, file, sheet, row, at.replace(tzinfo=UTC),
                                             rel, cred))
    out = {}
    for (sid, end1, end2, type_, label, direction, strength, date, attributes
         ) in conn.execute("SELECT id, end1, end2, type, label, direction, strength, date, "
                           "attributes FROM links WHERE id IN (SELECT unnest(?))",
                           [list(ids)]).fetchall():
        data = {"id": ids[sid], "end1": ends[end1], "end2": ends[end2], "type": type_,
                "label": label, "direction": direction, "strength": strength}
        if date is not None:
            data["date"] = date.isoformat()
        if attributes:
            data["attributes"] = orjson.loads(attributes)
        link = link_in(data)
        link.provenance = records.get(sid, [])
        out[link.id] = link
    return out


def _check_links(store, chart) -> int:
    setting = store_setting(chart)
    ends = {sid: cid for cid, sid in setting["entities"].items()}
    expected = _expected_links(store.conn, {sid: cid for cid, sid in
                                            setting["links"].items()}, ends)
    assert chart.links == expected
    return len(expected)


def _busiest(store) -> int:
    """The entity with the most links in the store."""
    return store.conn.execute(
        "SELECT e FROM (SELECT end1 AS e FROM links UNION ALL SELECT end2 FROM links) "
        "GROUP BY e ORDER BY count(*) DESC, e LIMIT 1").fetchone()[0]


def test_a_hubs_chart_and_expansion_hold_the_stores_links_as_a_chart_file_would(
        sample_store):
    hub = _busiest(sample_store)
    chart = sample_store.chart([hub], hops=2, max_entities=60)
    drawn = _check_links(sample_store, chart)
    assert drawn == len(chart.links) > 100
    counted = Counter(lk.end1 + " " + lk.end2 for lk in chart.links.values())
    assert max(counted.values()) > 1  # pairs joined by many links, each drawn
    # an expansion brings only links that are new, each as the store holds it
    other = next(sid for sid in store_setting(chart)["entities"].values() if sid != hub)
    found = sample_store.expand(chart, other, hops=2, max_entities=40)
    assert found.links and not set(found.link_ids.values()) & set(
        store_setting(chart)["links"].values())
    add_expansion(chart, sample_store, found)
    assert _check_links(sample_store, chart) == drawn + len(found.links)


def test_the_pairs_given_to_the_layout_are_the_links_counted_in_order():
    ends = [("e10", "e9"), ("e9", "e10"), ("e2", "e10"), ("e3", "e3"), ("e10", "e2"),
            ("e9", "e10"), ("e100", "e2")]
    links = [Link(f"l{k}", a, b, "Calls") for k, (a, b) in enumerate(ends)]
    counted = Counter((a, b) if a <= b else (b, a) for a, b in ends)
    assert list(_pairs(links).items()) == list(counted.items())
    assert list(_pairs(links).items()) == [(("e10", "e9"), 3), (("e10", "e2"), 2),
                                           (("e3", "e3"), 1), (("e100", "e2"), 1)]
    assert _pairs([]) == {}


def test_links_new_in_the_store_are_drawn_after_a_result_read_in_part(sample_store):
    """The links a chart lacks come back as the store holds them, even when the last
    statement on the store was read only in part (its first row)."""
    chart = sample_store.chart([_busiest(sample_store)], hops=1, max_entities=10)
    setting = store_setting(chart)
    gone = sorted(chart.links)[:3]
    removed = chart.remove_links(gone)
    sample_store.conn.execute("SELECT id FROM links ORDER BY id").fetchone()
    found = links_between(sample_store, chart, [setting["links"][cid] for cid in gone])
    assert sorted(found.link_ids) == gone
    assert {lk.id: lk for lk in found.links} == {lk.id: lk for lk in removed}
