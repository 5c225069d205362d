"""File > Export: pictures of the chart (PNG, JPEG, SVG, PDF), spreadsheets (XLSX, CSV) and
charts for other tools (GraphML, GEXF, i2 ANX), of the whole chart or the selection.

Pictures are drawn by ``workbench.export.render_chart`` with the same scene code as the window,
so what goes to a bank or the police looks like what the analyst saw (without the selection
highlight), in a child process (``workbench.export.picture_process``: a chart scene is a GUI
object that is never drawn on a worker thread). Pictures, spreadsheets and interchange files
are written by the headless exporters that ``workbench export`` and ``workbench convert``
use, from a copy of the chart, watched or written by a worker thread
(``workbench.ui.background``), into part files beside the targets
that replace them only when complete: the window stays responsive, Cancel writes nothing,
and a failed export says why and leaves any earlier file as it was. File choosers open
without blocking, like every dialog here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QMenu, QProgressDialog

from workbench.export.chart_image import FORMATS, ChartImageError
from workbench.export.picture_process import ChartCopy, draw_picture_file
from workbench.export.spreadsheet import csv_paths, tables, write_table_csv, write_xlsx
from workbench.io.interchange import InterchangeError, write_chart
from workbench.io.interchange.formats import WRITTEN
from workbench.model import Selection
from workbench.ui.background import FileJob, cancel_jobs, snapshot
from workbench.ui.document import Document, Tools

PICTURE_FILTERS = ("PNG picture (*.png)", "SVG drawing (*.svg)", "PDF page (*.pdf)",
                   "JPEG picture (*.jpg *.jpeg)")
SUFFIX_OF_FILTER = {PICTURE_FILTERS[0]: ".png", PICTURE_FILTERS[1]: ".svg",
                    PICTURE_FILTERS[2]: ".pdf", PICTURE_FILTERS[3]: ".jpg"}
SPREADSHEET_FILTERS = ("Excel workbook, a sheet each for entities and links (*.xlsx)",
                       "CSV, a file each for entities and links (*.csv)")
def ask_save_path(owner: QObject, tools: Tools, title: str, suffix: str,
                  filters: Sequence[str], chosen: Callable[[Path], object]) -> QFileDialog:
    """A non-blocking Save dialog beside the chart's file, named after it; a name typed
    without an extension gets the one of the chosen filter. The dialog is kept on
    ``owner.file_dialog`` so tests (and the garbage collector) can find it."""
    path = tools.document.path
    stem = path.stem if path is not None else "chart"
    folder = path.parent if path is not None else Path.home()
    dialog = QFileDialog(tools.parent, title, str(folder / f"{stem}{suffix}"), ";;".join(filters))
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)

    def selected(path: str) -> None:
        target = Path(path)
        if not target.suffix:
            pattern = dialog.selectedNameFilter().rpartition("(*")[2]
            target = target.with_suffix("." + pattern.split()[0].strip(".)") if pattern
                                        else suffix)
        chosen(target)

    dialog.fileSelected.connect(selected)
    owner.file_dialog = dialog  # type: ignore[attr-defined]
    dialog.open()
    return dialog


def selected_ids(document: Document) -> tuple[list[str], list[str]]:
    """The selection as an export sees it (as chart pictures do): the selected entities plus
    the ends of selected links; the selected links, or if none, the links among them."""
    chart, selection = document.chart, document.selection
    entities = {i for i in selection.entities if i in chart.entities}
    links = {i for i in selection.links if i in chart.links}
    for link_id in links:
        link = chart.link(link_id)
        entities.update((link.end1, link.end2))
    if not links:
        links = {lk.id for lk in chart.links.values()
                 if lk.end1 in entities and lk.end2 in entities}
    return ([i for i in chart.entities if i in entities],
            [i for i in chart.links if i in links])  # in chart order


class BackgroundExport(QObject):
    """Exports written off the GUI thread from a copy of the chart taken when they start.

    ``written(list)`` (the paths) or ``failed(str)`` (the reason, also shown) follow the
    start. A progress dialog with Cancel appears when an export takes longer than a moment;
    ``cancel()`` stops it and writes nothing."""

    written = Signal(list)
    failed = Signal(str)
    PROGRESS_AFTER_MS = 400  # a quick export does not flash a dialog

    def __init__(self, tools: Tools) -> None:
        super().__init__(tools.parent)
        self.tools = tools
        self.file_dialog: QFileDialog | None = None
        self.job: FileJob | None = None
        self.progress: QProgressDialog | None = None

    # ----- the job -------------------------------------------------------------------------
    def writing(self) -> bool:
        return self.job is not None

    def _can_start(self, title: str, path: Path) -> bool:
        if self.job is not None:
            self.tools.feedback.show_error(title, f"{path.name}: wait for the export of "
                                         f"{self.job.what} to finish, or cancel it")
            return False
        if not path.parent.is_dir():  # said plainly, before any writer starts
            self.tools.feedback.show_error(title, f"{path.parent}: no such folder")
            return False
        return True

    def _start(self, job: FileJob, title: str) -> None:
        self.job = job
        job.on_done = lambda targets: self._done(job, targets)
        job.on_failed = lambda reason: self._failed(job, title, reason)
        progress = QProgressDialog(f"Writing {job.what}...", "Cancel", 0, 0, self.tools.parent)
        progress.setWindowTitle("Export")
        progress.setWindowModality(Qt.WindowModality.NonModal)  # the analyst keeps working
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.canceled.connect(lambda: self.cancel() if self.job is job else None)
        self.progress = progress
        self.tools.feedback.say(f"Writing {job.what}...")
        QTimer.singleShot(self.PROGRESS_AFTER_MS, progress,
                          lambda: progress.show() if self.job is job else None)
        job.start()

    def _end(self, job: FileJob) -> None:
        if self.job is job:
            self.job = None
        if self.progress is not None:
            self.progress.canceled.disconnect()
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def cancel(self) -> None:
        """Stop the running export: nothing is written, an earlier file stays as it was."""
        job = self.job
        if job is None:
            return
        job.cancel()
        self._end(job)
        self.tools.feedback.say(f"Export cancelled: {job.what} was not written",
                                            8000)


    def close_jobs(self) -> int:
        """The window is closing: cancel its exports and reports and wait for their workers
        (their part files are removed). Returns how many were running."""
        if self.job is not None:
            self._end(self.job)
        return cancel_jobs(self.tools.parent)

    def _done(self, job: FileJob, targets: list[Path]) -> None:
        self._end(job)
        self.tools.feedback.say(
            "Exported " + " and ".join(str(p) for p in targets), 8000)
        self.written.emit([str(p) for p in targets])

    def _failed(self, job: FileJob, title: str, reason: str) -> None:
        self._end(job)
        self.tools.feedback.say("")
        self.tools.feedback.show_error(title, reason)
        self.failed.emit(reason)


class PictureExport(BackgroundExport):
    """File > Export > Chart Picture, Selected Items as Picture and Wall Chart, drawn in a
    child process (the routes sample's whole chart held the window 2 s as a PNG)."""

    def fill_menu(self, menu: QMenu) -> None:
        menu.addAction("Chart &Picture...", lambda: self.ask(selected_only=False)) \
            .setStatusTip("the whole chart as PNG, SVG, PDF or JPEG")
        self.selected_action = menu.addAction(
            "&Selected Items as Picture...", lambda: self.ask(selected_only=True))
        self.selected_action.setStatusTip("only the selected entities and links")
        wall = menu.addMenu("&Wall Chart (PDF over Several Pages)")
        for across in (2, 3, 4, 6):
            wall.addAction(f"{across} Pages Across...", lambda n=across: self.ask_wall(n)) \
                .setStatusTip(f"the chart on A4 pages, {across} across and as many down as "
                              "it needs, each with title, marking and its row and column")

    def ask(self, selected_only: bool) -> None:
        w = self.tools
        if selected_only and not w.document.selection:
            w.feedback.say("Select the items to export first", 5000)
            return
        ask_save_path(self, w, "Export picture", ".png", PICTURE_FILTERS,
                      lambda target: self.export(target, selected_only=selected_only))

    def ask_wall(self, pages_across: int) -> None:
        ask_save_path(self, self.tools, "Export wall chart", ".pdf", ["PDF (*.pdf)"],
                      lambda target: self.export(target, pages_across=pages_across))

    def export(self, path: str | Path, *, selected_only: bool = False,
               pages_across: int = 1) -> bool:
        """Start drawing and writing the picture; False (and the reason shown) when it
        cannot start, e.g. an unknown format."""
        w, path, title = self.tools, Path(path), "Cannot export picture"
        kind = FORMATS.get(path.suffix.lower())
        if kind is None:
            w.feedback.show_error(title, f"{path.name}: unknown picture format; use .png, "
                                  ".jpg, .svg or .pdf")
            return False
        if not self._can_start(title, path):
            return False
        chosen = None
        if selected_only:  # as it is now: the analyst may go on selecting meanwhile
            chosen = Selection()
            chosen.set(w.document.selection.entities, w.document.selection.links)
        copy, cancelled = ChartCopy.of(w.document.chart), threading.Event()
        self._start(FileJob([path], lambda parts: draw_picture_file(
            copy, parts[0], kind, chosen, pages_across, cancelled), cancelled=cancelled,
            owner=self, what=path.name, plain=(ChartImageError,)), title)
        return True


class DataExport(BackgroundExport):
    """Spreadsheets of the chart or the selection, and the chart for other tools.

    ``export_spreadsheet`` and ``export_interchange`` return at once (the files they will
    write, or nothing when the target is refused). Closing the window cancels a running
    export, a picture's too (``close_jobs``)."""

    def fill_menu(self, menu: QMenu) -> None:
        menu.addSeparator()
        menu.addAction("Spreads&heet (XLSX, CSV)...",
                       lambda: self.ask_spreadsheet(selected_only=False)) \
            .setStatusTip("entities and links with attributes and sources, for Excel")
        self.selected_action = menu.addAction(
            "Selected Items as Sp&readsheet...", lambda: self.ask_spreadsheet(selected_only=True))
        self.selected_action.setStatusTip("only the selected entities and links")
        tools = menu.addMenu("Chart for Another &Tool")
        for suffix, tool_format in WRITTEN.items():
            tools.addAction(tool_format.menu, lambda s=suffix: self.ask_interchange(s)) \
                .setStatusTip("the whole chart for another analysis tool")

    # ----- spreadsheets --------------------------------------------------------------------
    def ask_spreadsheet(self, selected_only: bool) -> None:
        w = self.tools
        if selected_only and not w.document.selection:
            w.feedback.say("Select the items to export first", 5000)
            return
        ask_save_path(self, w, "Export spreadsheet", ".xlsx", SPREADSHEET_FILTERS,
                      lambda target: self.export_spreadsheet(target, selected_only=selected_only))

    def export_spreadsheet(self, path: str | Path, *, selected_only: bool = False
                           ) -> list[Path]:
        """Start writing XLSX (one workbook) or CSV (two files: NAME-entities.csv and
        NAME-links.csv) by the suffix; returns the files it will write, none when it cannot
        start (the reason is shown)."""
        w, path = self.tools, Path(path)
        title = "Cannot export spreadsheet"
        suffix = path.suffix.lower()
        if suffix not in (".xlsx", ".csv"):
            w.feedback.show_error(title, f"{path.name}: a spreadsheet is .xlsx or .csv")
            return []
        if not self._can_start(title, path):
            return []
        ids: dict[str, list[str]] = {}
        if selected_only:
            ids["entity_ids"], ids["link_ids"] = selected_ids(w.document)
        copy = snapshot(w.document.chart)
        if suffix == ".xlsx":
            targets = [path]

            def write(parts: list[Path]) -> None:
                write_xlsx(copy, parts[0], **ids)
        else:
            targets = list(csv_paths(path))

            def write(parts: list[Path]) -> None:
                entity_table, link_table = tables(copy, ids.get("entity_ids"),
                                                  ids.get("link_ids"))
                write_table_csv(entity_table, parts[0])
                write_table_csv(link_table, parts[1])
        self._start(FileJob(targets, write, owner=self, what=path.name,
                            plain=(ValueError,)), title)
        return targets

    # ----- other tools ---------------------------------------------------------------------
    def ask_interchange(self, suffix: str) -> None:
        ask_save_path(self, self.tools, "Export chart for another tool", suffix,
                      [WRITTEN[suffix].save_filter], self.export_interchange)

    def export_interchange(self, path: str | Path) -> bool:
        """Start writing the whole chart for another tool by the suffix; False (and
        the reason shown) when it cannot start."""
        path, title = Path(path), "Cannot export chart"
        if path.suffix.lower() not in WRITTEN:
            self.tools.feedback.show_error(
                title, f"{path.name}: other tools' charts are " + ", ".join(WRITTEN))
            return False
        if not self._can_start(title, path):
            return False
        copy = snapshot(self.tools.document.chart)
        self._start(FileJob([path], lambda parts: write_chart(copy, parts[0]), owner=self,
                            what=path.name, plain=(InterchangeError,)), title)
        return True

