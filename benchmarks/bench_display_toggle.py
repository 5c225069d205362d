"""Summarise Parallel Links toggled with a histogram selection on the routes sample.

Issue 12: with the 229 links of one histogram bar selected (destination Sweden), toggling
View > Chart Display > Summarise Parallel Links froze the window for 70 s and left 47 links
selected. Target on a 2-core machine: each toggle under 0.5 s, the selection exactly the 229
links after each. The repaint that follows is printed apart (drawing 23,046 separate links at
fit is issue 15's business), as is a repaint of the routes sample at fit before any toggle.
Run: ``python benchmarks/bench_display_toggle.py`` (Qt runs offscreen unless a display is set).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

SAMPLE = REPO / "sample_charts" / "trafficking-routes.wbchart"


def repaint_ms(app: QApplication, view, rounds: int = 5) -> float:
    view.viewport().repaint()
    times = []
    for _ in range(rounds):
        start = time.process_time()
        view.viewport().repaint()
        times.append(time.process_time() - start)
    app.processEvents()
    return statistics.median(times) * 1000


def main() -> None:
    app = QApplication.instance() or QApplication([])
    from workbench.analysis.fields import resolve_field
    from workbench.analysis.histogram import histogram
    from workbench.io import load_chart
    from workbench.model import Selection
    from workbench.view import ChartScene, ChartView

    chart = load_chart(SAMPLE)
    selection = Selection()
    heard = []
    selection.changed.connect(lambda: heard.append(1))
    scene = ChartScene(chart, selection)
    view = ChartView(scene)
    view.resize(1600, 1000)
    view.show()
    app.processEvents()
    view.zoom_to_fit()
    app.processEvents()
    print(f"routes sample: {len(chart.entities):,} entities, {len(chart.links):,} links; "
          f"fitted at {view.zoom_level():.2f} in 1600x1000 "
          f"(overview level of detail: {scene.is_overview()})")
    print(f"repaint at fit (summarised):            {repaint_ms(app, view):7.1f} ms CPU")
    bar = next(b for b in histogram(chart, resolve_field(chart, "to")).bars
               if b.label == "Sweden")
    links = frozenset(i for i in bar.ids if i in chart.links)
    scene.set_link_summary(False)  # selected while the links are drawn one by one ...
    app.processEvents()
    selection.set(links=links)
    heard.clear()
    for on in (True, False, True, False):  # ... then summarised and back
        start, start_cpu = time.perf_counter(), time.process_time()
        scene.set_link_summary(on)
        wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        start = time.perf_counter()
        app.processEvents()
        paint = time.perf_counter() - start
        exact = "exact" if selection.links == links else f"{len(selection.links)} (WRONG)"
        print(f"summary {'on ' if on else 'off'}: {wall:5.2f} s wall, {cpu:5.2f} s CPU "
              f"(target < 0.5 s); then repaint {paint:5.2f} s; selection {len(links)} "
              f"links {exact}")
    print(f"selection changes heard by the docks: {len(heard)}")
    print(f"repaint at fit (summarised, selected):  {repaint_ms(app, view):7.1f} ms CPU")
    scene.detach()


if __name__ == "__main__":
    main()
