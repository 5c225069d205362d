"""The Analysis menu's questions: which measure to compute and how to show it, and how to
search for a path between two entities (picked from a list, or the two selected).

Each dialog only collects choices; the Analysis menu's actions run the work, so a script or a
test can call them with the same plain arguments.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from workbench.analysis.measures import DESCRIPTION, DIRECTED_FORM, Measure
from workbench.model import Chart
from workbench.ui.document import type_icon


class MeasureDialog(QDialog):
    """Choose a measure, whether to follow link direction (only where the measure has a
    directed form), and how to show it: size, colour or both."""

    def __init__(self, measures: Sequence[Measure], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Social Network Measures")
        self.measures = list(measures)
        form = QFormLayout(self)
        self.measure_box = QComboBox()
        for measure in self.measures:
            self.measure_box.addItem(DESCRIPTION[measure].split(":")[0], measure.value)
        self.measure_box.setCurrentIndex(self.measures.index(Measure.BETWEENNESS))
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.direction_box = QCheckBox("Follow link direction")
        self.size_box = QCheckBox("Size")
        self.size_box.setChecked(True)
        self.colour_box = QCheckBox("Colour (light green = low, dark purple = high)")
        self.colour_box.setChecked(True)
        form.addRow("Measure", self.measure_box)
        form.addRow(self.about)
        form.addRow(self.direction_box)
        shown = QWidget()
        row = QHBoxLayout(shown)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.size_box)
        row.addWidget(self.colour_box)
        form.addRow("Show as", shown)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.measure_box.currentIndexChanged.connect(self._measure_changed)
        self._measure_changed()

    def chosen_measure(self) -> Measure:
        return Measure(self.measure_box.currentData())

    def _measure_changed(self) -> None:
        measure = self.chosen_measure()
        meaning = DESCRIPTION[measure].split(": ", 1)[1]
        self.about.setText(f"{meaning[0].upper()}{meaning[1:]}. Written to each entity as an "
                           "attribute.")
        always = measure in (Measure.IN_DEGREE, Measure.OUT_DEGREE)
        self.direction_box.setEnabled(measure in DIRECTED_FORM)
        if always or measure not in DIRECTED_FORM:
            self.direction_box.setChecked(always)
        self.direction_box.setToolTip(
            "In- and out-degree always follow link direction" if always else
            "Paths follow the arrows; links without direction count both ways"
            if measure in DIRECTED_FORM else "This measure has no directed form")


class EntityPicker(QComboBox):
    """A searchable list of the chart's entities: type any part of a name to narrow it."""

    def __init__(self, chart: Chart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMinimumContentsLength(28)
        self.setMaxVisibleItems(20)
        for entity in sorted(chart.entities.values(),
                             key=lambda e: (e.label.casefold(), e.type, e.id)):
            self.addItem(type_icon(chart, entity.type), f"{entity.label}  ({entity.type})",
                         entity.id)
        completer = self.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCurrentIndex(-1)
        self.lineEdit().setPlaceholderText("type part of a name")

    def choose(self, entity_id: str) -> None:
        self.setCurrentIndex(self.findData(entity_id))

    def chosen(self) -> str | None:
        """The entity whose name is in the box, or None if the text names none."""
        index = self.findText(self.currentText())
        return self.itemData(index) if index >= 0 else None


GAP_UNITS = {"minutes": "minutes", "hours": "hours", "days": "days", "weeks": "weeks"}


class FindPathDialog(QDialog):
    """Analysis > Find Path: the two ends (picked from a list, filled in from the selection),
    follow link direction or not, weigh links by a number attribute or count them, the
    shortest path only or all paths up to a length; or only forward in time (each link dated
    at or after the one before), with the largest gap allowed between two steps."""

    def __init__(self, chart: Chart, weights: Iterable[str], ends: Sequence[str] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Find Path")
        form = QFormLayout(self)
        self.start, self.end = EntityPicker(chart), EntityPicker(chart)
        for picker, entity_id in zip((self.start, self.end), ends, strict=False):
            picker.choose(entity_id)
        self.directed = QCheckBox("Follow link direction")
        self.weight = QComboBox()
        self.weight.addItem("Number of links (no weight)", None)
        for name in sorted(weights):
            self.weight.addItem(f"Sum of {name}", name)
        self.longest = QSpinBox()
        self.longest.setRange(0, 10)
        self.longest.setSpecialValueText("Shortest path only")
        self.longest.setPrefix("All paths up to ")
        self.longest.setSuffix(" links")
        self.in_time = QCheckBox("Only forward in time: each link at or after the one before")
        self.in_time.setToolTip("A call from A to B, then a call from B to C made after it. "
                                "Links without a date are not followed.")
        self.gap = QSpinBox()
        self.gap.setRange(0, 999)
        self.gap.setSpecialValueText("any gap")
        self.gap_unit = QComboBox()
        for name in GAP_UNITS:
            self.gap_unit.addItem(name)
        self.gap_unit.setCurrentText("days")
        gap_row = QHBoxLayout()
        gap_row.addWidget(self.gap, 1)
        gap_row.addWidget(self.gap_unit)
        self.in_time.toggled.connect(self._time_toggled)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b03a2e")
        self.problem.hide()
        form.addRow("&From", self.start)
        form.addRow("&To", self.end)
        form.addRow(self.directed)
        form.addRow("Path length", self.weight)
        form.addRow("Paths", self.longest)
        form.addRow(self.in_time)
        form.addRow("Largest gap between steps", gap_row)
        self._time_toggled(False)
        form.addRow(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def accept(self) -> None:
        """Only with two different entities named; otherwise say what is missing."""
        start, end = self.start.chosen(), self.end.chosen()
        problem = ("Choose the entity the path starts from." if start is None else
                   "Choose the entity the path goes to." if end is None else
                   "Choose two different entities." if start == end else "")
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        if not problem:
            super().accept()

    def _time_toggled(self, on: bool) -> None:
        """Paths in time count links (a weight means nothing there) and follow direction
        by default: a call goes from the caller to the one called."""
        self.gap.setEnabled(on)
        self.gap_unit.setEnabled(on)
        self.weight.setEnabled(not on)
        if on:
            self.directed.setChecked(True)

    def max_gap(self) -> timedelta | None:
        if not self.gap.value():
            return None
        return timedelta(**{GAP_UNITS[self.gap_unit.currentText()]: self.gap.value()})

    def chosen(self) -> tuple[bool, str | None, int | None, tuple[str, str], bool,
                              timedelta | None]:
        """(directed, weight attribute or None, longest path or None for the shortest only,
        the two ends, forward in time only, the largest gap or None), the arguments of
        ``AnalysisActions.find_path``."""
        in_time = self.in_time.isChecked()
        return (self.directed.isChecked(), None if in_time else self.weight.currentData(),
                self.longest.value() or None, (self.start.chosen(), self.end.chosen()),
                in_time, self.max_gap() if in_time else None)
