"""The Find dock: find entities and links by label, attribute value or identity.

Results are a list; clicking one selects it on the chart (and every other view), Ctrl- or
Shift-click adds to what is already selected (on the chart too) as everywhere else in the
window, double-click zooms to it, and "Select all" selects every result. Filters leave out
item types and items dated outside a range. Identity search normalises the query the way
each type does, so typing "07700 900123" finds the phone stored as +447700900123.
"""

from __future__ import annotations

import contextlib
import html
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDockWidget,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from workbench.model import Chart, Entity, Link, ParseError
from workbench.model.kinds import parse_datetime
from workbench.ui.document import CanvasHolder, Document, type_icon
from workbench.ui.wording import plural

FIELDS = ("everything", "label", "attribute value", "identity")
MAX_RESULTS = 5000


@dataclass(frozen=True)
class Hit:
    item_id: str
    text: str  # what the results list shows
    where: str  # which field matched


def find_items(chart: Chart, query: str, field: str = "everything", *,
               exclude_types: frozenset[str] = frozenset(), date_from: datetime | None = None,
               date_to: datetime | None = None) -> list[Hit]:
    """Entities then links whose chosen field contains ``query`` (case-insensitive), each
    sorted by what the list shows."""
    needle = query.strip().casefold()
    if not needle:
        return []
    keys: dict[str, str] = {}  # type name -> query normalised as that type's identity
    for name in chart.catalogue.entity_types:
        with contextlib.suppress(ParseError):
            keys[name] = chart.identity_for(name, query)

    def matched(item: Entity | Link) -> str:
        if field in ("everything", "label") and needle in item.label.casefold():
            return "label"
        if field in ("everything", "identity") and isinstance(item, Entity) and item.identity:
            key = keys.get(item.type)
            if needle in item.identity.casefold() or (key and key == item.identity):
                return "identity"
        if field in ("everything", "attribute value"):
            for name, value in item.attributes.items():
                if needle in value.display().casefold():
                    return f"attribute {name}"
        return ""

    hits = []
    for item in (*chart.entities.values(), *chart.links.values()):
        if item.type in exclude_types:
            continue
        if (date_from or date_to) and (
                item.date is None or (date_from and item.date < date_from)
                or (date_to and item.date > date_to)):
            continue
        where = matched(item)
        if where:
            if isinstance(item, Entity):
                text = f"{item.label}  ({item.type})"
            else:
                ends = f"{chart.entity(item.end1).label} — {chart.entity(item.end2).label}"
                text = f"{item.label or item.type}: {ends}  ({item.type} link)"
            hits.append(Hit(item.id, text, where))
            if len(hits) >= MAX_RESULTS:
                break
    entity_hits = sorted((h for h in hits if h.item_id in chart.entities),
                         key=lambda h: h.text.casefold())
    link_hits = sorted((h for h in hits if h.item_id in chart.links),
                       key=lambda h: h.text.casefold())
    return entity_hits + link_hits


def filtered_out(chart: Chart, exclude_types: frozenset[str], date_from: datetime | None,
                 date_to: datetime | None) -> tuple[set[str], set[str]]:
    """Entities and links the filter hides: of an excluded type, or dated outside the range.

    Undated items stay on the chart (a date filter hides what is known to be out of range,
    not what has no date)."""
    def out(item: Entity | Link) -> bool:
        if item.type in exclude_types:
            return True
        return item.date is not None and bool((date_from and item.date < date_from)
                                              or (date_to and item.date > date_to))

    return ({e.id for e in chart.entities.values() if out(e)},
            {lk.id for lk in chart.links.values() if out(lk)})


class FindDock(QDockWidget):
    def __init__(self, document: Document, canvas: CanvasHolder,
                 parent: QWidget | None = None) -> None:
        super().__init__("Find", parent)
        self.setObjectName("dock_find")
        self.document = document
        self.canvas = canvas
        self._chart: Chart | None = None
        self._picked: set[str] = set()  # the results selected in the list, as last seen
        self._held = Qt.KeyboardModifier.NoModifier  # by the last click or key in the list
        self.query_edit = QLineEdit(placeholderText="label, attribute value or identity")
        self.query_edit.setClearButtonEnabled(True)
        self.field_box = QComboBox()
        self.field_box.addItems(FIELDS)
        self.date_from = QLineEdit(placeholderText="from date")
        self.date_to = QLineEdit(placeholderText="to date")
        # The types to look in: a list in a drop-down (a list in the dock took the room of
        # the results at 1366x768), staying open while types are ticked and unticked.
        self.types_box = QListWidget()
        self.types_button = QToolButton(popupMode=QToolButton.ToolButtonPopupMode.InstantPopup)
        self.types_button.setToolTip("The entity and link types to look in (and, with "
                                     "the box beside ticked, to show on the chart)")
        types_menu = QMenu(self.types_button)
        holder = QWidgetAction(types_menu)
        holder.setDefaultWidget(self.types_box)
        types_menu.addAction(holder)
        self.types_button.setMenu(types_menu)
        self.live = QCheckBox("Search as I type")
        self.live.setChecked(True)
        self.hide_on_chart = QCheckBox("Hide the rest on the chart")
        self.hide_on_chart.setToolTip("Hide the types left out and what is dated outside "
                                      "the dates, on the chart")
        self.hidden_summary = QLabel()
        self.results = QListWidget()
        self.results.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.results.viewport().installEventFilter(self)
        self.results.installEventFilter(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        search = QPushButton("Find")
        select_all = QPushButton("Select all results")
        search.clicked.connect(self.search)
        select_all.clicked.connect(self.select_all)
        self.query_edit.returnPressed.connect(self.search)
        self.query_edit.textChanged.connect(lambda _t: self.live.isChecked() and self.search())
        self.field_box.currentIndexChanged.connect(lambda _i: self.search())
        self.types_box.itemChanged.connect(lambda _i: (self._types_shown(),
                                                       self._filters_changed()))
        self._recount = QTimer(self, singleShot=True, interval=0)
        self._recount.timeout.connect(self._fill_types)
        self.date_from.editingFinished.connect(self._filters_changed)
        self.date_to.editingFinished.connect(self._filters_changed)
        self.hide_on_chart.toggled.connect(lambda _on: self.apply_filter())
        self.results.itemSelectionChanged.connect(self._result_clicked)
        self.results.itemClicked.connect(lambda _item: self._plain_click())
        self.results.itemDoubleClicked.connect(lambda _i: canvas.view.zoom_to_selection())

        form = QFormLayout()
        form.addRow("Find", self._row(self.query_edit, search))
        form.addRow("In", self._row(self.field_box, self.live))
        form.addRow("Dated", self._row(self.date_from, self.date_to))
        form.addRow("Types", self._row(self.types_button, self.hide_on_chart))
        form.addRow("", self.hidden_summary)
        self.hidden_summary.hide()
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(form)
        layout.addWidget(self.results, 1)
        # scrolls when squeezed, so that the dock above (properties) keeps room for its fields
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        # the count under the scrolled part: a wrapped label in it made the scroll area size
        # it to the results list's preferred height and scroll the list out of sight
        outer = QWidget()
        column = QVBoxLayout(outer)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(scroll, 1)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(9, 0, 9, 6)
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(select_all)
        column.addLayout(bottom)
        self.setWidget(outer)
        document.chart_replaced.connect(self._chart_replaced)
        self._chart_replaced()

    @staticmethod
    def _row(*widgets: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        for widget in widgets:
            row.addWidget(widget)
        return row

    def activate(self) -> None:
        self.show()
        self.raise_()
        self.query_edit.setFocus()
        self.query_edit.selectAll()

    def _chart_replaced(self) -> None:
        if self._chart is not None:
            for signal in self._signals(self._chart):
                signal.disconnect(self._chart_changed, missing_ok=True)
        self._chart = self.document.chart
        for signal in self._signals(self._chart):
            signal.connect(self._chart_changed)
        self.types_box.clear()  # another chart: every type ticked again
        self._fill_types()
        self.results.clear()
        self.summary.clear()
        self.apply_filter()

    @staticmethod
    def _signals(chart: Chart) -> tuple:
        return (chart.entities_added, chart.links_added, chart.entity_changed,
                chart.link_changed, chart.entities_removed, chart.links_removed)

    def _chart_changed(self, *_args: object) -> None:
        self._recount.start()  # once for a burst of changes (a paste, an undo)
        if self.hide_on_chart.isChecked():
            self.apply_filter()

    def _filters_changed(self) -> None:
        self.search()
        self.apply_filter()

    def apply_filter(self) -> tuple[set[str], set[str]]:
        """Hide (or show again) what the type and date filters leave out; returns the ids."""
        scene = self.canvas.scene
        hidden: tuple[set[str], set[str]] = (set(), set())
        if self.hide_on_chart.isChecked():
            try:
                date_from, date_to = self._date(self.date_from), self._date(self.date_to)
            except ParseError:
                return hidden
            hidden = filtered_out(self.document.chart, self.excluded_types(), date_from,
                                  date_to)
        scene.set_hidden(*hidden)
        n_entities, n_links = len(hidden[0]), len(hidden[1])
        self.hidden_summary.setText(
            f"{plural(n_entities, 'entity')} and {plural(n_links, 'link')} hidden"
            if self.hide_on_chart.isChecked() else "")
        self.hidden_summary.setVisible(self.hide_on_chart.isChecked())
        return hidden

    def _fill_types(self) -> None:
        """The types the chart has, each with how many items it has ("Person (84)"), ticked
        unless the analyst left that type out before; the catalogue's other types (Account,
        Address, Advert on a chart with none) are not offered."""
        chart = self.document.chart
        left_out = self.excluded_types()
        entity_counts = Counter(e.type for e in chart.entities.values())
        link_counts = Counter(lk.type for lk in chart.links.values())
        self.types_box.blockSignals(True)
        self.types_box.clear()
        for name, count in sorted(entity_counts.items()):
            self._add_type(QListWidgetItem(type_icon(chart, name), f"{name} ({count:,})"),
                           name, left_out)
        for name, count in sorted(link_counts.items()):
            self._add_type(QListWidgetItem(f"{name} ({plural(count, 'link')})"), name,
                           left_out)
        self.types_box.blockSignals(False)
        tallest = max((self.types_box.sizeHintForRow(r) for r in range(self.types_box.count())),
                      default=0)
        widest = self.types_box.sizeHintForColumn(0)
        for row in range(self.types_box.count()):  # link rows as tall as icon rows
            self.types_box.item(row).setSizeHint(QSize(widest, tallest))
        rows = sum(self.types_box.sizeHintForRow(r) for r in range(min(self.types_box.count(),
                                                                      14)))
        self.types_box.setFixedHeight(max(rows, 20) + 2 * self.types_box.frameWidth())
        self.types_box.setMinimumWidth(self.types_box.sizeHintForColumn(0) + 40)
        self._types_shown()

    def _add_type(self, item: QListWidgetItem, name: str, left_out: frozenset[str]) -> None:
        item.setData(Qt.ItemDataRole.UserRole, name)
        item.setCheckState(Qt.CheckState.Unchecked if name in left_out
                           else Qt.CheckState.Checked)
        self.types_box.addItem(item)

    def _types_shown(self) -> None:
        """The button says how many of the chart's types are looked in."""
        total, out = self.types_box.count(), len(self.excluded_types())
        self.types_button.setText(f"All {plural(total, 'type')}" if not out
                                  else f"{total - out} of {plural(total, 'type')}")

    def excluded_types(self) -> frozenset[str]:
        out = set()
        for row in range(self.types_box.count()):
            item = self.types_box.item(row)
            if item.checkState() != Qt.CheckState.Checked:
                out.add(item.data(Qt.ItemDataRole.UserRole))
        return frozenset(out)

    def _date(self, edit: QLineEdit) -> datetime | None:
        text = edit.text().strip()
        if not text:
            return None
        try:
            return parse_datetime(text)
        except ParseError as exc:
            self.summary.setText(f"Date: {exc}")
            raise

    def search(self) -> list[Hit]:
        try:
            date_from, date_to = self._date(self.date_from), self._date(self.date_to)
        except ParseError:
            return []
        hits = find_items(self.document.chart, self.query_edit.text(),
                          self.field_box.currentText(), exclude_types=self.excluded_types(),
                          date_from=date_from, date_to=date_to)
        self.results.blockSignals(True)
        self.results.clear()
        self._picked = set()
        for hit in hits:
            item = QListWidgetItem(hit.text)
            item.setData(Qt.ItemDataRole.UserRole, hit.item_id)
            item.setToolTip(html.escape(f"matched in {hit.where}"))
            self.results.addItem(item)
        self.results.blockSignals(False)
        # The chart names the entities found before the rest (after the selected ones).
        self.canvas.scene.emphasise_labels(h.item_id for h in hits
                                           if h.item_id in self.document.chart.entities)
        more = " (first results only)" if len(hits) >= MAX_RESULTS else ""
        self.summary.setText(f"{len(hits):,} found{more}" if self.query_edit.text().strip()
                             else "")
        return hits

    def _ids(self, items: list[QListWidgetItem]) -> tuple[list[str], list[str]]:
        chart = self.document.chart
        ids = [i.data(Qt.ItemDataRole.UserRole) for i in items]
        return ([i for i in ids if i in chart.entities], [i for i in ids if i in chart.links])

    def _result_clicked(self) -> None:
        """A plain click selects the result; with Ctrl or Shift held the results picked (or
        unpicked) in the list are added to (or taken from) the chart's selection."""
        entities, links = self._ids(self.results.selectedItems())
        picked = {*entities, *links}
        added, dropped = picked - self._picked, self._picked - picked
        self._picked = picked
        selection = self.document.selection
        if self._held & (Qt.KeyboardModifier.ControlModifier
                         | Qt.KeyboardModifier.ShiftModifier):
            chart = self.document.chart
            selection.set((set(selection.entities) | {i for i in added if i in chart.entities})
                          - dropped,
                          (set(selection.links) | {i for i in added if i in chart.links})
                          - dropped)
        elif entities or links:
            selection.set(entities, links)

    def _plain_click(self) -> None:
        """A plain click on a result already picked in the list (so the list's selection
        does not change) still makes it the chart's whole selection."""
        if not self._held & (Qt.KeyboardModifier.ControlModifier
                             | Qt.KeyboardModifier.ShiftModifier):
            entities, links = self._ids(self.results.selectedItems())
            if entities or links:
                self.document.selection.set(entities, links)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Note the keys held with each click or key press in the results: the list's own
        selection changes follow, and Ctrl or Shift there means "add to the chart's"."""
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
                            QEvent.Type.KeyPress):
            self._held = event.modifiers()
        return super().eventFilter(watched, event)

    def select_all(self) -> None:
        entities, links = self._ids([self.results.item(r) for r in range(self.results.count())])
        self.document.selection.set(entities, links)
