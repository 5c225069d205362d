"""Exports from the window with a 10,000-entity, 20,000-link chart: what the analyst waits for.

Prints seconds for: Edit > Copy as Picture of the whole chart and of 1,000 selected entities
(bitmap, SVG and PDF), File > Export Report (the part that holds the GUI thread: picture and
chart copy; and the whole time until the document is written) as PDF and DOCX, the XLSX
spreadsheet, GraphML export and opening that GraphML in the window. Run:
``python benchmarks/bench_window_export.py`` (Qt runs offscreen unless a display is set).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_window import build_chart, timed
from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication


def main() -> None:
    app = QApplication.instance() or QApplication([])
    from workbench.ui.clipboard import PDF_MIME, PNG_MIME, SVG_MIME
    from workbench.ui.window.main_window import MainWindow

    folder = Path(tempfile.mkdtemp(prefix="wb-bench-export-"))
    window = MainWindow(settings=QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat),
                        recovery_dir=folder / "recovery")
    window.show()
    window.replace_chart(build_chart(), None)
    app.processEvents()

    def sizes() -> str:
        mime = QGuiApplication.clipboard().mimeData()
        return ", ".join(f"{name} {len(bytes(mime.data(kind))) / 1e6:.1f} MB"
                         for name, kind in (("PNG", PNG_MIME), ("SVG", SVG_MIME),
                                            ("PDF", PDF_MIME)))

    def copy_picture(what: str) -> None:
        """The window's share (the trigger: the chart copied for the worker), then the time
        until the picture is on the clipboard."""
        loop = QEventLoop()
        window.clipboard.picture_copied.connect(loop.quit)
        start, cpu = time.perf_counter(), time.thread_time()
        window.acts.copy_picture.trigger()
        app.processEvents()
        print(f"{'Copy as Picture, ' + what + ': window held':<52} "
              f"{time.perf_counter() - start:7.2f} s  ({time.thread_time() - cpu:.2f} s CPU)")
        loop.exec()
        print(f"{'Copy as Picture, ' + what + ': on the clipboard':<52} "
              f"{time.perf_counter() - start:7.2f} s")
        window.clipboard.picture_copied.disconnect(loop.quit)
        print("   ", sizes())

    copy_picture("whole chart")
    window.selection.set([f"e{i}" for i in range(1000)])
    copy_picture("1,000 selected")
    window.selection.clear()

    for suffix in (".pdf", ".docx"):
        window.acts.export_report.trigger()
        dialog = window.report_dialog
        dialog.path_edit.setText(str(folder / f"report{suffix}"))
        loop = QEventLoop()
        dialog.written.connect(lambda _p, loop=loop: loop.quit())
        dialog.failed.connect(lambda error, loop=loop: (print("failed:", error), loop.quit()))
        QTimer.singleShot(600_000, loop.quit)
        start = time.perf_counter()
        dialog.export()
        held = time.perf_counter() - start
        loop.exec()
        total = time.perf_counter() - start
        size = (folder / f"report{suffix}").stat().st_size / 1e6
        print(f"{'Export Report ' + suffix.upper()[1:] + ': GUI thread held':<52} {held:7.2f} s")
        print(f"{'Export Report ' + suffix.upper()[1:] + ': until written':<52} {total:7.2f} s"
              f"  ({size:.1f} MB)")

    def until_written(start) -> None:
        """Start a background export and wait until its file is written."""
        loop = QEventLoop()
        window.data_export.written.connect(loop.quit)
        window.data_export.failed.connect(loop.quit)
        start()
        loop.exec()
        window.data_export.written.disconnect(loop.quit)
        window.data_export.failed.disconnect(loop.quit)

    timed("File > Export > Spreadsheet (XLSX), written",
          lambda: until_written(
              lambda: window.data_export.export_spreadsheet(folder / "chart.xlsx")), app)
    timed("File > Export > GraphML, written",
          lambda: until_written(
              lambda: window.data_export.export_interchange(folder / "chart.graphml")), app)
    window.undo_stack.setClean()
    timed("File > Open the GraphML", lambda: window.open_chart(folder / "chart.graphml"), app)
    window.undo_stack.setClean()
    window.close()


if __name__ == "__main__":
    main()
