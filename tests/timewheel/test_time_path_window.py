"""Find Path forward in time from the Analysis menu and its dialog, on the call-records
sample: the paths found are selected, each step a call made at or after the one before."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMainWindow, QMenu

from workbench.analysis.time_paths import time_paths
from workbench.model import Chart, Selection
from workbench.ui.dialogs.analysis_dialogs import FindPathDialog
from workbench.ui.window.analysis_actions import install_analysis_menu


class StandInWindow(QMainWindow):
    """What the real main window exposes to the analysis menu."""

    chart_replaced = Signal()

    def __init__(self, chart: Chart) -> None:
        super().__init__()
        self.chart, self.selection = chart, Selection()
        self.undo_stack = QUndoStack(self)
        self.analysis_menu = self.menuBar().addMenu("&Analysis")

    def add_dock(self, dock, area) -> None:
        self.addDockWidget(area, dock)


@pytest.fixture
def window(qtbot, calls_chart):
    win = StandInWindow(calls_chart)
    qtbot.addWidget(win)
    return win


def handset(chart: Chart, number: str) -> str:
    return chart.find("Handset", number).id


def test_all_paths_forward_in_time_are_selected(qtbot, window):
    chart = window.chart
    actions = install_analysis_menu(QMenu(), window)
    a, b = handset(chart, "200"), handset(chart, "5")
    gap = timedelta(days=2)
    with qtbot.waitSignal(actions.paths_found, timeout=20000) as found:
        actions.find_path(True, None, 2, (a, b), True, gap)
    paths = found.args[0]
    both_ways = (time_paths(chart, a, b, 2, max_gap=gap)
                 + time_paths(chart, b, a, 2, max_gap=gap))
    assert {p.entities for p in paths} == {p.entities for p in both_ways}
    assert paths, "the sample has such paths"
    assert window.selection.entities == {e for p in paths for e in p.entities}
    assert window.selection.links == {lk for p in paths for lk in p.links}
    for path in paths:
        times = [chart.links[lk].date for lk in path.links]
        assert all(later >= earlier and later - earlier <= gap
                   for earlier, later in itertools.pairwise(times))
    message = window.statusBar().currentMessage()
    assert "forward in time" in message and "at most 2 days between steps" in message


def test_the_shortest_path_forward_in_time_and_none_found(qtbot, window):
    chart = window.chart
    actions = install_analysis_menu(QMenu(), window)
    a, b = handset(chart, "200"), handset(chart, "5")
    gap = timedelta(days=2)
    with qtbot.waitSignal(actions.paths_found, timeout=20000) as found:
        actions.find_path(True, None, None, (a, b), True, gap)
    [path] = found.args[0]
    fewer = [p for s, t in ((a, b), (b, a))
             for p in time_paths(chart, s, t, path.steps, max_gap=gap)]
    assert path.steps == min(p.steps for p in fewer)
    assert window.selection.links == set(path.links)
    assert "Shortest path forward in time" in window.statusBar().currentMessage()
    # one link: only a direct call would do, and these two never called each other
    stranger = next(e for e in chart.entities
                    if e != a and not chart.links_between(a, e))
    with qtbot.waitSignal(actions.paths_found, timeout=20000) as found:
        actions.find_path(True, None, 1, (a, stranger), True, gap)
    assert found.args[0] == []
    assert "No path forward in time of up to 1 link" in window.statusBar().currentMessage()


def test_the_dialog_offers_forward_in_time_with_a_gap(qtbot, calls_chart):
    chart = calls_chart
    ends = [handset(chart, "200"), handset(chart, "5")]
    dialog = FindPathDialog(chart, ["duration_s"], ends)
    qtbot.addWidget(dialog)
    assert not dialog.gap.isEnabled()
    assert dialog.chosen()[4:] == (False, None)
    dialog.weight.setCurrentIndex(1)
    dialog.in_time.setChecked(True)
    assert dialog.directed.isChecked() and not dialog.weight.isEnabled()
    assert dialog.gap.isEnabled() and dialog.gap.text() == "any gap"
    dialog.gap.setValue(3)
    dialog.gap_unit.setCurrentText("hours")
    directed, weight, longest, chosen_ends, in_time, gap = dialog.chosen()
    assert (directed, weight, longest, in_time, gap) == (True, None, None, True,
                                                         timedelta(hours=3))
    assert chosen_ends == tuple(ends)
