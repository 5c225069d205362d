"""The Store dock on a real store file built from the sample data: search, Add to Chart,
Expand from Store with its preview, "New in the store", undo, and a store held by another
program. What is added is checked against the store's own tables with DuckDB queries."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from tests.conftest import REPO
from workbench.io.importspec import load_spec
from workbench.store import open_store
from workbench.store.charting import store_setting
from workbench.ui.window.store_actions import install_store

SAMPLES = REPO / "sample_charts"
NOV13_SPEC = SAMPLES / "specs" / "nov13-relationships.yaml"
IMPORTS = [(NOV13_SPEC, SAMPLES / "data" / "nov13_relationships.csv"),
           (SAMPLES / "specs" / "call-records.yaml",
            SAMPLES / "data" / "vast2008_call_records.csv")]
WAIT = 20_000


def build_store(path: Path, imports=IMPORTS) -> Path:
    with open_store(path, create=True) as store:
        for spec, data in imports:
            store.import_files(load_spec(spec), spec.read_text(encoding="utf-8"), [data])
    return path


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("store") / "samples.wbstore")


def query(path: Path, sql: str, params=()) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as conn:
        return conn.execute(sql, list(params)).fetchall()


def store_id(path: Path, label: str) -> int:
    return query(path, "SELECT id FROM entities WHERE label = ?", [label])[0][0]


@pytest.fixture
def store(window, qtbot, store_path):
    actions = install_store(window)
    actions.dock.open_store(str(store_path))
    qtbot.waitUntil(lambda: actions.dock.source is not None, timeout=WAIT)
    return actions


def search(qtbot, dock, text: str) -> list[tuple]:
    dock.query.setText(text)
    dock.search()
    qtbot.waitUntil(lambda: not dock.runner.busy, timeout=WAIT)
    table = dock.table
    return [tuple(table.item(r, c).text() for c in range(1, 5))
            for r in range(table.rowCount())]


def wait_added(qtbot, window, stack_index: int) -> None:
    qtbot.waitUntil(lambda: window.undo_stack.index() > stack_index, timeout=WAIT)


def draw_abaaoud_and_neighbours(qtbot, window, dock) -> dict:
    """Abdelhamid Abaaoud and his neighbours added to the empty chart from the dock, as an
    analyst does; the chart's record of the store."""
    search(qtbot, dock, "abdelhamid abaaoud")
    dock.table.selectRow(0)
    dock.hops.setValue(1)
    dock.add_selected()
    wait_added(qtbot, window, 0)
    return store_setting(window.chart)


def chart_store_ids(window) -> set[int]:
    return set(store_setting(window.chart)["entities"].values())


def test_open_store_shows_it_in_the_dock_and_recent_stores(window, store, store_path):
    dock = store.dock
    assert dock.windowTitle() == "Store: samples.wbstore"
    entities = query(store_path, "SELECT count(*) FROM entities")[0][0]
    assert dock.store_label.text().startswith(f"samples.wbstore: {entities:,} entities")
    assert store.recent.paths() == [str(store_path.resolve())]
    titles = [a.text() for a in window.menus.file.actions()]
    assert "Open S&tore..." in titles and "Recent St&ores" in titles


def test_search_shows_the_stores_rows_best_first(store, qtbot, store_path):
    rows = search(qtbot, store.dock, "abaaoud")
    with open_store(store_path, read_only=True) as s:
        hits = s.search("abaaoud", limit=200)
    assert rows == [(h.label, h.type, f"{h.links:,}", f"{h.sources:,}") for h in hits]
    assert rows[0][0] == "Abdelhamid Abaaoud"
    abaaoud = store_id(store_path, "Abdelhamid Abaaoud")
    links = query(store_path, "SELECT count(*) FROM links WHERE end1 = ? OR end2 = ?",
                  [abaaoud, abaaoud])[0][0]
    assert rows[0][2] == f"{links:,}"
    named = {r[0] for r in query(store_path, "SELECT label FROM entities "
                                 "WHERE label ILIKE '%abaaoud%'")}
    assert named <= {row[0] for row in rows}
    table = store.dock.table
    table.sortByColumn(3, Qt.SortOrder.DescendingOrder)  # most links first
    links = [int(table.item(r, 3).text().replace(",", "")) for r in range(table.rowCount())]
    assert links == sorted(links, reverse=True) and len(links) == len(hits)
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # best first again
    assert table.item(0, 1).text() == "Abdelhamid Abaaoud"


def test_add_to_chart_adds_exactly_the_neighbourhood_and_undo_removes_it(
        window, store, qtbot, store_path):
    dock = store.dock
    search(qtbot, dock, "abdelhamid abaaoud")
    dock.table.selectRow(0)
    dock.hops.setValue(1)
    dock.cap.setValue(500)
    dock.add_selected()
    wait_added(qtbot, window, 0)
    seed = store_id(store_path, "Abdelhamid Abaaoud")
    expected = {seed} | {row[0] for row in query(
        store_path, "SELECT CASE WHEN end1 = ? THEN end2 ELSE end1 END FROM links "
        "WHERE end1 = ? OR end2 = ?", [seed, seed, seed])}
    assert chart_store_ids(window) == expected
    links = query(store_path, "SELECT id FROM links WHERE list_contains(?, end1) "
                  "AND list_contains(?, end2)", [list(expected), list(expected)])
    # one line per connection, standing for the store links it holds
    setting = store_setting(window.chart)
    held = {cid: int(lk.attributes["links"].value) if cid in setting["connections"] else 1
            for cid, lk in window.chart.links.items()}
    assert sum(held.values()) == len(links)
    assert set(setting["links"].values()) | set(setting["connections"].values()) <= \
        {r[0] for r in links}
    assert store_setting(window.chart)["file"] == str(store_path.resolve())
    abaaoud = window.chart.find("Person", "abdelhamid abaaoud")
    assert abaaoud.provenance and abaaoud.provenance[0].source == "Nov13 network (Gutfraind)"
    assert window.selection.entities == set(window.chart.entities)
    window.undo_stack.undo()
    assert not window.chart.entities and not window.chart.links
    assert store_setting(window.chart) == {}
    window.undo_stack.redo()
    assert chart_store_ids(window) == expected


def test_expand_preview_counts_match_what_is_added(window, store, qtbot, store_path):
    dock = store.dock
    search(qtbot, dock, "salah abdeslam")
    dock.hops.setValue(0)
    dock.add_selected()  # the hit alone
    wait_added(qtbot, window, 0)
    (salah,) = window.chart.entities
    # the right-click menu offers it
    menu = window.display.show_context_menu(salah, window.view.mapToGlobal(
        window.view.rect().center()))
    assert "E&xpand from Store..." in [a.text() for a in menu.actions()]
    menu.close()
    dialog = store.expand(salah)
    qtbot.waitUntil(lambda: dialog.add_button.isEnabled(), timeout=WAIT)
    preview = dialog.preview
    assert "Would add" in dialog.counts.text() and preview.entities > 1
    types_before = len(window.chart.entities)
    dialog.add_button.click()
    wait_added(qtbot, window, 1)
    new = [e for e in window.chart.entities.values() if e.id != salah]
    assert len(window.chart.entities) - types_before == preview.entities == len(new)
    by_type: dict[str, int] = {}
    for e in new:
        by_type[e.type] = by_type.get(e.type, 0) + 1
    assert by_type == preview.entity_types
    assert len(window.chart.links) == preview.connections  # a line per connection
    # placed around Salah, who stays where he was
    entity = window.chart.entity(salah)
    assert max(abs(e.x - entity.x) + abs(e.y - entity.y) for e in new) < 2000
    window.undo_stack.undo()
    assert list(window.chart.entities) == [salah] and not window.chart.links
    assert chart_store_ids(window) == {store_id(store_path, "Salah Abdeslam")}


def test_expand_with_filters_and_the_cap(window, store, qtbot, store_path):
    dock = store.dock
    search(qtbot, dock, "abdelhamid abaaoud")
    dock.hops.setValue(0)
    dock.add_selected()
    wait_added(qtbot, window, 0)
    (entity,) = window.chart.entities
    dialog = store.expand(entity)
    qtbot.waitUntil(lambda: dialog.add_button.isEnabled(), timeout=WAIT)
    everything = dialog.preview
    for r in range(dialog.types.count()):  # only people
        item = dialog.types.item(r)
        if not item.text().startswith("Person "):
            item.setCheckState(item.checkState().Unchecked)
    dialog.cap.setValue(2)
    qtbot.waitUntil(lambda: dialog.preview is not everything and
                    dialog.add_button.isEnabled(), timeout=WAIT)
    assert dialog.preview.entity_types == {"Person": 2}
    assert dialog.preview.more == everything.entity_types["Person"] - 2
    assert "The cap of 2 leaves out" in dialog.counts.text()
    dialog.add_button.click()
    wait_added(qtbot, window, 1)
    assert len(window.chart.entities) == 3


def test_new_in_the_store_lists_later_imports_and_adds_them(window, qtbot, tmp_path):
    """In the same second as the drawing, too: news is every source after the last one the
    store held when the chart was drawn, not a time."""
    path = build_store(tmp_path / "case.wbstore", IMPORTS[:1])
    actions = install_store(window)
    dock = actions.dock
    dock.open_store(str(path))
    qtbot.waitUntil(lambda: dock.source is not None, timeout=WAIT)
    search(qtbot, dock, "abdelhamid abaaoud")
    dock.hops.setValue(0)
    dock.add_selected()
    wait_added(qtbot, window, 0)
    dock.look_for_news()
    qtbot.waitUntil(lambda: not dock.runner.busy, timeout=WAIT)
    assert dock.news_label.text().startswith("Nothing new")

    later = tmp_path / "later.csv"
    later.write_text('"","n1.name","type(r)","n2.name"\n'
                     '"1","Abdelhamid Abaaoud","LINKED_TO","Newcomer Example"\n'
                     '"2","Newcomer Example","LINKED_TO","Somebody Else"\n', encoding="utf-8")
    with open_store(path) as build:
        build.import_files(load_spec(NOV13_SPEC), NOV13_SPEC.read_text(encoding="utf-8"),
                           [later])
    dock.look_for_news()
    qtbot.waitUntil(lambda: not dock.runner.busy, timeout=WAIT)
    assert "1 link (1 Associate)" in dock.news_label.text()
    assert [dock.news_list.item(r).text() for r in range(dock.news_list.count())] == [
        "Newcomer Example  (Person, 2 links)"]
    index = window.undo_stack.index()
    dock.news_add.click()
    wait_added(qtbot, window, index)
    newcomer = window.chart.find("Person", "newcomer example")
    assert newcomer is not None and len(window.chart.entities) == 2  # not Somebody Else
    assert [lk.type for lk in window.chart.links.values()] == ["Associate"]
    abaaoud = window.chart.find("Person", "abdelhamid abaaoud")
    assert 100 < math.dist((newcomer.x, newcomer.y), (abaaoud.x, abaaoud.y)) < 300  # beside
    assert dock.store_label.text().startswith("case.wbstore: 134 entities")  # counts now


def test_new_in_the_store_lists_new_links_between_entities_on_the_chart(window, qtbot,
                                                                        tmp_path):
    """A later source that only links two entities the chart already shows is news too:
    listed as a link, added as one undo step (it used to be counted and never offered)."""
    path = build_store(tmp_path / "case.wbstore", IMPORTS[:1])
    dock = install_store(window).dock
    dock.open_store(str(path))
    qtbot.waitUntil(lambda: dock.source is not None, timeout=WAIT)
    search(qtbot, dock, "abdelhamid abaaoud")
    dock.hops.setValue(0)
    dock.add_selected()
    wait_added(qtbot, window, 0)
    later = tmp_path / "later.csv"
    later.write_text('"","n1.name","type(r)","n2.name"\n'
                     '"1","Abdelhamid Abaaoud","LINKED_TO","Newcomer Example"\n',
                     encoding="utf-8")
    again = tmp_path / "again.csv"
    again.write_text('"","n1.name","type(r)","n2.name"\n'
                     '"1","Newcomer Example","LINKED_TO","Abdelhamid Abaaoud"\n',
                     encoding="utf-8")
    for data in (later, again):
        with open_store(path) as build:
            build.import_files(load_spec(NOV13_SPEC), NOV13_SPEC.read_text(encoding="utf-8"),
                               [data])
        if data is later:
            dock.look_for_news()
            qtbot.waitUntil(lambda: not dock.runner.busy, timeout=WAIT)
            index = window.undo_stack.index()
            dock.news_add.click()
            wait_added(qtbot, window, index)
    assert len(window.chart.links) == 1
    dock.look_for_news()
    qtbot.waitUntil(lambda: not dock.runner.busy, timeout=WAIT)
    assert "1 link between entities already on it" in dock.news_label.text()
    assert [dock.news_list.item(r).text() for r in range(dock.news_list.count())] == [
        "Newcomer Example - Associate - Abdelhamid Abaaoud  (new link)"]
    index = window.undo_stack.index()
    dock.news_add.click()
    wait_added(qtbot, window, index)
    assert len(window.chart.entities) == 2 and len(window.chart.links) == 2
    link_ids = set(store_setting(window.chart)["links"].values())
    assert link_ids == {r[0] for r in query(path, "SELECT id FROM links WHERE source_id > 1")}
    window.undo_stack.undo()
    assert len(window.chart.links) == 1


def test_a_store_in_use_by_another_program_gives_one_clear_message(
        window, store, qtbot, tmp_path):
    held = build_store(tmp_path / "held.wbstore", IMPORTS[:1])
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "print('held', flush=True); time.sleep(60)", str(held)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        store.dock.open_store(str(held))
        qtbot.waitUntil(lambda: window.files.message is not None, timeout=WAIT)
    finally:
        holder.kill()
        holder.wait()
    text = window.files.message.text()
    assert text.startswith(f"{held}: in use by another program")
    assert "\n" not in text
    assert store.dock.windowTitle() == "Store: samples.wbstore"  # the open store stays


def test_cancel_leaves_the_chart_as_it_was(window, store, qtbot):
    dock = store.dock
    search(qtbot, dock, "handset")
    dock.table.selectAll()
    dock.hops.setValue(2)
    dock.cap.setValue(5000)
    dock.add_selected()  # 200 hits, two links out: long enough to show its progress
    qtbot.waitUntil(lambda: dock.runner.dialog is not None, timeout=WAIT)
    job = dock.runner.job
    assert dock.runner.dialog.labelText().startswith("Reading samples.wbstore")
    dock.runner.dialog.findChild(QPushButton).click()  # Cancel
    assert dock.runner.dialog is None and job.cancelled.is_set()
    qtbot.waitUntil(lambda: job.finished.is_set(), timeout=WAIT)
    qtbot.wait(100)
    assert not window.chart.entities and window.undo_stack.count() == 0


def test_a_snapshot_for_a_worker_shares_no_settings_with_the_chart():
    """A worker drawing from the store records store ids in its copy's settings; the chart
    itself must change only through the undo step (it did change: the copy held its dict)."""
    from workbench.model import Chart
    from workbench.ui.background import snapshot

    chart = Chart()
    chart.set_setting("store", {"entities": {"e1": 1}})
    copy = snapshot(chart)
    copy.settings["store"]["entities"]["e2"] = 2
    copy.set_setting("display", {"frames": True})
    assert chart.settings == {"store": {"entities": {"e1": 1}}}


def test_a_snapshot_for_a_worker_keeps_the_charts_own_pictures():
    """A worker drawing or writing a chart with custom icons reads them from its copy."""
    from workbench.model import Chart
    from workbench.ui.background import snapshot

    chart = Chart()
    chart.images["photo.png"] = b"\x89PNG..."
    copy = snapshot(chart)
    assert copy.images == {"photo.png": b"\x89PNG..."} and copy.images is not chart.images


def test_an_edit_while_the_store_is_read_is_kept_and_nothing_collides(
        window, store, qtbot, store_path):
    from workbench.model import Entity
    from workbench.ui.commands import AddItemsCommand

    dock = store.dock
    search(qtbot, dock, "abdelhamid abaaoud")
    dock.add_selected()  # read on a worker from a copy of the empty chart...
    mine = Entity("e16", "Person", "Typed by hand")  # ...an id the copy would give too
    window.undo_stack.push(AddItemsCommand(window.chart, [mine], text="Add entity"))
    wait_added(qtbot, window, 1)
    assert window.chart.entity("e16").label == "Typed by hand"
    seed = store_id(store_path, "Abdelhamid Abaaoud")
    neighbours = query(store_path, "SELECT count(DISTINCT CASE WHEN end1 = ? THEN end2 "
                       "ELSE end1 END) FROM links WHERE end1 = ? OR end2 = ?",
                       [seed, seed, seed])[0][0]
    assert len(chart_store_ids(window)) == neighbours + 1
    assert len(window.chart.entities) == neighbours + 2


def test_typed_text_and_names_show_as_text_not_markup(store, qtbot):
    dock = store.dock
    assert search(qtbot, dock, "<b>zzqx</b>") == []
    assert dock.summary.text() == "Nothing in the store matches '<b>zzqx</b>'"
    assert all(label.textFormat() == Qt.TextFormat.PlainText
               for label in (dock.summary, dock.store_label, dock.news_label))


def test_a_recent_store_that_is_gone_leaves_the_list(window, store, qtbot, tmp_path):
    gone = build_store(tmp_path / "gone.wbstore", IMPORTS[:1])
    store.recent.add(gone)
    gone.unlink()
    store.open_recent(str(gone.resolve()))
    qtbot.waitUntil(lambda: window.files.message is not None, timeout=WAIT)
    assert window.files.message.text() == f"{gone.resolve()}: no such store"
    assert str(gone.resolve()) not in store.recent.paths()
    assert store.dock.windowTitle() == "Store: samples.wbstore"


def test_show_each_link_replaces_a_connection_and_undo_takes_them_back(
        window, store, qtbot, store_path):
    """A chart drawn from the store holds one line per connection; Show Each Link on the
    line's right-click menu puts the store's links in its place, as one undo step."""
    setting = draw_abaaoud_and_neighbours(qtbot, window, store.dock)
    ends = {cid: sid for cid, sid in setting["entities"].items()}
    (cid, *_) = setting["connections"]
    line = window.chart.links[cid]
    count = int(line.attributes["links"].value)
    assert line.label == f"{count} {line.type}" and count > 1
    expected = {r[0] for r in query(
        store_path, "SELECT id FROM links WHERE type = ? AND ((end1 = ? AND end2 = ?) OR "
        "(end1 = ? AND end2 = ?))", [line.type, ends[line.end1], ends[line.end2],
                                     ends[line.end2], ends[line.end1]])}
    assert len(expected) == count
    before = dict(window.chart.links)
    menu = window.display.show_context_menu(cid, window.view.mapToGlobal(
        window.view.rect().center()))
    (action,) = [a for a in menu.actions() if a.text() == "Show &Each Link"]
    assert action.isEnabled()
    index = window.undo_stack.index()
    action.trigger()
    menu.close()
    wait_added(qtbot, window, index)
    assert window.undo_stack.index() == index + 1  # one undo step
    shown = {lk.id for lk in window.chart.links.values()} - set(before)
    assert cid not in window.chart.links and len(shown) == count
    setting = store_setting(window.chart)
    assert {setting["links"][i] for i in shown} == expected
    assert cid not in setting["connections"]
    assert window.selection.links == shown
    window.undo_stack.undo()
    assert window.chart.links == before
    assert cid in store_setting(window.chart)["connections"]
    window.undo_stack.redo()
    assert len(window.chart.links) == len(before) - 1 + count


def test_the_properties_dock_reads_a_lines_first_records_from_the_store(
        window, store, qtbot, store_path):
    """A line standing for several store links carries its first source record; the
    Properties dock's button reads its first ones from the open store, as the store's own
    tables list them (source, file, row, grading), and is not offered for a single link."""
    setting = draw_abaaoud_and_neighbours(qtbot, window, store.dock)
    ends = {cid: sid for cid, sid in setting["entities"].items()}
    cid = max(setting["connections"], key=lambda c: (
        window.chart.links[c].attributes["records"].value, c))
    line = window.chart.links[cid]
    assert len(line.provenance) == 1
    rows = query(
        store_path, "SELECT r.name, s.file, r.sheet, r.row, r.reliability || r.credibility "
        "FROM link_records x JOIN records r ON r.id = x.record_id "
        "JOIN sources s ON s.id = r.source_id JOIN links l ON l.id = x.link_id "
        "WHERE l.type = ? AND ((l.end1 = ? AND l.end2 = ?) OR (l.end1 = ? AND l.end2 = ?)) "
        "ORDER BY x.record_id LIMIT 20", [line.type, ends[line.end1], ends[line.end2],
                                          ends[line.end2], ends[line.end1]])
    assert len(rows) == min(20, line.attributes["records"].value) > 1
    props = window.properties
    window.selection.set(links=[cid])
    records = props.store_records
    button, listed = records.button, records.listed
    assert button.isVisibleTo(props) and button.isEnabled()
    assert listed.isHidden()
    button.click()
    qtbot.waitUntil(lambda: not listed.isHidden(), timeout=WAIT)
    heading, *shown = listed.text().splitlines()
    assert heading.startswith(f"In the store, the first {len(rows)} source records")
    assert shown == [f"{name}: {file}{f' [{sheet}]' if sheet else ''} row {row}"
                     f"{f' ({grade})' if grade else ''}"
                     for name, file, sheet, row, grade in rows]
    single = next(c for c in window.chart.links if c not in setting["connections"])
    window.selection.set(links=[single])
    assert not button.isVisibleTo(props) and listed.isHidden()


def test_the_preview_says_connections_and_the_links_they_hold():
    from workbench.store import Preview
    from workbench.ui.docks.store_expand import counts_text

    preview = Preview(500, 196_260, {"Phone": 500}, {"Calls": 196_260}, more=887_508,
                      connections=72_666)
    assert counts_text(preview, 500).splitlines()[0] == \
        "Would add 500 entities and 72,666 connections (196,260 links):"
    one_each = Preview(3, 2, {"Phone": 3}, {"Calls": 2}, connections=2)
    assert counts_text(one_each, 500).splitlines()[0] == "Would add 3 entities and 2 links:"
