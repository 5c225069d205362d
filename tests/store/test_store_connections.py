"""Show Each Link: a connection of a chart drawn from the store replaced by the store links it
stands for, checked against the store's own rows read here with plain SQL; its limit; the
command line's ``workbench store links``."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.store.conftest import SAMPLES, import_into
from workbench.cli import main
from workbench.export.report_content import build_content
from workbench.io import load_chart, save_chart
from workbench.store import Decision, StoreError, open_store
from workbench.store.charting import PROVENANCE_CAP, add_expansion, store_setting
from workbench.view import timeline_data


def _busiest(store) -> int:
    return store.conn.execute(
        "SELECT e FROM (SELECT end1 AS e FROM links UNION ALL SELECT end2 FROM links) "
        "GROUP BY e ORDER BY count(*) DESC, e LIMIT 1").fetchone()[0]


def _store_links(store, a: int, b: int, type_: str, direction: str) -> dict[int, tuple]:
    """The store's links of one connection: (date, label, first records' rows) by id."""
    either = direction in ("none", "both")
    rows = store.conn.execute(
        "SELECT id, date, label FROM links WHERE type = ? AND direction = ? AND "
        "((end1 = ? AND end2 = ?) OR (? AND end1 = ? AND end2 = ?))",
        [type_, direction, a, b, either, b, a]).fetchall()
    out = {}
    for sid, date, label in rows:
        records = [r[0] for r in store.conn.execute(
            "SELECT r.row FROM link_records x JOIN records r ON r.id = x.record_id "
            "WHERE x.link_id = ? ORDER BY x.record_id LIMIT ?", [sid, PROVENANCE_CAP]
        ).fetchall()]
        out[sid] = (date, label, records)
    return out


@pytest.fixture
def drawn(sample_store):
    chart = sample_store.chart([_busiest(sample_store)], hops=1, max_entities=30)
    setting = store_setting(chart)
    ends = {cid: sid for cid, sid in setting["entities"].items()}
    several = sorted(setting["connections"], key=lambda c: (
        -chart.links[c].attributes["links"].value, c))
    return chart, ends, several


def test_show_each_link_puts_the_store_links_in_the_place_of_a_connection(sample_store,
                                                                          drawn):
    chart, ends, several = drawn
    cid = several[0]
    line = chart.links[cid]
    count = int(line.attributes["links"].value)
    expected = _store_links(sample_store, ends[line.end1], ends[line.end2], line.type,
                            line.direction.value)
    assert len(expected) == count > 1
    found = sample_store.each_link(chart, cid)
    assert found.replaced == [cid] and not found.entities
    got = {found.link_ids[lk.id]: (lk.date, lk.label, [r.row for r in lk.provenance])
           for lk in found.links}
    assert got == expected
    assert {(lk.end1, lk.end2) for lk in found.links} <= {(line.end1, line.end2),
                                                         (line.end2, line.end1)}
    first, last = line.date, line.attributes["end"].value
    assert min(d for d, _, _ in expected.values()) == first
    assert max(d for d, _, _ in expected.values()) == last
    before = len(chart.links)
    add_expansion(chart, sample_store, found)
    setting = store_setting(chart)
    assert cid not in chart.links and cid not in setting["connections"]
    assert len(chart.links) == before - 1 + count
    assert {setting["links"][lk.id] for lk in found.links} == set(expected)
    # the links are single store links now: nothing more to show
    with pytest.raises(StoreError, match="one link already"):
        sample_store.each_link(chart, found.links[0].id)


def test_a_connections_first_records_come_from_the_store_on_demand(sample_store, drawn):
    """A line carries its first source record; the store gives its first 20 (or all, when
    fewer) in the order they came in, as plain SQL over its links finds them, each naming
    its source, file and row; a link that is not a connection has none to give."""
    chart, ends, several = drawn
    for cid in several[:5]:
        line = chart.links[cid]
        held = sample_store.conn.execute(
            "SELECT r.row, r.name, s.file FROM link_records x JOIN records r "
            "ON r.id = x.record_id JOIN sources s ON s.id = r.source_id "
            "WHERE x.link_id IN (SELECT unnest(?)) ORDER BY x.record_id",
            [list(_store_links(sample_store, ends[line.end1], ends[line.end2], line.type,
                               line.direction.value))]).fetchall()
        for limit in (PROVENANCE_CAP, 2):
            got = sample_store.first_records(chart, cid, limit=limit)
            assert [(r.row, r.source, r.file) for r in got] == held[:limit]
        assert got[:1] == line.provenance
    single = next(cid for cid in chart.links if cid not in several)
    with pytest.raises(StoreError, match="one link already"):
        sample_store.first_records(chart, single, limit=PROVENANCE_CAP)


def test_a_connection_of_too_many_links_is_refused_saying_how_many(sample_store, drawn):
    chart, _, several = drawn
    line = chart.links[several[0]]
    count = int(line.attributes["links"].value)
    with pytest.raises(StoreError, match=f"{count:,} store links, more than the 1 "):
        sample_store.each_link(chart, several[0], limit=1)


def test_store_links_on_the_command_line(sample_store_path, sample_store, drawn, tmp_path,
                                         capsys):
    chart, _, several = drawn
    path, out = tmp_path / "drawn.wbchart", tmp_path / "each.wbchart"
    save_chart(chart, path)
    counts = [int(chart.links[c].attributes["links"].value) for c in several[:2]]
    assert main(["store", "links", str(sample_store_path), str(path), "--link", *several[:2],
                 "-o", str(out)]) == 0
    assert f"Put {sum(counts):,} store links in place of 2 connections" in \
        capsys.readouterr().out
    shown = load_chart(out)
    assert len(shown.links) == len(chart.links) - 2 + sum(counts)
    assert not set(several[:2]) & set(store_setting(shown)["connections"])
    # a link that is not there, or that is one store link: one line, exit 2, nothing written
    gone = tmp_path / "none.wbchart"
    assert main(["store", "links", str(sample_store_path), str(path), "--link", "l0nope",
                 "-o", str(gone)]) == 2
    assert "has no link 'l0nope'" in capsys.readouterr().err and not gone.exists()
    single = next(iter(store_setting(chart)["links"]))
    assert main(["store", "links", str(sample_store_path), str(path), "--link", single,
                 "-o", str(gone)]) == 2
    assert "one link already" in capsys.readouterr().err and not gone.exists()


def test_a_connection_spans_its_first_to_its_last_date_on_the_timeline(drawn):
    chart, _, several = drawn
    line = chart.links[several[0]]
    data = timeline_data.build(chart, [line.end1, line.end2])
    (k,) = data.indices_of([line.id])
    assert data.end[k] - data.start[k] == (line.attributes["end"].value - line.date
                                           ).total_seconds() > 0


def test_show_each_link_of_a_merged_entitys_connection_brings_its_own_calls(tmp_path):
    """Handsets 100 and 101 are accepted as one: the chart's "2 Calls" from 101 now ends at
    100, and Show Each Link took 100's store id from the chart, bringing 100's call of 10
    June instead of 101's two calls."""
    calls = tmp_path / "calls.csv"
    calls.write_text("From,To,Datetime,Duration(seconds),Cell Tower\n"
                     "100,200,20060601 1200,60,1\n100,200,20060602 1200,60,1\n"
                     "100,200,20060610 1200,60,1\n101,200,20060610 1200,60,1\n"
                     "101,200,20060611 1200,60,1\n", encoding="utf-8")
    path = tmp_path / "calls.wbstore"
    with open_store(path, create=True) as store:
        import_into(store, SAMPLES / "specs" / "call-records.yaml", calls)
        ids = {label: sid for sid, label in store.conn.execute(
            "SELECT id, label FROM entities").fetchall()}
        store.record_decisions([Decision(ids["Handset 100"], ids["Handset 101"], "accepted",
                                         "ana", datetime.now(UTC))])
    with open_store(path, read_only=True) as store:
        chart = store.chart([ids["Handset 200"]], hops=1)
        lines = {int(lk.attributes["links"].value): lk for lk in chart.links.values()}
        assert sorted(lines) == [2, 3]  # one connection per store pair, both at the survivor
        found = store.each_link(chart, lines[2].id)
        assert sorted(lk.date.day for lk in found.links) == [10, 11]
        of_101 = store.conn.execute("SELECT id FROM links WHERE end1 = ?",
                                    [ids["Handset 101"]]).fetchall()
        assert {found.link_ids[lk.id] for lk in found.links} == {sid for (sid,) in of_101}
        assert {(lk.end1, lk.end2) for lk in found.links} == {(lines[2].end1, lines[2].end2)}
        assert sorted(lk.date.day for lk in store.each_link(chart, lines[3].id).links) \
            == [1, 2, 10]


def test_a_report_of_a_store_chart_says_how_many_store_links_its_lines_stand_for(
        sample_store, drawn):
    """A bank officer reading "Links: 98" takes it for 98 calls: the report says how many
    store links the chart's lines stand for, counted here from the store's own rows."""
    chart, ends, several = drawn
    expected = sum(len(_store_links(sample_store, ends[lk.end1], ends[lk.end2], lk.type,
                                    lk.direction.value)) if lk.id in several else 1
                   for lk in chart.links.values())
    assert expected > len(chart.links)
    summary = dict(build_content(chart).summary)
    assert summary["Links"] == f"{len(chart.links):,}, standing for {expected:,} store links"
