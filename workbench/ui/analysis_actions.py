"""The Analysis menu: Find Path, Find Connecting Network, Find Clusters, Social Network
Measures, List Most Connected, and Copy Selection to New Chart.

Every result drives the chart: paths and networks become the selection; clusters and measures
become entity attributes (one ``SetAttributesCommand``) and colours or sizes (``UpdateItem``
commands), all in one undo macro so one Ctrl+Z takes the whole analysis back. Measures and
clusters run off the GUI thread on a snapshot of the graph, with progress and Cancel.

``install_analysis_menu(menu, window)`` needs a window with ``chart``, ``selection``,
``undo_stack`` and ``add_dock(dock, area)``; ``chart_replaced`` is followed when present.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSpinBox,
)

from workbench.analysis import (
    AnalysisError,
    GraphOptions,
    Measure,
    MeasureResult,
    PathResult,
    all_simple_paths,
    connecting_network,
    hot_spots,
    shortest_path,
)
from workbench.analysis.fields import Target, attribute_names
from workbench.analysis.measures import DESCRIPTION, compute_on, simple_graph
from workbench.analysis.subchart import subchart
from workbench.io import save_chart
from workbench.model import Kind
from workbench.ui.analysis_results import Job, ResultListDock, run_with_progress
from workbench.ui.commands import SetAttributesCommand, UpdateItemCommand

#: Cluster colours: distinct, print-safe; clusters of one entity stay grey.
CLUSTER_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                   "#e377c2", "#17becf", "#bcbd22", "#393b79", "#ad494a", "#637939")
LONE_COLOUR = "#9aa5b1"
MIN_SIZE, MAX_SIZE = 1.0, 3.0  # entity size factors for a measure, lowest to highest
MEASURES = (Measure.DEGREE, Measure.BETWEENNESS, Measure.CLOSENESS, Measure.EIGENVECTOR,
            Measure.KCORE, Measure.COMPONENT)


def install_analysis_menu(menu: QMenu, window: QMainWindow) -> AnalysisActions:
    actions = AnalysisActions(window)
    menu.addAction("Find &Path...", actions.ask_find_path)
    menu.addAction("Find &Connecting Network", actions.find_connecting_network)
    menu.addAction("Find Clu&sters...", actions.ask_find_clusters)
    menu.addAction("Social &Network Measures...", actions.ask_measure)
    menu.addAction("List &Most Connected...", actions.ask_most_connected)
    menu.addSeparator()
    menu.addAction("Copy Selection to &New Chart...", actions.ask_copy_selection)
    return actions


class AnalysisActions(QObject):
    """The menu's actions as methods a script or test can call with plain arguments."""

    message = Signal(str)  # what happened, also shown in the status bar
    applied = Signal(object)  # a MeasureResult once it is on the chart

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.docks: dict[str, ResultListDock] = {}
        self.job: Job | None = None
        replaced = getattr(window, "chart_replaced", None)
        if replaced is not None:
            replaced.connect(self._chart_replaced)

    # ----- paths ---------------------------------------------------------------------------
    def find_path(self, directed: bool = False, weight: str | None = None,
                  all_up_to: int | None = None) -> list[PathResult]:
        """Between the two selected entities; selects the path(s) found."""
        chart, selection = self.window.chart, self.window.selection
        ends = sorted(selection.entities)
        if len(ends) != 2:
            self._say(f"Find Path needs exactly two selected entities ({len(ends)} selected).")
            return []
        options = GraphOptions(directed=directed, weight=weight)
        a, b = ends
        try:
            if all_up_to:
                paths = all_simple_paths(chart, a, b, all_up_to, options)
                if directed:
                    paths += all_simple_paths(chart, b, a, all_up_to, options)
            else:
                found = [p for p in (shortest_path(chart, a, b, options),
                                     shortest_path(chart, b, a, options) if directed else None)
                         if p is not None]
                paths = sorted(found, key=lambda p: (p.cost, p.steps))[:1]
        except AnalysisError as exc:
            self._say(str(exc))
            return []
        names = f"{chart.entities[a].label} and {chart.entities[b].label}"
        if not paths:
            how = " following link direction" if directed else ""
            self._say(f"No path between {names}{how}.")
            return []
        selection.set({e for p in paths for e in p.entities}, {lk for p in paths for lk in
                                                              p.links})
        notes = " ".join(n for p in paths for n in p.notes)
        if all_up_to:
            self._say(f"{len(paths):,} paths of up to {all_up_to} links between {names} "
                      f"selected. {notes}".strip())
        else:
            cost = f", cost {paths[0].cost:g}" if weight else ""
            self._say(f"Shortest path between {names}: {paths[0].steps} links{cost}, selected. "
                      "Copy Selection to New Chart keeps it.")
        return paths

    def find_connecting_network(self, directed: bool = False) -> PathResult | None:
        chart, selection = self.window.chart, self.window.selection
        try:
            result = connecting_network(chart, selection.entities, GraphOptions(directed))
        except AnalysisError as exc:
            self._say(str(exc))
            return None
        selection.set(result.entities, result.links)
        self._say(f"Connecting network: {len(result.entities):,} entities and "
                  f"{len(result.links):,} links selected. " + " ".join(result.notes))
        return result

    # ----- clusters and measures (off the GUI thread) -----------------------------------
    def find_clusters(self, method: Measure = Measure.LOUVAIN, colour: bool = True) -> Job:
        return self._run_measure(Measure(method), colour=colour, size=False)

    def measure(self, measure: Measure | str, size: bool = True, exact: bool = False) -> Job:
        return self._run_measure(Measure(measure), colour=False, size=size, exact=exact)

    def _run_measure(self, measure: Measure, *, colour: bool, size: bool,
                     exact: bool = False) -> Job:
        chart = self.window.chart
        graph, ids = simple_graph(chart)  # snapshot here, on the GUI thread

        def work(progress: Any) -> MeasureResult:
            return compute_on(graph, ids, measure, exact=exact, progress=progress)

        def done(result: MeasureResult) -> None:
            if self.window.chart is not chart:
                self._say("The chart was replaced while the analysis ran; nothing applied.")
                return
            self._apply(result, colour=colour, size=size)

        self._say(f"Computing {DESCRIPTION[measure].split(':')[0]}...")
        self.job = run_with_progress(self.window, DESCRIPTION[measure], work, done,
                                     lambda m: self._say(f"Analysis failed: {m}"))
        self.job.cancelled.connect(lambda: self._say("Analysis cancelled; nothing changed."))
        return self.job

    def _apply(self, result: MeasureResult, *, colour: bool, size: bool) -> None:
        chart, stack = self.window.chart, self.window.undo_stack
        values = {e: v for e, v in result.attribute_values().items() if e in chart.entities}
        stack.beginMacro(f"{result.attribute} ({result.measure.value})")
        stack.push(SetAttributesCommand(chart, values, text=f"Set {result.attribute}"))
        if colour:
            sizes: dict[float, int] = {}
            for number in result.values.values():
                sizes[number] = sizes.get(number, 0) + 1
            for entity_id in values:
                group = result.values[entity_id]
                hue = (CLUSTER_COLOURS[(int(group) - 1) % len(CLUSTER_COLOURS)]
                       if sizes[group] > 1 else LONE_COLOUR)
                self._restyle(entity_id, colour=hue)
        if size:
            top = max(result.values.values(), default=0) or 1.0
            for entity_id in values:
                share = max(result.values[entity_id], 0) / top
                self._restyle(entity_id, size=round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * share, 2))
        stack.endMacro()
        if result.measure in MEASURES or not colour:
            self._show_measure(result)
        groups = len(set(result.values.values()))
        what = f"{groups:,} clusters coloured" if colour else f"{result.attribute} written"
        self._say(f"{what} on {len(values):,} entities. {result.note}".strip())
        self.applied.emit(result)

    def _restyle(self, entity_id: str, **changes: Any) -> None:
        entity = self.window.chart.entities[entity_id]
        style = dataclasses.replace(entity.style, **changes)
        if style != entity.style:
            self.window.undo_stack.push(
                UpdateItemCommand(self.window.chart, entity_id, {"style": style}))

    def _show_measure(self, result: MeasureResult) -> None:
        chart = self.window.chart
        rows = [(e, chart.entities[e].label, chart.entities[e].type, v)
                for e, v in result.ranked() if e in chart.entities]
        note = ("Approximate: " + result.note) if result.approximate else ""
        self._dock(result.attribute).set_rows(["Entity", "Type", result.attribute], rows, note)

    # ----- lists ---------------------------------------------------------------------------
    def list_most_connected(self, weight: str | None = None,
                            top: int | None = None) -> ResultListDock:
        """Entities by number of links, or by the sum of a number attribute over their links
        (victims, amounts): the hot spots."""
        chart = self.window.chart
        spots = hot_spots(chart, weight=weight, top=top)
        dock = self._dock("Most connected")
        if weight:
            rows = [(s.entity_id, s.label, s.type, s.score, s.links, s.neighbours)
                    for s in spots]
            dock.set_rows(["Entity", "Type", f"Sum of {weight}", "Links", "Linked entities"],
                          rows)
        else:
            rows = [(s.entity_id, s.label, s.type, s.links, s.neighbours) for s in spots]
            dock.set_rows(["Entity", "Type", "Links", "Linked entities"], rows)
        order = f"highest {weight} first" if weight else "most links first"
        self._say(f"Most connected: {len(rows):,} entities listed, {order}.")
        return dock

    def _dock(self, name: str) -> ResultListDock:
        dock = self.docks.get(name)
        if dock is None:
            dock = ResultListDock(name, self.window.chart, self.window.selection, self.window)
            self.docks[name] = dock
            self.window.add_dock(dock, Qt.DockWidgetArea.RightDockWidgetArea)
        dock.chart = self.window.chart
        dock.show()
        return dock

    # ----- copy ----------------------------------------------------------------------------
    def copy_selection(self, path: str) -> int:
        """Save the selected entities and the selected links between them as a new chart."""
        chart, selection = self.window.chart, self.window.selection
        if not selection.entities:
            self._say("Select the entities to copy first (a path, a network).")
            return 0
        part = subchart(chart, sorted(selection.entities), sorted(selection.links),
                        title=f"{chart.title}: selection")
        save_chart(part, path)
        self._say(f"{len(part.entities):,} entities and {len(part.links):,} links saved to "
                  f"{path}.")
        return len(part.entities)

    # ----- dialogs -------------------------------------------------------------------------
    def ask_find_path(self) -> None:
        dialog = QDialog(self.window)
        dialog.setWindowTitle("Find Path")
        form = QFormLayout(dialog)
        directed = QCheckBox("Follow link direction")
        weight = QComboBox()
        weight.addItem("Number of links (no weight)", None)
        for name in sorted(numeric_link_attributes(self.window.chart)):
            weight.addItem(f"Sum of {name}", name)
        longest = QSpinBox()
        longest.setRange(0, 10)
        longest.setSpecialValueText("Shortest path only")
        longest.setPrefix("All paths up to ")
        longest.setSuffix(" links")
        form.addRow(directed)
        form.addRow("Path length", weight)
        form.addRow("Paths", longest)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form.addRow(buttons)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.find_path(directed.isChecked(), weight.currentData(), longest.value() or None)

    def ask_find_clusters(self) -> None:
        names = ["Louvain (densely linked groups)", "Label propagation (faster, rougher)"]
        choice, ok = QInputDialog.getItem(self.window, "Find Clusters", "Method", names, 0,
                                          False)
        if ok:
            self.find_clusters(Measure.LOUVAIN if choice == names[0]
                               else Measure.LABEL_PROPAGATION)

    def ask_measure(self) -> None:
        names = [DESCRIPTION[m] for m in MEASURES]
        choice, ok = QInputDialog.getItem(self.window, "Social Network Measures",
                                          "Measure (written as an attribute, shown as size)",
                                          names, 1, False)
        if ok:
            self.measure(MEASURES[names.index(choice)])

    def ask_most_connected(self) -> None:
        weights = sorted(numeric_link_attributes(self.window.chart), key=str.casefold)
        if not weights:
            self.list_most_connected()
            return
        names = ["Number of links", *[f"Sum of {w} over the links" for w in weights]]
        choice, ok = QInputDialog.getItem(self.window, "List Most Connected", "Rank by", names,
                                          0, False)
        if ok:
            index = names.index(choice)
            self.list_most_connected(weights[index - 1] if index else None)

    def ask_copy_selection(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, "Copy Selection to New Chart",
                                              "selection.wbchart", "Workbench charts "
                                              "(*.wbchart)")
        if path:
            try:
                self.copy_selection(path)
            except OSError as exc:
                QMessageBox.warning(self.window, "Cannot save", str(exc))

    # ----- plumbing ------------------------------------------------------------------------
    def _say(self, text: str) -> None:
        status = getattr(self.window, "statusBar", None)
        if status is not None:
            status().showMessage(text, 15000)
        self.message.emit(text)

    def _chart_replaced(self, *args: object) -> None:
        for dock in self.docks.values():
            dock.chart = self.window.chart
            dock.set_rows([], [])
            dock.hide()


def numeric_link_attributes(chart: Any) -> set[str]:
    return {name for name in attribute_names(chart, Target.LINKS)
            if any(lk.attributes.get(name) is not None
                   and lk.attributes[name].kind is Kind.NUMBER for lk in chart.links.values())}
