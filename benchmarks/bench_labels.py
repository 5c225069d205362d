"""Label placement on a 20,000-entity, 40,000-link chart: milliseconds per pass.

The view places labels again after every zoom or scroll (debounced on big charts); a pass
must stay well under a frame's worth of waiting even at fit, where every entity is a
candidate. Target on a 2-core machine: under 100 ms at fit, under 30 ms zoomed in.
Run: ``python benchmarks/bench_labels.py`` (Qt runs offscreen unless a display is set).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from workbench.model import Chart, Entity, Link, Selection
from workbench.view import ChartScene, ChartView
from workbench.view.legibility import legibility

N_ENTITIES, N_LINKS, SPACING = 20_000, 40_000, 150.0


def build_chart() -> Chart:
    rng = random.Random(5)
    side = int(N_ENTITIES ** 0.5)
    chart = Chart("labels benchmark")
    chart.add_entities([Entity(f"e{i}", "Person", f"Person number {i}",
                               x=(i % side) * SPACING + rng.uniform(-40, 40),
                               y=(i // side) * SPACING + rng.uniform(-40, 40))
                        for i in range(N_ENTITIES)])
    chart.add_links([Link(f"l{j}", f"e{a}", f"e{min(a + rng.choice((1, side)), N_ENTITIES - 1)}",
                          "Associate")
                     for j in range(N_LINKS) if (a := rng.randrange(N_ENTITIES - 1)) >= 0])
    return chart


def placement_ms(view: ChartView, rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        start = time.process_time()
        view.place_labels()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def main() -> None:
    app = QApplication.instance() or QApplication([])
    chart = build_chart()
    scene = ChartScene(chart, Selection())
    view = ChartView(scene)
    view.resize(1600, 1000)
    view.show()
    app.processEvents()
    view.zoom_to_fit()
    app.processEvents()
    print(f"{N_ENTITIES:,} entities, {N_LINKS:,} links, 1600x1000 view")
    print(f"placement at fit (zoom {view.zoom_level():.3f}): {placement_ms(view):6.1f} ms CPU "
          f"(target < 100 ms); {legibility(view)}")
    view.set_zoom(0.5)
    app.processEvents()
    print(f"placement at 50 %:            {placement_ms(view):6.1f} ms CPU "
          f"(target < 30 ms); {legibility(view)}")
    scene.detach()


if __name__ == "__main__":
    main()
