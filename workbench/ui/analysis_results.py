"""Pieces the Analysis menu uses: a background job with progress and Cancel, and a sortable
result list dock whose rows select their entity on the chart.

The job runs a plain function in a worker thread and hands its return value back through a
queued Qt signal, so results are applied on the GUI thread; the function never sees a widget.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHeaderView,
    QLabel,
    QProgressDialog,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.analysis.measures import Cancelled
from workbench.model import Chart, Selection

Work = Callable[[Callable[[int, int], bool]], Any]


class Job(QObject):
    """Run ``work(progress)`` off the GUI thread; ``progress(done, total)`` returns False once
    the user has pressed Cancel. Exactly one of ``finished``, ``failed``, ``cancelled`` fires."""

    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    progressed = Signal(int, int)

    def __init__(self, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="workbench-analysis",
                                        daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _progress(self, done: int, total: int) -> bool:
        self.progressed.emit(done, total)
        return not self._cancel.is_set()

    def _run(self) -> None:
        try:
            result = self._work(self._progress)
        except Cancelled:
            self.cancelled.emit()
            return
        except Exception as exc:  # reported to the analyst, not swallowed
            self.failed.emit(f"{type(exc).__name__}: {exc}")
            return
        if self._cancel.is_set():
            self.cancelled.emit()
        else:
            self.finished.emit(result)


def run_with_progress(parent: QWidget, label: str, work: Work,
                      on_done: Callable[[Any], None],
                      on_failed: Callable[[str], None]) -> Job:
    """Start ``work`` with a progress dialog that has Cancel; ``on_done`` runs on the GUI
    thread with the result (not at all when cancelled)."""
    dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
    dialog.setWindowTitle("Analysis")
    dialog.setMinimumDuration(400)  # quick analyses never flash a dialog
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    job = Job(work, parent)
    job.progressed.connect(lambda done, total: (dialog.setMaximum(max(total, 1)),
                                                 dialog.setValue(done)))
    dialog.canceled.connect(job.cancel)
    job.finished.connect(lambda result: (dialog.reset(), on_done(result)))
    job.failed.connect(lambda message: (dialog.reset(), on_failed(message)))
    job.cancelled.connect(dialog.reset)
    job.start()
    return job


class ResultListDock(QDockWidget):
    """A sortable table of entities and numbers (a measure, the most connected...).

    Clicking rows selects those entities on the shared Selection. ``set_rows(columns, rows)``
    takes rows of (entity id, value, value...), the first value shown being the entity label.
    """

    def __init__(self, title: str, chart: Chart, selection: Selection,
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setObjectName(f"ResultList:{title}")
        self.chart, self.selection = chart, selection
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.hide()
        self.model = QStandardItemModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.selectionModel().selectionChanged.connect(self._rows_chosen)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.note)
        layout.addWidget(self.table)
        self.setWidget(body)

    def set_rows(self, columns: Sequence[str], rows: Sequence[Sequence[Any]],
                 note: str = "") -> None:
        """``rows``: (entity id, label, type, value...); sorted by the first value, highest
        first. A note (an approximation, a cut-off) is shown above the table."""
        self.model.clear()
        self.model.setHorizontalHeaderLabels(list(columns))
        for row in rows:
            entity_id, *cells = row
            items = []
            for cell in cells:
                item = QStandardItem(_display(cell))
                item.setData(cell if isinstance(cell, int | float) else str(cell).casefold(),
                             Qt.ItemDataRole.UserRole)
                item.setData(entity_id, Qt.ItemDataRole.UserRole + 1)
                if isinstance(cell, int | float):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                items.append(item)
            self.model.appendRow(items)
        header = self.table.horizontalHeader()
        for column in range(len(columns)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column == 0
                                        else QHeaderView.ResizeMode.ResizeToContents)
        if len(columns) > 2:
            self.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
        self.note.setText(note)
        self.note.setVisible(bool(note))

    def entity_at(self, row: int) -> str:
        return self.proxy.index(row, 0).data(Qt.ItemDataRole.UserRole + 1)

    def _rows_chosen(self) -> None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        ids = [self.entity_at(r) for r in sorted(rows)]
        self.selection.set([i for i in ids if i in self.chart.entities])


def _display(cell: Any) -> str:
    if isinstance(cell, float):
        return f"{cell:,.0f}" if cell.is_integer() else f"{cell:.4g}"
    if isinstance(cell, int):
        return f"{cell:,}"
    return str(cell)
