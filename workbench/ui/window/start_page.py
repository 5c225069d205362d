"""The start page shown when the window opens with no chart: samples, recent charts, actions.

A new analyst should see a real chart within a minute; the page offers the sample charts with
what each shows, the recent charts, and the three ways to begin (new, open, import).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.io import ChartFileError, peek_chart
from workbench.paths import resource, samples_dir
from workbench.ui.wording import plural

PATH_ROLE = Qt.ItemDataRole.UserRole


def sample_charts() -> list[Path]:
    try:
        return sorted(samples_dir().glob("*.wbchart"))
    except FileNotFoundError:
        return []


class StartPage(QWidget):
    open_requested = Signal(str)  # a chart path
    new_requested = Signal()
    open_dialog_requested = Signal()
    import_requested = Signal()

    def __init__(self, recent: Sequence[str] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("StartPage")
        header = QHBoxLayout()
        logo = QLabel()
        logo.setPixmap(QIcon(str(resource("icons", "workbench.svg"))).pixmap(QSize(64, 64)))
        title = QLabel("<h1 style='margin:0'>Workbench</h1>"
                       "<p style='margin:0'>Link charts, histograms and route maps</p>")
        header.addWidget(logo)
        header.addWidget(title, 1)

        buttons = QHBoxLayout()
        for text, signal in (("New chart", self.new_requested),
                             ("Open chart...", self.open_dialog_requested),
                             ("Import a spreadsheet...", self.import_requested)):
            button = QPushButton(text)
            button.setMinimumHeight(34)
            button.clicked.connect(signal.emit)
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.samples = self._list()
        for path in sample_charts():
            self._add(self.samples, path, describe=True)
        self.recent = self._list()
        self.set_recent(recent)

        columns = QHBoxLayout()
        for heading, widget in (("Open a sample chart", self.samples),
                                ("Recent charts", self.recent)):
            column = QVBoxLayout()
            column.addWidget(QLabel(f"<h3>{heading}</h3>"))
            column.addWidget(widget, 1)
            columns.addLayout(column, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addLayout(header)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        layout.addSpacing(12)
        layout.addLayout(columns, 1)

    def _list(self) -> QListWidget:
        widget = QListWidget()
        widget.setWordWrap(True)
        widget.setIconSize(QSize(32, 32))
        widget.setSpacing(4)
        widget.itemActivated.connect(lambda item: self.open_requested.emit(item.data(PATH_ROLE)))
        return widget

    def _add(self, widget: QListWidget, path: Path, *, describe: bool) -> None:
        try:
            info = peek_chart(path)
        except ChartFileError as exc:
            item = QListWidgetItem(f"{path.name}\n{exc}")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            widget.addItem(item)
            return
        title = info["title"] or path.stem
        counts = f"{plural(info['entities'], 'entity')}, {plural(info['links'], 'link')}"
        lines = [title, info["description"], counts] if describe and info["description"] \
            else [title, counts]
        item = QListWidgetItem(QIcon(str(resource("icons", "wbchart-file.svg"))),
                               "\n".join(lines))
        item.setToolTip(f"<b>{escape(title)}</b><br>{escape(str(path))}<br>Double-click to open")
        item.setData(PATH_ROLE, str(path))
        widget.addItem(item)

    def set_recent(self, paths: Sequence[str]) -> None:
        self.recent.clear()
        for path in paths:
            if Path(path).is_file():
                self._add(self.recent, Path(path), describe=False)
        if not self.recent.count():
            placeholder = QListWidgetItem("Charts you open appear here.")
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent.addItem(placeholder)
