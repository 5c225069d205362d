"""The properties dock: read and edit the one selected entity or link.

Every edit becomes one UpdateItemCommand on the window's undo stack, so Ctrl+Z undoes it and
the title shows the chart as modified. The dock holds no data: it redraws from the chart
whenever the selection or the item changes (including by undo), and typed values go through
the model's parsers, so a refused value shows its reason here and changes nothing.
"""

from __future__ import annotations

from typing import Any

import qtawesome as qta
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDockWidget,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workbench.model import (
    Chart,
    DatePrecision,
    Direction,
    Entity,
    Link,
    ParseError,
    Strength,
    Style,
)
from workbench.model.kinds import parse_coordinates
from workbench.resolve.decisions import explain
from workbench.store.connections import is_connection
from workbench.ui.commands import UpdateItemCommand
from workbench.ui.docks.bulk_edit import BulkEditor
from workbench.ui.docks.properties_store import StoreRecords
from workbench.ui.docks.properties_tables import AttributesTable, SourcesTable
from workbench.ui.docks.properties_words import connection_story, date_text, typed_date
from workbench.ui.document import Document
from workbench.ui.wording import plural


class PropertiesDock(QDockWidget):
    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__("Properties", parent)
        self.setObjectName("dock_properties")
        self.document = document
        self.item: Entity | Link | None = None
        self._chart: Chart | None = None
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.header.setWordWrap(True)
        self.merges = QLabel()  # which identities were joined into this entity, and why
        self.merges.setTextFormat(Qt.TextFormat.PlainText)  # labels and evidence are data
        self.merges.setWordWrap(True)
        self.merges.setObjectName("merge_story")
        self.connection = QLabel()  # what a line drawn from the store stands for (plain text:
        self.connection.setTextFormat(Qt.TextFormat.PlainText)  # its link type is data)
        self.connection.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setTextFormat(Qt.TextFormat.PlainText)  # names another item's label
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b03a2e")
        self.label_edit = QLineEdit()
        self.type_box = QComboBox()
        self.type_box.setEditable(True)
        self.identity_edit = QLineEdit()
        self.date_edit = QLineEdit(placeholderText="e.g. 2015-11-13 21:20 (empty: no date)")
        self.coordinates_edit = QLineEdit(placeholderText="lat, lon (empty: none)")
        self.strength_box = QComboBox()
        self.strength_box.addItems([s.value for s in Strength])
        self.direction_box = QComboBox()
        self.direction_box.addItems([d.value for d in Direction])
        self.colour_edit = QLineEdit(placeholderText="#rrggbb (empty: type colour)")
        self.colour_button = QPushButton("Choose...")
        self.colour_button.clicked.connect(self._choose_colour)
        self.colour_dialog: QColorDialog | None = None
        self.icon_edit = QLineEdit(placeholderText="e.g. mdi6.account (empty: type icon)")
        self.icon_preview = QLabel()
        self.attributes = AttributesTable()
        self.sources = SourcesTable()
        self.store_records = StoreRecords()  # a line's first records, from the store

        self.form = QFormLayout()
        colour_row = QHBoxLayout()
        colour_row.addWidget(self.colour_edit)
        colour_row.addWidget(self.colour_button)
        icon_row = QHBoxLayout()
        icon_row.addWidget(self.icon_edit)
        icon_row.addWidget(self.icon_preview)
        self._rows: dict[str, QWidget] = {}
        for name, label, field in (
                ("label", "&Label", self.label_edit), ("type", "&Type", self.type_box),
                ("identity", "&Identity", self.identity_edit), ("date", "&Date", self.date_edit),
                ("coordinates", "&Coordinates", self.coordinates_edit),
                ("strength", "&Strength", self.strength_box),
                ("direction", "Di&rection", self.direction_box),
                ("colour", "Colour", colour_row), ("icon", "Icon", icon_row)):
            self.form.addRow(label, field)
            self._rows[name] = field
        self.body = QWidget()  # the editors: hidden unless exactly one item is selected
        details = QVBoxLayout(self.body)
        details.setContentsMargins(0, 0, 0, 0)
        details.addLayout(self.form)
        details.addWidget(QLabel("<b>Attributes</b>"))
        details.addWidget(self.attributes)
        details.addWidget(QLabel("<b>Sources and grading</b>"))
        details.addWidget(self.sources)
        details.addWidget(self.store_records)
        self.bulk = BulkEditor(document)  # shown when several items are selected
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.header)
        layout.addWidget(self.merges)
        layout.addWidget(self.connection)
        layout.addWidget(self.body)
        layout.addWidget(self.bulk)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        self.setWidget(scroll)

        self.label_edit.editingFinished.connect(
            lambda: self.edit(label=self.label_edit.text().strip()))
        self.type_box.activated.connect(lambda _i: self._type_chosen())
        self.type_box.lineEdit().editingFinished.connect(self._type_chosen)
        self.identity_edit.editingFinished.connect(self._identity_edited)
        self.date_edit.editingFinished.connect(self._date_edited)
        self.coordinates_edit.editingFinished.connect(self._coordinates_edited)
        self.strength_box.activated.connect(
            lambda _i: self.edit(strength=Strength(self.strength_box.currentText())))
        self.direction_box.activated.connect(
            lambda _i: self.edit(direction=Direction(self.direction_box.currentText())))
        self.colour_edit.editingFinished.connect(self._colour_edited)
        self.icon_edit.editingFinished.connect(self._icon_edited)
        self.attributes.edited.connect(lambda values: self.edit(attributes=values))
        self.attributes.problem.connect(self.problem.setText)
        self.sources.edited.connect(lambda records: self.edit(provenance=records))

        document.selection.changed.connect(self.refresh)
        document.chart_replaced.connect(self._follow_chart)
        self._follow_chart()

    def activate(self) -> None:
        self.show()
        self.raise_()
        self.label_edit.setFocus()

    def _signals(self, chart: Chart) -> list[tuple[Any, Any]]:
        return [(chart.entity_changed, self._item_changed),
                (chart.link_changed, self._item_changed),
                (chart.entities_removed, self._items_changed),
                (chart.links_removed, self._items_changed),
                (chart.entities_added, self._items_changed)]

    def _follow_chart(self) -> None:
        """Listen to the document's (new) chart only; let go of the one it replaced."""
        if self._chart is not None:
            for signal, slot in self._signals(self._chart):
                signal.disconnect(slot, missing_ok=True)
        self._chart = self.document.chart
        for signal, slot in self._signals(self._chart):
            signal.connect(slot)
        self.refresh()

    def _items_changed(self, _items: list) -> None:
        self.refresh()

    def _item_changed(self, item: object, _fields: tuple) -> None:
        if self.item is not None and getattr(item, "id", None) == self.item.id:
            self.refresh()

    # ----- showing -------------------------------------------------------------------------
    def refresh(self) -> None:
        """Show the selected item, or say why nothing can be edited."""
        chart, selection = self.document.chart, self.document.selection
        ids = [*selection.entities, *selection.links]
        self.item = None
        if len(ids) == 1:
            self.item = chart.entities.get(ids[0]) or chart.links.get(ids[0])
        self.body.setVisible(self.item is not None)
        records = [r for r in reversed(chart.merges)
                   if self.item is not None and r.survivor == self.item.id]
        self.merges.setText("\n\n".join(explain(r) for r in records))
        self.merges.setVisible(bool(records))
        self.bulk.setVisible(len(ids) > 1)
        story = connection_story(chart, self.item) if isinstance(self.item, Link) else ""
        self.connection.setText(story)
        self.connection.setVisible(bool(story))
        self.store_records.show_for(chart, self.item if isinstance(self.item, Link)
                                    and is_connection(chart, self.item.id) else None)
        if self.item is None:
            if len(ids) > 1:
                self.bulk.show_items([chart.entities.get(i) or chart.links[i] for i in ids
                                      if i in chart.entities or i in chart.links])
            self.header.setText(f"{plural(len(ids), 'item')} selected: a change below "
                                "applies to all."
                                if ids else "Select an entity or link to see its properties.")
            return
        item, is_entity = self.item, isinstance(self.item, Entity)
        for name in ("identity", "coordinates", "icon"):
            self.form.setRowVisible(self._rows[name], is_entity)
        for name in ("strength", "direction"):
            self.form.setRowVisible(self._rows[name], not is_entity)
        if is_entity:
            self.header.setText(f"{item.type}: {item.label}  [{item.id}]")
        else:
            ends = f"{chart.entity(item.end1).label} — {chart.entity(item.end2).label}"
            self.header.setText(f"{item.type} link: {ends}  [{item.id}]")
        self.label_edit.setText(item.label)
        types = chart.catalogue.entity_types if is_entity else chart.catalogue.link_types
        self.type_box.blockSignals(True)
        self.type_box.clear()
        self.type_box.addItems(sorted(set(types) | {item.type}))
        self.type_box.setCurrentText(item.type)
        self.type_box.blockSignals(False)
        self.date_edit.setText(date_text(item.date, item.date_precision) if item.date else "")
        self.colour_edit.setText(item.style.colour or "")
        if is_entity:
            self.identity_edit.setText(item.identity or "")
            self.coordinates_edit.setText(
                f"{item.coordinates[0]:.6f}, {item.coordinates[1]:.6f}"
                if item.coordinates else "")
            self.icon_edit.setText(item.style.icon or "")
            icon = item.style.icon or chart.entity_type(item).icon
            colour = item.style.colour or chart.entity_type(item).colour
            try:
                self.icon_preview.setPixmap(qta.icon(icon, color=colour).pixmap(24, 24))
            except Exception:  # unknown icon name: show nothing rather than fail
                self.icon_preview.clear()
        else:
            self.strength_box.setCurrentText(item.strength.value)
            self.direction_box.setCurrentText(item.direction.value)
        self.attributes.region = chart.region
        self.attributes.show_values(item.attributes)
        self.sources.show_records(item.provenance)

    # ----- editing -------------------------------------------------------------------------
    def edit(self, **changes: Any) -> bool:
        """Apply changes to the shown item as one undo step; unchanged values do nothing."""
        item = self.item
        if item is None:
            return False
        changes = {k: v for k, v in changes.items() if getattr(item, k) != v}
        if "label" in changes and not changes["label"]:
            self.problem.setText("An item needs a label.")
            self.label_edit.setText(item.label)
            return False
        if not changes:
            return False
        clash = self._identity_clash(changes)
        if clash:
            self.problem.setText(clash)
            self.refresh()
            return False
        names = ", ".join(sorted(changes))
        self.document.undo_stack.push(UpdateItemCommand(
            self.document.chart, item.id, changes, f"Edit {names} of {item.label}"))
        self.problem.clear()
        return True

    def _identity_clash(self, changes: dict[str, Any]) -> str:
        """Why a type or identity change would give two entities one identity ('' if not).

        Checked before the push: an exception inside a command's redo cannot be undone."""
        item = self.item
        if not isinstance(item, Entity):
            return ""
        type_name = changes.get("type", item.type)
        key = changes.get("identity", item.identity)
        other = self.document.chart.find(type_name, key) if key else None
        if other is None or other.id == item.id:
            return ""
        return (f"Another {type_name} already has identity {key}: {other.label}. "
                "Copy and paste merges entities.")

    def _type_chosen(self) -> None:
        name = self.type_box.currentText().strip()
        if name:
            self.edit(type=name)

    def _parse(self, text: str, parse: Any, what: str) -> tuple[bool, Any]:
        text = text.strip()
        if not text:
            return True, None
        try:
            return True, parse(text)
        except ParseError as exc:
            self.problem.setText(f"{what}: {exc}")
            self.refresh()
            return False, None

    def _identity_edited(self) -> None:
        entity = self.item
        if not isinstance(entity, Entity):
            return
        chart = self.document.chart
        text = self.identity_edit.text()
        if text.strip() == (entity.identity or ""):
            return
        ok, key = self._parse(text, lambda t: chart.identity_for(entity.type, t), "Identity")
        if not ok:
            return
        self.edit(identity=key)

    def _date_edited(self) -> None:
        text = self.date_edit.text()
        ok, value = self._parse(text, typed_date, "Date")
        if ok:  # the precision is what was typed: "2015" is the year, not 1 January
            self.edit(date=value[0] if value else None,
                      date_precision=value[1] if value else DatePrecision.SECOND)

    def _coordinates_edited(self) -> None:
        ok, value = self._parse(self.coordinates_edit.text(), parse_coordinates, "Coordinates")
        if ok:
            self.edit(coordinates=value)

    def _restyle(self, **changes: Any) -> None:
        if self.item is not None:
            self.edit(style=Style(**{"icon": self.item.style.icon,
                                     "colour": self.item.style.colour,
                                     "size": self.item.style.size, **changes}))

    def _colour_edited(self) -> None:
        text = self.colour_edit.text().strip().lower()
        if text and not QColor.isValidColorName(text):
            self.problem.setText(f"Colour: {text!r} is not a colour such as #c0392b")
            self.refresh()
            return
        self._restyle(colour=QColor(text).name() if text else None)

    def _choose_colour(self) -> None:
        if self.item is None:
            return
        start = QColor(self.colour_edit.text() or "#555555")
        self.colour_dialog = QColorDialog(start, self)
        self.colour_dialog.colorSelected.connect(
            lambda colour: self._restyle(colour=colour.name()))
        self.colour_dialog.open()

    def _icon_edited(self) -> None:
        name = self.icon_edit.text().strip()
        if name:
            try:
                qta.icon(name)
            except Exception:
                self.problem.setText(f"Icon: {name!r} is not a known icon name "
                                     "(try one such as mdi6.account)")
                self.refresh()
                return
        self._restyle(icon=name or None)
