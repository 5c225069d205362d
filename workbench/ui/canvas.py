"""Make the chart canvas (scene and view) for the window's current chart.

The canvas is built by the view package (``workbench.view``); this function is the one place
the window creates it, so replacing the chart (New, Open) builds a fresh scene and view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow


def make_canvas(window: MainWindow):
    """A (ChartScene, ChartView) pair showing ``window.chart`` and ``window.selection``."""
    try:
        from workbench.view import ChartScene, ChartView
    except ImportError:  # the view branch is not merged yet
        from workbench.ui._interim_canvas import ChartScene, ChartView
    scene = ChartScene(window.chart, window.selection)
    view = ChartView(scene)
    return scene, view
