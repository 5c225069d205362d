"""Build and repaint a 10,000-entity, 20,000-link chart; print seconds per step.

Targets on a 2-core machine: scene built in under 1 s; a repaint zoomed in (about 1,000
items visible) under 16 ms; a repaint zoomed to fit under 100 ms (the overview level of
detail draws the zoomed-out chart in batches instead of 30,000 paint() calls).
Run: ``python benchmarks/bench_canvas.py`` (Qt runs offscreen unless a display is set).
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

from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QApplication

from workbench.model import Chart, Direction, Entity, Link, Selection, Strength
from workbench.view import ChartScene, ChartView

N_ENTITIES, N_LINKS = 10_000, 20_000
TYPES = ("Person", "Phone", "Email", "Account", "Advert", "Location")
LINK_TYPES = ("Associate", "Calls", "Emails", "Pays", "Posts", "Located at")
SPACING = 150.0


def build_chart() -> Chart:
    """Entities on a jittered grid, links mostly to near neighbours (as after a layout)."""
    rng = random.Random(11)
    side = int(N_ENTITIES ** 0.5)
    chart = Chart("canvas benchmark")
    entities = []
    for i in range(N_ENTITIES):
        x = (i % side) * SPACING + rng.uniform(-40, 40)
        y = (i // side) * SPACING + rng.uniform(-40, 40)
        kind = TYPES[rng.randrange(len(TYPES))]
        entities.append(Entity(f"e{i}", kind, f"{kind} {i}", x=x, y=y))
    chart.add_entities(entities)
    links = []
    for j in range(N_LINKS):
        a = rng.randrange(N_ENTITIES)
        b = min(max(a + rng.choice((-1, 1, side, -side, side + 1, 2)), 0), N_ENTITIES - 1)
        if a == b:
            b = (a + 1) % N_ENTITIES
        links.append(Link(f"l{j}", f"e{a}", f"e{b}", LINK_TYPES[j % len(LINK_TYPES)],
                          label=f"{j}" if j % 5 == 0 else "",
                          direction=Direction.FORWARD if j % 3 else Direction.NONE,
                          strength=(Strength.CONFIRMED, Strength.UNCONFIRMED,
                                    Strength.TENTATIVE)[j % 3]))
    chart.add_links(links)
    return chart


def repaint_ms(app: QApplication, view: ChartView, rounds: int = 15) -> str:
    """Median wall time and CPU time of one full repaint (CPU time is steadier when other
    programs share the machine)."""
    view.viewport().repaint()  # warm the icon cache and batches
    wall, cpu = [], []
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        view.viewport().repaint()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    app.processEvents()
    return (f"{statistics.median(wall) * 1000:.1f} ms wall, "
            f"{statistics.median(cpu) * 1000:.1f} ms CPU")


def peak_mb() -> float:
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024**2 if sys.platform == "darwin" else rss / 1024


def visible_items(view: ChartView) -> int:
    rect = view.mapToScene(view.viewport().rect()).boundingRect()
    return sum(1 for i in view.scene().items(rect) if hasattr(i, "item_id") and i.isVisible())


def main() -> None:
    app = QApplication.instance() or QApplication([])
    chart = build_chart()
    start, start_cpu = time.perf_counter(), time.process_time()
    scene = ChartScene(chart, Selection())
    build_s, build_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    view = ChartView(scene)
    view.resize(1400, 900)
    view.show()
    app.processEvents()
    start = time.perf_counter()
    view.zoom_to_fit()
    view.viewport().repaint()  # Qt indexes the items on the first paint
    first_s = time.perf_counter() - start
    print(f"{N_ENTITIES:,} entities, {N_LINKS:,} links")
    print(f"scene build:                {build_s:.2f} s wall, {build_cpu:.2f} s CPU "
          "(target < 1 s)")
    print(f"first paint, zoomed to fit (the overview's batches): {first_s:.2f} s")

    view.set_zoom(0.45)
    view.centerOn(QRectF(scene.chart_rect()).center())
    app.processEvents()
    print(f"repaint zoomed in:          {repaint_ms(app, view)} "
          f"({visible_items(view):,} items visible, zoom {view.zoom_level():.2f}, "
          "target < 16 ms)")
    view.set_zoom(1.0)
    print(f"repaint at 100%, labels on: {repaint_ms(app, view)} "
          f"({visible_items(view):,} items visible)")

    start = time.perf_counter()
    view.zoom_to_fit()
    fit_s = time.perf_counter() - start
    print(f"zoom to fit (switch to overview): {fit_s * 1000:.0f} ms, "
          f"overview={scene.is_overview()}, zoom {view.zoom_level():.3f}")
    print(f"repaint zoomed to fit:      {repaint_ms(app, view)}   (target < 100 ms)")
    scene.set_overview(False)
    print(f"  same, item by item (no level of detail): {repaint_ms(app, view, 3)}")
    scene.set_overview(True)

    start = time.perf_counter()
    chart.move_entities({e.id: (e.x + 5.0, e.y) for e in chart.entities.values()})
    print(f"move all entities (a layout applied): {time.perf_counter() - start:.2f} s")
    start = time.perf_counter()
    scene.selection.set([f"e{i}" for i in range(0, N_ENTITIES, 2)])
    print(f"select 5,000 entities:      {(time.perf_counter() - start) * 1000:.0f} ms")
    print(f"peak memory of the process: {peak_mb():.0f} MB")
    scene.detach()


if __name__ == "__main__":
    main()
