"""Edit many selected items at once: colour, link strength, and the grading of their sources.

Shown by the properties dock when more than one item is selected. Each change to the whole
selection is one undo step (a macro of UpdateItemCommands), and items that already have the
value are left alone, so the History dock shows only what really changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from workbench.model import Entity, Link, Strength
from workbench.model.provenance import CREDIBILITY, RELIABILITY
from workbench.ui.commands import UpdateItemCommand
from workbench.ui.document import Document
from workbench.ui.wording import plural

UNCHANGED = "(unchanged)"


class BulkEditor(QWidget):
    def __init__(self, document: Document) -> None:
        super().__init__()
        self.document = document
        self.items: list[Entity | Link] = []
        self.colour = QLineEdit(placeholderText="#rrggbb and Enter (empty + Enter: type colour)")
        self.strength = QComboBox()
        self.strength.addItems([UNCHANGED, *(s.value for s in Strength)])
        self.reliability = QComboBox()
        self.reliability.addItems([UNCHANGED, *RELIABILITY])
        self.credibility = QComboBox()
        self.credibility.addItems([UNCHANGED, *CREDIBILITY])
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b03a2e")
        form = QFormLayout(self)
        form.addRow("Colour", self.colour)
        form.addRow("Link strength", self.strength)
        form.addRow("Source reliability", self.reliability)
        form.addRow("Information credibility", self.credibility)
        form.addRow(self.problem)
        self.form = form
        # Enter, not leaving the field: a stray click must not recolour a whole selection.
        self.colour.returnPressed.connect(self._colour)
        self.strength.activated.connect(lambda _i: self._strength())
        self.reliability.activated.connect(lambda _i: self._grade("reliability",
                                                                  self.reliability))
        self.credibility.activated.connect(lambda _i: self._grade("credibility",
                                                                  self.credibility))

    def show_items(self, items: list[Entity | Link]) -> None:
        self.items = items
        self.colour.clear()
        self.problem.clear()
        for box in (self.strength, self.reliability, self.credibility):
            box.setCurrentIndex(0)
        self.form.setRowVisible(self.strength, any(isinstance(i, Link) for i in items))

    def apply(self, text: str, change_for: Callable[[Entity | Link], dict[str, Any]]) -> int:
        """Push one undo step changing every item that ``change_for`` gives changes for."""
        changes = {}
        for item in self.items:
            change = {k: v for k, v in change_for(item).items() if getattr(item, k) != v}
            if change:
                changes[item.id] = change
        if not changes:
            return 0
        stack, chart = self.document.undo_stack, self.document.chart
        stack.beginMacro(f"{text} of {plural(len(changes), 'item')}")
        for item_id, change in changes.items():
            stack.push(UpdateItemCommand(chart, item_id, change, text))
        stack.endMacro()
        return len(changes)

    def _colour(self) -> None:
        text = self.colour.text().strip()
        if text and not QColor.isValidColorName(text):
            self.problem.setText(f"Colour: {text!r} is not a colour such as #c0392b")
            return
        self.problem.clear()
        colour = QColor(text).name() if text else None
        self.apply("Colour", lambda item: {"style": replace(item.style, colour=colour)}
                   if item.style.colour != colour else {})

    def _strength(self) -> None:
        if self.strength.currentIndex() > 0:
            strength = Strength(self.strength.currentText())
            self.apply("Strength", lambda item: {"strength": strength}
                       if isinstance(item, Link) else {})

    def _grade(self, field: str, box: QComboBox) -> None:
        """Grade every source of every selected item (the analyst's judgement of them)."""
        if box.currentIndex() == 0:
            return
        grade = box.currentText()
        self.apply("Grading", lambda item: {"provenance": [replace(s, **{field: grade})
                                                          for s in item.provenance]})

