"""Find Duplicates: the matcher's candidate pairs, reviewed one by one.

The matcher runs off the GUI thread on a copy of the chart (workbench.ui.background), with a
busy bar and Cancel. Pairs are listed best first, without the ones the chart already decided
(``workbench.resolve.decisions.undecided``); the chosen pair is selected on the chart and shown
side by side (attributes, sources) with the matcher's evidence coloured agree, disagree or
missing. Accept merges the two (one undo step, Edit > Unmerge gives them back), Reject
remembers in the chart that they are not one, Not Sure draws a "possibly same as" link; the
keys A, R and N do the same while the dock has the focus. Undoing a decision brings the pair
back to the list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.model import Chart, Entity
from workbench.resolve.decisions import (
    decided,
    plan_for_pair,
    possibly_same_link,
    undecided,
)
from workbench.resolve.pairs import AGREE, DISAGREE, Candidate
from workbench.ui.background import Job, snapshot
from workbench.ui.commands import AddItemsCommand, MergeCommand, RejectPairCommand
from workbench.ui.document import Document
from workbench.ui.wording import plural

Finder = Callable[[Chart, list[str], float], list[Candidate]]

VERDICT_COLOURS = {AGREE: "#d4efdf", DISAGREE: "#f5b7b1"}  # missing: grey
MISSING_COLOUR = "#e5e8e8"
DIFFERENT_COLOUR = "#fdebd0"  # a field whose two values differ, in the side-by-side table
DEFAULT_TYPES = ("Person", "Organisation")


def real_finder(chart: Chart, types: list[str], threshold: float) -> list[Candidate]:
    """The Splink matcher (imported on first use: it loads DuckDB and Splink), places named
    by the gazetteer."""
    from workbench.geo.places import place_namer
    from workbench.resolve.candidates import find_candidates

    return find_candidates(chart, types, threshold, place_namer=place_namer())


def side_by_side(chart: Chart, a: Entity, b: Entity) -> list[tuple[str, str, str]]:
    """(field, value of a, value of b) rows: label, type, identity, date, every attribute
    either has, and the sources, so the reviewer sees what each source said."""
    rows = [("label", a.label, b.label), ("type", a.type, b.type),
            ("identity", a.identity or "", b.identity or ""),
            ("date", a.date.isoformat(sep=" ") if a.date else "",
             b.date.isoformat(sep=" ") if b.date else "")]
    for name in sorted(set(a.attributes) | set(b.attributes), key=str.casefold):
        values = [e.attributes[name].display() if name in e.attributes else "" for e in (a, b)]
        rows.append((name, values[0], values[1]))
    rows.append(("sources", _sources(a), _sources(b)))
    rows.append(("links", plural(len(chart.links_of(a.id)), "link"),
                 plural(len(chart.links_of(b.id)), "link")))
    return [r for r in rows if r[1] or r[2]]


def _sources(entity: Entity, most: int = 5) -> str:
    """The entity's sources, one a line, the first few and how many more (a person named in
    200 rows would push the attributes out of sight)."""
    lines = [s.describe() for s in entity.provenance[:most]]
    if len(entity.provenance) > most:
        lines.append(f"and {len(entity.provenance) - most:,} more")
    return "\n".join(lines)


def _item(text: str, colour: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)  # plain text: labels and evidence are data, never markup
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if colour:
        item.setBackground(QBrush(QColor(colour)))
        item.setForeground(QBrush(QColor("#1b2631")))
    return item


def _table(columns: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)  # names, scores
    return table


class ReviewDock(QDockWidget):
    """``find()`` runs the matcher; ``accept()``, ``reject()``, ``not_sure()`` decide the
    current pair. ``finder`` defaults to the Splink matcher."""

    def __init__(self, document: Document, parent: QWidget | None = None, *,
                 finder: Finder | None = None) -> None:
        super().__init__("Find Duplicates", parent)
        self.setObjectName("dock_find_duplicates")
        self.document = document
        self.finder = finder or real_finder
        self.candidates: list[Candidate] = []  # every pair found, decided or not
        self.shown: list[Candidate] = []  # the rows of the list
        self.job: Job | None = None
        self._chart: Chart | None = None
        self._row = 0  # the row in view: after a decision, the next pair moves into it
        # one refill after a change, not one per signal of it (a merge sends five)
        self._refill_soon = QTimer(self, singleShot=True, interval=0)
        self._refill_soon.timeout.connect(self._refill)

        self.type_box = QComboBox()
        self.threshold = QDoubleSpinBox(minimum=0.0, maximum=1.0, singleStep=0.05, value=0.5)
        self.threshold.setToolTip("offer pairs with at least this match probability")
        self.find_button = QPushButton("Find")
        self.find_button.clicked.connect(self.find)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # the matcher has no steps to count: a busy bar
        self.busy.hide()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        self.status = QLabel("Find pairs of entities that may be one.")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.pairs = _table(["Match", "Entity", "Entity"])
        self.pairs.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.pairs.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.pairs.itemSelectionChanged.connect(self._pair_chosen)
        self.compare = _table(["", "Entity", "Entity"])
        self.evidence = _table(["Compared", "Verdict", "Detail"])
        self.accept_button = QPushButton("&Accept (A): merge")
        self.reject_button = QPushButton("&Reject (R): not the same")
        self.unsure_button = QPushButton("&Not sure (N)")
        self.accept_button.clicked.connect(self.accept)
        self.reject_button.clicked.connect(self.reject)
        self.unsure_button.clicked.connect(self.not_sure)
        self._layout()
        for key, slot in (("A", self.accept), ("R", self.reject), ("N", self.not_sure)):
            shortcut = QShortcut(QKeySequence(key), self.widget())
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        document.chart_replaced.connect(self._follow_chart)
        self._follow_chart()

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel("Type"))
        top.addWidget(self.type_box, 1)
        top.addWidget(QLabel("At least"))
        top.addWidget(self.threshold)
        top.addWidget(self.find_button)
        top.addWidget(self.busy, 1)
        top.addWidget(self.cancel_button)
        right = QWidget()
        detail = QVBoxLayout(right)
        detail.setContentsMargins(0, 0, 0, 0)
        detail.addWidget(self.compare, 3)
        detail.addWidget(self.evidence, 2)
        buttons = QHBoxLayout()
        for button in (self.accept_button, self.reject_button, self.unsure_button):
            buttons.addWidget(button)
        detail.addLayout(buttons)
        split = QSplitter()
        split.addWidget(self.pairs)
        split.addWidget(right)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        self.setWidget(page)
        self._show_pair(None)

    # ----- following the chart ---------------------------------------------------------------
    def _signals(self, chart: Chart) -> list[Any]:
        return [chart.decisions_changed, chart.entities_added, chart.entities_removed,
                chart.links_added, chart.links_removed]

    def _follow_chart(self) -> None:
        """A new chart: its own types, no pairs (they were another chart's)."""
        self.cancel()
        if self._chart is not None:
            for signal in self._signals(self._chart):
                signal.disconnect(self._decisions_changed, missing_ok=True)
        self._chart = chart = self.document.chart
        for signal in self._signals(chart):
            signal.connect(self._decisions_changed)
        self.type_box.clear()
        self._fill_types()
        self.candidates = []
        self._refill()

    def _fill_types(self) -> None:
        """The entity types on the chart now (an import may have brought new ones), keeping
        the one chosen; a person or organisation type first time."""
        chosen = self.type_box.currentText()
        types = sorted({e.type for e in self.document.chart.entities.values()},
                       key=str.casefold)
        self.type_box.clear()
        self.type_box.addItems(types)
        preferred = chosen if chosen in types else next(
            (t for t in DEFAULT_TYPES if t in types), None)
        if preferred:
            self.type_box.setCurrentText(preferred)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fill_types()

    def _decisions_changed(self, *_args: object) -> None:
        """A decision made or undone (here, by Edit > Undo, or by hand): list again."""
        if self.candidates:
            self._refill_soon.start()

    # ----- finding -----------------------------------------------------------------------------
    def find(self) -> Job | None:
        """Run the matcher on a copy of the chart off the GUI thread; the list fills when it
        is done (not at all after Cancel or when another chart was opened meanwhile)."""
        self._fill_types()
        type_name = self.type_box.currentText()
        if not type_name:
            self.status.setText("The chart has no entities to compare.")
            return None
        self.cancel()
        chart = self.document.chart
        copy, finder = snapshot(chart), self.finder
        threshold = self.threshold.value()
        self.job = Job(lambda _cancelled: finder(copy, [type_name], threshold), owner=self,
                       on_done=lambda pairs: self._found(chart, pairs),
                       on_failed=self._failed, what="Find Duplicates", plain=(ValueError,))
        self._busy(True)
        self.status.setText(f"Comparing every {type_name}...")
        return self.job.start()

    def cancel(self) -> None:
        if self.job is not None and self.job.running:
            self.job.cancel()
            self.status.setText("Cancelled.")
        self.job = None
        self._busy(False)

    def _busy(self, on: bool) -> None:
        self.busy.setVisible(on)
        self.cancel_button.setVisible(on)
        self.find_button.setEnabled(not on)

    def _found(self, chart: Chart, pairs: object) -> None:
        self.job = None
        self._busy(False)
        if chart is not self.document.chart:
            return
        self.candidates = list(pairs)  # type: ignore[call-overload]
        self._refill()

    def _failed(self, reason: str) -> None:
        self.job = None
        self._busy(False)
        self.status.setText(f"Find Duplicates failed: {reason}")

    # ----- the list ----------------------------------------------------------------------------
    def _refill(self) -> None:
        chart = self.document.chart
        current = self.current()
        self.shown = undecided(chart, self.candidates)
        self.pairs.blockSignals(True)
        self.pairs.setRowCount(len(self.shown))
        for row, pair in enumerate(self.shown):
            self.pairs.setItem(row, 0, _item(f"{pair.probability:.0%}"))
            self.pairs.setItem(row, 1, _item(chart.entity(pair.a).label))
            self.pairs.setItem(row, 2, _item(chart.entity(pair.b).label))
        self.pairs.blockSignals(False)
        if self.candidates:
            decided = len(self.candidates) - len(self.shown)
            self.status.setText(f"{plural(len(self.shown), 'pair')} to review"
                                + (f" ({decided:,} decided)" if decided else "") + ".")
        keys = [(c.a, c.b) for c in self.shown]
        row = keys.index((current.a, current.b)) if current and (current.a, current.b) in keys \
            else self._row
        if self.shown:
            self.pairs.selectRow(min(row, len(self.shown) - 1))
        self._pair_chosen()

    def current(self) -> Candidate | None:
        rows = self.pairs.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.shown):
            return None
        return self.shown[rows[0].row()]

    def _pair_chosen(self) -> None:
        pair = self.current()
        rows = self.pairs.selectionModel().selectedRows()
        self._row = rows[0].row() if rows else 0
        self._show_pair(pair)
        if pair is not None:
            self.document.selection.set([pair.a, pair.b])

    def _show_pair(self, pair: Candidate | None) -> None:
        for button in (self.accept_button, self.reject_button, self.unsure_button):
            button.setEnabled(pair is not None)
        chart = self.document.chart
        if pair is None:
            self.compare.setRowCount(0)
            self.evidence.setRowCount(0)
            return
        a, b = chart.entity(pair.a), chart.entity(pair.b)
        self.compare.setHorizontalHeaderLabels(["", f"{a.label} [{a.id}]", f"{b.label} [{b.id}]"])
        rows = side_by_side(chart, a, b)
        self.compare.setRowCount(len(rows))
        for row, (name, left, right) in enumerate(rows):
            colour = DIFFERENT_COLOUR if left != right and name not in ("sources", "links") \
                else None
            for column, text in enumerate((name, left, right)):
                self.compare.setItem(row, column, _item(text, colour if column else None))
        self.compare.resizeRowsToContents()
        self.evidence.setRowCount(len(pair.evidence))
        for row, (name, (verdict, detail)) in enumerate(pair.evidence.items()):
            colour = VERDICT_COLOURS.get(verdict, MISSING_COLOUR)
            for column, text in enumerate((name, verdict, detail)):
                self.evidence.setItem(row, column, _item(text, colour))

    # ----- deciding ----------------------------------------------------------------------------
    def _pair_to_decide(self) -> Candidate | None:
        """The chosen pair, if the chart has not decided it meanwhile (a key pressed twice
        before the list caught up)."""
        pair = self.current()
        if pair is not None and decided(self.document.chart, pair.a, pair.b):
            self._refill()
            return None
        return pair

    def accept(self) -> bool:
        """Merge the pair (the first keeps its id) as one undo step."""
        pair = self._pair_to_decide()
        if pair is None:
            return False
        chart = self.document.chart
        record = plan_for_pair(chart, pair)
        names = f"{chart.entity(pair.a).label} and {chart.entity(pair.b).label}"
        self.document.undo_stack.push(MergeCommand(chart, record, f"Merge {names}"))
        return True

    def reject(self) -> bool:
        """Remember that the two are not one; the pair is never offered again."""
        pair = self._pair_to_decide()
        if pair is None:
            return False
        chart = self.document.chart
        self.document.undo_stack.push(RejectPairCommand(
            chart, pair.a, pair.b,
            f"Not the same: {chart.entity(pair.a).label} and {chart.entity(pair.b).label}"))
        return True

    def not_sure(self) -> bool:
        """Draw a tentative "possibly same as" link between the two."""
        pair = self._pair_to_decide()
        if pair is None:
            return False
        chart = self.document.chart
        link = possibly_same_link(chart, pair)
        self.document.undo_stack.push(AddItemsCommand(
            chart, links=[link], text=f"Possibly the same: {chart.entity(pair.a).label} and "
                                      f"{chart.entity(pair.b).label}"))
        return True

