"""The zoomed-out chart in a handful of batched draw calls.

At fit-to-window zoom on a big chart every item is a few pixels wide, labels are off, and one
Python ``paint()`` per item (about 6 us each, 30,000 items) would cost 200 ms a frame. In
overview mode the scene hides the link items and stops painting entity items (they stay in
place for clicks and rubber-band selection), and this single item draws all links as a few
``drawLines`` calls grouped by pen, and all entities as cached icons, or as dots when icons
would be smaller than a few pixels. The batches are rebuilt only after the chart changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from workbench.model import Strength
from workbench.view.entity_item import EntityItem
from workbench.view.link_item import LinkItem
from workbench.view.look import DASH_PATTERNS, PEN_STYLES, SELECTION_COLOUR, DrawOptions

DOT_BELOW_PIXELS = 7.0  # icons smaller than this on screen are drawn as coloured dots


class OverviewItem(QGraphicsItem):
    def __init__(self, options: DrawOptions,
                 items: Callable[[], tuple[Iterable[EntityItem], Iterable[LinkItem]]]) -> None:
        super().__init__()
        self.options = options
        self._items = items
        self._bounds = QRectF()
        self._links: dict[tuple[str, Strength, float], list[QLineF]] | None = None
        self._entities: list[EntityItem] | None = None
        self.setZValue(-2.0)
        self.setVisible(False)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_bounds(self, rect: QRectF) -> None:
        self.prepareGeometryChange()
        self._bounds = QRectF(rect)

    def invalidate(self) -> None:
        """Forget the batches (the chart changed); they are rebuilt on the next paint."""
        self._links = None
        self._entities = None
        if self.isVisible():
            self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def _build(self) -> None:
        entities, links = self._items()
        batches: dict[tuple[str, Strength, float], list[QLineF]] = defaultdict(list)
        for link in links:
            if not link.look.visible or not link.end1.isVisible() or not link.end2.isVisible():
                continue
            if link.summary == -1:  # folded into another link of its pair
                continue
            look = link.look
            batches[(look.colour, look.strength, look.width)].append(
                QLineF(link.end1.pos(), link.end2.pos()))
        self._links = dict(batches)
        self._entities = [e for e in entities if e.isVisible()]

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        if self._links is None or self._entities is None:
            self._build()
        scale = painter.worldTransform().m11() or 1.0
        for (colour, strength, width), lines in self._links.items():
            pen = QPen(QColor(colour), max(width, 0.7 / scale), PEN_STYLES[strength])
            pattern = DASH_PATTERNS.get(strength)
            if pattern:
                pen.setDashPattern(pattern)
            painter.setPen(pen)
            painter.drawLines(lines)
        self._paint_entities(painter, scale)

    def _paint_entities(self, painter: QPainter, scale: float) -> None:
        icons, images = self.options.icons, self.options.images
        ratio = painter.device().devicePixelRatio() if painter.device() else 1.0
        selected: list[EntityItem] = []
        dots: dict[tuple[str, float], list[QPointF]] = defaultdict(list)
        for item in self._entities:
            look = item.look
            if item.isSelected():
                selected.append(item)
            if look.size * scale < DOT_BELOW_PIXELS:
                dots[(look.colour, look.size)].append(item.pos())
                continue
            pixmap = icons.pixmap(look.icon, look.colour, look.size * scale * ratio, images)
            pos = item.pos()
            half = look.size / 2.0
            painter.drawPixmap(QRectF(pos.x() - half, pos.y() - half, look.size, look.size),
                               pixmap, QRectF(pixmap.rect()))
        for (colour, size), points in dots.items():
            pen = QPen(QColor(colour), max(size * 0.8, 2.5 / scale))
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.drawPoints(QPolygonF(points))
        if selected:
            painter.setPen(QPen(SELECTION_COLOUR, 2.0 / scale))
            painter.setBrush(QBrush(QColor(30, 136, 229, 60)))
            for item in selected:
                half = max(item.look.size / 2.0 + 5.0, 6.0 / scale)
                pos = item.pos()
                painter.drawRect(QRectF(pos.x() - half, pos.y() - half, half * 2, half * 2))
