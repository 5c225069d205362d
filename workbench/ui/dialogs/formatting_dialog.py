"""Edit the chart's conditional formatting rules (colour, icon, size, visibility by value).

The rules are the view package's plain JSON (``workbench.model.formatting``), kept in
``chart.settings["formatting"]`` and so saved with the chart. The dialog edits a working copy;
Apply checks every rule with the model's own reader (a bad rule is named, nothing changes)
and pushes one undoable command, after which the canvas redraws with the new rules.
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.model.formatting import (
    OPS,
    SETTINGS_KEY,
    SPECIAL_FIELDS,
    TARGETS,
    FormattingError,
    rule_from_json,
)
from workbench.ui.commands import SetChartSettingCommand
from workbench.ui.document import Document

VISIBILITY = {"unchanged": None, "show": True, "hide": False}


def value_from_text(text: str) -> Any:
    """A rule value as typed: numbers and yes/no become typed; anything else stays text."""
    text = text.strip()
    if not text:
        return None
    if text.lower() in ("true", "yes"):
        return True
    if text.lower() in ("false", "no"):
        return False
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        return text
    return int(number) if number.is_integer() and "." not in text else number


def value_to_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


class FormattingDialog(QDialog):
    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setWindowTitle("Conditional formatting")
        raw = document.chart.settings.get(SETTINGS_KEY) or []
        self.rules: list[dict[str, Any]] = copy.deepcopy(raw) if isinstance(raw, list) else []
        self._loading = False
        self.list = QListWidget()
        self.list.currentRowChanged.connect(self._show_rule)
        add, remove = QPushButton("Add rule"), QPushButton("Remove")
        up, down = QPushButton("Up"), QPushButton("Down")
        add.clicked.connect(self.add_rule)
        remove.clicked.connect(self.remove_rule)
        up.clicked.connect(lambda: self._move(-1))
        down.clicked.connect(lambda: self._move(1))

        self.name = QLineEdit()
        self.enabled = QCheckBox("Rule is on")
        self.applies_to = QComboBox()
        self.applies_to.addItems(TARGETS)
        self.types = QLineEdit(placeholderText="all types (or e.g. Person, Phone)")
        self.field = QComboBox()
        self.field.setEditable(True)
        self.op = QComboBox()
        self.op.addItems(OPS)
        self.value = QLineEdit()
        self.high = QLineEdit(placeholderText="upper bound (between only)")
        self.colour = QLineEdit(placeholderText="#rrggbb (empty: unchanged)")
        self.icon = QLineEdit(placeholderText="e.g. mdi6.alert (empty: unchanged)")
        self.size = QDoubleSpinBox(minimum=0.0, maximum=10.0, singleStep=0.25,
                                   specialValueText="unchanged")
        self.visible = QComboBox()
        self.visible.addItems(VISIBILITY)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setStyleSheet("color: #b03a2e")
        self.editor = QWidget()
        form = QFormLayout(self.editor)
        for label, widget in (("Name", self.name), ("", self.enabled),
                              ("Applies to", self.applies_to), ("Types", self.types),
                              ("When", self.field), ("is", self.op), ("Value", self.value),
                              ("and", self.high), ("Colour", self.colour),
                              ("Icon", self.icon), ("Size", self.size),
                              ("Visibility", self.visible)):
            form.addRow(label, widget)
        for edit in (self.name, self.types, self.value, self.high, self.colour, self.icon):
            edit.textEdited.connect(self._store)
        self.field.currentTextChanged.connect(self._store)
        for box in (self.applies_to, self.op, self.visible):
            box.currentIndexChanged.connect(self._store)
        self.enabled.toggled.connect(self._store)
        self.size.valueChanged.connect(self._store)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Apply
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)
        left = QVBoxLayout()
        left.addWidget(self.list)
        row = QHBoxLayout()
        for button in (add, remove, up, down):
            row.addWidget(button)
        left.addLayout(row)
        top = QHBoxLayout()
        top.addLayout(left, 1)
        top.addWidget(self.editor, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._fill_fields()
        self._fill_list()
        self.resize(760, 460)

    def _fill_fields(self) -> None:
        chart = self.document.chart
        names = {n for item in (*chart.entities.values(), *chart.links.values())
                 for n in item.attributes}
        self.field.addItems([*SPECIAL_FIELDS, *sorted(names)])

    def _fill_list(self, row: int = 0) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for i, rule in enumerate(self.rules):
            self.list.addItem(rule.get("name") or f"Rule {i + 1}: {rule.get('field', '?')}")
        self.list.blockSignals(False)
        self.editor.setEnabled(bool(self.rules))
        if self.rules:
            self.list.setCurrentRow(min(max(row, 0), len(self.rules) - 1))

    def _show_rule(self, row: int) -> None:
        if not 0 <= row < len(self.rules):
            return
        rule = self.rules[row]
        self._loading = True
        self.name.setText(rule.get("name") or "")
        self.enabled.setChecked(rule.get("enabled", True) is not False)
        self.applies_to.setCurrentText(rule.get("applies_to", "entities"))
        self.types.setText(", ".join(rule.get("types") or []))
        self.field.setCurrentText(rule.get("field", ""))
        self.op.setCurrentText(rule.get("op", "equals"))
        self.value.setText(value_to_text(rule.get("value")))
        self.high.setText(value_to_text(rule.get("high")))
        self.colour.setText(rule.get("colour") or "")
        self.icon.setText(rule.get("icon") or "")
        self.size.setValue(rule.get("size") or 0.0)
        self.visible.setCurrentText(
            {None: "unchanged", True: "show", False: "hide"}[rule.get("visible")])
        self._loading = False

    def _store(self, *_args: object) -> None:
        """Copy the editor into the current rule (as the JSON the model reads)."""
        row = self.list.currentRow()
        if self._loading or not 0 <= row < len(self.rules):
            return
        colour = self.colour.text().strip()
        self.rules[row] = {
            "name": self.name.text().strip(),
            "enabled": self.enabled.isChecked(),
            "applies_to": self.applies_to.currentText(),
            "types": [t.strip() for t in self.types.text().split(",") if t.strip()],
            "field": self.field.currentText().strip(),
            "op": self.op.currentText(),
            "value": value_from_text(self.value.text()),
            "high": value_from_text(self.high.text()),
            "colour": QColor(colour).name() if QColor.isValidColorName(colour) else
            (colour or None),
            "icon": self.icon.text().strip() or None,
            "size": self.size.value() or None,
            "visible": VISIBILITY[self.visible.currentText()],
        }
        self.list.item(row).setText(self.rules[row]["name"] or f"Rule {row + 1}: "
                                    f"{self.rules[row]['field']}")

    def add_rule(self) -> None:
        self.rules.append({"name": "", "field": "@type", "op": "equals", "value": None,
                           "applies_to": "entities", "enabled": True})
        self._fill_list(len(self.rules) - 1)

    def remove_rule(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.rules):
            del self.rules[row]
            self._fill_list(row)

    def _move(self, step: int) -> None:
        row = self.list.currentRow()
        other = row + step
        if 0 <= row < len(self.rules) and 0 <= other < len(self.rules):
            self.rules[row], self.rules[other] = self.rules[other], self.rules[row]
            self._fill_list(other)

    def apply(self) -> bool:
        """Check every rule; if all are good, set them as one undo step."""
        try:
            checked = [rule_from_json(r, i).to_json() for i, r in enumerate(self.rules)]
        except FormattingError as exc:
            self.problem.setText(str(exc))
            return False
        self.problem.clear()
        w = self.document
        if checked == (w.chart.settings.get(SETTINGS_KEY) or []):
            return True
        w.undo_stack.push(SetChartSettingCommand(
            w.chart, SETTINGS_KEY, checked, text="Conditional formatting"))
        return True

    def accept(self) -> None:
        if self.apply():
            super().accept()
