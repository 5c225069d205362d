"""File menu work: new, open, open recent, save, save as, close, and the unsaved-work prompt.

Nothing here blocks on a dialog: file choosers and questions are opened with ``open()`` and
kept as attributes (``file_dialog``, ``prompt``, ``message``), and the work continues from
their signals. The window stays responsive, and tests drive the same boxes a user clicks.
Loader and saver errors are ChartFileError messages written for the analyst; they are shown
as they are, never as a traceback.

A chart from another tool (GraphML, GEXF, ANX...) larger than a moment's reading is read on
a worker (ui/background.py), with a progress dialog whose Cancel leaves the chart on screen
as it was; the window keeps drawing and answering meanwhile.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from workbench.io import EXTENSION, ChartFileError, load_chart, save_chart
from workbench.io.interchange.formats import OPENED, TOOL_FORMATS
from workbench.layout import needs_layout
from workbench.model import Chart
from workbench.ui.background import Job
from workbench.ui.document import Document, StatusReporter, show_message
from workbench.ui.wording import plural

MAX_RECENT = 10
FILTER = f"Workbench charts (*{EXTENSION})"
# Charts from other tools open through read_chart, as unsaved charts (Save writes .wbchart).
FOREIGN = OPENED
OPEN_FILTERS = (f"Charts (*{EXTENSION} {' '.join('*' + s for s in FOREIGN)})", FILTER,
                *(f.open_filter for f in TOOL_FORMATS))
MAX_WARNINGS_SHOWN = 15
Button = QMessageBox.StandardButton


class RecentFiles:
    """The Open Recent list, newest first, kept in QSettings."""

    KEY = "files/recent"

    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

    def paths(self) -> list[str]:
        value = self.settings.value(self.KEY, [])
        items = [value] if isinstance(value, str) else list(value or [])
        return [str(p) for p in items if p][:MAX_RECENT]

    def add(self, path: Path) -> None:
        text = str(path.resolve())
        self.settings.setValue(self.KEY, [text, *[p for p in self.paths() if p != text]]
                               [:MAX_RECENT])

    def remove(self, path: str) -> None:
        self.settings.setValue(self.KEY, [p for p in self.paths() if p != path])


class FileOperations(QObject):
    # A foreign file this large or larger is read on a worker (GraphML reads about 3 MB a
    # second here: a smaller one opens before a dialog could be read).
    BACKGROUND_FROM = 1024 * 1024
    DOT_BACKGROUND_FROM = 16 * 1024  # DOT reads at about 30 KB a second (docs/interchange.md)
    PROGRESS_AFTER_MS = 400  # a quick open does not flash a dialog

    def __init__(self, document: Document, settings: QSettings, status: StatusReporter,
                 parent: QWidget, *, saved: Callable[[Path], object],
                 lay_out: Callable[[str], object]) -> None:
        """``saved(path)`` tells the window the chart now lives in ``path``; ``lay_out(name)``
        runs a layout (a foreign chart without positions)."""
        super().__init__(parent)
        self.document, self.status, self.parent_widget = document, status, parent
        self.saved, self.lay_out = saved, lay_out
        self.recent = RecentFiles(settings)
        self.file_dialog: QFileDialog | None = None
        self.prompt: QMessageBox | None = None
        self.message: QMessageBox | None = None
        self.opening: Job | None = None  # a foreign file being read on a worker
        self.progress: QProgressDialog | None = None

    # ----- questions -----------------------------------------------------------------------
    def confirm_discard(self, then: Callable[[], object]) -> None:
        """Run ``then`` now if the chart is saved; otherwise ask Save / Discard / Cancel."""
        if self.document.undo_stack.isClean():
            then()
            return
        name = self.document.chart_name()
        box = QMessageBox(QMessageBox.Icon.Question, "Unsaved changes",
                          f"Save the changes to {name} before closing it?",
                          Button.Save | Button.Discard | Button.Cancel, self.parent_widget)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText("If you don't save, your changes since the last save are lost.")
        box.setDefaultButton(Button.Save)

        def answered() -> None:
            choice = box.standardButton(box.clickedButton())
            if choice == Button.Discard:
                then()
            elif choice == Button.Save:
                if self.document.path is None:
                    self.ask_save_as(then)
                elif self.save():
                    then()

        box.finished.connect(answered)
        self.prompt = box
        box.open()

    def show_error(self, title: str, text: str) -> None:
        self.message = show_message(self.parent_widget, title, text)

    def _file_dialog(self, title: str, mode: QFileDialog.AcceptMode,
                     chosen: Callable[[str], object], filters: str = FILTER) -> QFileDialog:
        dialog = QFileDialog(self.parent_widget, title, self._start_folder(), filters)
        dialog.setAcceptMode(mode)
        dialog.setDefaultSuffix(EXTENSION.lstrip("."))
        if mode == QFileDialog.AcceptMode.AcceptOpen:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(chosen)
        self.file_dialog = dialog
        dialog.open()
        return dialog

    def _start_folder(self) -> str:
        if self.document.path is not None:
            return str(self.document.path.parent)
        recent = self.recent.paths()
        return str(Path(recent[0]).parent) if recent else str(Path.home())

    # ----- commands ------------------------------------------------------------------------
    def new_chart(self) -> None:
        def fresh() -> None:
            self.cancel_open()  # a foreign file still being read would replace it
            self.document.replace_chart(Chart(), None)

        self.confirm_discard(fresh)

    def ask_open(self) -> None:
        self.confirm_discard(lambda: self._file_dialog(
            "Open chart", QFileDialog.AcceptMode.AcceptOpen, self.open_chart,
            ";;".join(OPEN_FILTERS)))

    def open_recent(self, path: str) -> None:
        self.confirm_discard(lambda: self.open_chart(path))

    def open_chart(self, path: str | Path) -> bool:
        """Load a chart file; a bad file shows the loader's message and changes nothing."""
        path = Path(path)
        self.cancel_open()  # the file asked for last is the one that opens
        if path.suffix.lower() in FOREIGN:
            return self.open_foreign(path)
        try:
            chart = load_chart(path)
        except ChartFileError as exc:
            self.show_error("Cannot open chart", str(exc))
            if not path.exists():
                self.recent.remove(str(path.resolve()))
            return False
        self.document.replace_chart(chart, path)
        self.recent.add(path)
        return True

    def open_foreign(self, path: Path) -> bool:
        """A chart from another tool (GraphML, GEXF, i2 ANX...): it opens as a new unsaved
        chart titled from the file (Save asks where to write the .wbchart; the original is
        never overwritten), and what Workbench could not keep of it is listed for the
        analyst. A large file is read on a worker: this returns True at once, and the chart
        replaces the current one when it is read (Cancel keeps the current one)."""
        from workbench.io.interchange import InterchangeError, read_chart, sniff

        self.cancel_open()
        try:
            size = path.stat().st_size
        except OSError:
            size = 0  # the reader says why it cannot be read
        dot = sniff(path) == ".dot" or path.suffix.lower() in (".dot", ".gv")
        if size >= (self.DOT_BACKGROUND_FROM if dot else self.BACKGROUND_FROM):
            self._open_in_background(path)
            return True
        warnings: list[str] = []
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            chart = read_chart(path, warnings)
        except InterchangeError as exc:
            self._not_opened(path, str(exc))
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        self._opened(path, chart, warnings)
        return True

    def _open_in_background(self, path: Path) -> None:
        from workbench.io.interchange import InterchangeError, read_chart

        read = [0, 0]  # characters read, of (DOT reports it): written by the worker

        def work(cancelled: threading.Event) -> tuple[Chart, list[str]]:
            def progress(done: int, total: int) -> None:
                if cancelled.is_set():  # stops a DOT read between pieces
                    raise InterchangeError(f"{path.name}: opening cancelled")
                read[:] = [done, total]

            warnings: list[str] = []
            return read_chart(path, warnings, progress), warnings

        job = Job(work, owner=self, what=path.name, plain=(InterchangeError,))
        job.on_done = lambda result: self._job_done(job, path, result)
        job.on_failed = lambda reason: self._job_failed(job, path, reason)
        dialog = QProgressDialog(f"Opening {path.name}...", "Cancel", 0, 0, self.parent_widget)
        dialog.setWindowTitle("Open chart")
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(lambda: self.cancel_open() if self.opening is job else None)
        timer = QTimer(dialog)  # the worker's progress, shown from the GUI thread

        def show_progress() -> None:
            if read[1]:
                dialog.setRange(0, 100)
                dialog.setValue(read[0] * 100 // read[1])

        timer.timeout.connect(show_progress)
        timer.start(200)
        self.opening, self.progress = job, dialog
        self.status.showMessage(f"Opening {path.name}...")
        QTimer.singleShot(self.PROGRESS_AFTER_MS, dialog,
                          lambda: dialog.show() if self.opening is job else None)
        job.start()

    def cancel_open(self) -> None:
        """Stop opening a foreign file: the chart on screen stays as it is."""
        job = self.opening
        if job is None:
            return
        job.cancel()
        self._end_open(job)
        self.status.showMessage(f"Opening {job.what} cancelled", 8000)

    def _end_open(self, job: Job) -> None:
        if self.opening is job:
            self.opening = None
        if self.progress is not None:
            self.progress.canceled.disconnect()
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _job_done(self, job: Job, path: Path, result: object) -> None:
        self._end_open(job)
        chart, warnings = result  # type: ignore[misc]
        self._opened(path, chart, warnings)

    def _job_failed(self, job: Job, path: Path, reason: str) -> None:
        self._end_open(job)
        self._not_opened(path, reason)

    def _not_opened(self, path: Path, reason: str) -> None:
        self.show_error("Cannot open chart", reason)
        if not path.exists():
            self.recent.remove(str(path.resolve()))

    def _opened(self, path: Path, chart: Chart, warnings: list[str]) -> None:
        if chart.title == Chart().title:  # the file named no title: use its name
            chart.title = path.stem
        self.document.replace_chart(chart, None, modified=True)
        self.recent.add(path)
        if needs_layout(chart):  # a graph with no drawing (networkx, scripts): lay it out
            self.lay_out("force")  # its own undo step; zooms to fit when done
        self.status.showMessage(
            f"Opened {path.name}: {plural(len(chart.entities), 'entity')}, "
            f"{plural(len(chart.links), 'link')} (not yet saved as a Workbench chart)", 10000)
        if warnings:
            shown = "\n".join(f"- {w}" for w in warnings[:MAX_WARNINGS_SHOWN])
            more = len(warnings) - MAX_WARNINGS_SHOWN
            self.message = show_message(
                self.parent_widget, "Opened with warnings",
                f"{path.name} opened, but Workbench could not keep everything in it:\n\n"
                f"{shown}" + (f"\n- and {more:,} more" if more > 0 else ""),
                QMessageBox.Icon.Information)

    def save(self) -> bool:
        """Save to the chart's file; a chart never saved asks where (and returns False)."""
        if self.document.path is None:
            self.ask_save_as()
            return False
        return self.save_as(self.document.path)

    def ask_save_as(self, then: Callable[[], object] | None = None) -> None:
        def chosen(path: str) -> None:
            if self.save_as(path) and then is not None:
                then()

        self._file_dialog("Save chart as", QFileDialog.AcceptMode.AcceptSave, chosen)

    def save_as(self, path: str | Path) -> bool:
        """Write the chart atomically; a failure shows why and leaves the old file as it was."""
        path = Path(path)
        if path.suffix.lower() != EXTENSION:
            path = path.with_name(path.name + EXTENSION)
        try:
            save_chart(self.document.chart, path)
        except ChartFileError as exc:
            self.show_error("Cannot save chart", str(exc))
            return False
        self.document.undo_stack.setClean()
        self.recent.add(path)
        self.saved(path)
        self.status.showMessage(f"Saved {path}", 5000)
        return True
