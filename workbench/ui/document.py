"""What the rooms are handed instead of the main window.

A dock, a dialog or a window helper needs a few narrow things: the chart shown now (which New,
Open, Close and recovery replace), the shared selection, the undo stack every edit goes on,
the canvas, a line in the status bar, and a parent widget for its message boxes. Passing these
rather than the window keeps the rooms (``window``, ``docks``, ``dialogs``, ``importing``) from
importing the window back, and says in each signature what a helper really touches.

The main window satisfies the protocols here as it is; tests and other hosts can give any
object with the same few members.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import qtawesome as qta
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from workbench.model import Chart, Selection

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from workbench.view import ChartScene, ChartView


class ChartHolder(Protocol):
    """Holds the open chart: read ``chart`` again after ``chart_replaced`` fires."""

    chart: Chart
    path: Path | None  # the file the chart was opened from or saved to, if any

    @property
    def chart_replaced(self) -> SignalInstance: ...

    def replace_chart(self, chart: Chart, path: Path | None, *, modified: bool = False) -> None:
        """Show another chart: empty selection and history, ``chart_replaced`` fires."""


class CanvasHolder(Protocol):
    """Holds the canvas: the scene is made anew for each chart, the view stays."""

    scene: ChartScene
    view: ChartView


class StatusReporter(Protocol):
    """Somewhere to say one line that goes away by itself (a QStatusBar is one)."""

    def showMessage(self, text: str, timeout: int = 0) -> None: ...


@dataclass(frozen=True)
class Document:
    """The open chart with the selection and the undo stack that go with it.

    ``selection`` and ``undo_stack`` live as long as the window (they are cleared, not
    replaced, when another chart opens); ``chart`` is read through the holder every time.
    """

    holder: ChartHolder
    selection: Selection
    undo_stack: QUndoStack

    @property
    def chart(self) -> Chart:
        return self.holder.chart

    @property
    def path(self) -> Path | None:
        return self.holder.path

    @property
    def chart_replaced(self) -> SignalInstance:
        return self.holder.chart_replaced

    def chart_name(self) -> str:
        """The file's name, or the chart's title before it is saved."""
        return self.path.name if self.path is not None else self.chart.title

    def replace_chart(self, chart: Chart, path: Path | None, *, modified: bool = False) -> None:
        self.holder.replace_chart(chart, path, modified=modified)

    def selected_entities(self) -> list[str]:
        """The selected entities and the ends of selected links, in chart order (what a
        report or a picture of the selection shows)."""
        chart, ids = self.chart, set(self.selection.entities)
        for link_id in self.selection.links:
            if link_id in chart.links:
                link = chart.link(link_id)
                ids.update((link.end1, link.end2))
        return [i for i in chart.entities if i in ids]


@dataclass(frozen=True)
class Feedback:
    """How a helper speaks to the analyst: a passing line in the status bar, or an error in a
    message box that stays until read (the window's file operations keep that box)."""

    status: StatusReporter
    show_error: Callable[[str, str], object]  # (title, text)

    def say(self, text: str, timeout: int = 0) -> None:
        self.status.showMessage(text, timeout)


@dataclass(frozen=True)
class Tools:
    """What a window helper (clipboard, exports, layouts, autosave, display menu) is given:
    the document, the canvas, feedback, and the widget its dialogs and boxes belong to."""

    document: Document
    canvas: CanvasHolder
    feedback: Feedback
    parent: QWidget


def show_message(parent: QWidget | None, title: str, text: str,
                 icon: QMessageBox.Icon = QMessageBox.Icon.Warning) -> QMessageBox:
    """A window-modal message that does not block the caller; the caller keeps the box."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # file names and messages are data
    box.open()
    return box


def type_icon(chart: Chart, type_name: str) -> QIcon:
    """The icon of an entity type in its colour, as lists and menus show it."""
    entity_type = chart.entity_type(type_name)
    try:
        return qta.icon(entity_type.icon, color=entity_type.colour)
    except Exception:  # an icon name from a colleague's catalogue that qtawesome lacks
        return qta.icon("mdi6.help-circle", color=entity_type.colour)
