"""The Analysis menu on a stand-in window with the main window's attributes, on the Nov13
sample chart; results checked against networkx and undone with the undo stack."""

from __future__ import annotations

import itertools
import time

import networkx as nx
import pytest
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialogButtonBox,
    QMainWindow,
    QMenu,
    QProgressDialog,
    QPushButton,
)

from workbench.analysis import Measure
from workbench.analysis.colour_ramp import ramp_for
from workbench.io import load_chart
from workbench.model import Direction, Selection
from workbench.ui.dialogs.analysis_dialogs import MeasureDialog
from workbench.ui.docks.analysis_results import Job
from workbench.ui.window.analysis_actions import (
    CLUSTER_COLOURS,
    MAX_SIZE,
    MEASURES,
    MIN_SIZE,
    install_analysis_menu,
)

from ...analysis.conftest import SAMPLE, random_chart


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


def digraph_of(chart):
    """Arrows as drawn; a link without direction is a tie both ways."""
    graph = nx.DiGraph()
    graph.add_nodes_from(chart.entities)
    for lk in chart.links.values():
        if lk.end1 == lk.end2:
            continue
        pairs = ([(lk.end1, lk.end2), (lk.end2, lk.end1)] if lk.direction is Direction.NONE
                 else lk.arrow_pairs())
        graph.add_edges_from(pairs)
    return graph


def test_the_menu_has_every_analysis(window):
    install_analysis_menu(window.analysis_menu, window)
    texts = [a.text().replace("&", "") for a in window.analysis_menu.actions() if a.text()]
    assert texts == ["Find Path...", "Find Connecting Network", "Find Clusters...",
                     "Social Network Measures...", "List Most Connected...",
                     "Copy Selection to New Chart..."]


def test_find_path_selects_the_shortest_path_and_copies_it(qtbot, window, tmp_path):
    actions = install_analysis_menu(QMenu(), window)
    chart = window.chart
    a, b = label_of(chart, "Salah Abdeslam"), label_of(chart, "Oussama Atar")
    window.selection.set([a, b])
    with qtbot.waitSignal(actions.paths_found, timeout=10000) as found:
        actions.find_path()
    [path] = found.args[0]
    assert path.steps == nx.shortest_path_length(graph_of(chart), a, b)
    assert window.selection.entities == set(path.entities)
    assert window.selection.links == set(path.links)
    assert "Shortest path between" in window.statusBar().currentMessage()
    assert actions.copy_selection(str(tmp_path / "path.wbchart")) == len(path.entities)
    copied = load_chart(tmp_path / "path.wbchart")
    assert set(copied.links) == set(path.links)


def test_find_path_explains_what_is_missing(qtbot, window):
    actions = install_analysis_menu(QMenu(), window)
    window.selection.set([label_of(window.chart, "Syria")])
    assert actions.find_path() is None
    assert "select exactly two (1 entity selected)" in window.statusBar().currentMessage()
    a, b = label_of(window.chart, "Syria"), label_of(window.chart, "Salah Abdeslam")
    window.selection.set([a, b])
    with qtbot.waitSignal(actions.paths_found, timeout=10000) as found:
        actions.find_path(directed=True, all_up_to=1)
    assert found.args[0] == []
    assert "No path between" in window.statusBar().currentMessage()
    assert window.selection.entities == {a, b}  # left as the analyst chose it


def test_connecting_network_selects_what_ties_the_entities(qtbot, window):
    actions = install_analysis_menu(QMenu(), window)
    chosen = {label_of(window.chart, n) for n in ("Salah Abdeslam", "Oussama Atar", "Syria")}
    window.selection.set(chosen)
    with qtbot.waitSignal(actions.network_found, timeout=10000) as found:
        actions.find_connecting_network()
    result = found.args[0]
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


def test_betweenness_is_written_sized_and_listed_without_colour(qtbot, window):
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
    assert chart.entities[top].style.colour is None  # size only, as asked
    dock = actions.docks["Betweenness"]
    assert dock in window.docks and dock.model.rowCount() == len(chart.entities)
    assert dock.entity_at(0) == top
    assert dock.legend.isHidden()
    assert "Link direction ignored." in dock.note.text()
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


def test_measure_as_colour_and_size_in_one_undo_step_with_a_legend(qtbot, window):
    actions = install_analysis_menu(QMenu(), window)
    chart = window.chart
    before = {e.id: e.style for e in chart.entities.values()}
    with qtbot.waitSignal(actions.applied, timeout=10000) as blocker:
        actions.measure(Measure.DEGREE, size=True, colour=True)
    result = blocker.args[0]
    ramp = ramp_for(result.values.values())
    top, _ = result.ranked()[0]
    low = min(result.values, key=result.values.get)
    assert chart.entities[top].style.colour == ramp.colour(ramp.high) == "#440154"
    assert chart.entities[top].style.size == MAX_SIZE
    assert chart.entities[low].style.colour == ramp.colour(ramp.low)
    assert all(chart.entities[e].style.colour == ramp.colour(v)
               for e, v in result.values.items())
    assert window.undo_stack.count() == 1
    dock = actions.docks["Degree"]
    assert not dock.legend.isHidden() and not dock.legend_bar.isHidden()
    assert dock.legend.text().startswith(
        f"Colour shows Degree: light green = lowest ({int(ramp.low)})")
    assert f"dark purple = highest ({int(ramp.high)})" in dock.legend.text()
    assert "shown as size and colour" in window.statusBar().currentMessage()
    window.undo_stack.undo()
    assert {e.id: e.style for e in chart.entities.values()} == before
    assert all("Degree" not in e.attributes for e in chart.entities.values())


def test_measure_as_colour_only_leaves_sizes(qtbot, window):
    actions = install_analysis_menu(QMenu(), window)
    with qtbot.waitSignal(actions.applied, timeout=10000):
        actions.measure(Measure.CLOSENESS, size=False, colour=True)
    styles = [e.style for e in window.chart.entities.values()]
    assert all(s.size is None for s in styles)
    assert len({s.colour for s in styles}) > 5


def test_directed_measures_say_so(qtbot, window):
    actions = install_analysis_menu(QMenu(), window)
    with qtbot.waitSignal(actions.applied, timeout=10000) as blocker:
        actions.measure(Measure.BETWEENNESS, directed=True)
    assert blocker.args[0].directed
    dock = actions.docks["Betweenness (directed)"]
    assert "Follows link direction: paths following the arrows." in dock.note.text()
    assert "Followed link direction" in window.statusBar().currentMessage()
    with qtbot.waitSignal(actions.applied, timeout=10000) as blocker:
        actions.measure(Measure.IN_DEGREE)
    result = blocker.args[0]
    expected = digraph_of(window.chart).in_degree()
    assert all(result.values[e] == d for e, d in expected)
    top = result.ranked()[0][0]
    assert window.chart.entities[top].attributes["In-degree"].value == expected[top]
    assert "links pointing in" in actions.docks["In-degree"].note.text()


def test_measure_dialog_offers_direction_only_where_it_means_something(qtbot, window):
    dialog = MeasureDialog(MEASURES, window)
    qtbot.addWidget(dialog)
    assert dialog.chosen_measure() is Measure.BETWEENNESS
    assert dialog.direction_box.isEnabled() and not dialog.direction_box.isChecked()
    assert dialog.size_box.isChecked() and dialog.colour_box.isChecked()
    dialog.measure_box.setCurrentIndex(MEASURES.index(Measure.OUT_DEGREE))
    assert dialog.direction_box.isChecked() and not dialog.direction_box.isEnabled()
    dialog.measure_box.setCurrentIndex(MEASURES.index(Measure.EIGENVECTOR))
    assert not dialog.direction_box.isChecked() and not dialog.direction_box.isEnabled()
    assert "no directed form" in dialog.direction_box.toolTip()
    dialog.measure_box.setCurrentIndex(MEASURES.index(Measure.CLOSENESS))
    assert dialog.direction_box.isEnabled()
    assert "steps an entity needs" in dialog.about.text()


def test_measure_from_the_menu_dialog(qtbot, window):
    """The dialog's choices reach the chart: closeness, following direction, colour only."""
    actions = install_analysis_menu(QMenu(), window)

    def choose() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, MeasureDialog) and w.isVisible())
        dialog.measure_box.setCurrentIndex(MEASURES.index(Measure.CLOSENESS))
        dialog.direction_box.setChecked(True)
        dialog.size_box.setChecked(False)
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)

    QTimer.singleShot(200, choose)
    with qtbot.waitSignal(actions.applied, timeout=10000) as blocker:
        actions.ask_measure()
    assert blocker.args[0].attribute == "Closeness (directed)"
    entity = next(iter(window.chart.entities.values()))
    assert "Closeness (directed)" in entity.attributes
    assert entity.style.size is None and entity.style.colour is not None


def big_window(qtbot, entities=10000, links=20000):
    window = StandInWindow(random_chart(entities, links))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_connecting_network_runs_off_the_gui_thread_and_cancel_changes_nothing(qtbot):
    window = big_window(qtbot)
    chart = window.chart
    chosen = {f"e{i}" for i in range(0, 10000, 250)}  # 40 entities, 780 pairs: many seconds
    window.selection.set(chosen)
    before = chart.content()
    actions = install_analysis_menu(QMenu(), window)
    started = time.perf_counter()
    job = actions.find_connecting_network()
    assert isinstance(job, Job)
    reported: list[tuple[int, int]] = []
    job.progressed.connect(lambda done, total: reported.append((done, total)))
    progress = window.findChild(QProgressDialog)
    qtbot.waitUntil(progress.isVisible, timeout=5000)  # the GUI thread is free to show it
    assert progress.labelText().startswith("Finding what connects 40 entities (780 pairs)")
    with qtbot.waitSignal(job.cancelled, timeout=10000):
        qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)
    assert time.perf_counter() - started < 12  # all 780 pairs take 15 s or more
    assert reported and reported[-1][0] < reported[-1][1] == 780  # stopped part way
    assert window.selection.entities == chosen and not window.selection.links
    assert chart.content() == before and window.undo_stack.count() == 0
    assert "cancelled; nothing changed" in window.statusBar().currentMessage()
    job.wait(5)


def test_find_path_on_a_big_chart_off_the_gui_thread(qtbot):
    window = big_window(qtbot)
    actions = install_analysis_menu(QMenu(), window)
    window.selection.set(["e1", "e9999"])
    with qtbot.waitSignal(actions.paths_found, timeout=20000) as found:
        assert isinstance(actions.find_path(), Job)
    [path] = found.args[0]
    graph = graph_of(window.chart)
    assert path.steps == nx.shortest_path_length(graph, "e1", "e9999")
    assert window.selection.entities == set(path.entities)
    # cancelled at once: selection stays
    window.selection.set(["e1", "e9999"])
    job = actions.find_path(all_up_to=6)
    with qtbot.waitSignal(job.cancelled, timeout=10000):
        job.cancel()
    assert window.selection.entities == {"e1", "e9999"} and not window.selection.links


def test_a_chart_edited_while_the_analysis_runs_is_left_alone(qtbot):
    window = big_window(qtbot, 6000, 9000)
    actions = install_analysis_menu(QMenu(), window)
    job = actions.measure(Measure.BETWEENNESS)
    window.chart.remove_links(["l0"])  # the analyst deletes a link meanwhile
    with qtbot.waitSignal(job.finished, timeout=30000):
        pass
    assert window.undo_stack.count() == 0
    assert all("Betweenness" not in e.attributes for e in window.chart.entities.values())
    assert "changed while the analysis ran" in window.statusBar().currentMessage()


def test_entities_coloured_by_a_formatting_rule_are_named_in_the_note(qtbot, window):
    """The sample colours attackers red with a rule; rules win over analysis colours, and the
    list says so rather than leaving the analyst to wonder."""
    from workbench.model.formatting import evaluate_all

    ruled = sum(1 for f in evaluate_all(window.chart).values() if f.colour or f.size)
    assert ruled > 0
    actions = install_analysis_menu(QMenu(), window)
    with qtbot.waitSignal(actions.applied, timeout=10000):
        actions.measure(Measure.DEGREE, colour=True)
    assert f"{ruled:,} entities keep the colour or size of conditional formatting " \
        "('Attackers')" in actions.docks["Degree"].note.text()


def test_one_analysis_at_a_time_and_the_dialog_says_which_form_runs(qtbot):
    window = big_window(qtbot, 6000, 9000)
    actions = install_analysis_menu(QMenu(), window)
    job = actions.measure(Measure.CLOSENESS, directed=True)
    progress = window.findChild(QProgressDialog)
    assert progress.labelText().startswith(
        "Closeness, following link direction (steps along the arrows")
    assert "Computing Closeness, following link direction" in \
        window.statusBar().currentMessage()
    window.selection.set(["e1", "e2"])
    assert actions.find_path() is None
    assert "still running" in window.statusBar().currentMessage()
    with qtbot.waitSignal(job.cancelled, timeout=10000):
        job.cancel()
    with qtbot.waitSignal(actions.paths_found, timeout=10000):
        assert actions.find_path() is not None


def test_find_path_from_the_menu_dialog_follows_direction(qtbot, window):
    """Analysis > Find Path...: the dialog's direction choice reaches the search."""
    actions = install_analysis_menu(window.analysis_menu, window)
    chart = window.chart
    a, b = label_of(chart, "Salah Abdeslam"), label_of(chart, "Oussama Atar")
    window.selection.set([a, b])

    def choose() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets()
                      if w.windowTitle() == "Find Path" and w.isVisible())
        dialog.findChild(QCheckBox).setChecked(True)
        dialog.findChild(QDialogButtonBox).button(
            QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(200, choose)
    find = next(x for x in window.analysis_menu.actions() if x.text() == "Find &Path...")
    with qtbot.waitSignal(actions.paths_found, timeout=10000) as found:
        find.trigger()
    arrows = digraph_of(chart)
    expected = min(nx.shortest_path_length(arrows, s, t) for s, t in ((a, b), (b, a))
                   if nx.has_path(arrows, s, t))
    [path] = found.args[0]
    assert path.steps == expected
    assert window.selection.entities == set(path.entities)
    for x, y in itertools.pairwise(path.entities):  # every step along an arrow
        assert arrows.has_edge(x, y)


def test_find_path_dialog_names_its_ends_and_finds_them_by_part_of_a_name(qtbot, window):
    from workbench.ui.dialogs.analysis_dialogs import FindPathDialog

    chart = window.chart
    atar, baghdadi = label_of(chart, "Oussama Atar"), label_of(chart, "Abu Bakr al-Baghdadi")
    dialog = FindPathDialog(chart, [], [atar])  # one entity selected: the start is filled in
    qtbot.addWidget(dialog)
    dialog.show()
    form = dialog.layout()
    assert form.labelForField(dialog.start).text().replace("&", "") == "From"
    assert form.labelForField(dialog.end).text().replace("&", "") == "To"
    assert dialog.start.currentText() == "Oussama Atar  (Person)"
    assert dialog.end.currentText() == ""
    dialog.accept()  # no end yet: the dialog says so and stays open
    assert dialog.problem.isVisible() and "goes to" in dialog.problem.text()
    qtbot.keyClicks(dialog.end.lineEdit(), "al-bagh")
    completions = dialog.end.completer().completionModel()
    found = [completions.index(r, 0).data() for r in range(completions.rowCount())]
    assert found == ["Abu Bakr al-Baghdadi  (Person)"]
    dialog.end.lineEdit().setText(found[0])
    with qtbot.waitSignal(dialog.accepted):
        dialog.accept()
    directed, weight, longest, ends, in_time, gap = dialog.chosen()
    assert ends == (atar, baghdadi) and (directed, weight, longest) == (False, None, None)
    assert (in_time, gap) == (False, None)  # a plain path unless asked for one in time


def test_find_path_between_picked_ends_reads_in_english(qtbot, window):
    actions = install_analysis_menu(QMenu(), window)
    chart = window.chart
    atar, baghdadi = label_of(chart, "Oussama Atar"), label_of(chart, "Abu Bakr al-Baghdadi")
    assert not window.selection  # the ends come from the dialog, not the selection
    with qtbot.waitSignal(actions.paths_found, timeout=10000):
        actions.find_path(ends=(atar, baghdadi))
    message = window.statusBar().currentMessage()
    assert "Oussama Atar and Abu Bakr al-Baghdadi: 1 link, selected" in message
    assert window.selection.entities == {atar, baghdadi}
