"""Find Duplicates on the sample chart: pairs found off the GUI thread, listed best first,
shown side by side, and decided with Accept, Reject and Not Sure (each one undo step)."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from workbench.io import load_chart, save_chart
from workbench.model.merge import POSSIBLY_SAME_AS
from workbench.resolve.decisions import undecided
from workbench.resolve.pairs import AGREE, DISAGREE, MISSING, Candidate
from workbench.ui.docks.review_dock import VERDICT_COLOURS, ReviewDock

from ..conftest import IDS, SAMPLE


def candidates() -> list[Candidate]:
    """What a matcher might say about three pairs of the sample's people."""
    atar, baghdadi, abaaoud = IDS["atar"], IDS["baghdadi"], IDS["abaaoud"]
    return [
        Candidate(*sorted((atar, abaaoud)), 0.62,
                  {"name": (DISAGREE, "no token in common"), "nationality": (AGREE, "Belgian")}),
        Candidate(*sorted((atar, baghdadi)), 0.91,
                  {"name": (AGREE, "same after transliteration"),
                   "date of birth": (MISSING, "only one has it")}),
        Candidate(*sorted((baghdadi, abaaoud)), 0.4, {"name": (DISAGREE, "")}),
    ]


class Finder:
    """Stands in for the matcher's answer (the dock's part under test is everything around
    it); notes the thread it ran on and can be held until released."""

    def __init__(self, pairs: list[Candidate], hold: bool = False) -> None:
        self.pairs, self.threads, self.calls = pairs, [], []
        self.release = threading.Event()
        if not hold:
            self.release.set()

    def __call__(self, chart, types, threshold):
        self.threads.append(threading.current_thread())
        self.calls.append((len(chart.entities), types, threshold))
        self.release.wait(10)
        return list(self.pairs)


def found_dock(qtbot, document, pairs=None) -> tuple[ReviewDock, Finder]:
    finder = Finder(candidates() if pairs is None else pairs)
    dock = ReviewDock(document, finder=finder)
    qtbot.addWidget(dock)
    dock.show()
    dock.find()
    qtbot.waitUntil(lambda: dock.pairs.rowCount() > 0, timeout=5000)
    return dock, finder


def test_pairs_are_found_off_the_gui_thread_and_listed_best_first(qtbot, document):
    dock, finder = found_dock(qtbot, document)
    assert finder.threads[0] is not threading.main_thread()
    assert finder.calls == [(len(document.chart.entities), ["Person"], 0.5)]
    assert [dock.pairs.item(r, 0).text() for r in range(3)] == ["91%", "62%", "40%"]
    assert dock.pairs.item(0, 1).text() in {"Oussama Atar", "Abu Bakr al-Baghdadi"}
    assert dock.status.text() == "3 pairs to review."


def test_chosen_pair_is_selected_on_the_chart_and_shown_side_by_side(qtbot, document):
    dock, _ = found_dock(qtbot, document)
    dock.pairs.selectRow(1)
    pair = dock.current()
    assert document.selection.entities == {pair.a, pair.b}
    chart = document.chart
    first = [dock.compare.item(r, 0).text() for r in range(dock.compare.rowCount())]
    assert first[0] == "label" and "sources" in first
    assert dock.compare.item(0, 1).text() == chart.entity(pair.a).label
    assert dock.compare.item(0, 2).text() == chart.entity(pair.b).label
    sources = dock.compare.item(first.index("sources"), 1).text().splitlines()
    named = len(chart.entity(pair.a).provenance)
    assert len(sources) == min(named, 6)  # a person named in many rows: the first five
    if named > 5:
        assert sources[-1] == f"and {named - 5} more"
    verdicts = {dock.evidence.item(r, 0).text(): dock.evidence.item(r, 1)
                for r in range(dock.evidence.rowCount())}
    assert verdicts["name"].text() == DISAGREE
    assert verdicts["name"].background().color() == QColor(VERDICT_COLOURS[DISAGREE])
    assert verdicts["nationality"].background().color() == QColor(VERDICT_COLOURS[AGREE])


def test_accept_merges_as_one_undo_step_and_undo_brings_the_pair_back(qtbot, document):
    before = load_chart(SAMPLE)
    dock, _ = found_dock(qtbot, document)
    pair = dock.current()
    assert dock.accept()
    chart = document.chart
    assert pair.b not in chart.entities and chart.merge_record(pair.a).probability == 0.91
    assert document.undo_stack.count() == 1
    # one of the other pairs named the absorbed entity: only the other is left
    qtbot.waitUntil(lambda: dock.pairs.rowCount() == 1, timeout=5000)
    assert "Merge" in document.undo_stack.undoText()
    document.undo_stack.undo()
    assert chart == before
    qtbot.waitUntil(lambda: dock.pairs.rowCount() == 3, timeout=5000)


def test_reject_is_remembered_after_save_and_reopen(qtbot, document, tmp_path):
    dock, _ = found_dock(qtbot, document)
    pair = dock.current()
    dock.reject()
    qtbot.waitUntil(lambda: dock.pairs.rowCount() == 2, timeout=5000)
    assert dock.current() not in (pair, None)
    path = tmp_path / "reviewed.wbchart"
    save_chart(document.chart, path)
    again = undecided(load_chart(path), candidates())
    assert (pair.a, pair.b) not in {(c.a, c.b) for c in again} and len(again) == 2
    document.undo_stack.undo()
    assert not document.chart.rejected
    qtbot.waitUntil(lambda: dock.pairs.rowCount() == 3, timeout=5000)


def test_not_sure_draws_a_possibly_same_as_link(qtbot, document):
    dock, _ = found_dock(qtbot, document)
    pair = dock.current()
    dock.not_sure()
    links = document.chart.links_between(pair.a, pair.b)
    assert [lk.type for lk in links if lk.type == POSSIBLY_SAME_AS] == [POSSIBLY_SAME_AS]
    qtbot.waitUntil(lambda: dock.pairs.rowCount() == 2, timeout=5000)


def test_keys_decide_while_the_dock_has_the_focus(qtbot, document):
    dock, _ = found_dock(qtbot, document)
    dock.pairs.setFocus()
    pair = dock.current()
    qtbot.keyClick(dock.pairs, Qt.Key.Key_R)
    assert (pair.a, pair.b) in document.chart.rejected
    qtbot.keyClick(dock.pairs, Qt.Key.Key_R)  # pressed twice before the list caught up
    assert len(document.chart.rejected) == 1 and document.undo_stack.count() == 1
    qtbot.waitUntil(lambda: dock.pairs.rowCount() == 2, timeout=5000)
    pair = dock.current()
    qtbot.keyClick(dock.pairs, Qt.Key.Key_N)
    assert any(lk.type == POSSIBLY_SAME_AS
               for lk in document.chart.links_between(pair.a, pair.b))
    qtbot.waitUntil(lambda: dock.pairs.rowCount() == 1, timeout=5000)
    qtbot.keyClick(dock.pairs, Qt.Key.Key_A)
    assert document.undo_stack.count() == 3


def test_cancel_leaves_the_list_empty(qtbot, document):
    finder = Finder(candidates(), hold=True)
    dock = ReviewDock(document, finder=finder)
    qtbot.addWidget(dock)
    job = dock.find()
    assert not dock.find_button.isEnabled() and not dock.busy.isHidden()
    dock.cancel_button.click()
    assert dock.status.text() == "Cancelled." and dock.find_button.isEnabled()
    finder.release.set()
    qtbot.waitUntil(lambda: not job.running, timeout=5000)
    assert dock.pairs.rowCount() == 0


def test_a_failing_matcher_is_reported_in_the_dock(qtbot, document):
    def broken(chart, types, threshold):
        raise ValueError("no Person has a name to compare")

    dock = ReviewDock(document, finder=broken)
    qtbot.addWidget(dock)
    dock.find()
    qtbot.waitUntil(lambda: "failed" in dock.status.text(), timeout=5000)
    assert dock.status.text() == "Find Duplicates failed: no Person has a name to compare"


def test_types_follow_what_the_chart_holds_when_the_dock_is_shown(qtbot, document):
    document.replace_chart(type(document.chart)(), None)  # a new, empty chart
    dock = ReviewDock(document, finder=Finder([]))
    qtbot.addWidget(dock)
    assert dock.find() is None and "no entities" in dock.status.text()
    document.chart.make_entity("Organisation", "Blue Star Ltd")
    document.chart.make_entity("Organisation", "Blue Star Limited")
    dock.show()
    assert dock.type_box.currentText() == "Organisation"
