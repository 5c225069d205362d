"""Under a line of a chart drawn from the store, in the Properties dock: its first source
records, read from the store when the analyst asks.

A line standing for many store links carries only its first source record
(store/charting.py: three each were a sixth of a hub's expansion), so a chart opened without
the store still says where the line came from. The rest are the store's: a button reads the
first ``RECORDS_READ`` of them off the GUI thread, from the store open in the window when it
is the one the chart was drawn from, and lists them (source, file, row, grading) as plain
text; nothing on the chart changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from workbench.model import Chart, Kind, Link, SourceRecord
from workbench.store.link_items import RECORDS
from workbench.ui.wording import plural

RECORDS_READ = 20  # a line's first source records read from the store on request


class RecordsReader(Protocol):
    """The open store, as far as the dock needs it (the window's store actions)."""

    def ready(self, chart: Chart) -> bool:
        """Whether the store open now is the one ``chart`` was drawn from."""
        ...

    def read(self, chart: Chart, link_id: str, limit: int,
             done: Callable[[list[SourceRecord]], None]) -> None:
        """Read the line's first ``limit`` records; ``done`` on the GUI thread."""
        ...


class StoreRecords(QWidget):
    """The button and, once read, the records; shown for a line standing for many store
    links while a reader is set."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reader: RecordsReader | None = None
        self._chart: Chart | None = None
        self._link: Link | None = None
        self.button = QPushButton(f"Read its first {RECORDS_READ} source records from the "
                                  "store")
        self.button.clicked.connect(self._read)
        self.listed = QLabel()  # plain text: files and sheets are data
        self.listed.setTextFormat(Qt.TextFormat.PlainText)
        self.listed.setWordWrap(True)
        self.listed.setObjectName("store_records")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button)
        layout.addWidget(self.listed)
        self.show_for(None, None)

    def show_for(self, chart: Chart | None, link: Link | None) -> None:
        """Offer the read for ``link`` (a line standing for many store links) of ``chart``,
        enabled while the store it was drawn from is open; None: nothing to offer."""
        self._chart, self._link = chart, link
        offered = chart is not None and link is not None and self.reader is not None
        self.setVisible(offered)
        self.listed.clear()
        self.listed.hide()
        if offered:
            ready = self.reader.ready(chart)
            self.button.setEnabled(ready)
            self.button.setToolTip("" if ready else "open the store this chart was drawn "
                                   "from first (File > Open Store...)")

    def _read(self) -> None:
        chart, link, reader = self._chart, self._link, self.reader
        if chart is None or link is None or reader is None:
            return
        self.button.setEnabled(False)
        reader.read(chart, link.id, RECORDS_READ,
                    lambda records, link_id=link.id: self._show(link_id, records))

    def _show(self, link_id: str, records: list[SourceRecord]) -> None:
        """The records read, if the line is still the one shown."""
        self.button.setEnabled(True)
        link = self._link
        if link is None or link.id != link_id:
            return
        total = link.attributes.get(RECORDS)
        of = f" of its {int(total.value):,}" if total is not None and \
            total.kind is Kind.NUMBER and total.value > len(records) else ""
        self.listed.setText(
            f"In the store, the first {plural(len(records), 'source record')}{of}:\n"
            + "\n".join(f"{r.source}: {r.describe()}" for r in records))
        self.listed.show()
