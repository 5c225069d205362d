"""The chart's legend drawn: in a corner of the window's chart view, and on pictures.

The entries come from :func:`workbench.model.legend.legend_entries`; here they are painted as
a white box of rows (a dot in the rule's colour and size, or a line in the link style) with
plain text, so a rule named with markup or template text prints as the characters it holds.
One painting function serves the window (a small overlay widget on the view, so scrolling
never smears it and the chart is not repainted for it) and the exports (painted after the
chart at the picture's own resolution, about 8 pt on paper).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QMargins, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from workbench.model.legend import LegendEntry

TITLE = "Key"
BOX = QColor(255, 255, 255, 235)
BORDER = QColor("#9e9e9e")
TEXT = QColor("#1b1b1b")
NEUTRAL = QColor("#757575")  # a rule that sets only the size keeps each type's colour
STYLES = {"confirmed": Qt.PenStyle.SolidLine, "unconfirmed": Qt.PenStyle.DashLine,
          "tentative": Qt.PenStyle.DotLine}
SCREEN_FONT_PX = 12.0


def _font(font_px: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(max(1, round(font_px)))
    font.setBold(bold)
    return font


def legend_size(entries: Sequence[LegendEntry], font_px: float) -> QSizeF:
    """The box the legend takes at this text size (empty when there are no entries)."""
    if not entries:
        return QSizeF()
    metrics = QFontMetricsF(_font(font_px))
    title = QFontMetricsF(_font(font_px, bold=True)).horizontalAdvance(TITLE)
    text = max([title, *(metrics.horizontalAdvance(e.text) for e in entries)])
    pad, row = font_px * 0.6, font_px * 1.5
    return QSizeF(pad * 2 + font_px * 2.4 + text, pad * 2 + row * (len(entries) + 1))


def paint_legend(painter: QPainter, entries: Sequence[LegendEntry], corner: QPointF,
                 font_px: float) -> QRectF:
    """Paint the legend with its bottom-left corner at ``corner`` (device coordinates of the
    painter as it is); returns the box painted."""
    size = legend_size(entries, font_px)
    if size.isEmpty():
        return QRectF()
    box = QRectF(corner.x(), corner.y() - size.height(), size.width(), size.height())
    pad, row = font_px * 0.6, font_px * 1.5
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(BORDER, max(1.0, font_px / 12)))
    painter.setBrush(QBrush(BOX))
    painter.drawRect(box)
    painter.setPen(TEXT)
    painter.setFont(_font(font_px, bold=True))
    text_left = box.left() + pad + font_px * 2.4
    painter.drawText(QRectF(box.left() + pad, box.top() + pad, box.width(), row),
                     Qt.AlignmentFlag.AlignVCenter, TITLE)
    painter.setFont(_font(font_px))
    for index, entry in enumerate(entries, start=1):
        top = box.top() + pad + row * index
        middle = QPointF(box.left() + pad + font_px * 1.1, top + row / 2)
        _swatch(painter, entry, middle, font_px)
        painter.setPen(TEXT)
        painter.drawText(QRectF(text_left, top, box.right() - text_left, row),
                         Qt.AlignmentFlag.AlignVCenter, entry.text)
    painter.restore()
    return box


def _swatch(painter: QPainter, entry: LegendEntry, middle: QPointF, font_px: float) -> None:
    colour = QColor(entry.colour) if entry.colour else NEUTRAL
    if entry.links:
        pen = QPen(colour if entry.strength is None else TEXT, max(1.5, font_px / 6))
        pen.setStyle(STYLES.get(entry.strength or "confirmed", Qt.PenStyle.SolidLine))
        painter.setPen(pen)
        painter.drawLine(QPointF(middle.x() - font_px, middle.y()),
                         QPointF(middle.x() + font_px, middle.y()))
        return
    radius = font_px * 0.32 * min(max(entry.size or 1.0, 0.6), 2.2)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(colour))
    painter.drawEllipse(middle, radius, radius)


class LegendOverlay(QWidget):
    """The legend in the bottom-left corner of a chart view's viewport."""

    MARGIN = 8

    def __init__(self, viewport: QWidget) -> None:
        super().__init__(viewport)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.entries: list[LegendEntry] = []
        self.hide()

    def show_entries(self, entries: Sequence[LegendEntry]) -> None:
        self.entries = list(entries)
        size = legend_size(self.entries, SCREEN_FONT_PX)
        if size.isEmpty():
            self.hide()
            return
        self.resize(size.toSize().grownBy(QMargins(0, 0, 1, 1)))
        self.place()
        self.show()
        self.update()

    def place(self) -> None:
        parent = self.parentWidget()
        self.move(self.MARGIN, max(0, parent.height() - self.height() - self.MARGIN))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        paint_legend(painter, self.entries, QPointF(0, self.height() - 1), SCREEN_FONT_PX)
        painter.end()

