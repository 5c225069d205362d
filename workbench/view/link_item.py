"""One link on the chart: a line or curve between two entity items, styled by strength,
with arrowheads by direction and its label in the middle.

Geometry is computed from the two end items' positions whenever either moves; the painter
path is built lazily on the first paint after that, because during a layout or a drag most
links move without ever being painted in between.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from workbench.model import Direction, Link
from workbench.view.entity_item import EntityItem
from workbench.view.geometry import LinkGeometry
from workbench.view.look import (
    DASH_PATTERNS,
    LINK_LABEL_PIXELS,
    PEN_STYLES,
    SELECTION_COLOUR,
    DrawOptions,
    LinkLook,
)

_HIGHLIGHT = QColor(SELECTION_COLOUR)
_HIGHLIGHT.setAlpha(110)
_LABEL_BACK = QBrush(QColor(255, 255, 255, 225))
_TEXT = QColor("#333333")
_CENTRE = Qt.AlignmentFlag.AlignCenter


class LinkItem(QGraphicsItem):
    def __init__(self, link: Link, end1: EntityItem, end2: EntityItem, look: LinkLook,
                 options: DrawOptions, parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self.item_id = link.id
        self.end1, self.end2 = end1, end2
        self.options = options
        self.offset = 0.0  # signed bow, set by the scene for parallel links
        self.summary = 0  # when > 1, this item stands for that many links between the pair
        self.arrow_end = self.arrow_start = False
        self.text = ""
        self.look = look
        self.pen = QPen()
        self.geometry: LinkGeometry | None = None
        self._path: QPainterPath | None = None
        self._bounds = QRectF()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(-1.0)
        self.refresh(link, look)

    def refresh(self, link: Link, look: LinkLook) -> None:
        self.look = look
        self.arrow_end = link.direction in (Direction.FORWARD, Direction.BOTH)
        self.arrow_start = link.direction in (Direction.REVERSE, Direction.BOTH)
        mode = self.options.link_labels
        self.text = link.label if mode == "label" else link.type if mode == "type" else ""
        pen = QPen(QColor(look.colour), look.width, PEN_STYLES[look.strength])
        pattern = DASH_PATTERNS.get(look.strength)
        if pattern:
            pen.setDashPattern(pattern)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        self.pen = pen
        self.setVisible(look.visible)
        self.update_geometry()

    @property
    def shown_text(self) -> str:
        if self.summary > 1:
            return f"{self.summary} links"
        return self.text

    def update_geometry(self) -> None:
        """Recompute where the link runs (after an end moved or the bow changed)."""
        p1, p2 = self.end1.pos(), self.end2.pos()
        geometry = LinkGeometry(p1.x(), p1.y(), p2.x(), p2.y(), self.offset,
                                self.end1.radius, self.end2.radius)
        self.prepareGeometryChange()
        self.geometry = geometry
        self._path = None
        margin = 8.0 + self.look.width * 2.0
        bounds = geometry.bounds(margin)
        if self.shown_text:
            middle = geometry.middle()
            bounds = bounds.united(QRectF(middle.x() - 90.0, middle.y() - 9.0, 180.0, 18.0))
        self._bounds = bounds

    def path(self) -> QPainterPath:
        if self._path is None:
            self._path = self.geometry.path()
        return self._path

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(max(8.0, self.look.width + 6.0))
        return stroker.createStroke(self.path())

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        scale = painter.worldTransform().m11() or 1.0
        path = self.path()
        geometry = self.geometry
        width = self.look.width * (1.0 + 0.6 * (self.summary > 1))
        if self.isSelected():
            painter.setPen(QPen(_HIGHLIGHT, width + 5.0, Qt.PenStyle.SolidLine,
                                Qt.PenCapStyle.RoundCap))
            painter.drawPath(path)
        pen = self.pen
        if width != pen.widthF():
            pen = QPen(pen)
            pen.setWidthF(width)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        if self.arrow_end or self.arrow_start:
            size = 7.0 + width * 1.8
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(pen.color())
            if self.arrow_end:
                painter.drawPolygon(geometry.arrow_at_end(size))
            if self.arrow_start:
                painter.drawPolygon(geometry.arrow_at_start(size))
        text = self.shown_text
        if text and LINK_LABEL_PIXELS * scale >= self.options.min_label_pixels:
            font = self.options.link_font
            metrics = QFontMetricsF(font)
            elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, 170.0)
            w = metrics.horizontalAdvance(elided) + 8.0
            middle = geometry.middle()
            rect = QRectF(middle.x() - w / 2.0, middle.y() - 7.5, w, 15.0)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_LABEL_BACK)
            painter.drawRoundedRect(rect, 3.0, 3.0)
            painter.setPen(_TEXT)
            painter.setFont(font)
            painter.drawText(rect, _CENTRE, elided)
