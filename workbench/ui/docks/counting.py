"""What the counting docks (histogram, heat matrix, time wheel) share: following the chart and
the selection, and handing their matplotlib picture to a file or the clipboard."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from matplotlib.figure import Figure
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication, QImage, QShowEvent
from shiboken6 import isValid

from workbench.export.histogram_image import save_figure
from workbench.model import Chart
from workbench.ui.clipboard import figure_picture_mime

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
    changes into one recount through ``_timer``. A deleted dock stops listening.

    A dock out of sight (behind another tab, closed, in a window not shown yet) counts but
    puts its picture off until it is shown: a window opening on a chart drew the three
    docks' figures (the time wheel three times) before its first paint, most of them for
    tabs nobody had raised. ``redraw`` returns early when ``put_off()`` says so; what
    reads the figure (export, copy) calls ``draw_put_off()`` first."""

    _put_off = False  # a picture is owed for when the dock is in sight
    _watching = False  # visibilityChanged is connected to _sight_changed

    @property
    def filtered(self) -> bool:
        """Whether a filter's items are set (``set_filter``; counted in the scope Filtered)."""
        return self._filter is not None

    def in_sight(self) -> bool:
        """Shown and not covered (a tab behind another is "visible" to Qt, with nothing of
        it on screen)."""
        return self.isVisible() and not self.visibleRegion().isEmpty()

    def put_off(self) -> bool:
        """True, and the picture owed, while the dock cannot be seen."""
        if self.in_sight():
            return False
        self._put_off = True
        if not self._watching:
            self._watching = True
            self.visibilityChanged.connect(self._sight_changed)
        return True

    def draw_put_off(self) -> None:
        """Draw the owed picture now (it comes into sight, or its figure is to be read)."""
        if self._put_off:
            self._put_off = False
            self.redraw(now=True)

    def showEvent(self, event: QShowEvent) -> None:
        """A dock shown on its own (floating) is in sight at once."""
        super().showEvent(event)
        if self._put_off and self.in_sight():
            self.draw_put_off()

    def _sight_changed(self, visible: bool) -> None:
        """A tab brought to the front, a dock opened: draw what is owed once Qt has laid the
        docks out (when a window is first shown, every tab is told it is visible)."""
        if visible and self._put_off:
            QTimer.singleShot(0, self, self._draw_if_in_sight)

    def _draw_if_in_sight(self) -> None:
        if self.in_sight():
            self.draw_put_off()

    def _selection_changed(self) -> None:
        if not isValid(self):
            self.selection.changed.disconnect(self._selection_changed)
            return
        if self.scope_box.currentIndex() == 1:
            self.recount()
        else:
            self.redraw()

    def _chart_changed(self, *args: object) -> None:
        if not isValid(self):  # the dock was deleted: stop listening to the model
            disconnect_chart(self.chart, self._chart_changed)
            return
        self._timer.start()  # fold a burst of changes (an import, an undo) into one recount
