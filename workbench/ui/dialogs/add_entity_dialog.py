"""The Add Entity dialog: pick a type, type a label and (optionally) an identity.

The identity is checked as the analyst types, with the type's own normaliser (a phone becomes
E.164), so a typo is caught here and an entity already in the chart is named instead of
duplicated. The dialog only builds the Entity; the window places it and pushes the command.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from workbench.model import Chart, Entity, ParseError, SourceRecord
from workbench.ui.document import type_icon


class AddEntityDialog(QDialog):
    entity_ready = Signal(object)  # Entity, not yet in the chart

    def __init__(self, chart: Chart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        self.setWindowTitle("Add entity")
        self.type_box = QComboBox()
        self.type_box.setEditable(True)  # a new type name gets a neutral look
        for name in sorted(chart.catalogue.entity_types):
            self.type_box.addItem(type_icon(chart, name), name)
        self.label_edit = QLineEdit()
        self.label_edit.setPlaceholderText("what the chart shows under the icon")
        self.identity_edit = QLineEdit()
        self.identity_edit.setPlaceholderText("optional: phone, e-mail, name... (merges)")
        self.source_edit = QLineEdit("Analyst")
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b03a2e")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Type", self.type_box)
        form.addRow("&Label", self.label_edit)
        form.addRow("&Identity", self.identity_edit)
        form.addRow("&Source", self.source_edit)
        form.addRow(self.problem)
        form.addRow(self.buttons)
        for signal in (self.type_box.currentTextChanged, self.label_edit.textChanged,
                       self.identity_edit.textChanged):
            signal.connect(self._check)
        self._check()

    def _identity(self) -> tuple[str | None, str]:
        """The normalised identity key (or None) and a problem to show (or '')."""
        raw = self.identity_edit.text().strip()
        if not raw:
            return None, ""
        type_name = self.type_box.currentText()
        try:
            key = self.chart.identity_for(type_name, raw)
        except ParseError as exc:
            return None, f"Identity: {exc}"
        existing = self.chart.find(type_name, key)
        if existing is not None:
            return key, f"This {type_name} is already in the chart: {existing.label} ({key})."
        return key, ""

    def _check(self) -> None:
        problem = "" if self.label_edit.text().strip() else "Give the entity a label."
        _key, identity_problem = self._identity()
        problem = problem or identity_problem
        self.problem.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)

    def entity(self) -> Entity:
        key, _ = self._identity()
        source = self.source_edit.text().strip()
        return Entity(
            id=self.chart.new_id("e"),
            type=self.type_box.currentText(),
            label=self.label_edit.text().strip(),
            identity=key,
            provenance=[SourceRecord(source)] if source else [],
        )

    def accept(self) -> None:
        self._check()
        if self.problem.text():
            return
        self.entity_ready.emit(self.entity())
        super().accept()
