"""The marks of a timeline: events grouped by pixel, links drawn in batches, spans and frames.

A painter call costs microseconds, Python around it more: 100,000 events drawn one by one take
seconds. So events are grouped first (one mark per theme line, or pair of lines, per few
pixels; the few pixels grow until at most MAX_MARKS marks are left), and the link marks, the
bulk, are drawn with one ``drawLines`` and one arrowhead path per colour and line style.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen

from workbench.view.look import DASH_PATTERNS, SELECTION_COLOUR
from workbench.view.timeline_data import STRENGTHS, TimelineData

BUCKET = 5.0  # events of one line closer than this many pixels are one mark ...
MAX_MARKS = 4000  # ... more pixels when that leaves more marks than this


@dataclass
class Marks:
    """Groups of events drawn as one mark: ``first`` (position of its first event), ``count``;
    ``order`` and ``starts`` give each group's members (order[starts[k]:starts[k+1]])."""

    first: np.ndarray
    count: np.ndarray
    order: np.ndarray
    starts: np.ndarray
    bucket: float
    dense: bool = False  # links counted on each of their lines, not drawn between them

    def any(self, flags: np.ndarray) -> np.ndarray:
        """Per mark: whether any of its events has ``flags``."""
        if not len(self.first):
            return np.zeros(0, dtype=bool)
        return np.maximum.reduceat(flags[self.order].astype(np.int8), self.starts).astype(bool)


def group_marks(data: TimelineData, idx: np.ndarray, x0: np.ndarray, x1: np.ndarray,
                span: np.ndarray, rows: np.ndarray | None = None) -> Marks:
    """Events at ``idx`` (drawn from x0 to x1) grouped into marks: same kind, same theme line
    or pair, same bucket of pixels (spans: the same pixel extent). Zoomed in every event has
    its own mark; zoomed out a busy day is one mark with its count. With ``rows`` (one theme
    line per event), events are grouped by that line alone: the dense view (Marks.dense),
    when the pairs of lines alone would make too many marks."""
    if rows is not None:
        pair = rows.astype(np.int64) * 2 + data.is_link[idx]
    else:
        pair = ((data.row_a[idx].astype(np.int64) * (len(data.themes) + 2)
                 + data.row_b[idx].astype(np.int64) + 1) * 2 + data.is_link[idx])
    pairs = int(pair.max()) + 1 if len(pair) else 1
    extent = np.clip(np.round(x1 - x0), 0, 1e5).astype(np.int64)
    bucket = BUCKET
    limit = 64 * BUCKET if rows is not None else 4 * BUCKET
    while True:
        cell = np.where(span, np.round(x0), np.floor(x0 / bucket))
        cell = np.clip(cell + 1e6, 0, 4e6).astype(np.int64)
        key = (cell * 100_001 + np.where(span, extent, 0)) * pairs + pair
        order = np.argsort(key, kind="stable")
        ordered = key[order]
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        if len(starts) <= MAX_MARKS or bucket >= limit:
            break
        bucket *= 2
    count = np.diff(np.r_[starts, len(order)])
    return Marks(order[starts], count, order, starts, bucket, dense=rows is not None)


def _pen(colour: QColor, strength: int, width: float) -> QPen:
    pen = QPen(colour, width)
    pattern = DASH_PATTERNS.get(STRENGTHS[strength])
    if pattern:
        pen.setDashPattern(pattern)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    return pen


def weight(count: np.ndarray | int) -> np.ndarray:
    """Line width of a mark standing for ``count`` events: 1.6, then thicker by doubling."""
    return 1.6 + 1.4 * np.log2(np.maximum(np.asarray(count, dtype=np.float64), 1.0))


def draw_links(painter: QPainter, x: np.ndarray, ya: np.ndarray, yb: np.ndarray,
               two: np.ndarray, arrow: np.ndarray, stub: float, colour: np.ndarray,
               strength: np.ndarray, count: np.ndarray, highlight: bool) -> None:
    """Links at their time: a line between the two theme lines they join, arrowheads by
    direction. With one end on a theme line, a short stub: above the line for what went out
    from it (a call made), below for what came in, the arrow pointing the way it went."""
    if not len(x):
        return
    tip = np.where(two, yb, np.where(arrow == -1, ya + stub * 0.8, ya - stub))
    widths = np.round(weight(count) * 2) / 2
    # arrowheads: from -> to along the line; +1 towards the far end, -1 towards the theme
    # line (a link whose far end is row_a's own partner), 2 both
    colours = colour if not highlight else np.full(len(x), "", dtype=object)
    keys = {}
    for k, key in enumerate(zip(colours.tolist(), strength.tolist(), widths.tolist(),
                                strict=True)):
        keys.setdefault(key, []).append(k)
    for (name, style, width), members in keys.items():
        ink = SELECTION_COLOUR if highlight else QColor(name)
        pen_width = width + (1.5 if highlight else 0.0)
        painter.setPen(_pen(ink, style, pen_width))
        m = np.asarray(members)
        painter.drawLines([QLineF(a, b, a, c) for a, b, c in zip(
            x[m].tolist(), ya[m].tolist(), tip[m].tolist(), strict=True)])
        heads = QPainterPath()
        size = 2.5 + pen_width
        for a, b, c, d in zip(x[m].tolist(), ya[m].tolist(), tip[m].tolist(),
                              arrow[m].tolist(), strict=True):
            if d in (1, 2):
                _head(heads, a, b, c, size)
            if d in (-1, 2):
                _head(heads, a, c, b, size)
        if not heads.isEmpty():
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(ink)
            painter.drawPath(heads)


def _head(path: QPainterPath, x: float, y_from: float, y_to: float, size: float) -> None:
    down = 1.0 if y_to > y_from else -1.0
    path.moveTo(x, y_to)
    path.lineTo(x - size * 0.6, y_to - down * size * 1.3)
    path.lineTo(x + size * 0.6, y_to - down * size * 1.3)
    path.closeSubpath()


def draw_span(painter: QPainter, r: np.ndarray, ya: float, yb: float, two: bool, arrow: int,
              colour: str, strength: int, highlight: bool, count: int) -> None:
    """A link dated only to a year, month or day: a band over the time it may have been on
    each theme line it joins, and between two lines a connector at the middle of the span."""
    x0, _, x1, _ = (float(v) for v in r)
    ink = SELECTION_COLOUR if highlight else QColor(colour)
    fill = QColor(ink)
    fill.setAlphaF(min(0.18 + 0.06 * float(np.log2(count + 1)), 0.6))
    painter.setBrush(fill)
    painter.setPen(_pen(ink, strength, 1.0))
    for y in ((ya, yb) if two else (ya,)):
        painter.drawRect(QRectF(x0, y - 5, x1 - x0, 10))
    if two:
        down = 1.0 if yb > ya else -1.0
        draw_links(painter, np.array([(x0 + x1) / 2]), np.array([ya + 5 * down]),
                   np.array([yb - 5 * down]), np.array([True]), np.array([arrow]), 0.0,
                   np.array([colour], dtype=object), np.array([strength]), np.array([count]),
                   highlight)


def draw_frame(painter: QPainter, r: np.ndarray, colour: str, highlight: bool,
               count: int) -> None:
    """An event frame: a rounded box as long as the event lasts (at least a small square);
    a second outline behind it when it stands for several events."""
    x0, y0, x1, y1 = (float(v) for v in r)
    if count > 1:
        painter.setBrush(QColor("white"))
        painter.setPen(QPen(QColor(colour), 1.0))
        painter.drawRoundedRect(QRectF(x0 + 3, y0 - 3, x1 - x0, y1 - y0), 4, 4)
    painter.setBrush(QColor(colour).lighter(170))
    painter.setPen(QPen(SELECTION_COLOUR if highlight else QColor(colour),
                        3.0 if highlight else 1.5))
    painter.drawRoundedRect(QRectF(x0, y0, x1 - x0, y1 - y0), 4, 4)
