"""The main window: composes the chart area, docks and menus, and nothing more."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QMessageBox

from workbench.io import EXTENSION, ChartFileError, load_chart
from workbench.model import Chart, Selection


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.chart = Chart()
        self.selection = Selection()
        self.undo_stack = QUndoStack(self)
        self.path: Path | None = None
        self._summary = QLabel()
        self._summary.setMargin(24)
        self.setCentralWidget(self._summary)
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction("&Open...", self._ask_open)
        file_menu.addAction("&Quit", self.close)
        self.resize(1100, 750)
        self._refresh()

    def open_chart(self, path: str | Path) -> bool:
        """Load a chart file; a bad file shows the loader's message and changes nothing."""
        try:
            chart = load_chart(path)
        except ChartFileError as exc:
            QMessageBox.warning(self, "Cannot open chart", str(exc))
            return False
        self.chart, self.path = chart, Path(path)
        self.selection.clear()
        self.undo_stack.clear()
        self._refresh()
        return True

    def _ask_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open chart", "",
                                              f"Workbench charts (*{EXTENSION})")
        if path:
            self.open_chart(path)

    def _refresh(self) -> None:
        name = self.path.name if self.path else "Untitled"
        self.setWindowTitle(f"{name} - Workbench")
        self._summary.setText(
            f"<h2>{escape(self.chart.title)}</h2>"
            f"<p>{len(self.chart.entities):,} entities, {len(self.chart.links):,} links</p>"
        )
