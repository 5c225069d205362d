"""One entity on the chart: a tinted icon, its label underneath, badges, selection halo.

The item keeps only what it needs to paint (label text, look); the Chart stays the truth and
the scene refreshes the item when the entity changes. Painting adapts to the zoom: the label
and badges are skipped when they would be too small to read, and the icon comes from a
pixmap cache at the size it is shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from workbench.model import Entity, Kind
from workbench.view.look import (
    BADGE_PIXELS,
    FADED,
    HALO_PIXELS,
    LABEL_PIXELS,
    LABEL_WIDTH,
    SELECTION_COLOUR,
    DrawOptions,
    EntityLook,
)

if TYPE_CHECKING:
    from workbench.view.link_item import LinkItem

_GI = QGraphicsItem.GraphicsItemFlag
_FLAGS = _GI.ItemIsSelectable | _GI.ItemIsMovable
SHORT_LABEL = 18  # labels up to this many characters always fit: no need to measure-elide
_HALO_PEN = QPen(SELECTION_COLOUR, 3.0)
_HALO_PEN.setCosmetic(True)  # three screen pixels at any zoom
_HALO_BRUSH = QBrush(QColor(30, 136, 229, 90))
_LABEL_BACK = QBrush(QColor(255, 255, 255, 215))
_SELECTED_LABEL_BACK = QBrush(QColor(30, 136, 229))
_TEXT = QColor("#1b1b1b")
_WHITE = QColor("#ffffff")
_CENTRE = Qt.AlignmentFlag.AlignCenter
_NO_PEN = QPen(Qt.PenStyle.NoPen)


def badge_texts(entity: Entity, names: tuple[str, ...]) -> list[str]:
    """The short texts of the badges the analyst chose: a flag shows its name when set."""
    out = []
    for name in names:
        value = entity.attributes.get(name)
        if value is None:
            continue
        if value.kind is Kind.FLAG:
            if value.value:
                out.append(name)
            continue
        text = value.display()
        out.append(text if len(text) <= 14 else text[:13] + "…")
    return out


class EntityItem(QGraphicsItem):
    """Drawn with its centre at the entity's (x, y)."""

    def __init__(self, entity: Entity, look: EntityLook, options: DrawOptions) -> None:
        super().__init__()
        self.item_id = entity.id
        self.options = options
        self.links: list[LinkItem] = []  # kept by the scene; refreshed when this item moves
        self.lit = False  # selected, or the end of a selected link: never faded
        self.setPos(entity.x, entity.y)
        self._bounds: QRectF | None = None
        self.refresh(entity, look)
        self.setFlags(_FLAGS)

    # ----- data -----------------------------------------------------------------------------
    def refresh(self, entity: Entity, look: EntityLook) -> None:
        """Take a new label, look or badges from the model (and re-measure)."""
        placed = self._bounds is not None
        if placed:
            self.prepareGeometryChange()
        self.look = look
        metrics = self.options.label_metrics
        label = entity.label
        if "\n" in label or "\t" in label or "  " in label:  # one line under the icon
            label = " ".join(label.split())
        if len(label) > SHORT_LABEL:
            label = metrics.elidedText(label, Qt.TextElideMode.ElideRight, LABEL_WIDTH)
        self.label = label
        self._static: QStaticText | None = None
        self.badges = badge_texts(entity, self.options.badges) if self.options.badges else []
        half = look.size / 2.0
        width = metrics.horizontalAdvance(self.label) + 8.0 if self.label else 0.0
        self._label_width = width
        self._rects = None  # the icon's and label's rectangles, made when first painted
        # the icon with room for its halo, and the label's plate (measured, not united:
        # a fifth of making each of 100,000 entities)
        reach = max(half + 6.0, width / 2.0 + 1.0) if self.label else half + 6.0
        bottom = half + LABEL_PIXELS + 8.0 if self.label else half + 6.0
        bounds = QRectF(-reach, -half - 6.0, 2.0 * reach, bottom + half + 6.0)
        if self.badges:
            badge_metrics = QFontMetricsF(self.options.badge_font)
            widest = max(badge_metrics.horizontalAdvance(t) for t in self.badges) + 10.0
            bounds = bounds.united(QRectF(half - 7.0, -half - 8.0, widest,
                                          (BADGE_PIXELS + 4.0) * len(self.badges) + 2.0))
        self._bounds = bounds
        self.footprint = (half + 3.0, width / 2.0 if self.label else 0.0, half + 2.0,
                          half + 2.0 + LABEL_PIXELS + 5.0)
        if not look.visible or not self.isVisible():
            self.setVisible(look.visible)
        if placed:
            self.update()
            if self.options.moved is not None:
                self.options.moved(self)

    @property
    def radius(self) -> float:
        """Distance from the centre at which links stop (the icon's edge plus a gap)."""
        return self.look.size * 0.5 + 3.0

    def _made_rects(self) -> tuple[QRectF, QRectF]:
        """Made when first drawn or asked, not for each of 100,000 entities as a chart opens
        (most are never drawn at a size where the rectangles matter)."""
        rects = self._rects
        if rects is None:
            size, width = self.look.size, self._label_width
            half = size / 2.0
            rects = self._rects = (QRectF(-half, -half, size, size),
                                   QRectF(-width / 2.0, half + 2.0, width, LABEL_PIXELS + 5.0))
        return rects

    # ----- Qt -------------------------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        icon_box, label_box = self._made_rects()
        path.addRect(icon_box.adjusted(-3.0, -3.0, 3.0, 3.0))
        if self.label:
            path.addRect(label_box)
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        scale = painter.worldTransform().m11() or 1.0
        options = self.options
        selected = self.isSelected()
        look = self.look
        icon_box, label_box = self._made_rects()
        painter.setOpacity(FADED if options.fade_active and not self.lit else 1.0)
        if selected:  # a ring that stays a few pixels wide however far out the chart is
            painter.setPen(_HALO_PEN)
            painter.setBrush(_HALO_BRUSH)
            grow = max(5.0, HALO_PIXELS / scale)
            painter.drawRoundedRect(icon_box.adjusted(-grow, -grow, grow, grow),
                                    grow + 1.0, grow + 1.0)
        if options.frames:
            painter.setPen(QPen(QColor(look.colour), 1.6))
            painter.setBrush(QBrush(_WHITE))
            painter.drawEllipse(icon_box.adjusted(-3.0, -3.0, 3.0, 3.0))
        ratio = options.pixel_ratio
        icon_rect = icon_box.adjusted(4.0, 4.0, -4.0, -4.0) if options.frames \
            else icon_box
        pixmap = options.icons.pixmap(look.icon, look.colour,
                                      icon_rect.width() * scale * ratio, options.images)
        painter.drawPixmap(icon_rect, pixmap, QRectF(pixmap.rect()))
        if self.label and not options.placed_labels \
                and LABEL_PIXELS * scale >= options.min_label_pixels:
            painter.setPen(_NO_PEN)
            painter.setBrush(_SELECTED_LABEL_BACK if selected else _LABEL_BACK)
            painter.drawRect(label_box)
            painter.setPen(_WHITE if selected else _TEXT)
            painter.setFont(options.label_font)
            static = self._static
            if static is None:  # laid out once, then drawn from the cache at every zoom
                static = self._static = QStaticText(self.label)
                static.setTextFormat(Qt.TextFormat.PlainText)  # labels are untrusted text
                static.prepare(QTransform(), options.label_font)
            size = static.size()
            painter.drawStaticText(QPointF(-size.width() / 2.0, label_box.top()
                                           + (label_box.height() - size.height()) / 2.0),
                                   static)
        if self.badges and BADGE_PIXELS * scale >= options.min_badge_pixels:
            self._paint_badges(painter)

    def _paint_badges(self, painter: QPainter) -> None:
        painter.setFont(self.options.badge_font)
        metrics = QFontMetricsF(self.options.badge_font)
        colour = QColor(self.look.colour).darker(115)
        icon_box = self._made_rects()[0]
        x = icon_box.right() - 6.0
        y = icon_box.top() - 7.0
        for text in self.badges:
            rect = QRectF(x, y, metrics.horizontalAdvance(text) + 8.0, BADGE_PIXELS + 3.0)
            painter.setPen(QPen(_WHITE, 1.0))
            painter.setBrush(colour)
            painter.drawRoundedRect(rect, 5.0, 5.0)
            painter.setPen(_WHITE)
            painter.drawText(rect, _CENTRE, text)
            y += BADGE_PIXELS + 4.0

    def move_to(self, x: float, y: float) -> None:
        """Move and bring the links along (model moves; Qt drags go through the scene)."""
        self.setPos(x, y)
        if self.options.moved is not None:
            self.options.moved(self)
        for link in self.links:
            link.update_geometry()
