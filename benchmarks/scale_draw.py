"""The drawing half of bench_scale.py: one chart size in one process (peak memory is the
process's own), the window's scene beside plain QGraphicsItems and raw QPainter.

Printed per size (CPU time of the process, steadier than wall time on a shared machine):
scene build, first paint at fit, repaint at fit, at 45% and at 100% over the densest part,
and at each of those a pan frame (40 pixels and Qt's repaint of what scrolled in) and a zoom
frame (a wheel notch) as the analyst sees them while moving (on a chart too slow to draw every
frame, the view's last picture moved: ``kept_picture.py``), each with the CPU time to the
resting picture after it (the labels placed and the chart drawn for real, once the view has
paused 80 ms, which costs no CPU), and the longest the window stood still coming to rest
after a pan (the picture at rest of a big chart is drawn a step at a time), 20 clicks picked
(``item_at``), the first of them (which builds the spatial index), a click through Qt's mouse
handling, a rubber band over the dense part (what the view's band asks at each mouse move),
the labels placed at 45% and 100% (what the view does when it rests after a pan or zoom),
and the peak memory. The anchors draw the same shapes (a circle per entity, a line per link)
as plain ``QGraphicsEllipseItem``/``QGraphicsLineItem`` in a scene with Qt's default index,
and as ``drawLines``/``drawEllipse`` calls straight into an image.
"""

from __future__ import annotations

import itertools
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from bench_labels import placement_ms
from PySide6.QtCore import QEventLoop, QLineF, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsEllipseItem,
    QGraphicsLineItem,
    QGraphicsScene,
    QGraphicsView,
)

from workbench.model import Chart, Selection
from workbench.view import ChartScene, ChartView

WIDTH, HEIGHT = 1400, 900
CLICKS = 20


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def repaint_ms(view: QGraphicsView, rounds: int = 5) -> float:
    """Median of full repaints of the viewport, after one to warm caches."""
    view.viewport().repaint()
    times = []
    for _ in range(rounds):
        start = time.process_time()
        view.viewport().repaint()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def settle(app: QApplication, view: QGraphicsView) -> None:
    """Wait, idle, until the view has rested and drawn its resting picture (to its last
    band: ``kept_picture.py``)."""
    if isinstance(view, ChartView):
        while not view.at_rest():
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    app.processEvents()


def frame_ms(app: QApplication, view: QGraphicsView, step: Callable[[int], None],
             rounds: int = 6) -> tuple[float, float]:
    """Median CPU time of one frame of ``step(k)`` (a pan or a zoom) and the repaint Qt
    makes of it (of what scrolled into view, after a pan), and of the view coming to rest
    after it (nan for plain Qt items, which draw everything in the frame)."""
    settle(app, view)
    frames, rests = [], []
    for k in range(rounds):
        start = time.process_time()
        step(k)
        app.processEvents()
        frames.append(time.process_time() - start)
        start = time.process_time()
        settle(app, view)
        rests.append(time.process_time() - start)
    rest = statistics.median(rests) * 1000 if isinstance(view, ChartView) else float("nan")
    return statistics.median(frames) * 1000, rest


def wait_ms(app: QApplication, view: QGraphicsView, step: Callable[[int], None],
            rounds: int = 3) -> float:
    """The longest the window stood still (CPU time between two turns of its event loop,
    seen by a 5 ms timer) while coming to rest after ``step(k)``: how long a wheel notch or
    a click made then waits. Median over the rounds; nan for plain Qt items."""
    if not isinstance(view, ChartView):
        return float("nan")
    settle(app, view)
    turns: list[float] = []
    probe = QTimer()
    probe.setInterval(5)
    probe.timeout.connect(lambda: turns.append(time.process_time()))
    probe.start()
    longest = []
    for k in range(rounds):
        step(k)
        app.processEvents()
        turns.clear()
        start = time.process_time()
        settle(app, view)
        marks = [start, *turns, time.process_time()]
        longest.append(max(b - a for a, b in itertools.pairwise(marks)))
    probe.stop()
    return statistics.median(longest) * 1000


def pan_and_zoom(app: QApplication, view: QGraphicsView) -> dict[str, float]:
    """A pan by 40 pixels (back and forth) and a wheel notch in and out, about the centre:
    the frame and the time to the resting picture of each, and the longest the window
    stood still coming to rest after a pan."""
    bar = view.horizontalScrollBar()

    def pan(k: int) -> None:
        bar.setValue(bar.value() + (40 if k % 2 == 0 else -40))

    def zoom(k: int) -> None:
        factor = 1.2 if k % 2 == 0 else 1 / 1.2
        if isinstance(view, ChartView):
            view.zoom_by(factor)
        else:
            view.scale(factor, factor)

    (pan_frame, pan_rest), (zoom_frame, zoom_rest) = frame_ms(app, view, pan), frame_ms(
        app, view, zoom)
    return {"pan": pan_frame, "pan rest": pan_rest, "zoom": zoom_frame,
            "zoom rest": zoom_rest, "wait": wait_ms(app, view, pan)}


def densest(chart: Chart, zoom: float) -> QPointF:
    """The centre of the window-sized area at this zoom holding the most entities."""
    xy = np.array([(e.x, e.y) for e in chart.entities.values()])
    w, h = WIDTH / zoom, HEIGHT / zoom
    ix = np.floor((xy[:, 0] - xy[:, 0].min()) / w).astype(int)
    iy = np.floor((xy[:, 1] - xy[:, 1].min()) / h).astype(int)
    cells = ix * (iy.max() + 1) + iy
    best = np.bincount(cells).argmax()
    inside = xy[cells == best]
    return QPointF(float(inside[:, 0].mean()), float(inside[:, 1].mean()))


def visible_entities(chart: Chart, view: QGraphicsView) -> int:
    rect = view.mapToScene(view.viewport().rect()).boundingRect()
    return sum(1 for e in chart.entities.values() if rect.contains(e.x, e.y))


def views(app: QApplication, zoom: float, centre: QPointF,
          view: QGraphicsView, fit: Callable[[], None]) -> dict[str, float]:
    """Repaint times at fit, at 45% and at 100% over ``centre``."""
    out = {}
    fit()
    app.processEvents()
    settle(app, view)
    out["fit"] = repaint_ms(view)
    out.update((f"{k} fit", v) for k, v in pan_and_zoom(app, view).items())
    for name, level in (("45%", 0.45), ("100%", 1.0)):
        view.resetTransform()
        view.scale(level, level)
        if isinstance(view, ChartView):
            view.set_zoom(level)
        view.centerOn(centre)
        app.processEvents()
        if isinstance(view, ChartView):  # what the view does when it rests after a move
            view.place_labels()  # the first pass after a move, then the timed ones
            out[f"labels {name}"] = placement_ms(view)
        settle(app, view)
        out[name] = repaint_ms(view)
        out.update((f"{k} {name}", v) for k, v in pan_and_zoom(app, view).items())
        view.resetTransform()
        view.scale(level, level)
        if isinstance(view, ChartView):
            view.set_zoom(level)
        view.centerOn(centre)
        app.processEvents()
    return out


def ours(chart: Chart, app: QApplication) -> dict[str, float]:
    out: dict[str, float] = {}
    start = time.process_time()
    scene = ChartScene(chart, Selection())
    out["build"] = time.process_time() - start
    view = ChartView(scene)
    view.resize(WIDTH, HEIGHT)
    view.show()
    start = time.process_time()
    app.processEvents()
    view.zoom_to_fit()
    view.viewport().repaint()
    out["first"] = time.process_time() - start
    centre = densest(chart, 1.0)
    out.update(views(app, 1.0, centre, view, view.zoom_to_fit))
    out["in view"] = visible_entities(chart, view)  # at 100% over the dense part
    # Clicks: on entities in view, on empty space and on links (between entity pairs).
    rect = view.mapToScene(view.viewport().rect()).boundingRect()
    inside = [e for e in chart.entities.values() if rect.contains(e.x, e.y)][:CLICKS // 2]
    points = [QPointF(e.x, e.y) for e in inside]
    points += [QPointF(rect.left() + rect.width() * k / CLICKS, rect.center().y())
               for k in range(CLICKS - len(points))]
    transform = view.transform()
    start = time.process_time()
    scene.item_at(points[0], transform)  # the first question builds the spatial index
    out["first click"] = (time.process_time() - start) * 1000
    start = time.process_time()
    for point in points:
        scene.item_at(point, transform)
    out["clicks"] = (time.process_time() - start) * 1000
    start = time.process_time()  # the same clicks through Qt's mouse handling, as a user's
    for point in points:
        QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier, view.mapFromScene(point))
    out["mouse"] = (time.process_time() - start) * 1000 / len(points)
    band = QRectF(rect.center().x() - 200, rect.center().y() - 150, 400, 300)
    scene.clearSelection()
    start = time.process_time()  # what the view's band asks at each mouse move
    scene.select_in(band)
    out["band"] = (time.process_time() - start) * 1000
    out["selected"] = len(scene.selection.entities) + len(scene.selection.links)
    out["memory"] = peak_mb()
    return out


def plain(chart: Chart, app: QApplication) -> dict[str, float]:
    """The same circles and lines as plain Qt items (the issue's anchor)."""
    scene = QGraphicsScene()
    pen = QPen(QColor("#555555"), 1.4)
    for link in chart.links.values():
        a, b = chart.entities[link.end1], chart.entities[link.end2]
        item = QGraphicsLineItem(a.x, a.y, b.x, b.y)
        item.setPen(pen)
        scene.addItem(item)
    brush = QColor("#1e88e5")
    for entity in chart.entities.values():
        item = QGraphicsEllipseItem(entity.x - 16, entity.y - 16, 32, 32)
        item.setBrush(brush)
        scene.addItem(item)
    view = QGraphicsView(scene)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.resize(WIDTH, HEIGHT)
    view.show()
    app.processEvents()
    view.viewport().repaint()
    centre = densest(chart, 1.0)
    return views(app, 1.0, centre, view,
                 lambda: view.fitInView(scene.itemsBoundingRect(),
                                        Qt.AspectRatioMode.KeepAspectRatio))


def painter(chart: Chart) -> dict[str, float]:
    """The same shapes drawn straight into an image: the floor for any item scene."""
    xy = {e.id: QPointF(e.x, e.y) for e in chart.entities.values()}
    lines = [QLineF(xy[lk.end1], xy[lk.end2]) for lk in chart.links.values()]
    points = list(xy.values())
    centre = densest(chart, 1.0)
    xs = [p.x() for p in points]
    ys = [p.y() for p in points]
    bounds = QRectF(min(xs), min(ys), max(xs) - min(xs) or 1, max(ys) - min(ys) or 1)
    fit = min(WIDTH / bounds.width(), HEIGHT / bounds.height())
    out = {}
    for name, level, at in (("fit", fit, bounds.center()), ("45%", 0.45, centre),
                            ("100%", 1.0, centre)):
        image = QImage(WIDTH, HEIGHT, QImage.Format.Format_ARGB32_Premultiplied)
        times = []
        for _ in range(3):
            image.fill(QColor("white"))
            start = time.process_time()
            p = QPainter(image)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.translate(WIDTH / 2, HEIGHT / 2)
            p.scale(level, level)
            p.translate(-at.x(), -at.y())
            p.setPen(QPen(QColor("#555555"), 1.4))
            p.drawLines(lines)
            p.setBrush(QColor("#1e88e5"))
            for point in points:
                p.drawEllipse(point, 16.0, 16.0)
            p.end()
            times.append(time.process_time() - start)
        out[name] = statistics.median(times) * 1000
    return out


def main() -> None:
    """Called by bench_scale.py in a child process: ``scale_draw.py SIZE``; prints JSON."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_scale import laid_out_chart

    size = int(sys.argv[1])
    app = QApplication.instance() or QApplication([])
    chart = laid_out_chart(size)
    result = {"ours": ours(chart, app)}
    if "--anchors" in sys.argv:
        result["plain"] = plain(chart, app)
        result["painter"] = painter(chart)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
