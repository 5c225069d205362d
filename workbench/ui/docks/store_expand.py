"""Expand from Store: what a chart entity's neighbourhood in the store would bring, counted
by entity type and link type, before anything is added.

The analyst sets how many links away, the cap on new entities, which entity and link types
and which dates; each change counts again on a worker (the chart is not touched). Add draws
exactly what was counted through the Store dock, as one undo step, placed around the
expanded entity (which stays where it is) so the chart stays legible.
"""

from __future__ import annotations

import threading
from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.model import ParseError
from workbench.model.kinds import parse_datetime
from workbench.store import Filters, Preview
from workbench.ui.background import snapshot
from workbench.ui.docks import store_work
from workbench.ui.docks.store_dock import StoreDock, cap_box, hops_box
from workbench.ui.docks.store_work import StoreRunner
from workbench.ui.wording import plural

RECOUNT_AFTER_MS = 250


def _type_list(names: dict[str, int]) -> QListWidget:
    box = QListWidget()
    for name, count in names.items():
        item = QListWidgetItem(f"{name} ({count:,} in the store)")
        item.setData(Qt.ItemDataRole.UserRole, name)
        item.setCheckState(Qt.CheckState.Checked)
        box.addItem(item)
    box.setMaximumHeight(110)
    return box


def _checked(box: QListWidget) -> tuple[str, ...]:
    """The ticked types, or () for all of them (the store's 'no filter')."""
    items = [box.item(r) for r in range(box.count())]
    ticked = tuple(i.data(Qt.ItemDataRole.UserRole) for i in items
                   if i.checkState() == Qt.CheckState.Checked)
    return () if len(ticked) == len(items) else ticked


def counts_text(preview: Preview, cap: int) -> str:
    """The preview as the analyst reads it: what would come, by type (links, and the
    connections they make: a line each on the chart), and what the cap leaves out."""
    if not preview.entities and not preview.links:
        return "Nothing to add: its neighbours (as filtered) are on the chart already."
    links = plural(preview.links, "link")
    if preview.connections and preview.connections != preview.links:  # one line each
        links = f"{plural(preview.connections, 'connection')} ({links})"
    lines = [f"Would add {plural(preview.entities, 'entity')} and {links}:"]
    lines += [f"    {n:,} {name}" for name, n in preview.entity_types.items()]
    if preview.link_types:
        lines.append("Links:")
        lines += [f"    {n:,} {name}" for name, n in preview.link_types.items()]
    if preview.more:
        left = plural(preview.more, "more entity", "more entities")
        lines.append(f"The cap of {cap:,} leaves out {left}.")
    return "\n".join(lines)


class ExpandDialog(QDialog):
    def __init__(self, dock: StoreDock, entity_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dock, self.entity_id = dock, entity_id
        self.preview: Preview | None = None
        self.filters: Filters | None = None
        entity = dock.document.chart.entity(entity_id)
        source = dock.source
        assert source is not None and dock.info is not None
        self.setWindowTitle(f"Expand {entity.label} from {source.name}")
        self.hops = hops_box()
        self.cap = cap_box()
        self.types = _type_list(dock.info.entity_types)
        self.link_types = _type_list(dock.info.link_types)
        self.start = QLineEdit(placeholderText="from date (any)")
        self.end = QLineEdit(placeholderText="to date (any)")
        self.counts = QLabel("Counting...")
        self.counts.setTextFormat(Qt.TextFormat.PlainText)  # labels and types are data
        self.counts.setWordWrap(True)
        self.counts.setMinimumHeight(120)
        self.counts.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = self.buttons.addButton("Add to Chart",
                                                 QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setEnabled(False)
        self.buttons.accepted.connect(self.add)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        row = QHBoxLayout()
        row.addWidget(self.hops)
        row.addWidget(QLabel("links away, at most"))
        row.addWidget(self.cap)
        row.addWidget(QLabel("new entities"))
        row.addStretch(1)
        form.addRow("Neighbours", row)
        form.addRow("Entity types", self.types)
        form.addRow("Link types", self.link_types)
        dates = QHBoxLayout()
        dates.addWidget(self.start)
        dates.addWidget(self.end)
        form.addRow("Links dated", dates)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.counts, 1)
        layout.addWidget(self.buttons)
        self.resize(520, 560)

        self.timer = QTimer(self, singleShot=True, interval=RECOUNT_AFTER_MS)
        self.timer.timeout.connect(self.count)
        for spin in (self.hops, self.cap):
            spin.valueChanged.connect(lambda _v: self._changed())
        for box in (self.types, self.link_types):
            box.itemChanged.connect(lambda _i: self._changed())
        for edit in (self.start, self.end):
            edit.editingFinished.connect(self._changed)
        # counts run here, so a search in the dock meanwhile does not stop them; Add hands
        # its work to the dock, which outlives the dialog
        self.runner = StoreRunner(self, dock.feedback.show_error)
        self.rejected.connect(self.runner.cancel)
        dock.document.chart_replaced.connect(self.reject)
        self.count()

    def _changed(self) -> None:
        """Count again shortly; until then there is nothing counted to add."""
        self.add_button.setEnabled(False)
        self.timer.start()

    def _date(self, edit: QLineEdit) -> datetime | None:
        text = edit.text().strip()
        return parse_datetime(text) if text else None

    def current_filters(self) -> Filters:
        return Filters(_checked(self.types), _checked(self.link_types),
                       self._date(self.start), self._date(self.end))

    def count(self) -> None:
        """Count what would come with the options as they are (on a worker)."""
        try:
            filters = self.current_filters()
        except ParseError as exc:
            self.counts.setText(f"Date: {exc}")
            self.add_button.setEnabled(False)
            return
        source = self.dock.source
        if source is None:
            return
        copy, hops, cap = snapshot(self.dock.document.chart), self.hops.value(), self.cap.value()
        self.add_button.setEnabled(False)
        self.counts.setText("Counting...")

        def work(cancelled: threading.Event) -> Preview:
            return store_work.preview(source, copy, self.entity_id, hops, cap, filters,
                                      cancelled)

        def done(preview: Preview) -> None:
            self.preview, self.filters = preview, filters
            self.counts.setText(counts_text(preview, cap))
            self.add_button.setEnabled(bool(preview.entities or preview.links))

        self.runner.run(f"counting in {source.name}", work, done)

    def add(self) -> None:
        """Add what was counted (the options it was counted with), as one undo step."""
        if self.preview is None or self.filters is None or self.timer.isActive():
            return
        chart = self.dock.document.chart
        if self.entity_id not in chart.entities:  # deleted meanwhile
            self.reject()
            return
        entity = chart.entity(self.entity_id)
        self.dock.add_from_store([self.entity_id], self.hops.value(), self.cap.value(),
                                 self.filters, f"Expand {entity.label} from the store")
        self.accept()
