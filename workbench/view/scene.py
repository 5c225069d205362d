"""ChartScene: the chart drawn as Qt graphics items, kept in step with the model.

The scene subscribes to the Chart's signals and keeps a map from id to item; it holds no data
of its own and never changes the chart. What the user does with the mouse comes out as intents
(``entities_dragged``, ``link_requested``, ``item_activated``) that the window turns into undo
commands. Qt's item selection and the shared :class:`Selection` are kept in step both ways.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPen, QTransform
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsScene,
    QGraphicsSceneHelpEvent,
    QGraphicsSceneMouseEvent,
    QToolTip,
)

from workbench.model import Chart, Entity, Link, Selection
from workbench.model.formatting import NO_FORMAT, FormattingError, Rule, evaluate, load_rules
from workbench.view.entity_item import EntityItem
from workbench.view.geometry import parallel_offsets
from workbench.view.link_item import LinkItem
from workbench.view.look import (
    LABEL_WIDTH,
    LINK_WIDTH,
    MAX_LINK_WIDTH,
    PARALLEL_SPACING,
    DrawOptions,
    entity_look,
    link_look,
)
from workbench.view.overview import OverviewItem
from workbench.view.tooltips import entity_tooltip, link_tooltip

OVERVIEW_SCALE = 0.3  # below this zoom a big chart is drawn by the overview painter
OVERVIEW_MIN_ITEMS = 1500  # ... and only when it has at least this many items
MODES = ("select", "link")


class ChartScene(QGraphicsScene):
    entities_dragged = Signal(dict, dict)  # old {id: (x, y)}, new {id: (x, y)}
    link_requested = Signal(str, str)  # end1 id, end2 id
    item_activated = Signal(str)  # entity or link id (double-click)
    overview_changed = Signal(bool)

    def __init__(self, chart: Chart, selection: Selection, parent: object = None) -> None:
        super().__init__(parent)
        self.chart = chart
        self.selection = selection
        self.options = DrawOptions(images=chart.images)
        self.mode = "select"
        self.formatting_error = ""
        self._entities: dict[str, EntityItem] = {}
        self._links: dict[str, LinkItem] = {}
        self._pairs: dict[tuple[str, str], list[str]] = {}
        self._rules: list[Rule] = []
        self._hidden_entities: frozenset[str] = frozenset()
        self._hidden_links: frozenset[str] = frozenset()
        self._summary = False
        self._width_attribute: str | None = None
        self._width_max = 0.0
        self._overview = False
        self._syncing = False
        self._drag_start: dict[str, tuple[float, float]] = {}
        self._link_source: EntityItem | None = None
        self._rubber_link: QGraphicsLineItem | None = None
        self.setBackgroundBrush(QBrush(QColor("#ffffff")))
        self.overview = OverviewItem(self.options, self._all_items, self._selected_entities)
        self.addItem(self.overview)
        self._load_rules()
        for entity in chart.entities.values():
            self._add_entity(entity)
        self._add_links(chart.links.values())
        self._connect()
        self.selectionChanged.connect(self._qt_selection_changed)
        self.apply_selection()

    # ----- lookup ---------------------------------------------------------------------------
    def entity_item(self, entity_id: str) -> EntityItem | None:
        return self._entities.get(entity_id)

    def link_item(self, link_id: str) -> LinkItem | None:
        return self._links.get(link_id)

    def item_for(self, item_id: str) -> EntityItem | LinkItem | None:
        return self._entities.get(item_id) or self._links.get(item_id)

    def _all_items(self) -> tuple[Iterable[EntityItem], Iterable[LinkItem]]:
        return self._entities.values(), self._links.values()

    def _selected_entities(self) -> list[EntityItem]:
        return [self._entities[i] for i in self.selection.entities if i in self._entities]

    def chart_rect(self, entity_ids: Iterable[str] | None = None) -> QRectF:
        """The area the (given, or all visible) entities cover, labels included."""
        items = (self._entities.values() if entity_ids is None
                 else [self._entities[i] for i in entity_ids if i in self._entities])
        xs, ys, size = [], [], 0.0
        for item in items:
            if item.isVisible():
                pos = item.pos()
                xs.append(pos.x())
                ys.append(pos.y())
                size = max(size, item.look.size)
        if not xs:
            return QRectF()
        half_w, top, bottom = max(size / 2 + 8, LABEL_WIDTH / 2 + 6), size / 2 + 14, size / 2 + 24
        return QRectF(QPointF(min(xs) - half_w, min(ys) - top),
                      QPointF(max(xs) + half_w, max(ys) + bottom))

    # ----- model events ---------------------------------------------------------------------
    def _connect(self) -> None:
        c = self.chart
        c.entities_added.connect(self._on_entities_added)
        c.entities_removed.connect(self._on_entities_removed)
        c.entity_changed.connect(self._on_entity_changed)
        c.entities_moved.connect(self._on_entities_moved)
        c.links_added.connect(self._on_links_added)
        c.links_removed.connect(self._on_links_removed)
        c.link_changed.connect(self._on_link_changed)
        c.types_changed.connect(self.refresh_looks)
        self.selection.changed.connect(self.apply_selection)

    def detach(self) -> None:
        """Stop following the chart and selection (call before dropping the scene)."""
        c = self.chart
        for signal, slot in ((c.entities_added, self._on_entities_added),
                             (c.entities_removed, self._on_entities_removed),
                             (c.entity_changed, self._on_entity_changed),
                             (c.entities_moved, self._on_entities_moved),
                             (c.links_added, self._on_links_added),
                             (c.links_removed, self._on_links_removed),
                             (c.link_changed, self._on_link_changed),
                             (c.types_changed, self.refresh_looks),
                             (self.selection.changed, self.apply_selection)):
            signal.disconnect(slot, missing_ok=True)

    def _add_entity(self, entity: Entity) -> None:
        item = EntityItem(entity, entity_look(self.chart, entity, self._format(entity)),
                          self.options)
        if entity.id in self._hidden_entities:
            item.setVisible(False)
        self._entities[entity.id] = item
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
        no_content = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
        hidden = self._hidden_links
        for link in batch:
            end1, end2 = self._entities[link.end1], self._entities[link.end2]
            item = LinkItem(link, end1, end2, self._link_look(link), self.options)
            self._links[link.id] = item
            end1.links.append(item)
            if end2 is not end1:
                end2.links.append(item)
            if self._overview:
                item.setFlag(no_content, True)
            if hidden or not (end1.isVisible() and end2.isVisible()):
                self._update_link_visibility(item)
            self.addItem(item)
        self._arrange_pairs(touched)

    def _on_entities_added(self, entities: list[Entity]) -> None:
        for entity in entities:
            self._add_entity(entity)
        self._changed()

    def _on_entities_removed(self, entities: list[Entity]) -> None:
        for entity in entities:
            item = self._entities.pop(entity.id, None)
            if item is not None:
                self.removeItem(item)
        self._changed()

    def _on_entity_changed(self, entity: Entity, fields: tuple[str, ...]) -> None:
        item = self._entities.get(entity.id)
        if item is None:
            return
        if "x" in fields or "y" in fields:
            item.move_to(entity.x, entity.y)
        old_size = item.look.size
        item.refresh(entity, entity_look(self.chart, entity, self._format(entity)))
        self._update_entity_visibility(item)
        if item.look.size != old_size:
            for link in item.links:
                link.update_geometry()
        self._changed()

    def _on_entities_moved(self, positions: dict[str, tuple[float, float]]) -> None:
        links: dict[int, LinkItem] = {}
        for entity_id, (x, y) in positions.items():
            item = self._entities.get(entity_id)
            if item is not None:
                item.setPos(x, y)
                for link in item.links:
                    links[id(link)] = link
        for link in links.values():  # each link once, even when both ends moved
            link.update_geometry()
        self._changed()

    def _on_links_added(self, links: list[Link]) -> None:
        self._add_links(links)
        if self._rules:
            self._refresh_ends(links)
        self._changed()

    def _on_links_removed(self, links: list[Link]) -> None:
        touched: set[tuple[str, str]] = set()
        for link in links:
            item = self._links.pop(link.id, None)
            if item is None:
                continue
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
            item.refresh(link, self._link_look(link))
            self._update_link_visibility(item)
            self._changed()

    def _refresh_ends(self, links: Iterable[Link]) -> None:
        """Rules on '@links' depend on link counts: re-format the ends."""
        for entity_id in {end for lk in links for end in (lk.end1, lk.end2)}:
            entity = self.chart.entities.get(entity_id)
            if entity is not None:
                self._on_entity_changed(entity, ())

    def _changed(self) -> None:
        if self._overview:
            self.overview.set_bounds(self.chart_rect())
        self.overview.invalidate()

    # ----- looks, formatting, filters -------------------------------------------------------
    def _load_rules(self) -> None:
        try:
            self._rules = [r for r in load_rules(self.chart) if r.enabled]
            self.formatting_error = ""
        except FormattingError as exc:
            self._rules, self.formatting_error = [], str(exc)

    def _format(self, item: Entity | Link):
        return evaluate(self.chart, self._rules, item) if self._rules else NO_FORMAT

    def _link_look(self, link: Link):
        width = None
        if self._width_attribute and self._width_max > 0:
            value = link.attributes.get(self._width_attribute)
            number = value.value if value is not None else None
            if isinstance(number, int | float) and not isinstance(number, bool):
                width = LINK_WIDTH + (MAX_LINK_WIDTH - LINK_WIDTH) * abs(number) / self._width_max
        return link_look(self.chart, link, self._format(link), width)

    def refresh_looks(self) -> None:
        """Re-read every item's look (types, styles, formatting rules, options changed)."""
        for entity_id, item in self._entities.items():
            entity = self.chart.entities[entity_id]
            item.refresh(entity, entity_look(self.chart, entity, self._format(entity)))
            self._update_entity_visibility(item)
        for link_id, item in self._links.items():
            link = self.chart.links[link_id]
            item.refresh(self.chart.links[link_id], self._link_look(link))
            self._update_link_visibility(item)
        self._arrange_pairs(set(self._pairs))
        self._changed()

    def refresh_formatting(self) -> None:
        """Re-read ``chart.settings["formatting"]`` (after the window changed the rules)."""
        self._load_rules()
        self.refresh_looks()

    def set_badges(self, attribute_names: Iterable[str]) -> None:
        self.options.badges = tuple(attribute_names)
        self.refresh_looks()

    def set_frames(self, on: bool) -> None:
        self.options.frames = bool(on)
        self.update()

    def set_link_labels(self, mode: str) -> None:
        """'label' (the link's own label), 'type' (its type name) or 'none'."""
        if mode not in ("label", "type", "none"):
            raise ValueError(f"link labels must be 'label', 'type' or 'none', not {mode!r}")
        self.options.link_labels = mode
        self.refresh_looks()

    def set_link_width_attribute(self, name: str | None) -> None:
        """Draw links wider the larger this numeric attribute is (None: all the same)."""
        self._width_attribute = name or None
        values = [abs(v.value) for lk in self.chart.links.values()
                  if (v := lk.attributes.get(name or "")) is not None
                  and isinstance(v.value, int | float) and not isinstance(v.value, bool)]
        self._width_max = max(values, default=0.0)
        self.refresh_looks()

    def set_link_summary(self, on: bool) -> None:
        """Draw several links between one pair as one line with a count (or separately)."""
        self._summary = bool(on)
        self._arrange_pairs(set(self._pairs))
        self._changed()

    def link_summary(self) -> bool:
        return self._summary

    def set_hidden(self, entity_ids: Iterable[str] = (), link_ids: Iterable[str] = ()) -> None:
        """Filter items out of the drawing (links of hidden entities go too)."""
        self._hidden_entities, self._hidden_links = frozenset(entity_ids), frozenset(link_ids)
        for item in self._entities.values():
            self._update_entity_visibility(item, links=False)
        for item in self._links.values():
            self._update_link_visibility(item)
        self._changed()

    def _update_entity_visibility(self, item: EntityItem, links: bool = True) -> None:
        item.setVisible(item.look.visible and item.item_id not in self._hidden_entities)
        if links:
            for link in item.links:
                self._update_link_visibility(link)

    def _update_link_visibility(self, item: LinkItem) -> None:
        item.setVisible(item.look.visible and item.summary >= 0
                        and item.item_id not in self._hidden_links
                        and item.end1.isVisible() and item.end2.isVisible())

    def _arrange_pairs(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Give parallel links their bows, or fold them into one summary line."""
        for pair in pairs:
            items = [self._links[i] for i in self._pairs.get(pair, ())]
            if self._summary and len(items) > 1:
                offsets = [0.0] * len(items)
                summaries = [len(items)] + [-1] * (len(items) - 1)
            else:
                offsets = parallel_offsets(len(items), PARALLEL_SPACING)
                summaries = [0] * len(items)
            for item, offset, summary in zip(items, offsets, summaries, strict=True):
                item.offset = offset if item.end1.item_id == pair[0] else -offset
                item.summary = summary
                item.update_geometry()
                self._update_link_visibility(item)

    # ----- selection ------------------------------------------------------------------------
    def _qt_selection_changed(self) -> None:
        if self._syncing:
            return
        entities, links = [], []
        for item in self.selectedItems():
            if isinstance(item, EntityItem):
                entities.append(item.item_id)
            elif isinstance(item, LinkItem):
                links.append(item.item_id)
        self._syncing = True
        try:
            self.selection.set(entities, links)
        finally:
            self._syncing = False
        self.overview.update()

    def apply_selection(self) -> None:
        """Make Qt's selection match the shared Selection."""
        if self._syncing:
            return
        self._syncing = True
        self.blockSignals(True)
        try:
            wanted = self.selection.entities | self.selection.links
            for item in self.selectedItems():
                if getattr(item, "item_id", None) not in wanted:
                    item.setSelected(False)
            for item_id in wanted:
                item = self.item_for(item_id)
                if item is not None and not item.isSelected():
                    item.setSelected(True)
        finally:
            self.blockSignals(False)
            self._syncing = False
        self.overview.update()

    # ----- level of detail ------------------------------------------------------------------
    def update_detail(self, scale: float) -> None:
        """Pick how to draw for this zoom: item by item, or the batched overview."""
        big = len(self._entities) + len(self._links) >= OVERVIEW_MIN_ITEMS
        self.set_overview(big and scale < OVERVIEW_SCALE)

    def set_overview(self, on: bool) -> None:
        if on == self._overview:
            return
        self._overview = on
        self._syncing = True
        try:
            if on:
                self.overview.set_bounds(self.chart_rect())
                self.overview.invalidate()
            no_content = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
            for item in self._entities.values():
                item.setFlag(no_content, on)
            for item in self._links.values():
                item.setFlag(no_content, on)
            self.overview.setVisible(on)
        finally:
            self._syncing = False
        if not on:
            self.apply_selection()
        self.overview_changed.emit(on)

    def is_overview(self) -> bool:
        return self._overview

    # ----- mouse ----------------------------------------------------------------------------
    def set_mode(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        self.mode = mode
        self._cancel_link()

    def item_at(self, pos: QPointF, transform: QTransform | None = None,
                entities_only: bool = False) -> EntityItem | LinkItem | None:
        for item in self.items(pos, Qt.ItemSelectionMode.IntersectsItemShape,
                               Qt.SortOrder.DescendingOrder, transform or QTransform()):
            wanted = isinstance(item, EntityItem) or (
                isinstance(item, LinkItem) and not entities_only and not self._overview)
            if wanted and item.isVisible():
                return item
        return None

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.mode == "link" and event.button() == Qt.MouseButton.LeftButton:
            source = self.item_at(event.scenePos(), _view_transform(event), entities_only=True)
            if isinstance(source, EntityItem):
                self._link_source = source
                line = QGraphicsLineItem(source.pos().x(), source.pos().y(),
                                         event.scenePos().x(), event.scenePos().y())
                line.setPen(QPen(QColor("#1e88e5"), 2.0, Qt.PenStyle.DashLine))
                line.setZValue(10.0)
                self.addItem(line)
                self._rubber_link = line
            event.accept()
            return
        super().mousePressEvent(event)
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag_start = {i.item_id: (i.pos().x(), i.pos().y())
                                for i in self.selectedItems() if isinstance(i, EntityItem)}

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._rubber_link is not None:
            line = self._rubber_link.line()
            line.setP2(event.scenePos())
            self._rubber_link.setLine(line)
            event.accept()
            return
        super().mouseMoveEvent(event)
        if self._drag_start and event.buttons() & Qt.MouseButton.LeftButton:
            self._follow_drag()

    def _follow_drag(self) -> None:
        """Bring the links of dragged entities along (Qt moves the entity items itself)."""
        links: dict[int, LinkItem] = {}
        for item_id in self._drag_start:
            item = self._entities.get(item_id)
            if item is not None:
                for link in item.links:
                    links[id(link)] = link
        for link in links.values():
            link.update_geometry()
        if self._overview:
            self.overview.invalidate()

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._link_source is not None:
            source = self._link_source
            target = self.item_at(event.scenePos(), _view_transform(event), entities_only=True)
            self._cancel_link()
            if isinstance(target, EntityItem) and target is not source:
                self.link_requested.emit(source.item_id, target.item_id)
            event.accept()
            return
        super().mouseReleaseEvent(event)
        if self._drag_start and event.button() == Qt.MouseButton.LeftButton:
            old, new = {}, {}
            for item_id, (x, y) in self._drag_start.items():
                item = self._entities.get(item_id)
                if item is not None and (item.pos().x(), item.pos().y()) != (x, y):
                    old[item_id], new[item_id] = (x, y), (item.pos().x(), item.pos().y())
            self._drag_start = {}
            if new:
                self.entities_dragged.emit(old, new)

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        item = self.item_at(event.scenePos(), _view_transform(event))
        if item is not None:
            self.item_activated.emit(item.item_id)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def _cancel_link(self) -> None:
        if self._rubber_link is not None:
            self.removeItem(self._rubber_link)
        self._rubber_link, self._link_source = None, None

    def helpEvent(self, event: QGraphicsSceneHelpEvent) -> None:
        item = self.item_at(event.scenePos(), _view_transform(event))
        text = self.tooltip_for(item.item_id) if item is not None else ""
        if text:
            QToolTip.showText(event.screenPos(), text, event.widget())
        else:
            QToolTip.hideText()
        event.accept()

    def tooltip_for(self, item_id: str) -> str:
        """The hover text of an entity or link (rich text, every value escaped)."""
        if item_id in self.chart.entities:
            return entity_tooltip(self.chart, self.chart.entities[item_id])
        if item_id in self.chart.links:
            return link_tooltip(self.chart, self.chart.links[item_id])
        return ""


def _view_transform(event: object) -> QTransform:
    """The transform of the view an event came through (for zoom-aware hit tests)."""
    widget = event.widget() if hasattr(event, "widget") else None
    view = widget.parent() if widget is not None else None
    return view.transform() if hasattr(view, "transform") else QTransform()
