"""The Analysis menu's questions: which measure to compute and how to show it, and how to
search for a path between the two selected entities.

Each dialog only collects choices; the Analysis menu's actions run the work, so a script or a
test can call them with the same plain arguments.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from workbench.analysis.measures import DESCRIPTION, DIRECTED_FORM, Measure


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


class FindPathDialog(QDialog):
    """Analysis > Find Path: follow link direction or not, weigh links by a number attribute
    or count them, the shortest path only or all paths up to a length."""

    def __init__(self, weights: Iterable[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Find Path")
        form = QFormLayout(self)
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
        form.addRow(self.directed)
        form.addRow("Path length", self.weight)
        form.addRow("Paths", self.longest)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def chosen(self) -> tuple[bool, str | None, int | None]:
        """(directed, weight attribute or None, longest path or None for the shortest only),
        the arguments of ``AnalysisActions.find_path``."""
        return (self.directed.isChecked(), self.weight.currentData(),
                self.longest.value() or None)
