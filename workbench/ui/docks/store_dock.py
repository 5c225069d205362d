"""The Store dock: search the open investigation store and draw what it finds into the chart.

Search results are a table (label, type, links, sources, what matched) ranked best first and
sortable by any column. Add to Chart draws the selected hits with their neighbours up to a
chosen number of links away, at most a chosen number of new entities, placed beside what is
on the chart, as one undo step; the items keep their store ids and provenance and the chart
remembers the store (``settings["store"]``, as ``workbench store chart`` writes it). "New in
the store" lists what was imported since the chart was drawn that touches its entities.
The store's decisions on the entities drawn come in the same undo step: an accepted pair is
merged into one entity (Unmerge gives them back), a rejected pair is remembered as rejected.

All store work runs on a worker (store_work); the dock only shows answers. Expanding one
chart entity with a preview is the Expand from Store dialog (store_expand), which adds
through this dock too.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.store import Filters, SearchHit, StoreInfo
from workbench.store.decisions import apply_decisions
from workbench.store.interface import NO_FILTERS
from workbench.ui.background import snapshot
from workbench.ui.commands import AddFromStoreCommand, MergeCommand, RejectPairCommand
from workbench.ui.docks import store_work
from workbench.ui.docks.store_work import Gathered, News, StoreRunner, StoreSource
from workbench.ui.document import CanvasHolder, Document, Feedback
from workbench.ui.wording import plural

COLUMNS = ("#", "Label", "Type", "Links", "Sources")
TABLE_ROWS = 4  # the least the results show when the right column is short (a laptop)
SEARCH_LIMIT = 200
DEFAULT_HOPS, DEFAULT_CAP, MAX_CAP = 1, 100, 5000
RETRIES = 3  # the chart was edited while the store was read: read again (a fresh copy)


class _Number(QTableWidgetItem):
    """A cell that sorts by its number, not its text."""

    def __init__(self, value: int | float, text: str | None = None) -> None:
        super().__init__(text if text is not None else f"{value:,}")
        self.setData(Qt.ItemDataRole.UserRole + 1, value)
        self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine = self.data(Qt.ItemDataRole.UserRole + 1)
        theirs = other.data(Qt.ItemDataRole.UserRole + 1)
        if mine is None or theirs is None:
            return super().__lt__(other)
        return mine < theirs


def hops_box() -> QSpinBox:
    box = QSpinBox(minimum=0, maximum=4, value=DEFAULT_HOPS)
    box.setToolTip("neighbours: how many links away from each hit to draw (0: the hits "
                   "alone)")
    return box


def cap_box() -> QSpinBox:
    box = QSpinBox(minimum=1, maximum=MAX_CAP, value=DEFAULT_CAP, singleStep=50)
    box.setToolTip("at most this many new entities (the most connected are kept)")
    return box


class StoreDock(QDockWidget):
    store_changed = Signal()  # a store was opened (``source`` and ``info`` are set)

    def __init__(self, document: Document, canvas: CanvasHolder, feedback: Feedback,
                 parent: QWidget | None = None) -> None:
        super().__init__("Store", parent)
        self.setObjectName("dock_store")
        self.document, self.canvas, self.feedback = document, canvas, feedback
        self.source: StoreSource | None = None
        self.info: StoreInfo | None = None
        self.hits: list[SearchHit] = []
        self.news: News | None = None
        self.runner = StoreRunner(self, feedback.show_error)
        self._edits = 0  # undo stack moves: a result read from an older chart is read again
        document.undo_stack.indexChanged.connect(self._edited)

        self.store_label = QLabel("No store open: File > Open Store...")
        self.store_label.setWordWrap(True)
        self.query = QLineEdit(placeholderText="name, phone, e-mail, any text")
        self.query.setClearButtonEnabled(True)
        self.query.returnPressed.connect(self.search)
        self.search_button = QPushButton("Search")
        self.search_button.clicked.connect(self.search)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)  # one line a hit; the whole label is its tooltip
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        row_height = self.table.fontMetrics().height() + 6
        self.table.verticalHeader().setDefaultSectionSize(row_height)
        self.table.setMinimumHeight(header.sizeHint().height() + TABLE_ROWS * row_height + 4)
        self.table.setSortingEnabled(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)  # best first
        self.table.itemSelectionChanged.connect(self._enable)
        self.table.doubleClicked.connect(lambda _index: self.add_selected())
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.hops = hops_box()
        self.cap = cap_box()
        self.add_button = QPushButton("Add to Chart")
        self.add_button.setToolTip("draw the selected hits and their neighbours into the chart")
        self.add_button.clicked.connect(self.add_selected)
        self.news_button = QPushButton("New in the Store")
        self.news_button.setToolTip("what was imported since this chart was drawn that "
                                    "touches its entities")
        self.news_button.clicked.connect(self.look_for_news)
        self.news_label = QLabel()
        self.news_label.setWordWrap(True)
        for label in (self.store_label, self.summary, self.news_label):
            label.setTextFormat(Qt.TextFormat.PlainText)  # file names, typed text, data
        self.news_list = QListWidget()
        self.news_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.news_add = QPushButton("Add New Items to Chart")
        self.news_add.setToolTip("the selected new entities (all, if none is selected) with "
                                 "their links to the chart")
        self.news_add.clicked.connect(self.add_news)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.store_label)
        row = QHBoxLayout()
        row.addWidget(self.query, 1)
        row.addWidget(self.search_button)
        layout.addLayout(row)
        layout.addWidget(self.table, 3)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.news_button)
        layout.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(QLabel("Neighbours"))
        row.addWidget(self.hops)
        row.addWidget(QLabel("max"))
        row.addWidget(self.cap)
        row.addStretch(1)
        row.addWidget(self.add_button)
        layout.addLayout(row)
        layout.addWidget(self.news_label)
        layout.addWidget(self.news_list, 1)
        layout.addWidget(self.news_add)
        self.setWidget(body)
        self.news_list.hide()
        self.news_add.hide()
        document.chart_replaced.connect(self._chart_replaced)
        self._enable()

    # ----- the open store ------------------------------------------------------------------
    def open_store(self, location: str, password: str | None = None) -> None:
        """Open a store, a file or a shared store's URL without password (checked on a
        worker); the store open before stays if it fails."""
        source = StoreSource(str(location), password)
        self.runner.run(f"opening {source.name}",
                        lambda cancelled: store_work.read_info(source, cancelled),
                        lambda info: self._opened(source, info))

    def _opened(self, source: StoreSource, info: StoreInfo) -> None:
        self.source = source
        self.setWindowTitle(f"Store: {source.name}")
        self._show_info(info)
        self.table.setRowCount(0)
        self.summary.clear()
        self._clear_news()
        self.feedback.say(f"Opened store {source.location}", 5000)
        self.store_changed.emit()
        self._enable()
        self.show()
        self.raise_()
        self.query.setFocus()

    def _show_info(self, info: StoreInfo) -> None:
        self.info = info
        name = self.source.name if self.source is not None else ""
        self.store_label.setText(
            f"{name}: {plural(info.entities, 'entity')}, {plural(info.links, 'link')} "
            f"from {plural(len(info.sources), 'source')}")
        self.store_label.setToolTip(html.escape(info.path))

    def _enable(self) -> None:
        open_ = self.source is not None
        for widget in (self.query, self.search_button, self.news_button):
            widget.setEnabled(open_)
        self.add_button.setEnabled(open_ and bool(self.table.selectionModel().selectedRows()))

    # ----- search ---------------------------------------------------------------------------
    def search(self) -> None:
        text, source = self.query.text().strip(), self.source
        if not text or source is None:
            return
        self.runner.run(f"searching {source.name}",
                        lambda _cancelled: store_work.search(source, text, SEARCH_LIMIT),
                        lambda hits: self.show_hits(text, hits))

    def show_hits(self, text: str, hits: list[SearchHit]) -> None:
        self.hits = list(hits)
        table = self.table
        table.setSortingEnabled(False)
        table.setRowCount(len(hits))
        for row, hit in enumerate(hits):
            cells = [_Number(row + 1, str(row + 1)), QTableWidgetItem(hit.label),
                     QTableWidgetItem(hit.type), _Number(hit.links), _Number(hit.sources)]
            cells[0].setData(Qt.ItemDataRole.UserRole, row)
            cells[1].setToolTip(html.escape(
                f"{hit.label}\n{hit.type} {hit.identity}\nmatched by {hit.matched}, store id "
                f"{hit.id}, score {hit.score:.2f}"))
            for column, cell in enumerate(cells):
                table.setItem(row, column, cell)
        table.setSortingEnabled(True)
        table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        if hits:
            table.selectRow(0)
        more = " (the best only)" if len(hits) >= SEARCH_LIMIT else ""
        self.summary.setText(f"{plural(len(hits), 'entity')} found{more}" if hits
                             else f"Nothing in the store matches {text!r}")
        self._enable()

    def selected_hits(self) -> list[SearchHit]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.hits[self.table.item(r, 0).data(Qt.ItemDataRole.UserRole)] for r in rows]

    def add_selected(self) -> None:
        hits = self.selected_hits()
        if hits:
            self.add_from_store([h.id for h in hits], self.hops.value(), self.cap.value(),
                                NO_FILTERS, f"Add {plural(len(hits), 'search hit')} from "
                                f"the store")

    # ----- adding to the chart ------------------------------------------------------------
    def add_from_store(self, seeds: Sequence[int | str], hops: int, cap: int, filters: Filters,
                       text: str, each: int | None = None, tries: int = RETRIES,
                       links: Sequence[int] = ()) -> None:
        """Draw the seeds (store ids, or chart entity ids to expand) and their neighbourhood
        into the chart as one undo step, read on a worker from a copy of the chart."""
        source = self.source
        if source is None:
            return
        chart, edits = self.document.chart, self._edits
        copy = snapshot(chart)
        runner = self.runner

        def work(cancelled: threading.Event) -> Gathered:
            return store_work.gather(source, copy, list(seeds), hops, cap, filters,
                                     runner.report, cancelled, each, links)

        def done(found: Gathered) -> None:
            if chart is not self.document.chart:
                self.feedback.say("Another chart was opened: nothing added", 8000)
            elif edits != self._edits and tries > 1:  # read again, from the chart as it is
                self.add_from_store(seeds, hops, cap, filters, text, each, tries - 1, links)
            elif edits != self._edits:
                self.feedback.show_error("Store", "The chart kept changing while the store "
                                         "was read: nothing was added. Try again.")
            else:
                self.apply(found, text)

        runner.run(f"reading {source.name}", work, done)

    def apply(self, found: Gathered, text: str) -> None:
        chart = self.document.chart
        if not found.entities and not found.links:
            self.feedback.say("Nothing new: all of it is on the chart already", 8000)
            return
        was_empty = not chart.entities
        stack = self.document.undo_stack
        stack.beginMacro(text)  # the items and the store's decisions on them: one undo step
        stack.push(AddFromStoreCommand(
            chart, found.entities, found.links, store_work.SETTING, found.setting, text))
        merged, _ = apply_decisions(
            chart, found.decisions,
            merge=lambda r: stack.push(MergeCommand(chart, r, "Merge (decided in the store)")),
            reject=lambda a, b: stack.push(RejectPairCommand(chart, a, b)))
        stack.endMacro()
        self.document.selection.set([e.id for e in found.entities if e.id in chart.entities])
        left = f"; {plural(found.left_out, 'hit')} left out by the cap" \
            if found.left_out else ""
        joined = f"; {plural(merged, 'pair')} joined as the store decided" if merged else ""
        self.feedback.say(f"Added {plural(len(found.entities), 'entity')} and "
                          f"{plural(len(found.links), 'link')} from the store{left}{joined}",
                          10000)
        if was_empty:
            self.canvas.view.zoom_to_fit()

    def _edited(self, _index: int) -> None:
        self._edits += 1

    # ----- new in the store -----------------------------------------------------------------
    def look_for_news(self) -> None:
        source = self.source
        if source is None:
            return
        copy = snapshot(self.document.chart)
        self.runner.run(f"looking for new items in {source.name}",
                        lambda cancelled: store_work.news(source, copy, cancelled),
                        self.show_news)

    def show_news(self, news: News) -> None:
        self.news = news
        if news.info is not None:
            self._show_info(news.info)
        found = news.preview
        self.news_list.clear()
        if not found.links:
            self.news_label.setText("Nothing new in the store touches this chart since it "
                                    "was drawn")
            self.news_list.hide()
            self.news_add.hide()
            return
        by_type = ", ".join(f"{n:,} {name}" for name, n in found.link_types.items())
        between = f", {plural(len(found.link_ids), 'link')} between entities already on it" \
            if found.link_ids else ""
        self.news_label.setText(
            f"New since the chart was drawn: {plural(found.links, 'link')} ({by_type}) "
            f"touching its entities, reaching {plural(found.entities, 'entity')} not on it"
            + (f" (and {found.more:,} more past the cap)" if found.more else "") + between)
        for row in news.rows:
            item = QListWidgetItem(f"{row.label}  ({row.type}, {plural(row.links, 'link')})")
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.news_list.addItem(item)
        for sid, text in news.links:
            item = QListWidgetItem(f"{text}  (new link)")
            item.setData(Qt.ItemDataRole.UserRole, ("link", sid))
            self.news_list.addItem(item)
        listed = bool(news.rows or news.links)
        self.news_list.setVisible(listed)
        self.news_add.setVisible(listed)

    def add_news(self) -> None:
        items = self.news_list.selectedItems() or [
            self.news_list.item(r) for r in range(self.news_list.count())]
        data = [item.data(Qt.ItemDataRole.UserRole) for item in items]
        ids = [d for d in data if not isinstance(d, tuple)]
        links = [d[1] for d in data if isinstance(d, tuple)]
        if ids or links:  # each new entity with its links to the chart, none of its other
            # neighbours; new links between entities on the chart as they are
            text = plural(len(ids), "new entity", "new entities") if ids else \
                plural(len(links), "new link")
            self.add_from_store(ids, 1, len(ids), NO_FILTERS, f"Add {text} from the store",
                                each=1, links=links)
            self._clear_news()

    def _clear_news(self) -> None:
        self.news = None
        self.news_label.clear()
        self.news_list.clear()
        self.news_list.hide()
        self.news_add.hide()

    def _chart_replaced(self) -> None:
        self.runner.cancel()
        self._clear_news()
