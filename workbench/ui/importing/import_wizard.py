"""File > Import: a wizard from spreadsheets to chart items, through an import specification.

Three pages: pick the files (and sheet), map columns to entities and links while watching a
live count of what the specification would make, then import on a worker thread with a
progress bar and Cancel. The wizard never changes the chart: after it is accepted,
``wizard.plan`` holds the ImportPlan and ``ImportCommand(chart, plan)`` on the undo stack
applies it as one undoable step. The mapping is an ordinary import specification, so what the
analyst builds here can be saved, shared and run again with ``workbench import``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QThread, QTimer
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from workbench.geo.places import place_namer
from workbench.io.atomic import atomic_path
from workbench.io.import_plan import ImportPlan
from workbench.io.import_spec_yaml import dump_spec
from workbench.io.importer import build_import
from workbench.io.importspec import ImportSpec, SourceSpec, SpecError, load_spec
from workbench.io.readers import XLSX_SUFFIXES, ReadError, Table, read_table, sheet_names
from workbench.model import Chart
from workbench.ui.importing.import_mapping import MappingEditor
from workbench.ui.importing.import_support import (
    FrameModel,
    ImportCommand,
    ImportWorker,
    ReportView,
    WizardPage,
    count_text,
    html,
    is_importable,
)
from workbench.ui.wording import plural

__all__ = ["ImportCommand", "ImportWizard", "is_importable"]

COUNT_ROWS = 20_000  # the live count runs the real import on up to this many rows
FILE_FILTER = "Spreadsheets (*.csv *.txt *.tsv *.xlsx *.xlsm *.xls *.ods);;All files (*)"
SPEC_FILTER = "Import specifications (*.yaml *.yml)"


class ImportWizard(QWizard):
    """``ImportWizard(chart)``; after ``exec()`` is accepted, ``plan`` holds the ImportPlan."""

    def __init__(self, chart: Chart, parent: QWidget | None = None,
                 files: list[str | Path] = ()) -> None:
        super().__init__(parent)
        self.chart = chart
        self.plan: ImportPlan | None = None
        self.files: list[Path] = []
        self._tables: dict[tuple, Table] = {}
        self._loaded: ImportSpec | None = None
        self._thread: QThread | None = None
        self._worker: ImportWorker | None = None
        self.setWindowTitle("Import spreadsheets")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        room = self.screen().availableGeometry()  # never wider or taller than the screen
        self.resize(min(1000, room.width()), min(720, room.height()))
        self._build_files_page()
        self._build_mapping_page()
        self._build_run_page()
        self._count_timer = QTimer(self, singleShot=True, interval=300)
        self._count_timer.timeout.connect(self.update_counts)
        self.setAcceptDrops(True)
        if files:
            self.add_files(files)

    # ----- page 1: files ------------------------------------------------------------------
    def _build_files_page(self) -> None:
        page = WizardPage(lambda: bool(self.files) and self.table() is not None)
        page.setTitle("Files")
        page.setSubTitle("Choose CSV or Excel files, and the sheet to read from a workbook.")
        self.file_list = QListWidget()
        add = QPushButton("Add files...", clicked=self._ask_files)
        remove = QPushButton("Remove", clicked=self._remove_file)
        spec_button = QPushButton("Open specification...", clicked=self._ask_spec)
        self.sheet_combo = QComboBox()
        self.sheet_combo.currentTextChanged.connect(self._sheet_changed)
        self.file_info = QLabel(wordWrap=True)
        self.file_info.setTextFormat(Qt.TextFormat.PlainText)  # file names, error text
        layout = QVBoxLayout(page)
        layout.addWidget(self.file_list)
        row = QHBoxLayout()
        for w in (add, remove, spec_button, QLabel("Sheet:"), self.sheet_combo):
            row.addWidget(w)
        row.addStretch()
        layout.addLayout(row)
        layout.addWidget(self.file_info)
        self.files_page = page
        self.addPage(page)

    def add_files(self, paths: list[str | Path]) -> None:
        for p in paths:
            path = Path(p)
            if path not in self.files:
                self.files.append(path)
                self.file_list.addItem(str(path))
        first = self.files[0] if self.files else None
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        if first is not None and first.suffix.lower() in XLSX_SUFFIXES:
            try:
                self.sheet_combo.addItems(sheet_names(first))
            except ReadError as exc:
                self.file_info.setText(str(exc))
        self.sheet_combo.setEnabled(self.sheet_combo.count() > 0)
        self.sheet_combo.blockSignals(False)
        self._sheet_changed()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(is_importable(u.toLocalFile()) for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """More files dropped on the wizard join the import (CSV and Excel only)."""
        self.add_files([p for u in event.mimeData().urls() if is_importable(p := u.toLocalFile())])
        event.acceptProposedAction()

    def _remove_file(self) -> None:
        row = self.file_list.currentRow()
        if row >= 0:
            self.file_list.takeItem(row)
            del self.files[row]
            self.add_files([])

    def set_sheet(self, name: str) -> None:
        self.sheet_combo.setCurrentText(name)

    def _sheet_changed(self, *_: object) -> None:
        table = self.table()
        if table is not None:
            how = "guessed" if table.encoding_guessed else "detected"
            enc = f", encoding {table.encoding} ({how})" if table.encoding else ""
            self.file_info.setText(f"{table.where()}: {plural(len(table.frame), 'row')}, "
                                   f"{plural(len(table.columns), 'column')}{enc}")
        self.files_page.completeChanged.emit()
        if hasattr(self, "preview"):
            self._columns_changed()

    def source(self) -> SourceSpec:
        base = self._loaded.source if self._loaded is not None else SourceSpec()
        sheet = self.sheet_combo.currentText() if self.sheet_combo.count() else None
        return replace(base, sheet=sheet, path=None)  # keeps renames and constants

    def _read(self, path: Path, source: SourceSpec) -> Table:
        key = (path, source.sheet, source.encoding, source.delimiter, source.header_row)
        if key not in self._tables:
            self._tables[key] = read_table(path, source)
        return self._tables[key]

    def table(self) -> Table | None:
        """The first file as read with the current settings (None if unreadable)."""
        if not self.files:
            return None
        try:
            return self._read(self.files[0], self.source())
        except ReadError as exc:
            self.file_info.setText(str(exc))
            return None

    def _ask_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Import files", "", FILE_FILTER)
        if paths:
            self.add_files(paths)

    def _ask_spec(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open import specification", "", SPEC_FILTER)
        if path:
            self.load_spec(path)

    # ----- page 2: mapping ----------------------------------------------------------------
    def _build_mapping_page(self) -> None:
        page = WizardPage(lambda: bool(self.mapping.entity_roles()))
        page.setTitle("Columns")
        page.setSubTitle("Say which columns make entities, links and attributes. The count "
                         "below is what the import would make.")
        self.preview = QTableView()
        self.preview_model = FrameModel()
        self.preview.setModel(self.preview_model)
        self.mapping = MappingEditor(self.chart, self.columns, self.column_values)
        self.mapping.changed.connect(self._changed)
        self.entity_table = self.mapping.entity_table
        self.link_table = self.mapping.link_table
        self.attribute_table = self.mapping.attribute_table
        self.mapping_tabs = self.mapping
        self.count_label = QLabel(wordWrap=True)  # a long error wraps, never widens the wizard
        self.count_label.setObjectName("importCount")
        mapping = QWidget()
        layout = QVBoxLayout(mapping)
        layout.addWidget(self.mapping)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(QPushButton("Save specification...", clicked=self._ask_save))
        layout.addLayout(bottom)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.preview)
        split.addWidget(mapping)
        QVBoxLayout(page).addWidget(split)
        page.initializePage = self._columns_changed  # type: ignore[method-assign]
        self.mapping_page = page
        self.addPage(page)

    def columns(self) -> list[str]:
        table = self.table()
        return table.columns if table is not None else []

    def column_values(self, column: str) -> list[str]:
        """Distinct non-empty values of a column in the rows the live count reads."""
        table = self.table()
        if table is None or column not in table.frame.columns:
            return []
        return [v for v in table.frame[column].head(COUNT_ROWS).unique().tolist() if v]

    def _columns_changed(self) -> None:
        self.preview_model.beginResetModel()
        self.preview_model.table = self.table()
        self.preview_model.endResetModel()
        self.preview.resizeColumnsToContents()
        if self._loaded is not None and not self.mapping.entity_roles():
            self.mapping.fill_from(self._loaded)
        self._changed()

    def add_entity(self, *args: str, **kwargs: str) -> int:
        """Add an entity row: name, type, identity column, label, split, either column."""
        return self.mapping.add_entity(*args, **kwargs)

    def add_link(self, *args: str, **kwargs: str) -> int:
        """Add a link row: from, to, link type, direction, date column, date format code."""
        return self.mapping.add_link(*args, **kwargs)

    def add_attribute(self, *args: str, **kwargs: str) -> int:
        """Add an attribute row: of (a role or "link N"), name, column, kind, date format."""
        return self.mapping.add_attribute(*args, **kwargs)

    def _changed(self, *_: object) -> None:
        self.plan = None
        self.mapping_page.completeChanged.emit()
        self._count_timer.start()

    def spec(self) -> ImportSpec:
        """The import specification the widgets describe (keeping the parts of a loaded spec
        that the wizard does not show: filters, coordinates, entity dates, own types)."""
        loaded = self._loaded or ImportSpec()
        spec = ImportSpec(sources=[self.source()], filters=list(loaded.filters),
                          types=list(loaded.types), link_types=list(loaded.link_types),
                          region=loaded.region,
                          name=loaded.name if self._loaded else "wizard")
        self.mapping.build(spec, loaded)
        return spec

    def update_counts(self) -> None:
        """Run the real import on the first rows and say what it would make."""
        table, spec = self.table(), self.spec()
        if table is None or not spec.entities:
            self.count_label.setText("Add an entity: a name, a type and its identity column.")
            return
        sample = Table(table.path, table.frame.head(COUNT_ROWS), table.row_numbers[:COUNT_ROWS],
                       table.sheet)
        try:
            plan = build_import(spec, [table.path], self.chart, reader=lambda p, s: sample,
                                places=place_namer())
        except (SpecError, ReadError) as exc:
            self.count_label.setText(f"<span style='color:#b00020'>{html(str(exc))}</span>")
            return
        scope = (f"the first {len(sample.frame):,} of {plural(len(table.frame), 'row')}"
                 if len(table.frame) > COUNT_ROWS else f"all {plural(len(table.frame), 'row')}")
        self.count_label.setText(count_text(plan.report, scope, self.mapping.date_notes()))

    # ----- specifications -----------------------------------------------------------------
    def load_spec(self, path: str | Path) -> None:
        try:
            spec = load_spec(path)
        except SpecError as exc:
            self.file_info.setText(str(exc))
            return
        parts = len(spec.parts)
        if parts:  # the wizard edits one mapping: the part for the sheet shown
            spec = spec.part_for_sheet(self.sheet_combo.currentText() or None)
        self._loaded = spec
        if spec.source.sheet is not None and self.sheet_combo.count():
            self.set_sheet(str(spec.source.sheet))
        self.mapping.clear()
        self.mapping.fill_from(spec)
        self._sheet_changed()
        fits, table = "", self.table()
        try:  # a spec for another file: which columns are missing, which exist
            spec.check_columns(table.columns, table.where()) if table is not None else None
        except SpecError as exc:
            fits = f" {exc}"
        if parts:
            fits += (f" It has {parts} parts (sheets with their own mappings): shown is the "
                     f"part for sheet {spec.source.sheet}; workbench import runs them all.")
        self.file_info.setText(f"{self.file_info.text()}\nSpecification {Path(path).name} "
                               f"loaded.{fits}")

    def save_spec(self, path: str | Path) -> None:
        text = dump_spec(self.spec())
        with atomic_path(path) as tmp:
            Path(tmp).write_text(text, encoding="utf-8")

    def _ask_save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save import specification", "", SPEC_FILTER)
        if path:
            try:
                self.save_spec(path)
            except OSError as exc:  # a read-only folder or a full disk
                QMessageBox.warning(self, "Cannot save specification",
                                    f"Could not save {path}: {exc.strerror or exc}")

    # ----- page 3: import -----------------------------------------------------------------
    def _build_run_page(self) -> None:
        page = WizardPage(lambda: self.plan is not None)
        page.setTitle("Import")
        page.setSubTitle("The chart changes when you press Finish, as one step you can undo.")
        self.progress = QProgressBar(maximum=1000)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # error text from the file
        self.cancel_button = QPushButton("Cancel import", clicked=self.cancel_import)
        self.report_widget = ReportView()
        self.report_view, self.issue_table = self.report_widget.summary, self.report_widget.issues
        layout = QVBoxLayout(page)
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.report_widget)
        page.initializePage = self.start_import  # type: ignore[method-assign]
        page.cleanupPage = self.cancel_import  # type: ignore[method-assign]
        self.run_page = page
        self.addPage(page)

    def start_import(self) -> None:
        self.cancel_import()
        self.plan = None
        self.report_widget.show_report(None)
        self.progress.setValue(0)
        self.cancel_button.setEnabled(True)
        self.status.setText("Reading...")
        worker = ImportWorker(self.spec(), list(self.files), self.chart, self._read)
        thread = QThread(self)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.progressed.connect(self._progressed)
        worker.done.connect(self._done)
        worker.failed.connect(self._failed)
        for signal in (worker.done, worker.failed):
            signal.connect(thread.quit)
        self._worker, self._thread = worker, thread
        thread.start()

    def cancel_import(self) -> None:
        if self._worker is not None:
            self._worker.cancel.set()
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
        self._worker = self._thread = None

    def _progressed(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(fraction * 1000))
        self.status.setText(message)

    def _done(self, plan: ImportPlan) -> None:
        self.plan = plan
        self.progress.setValue(1000)
        self.cancel_button.setEnabled(False)
        self.status.setText("Ready: press Finish to add this to the chart.")
        self.report_widget.show_report(plan.report)
        self.run_page.completeChanged.emit()

    def _failed(self, message: str) -> None:
        self.cancel_button.setEnabled(False)
        self.status.setText(message)
        self.run_page.completeChanged.emit()

    def done(self, result: int) -> None:  # accept or reject: stop any import still running
        self.cancel_import()  # a finished worker's thread just ends; a running one stops
        super().done(result)

