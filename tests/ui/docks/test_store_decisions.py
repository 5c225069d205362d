"""The store's decisions in the window, on a real store file: pairs accepted and rejected in
Find Duplicates saved into the store (File > Save Decisions to Store..., confirmed), and the
Store dock drawing an accepted pair as one merged entity in the same undo step as the rest."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from PySide6.QtWidgets import QMessageBox

from tests.store.conftest import HERE
from workbench.io.importspec import load_spec
from workbench.resolve.decisions import explain
from workbench.store import Decision, open_store
from workbench.store.interface import NO_FILTERS
from workbench.ui.docks.review_dock import ReviewDock
from workbench.ui.window.store_actions import install_store

SPEC = HERE / "data" / "people.yaml"
WAIT = 30_000


@pytest.fixture
def people_store(tmp_path) -> Path:
    """A hotline's people and a court's, spelt differently (nothing merged by identity)."""
    path = tmp_path / "people.wbstore"
    with open_store(path, create=True) as store:
        for name, data in (("Hotline", "hotline_people.csv"), ("Court", "court_people.csv")):
            store.import_files(load_spec(SPEC), SPEC.read_text(encoding="utf-8"),
                               [HERE / "data" / data], source_name=name)
    return path


def ids(path: Path, *labels: str) -> list[int]:
    with duckdb.connect(str(path), read_only=True) as conn:
        return [conn.execute("SELECT id FROM entities WHERE label = ?", [label]).fetchone()[0]
                for label in labels]


def stored(path: Path) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as conn:
        return conn.execute("SELECT a, b, decision, method FROM decisions ORDER BY a").fetchall()


def open_in_window(window, qtbot, path: Path):
    actions = install_store(window)
    actions.dock.open_store(str(path))
    qtbot.waitUntil(lambda: actions.dock.source is not None, timeout=WAIT)
    return actions


def draw(window, qtbot, actions, seeds: list[int]) -> None:
    index = window.undo_stack.index()
    actions.dock.add_from_store(seeds, 1, 500, NO_FILTERS, "Add from the store")
    qtbot.waitUntil(lambda: window.undo_stack.index() > index, timeout=WAIT)


def people(window) -> list[str]:
    return sorted(e.label for e in window.chart.entities.values() if e.type == "Person")


def test_decisions_made_in_find_duplicates_are_saved_into_the_store(
        window, qtbot, people_store):
    actions = open_in_window(window, qtbot, people_store)
    olena, olena_c, mohammed, muhamad = ids(people_store, "Olena Kovalenko",
                                            "Олена Коваленко", "Mohammed Al-Hassan",
                                            "Muhamad Alhassan")
    draw(window, qtbot, actions, [olena, olena_c, mohammed, muhamad])
    review = ReviewDock(window.document, window)  # the real matcher
    qtbot.addWidget(review)
    review.find()
    qtbot.waitUntil(lambda: review.pairs.rowCount() == 2, timeout=WAIT)
    for left in (1, 0):
        review.pairs.selectRow(0)
        pair = review.current()
        labels = {window.chart.entity(pair.a).label, window.chart.entity(pair.b).label}
        assert review.accept() if "Olena Kovalenko" in labels else review.reject()
        qtbot.waitUntil(lambda n=left: review.pairs.rowCount() == n, timeout=WAIT)
    assert len(people(window)) == 3 and len(window.chart.merges) == 1
    assert stored(people_store) == []  # the chart's decisions, not yet the store's

    box = actions.ask_save_decisions()
    assert box is not None and box.isVisible()
    assert box.text() == "Save 1 accepted and 1 rejected pair(s) into people.wbstore?"
    undo_index = window.undo_stack.index()
    box.button(QMessageBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: not actions.dock.runner.busy and len(stored(people_store)) == 2,
                    timeout=WAIT)
    assert stored(people_store) == sorted([
        (min(olena, olena_c), max(olena, olena_c), "accepted", "review"),
        (min(mohammed, muhamad), max(mohammed, muhamad), "rejected", "review")])
    assert window.undo_stack.index() == undo_index  # a write to the store, not an edit

    box = actions.ask_save_decisions()  # saved already: written again changes nothing
    box.button(QMessageBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: not actions.dock.runner.busy, timeout=WAIT)
    assert len(stored(people_store)) == 2


def test_cancel_writes_nothing_and_a_chart_not_from_a_store_is_told_so(
        window, qtbot, people_store):
    actions = install_store(window)
    assert actions.ask_save_decisions() is None  # an empty chart, drawn from no store
    actions = open_in_window(window, qtbot, people_store)
    a, b = ids(people_store, "John Smith", "Jane Doe")
    draw(window, qtbot, actions, [a, b])
    chart = window.chart
    window.chart.set_rejected(*sorted(e.id for e in chart.entities.values()
                                      if e.label in ("John Smith", "Jane Doe")))
    box = actions.ask_save_decisions()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert not actions.dock.runner.busy and stored(people_store) == []


def test_the_store_dock_draws_an_accepted_pair_as_one_entity_in_one_undo_step(
        window, qtbot, people_store):
    olena, olena_c, mohammed, muhamad = ids(people_store, "Olena Kovalenko",
                                            "Олена Коваленко", "Mohammed Al-Hassan",
                                            "Muhamad Alhassan")
    with open_store(people_store) as store:
        store.record_decisions([
            Decision(olena, olena_c, "accepted", "analyst1", datetime(2026, 11, 30, tzinfo=UTC),
                     "review", 0.97, {"name": ("agree", "same name")}),
            Decision(mohammed, muhamad, "rejected", "analyst2",
                     datetime(2026, 11, 30, tzinfo=UTC))])
    actions = open_in_window(window, qtbot, people_store)
    draw(window, qtbot, actions, [olena, mohammed, muhamad])  # the partner comes along
    assert people(window) == ["Mohammed Al-Hassan", "Muhamad Alhassan", "Olena Kovalenko"]
    merged = window.chart.find("Person", "olena kovalenko")
    assert sorted(s.source for s in merged.provenance) == ["Court", "Hotline"]
    story = explain(window.chart.merge_record(merged.id))
    assert "Олена Коваленко" in story and "by analyst1 on 2026-11-30" in story
    assert "probability 97%" in story and "name agree (same name)" in story
    assert len(window.chart.rejected) == 1
    window.undo_stack.undo()  # the drawing and the store's decisions: one step
    assert not window.chart.entities and not window.chart.merges
    assert not window.chart.rejected
