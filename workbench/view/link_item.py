"""One link on the chart: a line or curve between two entity items, styled by strength,
with arrowheads by direction and its label in the middle.

Geometry is computed from the two end items' positions whenever either moves; the painter
path is built lazily on the first paint after that, because during a layout or a drag most
links move without ever being painted in between.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from workbench.model import Direction, Link
from workbench.view.entity_item import EntityItem
from workbench.view.geometry import LinkGeometry
from workbench.view.look import (
    DASH_PATTERNS,
    FADED,
    HALO_PIXELS,
    LINK_LABEL_PIXELS,
    MAX_LINK_WIDTH,
    PEN_STYLES,
    SELECTION_COLOUR,
    SELECTION_STRONG,
    DrawOptions,
    LinkLook,
)

_HIGHLIGHT = QColor(SELECTION_COLOUR)
_HIGHLIGHT.setAlpha(120)
_STRONG = QColor(SELECTION_STRONG)
_STRONG_BRUSH = QBrush(_STRONG)
_LABEL_BACK = QBrush(QColor(255, 255, 255, 225))
_TEXT = QColor("#333333")
_CENTRE = Qt.AlignmentFlag.AlignCenter
_SELECTABLE = QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
_NO_PEN = QPen(Qt.PenStyle.NoPen)
_NO_BRUSH = QBrush(Qt.BrushStyle.NoBrush)


LINK_Z = -1.0  # links under entities ...
SELECTED_LINK_Z = -0.5  # ... selected links above the other links

_ARROW_AT_END = frozenset({Direction.FORWARD, Direction.BOTH})
_ARROW_AT_START = frozenset({Direction.REVERSE, Direction.BOTH})
_PENS: dict[tuple[str, float, str], QPen] = {}


def link_pen(look: LinkLook) -> QPen:
    """Pens are shared between links that look alike (20,000 links use a few dozen)."""
    key = (look.colour, look.width, look.strength)
    pen = _PENS.get(key)
    if pen is None:
        pen = QPen(QColor(look.colour), look.width, PEN_STYLES[look.strength])
        pattern = DASH_PATTERNS.get(look.strength)
        if pattern:
            pen.setDashPattern(pattern)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        _PENS[key] = pen
    return pen


def label_text(link: Link, mode: str) -> str:
    """The text a link shows for the link labels the analyst chose ("label", "type", or
    "none")."""
    return link.label if mode == "label" else link.type if mode == "type" else ""


def pick_half_width(look: LinkLook) -> float:
    """How far from its course a link can be clicked (half its shape's stroke)."""
    return max(8.0, look.width + 6.0) / 2.0


def draw_margin(look: LinkLook) -> float:
    """Room around a link's course for its pen, its selection halo and arrowheads; the same
    for every width up to the widest drawn by count, so that a line drawn wider or thinner
    (a summary toggle by count) need not be measured and re-filed again."""
    return 8.0 + max(look.width, MAX_LINK_WIDTH) * 2.0


class LinkItem(QGraphicsItem):
    # Until set otherwise (as class values, so that making 200,000 links sets fewer)
    summary = 0  # when > 1, this item stands for that many links between the pair
    offset = 0.0  # signed bow, set by the scene for parallel links
    geometry: LinkGeometry | None = None
    _cached: tuple | None = None
    _path: QPainterPath | None = None
    _label: tuple[str, QStaticText] | None = None

    def __init__(self, link: Link, end1: EntityItem, end2: EntityItem, look: LinkLook,
                 options: DrawOptions, offset: float = 0.0, base: LinkLook | None = None,
                 course: LinkGeometry | None = None, bounds: QRectF | None = None) -> None:
        """``course``: the link's geometry, and ``bounds`` what ``boundingRect`` gives for
        it, when the scene measured many at once."""
        super().__init__()
        self.item_id = link.id
        self.end1, self.end2 = end1, end2
        self.options = options
        if offset:
            self.offset = offset
        self.rep: LinkItem = self  # the item drawn for this link: itself, or its summary line
        self.setFlags(_SELECTABLE)  # a new item has no other flag (setFlag took 3x longer)
        self.setZValue(LINK_Z)
        if course is None:
            self.refresh(link, look, base)
            return
        self._take(link, look, base)
        self.geometry = course
        self._ends = (end1.footprint, end2.footprint)
        self._bounds = bounds if bounds is not None else self._bounds_now()

    def refresh(self, link: Link, look: LinkLook, base: LinkLook | None = None) -> None:
        """Take the link's label and direction and a new look (``base``: the look before
        a summary line's width by count, when ``look`` is such a line's)."""
        self._take(link, look, base)
        if self.geometry is None or self._ends != (self.end1.footprint, self.end2.footprint):
            self.update_geometry()
        else:  # the course is the same: only the bounds (label, width) may have changed
            self.remeasure()

    def _take(self, link: Link, look: LinkLook, base: LinkLook | None) -> None:
        self.look = look
        self.base_look = base or look
        direction = link.direction
        self.arrow_end = direction in _ARROW_AT_END
        self.arrow_start = direction in _ARROW_AT_START
        self.text = label_text(link, self.options.link_labels)
        if self._cached is not None:
            self._cached = None
        if not look.visible:
            self.setVisible(False)

    @property
    def pen(self) -> QPen:
        return link_pen(self.look)

    def remeasure(self) -> None:
        """Measure the bounds again after the shown text or the width changed; the course
        is kept (a display change restyles 23,000 links of the routes sample, and running
        each course again made Link Labels and Badges take half a second or more)."""
        bounds = self._bounds_now()
        if bounds != self._bounds:
            self.prepareGeometryChange()
            self._bounds = bounds
            if self.options.moved is not None:
                self.options.moved(self)
        self.update()

    def relabel(self, link: Link) -> None:
        """Take the text the options' link labels ask for ("label", "type" or "none"),
        measured again only when the text drawn changes."""
        before = self.shown_text
        self.text = label_text(link, self.options.link_labels)
        if self.shown_text != before:
            self.remeasure()

    def set_look(self, look: LinkLook) -> None:
        """A new colour or width only (a line standing for more or fewer links): the course
        of the link is unchanged, so only its bounds' margin is measured again."""
        old = self.look
        if look == old:
            return
        self.look = look
        self._cached = None
        if not look.visible:
            self.setVisible(False)
        if draw_margin(look) != draw_margin(old):
            self.prepareGeometryChange()
            self._measure()
        if self.options.moved is not None and look.width != old.width:
            self.options.moved(self)
        self.update()

    @property
    def shown_text(self) -> str:
        if self.summary > 1 and self.options.link_labels != "none":  # "No Link Labels": none
            return f"{self.summary} links"
        return self.text

    def update_geometry(self) -> None:
        """Recompute where the link runs (after an end moved or the bow changed)."""
        end1, end2 = self.end1, self.end2
        geometry = LinkGeometry(end1.x(), end1.y(), end2.x(), end2.y(), self.offset,
                                end1.footprint, end2.footprint)
        if self.geometry is not None:
            self.prepareGeometryChange()
        self.geometry = geometry
        self._ends = (end1.footprint, end2.footprint)  # the outlines the course was cut to
        self._path = None
        self._cached = None
        self._measure()
        if self.options.moved is not None:
            self.options.moved(self)

    def _measure(self) -> None:
        self._bounds = self._bounds_now()

    def _bounds_now(self) -> QRectF:
        geometry = self.geometry
        bounds = geometry.bounds(draw_margin(self.look))
        if self.shown_text:
            middle = geometry.middle()
            bounds = bounds.united(QRectF(middle.x() - 90.0, middle.y() - 9.0, 180.0, 18.0))
        return bounds

    def path(self) -> QPainterPath:
        if self._path is None:
            self._path = self.geometry.path()
        return self._path

    def parts(self) -> tuple:
        """What paint() draws, computed once per geometry: (line or path, arrowheads)."""
        shapes = self._cached
        if shapes is None:
            geometry = self.geometry
            width = self.look.width * (1.6 if self.summary > 1 else 1.0)
            line = (QLineF(geometry.sx, geometry.sy, geometry.ex, geometry.ey)
                    if geometry.straight() else None)
            size = 7.0 + width * 1.8
            arrows = []
            if self.arrow_end:
                arrows.append(geometry.arrow_at_end(size))
            if self.arrow_start:
                arrows.append(geometry.arrow_at_start(size))
            pen = self.pen
            if width != pen.widthF():
                pen = QPen(pen)
                pen.setWidthF(width)
            shapes = self._cached = (line, arrows, pen, QBrush(pen.color()), width)
        return shapes

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(2.0 * pick_half_width(self.look))
        return stroker.createStroke(self.path())

    def contains_point(self, x: float, y: float) -> bool:
        """Whether the shape holds (x, y): measured for a straight link (Qt asks this of
        every link whose bounds hold a click; building the stroked shape took 20 us each),
        the stroked shape for a curve."""
        geometry = self.geometry
        if not geometry.straight():
            return self.shape().contains(QPointF(x, y))
        sx, sy = geometry.sx, geometry.sy
        dx, dy = geometry.ex - sx, geometry.ey - sy
        length = math.hypot(dx, dy) or 1.0
        px, py = x - sx, y - sy
        along = (px * dx + py * dy) / length
        half = pick_half_width(self.look)
        return -half <= along <= length + half and abs(px * dy - py * dx) / length <= half

    def contains(self, point: QPointF) -> bool:
        return self.contains_point(point.x(), point.y())

    def collidesWithPath(self, path: QPainterPath,
                         mode: Qt.ItemSelectionMode = Qt.ItemSelectionMode.IntersectsItemShape,
                         ) -> bool:
        """A rubber band (a rectangle) against a straight link: the line clipped to the
        rectangle grown by the stroke's half width, instead of intersecting stroked paths."""
        rect = _as_rect(path)
        if rect is None or not self.geometry.straight() \
                or mode != Qt.ItemSelectionMode.IntersectsItemShape:
            return super().collidesWithPath(path, mode)
        half = pick_half_width(self.look)
        g = self.geometry
        return _segment_meets(g.sx, g.sy, g.ex, g.ey,
                              rect.adjusted(-half, -half, half, half))

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        line, arrows, pen, brush, width = self.parts()
        selected = self.isSelected()
        painter.setOpacity(FADED if self.options.fade_active and not selected else 1.0)
        if selected:  # a wide halo and a strong line, both visible at any zoom
            scale = painter.worldTransform().m11() or 1.0
            halo = min(max(width + 6.0, HALO_PIXELS / scale), 2.0 * draw_margin(self.look) - 4.0)
            painter.setPen(QPen(_HIGHLIGHT, halo,
                                Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            painter.setBrush(_NO_BRUSH)
            painter.drawPath(self.path())
            pen = QPen(_STRONG, max(width, 2.0 / scale), Qt.PenStyle.SolidLine,
                       Qt.PenCapStyle.FlatCap)
            brush = _STRONG_BRUSH
        painter.setPen(pen)
        if line is not None:
            painter.drawLine(line)
        else:
            painter.setBrush(_NO_BRUSH)
            painter.drawPath(self.path())
        if arrows:
            painter.setPen(_NO_PEN)
            painter.setBrush(brush)
            for arrow in arrows:
                painter.drawPolygon(arrow)
        text = self.shown_text
        if text and LINK_LABEL_PIXELS * painter.worldTransform().m11() \
                >= self.options.min_label_pixels:
            self._paint_label(painter, text)

    def _paint_label(self, painter: QPainter, text: str) -> None:
        label = self._label
        if label is None or label[0] != text:  # measured and laid out once per text
            font = self.options.link_font
            elided = QFontMetricsF(font).elidedText(" ".join(text.split()),
                                                    Qt.TextElideMode.ElideRight, 170.0)
            static = QStaticText(elided)
            static.setTextFormat(Qt.TextFormat.PlainText)  # labels are untrusted text
            static.prepare(QTransform(), font)
            label = self._label = (text, static)
        static = label[1]
        size = static.size()
        middle = self.geometry.middle()
        w, h = size.width() + 8.0, max(size.height() + 2.0, 15.0)
        rect = QRectF(middle.x() - w / 2.0, middle.y() - h / 2.0, w, h)
        painter.setPen(_NO_PEN)
        painter.setBrush(_LABEL_BACK)
        painter.drawRect(rect)
        painter.setPen(_TEXT)
        painter.setFont(self.options.link_font)
        painter.drawStaticText(QPointF(rect.left() + 4.0, middle.y() - size.height() / 2.0),
                               static)


def _as_rect(path: QPainterPath) -> QRectF | None:
    """The rectangle a path is, when it is one (a rubber band in an unrotated view)."""
    if path.elementCount() != 5:
        return None
    rect = path.boundingRect()
    corners = {(rect.left(), rect.top()), (rect.right(), rect.top()),
               (rect.left(), rect.bottom()), (rect.right(), rect.bottom())}
    for index in range(5):
        element = path.elementAt(index)
        if (element.x, element.y) not in corners:
            return None
    return rect


def _segment_meets(x0: float, y0: float, x1: float, y1: float, rect: QRectF) -> bool:
    """Whether the segment crosses the rectangle (Liang-Barsky clipping)."""
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - rect.left()), (dx, rect.right() - x0),
                 (-dy, y0 - rect.top()), (dy, rect.bottom() - y0)):
        if p == 0.0:
            if q < 0.0:
                return False
            continue
        r = q / p
        if p < 0.0:
            low = max(low, r)
        else:
            high = min(high, r)
        if low > high:
            return False
    return True
