"""The two tables of the properties dock: attributes, and sources with their grading.

Each table shows one item's values and reports an edit as a whole new value (a new attribute
dict, a new provenance list) through ``edited``; the dock turns that into one undo command.
Values typed in are parsed by the attribute's kind, so '1.33E+07' becomes a number and a bad
value is refused with the reason instead of being stored as text.
"""

from __future__ import annotations

import html
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.model import Kind, ParseError, SourceRecord, Value, parse_value
from workbench.model.provenance import (
    CREDIBILITY,
    CREDIBILITY_MEANING,
    RELIABILITY,
    RELIABILITY_MEANING,
)

EDITABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable
READ_ONLY = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                          | QAbstractItemView.EditTrigger.EditKeyPressed
                          | QAbstractItemView.EditTrigger.AnyKeyPressed)
    return table


def fit_height(table: QTableWidget, most_rows: int = 6) -> None:
    """As tall as its rows (up to ``most_rows``, then it scrolls): short lists stay short."""
    rows = min(table.rowCount(), most_rows)
    height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth() + 2
    height += sum(table.rowHeight(r) for r in range(rows)) if rows else 28
    table.setFixedHeight(height)


class AttributesTable(QWidget):
    edited = Signal(dict)  # the item's new attributes
    problem = Signal(str)

    def __init__(self, region: str = "GB") -> None:
        super().__init__()
        self.region = region
        self.values: dict[str, Value] = {}
        self.table = _table(["Attribute", "Kind", "Value"])
        self.table.itemChanged.connect(self._cell_changed)
        self.name_edit = QLineEdit(placeholderText="new attribute")
        self.kind_box = QComboBox()
        self.kind_box.addItems([k.value for k in Kind])
        self.value_edit = QLineEdit(placeholderText="value")
        self.value_edit.returnPressed.connect(self.add_attribute)
        add = QPushButton("Add")
        add.clicked.connect(self.add_attribute)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_selected)
        first, second = QHBoxLayout(), QHBoxLayout()
        first.addWidget(self.name_edit, 2)
        first.addWidget(self.kind_box, 1)
        second.addWidget(self.value_edit, 2)
        second.addWidget(add)
        second.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(first)
        layout.addLayout(second)

    def show_values(self, values: dict[str, Value]) -> None:
        self.values = dict(values)
        self.table.blockSignals(True)
        self.table.setRowCount(len(values))
        for row, (name, value) in enumerate(sorted(values.items())):
            for column, text in enumerate((name, value.kind.value, value.display())):
                cell = QTableWidgetItem(text)
                cell.setFlags(EDITABLE if column == 2 else READ_ONLY)
                self.table.setItem(row, column, cell)
        self.table.blockSignals(False)
        fit_height(self.table)

    def _parse(self, kind: Kind | str, text: str) -> Value | None:
        try:
            return parse_value(kind, text, region=self.region)
        except ParseError as exc:
            self.problem.emit(str(exc))
            return None

    def _cell_changed(self, cell: QTableWidgetItem) -> None:
        name = self.table.item(cell.row(), 0).text()
        value = self._parse(self.values[name].kind, cell.text())
        if value is None:
            self.show_values(self.values)
            return
        self.edited.emit({**self.values, name: value})

    def add_attribute(self) -> None:
        name = self.name_edit.text().strip()
        if not name:
            self.problem.emit("Name the new attribute.")
            return
        value = self._parse(self.kind_box.currentText(), self.value_edit.text())
        if value is not None:
            self.name_edit.clear()
            self.value_edit.clear()
            self.edited.emit({**self.values, name: value})

    def remove_selected(self) -> None:
        rows = {index.row() for index in self.table.selectedIndexes()}
        names = {self.table.item(r, 0).text() for r in rows}
        if names:
            self.edited.emit({k: v for k, v in self.values.items() if k not in names})


class SourcesTable(QWidget):
    """Where the item came from and how far it is trusted (grading per source)."""

    edited = Signal(list)  # the item's new provenance
    HEADERS = ("Source", "Rel.", "Cred.", "Handling", "From")

    def __init__(self) -> None:
        super().__init__()
        self.records: list[SourceRecord] = []
        self.table = _table(list(self.HEADERS))
        self.table.itemChanged.connect(self._cell_changed)
        self.source_edit = QLineEdit(placeholderText="source name (e.g. interview 12)")
        self.source_edit.returnPressed.connect(self.add_source)
        add = QPushButton("Add source")
        add.clicked.connect(self.add_source)
        remove = QPushButton("Remove")
        remove.clicked.connect(self.remove_selected)
        row = QHBoxLayout()
        for widget in (self.source_edit, add, remove):
            row.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(row)

    def show_records(self, records: list[SourceRecord]) -> None:
        self.records = list(records)
        self.table.blockSignals(True)
        self.table.setRowCount(len(records))
        for row, record in enumerate(records):
            where = " ".join(p for p in (record.file, f"[{record.sheet}]" if record.sheet else "",
                                         f"row {record.row}" if record.row is not None else "")
                             if p)
            for column, text in enumerate((record.source, "", "", record.handling, where)):
                cell = QTableWidgetItem(text)
                cell.setFlags(EDITABLE if column in (0, 3) else READ_ONLY)
                if column == 0 and where:
                    cell.setToolTip(html.escape(f"{record.source}: {where}"))
                self.table.setItem(row, column, cell)
            self.table.setCellWidget(row, 1, self._grade_box(
                row, "reliability", RELIABILITY, RELIABILITY_MEANING, record.reliability))
            self.table.setCellWidget(row, 2, self._grade_box(
                row, "credibility", CREDIBILITY, CREDIBILITY_MEANING, record.credibility))
        self.table.blockSignals(False)
        fit_height(self.table, most_rows=8)

    def _grade_box(self, row: int, field: str, grades: tuple[str, ...],
                   meaning: dict[str, str], current: str) -> QComboBox:
        box = QComboBox()
        box.addItem("-", "")
        box.setItemData(0, "ungraded", Qt.ItemDataRole.ToolTipRole)
        for grade in grades:
            box.addItem(grade, grade)
            box.setItemData(box.count() - 1, meaning[grade], Qt.ItemDataRole.ToolTipRole)
        box.setCurrentIndex(max(0, box.findData(current)))
        box.setToolTip(meaning.get(current, "ungraded"))
        box.currentIndexChanged.connect(
            lambda _i, r=row, f=field, b=box: self._set(r, **{f: b.currentData()}))
        return box

    def _set(self, row: int, **changes: str) -> None:
        records = list(self.records)
        records[row] = replace(records[row], **changes)
        self.edited.emit(records)

    def _cell_changed(self, cell: QTableWidgetItem) -> None:
        text = cell.text().strip()
        if cell.column() == 0 and not text:
            self.show_records(self.records)  # a source must have a name
            return
        if cell.column() in (0, 3):
            self._set(cell.row(), **{"source" if cell.column() == 0 else "handling": text})

    def add_source(self) -> None:
        name = self.source_edit.text().strip()
        if name:
            self.source_edit.clear()
            self.edited.emit([*self.records, SourceRecord(name)])

    def remove_selected(self) -> None:
        rows = {index.row() for index in self.table.selectedIndexes()}
        if rows:
            self.edited.emit([r for i, r in enumerate(self.records) if i not in rows])
