"""The zoomed-out chart in a handful of batched draw calls.

At fit-to-window zoom on a big chart every item is a few pixels wide, labels are off, and one
Python ``paint()`` per item (about 6 us each, 30,000 items) would cost 200 ms a frame. In
overview mode the scene hides the link items and stops painting entity items (they stay in
place for clicks and rubber-band selection), and this single item draws all links as a few
``drawLines`` calls grouped by pen, and all entities as cached icons, or as dots when icons
would be smaller than a few pixels. The batches are rebuilt only after the chart changes.

In a window the links and entities are drawn once per zoom into a picture (``paint_cached``),
which later repaints copy: a pan at fit on a 100,000-entity chart copies one image instead of
drawing 200,000 lines again. The selection and hub labels are drawn over it each time.
Pictures for print and export are drawn as before, in vectors (``paint``).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from workbench.model import Strength
from workbench.view.entity_item import EntityItem
from workbench.view.link_item import LinkItem
from workbench.view.look import (
    DASH_PATTERNS,
    FADED,
    HALO_PIXELS,
    PEN_STYLES,
    SELECTION_COLOUR,
    SELECTION_STRONG,
    DrawOptions,
)

DOT_BELOW_PIXELS = 7.0  # icons smaller than this on screen are drawn as coloured dots
HUB_LABELS = 25  # this many best-connected entities keep a label when zoomed out
HUB_LABEL_PIXELS = 11
PICTURE_MAX_PIXELS = 16_000_000  # a bigger picture (zoomed far in) is not kept: drawn directly
_PLATE = QBrush(QColor(255, 255, 255, 225))
_TEXT = QColor("#1b1b1b")
_HALO = QColor(SELECTION_COLOUR)
_HALO.setAlpha(120)


class OverviewItem(QGraphicsItem):
    def __init__(self, options: DrawOptions,
                 items: Callable[[], tuple[Iterable[EntityItem], Iterable[LinkItem]]],
                 selected: Callable[[], tuple[Iterable[EntityItem], Iterable[LinkItem]]],
                 ) -> None:
        super().__init__()
        self.options = options
        self._items = items
        self._selected = selected
        self._bounds = QRectF()
        self._links: dict[tuple[str, Strength, float], list[QLineF]] | None = None
        self._entities: dict[tuple[str, str, float], QPolygonF] | None = None
        self._hubs: list[EntityItem] = []
        self._picture: tuple[tuple[float, float, float, float], QImage] | None = None
        self.render_seconds = 0.0  # CPU time of the last picture: the view's cost of a zoom
        self.setZValue(-2.0)
        self.setVisible(False)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_bounds(self, rect: QRectF) -> None:
        self.prepareGeometryChange()
        self._bounds = QRectF(rect)
        self._picture = None

    def invalidate(self) -> None:
        """Forget the batches (the chart changed); they are rebuilt on the next paint."""
        self._links = None
        self._entities = None
        self._picture = None
        if self.isVisible():
            self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def _build(self) -> None:
        """The batches, from each visible entity's place asked once (a link is drawn only
        between two visible ends): 200,000 links asked their ends' places took two seconds
        of a 100,000-entity window's first paint)."""
        entities, links = self._items()
        groups: dict[tuple[str, str, float], list[QPointF]] = defaultdict(list)
        places: dict[EntityItem, QPointF] = {}
        for item in entities:
            if item.isVisible():
                look = item.look
                place = places[item] = item.pos()
                groups[(look.icon, look.colour, look.size)].append(place)
        self._entities = {key: QPolygonF(points) for key, points in groups.items()}
        batches: dict[tuple[str, Strength, float], list[QLineF]] = defaultdict(list)
        for link in links:
            if link.isVisible():
                start, end = places.get(link.end1), places.get(link.end2)
                if start is not None and end is not None:
                    look = link.look
                    batches[(look.colour, look.strength, look.width)].append(
                        QLineF(start, end))
        self._links = dict(batches)
        # The best-connected entities keep their labels when everything else is a dot, so a
        # zoomed-out chart still says who the hubs are.
        visible = [item for item in places if item.label]
        visible.sort(key=lambda item: len(item.links), reverse=True)
        self._hubs = [item for item in visible[:HUB_LABELS] if item.links]

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        if self._links is None or self._entities is None:
            self._build()
        scale = painter.worldTransform().m11() or 1.0
        painter.setOpacity(FADED if self.options.fade_active else 1.0)
        self._paint_body(painter, scale)
        painter.setOpacity(1.0)
        self._paint_selection(painter, scale)
        self._paint_hub_labels(painter, scale)

    def paint_cached(self, painter: QPainter, ratio: float) -> None:
        """As ``paint``, on a screen of ``ratio`` device pixels per pixel, with the links and
        entities copied from a picture drawn once for this zoom and its pixel grid."""
        if self._links is None or self._entities is None:
            self._build()
        world = painter.worldTransform()
        scale = world.m11() or 1.0
        corner = world.map(self._bounds.topLeft())
        x, y = math.floor(corner.x()), math.floor(corner.y())
        key = (scale, ratio, corner.x() - x, corner.y() - y)
        width = math.ceil(self._bounds.width() * scale + 2.0)
        height = math.ceil(self._bounds.height() * scale + 2.0)
        if self.options.fade_active or width * height * ratio * ratio > PICTURE_MAX_PIXELS:
            self.paint(painter, None)  # (faded shapes overlap as they would drawn one by one)
            return
        if self._picture is None or self._picture[0] != key:
            start = time.thread_time()
            self._picture = (key, self._draw_picture(painter, key, width, height))
            self.render_seconds = time.thread_time() - start
        painter.resetTransform()
        painter.drawImage(QPointF(x, y), self._picture[1])
        painter.setWorldTransform(world)
        self._paint_selection(painter, scale)
        self._paint_hub_labels(painter, scale)

    def _draw_picture(self, screen: QPainter, key: tuple[float, float, float, float],
                      width: int, height: int) -> QImage:
        scale, ratio, fx, fy = key
        image = QImage(round(width * ratio), round(height * ratio),
                       QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(ratio)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHints(screen.renderHints())
        painter.translate(fx, fy)
        painter.scale(scale, scale)
        painter.translate(-self._bounds.left(), -self._bounds.top())
        self._paint_body(painter, scale)
        painter.end()
        return image

    def _paint_body(self, painter: QPainter, scale: float) -> None:
        for (colour, strength, width), lines in self._links.items():
            pen = QPen(QColor(colour), max(width, 0.7 / scale), PEN_STYLES[strength])
            pattern = DASH_PATTERNS.get(strength)
            if pattern:
                pen.setDashPattern(pattern)
            painter.setPen(pen)
            painter.drawLines(lines)
        self._paint_entities(painter, scale)

    def _paint_hub_labels(self, painter: QPainter, scale: float) -> None:
        """Labels of the hubs at a fixed on-screen size, on white plates."""
        if not self._hubs or self.options.placed_labels:  # the label layer draws them
            return
        font = QFont(self.options.label_font)
        font.setPixelSize(max(1, round(HUB_LABEL_PIXELS / scale)))
        font.setBold(True)
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        pad = 3.0 / scale
        drawn: list[QRectF] = []
        for item in self._hubs:  # best-connected first; a label that would overlap is skipped
            text = item.label
            pos = item.pos()
            w = metrics.horizontalAdvance(text) + 2 * pad
            h = metrics.height() + pad
            rect = QRectF(pos.x() - w / 2.0, pos.y() + max(item.look.size / 2.0, 4.0 / scale),
                          w, h)
            if any(rect.intersects(other) for other in drawn):
                continue
            drawn.append(rect)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_PLATE)
            painter.drawRect(rect)
            painter.setPen(_TEXT)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_entities(self, painter: QPainter, scale: float) -> None:
        icons, images = self.options.icons, self.options.images
        ratio = self.options.pixel_ratio
        for (icon, colour, size), points in self._entities.items():
            pixels = size * scale
            if pixels < DOT_BELOW_PIXELS:  # a dot in the type's colour, in one call
                pen = QPen(QColor(colour), max(size * 0.8, 2.5 / scale))
                small = pixels * 0.8 < 4.0
                pen.setCapStyle(Qt.PenCapStyle.SquareCap if small else Qt.PenCapStyle.RoundCap)
                painter.setRenderHint(QPainter.RenderHint.Antialiasing, not small)
                painter.setPen(pen)
                painter.drawPoints(points)
                painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
                continue
            pixmap = icons.pixmap(icon, colour, pixels * ratio, images)
            source = QRectF(pixmap.rect())
            half = size / 2.0
            for point in points:
                painter.drawPixmap(QRectF(point.x() - half, point.y() - half, size, size),
                                   pixmap, source)

    def _paint_selection(self, painter: QPainter, scale: float) -> None:
        """Selected links as strong lines in a halo, selected entities in a ring, at a size
        in screen pixels: 229 selected routes among 23,000 stand out at any zoom."""
        entities, links = self._selected()
        # one line per pair of ends: drawn straight from centre to centre, parallel links
        # are one line (Select All on the routes sample drew 23,046 halos for 4,000 pairs)
        pairs = {frozenset((id(link.end1), id(link.end2))): link for link in links
                 if link.isVisible()}
        lines = [QLineF(link.end1.pos(), link.end2.pos()) for link in pairs.values()]
        if lines:
            halo = QPen(_HALO, HALO_PIXELS / scale)
            halo.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(halo)
            painter.drawLines(lines)
            painter.setPen(QPen(SELECTION_STRONG, 2.0 / scale))
            painter.drawLines(lines)
        selected = [item for item in entities if item.isVisible()]
        if not selected:
            return
        painter.setPen(QPen(SELECTION_COLOUR, 3.0 / scale))
        painter.setBrush(QBrush(QColor(30, 136, 229, 90)))
        for item in selected:
            half = max(item.look.size / 2.0 + 5.0, HALO_PIXELS / scale)
            pos = item.pos()
            painter.drawRect(QRectF(pos.x() - half, pos.y() - half, half * 2, half * 2))
