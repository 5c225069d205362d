"""How long an analyst waits before Workbench answers: ``workbench --help`` and the window's
first paint with a sample chart, each in a fresh process, beside a bare PySide6 window.

Targets (issue 15): ``--help`` under 0.2 s; the window with a sample up and painted under
1.5 s. Prints the median wall time of three runs of each, and the modules that cost most to
import (``python -X importtime``), which is where the time goes.
Run: ``python benchmarks/bench_start.py [SAMPLE.wbchart]`` (Qt runs offscreen unless a display
is set).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_charts" / "nov13-network.wbchart"

# Run in the child: the app's own start (make_application, open_window) until the first paint
# of the chart view, then quit. Prints the seconds since the interpreter started. The window
# starts as on a first run (its own settings file), so that docks an earlier run left side by
# side do not change the figure.
WINDOW = """
import sys, tempfile, time
from PySide6.QtCore import QObject, QEvent, QSettings, QTimer
from workbench.ui.app import make_application, open_window
app = make_application()
folder = tempfile.mkdtemp()  # a first start: no dock layout or recent files of an earlier run
window = open_window([sys.argv[1]], settings=QSettings(folder + "/s.ini",
                     QSettings.Format.IniFormat), recovery_dir=folder + "/rec")
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, app.quit)
        return False
spy = FirstPaint()
window.view.viewport().installEventFilter(spy)
app.exec()
print(time.perf_counter() - START, time.process_time(), flush=True)
import os
os._exit(0)  # (Qt WebEngine may crash tearing down a page at exit; the figure is printed)
"""
BARE = """
import time
from PySide6.QtCore import QObject, QEvent, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, app.quit)
        return False
spy = FirstPaint()
window.installEventFilter(spy)
window.show()
app.exec()
print(time.perf_counter() - START, time.process_time())
"""


def child(code: str, *args: str) -> tuple[float, float]:
    """Seconds from the child's interpreter start (``START``) to what ``code`` prints, on the
    clock and of the process's CPU (steadier on a shared machine). Run in ROOT, so that the
    checkout measured is the one imported."""
    started = "import time; START = time.perf_counter()\n"
    run = subprocess.run([sys.executable, "-c", started + code, *args], capture_output=True,
                         text=True, check=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    wall, cpu = run.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


def help_seconds() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import sys; from workbench.cli import main; "
                    "sys.exit(main())", "--help"], capture_output=True, check=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    return time.perf_counter() - start


def heaviest_imports(count: int = 8) -> list[tuple[float, str]]:
    """The top-level imports of ``workbench --help`` that take longest, cumulative."""
    run = subprocess.run([sys.executable, "-X", "importtime", "-c",
                          "import sys; from workbench.cli import main; "
                          "sys.argv = ['workbench', '--help']; main()"],
                         capture_output=True, text=True, env={**os.environ, "PYTHONPATH":
                                                              str(ROOT)})
    rows = []
    for line in run.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            name = parts[2].rstrip()
            rows.append((int(parts[1]) / 1e6, name.strip(), len(name) - len(name.lstrip())))
    top = min((depth for _s, _n, depth in rows), default=0)
    return sorted(((s, n) for s, n, depth in rows if depth <= top + 2), reverse=True)[:count]


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sample = Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE
    helps = [help_seconds() for _ in range(3)]
    print(f"workbench --help: {statistics.median(helps):.2f} s (target < 0.2 s)")
    for seconds, name in heaviest_imports():
        print(f"    import {name:<40} {seconds:6.2f} s")
    bare = [child(BARE) for _ in range(3)]
    window = [child(WINDOW, str(sample.resolve())) for _ in range(3)]
    print(f"window with {sample.name}, first paint: "
          f"{statistics.median(w for w, _ in window):.2f} s, "
          f"{statistics.median(c for _, c in window):.2f} s of CPU (target < 1.5 s); a bare "
          f"PySide6 window: {statistics.median(w for w, _ in bare):.2f} s, "
          f"{statistics.median(c for _, c in bare):.2f} s of CPU")


if __name__ == "__main__":
    main()
