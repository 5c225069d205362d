"""The scene kept in step with the chart: items made, changed, moved and dropped as the model
says (the Chart's signals), one batch at a time.

A mixin of :class:`~workbench.view.scene.ChartScene`, kept apart so the scene module is about
what the scene is (its items, level of detail, the mouse). A batch of links is measured
together (``geometry.courses``): the 200,000 links of a big chart one geometry at a time were a
third of opening it.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QGraphicsItem

from workbench.model import Chart, Entity, Link
from workbench.model.display import COUNT
from workbench.model.formatting import Rule
from workbench.view.entity_item import EntityItem
from workbench.view.geometry import course_arrays, geometries, parallel_offsets
from workbench.view.link_item import LinkItem, label_text
from workbench.view.look import PARALLEL_SPACING, DrawOptions
from workbench.view.presentation import keeps_selection
from workbench.view.spatial import SpatialIndex, link_rows


class Following:
    chart: Chart
    options: DrawOptions
    spatial: SpatialIndex
    _entities: dict[str, EntityItem]
    _links: dict[str, LinkItem]
    _pairs: dict[tuple[str, str], list[str]]
    _rules: list[Rule]
    _raised: set[LinkItem]
    _hidden_entities: frozenset[str]
    _hidden_links: frozenset[str]
    _summary: bool
    _width_attribute: str | None
    _overview: bool

    def _add_entity(self, entity: Entity) -> None:
        item = EntityItem(entity, self._entity_look(entity),
                          self.options)
        if entity.id in self._hidden_entities:
            item.setVisible(False)
        self._entities[entity.id] = item
        self.spatial.invalidate()
        self.addItem(item)
        if self._overview:
            item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)

    def _add_links(self, links: Iterable[Link]) -> None:
        batch = list(links)
        touched: set[tuple[str, str]] = set()
        for link in batch:
            pair = (link.end1, link.end2) if link.end1 <= link.end2 else (link.end2, link.end1)
            ids = self._pairs.setdefault(pair, [])
            ids.append(link.id)
            if len(ids) > 1:
                touched.add(pair)
        if self._width_attribute == COUNT and touched:  # widths are scaled to the busiest pair
            self._measure_width(COUNT)
        # Bows of parallel links are known before the items exist: one geometry each.
        offsets: dict[str, float] = {}
        rearrange: set[tuple[str, str]] = set()
        for pair in touched:
            ids = self._pairs[pair]
            if self._summary or any(i in self._links for i in ids):
                rearrange.add(pair)
                continue
            for link_id, offset in zip(ids, parallel_offsets(len(ids), PARALLEL_SPACING),
                                       strict=True):
                offsets[link_id] = offset
        no_content = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
        hidden = self._hidden_links
        self.spatial.invalidate()
        ends = [(self._entities[link.end1], self._entities[link.end2]) for link in batch]
        bows = np.array([-offset if offset and link.end1 > link.end2 else offset
                         for link in batch for offset in (offsets.get(link.id, 0.0),)],
                        dtype=float)
        looks = [self._link_looks(link) for link in batch]
        sx, sy, cx, cy, ex, ey, loop = self._bulk_courses(ends, bows)
        mode = self.options.link_labels
        rows = link_rows(sx, sy, cx, cy, ex, ey, bows != 0.0,
                         np.array([look.width for _, look in looks], dtype=float),
                         np.array([bool(label_text(link, mode)) for link in batch]))
        bounds = [QRectF(left, top, right - left, bottom - top) if not is_loop else None
                  for (left, top, right, bottom), is_loop
                  in zip(rows[:, 11:].tolist(), loop.tolist(), strict=True)]
        # Each end asked once whether it is shown (most are, and a hub has thousands).
        unseen = {item for item in set(chain.from_iterable(ends)) if not item.isVisible()}
        made = []
        for link, (end1, end2), offset, (base, look), course, rect in zip(
                batch, ends, bows.tolist(), looks, geometries(sx, sy, cx, cy, ex, ey, loop, bows),
                bounds, strict=True):
            item = LinkItem(link, end1, end2, look, self.options, offset, base, course, rect)
            self._links[link.id] = item
            made.append(item)
            end1.links.append(item)
            if end2 is not end1:
                end2.links.append(item)
            if self._overview:
                item.setFlag(no_content, True)
            if hidden or (unseen and (end1 in unseen or end2 in unseen)):
                self._update_link_visibility(item)
            self.addItem(item)
        for row in np.flatnonzero(loop):  # loops are measured one by one
            rows[row] = self.spatial.link_values(made[row])
        self.spatial.offer(made, rows)
        self._arrange_pairs(rearrange)

    @staticmethod
    def _bulk_courses(ends: list[tuple[EntityItem, EntityItem]],
                      bows: np.ndarray) -> tuple[np.ndarray, ...]:
        """The links' courses computed together (``geometry.course_arrays``), each end's
        place and outline asked once."""
        slots: dict[EntityItem, int] = {}
        at = [slots.setdefault(item, len(slots)) for pair in ends for item in pair]
        table = np.array([(pos.x(), pos.y(), *item.footprint)
                          for item in slots for pos in (item.pos(),)],
                         dtype=float).reshape(-1, 6)
        pairs = np.array(at, dtype=np.intp).reshape(-1, 2)
        one, two = table[pairs[:, 0]], table[pairs[:, 1]]
        return course_arrays(one[:, 0], one[:, 1], two[:, 0], two[:, 1], bows,
                             one[:, 2:6], two[:, 2:6])

    def _on_entities_added(self, entities: list[Entity]) -> None:
        for entity in entities:
            self._add_entity(entity)
        self._changed()

    def _on_entities_removed(self, entities: list[Entity]) -> None:
        for entity in entities:
            item = self._entities.pop(entity.id, None)
            if item is not None:
                self.removeItem(item)
        self.spatial.invalidate()
        self._changed()

    def _on_entity_changed(self, entity: Entity, fields: tuple[str, ...]) -> None:
        item = self._entities.get(entity.id)
        if item is None:
            return
        with self._quiet():  # a rule may hide it: Qt's deselection is not the analyst's
            if "x" in fields or "y" in fields:
                item.move_to(entity.x, entity.y)
            old_size = item.look.size
            item.refresh(entity, self._entity_look(entity))
            self._update_entity_visibility(item)
            if item.look.size != old_size:
                for link in item.links:
                    link.update_geometry()
        self._reselect([item, *item.links])
        self._changed()

    def _on_entities_moved(self, positions: dict[str, tuple[float, float]]) -> None:
        self._unindex_for_bulk(len(positions))
        links: dict[int, LinkItem] = {}
        for entity_id, (x, y) in positions.items():
            item = self._entities.get(entity_id)
            if item is not None:
                item.setPos(x, y)
                self.spatial.touch(item)
                for link in item.links:
                    links[id(link)] = link
        for link in links.values():  # each link once, even when both ends moved
            link.update_geometry()
        self._changed()

    @keeps_selection
    def _on_links_added(self, links: list[Link]) -> None:
        self._add_links(links)
        if self._rules:
            self._refresh_ends(links)
        self._changed()

    def _on_links_removed(self, links: list[Link]) -> None:
        touched: set[tuple[str, str]] = set()
        self.spatial.invalidate()
        for link in links:
            item = self._links.pop(link.id, None)
            if item is None:
                continue
            self._raised.discard(item)
            for end in (item.end1, item.end2):
                if item in end.links:
                    end.links.remove(item)
            self.removeItem(item)
            pair = (link.end1, link.end2) if link.end1 <= link.end2 else (link.end2, link.end1)
            ids = self._pairs.get(pair, [])
            if link.id in ids:
                ids.remove(link.id)
            if ids:
                touched.add(pair)
            else:
                self._pairs.pop(pair, None)
        self._arrange_pairs(touched)
        if self._rules:
            self._refresh_ends(links)
        self._changed()

    def _on_link_changed(self, link: Link, fields: tuple[str, ...]) -> None:
        item = self._links.get(link.id)
        if item is not None:
            with self._quiet():
                base, look = self._link_looks(link)
                item.refresh(link, look, base)
                self._update_link_visibility(item)
            self._reselect([item])
            self._changed()

    def _refresh_ends(self, links: Iterable[Link]) -> None:
        """Rules on '@links' depend on link counts: re-format the ends. Only an end whose
        look changes is redrawn, and its links only when its size or visibility changes (a
        hub of the routes sample has thousands: re-selecting them all for each end made a
        Delete of 229 links take a third of a second)."""
        for entity_id in {end for lk in links for end in (lk.end1, lk.end2)}:
            entity, item = self.chart.entities.get(entity_id), self._entities.get(entity_id)
            if entity is None or item is None:
                continue
            look = self._entity_look(entity)
            if look == item.look:
                continue
            was_visible, outline = item.isVisible(), item.footprint
            with self._quiet():
                item.refresh(entity, look)
                self._update_entity_visibility(item, links=False)
                shown = item.isVisible() != was_visible
                for link in item.links:
                    if shown:
                        self._update_link_visibility(link)
                    if item.footprint != outline:  # links stop at the icon's new edge
                        link.update_geometry()
            self._reselect([item, *item.links] if shown else [item])
