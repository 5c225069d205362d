"""Chart Display changes on the trafficking-routes sample (399 countries, 23,046 links).

Each display change is one pass over every link (new look, new bow or summary line), so it is
the cost an analyst waits for after a click in View > Chart Display, and again on Undo.
Targets on a 2-core machine: opening the sample in the window (summarised by count) under
5 s; each display change and its undo under 3 s; the 1,600-pixel picture under 5 s.
Run: ``python benchmarks/bench_display.py`` (Qt runs offscreen unless a display is set).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, QStandardPaths  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

SAMPLE = REPO / "sample_charts" / "trafficking-routes.wbchart"


def timed(label: str, app: QApplication, action) -> None:
    start = time.perf_counter()
    action()
    app.processEvents()
    print(f"{label:<42} {time.perf_counter() - start:6.2f} s")


def main() -> None:
    app = QApplication([])
    QStandardPaths.setTestModeEnabled(True)
    from workbench.export.chart_image import render_chart
    from workbench.ui.window.main_window import MainWindow

    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "bench.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings=settings, recovery_dir=Path(tmp) / "recovery")
        window.resize(1400, 900)
        window.show()
        app.processEvents()
        timed("open (summarised, width by count)", app, lambda: window.open_chart(SAMPLE))
        display, stack = window.display, window.undo_stack
        timed("summary off (23,046 separate links)", app,
              lambda: display.change("summary", link_summary=False))
        timed("undo (summary on again)", app, stack.undo)
        timed("link width: all the same", app, lambda: display.set_width_attribute(None))
        timed("undo (width by count)", app, stack.undo)
        timed("link labels: types", app, lambda: display.change("labels", link_labels="type"))
        timed("entity frames on", app, lambda: display.change("frames", frames=True))
        timed("picture 1,600 px wide", app, lambda: render_chart(
            window.chart, Path(tmp) / "routes.png", width=1600))
        stack.setClean()
        window.close()


if __name__ == "__main__":
    main()
