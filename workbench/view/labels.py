"""Entity labels at a readable size at every zoom, placed so that none overlaps another.

Drawn in the scene's units, a label zooms with the chart: at the 31-41 % that fits the Nov13
sample in a window it would be 4 pixels high, so the items used to leave labels out below
about 70 %, and a fitted chart was a field of anonymous icons. Here one item draws the labels
in screen pixels instead: at the chart's own size when that is readable, else at the smallest
readable size (about 8 px x-height), never smaller. Which labels are drawn is decided by a
placement pass: entities in order of importance (selected, emphasised such as search hits,
then by number of links and icon size), each label taken if its plate overlaps no label or
icon taken before, checked against a grid of screen cells so the pass is near-linear. A
chart of a few hundred entities shows every label that fits; a big one the labels of its
most important entities, never none. The view reruns the pass after a zoom or scroll; a
label that is drawn is also a place to click (``label_at``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from workbench.view.entity_item import EntityItem
from workbench.view.look import FADED, LABEL_PIXELS, SELECTION_COLOUR, DrawOptions

READABLE_X_HEIGHT = 8.0  # screen pixels: smaller text is not drawn at all
MAX_LABELS = 800  # labels placed at most (a 1600x1000 window holds about this many)
MAX_TRIED = 6000  # candidates tried at most in one pass (a 20,000-entity chart stays quick)
MAX_MISSES = 300  # ... and the pass ends after this many in a row found no room
CELL = 64.0  # screen pixels per side of a cell of the placement grid
PAD_X, PAD_Y = 4.0, 2.0  # around the text on its plate
_PLATE = QBrush(QColor(255, 255, 255, 225))
_SELECTED_PLATE = QBrush(SELECTION_COLOUR)
_TEXT = QColor("#1b1b1b")
_WHITE = QColor("#ffffff")

Box = tuple[float, float, float, float]  # left, top, right, bottom in screen pixels


def readable_pixels(font: QFont) -> int:
    """The smallest pixel size of ``font`` whose x-height is readable."""
    probe = QFont(font)
    for pixels in range(8, 40):
        probe.setPixelSize(pixels)
        if QFontMetricsF(probe).xHeight() >= READABLE_X_HEIGHT - 0.01:
            return pixels
    return 40


class Grid:
    """Boxes filed by the screen cells they touch, to ask "does this box overlap one taken
    before?" without comparing it with all of them."""

    def __init__(self, cell: float = CELL) -> None:
        self.cell = cell
        self._cells: dict[tuple[int, int], list[Box]] = {}

    def _keys(self, box: Box) -> Iterable[tuple[int, int]]:
        c = self.cell
        for gx in range(int(box[0] // c), int(box[2] // c) + 1):
            for gy in range(int(box[1] // c), int(box[3] // c) + 1):
                yield gx, gy

    def overlaps(self, box: Box) -> bool:
        left, top, right, bottom = box
        cells = self._cells
        for key in self._keys(box):
            for other in cells.get(key, ()):
                if left < other[2] and other[0] < right and top < other[3] and other[1] < bottom:
                    return True
        return False

    def add(self, box: Box) -> None:
        for key in self._keys(box):
            self._cells.setdefault(key, []).append(box)


def place(choices: Iterable[Iterable[Box]], icons: Sequence[Box] | None = None,
          bounds: Box | None = None, limit: int = MAX_LABELS,
          avoid: Iterable[Box] = ()) -> list[tuple[int, Box]]:
    """The labels taken, as (index, its box), in the order given (most important first).
    Each label may go in one of its boxes (under its icon, else around it). A taken box lies
    inside ``bounds`` and overlaps no box taken before it, nor the icon of a more important
    entity (``icons[i]`` is the icon of label i): a hub in the thick of the chart is named
    even if its label covers lesser icons, which then go unnamed. Choices may be generators:
    once the screen is full (MAX_MISSES in a row find no room) the rest are never made.
    No label goes over a box of ``avoid`` (a picture's legend)."""
    grid = Grid()
    for box in avoid:
        grid.add(box)
    taken: list[tuple[int, Box]] = []
    misses = 0
    for index, boxes in enumerate(choices):
        misses += 1
        for box in boxes:
            if bounds is not None and (box[0] < bounds[0] or box[1] < bounds[1]
                                       or box[2] > bounds[2] or box[3] > bounds[3]):
                continue
            if grid.overlaps(box):
                continue
            grid.add(box)
            taken.append((index, box))
            misses = 0
            break
        if len(taken) >= limit or misses >= MAX_MISSES:
            break
        if icons is not None:
            grid.add(icons[index])
    return taken


class Placed:
    """One label taken by the placement pass: its entity, text and plate around the anchor
    (the entity's centre) in screen pixels."""

    __slots__ = ("box", "item", "static", "text")

    def __init__(self, item: EntityItem, text: str, box: Box) -> None:
        self.item, self.text, self.box = item, text, box
        self.static: QStaticText | None = None  # laid out on first paint, then reused


class LabelLayer(QGraphicsItem):
    """Draws the placed labels over the chart in screen pixels (one item for all)."""

    def __init__(self, options: DrawOptions,
                 ranked: Callable[[], Sequence[tuple[EntityItem, float, float]]]) -> None:
        super().__init__()
        self.options = options
        self._ranked = ranked
        self._bounds = QRectF()
        self._placed: list[Placed] = []
        self._pixels = 0.0  # font pixel size of the placement
        self._scale = 0.0  # zoom the placement was made for
        self._minimum = readable_pixels(options.label_font)
        self._widths: dict[str, float] = {}  # label text -> plate width at _widths_pixels
        self._widths_pixels = 0.0
        # the ranking last placed from and its entities' places as an array: on a
        # 100,000-entity chart, finding those in the window one by one in Python took most
        # of a placement (about 50 of 80 ms), and the view places after every pause in a pan
        self._ranking: Sequence[tuple[EntityItem, float, float]] | None = None
        self._xy = np.zeros((0, 2))
        self.setZValue(10.0)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    @property
    def placed(self) -> list[Placed]:
        return self._placed

    def label_pixels(self, scale: float, minimum: float | None = None) -> float:
        """The font size labels are drawn at for this zoom: the chart's own, or the smallest
        readable size (``minimum`` device pixels, by default the screen's) when the chart's
        own would be smaller."""
        # (whole pixels, rounded up: the font is set in whole pixels, never below the minimum)
        return max(LABEL_PIXELS * scale,
                   float(self._minimum if minimum is None else math.ceil(minimum - 1e-6)))

    def place(self, transform: QTransform, viewport: QRectF,
              minimum: float | None = None, avoid: Iterable[Box] = ()) -> bool:
        """Choose the labels to draw for a view with this transform (scene to device) and
        device rectangle; False when they are the same as before (nothing to redraw).
        ``minimum`` is the smallest font size in device pixels a reader can read there: by
        default the screen's (about 8 px x-height); a picture gives the size of 7 pt as it
        will be printed, so a big chart drawn small names fewer entities, legibly. No label
        goes over a box of ``avoid`` (device pixels)."""
        scale = transform.m11() or 1.0
        pixels = self.label_pixels(scale, minimum)
        metrics = QFontMetricsF(self._font(pixels))
        if pixels != self._widths_pixels:
            self._widths, self._widths_pixels = {}, pixels
        widths = self._widths
        height = metrics.height() + 2 * PAD_Y
        bounds = (viewport.left(), viewport.top(), viewport.right(), viewport.bottom())
        anchors = self._anchors(transform, bounds)
        icons = []
        for item, x, y in anchors:  # (the middle of it: a plate may touch its rim)
            half = max(item.look.size * scale / 2.0 - 2.0, 1.0)
            icons.append((x - half, y - half, x + half, y + half))

        def width_of(label: str) -> float:
            width = widths.get(label)
            if width is None:
                width = widths[label] = metrics.horizontalAdvance(label) + 2 * PAD_X
            return width

        choices = (_around(x, y, max(item.look.size * scale / 2.0, 2.0) + 2.0,
                           width_of(item.label), height) for item, x, y in anchors)
        taken = place(choices, icons, bounds, avoid=avoid)
        placed = [Placed(anchors[i][0], anchors[i][0].label,
                         _relative(box, anchors[i][1], anchors[i][2])) for i, box in taken]
        if pixels == self._pixels and [(p.item, p.box) for p in placed] == [
                (p.item, p.box) for p in self._placed]:
            return False  # the same labels in the same places: nothing to redraw
        self._placed = placed
        self._pixels, self._scale = pixels, scale
        self._measure()
        self.update()
        return True

    def _anchors(self, transform: QTransform, bounds: Box,
                 ) -> list[tuple[EntityItem, float, float]]:
        """The ranked entities whose centre is in the window (device pixels), most important
        first, with that centre: at most MAX_TRIED. (The view neither rotates nor shears.)"""
        ranked = self._ranked()
        if ranked is not self._ranking:  # a new ranking: the chart or the selection changed
            self._ranking = ranked
            self._xy = np.array([(x, y) for _item, x, y in ranked], dtype=float).reshape(-1, 2)
        left, top, right, bottom = bounds
        xs = self._xy[:, 0] * transform.m11() + transform.dx()
        ys = self._xy[:, 1] * transform.m22() + transform.dy()
        rows = np.flatnonzero((xs >= left) & (xs <= right) & (ys >= top) & (ys <= bottom))
        return [(ranked[row][0], float(xs[row]), float(ys[row])) for row in rows[:MAX_TRIED]]

    def _measure(self) -> None:
        """Bounds: where the placed labels are in the scene (for Qt's repaints)."""
        rect = QRectF()
        scale = self._scale
        for placed in self._placed:
            pos = placed.item.pos()
            box = placed.box
            rect = rect.united(QRectF(pos.x() + box[0] / scale, pos.y() + box[1] / scale,
                                      (box[2] - box[0]) / scale, (box[3] - box[1]) / scale))
        self.prepareGeometryChange()
        self._bounds = rect.adjusted(-2.0, -2.0, 2.0, 2.0)

    def clear(self) -> None:
        self._placed = []
        self.prepareGeometryChange()
        self._bounds = QRectF()

    def label_at(self, pos: QPointF, transform: QTransform) -> EntityItem | None:
        """The entity whose drawn label is under this scene point, if any."""
        if not self.isVisible():
            return None
        point = transform.map(pos)
        x, y = point.x(), point.y()
        for placed in reversed(self._placed):  # drawn last is on top
            anchor = transform.map(placed.item.pos())
            box = placed.box
            if (anchor.x() + box[0] <= x <= anchor.x() + box[2]
                    and anchor.y() + box[1] <= y <= anchor.y() + box[3]
                    and placed.item.isVisible() and placed.item.scene() is not None):
                return placed.item
        return None

    def _font(self, pixels: float) -> QFont:
        font = QFont(self.options.label_font)
        font.setPixelSize(max(1, round(pixels)))
        return font

    # ----- Qt -------------------------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        """Nothing for Qt to hit: clicks on labels are resolved by ``label_at``."""
        return QPainterPath()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        if not self._placed:
            return
        world = painter.worldTransform()
        fade = self.options.fade_active
        painter.resetTransform()  # from here on, screen pixels
        font = self._font(self._pixels)
        painter.setFont(font)
        for placed in self._placed:
            item = placed.item
            if not item.isVisible() or item.scene() is None:  # hidden or deleted since
                continue
            anchor = world.map(item.pos())
            box = placed.box
            rect = QRectF(anchor.x() + box[0], anchor.y() + box[1], box[2] - box[0],
                          box[3] - box[1])
            selected = item.isSelected()
            painter.setOpacity(FADED if fade and not item.lit else 1.0)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_SELECTED_PLATE if selected else _PLATE)
            painter.drawRect(rect)
            painter.setPen(_WHITE if selected else _TEXT)
            static = placed.static
            if static is None:
                static = placed.static = QStaticText(placed.text)
                static.setTextFormat(Qt.TextFormat.PlainText)  # labels are untrusted text
                static.prepare(QTransform(), font)
            painter.drawStaticText(QPointF(rect.left() + PAD_X, rect.top() + PAD_Y), static)
        painter.setOpacity(1.0)
        painter.setWorldTransform(world)


def _around(x: float, y: float, gap: float, width: float, height: float) -> Iterator[Box]:
    """Where a label may go, in order of preference: under the icon, above it, to its right,
    to its left, then at its corners (``gap``: from the centre to just past the icon)."""
    half, corner = width / 2.0, gap * 0.7
    yield x - half, y + gap, x + half, y + gap + height
    yield x - half, y - gap - height, x + half, y - gap
    yield x + gap, y - height / 2.0, x + gap + width, y + height / 2.0
    yield x - gap - width, y - height / 2.0, x - gap, y + height / 2.0
    yield x + corner, y + corner, x + corner + width, y + corner + height
    yield x + corner, y - corner - height, x + corner + width, y - corner
    yield x - corner - width, y + corner, x - corner, y + corner + height
    yield x - corner - width, y - corner - height, x - corner, y - corner


def _relative(box: Box, x: float, y: float) -> Box:
    return box[0] - x, box[1] - y, box[2] - x, box[3] - y
