"""ChartScene: the chart drawn as Qt graphics items, kept in step with the model.

The scene subscribes to the Chart's signals and keeps a map from id to item; it holds no data
of its own and never changes the chart. What the user does with the mouse comes out as intents
(``entities_dragged``, ``link_requested``, ``item_activated``) that the window turns into undo
commands. Its jobs are split by module into mixins: items made and changed as the chart says
(``following.py``), Qt's item selection and the shared :class:`Selection` kept in step both
ways and what a click picks (``emphasis.py``), filters and parallel links
(``arrangement.py``), the analyst's display choices (``presentation.py``). Views draw it from
its spatial index (``spatial.py``, ``painting.py``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from PySide6.QtCore import QPointF, QRectF, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSceneHelpEvent,
    QGraphicsSceneMouseEvent,
    QToolTip,
)

from workbench.model import Chart, Selection
from workbench.model.display import DEFAULT
from workbench.model.formatting import Rule
from workbench.view.arrangement import Arrangement
from workbench.view.emphasis import Emphasis
from workbench.view.entity_item import EntityItem
from workbench.view.following import Following
from workbench.view.labels import LabelLayer
from workbench.view.link_item import LinkItem
from workbench.view.look import (
    LABEL_WIDTH,
    DrawOptions,
    EntityLook,
    LinkLook,
)
from workbench.view.modes import MODES, Mode, SelectMode, view_transform
from workbench.view.overview import OverviewItem
from workbench.view.presentation import Presentation
from workbench.view.spatial import SpatialIndex
from workbench.view.tooltips import entity_tooltip, link_tooltip

OVERVIEW_SCALE = 0.3  # below this zoom a big chart is drawn by the overview painter
OVERVIEW_MIN_ITEMS = 1500  # ... and only when it has at least this many items


class ChartScene(QGraphicsScene, Emphasis, Following, Arrangement, Presentation):
    entities_dragged = Signal(dict, dict)  # old {id: (x, y)}, new {id: (x, y)}
    link_requested = Signal(str, str)  # end1 id, end2 id
    item_activated = Signal(str)  # entity or link id (double-click)
    overview_changed = Signal(bool)
    labels_outdated = Signal()  # the chart or selection changed: place the labels again
    # the chart or its display changed: count the legend again (not after a selection: the
    # legend counts the whole chart's items, a quarter of a second on the routes sample)
    legend_outdated = Signal()
    # Qt's regions of the scene that changed, passed on (see __init__): not read in Python
    regions_changed = Signal("QList<QRectF>")

    def __init__(self, chart: Chart, selection: Selection, parent: object = None, *,
                 only: tuple[Collection[str], Collection[str]] | None = None) -> None:
        """``only`` (entity ids, link ids) draws just those items, once, for a picture of
        part of the chart: their looks and formatting rules are the chart's as in the
        window, but no item is made for the rest (hiding 22,800 of the routes sample's
        links made Copy as Picture of 229 take three seconds), and the scene does not
        follow later changes of the chart."""
        super().__init__(parent)
        self.chart = chart
        self.selection = selection
        self.options = DrawOptions(images=chart.images)
        self.spatial = SpatialIndex(self._all_items)
        self.options.moved = self.spatial.touch
        self._mode: Mode = SelectMode(self)
        self.formatting_error = ""
        self._entities: dict[str, EntityItem] = {}
        self._links: dict[str, LinkItem] = {}
        self._pairs: dict[tuple[str, str], list[str]] = {}
        self._rules: list[Rule] = []
        self._count_looks: dict[tuple[LinkLook, float], LinkLook] = {}
        self._plain_looks: dict[tuple, EntityLook | LinkLook] = {}
        self._raised: set[LinkItem] = set()
        # Selected entities and the ends of selected links, by how much of the selection
        # they hold (a selected entity counts most; an end by its selected links).
        self._lit: dict[str, int] = {}
        self._hidden_entities: frozenset[str] = frozenset()
        self._hidden_links: frozenset[str] = frozenset()
        self._hiders: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        self._summary = False
        self._width_attribute: str | None = None
        self._width_max = 0.0
        self._overview = False
        self._syncing = False
        self._rect: QRectF | None = None  # chart_rect() of the whole chart, while it holds
        self.display, self.display_error = DEFAULT, ""
        self._prime_display(self._read_display())  # the chart's own display, before any item
        self.setBackgroundBrush(QBrush(QColor("#ffffff")))
        # The views draw the items themselves (``painting.py``), and Qt sends an item's
        # update to a view only where its own drawing of the item left a mark: a selection,
        # a hidden or moved entity never reached the screen until the view moved. With the
        # scene's ``changed`` connected before a view attaches, Qt hands the view the changed
        # regions instead (the same path it keeps for views that ask for them).
        self.changed.connect(self.regions_changed)
        # The views draw from the spatial index and clicks are picked by it: Qt's BSP index
        # of a 100,000-entity chart took 4 s and a gigabyte to build at the first paint,
        # filing each hub's long links in thousands of cells.
        self._unindex_for_bulk(len(chart.entities) + len(chart.links))
        self.overview = OverviewItem(self.options, self._all_items, self._selected_items)
        self.addItem(self.overview)
        self._ranking: list[tuple[EntityItem, float, float]] | None = None
        self._emphasis: frozenset[str] = frozenset()
        self.labels = LabelLayer(self.options, self._ranked_entities)
        self.labels.setVisible(False)
        self.addItem(self.labels)
        self._load_rules()
        entities, links = chart.entities.values(), chart.links.values()
        if only is not None:
            entities = [e for e in entities if e.id in only[0]]
            links = [lk for lk in links if lk.id in only[1]
                     and lk.end1 in only[0] and lk.end2 in only[0]]
        for entity in entities:
            self._add_entity(entity)
        self._add_links(links)
        if only is None:
            self._connect()
        self.selectionChanged.connect(self._qt_selection_changed)
        self.apply_selection()
        if len(self._entities) + len(self._links) >= OVERVIEW_MIN_ITEMS:
            # Without a rectangle of its own, Qt measures every item when a view attaches
            # (0.3 s at 100,000 entities); a view scrolls over the area it fits to anyway.
            self.setSceneRect(self.chart_rect())

    # ----- lookup ---------------------------------------------------------------------------
    def entity_item(self, entity_id: str) -> EntityItem | None:
        return self._entities.get(entity_id)

    def link_item(self, link_id: str) -> LinkItem | None:
        return self._links.get(link_id)

    def item_for(self, item_id: str) -> EntityItem | LinkItem | None:
        return self._entities.get(item_id) or self._links.get(item_id)

    def _all_items(self) -> tuple[Iterable[EntityItem], Iterable[LinkItem]]:
        return self._entities.values(), self._links.values()

    def chart_rect(self, entity_ids: Iterable[str] | None = None) -> QRectF:
        """The area the (given, or all visible) entities cover, labels included. The whole
        chart's is kept until the chart or what is shown changes (a window opening on
        100,000 entities asked five times, 0.7 s each)."""
        if entity_ids is None and self._rect is not None:
            return QRectF(self._rect)
        items = (self._entities.values() if entity_ids is None
                 else [self._entities[i] for i in entity_ids if i in self._entities])
        xs, ys, size = [], [], 0.0
        for item in items:
            if item.isVisible():
                pos = item.pos()
                xs.append(pos.x())
                ys.append(pos.y())
                size = max(size, item.look.size)
        rect = QRectF()
        if xs:
            half_w = max(size / 2 + 8, LABEL_WIDTH / 2 + 6)
            top, bottom = size / 2 + 14, size / 2 + 24
            rect = QRectF(QPointF(min(xs) - half_w, min(ys) - top),
                          QPointF(max(xs) + half_w, max(ys) + bottom))
        if entity_ids is None:
            self._rect = QRectF(rect)
        return rect

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
        c.settings_changed.connect(self._on_settings_changed)
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
                             (c.settings_changed, self._on_settings_changed),
                             (self.selection.changed, self.apply_selection)):
            signal.disconnect(slot, missing_ok=True)

    def _changed(self) -> None:
        self._rect = None
        if self._overview:
            self.overview.set_bounds(self.chart_rect())
        self.overview.invalidate()
        self._ranking = None
        self.labels_outdated.emit()
        self.legend_outdated.emit()

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

    def top_items(self) -> list[QGraphicsItem]:
        """What a view draws over the chart's items, bottom to top."""
        return [self.labels, *self._mode.extra_items()]

    # ----- mouse ----------------------------------------------------------------------------
    @property
    def mode(self) -> str:
        return self._mode.name

    def set_mode(self, mode: str) -> None:
        """'select' (click, band, drag to move) or 'link' (drag from entity to entity)."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        self._mode.cancel()
        self._mode = MODES[mode](self)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if not self._mode.press(event):
            super().mousePressEvent(event)
            self._mode.after_press(event)

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if not self._mode.move(event):
            super().mouseMoveEvent(event)
            self._mode.after_move(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if not self._mode.release(event):
            super().mouseReleaseEvent(event)
            self._mode.after_release(event)

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        item = self.item_at(event.scenePos(), view_transform(event))
        if item is not None:
            self.item_activated.emit(item.item_id)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def helpEvent(self, event: QGraphicsSceneHelpEvent) -> None:
        item = self.item_at(event.scenePos(), view_transform(event))
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
