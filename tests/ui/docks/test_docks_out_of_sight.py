"""Docks behind another tab draw nothing until they are brought to the front (a window's first
paint waited for every dock's picture), and then show exactly what a dock in front would."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow

from workbench.analysis import BarKind, Field, Target
from workbench.model import Selection
from workbench.ui.docks.heatmatrix_dock import HeatMatrixDock
from workbench.ui.docks.histogram_dock import HistogramDock
from workbench.ui.docks.map_dock import MapDock  # imports Qt WebEngine before the QApplication
from workbench.ui.docks.timewheel_dock import TimeWheelDock

from ...analysis.conftest import route_chart  # noqa: F401 (fixture)
from .test_map_dock import wait_loaded

ORANGE = (0xe8 / 255, 0x77 / 255, 0x2e / 255)  # the selected part of a bar


def tabbed(qtbot, front, *behind) -> QMainWindow:
    """A shown window with ``front`` in front of the ``behind`` docks, tabbed together."""
    window = QMainWindow()
    qtbot.addWidget(window)
    window.setCentralWidget(QLabel("chart"))
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, front)
    for dock in behind:
        window.tabifyDockWidget(front, dock)
    front.raise_()
    window.resize(1000, 900)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(20)  # the docks are laid out and told what is in sight
    return window


def test_a_histogram_behind_a_tab_shows_the_right_bars_when_first_raised(
        qtbot, route_chart):  # noqa: F811
    selection = Selection()
    histogram = HistogramDock(route_chart, selection)
    wheel = TimeWheelDock(route_chart, selection)
    window = tabbed(qtbot, wheel, histogram)
    assert wheel.plot is not None  # the dock in front is drawn
    histogram.choose(Field("from", Target.LINKS), top=5)
    china = {i for i, lk in route_chart.links.items()
             if route_chart.entities[lk.end1].label == "China"}
    selection.set([], china)
    bars = histogram.histogram.bars
    assert bars[0].label == "China"  # counted while behind the tab...
    assert histogram._plot is None  # ...but not drawn
    histogram.raise_()
    qtbot.waitUntil(lambda: histogram._plot is not None, timeout=5000)
    axes = histogram._plot.axes
    assert [t.get_text() for t in axes.get_yticklabels()] == [b.label for b in bars]
    drawn = {p.get_width() for p in axes.patches}  # ("Other" is drawn cut, with its count)
    assert {b.value for b in bars if b.kind is BarKind.VALUE} <= drawn
    selected = [p.get_width() for p in axes.patches if p.get_facecolor()[:3] == ORANGE]
    assert max(selected) == bars[0].value == len(china)
    assert histogram.in_sight() and window.isVisible()


def test_a_dock_behind_a_tab_exports_and_copies_what_it_counts(qtbot, route_chart,  # noqa: F811
                                                               tmp_path):
    matrix = HeatMatrixDock(route_chart, Selection())
    wheel = TimeWheelDock(route_chart, Selection())
    window = tabbed(qtbot, HistogramDock(route_chart, Selection()), matrix, wheel)
    assert matrix._axes is None and wheel.plot is None
    path = matrix.export(tmp_path / "matrix.png")
    assert path.read_bytes().startswith(b"\x89PNG") and matrix._axes is not None
    assert not wheel.copy_to_clipboard().isNull() and wheel.plot is not None
    assert not wheel.in_sight() and window.isVisible()


def test_the_map_behind_a_tab_starts_its_page_and_draws_when_first_raised(
        qtbot, route_chart):  # noqa: F811
    selection = Selection()
    histogram = HistogramDock(route_chart, selection)
    dock = MapDock(route_chart, selection)
    window = tabbed(qtbot, histogram, dock)
    try:
        assert dock.view is None and dock.route_map is None and not dock.drawing()
        dock.raise_()
        wait_loaded(qtbot, dock)
        assert dock.route_map is not None and dock.route_map.segments
        assert " legs, " in dock.status.text() and window.isVisible()
    finally:
        if dock.page is not None:
            dock.view.setPage(None)
            dock.page.deleteLater()
            qtbot.wait(50)
