"""Exports off the GUI thread with a 10,000-entity, 20,000-link chart in the window, and the
map dock on the 23,046-link route sample: how long the GUI thread is held, when the file (or
map) is ready, and the longest pause of a 20 ms timer on the GUI thread meanwhile (what the
analyst feels). Run: ``python benchmarks/bench_background.py`` (Qt offscreen unless a display
is set)."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_window import build_chart
from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication


def watched(label: str, start, done_signal, app: QApplication) -> None:
    """Start the work, run the event loop until ``done_signal``, print the figures."""
    ticks: list[float] = []
    timer = QTimer(interval=20)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    loop = QEventLoop()
    done_signal.connect(loop.quit)
    QTimer.singleShot(600_000, loop.quit)
    timer.start()
    began = time.perf_counter()
    start()
    held = time.perf_counter() - began
    loop.exec()
    total = time.perf_counter() - began
    timer.stop()
    done_signal.disconnect(loop.quit)
    after = [t for t in ticks if t > began + held]
    gaps = [b - a for a, b in zip([began + held, *after], after, strict=False)] or [total]
    print(f"{label:<44} GUI held {held:5.2f} s  ready {total:5.2f} s  "
          f"longest pause {max(gaps):5.2f} s")


def main() -> None:
    app = QApplication.instance() or QApplication([])
    from workbench.ui.window.main_window import MainWindow

    folder = Path(tempfile.mkdtemp(prefix="wb-bench-background-"))
    window = MainWindow(settings=QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat),
                        recovery_dir=folder / "recovery")
    window.show()
    window.replace_chart(build_chart(), None)
    app.processEvents()
    exports = window.data_export
    for name in ("chart.xlsx", "chart.csv"):
        watched(f"Export > Spreadsheet {name}",
                lambda name=name: exports.export_spreadsheet(folder / name), exports.written, app)
    for name in ("chart.graphml", "chart.gexf", "chart.anx"):
        watched(f"Export > {name}", lambda name=name: exports.export_interchange(folder / name),
                exports.written, app)
    window.undo_stack.setClean()
    window.close()

    from tests.geo.route_data import route_chart
    from workbench.model import Selection
    from workbench.ui.docks.map_dock import MapDock

    chart = route_chart()
    box: list[MapDock] = []
    signal_holder = QTimer()  # a stand-in until the dock exists

    def make() -> None:
        box.append(MapDock(chart, Selection()))
        box[0].routes_changed.connect(signal_holder.timeout.emit)
        box[0].resize(1000, 700)
        box[0].show()  # the map is drawn when the dock is first shown

    watched("Map dock, route sample, first map", make, signal_holder.timeout, app)
    dock = box[0]
    dock.min_count.setValue(2)
    watched("Map dock, route sample, new options", dock.rebuild, dock.routes_changed, app)
    dock.view.setPage(None)
    dock.page.deleteLater()
    app.processEvents()


if __name__ == "__main__":
    main()
