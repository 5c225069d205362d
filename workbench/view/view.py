"""ChartView: the widget that shows a ChartScene, with zoom, pan and mouse modes.

Wheel zooms around the cursor, the middle button or space+drag pans, a left drag on empty
space draws a rubber band (the view's own, ``band.py``). The view tells the scene its
zoom so the scene can choose its level of detail, and reports the zoom for the status bar.
While a chart too big to draw every frame moves, the view shows its last picture moved and
scaled, and draws the chart once it rests (``kept_picture.py``).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QHideEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsView, QWidget

from workbench.model.legend import legend_entries
from workbench.view.band import Band
from workbench.view.legend import LegendOverlay
from workbench.view.modes import MODES
from workbench.view.resting import Resting
from workbench.view.scene import ChartScene

MIN_ZOOM = 0.01
MAX_ZOOM = 8.0
WHEEL_STEP = 1.2  # zoom factor per wheel notch
FIT_MARGIN = 24.0  # pixels left around the chart by zoom to fit
LEGEND_DELAY_MS = 300  # the legend is counted again this long after the chart changes


class ChartView(QGraphicsView, Resting):
    zoom_changed = Signal(float)
    mode_changed = Signal(str)
    # Right-click: the id of the entity or link under the pointer ("" on empty space) and the
    # global position, for the window's context menu.
    context_requested = Signal(str, QPoint)

    def __init__(self, scene: ChartScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.SmoothPixmapTransform
                            | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.NoDrag)  # the band is ours (see below)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        # Every paint() sets the pen, brush and font it uses, so Qt need not save and
        # restore the painter around each of thousands of items.
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState)
        self.setMouseTracking(True)
        self._pan_from: QPoint | None = None
        self._band: Band | None = None  # a rubber band being drawn
        self._space = False
        self._mode = "select"
        # After "zoom to fit" the view keeps the chart fitted when it is resized (the window
        # settling its docks, the analyst dragging a splitter) until the analyst zooms or pans.
        self._keep_fitted = False
        self._shown_centre: QPointF | None = None  # what the view showed when it was hidden
        self._init_resting()
        self.legend = LegendOverlay(self.viewport())
        self._legend_timer = QTimer(self)
        self._legend_timer.setSingleShot(True)
        self._legend_timer.setInterval(LEGEND_DELAY_MS)
        self._legend_timer.timeout.connect(self.refresh_legend)
        self._follow(scene)

    def _follow(self, scene: ChartScene) -> None:
        self._kept.reset()
        scene.options.pixel_ratio = max(scene.options.pixel_ratio, self.devicePixelRatioF())
        scene.set_placed_labels(True)
        scene.labels_outdated.connect(self._labels_outdated)
        scene.legend_outdated.connect(self._legend_timer.start)
        self.refresh_legend()

    def refresh_legend(self) -> None:
        """Show the chart's legend (its formatting rules and link styles), unless the chart's
        display turned it off."""
        self._legend_timer.stop()
        scene = self.chart_scene()
        before = (self.legend.isHidden(), self.legend.geometry())
        self.legend.show_entries(legend_entries(scene.chart) if scene.display.legend else [])
        if (self.legend.isHidden(), self.legend.geometry()) != before:
            self._place_later()  # the labels keep clear of the key where it now is

    def chart_scene(self) -> ChartScene:
        return self.scene()

    def setScene(self, scene: ChartScene) -> None:
        """Show another chart's scene, with its labels placed for this view."""
        old = self.scene()
        if isinstance(old, ChartScene):
            old.labels_outdated.disconnect(self._labels_outdated)
            old.legend_outdated.disconnect(self._legend_timer.start)
        super().setScene(scene)
        self._follow(scene)

    def set_chart_scene(self, scene: ChartScene) -> None:
        """Show another chart's scene (after Open); the caller detaches the old one."""
        self.setScene(scene)
        scene.set_mode(self._mode)
        self.zoom_to_fit()

    # ----- zoom -----------------------------------------------------------------------------
    def zoom_level(self) -> float:
        """Scene units to pixels: 1.0 shows the chart at its natural size."""
        return self.transform().m11()

    def set_zoom(self, level: float) -> None:
        """Zoom to this level around the centre of the view."""
        level = min(max(level, MIN_ZOOM), MAX_ZOOM)
        self._keep_fitted = False
        anchor = self.transformationAnchor()
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        factor = level / self.zoom_level()
        with self._one_move():
            self.scale(factor, factor)
        self.setTransformationAnchor(anchor)
        self._zoomed()

    def zoom_by(self, factor: float, anchor: QPoint | None = None) -> None:
        """Zoom by ``factor``, keeping the scene point under ``anchor`` (viewport pixels,
        default the centre) where it is on screen."""
        target = min(max(self.zoom_level() * factor, MIN_ZOOM), MAX_ZOOM)
        self._keep_fitted = False
        factor = target / self.zoom_level()
        if abs(factor - 1.0) < 1e-9:
            return
        anchor = anchor if anchor is not None else self.viewport().rect().center()
        before = self.mapToScene(anchor)
        saved = self.transformationAnchor()
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        with self._one_move():
            self.scale(factor, factor)
            self.setTransformationAnchor(saved)
            self._grow_scroll_area(before)
            drift = self.mapFromScene(before) - anchor
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + drift.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() + drift.y())
        self._zoomed()

    def _grow_scroll_area(self, point: QPointF) -> None:
        """Make sure the view can scroll far enough to keep ``point`` under the cursor."""
        rect = self.sceneRect()
        viewport = self.viewport().rect()
        grow = max(viewport.width(), viewport.height()) / self.zoom_level()
        wanted = QRectF(point.x() - grow, point.y() - grow, 2 * grow, 2 * grow)
        if not rect.contains(wanted):
            self.setSceneRect(rect.united(wanted))

    def zoom_to_fit(self) -> None:
        self._fit(self.chart_scene().chart_rect())
        self._keep_fitted = True
        if self.isVisible():
            self.place_labels()  # at once even on a big chart: the first picture is named
        else:  # a chart opened before the window shows: fitted again, and placed, when shown
            self._place_later()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.legend.place()
        if self._keep_fitted:
            self.zoom_to_fit()
        else:
            self._moved()

    def hideEvent(self, event: QHideEvent) -> None:
        self._shown_centre = self.mapToScene(self.viewport().rect().center())
        super().hideEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        """Shown again, the view shows what it showed (Qt centres it under the last mouse
        point: a restored window, or one Qt remade for the map's browser, showed a corner)."""
        super().showEvent(event)
        if self._shown_centre is not None:
            self.centerOn(self._shown_centre)

    def zoom_to_selection(self) -> None:
        scene = self.chart_scene()
        ids = set(scene.selection.entities)
        for link_id in scene.selection.links:
            link = scene.chart.links.get(link_id)
            if link is not None:
                ids.update((link.end1, link.end2))
        if ids:
            self._fit(scene.chart_rect(ids), max_zoom=1.5)
            self._keep_fitted = False

    def _fit(self, rect: QRectF, max_zoom: float = 2.0) -> None:
        if rect.isEmpty():
            return
        viewport = self.viewport().rect()
        width = max(viewport.width() - 2 * FIT_MARGIN, 10.0)
        height = max(viewport.height() - 2 * FIT_MARGIN, 10.0)
        level = min(width / rect.width(), height / rect.height(), max_zoom)
        level = min(max(level, MIN_ZOOM), MAX_ZOOM)
        with self._one_move():
            self.resetTransform()
            self.scale(level, level)
            self.setSceneRect(self._scroll_area(rect))
            self.centerOn(rect.center())
        self._zoomed()

    def _scroll_area(self, rect: QRectF) -> QRectF:
        """Leave room to pan a whole window past the chart's edges."""
        viewport = self.viewport().rect()
        grow = max(viewport.width(), viewport.height()) / self.zoom_level()
        return rect.adjusted(-grow, -grow, grow, grow)

    def _zoomed(self) -> None:
        level = self.zoom_level()
        self.chart_scene().update_detail(level)
        self._moved()
        self.zoom_changed.emit(level)

    # ----- drawing --------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        """Drawn from the scene's own index (``painting.py``), or the last picture moved while
        a big chart moves (``kept_picture.py``). A pending label placement waits from the end
        of the frame (a 100,000-entity chart's frame took longer than the delay); while the
        kept picture stands in, until the view rests, however long the pan."""
        self._kept.paint(event)
        self._after_frame()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        self.legend.place()  # scrolling the viewport moves its child widgets with it
        if not self._in_move:
            self._moved()

    def wheelEvent(self, event: QWheelEvent) -> None:
        notches = event.angleDelta().y() / 120.0
        if notches:
            self.zoom_by(WHEEL_STEP ** notches, event.position().toPoint())
        event.accept()

    # ----- modes and panning ----------------------------------------------------------------
    def mode(self) -> str:
        return self._mode

    def set_mode(self, mode: str) -> None:
        """'select' (click, rubber band, drag to move) or 'link' (drag between entities)."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        self._mode = mode
        self.chart_scene().set_mode(mode)
        link = mode == "link"
        self.viewport().setCursor(Qt.CursorShape.CrossCursor if link
                                  else Qt.CursorShape.ArrowCursor)
        self.mode_changed.emit(mode)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            event.accept()
            return
        if event.key() == Qt.Key.Key_Escape and self._mode == "link":
            self.set_mode("select")
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            self.set_mode(self._mode)
            event.accept()
            return
        super().keyReleaseEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        scene = self.chart_scene()
        item = scene.item_at(self.mapToScene(event.pos()), self.transform())
        if item is not None and not item.isSelected():  # act on what was clicked
            if item.item_id in scene.chart.entities:
                scene.selection.set([item.item_id])
            else:
                scene.selection.set(links=[item.item_id])
        self.context_requested.emit(item.item_id if item is not None else "", event.globalPos())
        event.accept()

    @staticmethod
    def _shift_adds(event: QMouseEvent) -> None:
        """Shift+click and shift+band add to the selection, as in other analysis tools (Qt
        itself only knows Ctrl for that, which keeps working too)."""
        modifiers = event.modifiers()
        if modifiers & Qt.KeyboardModifier.ShiftModifier:
            event.setModifiers(modifiers | Qt.KeyboardModifier.ControlModifier)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._shift_adds(event)
        if event.button() == Qt.MouseButton.MiddleButton or (
                self._space and event.button() == Qt.MouseButton.LeftButton):
            self._pan_from = event.position().toPoint()
            self._keep_fitted = False
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)
        if (event.button() == Qt.MouseButton.LeftButton and self._mode == "select"
                and not event.isAccepted()):  # empty space: a band begins
            self._band = Band(self, event.position().toPoint(),
                              bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier))
            event.accept()

    def band_rect(self) -> QRect:
        """The rubber band being drawn, in viewport pixels (empty when there is none)."""
        return QRect() if self._band is None else QRect(self._band.rect)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._shift_adds(event)
        if self._pan_from is not None:
            point = event.position().toPoint()
            delta = point - self._pan_from
            self._pan_from = point
            # Panning is never stopped by the edge of the scroll area: it grows as needed.
            with self._one_move():
                self._grow_scroll_area(self.mapToScene(self.viewport().rect().center()
                                                       - delta))
                bars = self.horizontalScrollBar(), self.verticalScrollBar()
                bars[0].setValue(bars[0].value() - delta.x())
                bars[1].setValue(bars[1].value() - delta.y())
            self._moved()
            event.accept()
            return
        if self._band is not None:
            if event.buttons() & Qt.MouseButton.LeftButton:
                self._band.drag(event.position().toPoint())
            else:  # the release never came
                self._band.end()
                self._band = None
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._shift_adds(event)
        if self._pan_from is not None:
            self._pan_from = None
            self.set_mode(self._mode)
            if self._space:
                self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            event.accept()
            return
        if self._band is not None:
            self._band.drag(event.position().toPoint())
            self._band.end()
            self._band = None
            super().mouseReleaseEvent(event)
            event.accept()
            return
        super().mouseReleaseEvent(event)
