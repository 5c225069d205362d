"""The Analysis menu on a stand-in window with the main window's attributes, on the Nov13
sample chart; results checked against networkx and undone with the undo stack."""

from __future__ import annotations

import networkx as nx
import pytest
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMainWindow, QMenu

from workbench.analysis import Measure
from workbench.io import load_chart
from workbench.model import Selection
from workbench.ui.analysis_actions import (
    CLUSTER_COLOURS,
    MAX_SIZE,
    MIN_SIZE,
    install_analysis_menu,
)
from workbench.ui.analysis_results import Job

from ..analysis.conftest import SAMPLE, random_chart


class StandInWindow(QMainWindow):
    """What the real main window exposes to the analysis menu."""

    chart_replaced = Signal()

    def __init__(self, chart) -> None:
        super().__init__()
        self.chart, self.selection = chart, Selection()
        self.undo_stack = QUndoStack(self)
        self.analysis_menu = self.menuBar().addMenu("&Analysis")
        self.docks = []

    def add_dock(self, dock, area) -> None:
        self.addDockWidget(area, dock)
        self.docks.append(dock)


@pytest.fixture
def window(qtbot):
    win = StandInWindow(load_chart(SAMPLE))
    qtbot.addWidget(win)
    return win


def label_of(chart, label):
    return next(e.id for e in chart.entities.values() if e.label == label)


def graph_of(chart):
    graph = nx.Graph()
    graph.add_nodes_from(chart.entities)
    graph.add_edges_from((lk.end1, lk.end2) for lk in chart.links.values())
    return graph


def test_the_menu_has_every_analysis(window):
    install_analysis_menu(window.analysis_menu, window)
    texts = [a.text().replace("&", "") for a in window.analysis_menu.actions() if a.text()]
    assert texts == ["Find Path...", "Find Connecting Network", "Find Clusters...",
                     "Social Network Measures...", "List Most Connected...",
                     "Copy Selection to New Chart..."]


def test_find_path_selects_the_shortest_path_and_copies_it(window, tmp_path):
    actions = install_analysis_menu(QMenu(), window)
    chart = window.chart
    a, b = label_of(chart, "Salah Abdeslam"), label_of(chart, "Oussama Atar")
    window.selection.set([a, b])
    [path] = actions.find_path()
    assert path.steps == nx.shortest_path_length(graph_of(chart), a, b)
    assert window.selection.entities == set(path.entities)
    assert window.selection.links == set(path.links)
    assert "Shortest path between" in window.statusBar().currentMessage()
    assert actions.copy_selection(str(tmp_path / "path.wbchart")) == len(path.entities)
    copied = load_chart(tmp_path / "path.wbchart")
    assert set(copied.links) == set(path.links)


def test_find_path_explains_what_is_missing(window):
    actions = install_analysis_menu(QMenu(), window)
    window.selection.set([label_of(window.chart, "Syria")])
    assert actions.find_path() == []
    assert "exactly two selected entities (1 selected)" in window.statusBar().currentMessage()
    a, b = label_of(window.chart, "Syria"), label_of(window.chart, "Salah Abdeslam")
    window.selection.set([a, b])
    assert actions.find_path(directed=True, all_up_to=1) == []
    assert "No path between" in window.statusBar().currentMessage()


def test_connecting_network_selects_what_ties_the_entities(window):
    actions = install_analysis_menu(QMenu(), window)
    chosen = {label_of(window.chart, n) for n in ("Salah Abdeslam", "Oussama Atar", "Syria")}
    window.selection.set(chosen)
    result = actions.find_connecting_network()
    assert chosen <= window.selection.entities == set(result.entities)
    assert nx.is_connected(graph_of(window.chart).subgraph(result.entities))


def test_clusters_colour_the_chart_in_one_undo_step(qtbot, window):
    actions = install_analysis_menu(QMenu(), window)
    with qtbot.waitSignal(actions.applied, timeout=10000) as blocker:
        actions.find_clusters(Measure.LOUVAIN)
    result = blocker.args[0]
    chart = window.chart
    biggest = [e for e, c in result.values.items() if c == 1]
    assert all(chart.entities[e].style.colour == CLUSTER_COLOURS[0] for e in biggest)
    assert all(chart.entities[e].attributes["Cluster"].value == 1 for e in biggest)
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert all(chart.entities[e].style.colour is None for e in biggest)
    assert all("Cluster" not in chart.entities[e].attributes for e in biggest)


def test_betweenness_is_written_sized_and_listed(qtbot, window):
    actions = install_analysis_menu(QMenu(), window)
    with qtbot.waitSignal(actions.applied, timeout=10000):
        actions.measure(Measure.BETWEENNESS)
    chart = window.chart
    expected = nx.betweenness_centrality(graph_of(chart))
    top = max(expected, key=expected.get)
    assert chart.entities[top].attributes["Betweenness"].value == pytest.approx(expected[top])
    assert chart.entities[top].style.size == MAX_SIZE
    isolated = next(e for e, v in expected.items() if v == 0)
    assert chart.entities[isolated].style.size == MIN_SIZE
    dock = actions.docks["Betweenness"]
    assert dock in window.docks and dock.model.rowCount() == len(chart.entities)
    assert dock.entity_at(0) == top
    window.show()
    qtbot.waitExposed(window)
    cell = dock.table.visualRect(dock.proxy.index(0, 0)).center()
    qtbot.mouseClick(dock.table.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, cell)
    assert window.selection.entities == {top}
    # sort by name with the header, as an analyst would
    dock.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    first = dock.proxy.index(0, 0).data()
    assert first == min((e.label for e in chart.entities.values()), key=str.casefold)


def test_list_most_connected(window):
    actions = install_analysis_menu(QMenu(), window)
    dock = actions.list_most_connected()
    assert dock.proxy.index(0, 0).data() == "Abdelhamid Abaaoud"
    chart = window.chart
    top = dock.entity_at(0)
    assert int(dock.proxy.index(0, 2).data()) == len(chart.links_of(top))


def test_most_connected_weighted_by_a_number_on_links(window):
    from workbench.model import Kind, Value

    chart = window.chart
    syria = label_of(chart, "Syria")
    for number, link in enumerate(chart.links_of(syria)):
        chart.update_link(link.id, attributes={"Victims": Value(Kind.NUMBER, number)})
    actions = install_analysis_menu(QMenu(), window)
    dock = actions.list_most_connected(weight="Victims")
    assert dock.entity_at(0) == syria
    assert dock.proxy.index(0, 2).data() == f"{sum(range(len(chart.links_of(syria)))):,}"
    assert dock.model.horizontalHeaderItem(2).text() == "Sum of Victims"


def test_a_long_measure_runs_off_the_gui_thread_and_can_be_cancelled(qtbot):
    window = StandInWindow(random_chart(6000, 9000))
    qtbot.addWidget(window)
    actions = install_analysis_menu(QMenu(), window)
    job = actions.measure(Measure.BETWEENNESS)
    assert isinstance(job, Job)
    with qtbot.waitSignal(job.cancelled, timeout=20000):
        job.cancel()
    assert window.undo_stack.count() == 0
    assert all("Betweenness" not in e.attributes for e in window.chart.entities.values())
    assert "cancelled" in window.statusBar().currentMessage()


def test_sampled_betweenness_says_so_in_the_list(qtbot):
    window = StandInWindow(random_chart(6000, 9000))
    qtbot.addWidget(window)
    actions = install_analysis_menu(QMenu(), window)
    with qtbot.waitSignal(actions.applied, timeout=30000) as blocker:
        actions.measure(Measure.BETWEENNESS)
    assert blocker.args[0].approximate
    dock = actions.docks["Betweenness"]
    assert dock.note.text().startswith("Approximate: estimated from 1,000 sampled entities")
    assert not dock.note.isHidden()
    assert "estimated from 1,000 sampled" in window.statusBar().currentMessage()
