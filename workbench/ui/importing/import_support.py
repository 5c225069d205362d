"""Parts of the import wizard that are not pages: the undo command, the preview model, the
worker that builds the plan off the GUI thread, and small widget helpers."""

from __future__ import annotations

import threading
from html import escape
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from workbench.io.import_plan import ImportPlan
from workbench.io.import_report import ImportReport
from workbench.io.importer import ImportCancelled, build_import
from workbench.io.importspec import ImportSpec, SpecError, Template
from workbench.io.readers import XLSX_SUFFIXES, ReadError, Table
from workbench.model import Chart, ChartError

PREVIEW_ROWS = 200
MAX_ISSUES_SHOWN = 1000  # the CSV report has all of them


def is_importable(path: str | Path) -> bool:
    """Whether a dropped file is one the wizard reads (the window starts it for these)."""
    return Path(path).suffix.lower() in {".csv", ".txt", ".tsv", *XLSX_SUFFIXES}


class ImportCommand(QUndoCommand):
    """A whole import as one undo step: redo applies the plan, undo reverts exactly that."""

    def __init__(self, chart: Chart, plan: ImportPlan, text: str = "Import") -> None:
        super().__init__(text)
        self.chart, self.plan = chart, plan

    def redo(self) -> None:
        self.plan.apply(self.chart)

    def undo(self) -> None:
        self.plan.revert(self.chart)


class FrameModel(QAbstractTableModel):
    """The first rows of a file, as read (all text), with spreadsheet row numbers."""

    def __init__(self, table: Table | None = None) -> None:
        super().__init__()
        self.table = table

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if self.table is None else min(PREVIEW_ROWS, len(self.table.frame))

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if self.table is None else len(self.table.columns)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and self.table is not None:
            return self.table.frame.iat[index.row(), index.column()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role != Qt.ItemDataRole.DisplayRole or self.table is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.table.columns[section]
        return str(self.table.row_numbers[section])


class ImportWorker(QObject):
    """Builds the plan off the GUI thread; hands back plain data through signals."""

    progressed = Signal(float, str)
    done = Signal(object)
    failed = Signal(str)

    def __init__(self, spec: ImportSpec, files: list[Path], chart: Chart, reader) -> None:
        super().__init__()
        self.spec, self.files, self.chart, self.reader = spec, files, chart, reader
        self.cancel = threading.Event()

    def run(self) -> None:
        try:
            plan = build_import(self.spec, self.files, self.chart, reader=self.reader,
                                progress=self.progressed.emit, cancelled=self.cancel.is_set)
        except ImportCancelled:
            self.failed.emit("Import cancelled: nothing was changed.")
        except (SpecError, ReadError, ChartError) as exc:
            self.failed.emit(str(exc))
        else:
            self.done.emit(plan)


class ReportView(QWidget):
    """The import report: the summary, the rows not imported as they are, Save as CSV."""

    def __init__(self) -> None:
        super().__init__()
        self.report: ImportReport | None = None
        self.summary = QPlainTextEdit(readOnly=True)
        self.summary.setMaximumHeight(150)
        self.issues = make_grid(["File", "Sheet", "Row", "Column", "Value", "Reason"])
        self.issues.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.issues.horizontalHeader().setStretchLastSection(True)
        self.save_button = QPushButton("Save report as CSV...", clicked=self._ask_save,
                                       enabled=False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel("Rows not imported as they are (all of them are in the CSV "
                                "report):"))
        layout.addWidget(self.issues)
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(self.save_button)
        layout.addLayout(row)

    def show_report(self, report: ImportReport | None) -> None:
        self.report = report
        self.summary.setPlainText(report.summary() if report is not None else "")
        shown = report.issues[:MAX_ISSUES_SHOWN] if report is not None else []
        self.issues.setRowCount(len(shown))
        for r, i in enumerate(shown):
            for c, value in enumerate((i.file, i.sheet, str(i.row), i.column, i.value,
                                       f"{i.severity}: {i.reason}")):
                self.issues.setItem(r, c, QTableWidgetItem(value))
        self.issues.resizeColumnsToContents()
        self.save_button.setEnabled(bool(report is not None and report.issues))

    def _ask_save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save import report", "", "CSV (*.csv)")
        if path and self.report is not None:
            try:
                self.report.write_csv(path)
            except OSError as exc:  # a read-only folder, a full disk, a file open in Excel
                QMessageBox.warning(self, "Cannot save import report",
                                    f"Could not save {path}: {exc.strerror or exc}")


class WizardPage(QWizardPage):
    def __init__(self, complete) -> None:
        super().__init__()
        self._complete = complete

    def isComplete(self) -> bool:
        return bool(self._complete())


def make_grid(headers: list[str]) -> QTableWidget:
    grid = QTableWidget(0, len(headers))
    grid.setHorizontalHeaderLabels(headers)
    grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    grid.verticalHeader().setVisible(False)
    return grid


def line_edit(text: str, changed) -> QLineEdit:
    edit = QLineEdit(text)
    edit.textChanged.connect(changed)
    return edit


def cell_text(grid: QTableWidget, row: int, col: int) -> str:
    w = grid.cellWidget(row, col)
    return (w.currentText() if isinstance(w, QComboBox) else w.text()).strip() if w else ""


def template(text: str) -> Template:
    """A column name, or a template with {placeholders}."""
    return Template(text if "{" in text else "{" + text + "}")


def column_text(template: Template) -> str:
    single = template.single_column
    return single if single is not None else template.text


def html(text: str) -> str:
    return escape(text)
