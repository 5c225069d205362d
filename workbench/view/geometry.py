"""Link geometry: where a link starts and ends, how parallel links curve apart, arrowheads.

Several links between the same two entities are drawn as quadratic curves bowed to either
side by a fixed spacing, so they never overlap. The bow is measured against a canonical
direction of the pair (from the smaller entity id to the larger), so a link A->B and a link
B->A get opposite offsets and do not land on top of each other. Ends are pulled back to the
icon's edge so arrowheads stay visible.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainterPath, QPolygonF

Footprint = tuple[float, float, float, float]
"""An entity's outline for links: (icon radius, label half width, label top, label bottom),
relative to its centre; a half width of 0 means no label."""


def parallel_offsets(count: int, spacing: float) -> list[float]:
    """Offsets of ``count`` links between one pair: 0 for one, then symmetric around 0."""
    return [(i - (count - 1) / 2.0) * spacing for i in range(count)]


class LinkGeometry:
    """The three points of a (possibly straight) quadratic link and its arrowheads."""

    __slots__ = ("bent", "cx", "cy", "ex", "ey", "loop", "sx", "sy")

    def __init__(self, x1: float, y1: float, x2: float, y2: float, offset: float,
                 end1: Footprint, end2: Footprint) -> None:
        self.loop = x1 == x2 and y1 == y2
        # Decided here, not by comparing the control point with the middle of the clipped
        # ends afterwards: ends clipped by different amounts (a label plate at one end) move
        # that middle, and two thirds of straight links were then drawn as slow curves.
        self.bent = offset != 0.0
        r1, r2 = end1[0], end2[0]
        if self.loop:  # a link from an entity to itself: a loop above the icon
            size = r1 + abs(offset)
            self.sx, self.sy = x1 - r1 * 0.45, y1 - r1 * 0.9
            self.ex, self.ey = x1 + r1 * 0.45, y1 - r1 * 0.9
            self.cx, self.cy = x1, y1 - r1 - size * 2.0
            return
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        nx, ny = -dy / length, dx / length
        self.cx = (x1 + x2) / 2.0 + nx * offset * 2.0
        self.cy = (y1 + y2) / 2.0 + ny * offset * 2.0
        if length <= r1 + r2 + 2.0:  # icons overlap: draw centre to centre
            self.sx, self.sy, self.ex, self.ey = x1, y1, x2, y2
            return
        self.sx, self.sy = _towards(x1, y1, self.cx, self.cy, end1)
        self.ex, self.ey = _towards(x2, y2, self.cx, self.cy, end2)

    def straight(self) -> bool:
        return not (self.loop or self.bent)

    def bounds(self, margin: float) -> QRectF:
        xs = (self.sx, self.cx, self.ex)
        ys = (self.sy, self.cy, self.ey)
        left, top = min(xs), min(ys)
        return QRectF(left - margin, top - margin, max(xs) - left + 2 * margin,
                      max(ys) - top + 2 * margin)

    def path(self) -> QPainterPath:
        path = QPainterPath(QPointF(self.sx, self.sy))
        if self.loop:
            path.cubicTo(QPointF(self.sx - 18.0, self.cy), QPointF(self.ex + 18.0, self.cy),
                         QPointF(self.ex, self.ey))
        elif self.straight():
            path.lineTo(self.ex, self.ey)
        else:
            path.quadTo(QPointF(self.cx, self.cy), QPointF(self.ex, self.ey))
        return path

    def middle(self) -> QPointF:
        """Where the label goes: the curve's point at t = 0.5."""
        if self.loop:  # just above the top of the loop
            return QPointF(self.cx, self.sy + 0.75 * (self.cy - self.sy) - 9.0)
        return QPointF(0.25 * self.sx + 0.5 * self.cx + 0.25 * self.ex,
                       0.25 * self.sy + 0.5 * self.cy + 0.25 * self.ey)

    def arrow_at_end(self, size: float) -> QPolygonF:
        if self.loop:
            return arrowhead(self.ex, self.ey, -0.3, 1.0, size)
        return arrowhead(self.ex, self.ey, self.ex - self.cx, self.ey - self.cy, size)

    def arrow_at_start(self, size: float) -> QPolygonF:
        if self.loop:
            return arrowhead(self.sx, self.sy, 0.3, 1.0, size)
        return arrowhead(self.sx, self.sy, self.sx - self.cx, self.sy - self.cy, size)


def clip_distance(footprint: Footprint, ux: float, uy: float) -> float:
    """How far from an entity's centre a link leaving along unit (ux, uy) should start:
    past the icon's circle, and past the label plate when it leaves downwards through it
    (else the arrowhead would hide under the label)."""
    radius, half_width, top, bottom = footprint
    if half_width <= 0.0 or uy <= 1e-9 or abs(ux) * top / uy > half_width:
        return radius
    exit_bottom = bottom / uy
    exit_side = half_width / abs(ux) if abs(ux) > 1e-9 else exit_bottom
    return max(radius, min(exit_bottom, exit_side) + 2.0)


def _towards(x: float, y: float, tx: float, ty: float,
             footprint: Footprint) -> tuple[float, float]:
    dx, dy = tx - x, ty - y
    length = math.hypot(dx, dy)
    if length < 1e-9:
        return x, y
    ux, uy = dx / length, dy / length
    distance = clip_distance(footprint, ux, uy)
    return x + ux * distance, y + uy * distance


def arrowhead(tip_x: float, tip_y: float, dx: float, dy: float, size: float) -> QPolygonF:
    """A filled triangle with its tip at (tip_x, tip_y), pointing along (dx, dy)."""
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    bx, by = tip_x - ux * size, tip_y - uy * size
    half = size * 0.42
    return QPolygonF([
        QPointF(tip_x, tip_y),
        QPointF(bx - uy * half, by + ux * half),
        QPointF(bx + uy * half, by - ux * half),
    ])


def courses(x1: np.ndarray, y1: np.ndarray, x2: np.ndarray, y2: np.ndarray,
            offset: np.ndarray, end1: np.ndarray, end2: np.ndarray,
            ) -> list[LinkGeometry | None]:
    """``LinkGeometry`` of many links at once (ends' centres, bows, and footprints as rows of
    four), computed over arrays: building the 200,000 links of a big chart one geometry at a
    time was a third of opening it. A loop (both ends at one place) is left None for the
    caller to make one by one."""
    return geometries(*course_arrays(x1, y1, x2, y2, offset, end1, end2), offset)


def course_arrays(x1: np.ndarray, y1: np.ndarray, x2: np.ndarray, y2: np.ndarray,
                  offset: np.ndarray, end1: np.ndarray, end2: np.ndarray,
                  ) -> tuple[np.ndarray, ...]:
    """The courses of ``courses`` as arrays: sx, sy, cx, cy, ex, ey and whether each is a
    loop (whose points here mean nothing: a loop is measured by ``LinkGeometry``)."""
    dx, dy = x2 - x1, y2 - y1
    length = np.hypot(dx, dy)
    loop = (x1 == x2) & (y1 == y2)
    safe = np.where(loop, 1.0, length)
    nx, ny = -dy / safe, dx / safe
    cx = (x1 + x2) / 2.0 + nx * offset * 2.0
    cy = (y1 + y2) / 2.0 + ny * offset * 2.0
    close = length <= end1[:, 0] + end2[:, 0] + 2.0  # icons overlap: centre to centre
    sx, sy = _towards_many(x1, y1, cx, cy, end1)
    ex, ey = _towards_many(x2, y2, cx, cy, end2)
    sx, sy = np.where(close, x1, sx), np.where(close, y1, sy)
    ex, ey = np.where(close, x2, ex), np.where(close, y2, ey)
    return sx, sy, cx, cy, ex, ey, loop


def geometries(sx: np.ndarray, sy: np.ndarray, cx: np.ndarray, cy: np.ndarray,
               ex: np.ndarray, ey: np.ndarray, loop: np.ndarray, offset: np.ndarray,
               ) -> list[LinkGeometry | None]:
    """One ``LinkGeometry`` per course of ``course_arrays`` (None for a loop)."""
    out: list[LinkGeometry | None] = []
    new = object.__new__
    for a, b, c, d, e, f, bow, is_loop in zip(
            sx.tolist(), sy.tolist(), cx.tolist(), cy.tolist(), ex.tolist(), ey.tolist(),
            offset.tolist(), loop.tolist(), strict=True):
        if is_loop:
            out.append(None)
            continue
        geometry = new(LinkGeometry)
        geometry.loop, geometry.bent = False, bow != 0.0
        geometry.sx, geometry.sy, geometry.cx, geometry.cy = a, b, c, d
        geometry.ex, geometry.ey = e, f
        out.append(geometry)
    return out


def _towards_many(x: np.ndarray, y: np.ndarray, tx: np.ndarray, ty: np.ndarray,
                  footprint: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``_towards`` over arrays (``clip_distance`` included)."""
    dx, dy = tx - x, ty - y
    length = np.hypot(dx, dy)
    still = length < 1e-9
    safe = np.where(still, 1.0, length)
    ux, uy = dx / safe, dy / safe
    radius, half_width, top, bottom = footprint.T
    ax = np.abs(ux)
    with np.errstate(divide="ignore", invalid="ignore"):
        through = (half_width > 0.0) & (uy > 1e-9) & ~(ax * top / uy > half_width)
        exit_bottom = bottom / uy
        exit_side = np.where(ax > 1e-9, half_width / np.where(ax > 1e-9, ax, 1.0),
                             exit_bottom)
    distance = np.where(through, np.maximum(radius, np.minimum(exit_bottom, exit_side) + 2.0),
                        radius)
    return (np.where(still, x, x + ux * distance), np.where(still, y, y + uy * distance))
