"""Drawing a timeline with a QPainter: theme lines, the axis with its breaks, events.

One painter for the dock, the picture export and the report, so the three agree. It draws in
logical pixels at fixed font sizes (a zoomed-out timeline keeps readable labels, it shows fewer
of them), and returns where each event landed, for clicks and for the tests.

Large timelines stay smooth: only events in the window (and on theme lines in view) are looked
at, and those of one theme line (or pair of lines) that fall within a few pixels are drawn as
one mark, wider the more it stands for, with its count when there is room
(``timeline_marks``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen

from workbench.view.look import SELECTION_COLOUR
from workbench.view.timeline_axis import Tick, TimeAxis, choose_step, ticks
from workbench.view.timeline_data import TimelineData
from workbench.view.timeline_marks import (
    MAX_MARKS,
    draw_frame,
    draw_links,
    draw_span,
    group_marks,
)

LABEL_WIDTH = 170.0  # event labels longer than this are elided
FRAME_HEIGHT = 18.0
GRID = QColor("#e3e6ea")
INK = QColor("#222222")
MUTED = QColor("#5f6670")


@dataclass
class Viewport:
    """Where the timeline is drawn: its size, the axis window shown, and the margins."""

    width: float
    height: float
    u0: float
    u1: float
    left: float = 150.0  # theme labels
    top: float = 50.0  # the axis: tick labels and their context
    right: float = 18.0
    bottom: float = 12.0
    row_height: float = 48.0
    scroll: float = 0.0  # vertical offset of the theme lines

    def x_of(self, u: np.ndarray | float) -> np.ndarray:
        span = max(self.u1 - self.u0, 1e-9)
        plot = self.width - self.left - self.right
        return self.left + (np.asarray(u) - self.u0) / span * plot

    def u_at(self, x: float) -> float:
        span = self.u1 - self.u0
        return self.u0 + (x - self.left) / max(self.width - self.left - self.right, 1) * span

    def y_of(self, row: np.ndarray | int) -> np.ndarray:
        return self.top + self.row_height * (np.asarray(row) + 0.5) - self.scroll


@dataclass
class Fonts:
    theme: QFont = field(default_factory=lambda: font(13, bold=True))
    tick: QFont = field(default_factory=lambda: font(12))
    context: QFont = field(default_factory=lambda: font(12, bold=True))
    event: QFont = field(default_factory=lambda: font(12))


def font(pixels: int, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(pixels)
    font.setBold(bold)
    return font


@dataclass
class Drawn:
    """Where the visible events landed: event index, rectangle (x0, y0, x1, y1), per event."""

    index: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    rects: np.ndarray = field(default_factory=lambda: np.zeros((0, 4)))
    bucket: float = 5.0  # pixels one mark stood for
    marks: int = 0  # marks painted (aggregates count once)
    labels: int = 0  # event labels written

    def hit(self, x: float, y: float, slack: float = 4.0) -> np.ndarray:
        """Indices of the events under (x, y): those of the nearest mark (a mark that stands
        for several events gives them all)."""
        r = self.rects
        inside = ((r[:, 0] - slack <= x) & (x <= r[:, 2] + slack)
                  & (r[:, 1] - slack <= y) & (y <= r[:, 3] + slack))
        found = np.flatnonzero(inside)
        if not len(found):
            return found
        near = found[np.argmin(np.abs((r[found, 0] + r[found, 2]) / 2 - x))]
        same = found[(np.abs(r[found, 0] - r[near, 0]) < self.bucket)
                     & (r[found, 1] == r[near, 1]) & (r[found, 3] == r[near, 3])]
        return self.index[same]

    def rect_of(self, event: int) -> tuple[float, float, float, float] | None:
        at = np.flatnonzero(self.index == event)
        return tuple(self.rects[at[0]]) if len(at) else None


def visible(data: TimelineData, axis: TimeAxis, view: Viewport) -> np.ndarray:
    """Events that overlap the window shown, found by binary search on the sorted starts."""
    t0, t1 = float(axis.t_of(view.u0)), float(axis.t_of(view.u1))
    stop = np.searchsorted(data.start, t1, side="left")  # what starts at t1 is after it
    candidates = np.arange(stop)
    return candidates[data.end[:stop] >= t0]


def paint(painter: QPainter, data: TimelineData, axis: TimeAxis, view: Viewport,
          selected: frozenset[str] = frozenset(), fonts: Fonts | None = None) -> Drawn:
    fonts = fonts or Fonts()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.fillRect(QRectF(0, 0, view.width, view.height), QColor("white"))
    painter.save()
    painter.setClipRect(QRectF(view.left, view.top, view.width - view.left, view.height))
    marks = _ticks(axis, view, fonts)
    _breaks(painter, axis, view)
    _grid(painter, marks, view)
    _theme_lines(painter, data, view, selected)
    drawn = _events(painter, data, axis, view, selected, fonts)
    painter.restore()
    _axis(painter, axis, view, fonts, marks)
    _theme_labels(painter, data, view, selected, fonts)
    return drawn


# ----- background ----------------------------------------------------------------------------
def _breaks(painter: QPainter, axis: TimeAxis, view: Viewport) -> None:
    for br in axis.breaks:
        x0, x1 = float(view.x_of(br.u0)), float(view.x_of(br.u1))
        if x1 < view.left or x0 > view.width:
            continue
        painter.fillRect(QRectF(x0, view.top, x1 - x0, view.height - view.top),
                         QColor("#f1f2f4"))
        painter.setPen(QPen(MUTED, 1.2))
        for x in (x0, x1):  # the zigzag edges of the cut
            path = QPainterPath(QPointF(x, view.top))
            y, step = view.top, 6.0
            while y < view.height:
                path.lineTo(x + (3 if int((y - view.top) / step) % 2 == 0 else -3), y + step)
                y += step
            painter.drawPath(path)


def _theme_lines(painter: QPainter, data: TimelineData, view: Viewport,
                 selected: frozenset[str]) -> None:
    for r, (entity_id, colour) in enumerate(zip(data.themes, data.theme_colours, strict=True)):
        y = float(view.y_of(r))
        if y < view.top - view.row_height or y > view.height + view.row_height:
            continue
        chosen = entity_id in selected
        pen = QPen(SELECTION_COLOUR if chosen else QColor(colour), 3.0 if chosen else 2.0)
        painter.setPen(pen)
        painter.drawLine(QPointF(view.left, y), QPointF(view.width, y))


def _theme_labels(painter: QPainter, data: TimelineData, view: Viewport,
                  selected: frozenset[str], fonts: Fonts) -> None:
    painter.fillRect(QRectF(0, view.top, view.left - 4, view.height - view.top),
                     QColor("white"))
    painter.setFont(fonts.theme)
    metrics = QFontMetricsF(fonts.theme)
    for r, (entity_id, label) in enumerate(zip(data.themes, data.theme_labels, strict=True)):
        y = float(view.y_of(r))
        if y < view.top or y > view.height:
            continue
        text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, view.left - 16)
        box = QRectF(6, y - metrics.height() / 2 - 2, view.left - 12, metrics.height() + 4)
        if entity_id in selected:
            painter.fillRect(box, QColor("#d6e6fb"))
        painter.setPen(INK)
        painter.drawText(box.adjusted(4, 0, 0, 0),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)


def _ticks(axis: TimeAxis, view: Viewport, fonts: Fonts) -> list[tuple[float, Tick]]:
    """The ticks in view with their x: the finest calendar step whose labels fit."""
    metrics = QFontMetricsF(fonts.tick)
    plot = view.width - view.left - view.right
    per_pixel = (view.u1 - view.u0) / max(plot, 1)
    _, unit, count = choose_step(per_pixel, metrics.horizontalAdvance)
    out = []
    for a, b in axis.segments(view.u0, view.u1):
        for tick in ticks(a, b, unit, count):
            x = float(view.x_of(axis.u_of(tick.t)))
            if view.left - 1 <= x <= view.width - view.right + 1:
                out.append((x, tick))
    return out


def _grid(painter: QPainter, marks: list[tuple[float, Tick]], view: Viewport) -> None:
    painter.setPen(QPen(GRID, 1.0))
    for x, _ in marks:
        painter.drawLine(QPointF(x, view.top), QPointF(x, view.height))


def _axis(painter: QPainter, axis: TimeAxis, view: Viewport, fonts: Fonts,
          marks: list[tuple[float, Tick]]) -> None:
    painter.fillRect(QRectF(0, 0, view.width, view.top), QColor("white"))
    painter.setPen(QPen(MUTED, 1.0))
    painter.drawLine(QPointF(view.left, view.top - 1), QPointF(view.width, view.top - 1))
    metrics = QFontMetricsF(fonts.tick)
    last_context, context_end = "", -1e9
    for x, tick in marks:
        painter.setPen(QPen(MUTED, 1.0))
        painter.drawLine(QPointF(x, view.top - 6), QPointF(x, view.top - 1))
        painter.setFont(fonts.tick)
        painter.setPen(INK)
        if x + 3 + metrics.horizontalAdvance(tick.text) <= view.width:
            painter.drawText(QPointF(x + 3, view.top - 9), tick.text)
        if tick.context and tick.context != last_context and x > context_end:
            painter.setFont(fonts.context)
            painter.drawText(QPointF(x + 3, view.top - 28), tick.context)
            context_end = x + QFontMetricsF(fonts.context).horizontalAdvance(
                tick.context) + 12
            last_context = tick.context
    painter.setFont(fonts.tick)
    for br in axis.breaks:
        x0, x1 = float(view.x_of(br.u0)), float(view.x_of(br.u1))
        if view.left <= (x0 + x1) / 2 <= view.width:
            painter.setPen(MUTED)
            painter.drawText(QRectF(x0 - 40, view.top - 46, x1 - x0 + 80, 14),
                             Qt.AlignmentFlag.AlignCenter, "gap: " + _gap_words(br.t1 - br.t0))


def _gap_words(span: float) -> str:
    days = span / 86400
    if days >= 730:
        return f"{days / 365.25:.0f} years"
    if days >= 60:
        return f"{days / 30.44:.0f} months"
    return f"{days:.0f} days"


# ----- events --------------------------------------------------------------------------------
def _events(painter: QPainter, data: TimelineData, axis: TimeAxis, view: Viewport,
            selected: frozenset[str], fonts: Fonts) -> Drawn:
    idx = visible(data, axis, view)
    stub = view.row_height * 0.36
    ya = view.y_of(data.row_a[idx])
    two = data.row_b[idx] >= 0
    yb = np.where(two, view.y_of(np.maximum(data.row_b[idx], 0)), ya)
    # theme lines scrolled out of view: their events are not looked at
    shown = (np.maximum(ya, yb) + stub >= view.top) & (np.minimum(ya, yb) - stub <= view.height)
    idx, ya, yb, two = idx[shown], ya[shown], yb[shown], two[shown]
    if not len(idx):
        return Drawn()
    x0 = view.x_of(axis.u_of(data.start[idx]))
    x1 = np.maximum(view.x_of(axis.u_of(data.end[idx])), x0)
    span = (x1 - x0) >= 2.0
    entity = ~data.is_link[idx]
    below = data.arrow[idx] == -1  # a stub in: under the line
    half = np.where(entity, FRAME_HEIGHT / 2, np.where(span, 5.0, 0.0))
    top = np.where(two, np.minimum(ya, yb), ya - np.where(below, 0, np.maximum(half, stub)))
    top = np.where(entity | (span & ~two), ya - half, top)
    bottom = np.where(two, np.maximum(ya, yb), ya + np.where(below, stub * 0.8, half))
    rects = np.column_stack([x0, top, np.maximum(x1, x0 + np.where(entity, 8, 0)), bottom])
    sel = np.array([i in selected for i in data.ids[idx].tolist()], dtype=bool) \
        if selected else np.zeros(len(idx), dtype=bool)
    marks = group_marks(data, idx, x0, x1, span)
    if len(marks.first) > MAX_MARKS:  # too many pairs of lines: count on each line instead
        idx, ya, yb, two, x0, x1, span, entity, below, rects, sel = _on_each_line(
            data, view, idx, ya, yb, two, x0, x1, span, entity, below, rects, sel)
        marks = group_marks(data, idx, x0, x1, span, rows=_rows_drawn(view, ya))
    drawn = Drawn(idx, rects, bucket=marks.bucket)
    first = marks.first
    lit = marks.any(sel)
    ev = idx[first]
    drawn.marks = len(first)
    points = ~span[first] & ~entity[first]
    for highlight in (False, True):  # the selection on top
        on = points & (lit == highlight)
        arrows = data.arrow[ev][on] if not marks.dense else np.zeros(int(on.sum()), np.int8)
        draw_links(painter, x0[first][on], ya[first][on], yb[first][on], two[first][on],
                   arrows, stub, data.colour[ev][on], data.strength[ev][on],
                   marks.count[on], highlight)
        for k in np.flatnonzero(~points & (lit == highlight)).tolist():
            f, i = first[k], ev[k]
            if entity[f]:
                draw_frame(painter, rects[f], data.colour[i], highlight, int(marks.count[k]))
            else:
                draw_span(painter, rects[f], float(ya[f]), float(yb[f]), bool(two[f]),
                          int(data.arrow[i]), data.colour[i], int(data.strength[i]),
                          highlight, int(marks.count[k]))
    # where each mark's label goes (its middle, left end): after an event frame, inside a
    # span's band, beside a link's line near its first theme line
    lx = np.where(entity, rects[:, 2], x0)[first] + 4
    ly = np.where(entity | span, ya, np.where(
        two, ya + np.where(yb > ya, 10.0, -10.0),
        np.where(below, ya + stub * 0.45, ya - stub * 0.55)))[first]
    labels = _LabelPlacer(view, fonts, data.row_a[ev], rects[first])
    for k in np.argsort(lx, kind="stable").tolist():
        count = int(marks.count[k])
        text = f"{count:,}" if count > 1 else str(data.label[ev[k]])
        if text and labels.place(painter, k, text, float(lx[k]), float(ly[k])):
            drawn.labels += 1
    return drawn


def _rows_drawn(view: Viewport, ya: np.ndarray) -> np.ndarray:
    return np.round((ya - view.top + view.scroll) / view.row_height - 0.5).astype(np.int64)


def _on_each_line(data: TimelineData, view: Viewport, idx, ya, yb, two, x0, x1, span, entity,
                  below, rects, sel) -> tuple:
    """The dense view's events: a link between two lines once on each, as a tick."""
    again = np.flatnonzero(two)
    pick = np.r_[np.arange(len(idx)), again]
    y = np.r_[ya, yb[again]]
    tick = np.column_stack([x0[pick], y - view.row_height * 0.36, x1[pick], y])
    tick = np.where(entity[pick][:, None], rects[pick], tick)
    return (idx[pick], y, y, np.zeros(len(pick), dtype=bool), x0[pick], x1[pick], span[pick],
            entity[pick], np.zeros(len(pick), dtype=bool), tick, sel[pick])


class _LabelPlacer:
    """Event labels, left to right, where they overlap neither the last label on the same
    line nor another mark on it: a label that would be hidden is not written."""

    def __init__(self, view: Viewport, fonts: Fonts, rows: np.ndarray, rects: np.ndarray) -> None:
        self.view, self.font = view, fonts.event
        self.metrics = QFontMetricsF(fonts.event)
        self.rows, self.rects = rows, rects
        self.right: dict[int, float] = {}
        self.marks: dict[int, np.ndarray] = {}
        for row in np.unique(rows).tolist():
            on = rows == row
            self.marks[row] = np.sort(np.concatenate([rects[on, 0], rects[on, 2]]))

    def place(self, painter: QPainter, k: int, text: str, x: float, y: float) -> bool:
        """Write ``text`` from x, centred on y, if it has room."""
        row = int(self.rows[k])
        if x < self.right.get(row, -1e9) or x > self.view.width - 20:
            return False
        text = self.metrics.elidedText(text, Qt.TextElideMode.ElideRight, LABEL_WIDTH)
        width = self.metrics.horizontalAdvance(text)
        if x < self.right.get(row, -1e9) or x + width > self.view.width - 2:
            return False
        marks = self.marks[row]
        lo, hi = np.searchsorted(marks, [x - 1, x + width + 3])
        if hi > lo:  # another mark under the label
            return False
        self.right[row] = x + width + 8
        painter.setFont(self.font)
        painter.setPen(INK)
        painter.drawText(QPointF(x, y + self.metrics.ascent() / 2 - 1.5), text)
        return True
