"""Counting docks behind another tab wait until they are brought forward, then show exactly
what a dock in sight would have shown (issue 12: Select All, Select Linked and Delete held
the window while the hidden heat matrix and time wheel redrew)."""

from __future__ import annotations

from matplotlib.patches import Rectangle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow

from workbench.analysis import Field, Target
from workbench.analysis.subchart import subchart
from workbench.model import Selection
from workbench.ui.docks.heatmatrix_dock import OUTLINE, HeatMatrixDock
from workbench.ui.docks.histogram_dock import HistogramDock

from ...analysis.conftest import route_chart  # noqa: F401 (fixture)


def outlined(dock: HeatMatrixDock) -> int:
    """Selected cells outlined in the drawn matrix (none while it is not drawn)."""
    if dock._axes is None:
        return 0
    return sum(1 for p in dock._axes.patches if isinstance(p, Rectangle)
               and not p.get_fill() and p.get_edgecolor()[:3] != (1.0, 1.0, 1.0)
               and abs(p.get_linewidth() - 2.2) < 1e-6)


def in_sight(dock) -> bool:
    """On screen: a tab behind another is "visible" to Qt, with nothing of it in sight."""
    return dock.isVisible() and not dock.visibleRegion().isEmpty()


def tabbed(qtbot, chart, selection):
    window = QMainWindow()
    qtbot.addWidget(window)
    histogram = HistogramDock(chart, selection, window)
    matrix = HeatMatrixDock(chart, selection, window)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, histogram)
    window.tabifyDockWidget(histogram, matrix)
    window.resize(1200, 900)
    window.show()
    histogram.raise_()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: in_sight(histogram) and not in_sight(matrix))
    return window, histogram, matrix


def test_a_dock_behind_a_tab_catches_up_when_brought_forward(qtbot, route_chart):  # noqa: F811
    selection = Selection()
    _window, _histogram, matrix = tabbed(qtbot, route_chart, selection)
    matrix.choose(Field("from", Target.LINKS), Field("to", Target.LINKS), top=8)
    assert OUTLINE and outlined(matrix) == 0
    top = matrix.matrix.cells[(0, 0)]
    chosen = [i for i in top if i in route_chart.links]
    selection.set(links=chosen)
    assert outlined(matrix) == 0  # behind the histogram: not drawn for nothing
    matrix.raise_()
    qtbot.waitUntil(lambda: in_sight(matrix) and outlined(matrix) == 1)  # brought forward:
    # the selected route is outlined
    assert matrix.matrix.selected_counts(frozenset(chosen))[0, 0] == len(chosen)


def test_an_unseen_dock_counting_the_selection_recounts_when_shown(qtbot, route_chart):  # noqa: F811
    route_chart = subchart(route_chart, list(route_chart.entities), list(route_chart.links))
    selection = Selection()  # (a copy of the shared chart: this test edits it)
    _window, histogram, matrix = tabbed(qtbot, route_chart, selection)
    matrix.choose(Field("from", Target.LINKS), Field("Year", Target.LINKS))
    matrix.scope_box.setCurrentIndex(1)  # count the selected items only
    chosen = [lid for lid, lk in route_chart.links.items()
              if lk.attributes["Year"].value == 2012][:50]
    selection.set([], chosen)
    matrix.raise_()
    qtbot.waitUntil(lambda: in_sight(matrix) and not matrix.sight.owed)
    assert matrix.matrix.counts.sum() == 50 and matrix.matrix.columns == ["2012"]
    # an edit to the chart while the dock is behind is counted when it is shown again
    histogram.raise_()
    qtbot.waitUntil(lambda: not in_sight(matrix))
    route_chart.remove_links(chosen[:10])
    matrix.raise_()
    qtbot.waitUntil(lambda: in_sight(matrix) and not matrix.sight.owed)
    assert matrix.matrix.counts.sum() == 40


def test_the_map_and_timeline_behind_a_tab_rebuild_once_when_brought_forward(qtbot):
    """What the map and the timeline docks do with a chart change while behind a tab: one
    rebuild when they are shown, none while unseen."""
    from PySide6.QtWidgets import QDockWidget

    from workbench.ui.docks.sight import Sight

    window = QMainWindow()
    qtbot.addWidget(window)
    front, back = QDockWidget("front", window), QDockWidget("back", window)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, front)
    window.tabifyDockWidget(front, back)
    rebuilt = []
    sight = Sight(back, lambda: rebuilt.append(True))
    window.show()
    front.raise_()
    qtbot.waitUntil(lambda: in_sight(front) and not in_sight(back))
    assert sight.postpone() and sight.postpone()  # two edits while behind
    assert rebuilt == []
    back.raise_()
    qtbot.waitUntil(lambda: in_sight(back) and bool(rebuilt))
    qtbot.wait(50)
    assert rebuilt == [True]  # once, for both
    assert not sight.postpone()  # in sight: the dock rebuilds at once
