"""File > Chart Properties: title, author, protective marking, description, phone region.

The marking ("OFFICIAL-SENSITIVE", "NGO CONFIDENTIAL") is printed on pictures and reports
that leave the analyst's desk, so it is edited here, with the rest, as one undo step.
"""

from __future__ import annotations

import phonenumbers
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from workbench.ui.commands import SetMetadataCommand
from workbench.ui.document import Document


class ChartInfoDialog(QDialog):
    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        chart = document.chart
        self.setWindowTitle("Chart properties")
        self.title = QLineEdit(chart.title)
        self.author = QLineEdit(chart.author)
        self.marking = QLineEdit(chart.marking)
        self.marking.setPlaceholderText("e.g. OFFICIAL-SENSITIVE (printed on exports)")
        self.description = QPlainTextEdit(chart.description)
        self.region = QComboBox()
        self.region.addItems(sorted(phonenumbers.SUPPORTED_REGIONS))
        self.region.setCurrentText(chart.region)
        self.region.setToolTip("country for phone numbers written without a country code")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        form = QFormLayout(self)
        form.addRow("&Title", self.title)
        form.addRow("&Author", self.author)
        form.addRow("&Marking", self.marking)
        form.addRow("&Description", self.description)
        form.addRow("Phone &region", self.region)
        form.addRow(buttons)
        self.resize(480, 320)

    def accept(self) -> None:
        chart = self.document.chart
        wanted = {"title": self.title.text().strip() or chart.title,
                  "author": self.author.text().strip(),
                  "marking": self.marking.text().strip(),
                  "description": self.description.toPlainText().strip(),
                  "region": self.region.currentText()}
        changes = {k: v for k, v in wanted.items() if getattr(chart, k) != v}
        if changes:
            self.document.undo_stack.push(SetMetadataCommand(chart, changes))
        super().accept()
