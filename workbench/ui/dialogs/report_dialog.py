"""File > Export Report: a DOCX or PDF report of the chart or the selection, from a template.

The dialog is the report template (``workbench.export.report_template``) as a form: title,
author and protective marking prefilled from the chart, the sections in their order, the
histograms and the attribute columns of the tables; templates load from and save to the small
YAML files analysts share. Writing follows the project's rule for long work: the chart pages
are drawn here on the GUI thread (Qt drawing), then a worker thread builds and writes the
document from a copy of the chart, so the window stays responsive and Cancel works. The
worker writes to a hidden file beside the target, which replaces the target only when the
document is complete and was not cancelled: a failed or cancelled report leaves any earlier
file as it was.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import (
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.export.picture_process import ReportPictures
from workbench.export.report_template import (
    FIELD_HISTOGRAMS,
    SECTIONS,
    ReportTemplate,
    TemplateError,
    load_template,
)
from workbench.io.atomic import commit
from workbench.ui.background import snapshot
from workbench.ui.dialogs.report_job import (
    CollectorPause,
    Relay,
    ReportJob,
    discard,
    tables_part,
)
from workbench.ui.dialogs.report_lists import (
    SECTION_NAMES,
    attribute_names,
    checked_names,
    checklist,
)
from workbench.ui.document import Document, StatusReporter, show_message

REPORT_FILTERS = ("Word document (*.docx)", "PDF document (*.pdf)")
TEMPLATE_FILTER = "Report templates (*.yaml *.yml)"


class ReportDialog(QDialog):
    """Choose what the report holds and where it goes; Export writes it in the background.

    Public: ``template()`` (the form as a ReportTemplate), ``set_template(template)``,
    ``path_edit`` (the target file), ``scope`` (whole chart or selection), ``export()``,
    ``cancel()``, ``load_template_file(path)``, ``save_template_file(path)``; signals
    ``written(str)`` (the report's path) and ``failed(str)`` (the reason shown).
    """

    written = Signal(str)
    failed = Signal(str)

    def __init__(self, document: Document, status: StatusReporter,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document, self.status_reporter = document, status
        self.setWindowTitle("Export Report")
        self._base = ReportTemplate()
        self._number = 0
        self._current: int | None = None  # the job being waited for
        self._jobs: dict[int, tuple[Path, Path, threading.Event]] = {}  # target, part, cancel
        self._relay = Relay(self)
        self._relay.done.connect(self._finished)
        self.file_dialog: QFileDialog | None = None
        self.message: QMessageBox | None = None
        self._build()
        self.set_template(self._base)

    # ----- the form ------------------------------------------------------------------------
    def _build(self) -> None:
        chart = self.document.chart
        self.title_edit, self.author_edit = QLineEdit(), QLineEdit()
        self.subtitle_edit, self.marking_edit = QLineEdit(), QLineEdit()
        self.marking_edit.setPlaceholderText("e.g. OFFICIAL-SENSITIVE (header and footer of "
                                             "every page)")
        self.scope = QComboBox()
        self.scope.addItem("The whole chart")
        n_selected = len(self.document.selected_entities())
        self.scope.addItem(f"The selected items ({n_selected:,} entities)")
        if n_selected:
            self.scope.setCurrentIndex(1)
        else:
            self.scope.model().item(1).setEnabled(False)  # type: ignore[attr-defined]
        self.path_edit = QLineEdit(str(self._default_path()))
        self.browse_button = browse = QPushButton("Browse...")
        browse.clicked.connect(self._ask_path)
        where = QHBoxLayout()
        where.addWidget(self.path_edit, 1)
        where.addWidget(browse)
        form = QFormLayout()
        form.addRow("Title", self.title_edit)
        form.addRow("Subtitle", self.subtitle_edit)
        form.addRow("Author", self.author_edit)
        form.addRow("Protective marking", self.marking_edit)
        form.addRow("Report on", self.scope)
        form.addRow("Save as (.docx or .pdf)", where)
        self.full_tables = QCheckBox("Every row of every table in the report (otherwise the top "
                                     "rows, and the full tables in a spreadsheet beside it)")
        form.addRow("Full tables", self.full_tables)

        self.sections_box = QGroupBox("Sections (drag to reorder)")
        self.histograms_box = QGroupBox("Histograms")
        self.entity_box = QGroupBox("Entity table columns")
        self.link_box = QGroupBox("Link table columns")
        self._entity_names = attribute_names(list(chart.entities.values()))
        self._link_names = attribute_names(list(chart.links.values()))
        lists = QGridLayout()
        for column, box in enumerate((self.sections_box, self.histograms_box,
                                      self.entity_box, self.link_box)):
            QVBoxLayout(box)
            lists.addWidget(box, 0, column)

        self.load_button = load = QPushButton("Load Template...")
        load.clicked.connect(self._ask_load)
        self.save_button = save = QPushButton("Save Template...")
        save.clicked.connect(self._ask_save)
        self.buttons = QDialogButtonBox()
        self.buttons.addButton(load, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.addButton(save, QDialogButtonBox.ButtonRole.ResetRole)
        self.export_button = self.buttons.addButton("Export",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.export_button.clicked.connect(self.export)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # the writers report no steps: busy, with a stage text
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(lists, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(980, 560)

    def _default_path(self) -> Path:
        path = self.document.path
        folder = path.parent if path is not None else Path.home()
        stem = path.stem if path is not None else "chart"
        return folder / f"{stem}-report.docx"

    def _replace_list(self, box: QGroupBox, widget: QListWidget) -> QListWidget:
        layout = box.layout()
        while layout.count():
            old = layout.takeAt(0).widget()
            if old is not None:
                old.deleteLater()
        layout.addWidget(widget)
        return widget

    def set_template(self, template: ReportTemplate) -> None:
        """Fill the form from a template; what it leaves open comes from the chart."""
        chart = self.document.chart
        self._base = template
        self.title_edit.setText(template.title or chart.title)
        self.subtitle_edit.setText(template.subtitle if template.subtitle is not None
                                   else chart.description)
        for edit in (self.title_edit, self.subtitle_edit):
            edit.setCursorPosition(0)  # show the beginning of a long text
        self.author_edit.setText(template.author if template.author is not None
                                 else chart.author)
        self.marking_edit.setText(template.marking if template.marking is not None
                                  else chart.marking)
        self.full_tables.setChecked(template.full_tables)
        order = [*template.sections, *(s for s in SECTIONS if s not in template.sections)]
        self.sections = self._replace_list(self.sections_box, checklist(
            order, set(template.sections), SECTION_NAMES, movable=True))
        histograms = [*FIELD_HISTOGRAMS,
                      *sorted(set(self._entity_names) | set(self._link_names), key=str.casefold)]
        histograms += [h for h in template.histograms if h not in histograms]
        self.histograms = self._replace_list(self.histograms_box, checklist(
            histograms, set(template.histograms)))
        self.entity_columns = self._replace_list(self.entity_box, self._columns(
            self._entity_names, template.entity_attributes))
        self.link_columns = self._replace_list(self.link_box, self._columns(
            self._link_names, template.link_attributes))
        for box, widget, what in ((self.entity_box, self.entity_columns, "Entity"),
                                  (self.link_box, self.link_columns, "Link")):
            box.setTitle(f"{what} table columns" + ("" if widget.count() else
                                                    " (no attributes)"))

    @staticmethod
    def _columns(present: list[str], chosen: list[str] | None) -> QListWidget:
        names = present + [n for n in chosen or [] if n not in present]
        return checklist(names, set(names if chosen is None else chosen))

    def template(self) -> ReportTemplate:
        """The form as a template (entity types and picture width come from the loaded one)."""
        def columns(widget: QListWidget) -> list[str] | None:
            names = checked_names(widget)
            return None if len(names) == widget.count() else names  # all: also future ones

        return replace(self._base, title=self.title_edit.text().strip() or None,
                       subtitle=self.subtitle_edit.text().strip(),
                       author=self.author_edit.text().strip(),
                       marking=self.marking_edit.text().strip(),
                       sections=checked_names(self.sections),
                       histograms=checked_names(self.histograms),
                       entity_attributes=columns(self.entity_columns),
                       link_attributes=columns(self.link_columns),
                       full_tables=self.full_tables.isChecked())

    # ----- templates -----------------------------------------------------------------------
    def load_template_file(self, path: str | Path) -> bool:
        try:
            self.set_template(load_template(path))
        except TemplateError as exc:
            self._show_problem("Cannot use this template", str(exc))
            return False
        self.status.setText(f"Template {Path(path).name} loaded.")
        return True

    def save_template_file(self, path: str | Path) -> bool:
        """Save the choices for reuse on other charts: this chart's own title, subtitle and
        author stay out of the file (the marking, a handling rule, is kept)."""
        chart, template = self.document.chart, self.template()
        if template.title == chart.title:
            template.title = None
        if template.subtitle == (chart.description or ""):
            template.subtitle = None
        if template.author == (chart.author or ""):
            template.author = None
        if not template.marking:
            template.marking = None
        try:
            template.save(path)
        except OSError as exc:
            self._show_problem("Cannot save the template", f"{path}: {exc.strerror or exc}")
            return False
        self.status.setText(f"Template saved as {path}.")
        return True

    def _file_dialog(self, title: str, filters: str, save: bool, chosen, suffix: str) -> None:
        dialog = QFileDialog(self, title, str(Path(self.path_edit.text()).parent), filters)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave if save
                             else QFileDialog.AcceptMode.AcceptOpen)
        dialog.setDefaultSuffix(suffix)
        dialog.fileSelected.connect(chosen)
        self.file_dialog = dialog
        dialog.open()

    def _ask_load(self) -> None:
        self._file_dialog("Load report template", TEMPLATE_FILTER, False,
                          self.load_template_file, "yaml")

    def _ask_save(self) -> None:
        self._file_dialog("Save report template", TEMPLATE_FILTER, True,
                          self.save_template_file, "yaml")

    def _ask_path(self) -> None:
        suffix = Path(self.path_edit.text()).suffix.lstrip(".") or "docx"
        self._file_dialog("Export report", ";;".join(REPORT_FILTERS), True,
                          self.path_edit.setText, suffix)

    # ----- writing -------------------------------------------------------------------------
    def writing(self) -> bool:
        return self._current is not None

    def export(self) -> bool:
        """Write the report on a worker thread, its pictures drawn in a child process, from
        a copy of the chart: the window goes on. Returns False (and says why) when it
        cannot start."""
        if self.writing():
            return False
        target = Path(self.path_edit.text().strip()).expanduser()
        if target.suffix.lower() not in (".docx", ".pdf"):
            self._show_problem("Cannot export report",
                               f"{target.name or 'The file name'}: a report is .docx or .pdf")
            return False
        if not target.parent.is_dir():
            self._show_problem("Cannot export report", f"{target.parent}: no such folder")
            return False
        template = self.template()
        chart = self.document.chart
        entity_ids = self.document.selected_entities() if self.scope.currentIndex() == 1 else None
        wanted = ReportPictures(chart_pages="chart" in template.sections,
                                timeline="timeline" in template.sections,
                                width_px=template.chart_width_px, timeline_of=entity_ids)
        # The worker reads its own copy (with the chart's own pictures, for its icons): the
        # analyst may edit the chart meanwhile.
        copy = snapshot(chart)
        self._number += 1
        part = target.with_name(f".{target.stem}.{uuid.uuid4().hex[:8]}.part{target.suffix}")
        cancelled = threading.Event()
        self._current = self._number
        self._jobs[self._number] = (target, part, cancelled)
        self._busy(True, f"Drawing the pictures and writing {target.name}...")
        CollectorPause.hold()
        QThreadPool.globalInstance().start(ReportJob(
            self._number, self._relay, copy, part, template, wanted, entity_ids, cancelled,
            target.with_suffix(".xlsx").name))
        return True

    def cancel(self) -> None:
        """While writing: stop, and no file is written (the worker's part file is removed
        when it finishes). Otherwise: close the dialog."""
        if self._current is None:
            self.reject()
            return
        self._jobs[self._current][2].set()
        self._current = None
        self._busy(False, "Cancelled: no report was written.")

    def reject(self) -> None:
        if self._current is not None:
            self.cancel()
        super().reject()

    def _finished(self, number: int, error: str) -> None:
        target, part, cancelled = self._jobs.pop(number)
        CollectorPause.release()
        if number != self._current or cancelled.is_set():
            discard(part)  # the worker removes it too; this closes the race
            return
        self._current = None
        if not error:
            try:
                commit(part, target)  # checked, with the target's permissions
                if tables_part(part).exists():
                    commit(tables_part(part), target.with_suffix(".xlsx"))
            except OSError as exc:
                discard(part)
                error = f"Could not write {target}: {exc.strerror or exc}"
        if error:
            self._busy(False, "")
            self._show_problem("Cannot export report", error)
            self.failed.emit(error)
            return
        self._busy(False, f"Report written: {target}")
        self.status_reporter.showMessage(f"Report written: {target}", 10000)
        self.written.emit(str(target))
        self.accept()

    def _busy(self, busy: bool, text: str) -> None:
        self.progress.setVisible(busy)
        self.export_button.setEnabled(not busy)
        for widget in (self.title_edit, self.subtitle_edit, self.author_edit,
                       self.marking_edit, self.scope, self.path_edit, self.sections,
                       self.full_tables,
                       self.histograms, self.entity_columns, self.link_columns,
                       self.browse_button, self.load_button, self.save_button):
            widget.setEnabled(not busy)
        self.status.setText(text)
        if busy:
            self.repaint()  # the stage text shows before the picture is drawn

    def _show_problem(self, title: str, text: str) -> None:
        self.message = show_message(self, title, text)
