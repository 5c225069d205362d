"""Timeline speed: the call-records sample (9,834 calls, 400 handsets) and 100,000 events.

Prints figures; run on a quiet machine: ``python benchmarks/bench_timeline.py``.
Targets (2 cores): the call-records timeline read and drawn in under 1 s; 100,000 events in
under 3 s; each zoom or pan step redrawn well within a frame budget of 0.1 s once read.
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication

from workbench.io import load_chart
from workbench.model import Chart, Direction, Link
from workbench.view.timeline_axis import TimeAxis
from workbench.view.timeline_data import build, busiest_entities
from workbench.view.timeline_paint import Viewport, paint
from workbench.view.timeline_widget import MAX_ROW, MIN_ROW

REPO = Path(__file__).resolve().parents[1]
SIZE = (1600, 900)


def timed(label: str, action):
    start = time.perf_counter()
    result = action()
    print(f"{label:<52} {time.perf_counter() - start:6.3f} s")
    return result


def draw(chart: Chart, themes: list[str], zoom: float = 1.0):
    """Read the chart into timeline columns, lay out the axis and paint one frame."""
    data = build(chart, themes)
    axis = TimeAxis(data.start, data.end)
    image = QImage(*SIZE, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    span = axis.length / zoom
    # rows as the dock lays them out: at least MIN_ROW high, the rest scrolled to
    row = min(max((SIZE[1] - 62) / max(len(themes), 1), MIN_ROW), MAX_ROW)
    view = Viewport(SIZE[0], SIZE[1], 0.0, span, row_height=row)
    painter = QPainter(image)
    drawn = paint(painter, data, axis, view)
    painter.end()
    return data, axis, view, drawn


def repaint(data, axis, view) -> object:
    image = QImage(*SIZE, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    drawn = paint(painter, data, axis, view)
    painter.end()
    return drawn


def zoom_to(view: Viewport, axis: TimeAxis, zoom: float) -> None:
    """A window 1/zoom of the whole, around its middle."""
    middle, half = axis.length / 2, axis.length / zoom / 2
    view.u0, view.u1 = middle - half, middle + half


def synthetic(events: int, people: int = 60) -> Chart:
    """``events`` dated calls among ``people`` over a year, at random minutes."""
    rng = random.Random(7)
    chart = Chart("100,000 events")
    ids = [chart.make_entity("Phone", f"+4477009{n:05d}").id for n in range(people)]
    start = datetime(2024, 1, 1)
    links = []
    for n in range(events):
        a, b = rng.sample(ids, 2)
        links.append(Link(f"x{n}", a, b, "Calls", direction=Direction.FORWARD,
                          date=start + timedelta(minutes=rng.randrange(365 * 24 * 60))))
    chart.add_links(links)
    return chart


def main() -> None:
    QApplication.instance() or QApplication([])
    calls = timed("load call-records.wbchart", lambda: load_chart(
        REPO / "sample_charts" / "call-records.wbchart"))
    busiest = busiest_entities(calls)
    timed("warm-up (fonts)", lambda: draw(calls, busiest))
    data, axis, view, drawn = timed("call records: 12 busiest handsets, read + drawn",
                                    lambda: draw(calls, busiest))
    print(f"{'':<52} {len(data):,} events, {drawn.marks:,} marks, {drawn.labels} labels")
    everyone = list(calls.entities)
    data, axis, view, drawn = timed("call records: all 400 handsets, read + drawn",
                                    lambda: draw(calls, everyone))
    print(f"{'':<52} {len(data):,} events, {len(np.unique(drawn.index)):,} on the lines in view, "
          f"{drawn.marks:,} marks")
    view.row_height = (SIZE[1] - 62) / len(everyone)  # every line on one screen (2 px)
    drawn = timed("  all 400 lines on one screen, redrawn", lambda: repaint(data, axis, view))
    print(f"{'':<52} {len(np.unique(drawn.index)):,} events, {drawn.marks:,} marks")
    view.row_height = MIN_ROW
    for zoom in (1, 14, 14 * 24 * 6):
        zoom_to(view, axis, zoom)
        drawn = timed(f"  redraw at 1/{zoom} of the span",
                      lambda: repaint(data, axis, view))
        print(f"{'':<52} {len(drawn.index):,} events in view, {drawn.marks:,} marks")
    big = timed("synthetic chart: 100,000 calls among 60 phones", lambda: synthetic(100_000))
    data, axis, view, drawn = timed("100,000 events: read + drawn",
                                    lambda: draw(big, list(big.entities)))
    print(f"{'':<52} {len(data):,} events, {len(np.unique(drawn.index)):,} on the lines in view, "
          f"{drawn.marks:,} marks")
    view.row_height = (SIZE[1] - 62) / len(big.entities)
    drawn = timed("  all 60 lines on one screen, redrawn", lambda: repaint(data, axis, view))
    print(f"{'':<52} {len(np.unique(drawn.index)):,} events, {drawn.marks:,} marks")
    for zoom in (12, 365, 365 * 24):
        zoom_to(view, axis, zoom)
        drawn = timed(f"  redraw at 1/{zoom} of the year",
                      lambda: repaint(data, axis, view))
        print(f"{'':<52} {len(drawn.index):,} events in view, {drawn.marks:,} marks")


if __name__ == "__main__":
    main()
