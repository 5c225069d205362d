"""Where the entities and links are, as numpy arrays: what a click picks on a big chart.

Qt's own hit test asks its BSP index for the items of the cells around a point and calls the
Python ``boundingRect`` and ``shape`` of each. Long links from hubs lie in most cells, so on
a 50,000-entity chart one click touched some 13,000 links (75 ms); twenty clicks took 1.5 s.
Here a click is a few vectorised comparisons over every entity's centre and every link's
course (under a millisecond at 100,000 entities), and only the few items found are asked
anything. The arrays are rebuilt after items are added or removed, and rows are refreshed
when an item moves (``touch``), so a drag does not rebuild them.

The view asks the same arrays what to draw (``drawn_in``): Qt's own paint walks its index
(whose cells hold every hub's long links) or, unindexed, asks every one of 300,000 items its
Python ``boundingRect`` each frame; here a frame is a few comparisons over the arrays and a
straight link is drawn only when its line crosses the window, not merely its bounds.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable

import numpy as np
from PySide6.QtCore import QObject, QPointF, QRectF, QTimer
from PySide6.QtGui import QPainterPath

from workbench.view.entity_item import EntityItem
from workbench.view.link_item import LinkItem, draw_margin, pick_half_width
from workbench.view.look import MAX_LINK_WIDTH

Items = Callable[[], tuple[Iterable[EntityItem], Iterable[LinkItem]]]


class SpatialIndex:
    def __init__(self, items: Items) -> None:
        self._items = items
        self._stale = True
        self._later = False  # a rebuild is waiting for the window to be idle
        self._touched: dict[int, EntityItem | LinkItem] = {}
        self._entities: list[EntityItem] = []
        self._links: list[LinkItem] = []
        self._entity_row: dict[int, int] = {}
        self._link_row: dict[int, int] = {}
        # x, y, icon half + 3, label half width, top, bottom; drawn bounds left, top, right,
        # bottom (from the centre)
        self._e = np.zeros((0, 10))
        # sx, sy, cx, cy, ex, ey, half width, curved, loop; drawn margin, has a label;
        # drawn bounds left, top, right, bottom
        self._k = np.zeros((0, 15))
        self._box = np.zeros((0, 4))  # each link's bounds: left, right, top, bottom
        # The rows of the links made last, measured with their courses (``offer``)
        self._offered: tuple[list[LinkItem], np.ndarray] | None = None

    def invalidate(self) -> None:
        """Items were added or removed: rebuild on the next question."""
        self._stale = True
        self._touched.clear()

    def prepare_later(self, context: QObject) -> None:
        """Rebuild the arrays once the window is idle, if items were added or removed: zoomed
        out, the overview draws without them, and the first click after opening a
        100,000-entity chart waited 0.7 s for them. (``context``: the scene, so that the
        rebuild is dropped with it.)"""
        if self._stale and not self._later:
            self._later = True
            QTimer.singleShot(0, context, self._prepare)

    def _prepare(self) -> None:
        self._later = False
        self._fresh()

    def touch(self, item: EntityItem | LinkItem) -> None:
        """This item moved or changed size: refresh its row on the next question."""
        if not self._stale:
            self._touched[id(item)] = item
        else:  # rows offered before no longer hold for sure
            self._offered = None

    def offer(self, links: list[LinkItem], rows: np.ndarray) -> None:
        """The rows of links just made (as ``link_values`` would give them, computed over
        arrays with their courses, ``link_rows``): the next rebuild takes them instead of
        asking each of a big chart's 200,000 links (half a second as a window opened).
        Taken only while these links are the last ones and none has changed since."""
        self._offered = (links, rows)

    # ----- rows -----------------------------------------------------------------------------
    @staticmethod
    def _entity_values(item: EntityItem) -> tuple[float, ...]:
        pos = item.pos()
        return (pos.x(), pos.y(), *item.footprint, *item.boundingRect().getCoords())

    @staticmethod
    def link_values(item: LinkItem) -> tuple[float, ...]:
        g, look = item.geometry, item.look
        return (g.sx, g.sy, g.cx, g.cy, g.ex, g.ey, pick_half_width(look),
                float(g.bent), float(g.loop), draw_margin(look),
                1.0 if item.shown_text else 0.0, *item.boundingRect().getCoords())

    def _fresh(self) -> None:
        if self._stale:
            entities, links = self._items()
            self._entities, self._links = list(entities), list(links)
            self._entity_row = {id(item): row for row, item in enumerate(self._entities)}
            self._link_row = {id(item): row for row, item in enumerate(self._links)}
            self._e = np.array([self._entity_values(i) for i in self._entities],
                               dtype=float).reshape(-1, 10)
            self._k = self._link_table(self._links)
            self._box = _boxes(self._k)
            self._stale = False
            return
        for key, item in self._touched.items():
            if isinstance(item, EntityItem):
                row = self._entity_row.get(key)
                if row is not None:
                    self._e[row] = self._entity_values(item)
            else:
                row = self._link_row.get(key)
                if row is not None:
                    self._k[row] = self.link_values(item)
                    self._box[row] = _boxes(self._k[row:row + 1])[0]
        self._touched.clear()

    def _link_table(self, links: list[LinkItem]) -> np.ndarray:
        """Every link's row: the rows offered for the last links, the others asked."""
        offered, self._offered = self._offered, None
        if offered is not None:
            made, rows = offered
            before = len(links) - len(made)
            if before >= 0 and all(map(operator.is_, made, links[before:])):
                head = np.array([self.link_values(i) for i in links[:before]],
                                dtype=float).reshape(-1, 15)
                return np.concatenate((head, rows)) if before else rows
        return np.array([self.link_values(i) for i in links], dtype=float).reshape(-1, 15)

    # ----- questions ------------------------------------------------------------------------
    def entities_near(self, x: float, y: float, reach: float) -> list[EntityItem]:
        """Visible entities whose centre is within their icon's radius (``footprint[0]`` - 3,
        the links' stopping distance) or ``reach`` of (x, y), nearest first."""
        self._fresh()
        e = self._e
        if not len(e):
            return []
        distance = np.hypot(e[:, 0] - x, e[:, 1] - y)
        within = np.maximum(e[:, 2], reach)  # footprint radius is the icon's half plus 3
        rows = np.flatnonzero(distance <= within)
        rows = rows[np.argsort(distance[rows], kind="stable")]
        return [item for row in rows if (item := self._entities[row]).isVisible()]

    def entities_at(self, x: float, y: float) -> list[EntityItem]:
        """Visible entities whose shape (the icon with a small margin, and the label under
        it) holds (x, y), topmost (added last) first."""
        self._fresh()
        e = self._e
        if not len(e):
            return []
        dx, dy = np.abs(x - e[:, 0]), y - e[:, 1]
        on_icon = (dx <= e[:, 2]) & (np.abs(dy) <= e[:, 2])
        on_label = (e[:, 3] > 0) & (dx <= e[:, 3]) & (dy >= e[:, 4]) & (dy <= e[:, 5])
        rows = np.flatnonzero(on_icon | on_label)[::-1]
        return [item for row in rows if (item := self._entities[row]).isVisible()]

    def links_at(self, x: float, y: float) -> list[LinkItem]:
        """Visible links whose stroke holds (x, y), topmost (added last) first. Straight
        links are measured here; a curve is asked itself, once its bounds hold the point."""
        self._fresh()
        k = self._k
        if not len(k):
            return []
        box = self._box
        rows = np.flatnonzero((box[:, 0] <= x) & (x <= box[:, 1])
                              & (box[:, 2] <= y) & (y <= box[:, 3]))
        sub = k[rows]
        straight = (sub[:, 7] == 0) & (sub[:, 8] == 0)
        dx, dy = sub[:, 4] - sub[:, 0], sub[:, 5] - sub[:, 1]
        length = np.hypot(dx, dy)
        safe = np.where(length > 0, length, 1.0)
        ux, uy = dx / safe, dy / safe
        px, py = x - sub[:, 0], y - sub[:, 1]
        along = px * ux + py * uy
        across = np.abs(px * uy - py * ux)
        h = sub[:, 6]
        hit = (along >= -h) & (along <= length + h) & (across <= h)  # a square-capped stroke
        keep = np.where(straight, hit, True)
        found = []
        for row in rows[keep][::-1]:
            item = self._links[row]
            if not item.isVisible():
                continue
            if (k[row, 7] or k[row, 8]) and not item.contains_point(x, y):
                continue
            found.append(item)
        return found

    def shapes_in(self, left: float, top: float, right: float, bottom: float,
                  ) -> tuple[list[EntityItem], list[LinkItem]]:
        """The visible entities and links whose shape meets this rectangle (a rubber band),
        each in the order they were added: an entity's icon with its margin, or its label;
        a straight link's stroke, measured as ``LinkItem.collidesWithPath`` measures it; a
        curve is asked itself once its drawn bounds meet the rectangle. Qt's own band asked
        every one of 300,000 items its bounds (0.8-1 s at 100,000 entities)."""
        self._fresh()
        e, k = self._e, self._k
        xs, ys, h, w = e[:, 0], e[:, 1], e[:, 2], e[:, 3]
        on_icon = (xs - h <= right) & (xs + h >= left) & (ys - h <= bottom) & (ys + h >= top)
        on_label = ((w > 0) & (xs - w <= right) & (xs + w >= left)
                    & (ys + e[:, 4] <= bottom) & (ys + e[:, 5] >= top))
        entities = [item for row in np.flatnonzero(on_icon | on_label)
                    if (item := self._entities[row]).isVisible()]
        near = np.flatnonzero((k[:, 11] <= right) & (k[:, 13] >= left)
                              & (k[:, 12] <= bottom) & (k[:, 14] >= top))
        sub = k[near]
        straight = (sub[:, 7] == 0) & (sub[:, 8] == 0)
        meets = _segments_meet(sub[:, 0], sub[:, 1], sub[:, 4], sub[:, 5], sub[:, 6],
                               left, top, right, bottom)
        band = QPainterPath()
        band.addRect(QRectF(QPointF(left, top), QPointF(right, bottom)))
        links = []
        for row in near[~straight | meets]:
            item = self._links[row]
            if item.isVisible() and (not (k[row, 7] or k[row, 8])
                                     or item.collidesWithPath(band)):
                links.append(item)
        return entities, links

    def drawn_in(self, left: float, top: float, right: float, bottom: float,
                 ) -> tuple[list[EntityItem], list[LinkItem]]:
        """The entities and links whose drawing may reach into this rectangle, each in the
        order they were added (Qt's stacking among equals). A straight link without a label
        counts only when its line, widened by its pen's margin, crosses the rectangle (a
        hub's long links have bounds over most of the chart)."""
        self._fresh()
        e, k = self._e, self._k
        xs, ys = e[:, 0], e[:, 1]
        rows = np.flatnonzero((xs + e[:, 6] <= right) & (xs + e[:, 8] >= left)
                              & (ys + e[:, 7] <= bottom) & (ys + e[:, 9] >= top))
        entities = [self._entities[row] for row in rows]
        near = np.flatnonzero((k[:, 11] <= right) & (k[:, 13] >= left)
                              & (k[:, 12] <= bottom) & (k[:, 14] >= top))
        sub = k[near]
        plain = (sub[:, 7] == 0) & (sub[:, 8] == 0) & (sub[:, 10] == 0)
        crosses = _segments_meet(sub[:, 0], sub[:, 1], sub[:, 4], sub[:, 5], sub[:, 9],
                                 left, top, right, bottom)
        links = [self._links[row] for row in near[~plain | crosses]]
        return entities, links

    def ink_in(self, left: float, top: float, right: float, bottom: float) -> float:
        """How much line the straight links without a label draw inside this rectangle
        (scene units of length; shown or hidden by a filter alike: the arrays do not know)."""
        self._fresh()
        k = self._k
        near = np.flatnonzero((k[:, 11] <= right) & (k[:, 13] >= left)
                              & (k[:, 12] <= bottom) & (k[:, 14] >= top)
                              & (k[:, 7] == 0) & (k[:, 8] == 0) & (k[:, 10] == 0))
        sub = k[near]
        _, low, high = _clipped(sub[:, 0], sub[:, 1], sub[:, 4], sub[:, 5],
                                np.zeros(len(sub)), left, top, right, bottom)
        return float(np.sum((high - low) * np.hypot(sub[:, 4] - sub[:, 0],
                                                     sub[:, 5] - sub[:, 1])))


def _segments_meet(x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray,
                   grow: np.ndarray, left: float, top: float, right: float, bottom: float,
                   ) -> np.ndarray:
    """Whether each segment crosses the rectangle grown by its own margin."""
    return _clipped(x0, y0, x1, y1, grow, left, top, right, bottom)[0]


def _clipped(x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray,
             grow: np.ndarray, left: float, top: float, right: float, bottom: float,
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Liang-Barsky clipping, vectorised: whether each segment crosses the rectangle grown
    by its own margin, and the share of the segment where it enters and leaves it."""
    dx, dy = x1 - x0, y1 - y0
    low, high = np.zeros(len(x0)), np.ones(len(x0))
    inside = np.ones(len(x0), dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        for p, q in ((-dx, x0 - (left - grow)), (dx, (right + grow) - x0),
                     (-dy, y0 - (top - grow)), (dy, (bottom + grow) - y0)):
            flat = p == 0.0
            inside &= ~(flat & (q < 0.0))
            r = np.where(flat, 0.0, q / np.where(flat, 1.0, p))
            low = np.where(~flat & (p < 0.0), np.maximum(low, r), low)
            high = np.where(~flat & (p > 0.0), np.minimum(high, r), high)
    meets = inside & (low <= high)
    return meets, low, np.where(meets, high, low)


def link_rows(sx: np.ndarray, sy: np.ndarray, cx: np.ndarray, cy: np.ndarray,
              ex: np.ndarray, ey: np.ndarray, bent: np.ndarray, width: np.ndarray,
              labelled: np.ndarray) -> np.ndarray:
    """``link_values`` of many links that are not loops, over arrays: their courses, pen
    widths and whether a label is shown. The bounds are ``LinkItem``'s: the course grown by
    ``draw_margin``, and the label's box of 180 by 18 around the course's middle."""
    half = np.maximum(8.0, width + 6.0) / 2.0  # pick_half_width
    margin = 8.0 + np.maximum(width, MAX_LINK_WIDTH) * 2.0  # draw_margin
    xs, ys = np.column_stack((sx, cx, ex)), np.column_stack((sy, cy, ey))
    left, right = xs.min(axis=1) - margin, xs.max(axis=1) + margin
    top, bottom = ys.min(axis=1) - margin, ys.max(axis=1) + margin
    mx, my = 0.25 * sx + 0.5 * cx + 0.25 * ex, 0.25 * sy + 0.5 * cy + 0.25 * ey
    left = np.where(labelled, np.minimum(left, mx - 90.0), left)
    right = np.where(labelled, np.maximum(right, mx + 90.0), right)
    top = np.where(labelled, np.minimum(top, my - 9.0), top)
    bottom = np.where(labelled, np.maximum(bottom, my + 9.0), bottom)
    return np.column_stack((sx, sy, cx, cy, ex, ey, half, bent, np.zeros(len(sx)), margin,
                            labelled, left, top, right, bottom)).astype(float)


def _boxes(k: np.ndarray) -> np.ndarray:
    """Bounds of links' courses (their three points) grown by the clickable half width."""
    xs, ys, half = k[:, [0, 2, 4]], k[:, [1, 3, 5]], k[:, 6]
    return np.column_stack((xs.min(axis=1) - half, xs.max(axis=1) + half,
                            ys.min(axis=1) - half, ys.max(axis=1) + half))
