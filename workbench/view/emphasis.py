"""What stands out on the chart, and what a click picks.

A mixin of :class:`~workbench.view.scene.ChartScene`, kept apart so the scene module is about
following the model: the shared selection kept in step with Qt's (the model's selection is the
truth; a summary line stands for its links), selected items drawn above the rest and the rest
faded on request, which labels are named first, and what a click at a point means (an icon, a
drawn label, an entity near a small dot, then a link).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Signal
from PySide6.QtGui import QTransform
from PySide6.QtWidgets import QGraphicsItem

from workbench.model import Chart, Selection
from workbench.view.entity_item import EntityItem
from workbench.view.labels import Box, LabelLayer
from workbench.view.link_item import LINK_Z, SELECTED_LINK_Z, LinkItem
from workbench.view.look import DrawOptions

if TYPE_CHECKING:
    from workbench.view.overview import OverviewItem
    from workbench.view.spatial import SpatialIndex

PICK_PIXELS = 9.0  # a click this close to an entity's centre on screen picks the entity


class Emphasis:
    chart: Chart
    selection: Selection
    options: DrawOptions
    overview: OverviewItem
    labels: LabelLayer
    spatial: SpatialIndex
    labels_outdated: Signal
    _entities: dict[str, EntityItem]
    _links: dict[str, LinkItem]
    _pairs: dict[tuple[str, str], list[str]]
    _hidden_links: frozenset[str]
    _syncing: bool
    _overview: bool
    _raised: set[LinkItem]
    _lit: dict[str, int]
    _ranking: list[tuple[EntityItem, float, float]] | None
    _emphasis: frozenset[str]

    def _selected_items(self) -> tuple[list[EntityItem], list[LinkItem]]:
        """The selected entity items and the lines drawn for the selected links."""
        entities = [self._entities[i] for i in self.selection.entities if i in self._entities]
        lines = {id(item.rep): item.rep for i in self.selection.links
                 if (item := self._links.get(i)) is not None}
        return entities, list(lines.values())

    # ----- selection ------------------------------------------------------------------------
    def _qt_selection_changed(self) -> None:
        """The analyst clicked or dragged a band: read Qt's selection into the shared one.

        A summary line stands for its pair's links: newly selected, it selects them all;
        still selected, the links of its pair chosen before (by a histogram bar, say) stay
        exactly those."""
        if self._syncing:
            return
        before = self.selection.links
        entities, links = [], []
        for item in self.selectedItems():
            if isinstance(item, EntityItem):
                entities.append(item.item_id)
            elif isinstance(item, LinkItem):
                if item.summary > 1:
                    pair = self._links_of_pair(item)
                    chosen = [i for i in pair if i in before]
                    links.extend(chosen or [i for i in pair if i not in self._hidden_links])
                else:
                    links.append(item.item_id)
        self._syncing = True
        try:
            self.selection.set(entities, links)
        finally:
            self._syncing = False
        self._selection_drawn()

    def select_in(self, rect: QRectF, kept: Iterable[QGraphicsItem] = ()) -> None:
        """A rubber band over ``rect`` (scene units): the items whose shape meets it, and
        ``kept`` (what was selected when a Ctrl or Shift band began), become the selection,
        read into the shared selection once, and only if it changed. The items come from the
        spatial index: Qt's own band asked every item of an unindexed scene (0.8-1 s a
        mouse move at 100,000 entities)."""
        entities, links = self.spatial.shapes_in(rect.left(), rect.top(), rect.right(),
                                                 rect.bottom())
        wanted: set[QGraphicsItem] = set(kept)
        wanted.update(entities)
        wanted.update(links)
        changed = False
        with self._quiet():
            for item in self.selectedItems():
                if item not in wanted:
                    item.setSelected(False)
                    changed = True
            for item in wanted:
                if not item.isSelected():
                    item.setSelected(True)
                    changed = True
        if changed:
            self._qt_selection_changed()

    def _links_of_pair(self, item: LinkItem) -> list[str]:
        a, b = item.end1.item_id, item.end2.item_id
        return self._pairs.get((a, b) if a <= b else (b, a), [item.item_id])

    def apply_selection(self) -> None:
        """Make Qt's selection match the shared Selection: a link folded into a summary line
        selects that line, a hidden item is selected again when it is shown."""
        if self._syncing:
            return
        wanted: set[QGraphicsItem] = set()
        for entity_id in self.selection.entities:
            item = self._entities.get(entity_id)
            if item is not None:
                wanted.add(item)
        for link_id in self.selection.links:
            item = self._links.get(link_id)
            if item is not None:
                wanted.add(item.rep)
        self._syncing = True
        self.blockSignals(True)
        try:
            for item in self.selectedItems():
                if item not in wanted:
                    item.setSelected(False)
            for item in wanted:
                if not item.isSelected():
                    item.setSelected(True)
        finally:
            self.blockSignals(False)
            self._syncing = False
        self._selection_drawn()

    @contextmanager
    def _quiet(self) -> Iterator[None]:
        """Qt's selection changes inside are side effects (an item hidden is deselected by
        Qt), not the analyst's: they do not reach the shared selection."""
        if self._syncing:
            yield
            return
        self._syncing = True
        try:
            yield
        finally:
            self._syncing = False

    def _reselect(self, items: Iterable[EntityItem | LinkItem]) -> None:
        """Qt's selection of these items (a link: the line drawn for it) made the model's
        again, after one changed: cheaper than ``apply_selection`` for a change of one item
        among thousands selected."""
        entities, links = self.selection.entities, self.selection.links
        with self._quiet():
            for item in items:
                if isinstance(item, EntityItem):
                    line, wanted = item, item.item_id in entities
                else:
                    line = item.rep
                    ids = self._links_of_pair(line) if line.summary > 1 else [line.item_id]
                    wanted = any(i in links for i in ids)
                if line.isSelected() != wanted:
                    line.setSelected(wanted)

    def _selection_drawn(self) -> None:
        """Selected lines are drawn above the others; selected entities and the ends of
        selected links are "lit" (never faded, named first); fading depends on whether
        anything is selected, so all is redrawn when that flips."""
        raised = {item for item in self.selectedItems() if isinstance(item, LinkItem)}
        for item in self._raised - raised:
            item.setZValue(LINK_Z)
        for item in raised - self._raised:
            item.setZValue(SELECTED_LINK_Z)
        self._raised = raised
        lit = dict.fromkeys(self.selection.entities, len(self.chart.links) + 1)
        for link_id in self.selection.links:
            link = self.chart.links.get(link_id)
            if link is not None:
                lit[link.end1] = lit.get(link.end1, 0) + 1
                lit[link.end2] = lit.get(link.end2, 0) + 1
        for entity_id in lit.keys() ^ self._lit.keys():
            item = self._entities.get(entity_id)
            if item is not None:
                item.lit = entity_id in lit
                item.update()
        self._lit = lit
        fade = self.options.fade_unselected and bool(self.selection)
        if fade != self.options.fade_active:
            self.options.fade_active = fade
            self.update()
        self.overview.update()
        self._ranking = None  # selected labels come first
        self.labels_outdated.emit()

    def _fade_changed(self) -> None:
        self._selection_drawn()
        self.update()

    # ----- labels ---------------------------------------------------------------------------
    def set_placed_labels(self, on: bool) -> None:
        """Labels drawn by the label layer at a readable screen size, placed so none
        overlaps (a window's view turns this on), or by each entity at the chart's own size
        (pictures, which are drawn at one known size)."""
        self.options.placed_labels = on
        self.labels.setVisible(on)
        if not on:
            self.labels.clear()
        self.update()

    def place_labels(self, transform: QTransform, viewport: QRectF,
                     avoid: Iterable[Box] = ()) -> None:
        """Choose the labels to draw for a view (scene to screen transform, screen rect;
        none over a box of ``avoid``, such as the view's key); the label layer redraws
        itself if they changed."""
        if self.options.placed_labels:
            self.labels.place(transform, viewport, avoid=avoid)

    def emphasise_labels(self, entity_ids: Iterable[str]) -> None:
        """The labels of these entities (search hits, the analyst's picks) are placed
        before all but the selected ones."""
        self._emphasis = frozenset(entity_ids)
        self._ranking = None
        self.labels_outdated.emit()

    def _ranked_entities(self) -> list[tuple[EntityItem, float, float]]:
        """Labelled, visible entities and where they are, most important first: selected
        (and the ends of selected links), emphasised, then by number of links and icon size
        (formatting rules make key entities larger). Kept until the chart or the selection
        changes."""
        if self._ranking is None:
            selected, emphasis = self._lit, self._emphasis
            items = [item for item in self._entities.values() if item.label and item.isVisible()]
            items.sort(key=lambda item: (selected.get(item.item_id, 0),
                                         item.item_id in emphasis, len(item.links),
                                         item.look.size), reverse=True)
            self._ranking = [(item, (pos := item.pos()).x(), pos.y()) for item in items]
        return self._ranking

    def item_at(self, pos: QPointF, transform: QTransform | None = None,
                entities_only: bool = False) -> EntityItem | LinkItem | None:
        """What a click at ``pos`` means: an entity's icon; else a drawn label picks its
        entity; else an entity within a few screen pixels wins over a link (at fit a dot is
        small and links crowd it); else the topmost item there. Answered by the spatial
        index, never by Qt's (whose cells hold every long link of a big chart)."""
        transform = transform or QTransform()
        scale = transform.m11() or 1.0
        x, y = pos.x(), pos.y()
        spatial = self.spatial
        on_icon = spatial.entities_near(x, y, 0.0)
        if on_icon:
            return on_icon[0]
        labelled = self.labels.label_at(pos, transform)
        if labelled is not None:
            return labelled
        near = spatial.entities_near(x, y, PICK_PIXELS / scale)
        if near:
            return near[0]
        under = spatial.entities_at(x, y)
        if under:
            return under[0]
        if entities_only or self._overview:
            return None
        links = spatial.links_at(x, y)
        if not links:
            return None
        return max(links, key=lambda item: item.zValue())  # selected lines lie on top
