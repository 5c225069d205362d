"""Make the chart canvas (scene and view) for the window's current chart.

The canvas is built by the view package (``workbench.view``); this function is the one place
the window creates it; replacing the chart (New, Open) builds a fresh scene in the same view.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from workbench.ui.document import CanvasHolder, Document
from workbench.view import ChartScene, ChartView


def make_canvas(document: Document, owner: QObject) -> tuple[ChartScene, ChartView]:
    """A (ChartScene, ChartView) pair showing the document's chart and selection."""
    scene = ChartScene(document.chart, document.selection, owner)
    return scene, ChartView(scene)


def replace_scene(document: Document, canvas: CanvasHolder, owner: QObject) -> ChartScene:
    """Show the document's (new) chart in the existing view: a new scene, the old one let go.

    The view widget stays, so the window's layout (dock sizes) does not jump on New or Open.
    """
    old = canvas.scene
    old.detach()
    scene = ChartScene(document.chart, document.selection, owner)
    canvas.view.setScene(scene)
    canvas.view.set_mode(canvas.view.mode())
    old.deleteLater()
    return scene
