"""Labels in the heat matrix and histogram docks never run into each other: measured on the
drawn text (matplotlib's extents), at the size the docks start at on a 1366x768 laptop."""

from __future__ import annotations

import html

from matplotlib.backend_bases import MouseEvent
from matplotlib.text import Text

from workbench.analysis import Field, SortBy, Target
from workbench.io import load_chart
from workbench.model import Selection
from workbench.ui.docks.heatmatrix_dock import HeatMatrixDock
from workbench.ui.docks.histogram_dock import HistogramDock

from ..conftest import REPO

CALLS = REPO / "sample_charts" / "call-records.wbchart"
ROUTES = REPO / "sample_charts" / "trafficking-routes.wbchart"
LAPTOP_DOCK = (990, 330)  # the analysis docks under the chart on a 1366x768 screen


def boxes(labels: list[Text], renderer) -> list:
    return [label.get_window_extent(renderer) for label in labels if label.get_text()]


def overlapping(extents: list) -> list[tuple[int, int]]:
    """Pairs of label boxes that share pixels (a smear a reader cannot read)."""
    return [(i, j) for i, a in enumerate(extents) for j, b in enumerate(extents[i + 1:], i + 1)
            if a.overlaps(b)]


def shown(qtbot, dock, size=LAPTOP_DOCK):
    qtbot.addWidget(dock)
    dock.resize(*size)
    dock.show()
    qtbot.waitExposed(dock)
    sight = getattr(dock, "sight", None)  # a counting dock draws once it is in sight
    qtbot.waitUntil(lambda: sight is None or not sight.owed)
    return dock


def test_heat_matrix_labels_never_overlap_on_the_call_records(qtbot):
    dock = shown(qtbot, HeatMatrixDock(load_chart(CALLS), Selection()))
    matrix = dock.matrix
    # the top 20 callers and receivers by default, the rest together as Other
    assert len(matrix.rows) == len(matrix.columns) == 21
    assert matrix.rows[-1].startswith("Other (") and matrix.columns[-1].startswith("Other (")
    qtbot.waitUntil(lambda: dock.canvas.height() >= dock.canvas.minimumHeight())
    dock.canvas.draw()
    renderer = dock.canvas.get_renderer()
    rows = boxes(dock._axes.get_yticklabels(), renderer)
    columns = boxes(dock._axes.get_xticklabels(), renderer)
    assert len(rows) == 21 and len(columns) == 21  # every label drawn, none thinned out
    assert overlapping(rows) == []
    assert overlapping(columns) == []
    # the dock scrolls to what does not fit, rather than squeezing the labels together
    assert dock.scroll.verticalScrollBar().maximum() > 0


def test_a_shortened_heat_matrix_label_shows_its_whole_text(qtbot):
    chart = load_chart(ROUTES)
    dock = shown(qtbot, HeatMatrixDock(chart, Selection()), (1200, 900))
    dock.choose(Field("from", Target.LINKS), Field("to", Target.LINKS), top=40)
    long_name = next(name for name in dock.matrix.rows if len(name) > 28)
    qtbot.waitUntil(lambda: dock.canvas.height() >= dock.canvas.minimumHeight())
    dock.canvas.draw()
    index = dock.matrix.rows.index(long_name)
    label = dock._axes.get_yticklabels()[index]
    assert label.get_text() != long_name and label.get_text().endswith("...")
    box = label.get_window_extent(dock.canvas.get_renderer())
    x, y = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    assert dock.full_label_at(x, y) == long_name
    # the pointer resting on the label (as matplotlib reports it from the canvas)
    MouseEvent("motion_notify_event", dock.canvas, x, y)._process()
    assert dock.canvas.toolTip() == html.escape(long_name)
    MouseEvent("motion_notify_event", dock.canvas, 2, 2)._process()
    assert dock.canvas.toolTip() == ""


def test_histogram_date_labels_are_thinned_to_fit_the_width(qtbot):
    dock = shown(qtbot, HistogramDock(load_chart(ROUTES), Selection()), (520, 330))
    dock.choose(Field("date", Target.LINKS), bin="month", sort=SortBy.VALUE, top=0)
    bars = len(dock.histogram.bars)
    assert bars > 40
    dock.canvas.draw()
    labels = boxes(dock._plot.axes.get_xticklabels(), dock.canvas.get_renderer())
    assert overlapping(labels) == []
    assert 5 <= len(labels) < bars  # thinned, not dropped


def test_histogram_bar_labels_never_overlap_in_a_short_dock(qtbot):
    dock = shown(qtbot, HistogramDock(load_chart(ROUTES), Selection()))
    dock.choose(Field("to", Target.LINKS), top=30)
    qtbot.waitUntil(lambda: dock.canvas.height() >= dock.canvas.minimumHeight())
    dock.canvas.draw()
    labels = boxes(dock._plot.axes.get_yticklabels(), dock.canvas.get_renderer())
    assert len(labels) == len(dock.histogram.bars) == 31
    assert overlapping(labels) == []
    assert all(box.x0 >= 0 for box in labels)  # none cut at the left edge
