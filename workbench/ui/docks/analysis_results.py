"""Pieces the Analysis menu uses: a background job with progress and Cancel, a watch that
notices the chart changing under it, and a sortable result list dock whose rows select their
entity on the chart and whose legend says what the colours mean.

The job runs a plain function in a worker thread and hands its return value back through a
queued Qt signal, so results are applied on the GUI thread; the function never sees a widget.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QLinearGradient,
    QPainter,
    QPixmap,
    QStandardItem,
    QStandardItemModel,
)
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

from workbench.analysis.colour_ramp import ColourRamp
from workbench.analysis.fields import Target, attribute_names
from workbench.analysis.measures import (
    Cancelled,
    MeasureResult,
)
from workbench.model import Chart, Kind, Selection
from workbench.model.formatting import FormattingError, load_rules, matches
from workbench.ui.wording import plural

Work = Callable[[Callable[[int, int], bool]], Any]

#: Cluster colours: distinct, print-safe; clusters of one entity stay grey.
CLUSTER_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                   "#e377c2", "#17becf", "#bcbd22", "#393b79", "#ad494a", "#637939")
LONE_COLOUR = "#9aa5b1"
MIN_SIZE, MAX_SIZE = 1.0, 3.0  # entity size factors for a measure, lowest to highest


def style_changes(result: MeasureResult, entity_ids: Iterable[str], colour: str | None,
                  ramp: ColourRamp | None, size: bool) -> dict[str, dict[str, Any]]:
    """{entity id: style fields} for a result: a colour per cluster (``colour="clusters"``;
    clusters of one entity grey), the ramp's colour, and a size from 1x to 3x by value."""
    out: dict[str, dict[str, Any]] = {}
    counts: dict[float, int] = {}
    for number in result.values.values():
        counts[number] = counts.get(number, 0) + 1
    top = max(result.values.values(), default=0) or 1.0
    for entity_id in entity_ids:
        value = result.values[entity_id]
        changes: dict[str, Any] = {}
        if colour == "clusters":
            changes["colour"] = (CLUSTER_COLOURS[(int(value) - 1) % len(CLUSTER_COLOURS)]
                                 if counts[value] > 1 else LONE_COLOUR)
        elif ramp is not None:
            changes["colour"] = ramp.colour(value)
        if size:
            share = max(value, 0) / top
            changes["size"] = round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * share, 2)
        if changes:
            out[entity_id] = changes
    return out


def ruled_by_formatting(chart: Any, entity_ids: Iterable[str], *, colour: bool,
                        size: bool) -> str:
    """A note naming how many of ``entity_ids`` show a colour or size from the chart's
    conditional formatting instead of the analysis's (rules win over item styles), and which
    rules, so the analyst is not left wondering why some entities did not change."""
    if not (colour or size):
        return ""
    try:
        rules = [r for r in load_rules(chart) if r.enabled and r.applies_to == "entities"
                 and ((colour and r.colour is not None) or (size and r.size is not None))]
    except FormattingError:
        return ""
    entities = [chart.entities[e] for e in entity_ids if e in chart.entities]
    names: dict[str, None] = {}
    count = 0
    for entity in entities:
        hit = [r for r in rules if matches(r, chart, entity)]
        count += bool(hit)
        names.update(dict.fromkeys(r.name or r.field for r in hit))
    if not count:
        return ""
    quoted = ", ".join(f"'{n}'" for n in names)
    keep = "keeps" if count == 1 else "keep"
    return (f"{plural(count, 'entity')} {keep} the colour or size of conditional formatting "
            f"({quoted}), which wins over analysis results; switch it off under View > "
            "Conditional Formatting to see the measure on every entity.")


def numeric_link_attributes(chart: Any) -> set[str]:
    return {name for name in attribute_names(chart, Target.LINKS)
            if any(lk.attributes.get(name) is not None
                   and lk.attributes[name].kind is Kind.NUMBER for lk in chart.links.values())}


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
        self._emit(self.progressed, done, total)
        return not self._cancel.is_set()

    def _run(self) -> None:
        try:
            result = self._work(self._progress)
        except Cancelled:
            self._emit(self.cancelled)
            return
        except Exception as exc:  # reported to the analyst, not swallowed
            self._emit(self.failed, f"{type(exc).__name__}: {exc}")
            return
        if self._cancel.is_set():
            self._emit(self.cancelled)
        else:
            self._emit(self.finished, result)

    @staticmethod
    def _emit(signal: Any, *args: Any) -> None:
        """Emit from the worker; when the window (and this job with it) was closed while the
        work ran, there is no one left to tell, which is not an error."""
        with contextlib.suppress(RuntimeError):  # the C++ object behind the job is gone
            signal.emit(*args)


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


class ChartWatch:
    """Notes whether the chart's entities or links (their ends, direction, type or
    attributes) changed while an analysis ran on a snapshot of it."""

    SIGNALS = ("entities_added", "entities_removed", "links_added", "links_removed",
               "link_changed")
    LINK_FIELDS = frozenset({"end1", "end2", "direction", "type", "attributes"})

    def __init__(self, chart: Chart) -> None:
        self.chart, self.changed = chart, False
        for name in self.SIGNALS:
            getattr(chart, name).connect(self._changed)

    def _changed(self, *args: Any) -> None:
        if len(args) == 2 and not self.LINK_FIELDS & set(args[1]):  # link style, label...
            return
        self.changed = True

    def close(self) -> None:
        for name in self.SIGNALS:
            getattr(self.chart, name).disconnect(self._changed)


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
        self.table.setMinimumHeight(140)  # a few rows even when the notes above are long
        self.table.selectionModel().selectionChanged.connect(self._rows_chosen)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend_bar = QLabel()
        self.legend_bar.hide()
        self.legend.hide()
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.note)
        layout.addWidget(self.legend_bar)
        layout.addWidget(self.legend)
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

    def set_legend(self, ramp: ColourRamp | None, attribute: str = "") -> None:
        """Show the colour ramp the chart uses for ``attribute`` (hidden for None)."""
        self.legend.setVisible(ramp is not None)
        self.legend_bar.setVisible(ramp is not None)
        if ramp is None:
            self.legend.clear()
            return
        self.legend.setText(ramp.describe(attribute))
        self.legend_bar.setPixmap(_ramp_pixmap(ramp, 240, 14))
        self.legend_bar.setToolTip("  ".join(f"{v:.3g}" for v, _ in ramp.stops()))

    def entity_at(self, row: int) -> str:
        return self.proxy.index(row, 0).data(Qt.ItemDataRole.UserRole + 1)

    def _rows_chosen(self) -> None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        ids = [self.entity_at(r) for r in sorted(rows)]
        self.selection.set([i for i in ids if i in self.chart.entities])


def _ramp_pixmap(ramp: ColourRamp, width: int, height: int) -> QPixmap:
    """The ramp as a bar, lowest on the left."""
    pixmap = QPixmap(width, height)
    pixmap.fill(Qt.GlobalColor.transparent)
    gradient = QLinearGradient(0, 0, width, 0)
    stops = ramp.stops(9)
    for i, (_value, colour) in enumerate(stops):
        gradient.setColorAt(i / max(len(stops) - 1, 1), QColor(colour))
    painter = QPainter(pixmap)
    painter.fillRect(0, 0, width, height, gradient)
    painter.setPen(QColor("#555555"))
    painter.drawRect(0, 0, width - 1, height - 1)
    painter.end()
    return pixmap


def _display(cell: Any) -> str:
    if isinstance(cell, float):
        return f"{cell:,.0f}" if cell.is_integer() else f"{cell:.4g}"
    if isinstance(cell, int):
        return f"{cell:,}"
    return str(cell)
