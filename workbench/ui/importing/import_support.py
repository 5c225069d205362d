"""Parts of the import wizard that are not pages: the undo command, the preview model, the
worker that builds the plan off the GUI thread, and small widget helpers."""

from __future__ import annotations

import threading
from html import escape
from itertools import islice
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

from workbench.geo.places import place_namer
from workbench.io.import_plan import ImportPlan
from workbench.io.import_report import ImportReport
from workbench.io.importer import ImportCancelled, build_import
from workbench.io.importspec import ImportSpec, SpecError, Template
from workbench.io.readers import XLSX_SUFFIXES
from workbench.io.text_table import ReadError, Table
from workbench.model import Chart, ChartError
from workbench.ui.importing.date_choice import DateFormatCombo

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
                                progress=self.progressed.emit, cancelled=self.cancel.is_set,
                                places=place_namer())
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
        self.suggestions = QLabel(wordWrap=True)  # near misses: the analyst decides
        self.suggestions.setTextFormat(Qt.TextFormat.PlainText)  # names from the file
        self.issues = make_grid(["File", "Sheet", "Row", "Column", "Value", "Reason"])
        self.issues.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.issues.horizontalHeader().setStretchLastSection(True)
        self.save_button = QPushButton("Save report as CSV...", clicked=self._ask_save,
                                       enabled=False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.suggestions)
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
        shown = list(islice(report.all_issues(), MAX_ISSUES_SHOWN)) if report else []
        self.suggestions.setText(suggestion_text(report) if report is not None else "")
        self.suggestions.setVisible(bool(self.suggestions.text()))
        self.issues.setRowCount(len(shown))
        for r, i in enumerate(shown):
            for c, value in enumerate((i.file, i.sheet, str(i.row), i.column, i.value,
                                       f"{i.severity}: {i.reason}")):
                self.issues.setItem(r, c, QTableWidgetItem(value))
        self.issues.resizeColumnsToContents()
        self.save_button.setEnabled(bool(shown))  # row groups count: empty identities too

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
    """What a cell says for the spec: a date format's code, a combo's or an edit's text."""
    w = grid.cellWidget(row, col)
    if isinstance(w, DateFormatCombo):  # it shows words, the spec wants the code
        return w.code()
    return (w.currentText() if isinstance(w, QComboBox) else w.text()).strip() if w else ""


def template(text: str) -> Template:
    """A column name, or a template with {placeholders}."""
    return Template(text if "{" in text else "{" + text + "}")


def column_text(template: Template) -> str:
    single = template.single_column
    return single if single is not None else template.text


def html(text: str) -> str:
    return escape(text)


def suggestion_text(report: ImportReport, limit: int = 8) -> str:
    """"Not merged, perhaps the same: 'United Kingdon' -> United Kingdom?" for near misses."""
    items = list(report.suggestions.items())
    if not items:
        return ""
    shown = "; ".join(f"{raw!r}: did you mean {' or '.join(names)}?"
                      for raw, names in items[:limit])
    more = f" (and {len(items) - limit} more in the report)" if len(items) > limit else ""
    return (f"Names that are no known country but close to one, kept apart (merge them by "
            f"hand if they are the same): {shown}{more}")


def count_text(r: ImportReport, scope: str, notes: list[str]) -> str:
    """The live count as HTML: what the rows made, rows that made no link or nothing and
    why, near misses and date columns waiting for a choice (all text escaped)."""
    lines = [f"From {scope}: <b>{r.entities_new:,} new entities</b> "
             f"({r.entities_merged:,} already in the chart), <b>{r.links_new:,} links</b>; "
             f"{r.rows_skipped:,} rows skipped, {r.rows_rejected:,} rejected."]
    unlinked = sum(f.unlinked for f in r.files)
    if unlinked:
        lines.append(f"{unlinked:,} rows made entities but <b>no link</b> (an end was empty).")
    nothing = r.rows_read - r.rows_imported
    if nothing:
        why = "; ".join(f"{n:,} {reason}" for reason, n in r.nothing().items())
        lines.append(f"{nothing:,} rows <b>made nothing</b>: {escape(why, quote=False)}.")
    hints = suggestion_text(r, 3)
    notes = [*notes, *([hints] if hints else [])]
    lines += [f"<span style='color:#b05000'>{escape(n, quote=False)}</span>" for n in notes]
    return "<br>".join(lines)
