"""Make the chart canvas (scene and view) for the window's current chart.

The canvas is built by the view package (``workbench.view``); this function is the one place
the window creates it; replacing the chart (New, Open) builds a fresh scene in the same view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.view import ChartScene, ChartView

if TYPE_CHECKING:
    from workbench.ui.window.main_window import MainWindow


def make_canvas(window: MainWindow) -> tuple[ChartScene, ChartView]:
    """A (ChartScene, ChartView) pair showing ``window.chart`` and ``window.selection``."""
    scene = ChartScene(window.chart, window.selection, window)
    return scene, ChartView(scene)


def replace_scene(window: MainWindow) -> ChartScene:
    """Show ``window.chart`` in the existing view: a new scene, the old one let go.

    The view widget stays, so the window's layout (dock sizes) does not jump on New or Open.
    """
    old = window.scene
    old.detach()
    scene = ChartScene(window.chart, window.selection, window)
    window.view.setScene(scene)
    window.view.set_mode(window.view.mode())
    old.deleteLater()
    return scene
