"""What the counting docks (histogram, heat matrix, time wheel) share: following the chart and
the selection, and handing their matplotlib picture to a file or the clipboard."""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path

from matplotlib.figure import Figure
from PySide6.QtGui import QGuiApplication, QImage
from shiboken6 import isValid

from workbench.export.histogram_image import save_figure
from workbench.model import Chart
from workbench.ui.clipboard import figure_picture_mime
from workbench.ui.docks.sight import Sight

FIGURE_SUFFIXES = ("png", "svg", "pdf")
CHART_SIGNALS = ("entities_added", "entities_removed", "entity_changed", "links_added",
                 "links_removed", "link_changed", "types_changed")


def connect_chart(chart: Chart, slot: Callable[..., None]) -> None:
    for name in CHART_SIGNALS:
        getattr(chart, name).connect(slot)


def disconnect_chart(chart: Chart, slot: Callable[..., None]) -> None:
    for name in CHART_SIGNALS:
        getattr(chart, name).disconnect(slot, missing_ok=True)


def export_figure(figure: Figure, path: str | Path, title: str = "") -> Path:
    """The dock's picture as PNG, SVG or PDF by the suffix (atomic, checked, control characters
    out of the file's title)."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FIGURE_SUFFIXES:
        raise ValueError(f"{path.name}: use .png, .svg or .pdf")
    save_figure(figure, path, fmt, 150, title=title)
    return path


def copy_figure(figure: Figure, title: str = "") -> QImage:
    """What is shown, as bitmap, SVG and PDF in one clipboard entry (sharp in documents)."""
    mime = figure_picture_mime(figure, 150, title)
    QGuiApplication.clipboard().setMimeData(mime)
    return QImage(mime.imageData())


class FollowsChart:
    """Slots for a counting dock: recount when the counted items change (the scope "selected
    items" is index 1 of ``scope_box``), else redraw the highlight; fold bursts of chart
    changes into one recount through ``_timer`` (which calls the dock's ``_refresh``). A
    deleted dock stops listening.

    A dock out of sight (closed, or behind another tab: the heat matrix and the time wheel
    share a tab group with the histogram) only notes what it owes and catches up when it is
    shown (``follow_sight`` in the dock's constructor; see ``sight.py``): on the routes sample,
    redrawing the two hidden docks held Select All, Select Linked and Delete for half a second
    or more. A count asked for directly (a new chart, ``choose``) is made, but its picture too
    waits until the dock is in sight: a window opening on a chart drew every dock's figure
    (the time wheel three times) before its first paint."""

    _behind = ""  # what an unseen dock owes: "" (nothing), "selection" or "chart"
    _now = False  # catching up: count and draw even out of sight (an export reads the figure)
    _new_chart = False  # a chart was given while unseen: start afresh on it when shown

    def _start(self) -> None:  # provided by the dock: choose fields for a new chart, count
        raise NotImplementedError

    def _take_chart(self, chart: Chart) -> None:
        """Follow a newly opened chart: choose what to count and count it now if the dock is
        in sight, else once it is shown. A window opening on a 100,000-entity chart counted
        it in every dock behind its tab (the heat matrix alone took 4 s) before its first
        paint; now the one dock in front counts it once, after the window is shown."""
        disconnect_chart(self.chart, self._chart_changed)
        self.chart = chart
        connect_chart(chart, self._chart_changed)
        self._new_chart = True
        if not self._out_of_sight("chart"):
            self._new_chart = False
            self._start()

    def _on_chart_given(self) -> None:
        """Before a choice or a filter given while a new chart waits unseen (``choose`` from a
        report or a script, the time filter's range): choose fields for that chart first, or
        the choice would be looked up among the previous chart's fields ("nothing in this
        chart to count by date") and the filter counted by the previous chart's target."""
        if self._new_chart:
            self._new_chart = False
            self._start()

    def set_filter(self, ids: Collection[str] | None, name: str = "filtered") -> None:
        """The items a filter leaves (None: no filter); counted when the scope is Filtered
        (a filter that was off and stays off changes nothing: no recount)."""
        if ids is None and self._filter is None:
            return
        self._on_chart_given()
        self._filter, self._filter_name = (None if ids is None else set(ids)), name
        self.recount()

    @property
    def filtered(self) -> bool:
        """Whether a filter's items are set (``set_filter``; counted in the scope Filtered)."""
        return self._filter is not None

    def follow_sight(self) -> None:
        self.sight = Sight(self, self.catch_up)

    def in_sight(self) -> bool:
        return self.sight.in_sight()

    def _out_of_sight(self, owes: str) -> bool:
        """Whether the dock is unseen; if so, remember what it must do when shown (a chart
        change recounts, which also redraws the selection)."""
        if self._now or not self.sight.postpone():
            return False
        if self._behind != "chart":
            self._behind = owes
        return True

    def catch_up(self) -> None:
        """Count and draw now what the dock skipped while unseen (before an export)."""
        owes, self._behind = self._behind, ""
        self._now = True
        try:
            if owes == "chart" and self._new_chart:
                self._new_chart = False
                self._start()
            elif owes == "chart":
                self._refresh()
            elif owes:
                self._follow_selection()
        finally:
            self._now = False

    def _selection_changed(self) -> None:
        if not isValid(self):
            self.selection.changed.disconnect(self._selection_changed)
            return
        if not self._out_of_sight("selection"):
            self._follow_selection()

    def _follow_selection(self) -> None:
        if self.scope_box.currentIndex() == 1:
            self.recount()
        else:
            self.redraw()

    def _chart_changed(self, *args: object) -> None:
        if not isValid(self):  # the dock was deleted: stop listening to the model
            disconnect_chart(self.chart, self._chart_changed)
            return
        if self._out_of_sight("chart"):
            return
        self._timer.start()  # fold a burst of changes (an import, an undo) into one recount
