"""Zoomed out on a big chart the view paints the overview itself; a selection made then (a
histogram bar's links) must reach the screen at once. It did not: Qt's updates of the items
never asked the view for a repaint, and the 229 selected routes of the sample stayed
invisible until the mouse moved over the chart."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject

from .test_big_charts import grid_chart


class Paints(QObject):
    """Counts the paint events the viewport gets (what reaches the screen)."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def test_a_selection_at_fit_is_painted_at_once(qtbot, make_view):
    chart = grid_chart(1200)
    scene, view, selection = make_view(chart)
    qtbot.waitUntil(scene.is_overview)  # fitted: the overview draws the chart
    qtbot.wait(300)  # the labels of the fit placed and painted
    paints = Paints()
    view.viewport().installEventFilter(paints)
    selection.set(links=[f"l{i}" for i in range(0, 400, 3)])
    qtbot.waitUntil(lambda: paints.count > 0, timeout=2000)
    painted_with_selection = paints.count
    qtbot.wait(500)  # the labels are placed again (selected ends first) and painted
    assert paints.count > painted_with_selection
    view.viewport().removeEventFilter(paints)
