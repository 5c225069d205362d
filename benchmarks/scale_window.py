"""The window half of bench_scale.py: ``workbench CHART`` on one chart size, in one process.

Printed (CPU time of the process: the machine is shared, and wall time there measures the
neighbours): the whole open, from ``open_window`` until the window is shown, painted at fit
and the dock in front has counted the chart; of which reading the file, building the scene,
the counting docks, and the first paint at fit; then peak memory. The parts are timed by
wrapping the functions the window calls (the load, the scene, each dock's count), so they
add up to less than the whole (the window's own set-up, Qt's events).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings

SPENT: dict[str, float] = defaultdict(float)


def timed(owner: object, name: str, part: str) -> None:
    """Add the CPU time of ``owner.name`` to SPENT[part] each time it runs."""
    real: Callable[..., object] = getattr(owner, name)

    def run(*args: object, **kwargs: object) -> object:
        start = time.process_time()
        try:
            return real(*args, **kwargs)
        finally:
            SPENT[part] += time.process_time() - start

    setattr(owner, name, run)


def main() -> None:
    """``scale_window.py SIZE``: prints JSON."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_scale import laid_out_chart
    from scale_draw import peak_mb

    from workbench.io import save_chart
    from workbench.ui.app import make_application, open_window
    from workbench.ui.docks import heatmatrix_dock, histogram_dock, timewheel_dock
    from workbench.ui.window import canvas, file_ops
    from workbench.view.view import ChartView

    size = int(sys.argv[1])
    folder = Path(tempfile.mkdtemp())
    path = folder / f"chart_{size}.wbchart"
    save_chart(laid_out_chart(size), path)
    app = make_application()
    timed(file_ops, "load_chart", "load")
    timed(canvas, "ChartScene", "scene")
    for module, name in ((histogram_dock, "histogram"), (heatmatrix_dock, "heat_matrix"),
                         (timewheel_dock, "time_wheel")):
        timed(module, name, "docks")
    timed(ChartView, "paintEvent", "paint")
    before = peak_mb()
    start = time.process_time()
    window = open_window([str(path)], settings=QSettings(str(folder / "s.ini"),
                                                         QSettings.Format.IniFormat),
                         recovery_dir=folder / "recovery")
    histogram = window.workspace.histogram
    while histogram.histogram is None or histogram.histogram.counted == 0 \
            or not SPENT["paint"]:
        app.processEvents()
    app.processEvents()
    total = time.process_time() - start
    print(json.dumps({"open": total, "load": SPENT["load"], "scene": SPENT["scene"],
                      "docks": SPENT["docks"], "paint": SPENT["paint"],
                      "memory": peak_mb(), "before": before}))
    window.undo_stack.setClean()
    window.close()


if __name__ == "__main__":
    main()
