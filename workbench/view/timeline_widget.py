"""The timeline as a widget: the painter's picture, zoomed with the wheel, panned by dragging,
and clicked to select. It never edits the chart; it says what was clicked and is told what is
selected (the dock joins it to the shared selection).

Zoom changes only the window of time shown: labels keep their size, and the axis picks the
tick step (decades to minutes) that leaves its labels room.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
from PySide6.QtCore import QPointF, QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from workbench.model import Chart
from workbench.view.timeline_axis import MINUTE, TimeAxis
from workbench.view.timeline_data import build, date_of, seconds
from workbench.view.timeline_paint import Drawn, Viewport, paint

MIN_ROW, MAX_ROW = 34.0, 64.0
ZOOM_STEP = 1.25
CLICK_SLOP = 4  # pixels a press may move and still be a click


class TimelineWidget(QWidget):
    """``set_timeline(chart, themes)``, ``set_selected(ids)``, ``zoom_by``, ``fit``,
    ``show_range(start, end)``; emits ``items_clicked(entities, links, add)``."""

    items_clicked = Signal(list, list, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.data = build(Chart(), [])
        self.axis = TimeAxis(np.zeros(0))
        self.compress = True
        self.view = Viewport(1, 1, 0.0, self.axis.length)
        self.selected: frozenset[str] = frozenset()
        self.drawn = Drawn()
        self._press: QPointF | None = None
        self._press_window: tuple[float, float, float] = (0.0, 1.0, 0.0)
        self._dragged = False

    def sizeHint(self) -> QSize:
        return QSize(900, 320)

    # ----- what is shown ---------------------------------------------------------------------
    def set_timeline(self, chart: Chart, themes: list[str], keep_window: bool = False) -> None:
        """Theme lines for ``themes``, their events read from ``chart`` (again after an
        edit: ``keep_window`` keeps the time shown)."""
        window = (self.view.u0, self.view.u1) if keep_window else None
        times = (self.axis.t_of(window[0]), self.axis.t_of(window[1])) if window else None
        self.data = build(chart, themes)
        self._make_axis()
        if times is not None:
            self.view.u0, self.view.u1 = (float(v) for v in self.axis.u_of(np.array(times)))
        else:
            self.fit()

    def set_compress(self, on: bool) -> None:
        """Long empty stretches cut short (with a visible break) or drawn at full length."""
        times = self.axis.t_of(np.array([self.view.u0, self.view.u1]))
        self.compress = on
        self._make_axis()
        self.view.u0, self.view.u1 = (float(v) for v in self.axis.u_of(times))
        self.update()

    def _make_axis(self) -> None:
        self.axis = TimeAxis(self.data.start, self.data.end, compress=self.compress)

    def set_selected(self, ids: frozenset[str]) -> None:
        self.selected = ids
        self.update()

    # ----- the window of time ------------------------------------------------------------------
    def fit(self) -> None:
        self.view.u0, self.view.u1 = 0.0, self.axis.length
        self.view.scroll = 0.0
        self.update()

    def show_range(self, start: datetime, end: datetime) -> None:
        """Show from ``start`` to ``end`` (a time filter or a report asks for a period)."""
        u = self.axis.u_of(np.array([seconds(start), seconds(end)]))
        if u[1] > u[0]:
            self.view.u0, self.view.u1 = float(u[0]), float(u[1])
            self.update()

    def shown_range(self) -> tuple[datetime, datetime]:
        t = self.axis.t_of(np.array([self.view.u0, self.view.u1]))
        return date_of(float(t[0])), date_of(float(t[1]))

    def zoom_by(self, factor: float, at_x: float | None = None) -> None:
        """Zoom in (factor > 1) or out around ``at_x`` (the middle when None), from the
        whole timeline down to a few minutes across."""
        v = self.view
        anchor = v.u_at(at_x if at_x is not None else (v.left + v.width - v.right) / 2)
        span = (v.u1 - v.u0) / factor
        span = min(max(span, 10 * MINUTE), self.axis.length * 1.5)
        share = (anchor - v.u0) / max(v.u1 - v.u0, 1e-9)
        v.u0 = anchor - share * span
        v.u1 = v.u0 + span
        self.update()

    # ----- Qt events ------------------------------------------------------------------------
    def _layout(self) -> None:
        v = self.view
        v.width, v.height = float(self.width()), float(self.height())
        rows = max(len(self.data.themes), 1)
        v.row_height = min(max((v.height - v.top - v.bottom) / rows, MIN_ROW), MAX_ROW)
        v.scroll = min(max(v.scroll, 0.0), max(v.top + rows * v.row_height + v.bottom
                                               - v.height, 0.0))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._layout()

    def paintEvent(self, event: QPaintEvent) -> None:
        self._layout()
        painter = QPainter(self)
        self.drawn = paint(painter, self.data, self.axis, self.view, self.selected)
        painter.end()

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.view.scroll -= steps * self.view.row_height
            self.update()
        elif steps:
            self.zoom_by(ZOOM_STEP ** steps, event.position().x())
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position()
            self._press_window = (self.view.u0, self.view.u1, self.view.scroll)
            self._dragged = False

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None:
            return
        delta = event.position() - self._press
        if abs(delta.x()) + abs(delta.y()) > CLICK_SLOP:
            self._dragged = True
        if self._dragged:
            u0, u1, scroll = self._press_window
            per_pixel = (u1 - u0) / max(self.view.width - self.view.left - self.view.right, 1)
            self.view.u0 = u0 - delta.x() * per_pixel
            self.view.u1 = u1 - delta.x() * per_pixel
            self.view.scroll = scroll - delta.y()
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._press is None:
            return
        self._press = None
        if not self._dragged:
            add = bool(event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                            | Qt.KeyboardModifier.ShiftModifier))
            self.click(event.position().x(), event.position().y(), add)

    def click(self, x: float, y: float, add: bool = False) -> None:
        """Select what is at (x, y): an event's item, a theme line's entity, or nothing."""
        entities: list[str] = []
        links: list[str] = []
        if x < self.view.left:
            row = int((y - self.view.top + self.view.scroll) // self.view.row_height)
            if y > self.view.top and 0 <= row < len(self.data.themes):
                entities.append(self.data.themes[row])
        else:
            for i in self.drawn.hit(x, y).tolist():
                (links if self.data.is_link[i] else entities).append(self.data.ids[i])
        self.items_clicked.emit(sorted(set(entities)), sorted(set(links)), add)

    def event_rect(self, item_id: str) -> tuple[float, float, float, float] | None:
        """Where the (first) event of ``item_id`` was last drawn, or None when not in view."""
        for i in self.data.indices_of([item_id]).tolist():
            rect = self.drawn.rect_of(i)
            if rect is not None:
                return rect
        return None
