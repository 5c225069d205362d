"""The Analysis menu: Find Path, Find Connecting Network, Find Clusters, Social Network
Measures, List Most Connected, and Copy Selection to New Chart.

Every result drives the chart: paths and networks become the selection; clusters and measures
become entity attributes (one ``SetAttributesCommand``) and colours (a cluster palette, or a
viridis ramp for a measure) or sizes (``UpdateItem`` commands), all in one undo macro so one
Ctrl+Z takes the whole analysis back. Every analysis runs off the GUI thread on a plain
snapshot of the graph taken on the GUI thread, with progress and Cancel; the result is applied
on the GUI thread, and not at all if the chart was replaced or its links changed meanwhile.

``install_analysis_menu(menu, window)`` needs a window with ``chart``, ``selection``,
``undo_stack`` and ``add_dock(dock, area)``; ``chart_replaced`` is followed when present.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QInputDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
)

from workbench.analysis import AnalysisError, GraphOptions, Measure, MeasureResult, hot_spots
from workbench.analysis.colour_ramp import ColourRamp, ramp_for
from workbench.analysis.graph import snapshot
from workbench.analysis.measures import (
    DESCRIPTION,
    DIRECTED_MEANING,
    compute_on,
    needs_direction,
    simple_graph,
)
from workbench.analysis.paths import (
    PathResult,
    all_simple_paths_in,
    connecting_network_in,
    entity_name,
    shortest_path_in,
)
from workbench.analysis.subchart import subchart
from workbench.io import save_chart
from workbench.ui.commands import SetAttributesCommand, UpdateItemCommand
from workbench.ui.dialogs.analysis_dialogs import FindPathDialog, MeasureDialog
from workbench.ui.docks.analysis_results import (
    CLUSTER_COLOURS,
    MAX_SIZE,
    MIN_SIZE,
    ChartWatch,
    Job,
    ResultListDock,
    numeric_link_attributes,
    ruled_by_formatting,
    run_with_progress,
    style_changes,
)
from workbench.ui.window.time_path_search import Gap, forward_in_time
from workbench.ui.wording import plural

__all__ = ["CLUSTER_COLOURS", "MAX_SIZE", "MEASURES", "MIN_SIZE", "AnalysisActions",
           "install_analysis_menu"]

MEASURES = (Measure.DEGREE, Measure.IN_DEGREE, Measure.OUT_DEGREE, Measure.BETWEENNESS,
            Measure.CLOSENESS, Measure.EIGENVECTOR, Measure.KCORE, Measure.COMPONENT)


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
    paths_found = Signal(object)  # list[PathResult] once selected (empty: no path)
    network_found = Signal(object)  # the connecting network's PathResult once selected

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.docks: dict[str, ResultListDock] = {}
        self.job: Job | None = None
        self.busy = False  # an analysis is running (set and cleared on the GUI thread)
        replaced = getattr(window, "chart_replaced", None)
        if replaced is not None:
            replaced.connect(self._chart_replaced)

    # ----- paths (off the GUI thread) ------------------------------------------------------
    def find_path(self, directed: bool = False, weight: str | None = None,
                  all_up_to: int | None = None, ends: tuple[str, str] | None = None,
                  in_time: bool = False, max_gap: Gap = None) -> Job | None:
        """Between ``ends`` (two entity ids), or the two selected entities; selects the
        path(s) found off the GUI thread (``paths_found``); ``in_time``: only forward in
        time, each step at most ``max_gap`` after the one before. None if it cannot start."""
        chart, selection = self.window.chart, self.window.selection
        picked = list(ends) if ends is not None else sorted(selection.entities)
        if len(picked) != 2 or not all(e in chart.entities for e in picked):
            self._say("Find Path needs two entities: pick them in the dialog or select "
                      f"exactly two ({plural(len(selection.entities), 'entity')} selected).")
            return None
        a, b = picked
        if in_time:  # its own search: workbench.ui.window.time_path_search
            return self._start(*forward_in_time(self, (a, b), directed, all_up_to, max_gap))
        try:
            snap = snapshot(chart, GraphOptions(directed=directed, weight=weight))
        except AnalysisError as exc:
            self._say(str(exc))
            return None
        names = f"{chart.entities[a].label} and {chart.entities[b].label}"

        def work(progress: Any) -> list[PathResult]:
            graph = snap.graph()
            if all_up_to:
                paths = all_simple_paths_in(graph, a, b, all_up_to, progress=progress)
                if directed:
                    paths += all_simple_paths_in(graph, b, a, all_up_to, progress=progress)
                return paths
            found = [shortest_path_in(graph, a, b, bool(weight), progress)]
            if directed:
                found.append(shortest_path_in(graph, b, a, bool(weight), progress))
            return sorted((p for p in found if p is not None),
                          key=lambda p: (p.cost, p.steps))[:1]

        def done(paths: list[PathResult]) -> None:
            if not paths:
                how = " following link direction" if directed else ""
                self._say(f"No path between {names}{how}.")
            else:
                selection.set({e for p in paths for e in p.entities},
                              {lk for p in paths for lk in p.links})
                if all_up_to:
                    notes = " ".join(n for p in paths for n in p.notes)
                    self._say(f"{plural(len(paths), 'path')} of up to "
                              f"{plural(all_up_to, 'link')} between "
                              f"{names} selected. {notes}".strip())
                else:
                    cost = f", cost {paths[0].cost:g}" if weight else ""
                    self._say(f"Shortest path between {names}: "
                              f"{plural(paths[0].steps, 'link')}{cost}, "
                              "selected. Copy Selection to New Chart keeps it.")
            self.paths_found.emit(paths)

        return self._start(f"Finding paths between {names}...", work, done)

    def find_connecting_network(self, directed: bool = False) -> Job | None:
        """What ties the selected entities together, selected when found
        (``network_found``); off the GUI thread, with progress per pair of entities."""
        chart, selection = self.window.chart, self.window.selection
        ids = sorted(selection.entities)
        if len(ids) < 2:
            self._say("Find Connecting Network needs at least two selected entities "
                      f"({len(ids)} selected).")
            return None
        snap = snapshot(chart, GraphOptions(directed))
        names = {e: entity_name(chart, e) for e in ids}

        def work(progress: Any) -> PathResult:
            return connecting_network_in(snap.graph(), ids, names, progress=progress)

        def done(result: PathResult) -> None:
            selection.set(result.entities, result.links)
            self._say(f"Connecting network: {plural(len(result.entities), 'entity')} and "
                      f"{plural(len(result.links), 'link')} selected. " + " ".join(result.notes))
            self.network_found.emit(result)

        pairs = len(ids) * (len(ids) - 1) // 2
        return self._start(f"Finding what connects {plural(len(ids), 'entity')} "
                           f"({plural(pairs, 'pair')})...",
                           work, done)

    # ----- clusters and measures (off the GUI thread) -----------------------------------
    def find_clusters(self, method: Measure = Measure.LOUVAIN,
                      colour: bool = True) -> Job | None:
        return self._run_measure(Measure(method), colour="clusters" if colour else None,
                                 size=False)

    def measure(self, measure: Measure | str, size: bool = True, colour: bool = False,
                exact: bool = False, directed: bool = False) -> Job | None:
        """Write ``measure`` as an attribute, shown as size and/or a colour ramp; ``directed``
        follows link direction where the measure has a directed form."""
        return self._run_measure(Measure(measure), colour="ramp" if colour else None,
                                 size=size, exact=exact, directed=directed)

    def _run_measure(self, measure: Measure, *, colour: str | None, size: bool,
                     exact: bool = False, directed: bool = False) -> Job | None:
        chart = self.window.chart
        # snapshot here, on the GUI thread
        graph, ids = simple_graph(chart, directed=needs_direction(measure, directed))

        def work(progress: Any) -> MeasureResult:
            return compute_on(graph, ids, measure, exact=exact, progress=progress)

        name, meaning = DESCRIPTION[measure].split(": ", 1)
        if needs_direction(measure, directed) and measure in DIRECTED_MEANING:
            name += f", following link direction ({DIRECTED_MEANING[measure]})"
        return self._start(f"{name}: {meaning}", work,
                           lambda result: self._apply(result, colour=colour, size=size),
                           status=f"Computing {name}...")

    def _start(self, label: str, work: Any, done: Any, status: str = "") -> Job | None:
        """Run ``work`` with progress and Cancel; ``done`` gets its result on the GUI thread
        unless the chart was replaced or its entities and links changed meanwhile. One
        analysis at a time: a second is refused while the first runs."""
        if self.busy:
            self._say("An analysis is still running; wait for it or press Cancel.")
            return None
        chart = self.window.chart
        watch = ChartWatch(chart)

        def settle() -> None:
            watch.close()
            self.busy = False

        def finish(result: Any) -> None:
            settle()
            if self.window.chart is not chart:
                self._say("The chart was replaced while the analysis ran; nothing applied.")
            elif watch.changed:
                self._say("The chart's entities or links changed while the analysis ran; "
                          "nothing applied. Run it again.")
            else:
                done(result)

        def failed(message: str) -> None:
            settle()
            self._say(f"Analysis failed: {message}")

        self._say(status or label)
        self.busy = True
        self.job = run_with_progress(self.window, label, work, finish, failed)
        self.job.cancelled.connect(lambda: (settle(),
                                            self._say("Analysis cancelled; nothing changed.")))
        return self.job

    def _apply(self, result: MeasureResult, *, colour: str | None, size: bool) -> None:
        """The attribute, colours and sizes as one undo step."""
        chart, stack = self.window.chart, self.window.undo_stack
        values = {e: v for e, v in result.attribute_values().items() if e in chart.entities}
        ramp = ramp_for(result.values.values()) if colour == "ramp" else None
        stack.beginMacro(f"{result.attribute} ({result.measure.value})")
        stack.push(SetAttributesCommand(chart, values, text=f"Set {result.attribute}"))
        for entity_id, changes in style_changes(result, values, colour, ramp, size).items():
            self._restyle(entity_id, **changes)
        stack.endMacro()
        ruled = ruled_by_formatting(chart, values, colour=colour is not None, size=size)
        if result.measure in MEASURES or colour != "clusters":
            self._show_measure(result, ramp, size, ruled)
        groups = len(set(result.values.values()))
        shown = " and ".join(w for w, on in (("size", size), ("colour", ramp)) if on)
        what = (f"{plural(groups, 'cluster')} coloured" if colour == "clusters" else
                f"{result.attribute} written" + (f", shown as {shown}" if shown else ""))
        how = f" Followed link direction ({DIRECTED_MEANING[result.measure]})." \
            if result.directed else ""
        self._say(f"{what} on {plural(len(values), 'entity')}.{how} {ruled} {result.note}".strip())
        self.applied.emit(result)

    def _restyle(self, entity_id: str, **changes: Any) -> None:
        entity = self.window.chart.entities[entity_id]
        style = dataclasses.replace(entity.style, **changes)
        if style != entity.style:
            self.window.undo_stack.push(
                UpdateItemCommand(self.window.chart, entity_id, {"style": style}))

    def _show_measure(self, result: MeasureResult, ramp: ColourRamp | None = None,
                      size: bool = False, ruled: str = "") -> None:
        chart = self.window.chart
        rows = [(e, chart.entities[e].label, chart.entities[e].type, v)
                for e, v in result.ranked() if e in chart.entities]
        notes = ["Approximate: " + result.note] if result.approximate else []
        if result.measure in DIRECTED_MEANING:
            notes.append(f"Follows link direction: {DIRECTED_MEANING[result.measure]}."
                         if result.directed else "Link direction ignored.")
        if size:
            notes.append(f"Size: {MIN_SIZE:g}x for the lowest to {MAX_SIZE:g}x for the "
                         "highest.")
        if ruled:
            notes.append(ruled)
        dock = self._dock(result.attribute)
        dock.set_rows(["Entity", "Type", result.attribute], rows, " ".join(notes))
        dock.set_legend(ramp, result.attribute)

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
        self._say(f"Most connected: {plural(len(rows), 'entity')} listed, {order}.")
        return dock

    def _dock(self, name: str) -> ResultListDock:
        dock = self.docks.get(name)
        if dock is None:
            dock = ResultListDock(name, self.window.chart, self.window.selection, self.window)
            dock.setProperty("optional_dock", True)  # Reset Dock Layout leaves it be
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
        self._say(f"{plural(len(part.entities), 'entity')} and "
                  f"{plural(len(part.links), 'link')} saved to "
                  f"{path}.")
        return len(part.entities)

    # ----- dialogs -------------------------------------------------------------------------
    def ask_find_path(self) -> None:
        chart = self.window.chart
        selected = [e for e in chart.entities if e in self.window.selection.entities]
        dialog = FindPathDialog(chart, numeric_link_attributes(chart), selected[:2],
                                self.window)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.find_path(*dialog.chosen())

    def ask_find_clusters(self) -> None:
        names = ["Louvain (densely linked groups)", "Label propagation (faster, rougher)"]
        choice, ok = QInputDialog.getItem(self.window, "Find Clusters", "Method", names, 0,
                                          False)
        if ok:
            self.find_clusters(Measure.LOUVAIN if choice == names[0]
                               else Measure.LABEL_PROPAGATION)

    def ask_measure(self) -> None:
        dialog = MeasureDialog(MEASURES, self.window)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.measure(dialog.chosen_measure(), size=dialog.size_box.isChecked(),
                         colour=dialog.colour_box.isChecked(),
                         directed=dialog.direction_box.isChecked())

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
