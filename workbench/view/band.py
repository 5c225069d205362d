"""The chart view's rubber band: drawn by the view, its items found by the spatial index.

Qt's own band (``QGraphicsView.RubberBandDrag``) calls ``QGraphicsScene.setSelectionArea``
at every mouse move, which on an unindexed scene asks every item its Python bounds and
shape: 0.8-1 s a move at 100,000 entities and 200,000 links. This band asks the scene's
arrays (``ChartScene.select_in``, some 70 ms for 4,000 items selected at 100,000 entities)
and sets the selection in one step, read into the shared selection once per move.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QPointF, QRect
from PySide6.QtWidgets import QApplication, QGraphicsItem

if TYPE_CHECKING:
    from workbench.view.view import ChartView


class Band:
    def __init__(self, view: ChartView, start: QPoint, add: bool) -> None:
        """A band from ``start`` (viewport pixels); ``add`` (Ctrl or Shift) keeps what was
        selected, else the selection is cleared, as a press on empty space does."""
        self._view = view
        scene = view.chart_scene()
        if not add and scene.selectedItems():
            scene.clearSelection()
        self._start: QPointF = view.mapToScene(start)  # on the chart, should it scroll
        self._kept: list[QGraphicsItem] = scene.selectedItems() if add else []
        self.rect = QRect()  # on screen (empty until the pointer moved a drag's distance)

    def drag(self, point: QPoint) -> None:
        """Draw the band to ``point`` and select what it meets, as Qt's band did."""
        view = self._view
        origin = view.mapFromScene(self._start)
        if (origin - point).manhattanLength() < QApplication.startDragDistance():
            return
        rect = QRect(QPoint(min(origin.x(), point.x()), min(origin.y(), point.y())),
                     QPoint(max(origin.x(), point.x()), max(origin.y(), point.y())))
        view.viewport().update(self.rect.united(rect).adjusted(-2, -2, 2, 2))
        self.rect = rect
        view.chart_scene().select_in(view.mapToScene(rect).boundingRect(), self._kept)

    def end(self) -> None:
        """The band is let go: wipe it off the screen."""
        self._view.viewport().update(self.rect.adjusted(-2, -2, 2, 2))
        self.rect = QRect()
