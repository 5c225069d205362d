"""Make the chart canvas (scene and view) for the window's current chart.

The canvas is built by the view package (``workbench.view``); this function is the one place
the window creates it; replacing the chart (New, Open) builds a fresh scene in the same view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QGraphicsScene

from workbench.model import Chart
from workbench.view import ChartScene, ChartView

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow


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


BULK_MOVE = 500  # entities moved at once (a layout, its undo) that count as a bulk move
Index = QGraphicsScene.ItemIndexMethod


class BulkMoveGuard(QObject):
    """Turn the scene's BSP index off before a layout moves thousands of entities.

    With the BSP index every moved item (and each of its links) is re-filed; with 10,000
    entities and 20,000 links a layout took minutes to apply (each prepareGeometryChange about
    20 ms) and rebuilding the index after a circular layout (long chords) about 7 s. Measured
    here on that chart, the unindexed scene is also quicker to repaint zoomed in (15 vs 52 ms)
    and to hit-test a click (57 vs 211 ms); only rectangle queries (rubber band) are slower
    (128 vs 41 ms). So after the first bulk move the scene stays unindexed, as Qt advises for
    scenes whose items move. The guard runs before the scene's own handler (higher psygnal
    priority). It belongs in the scene; it lives here until the view package does it itself.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._chart: Chart | None = None

    def follow(self, chart: Chart) -> None:
        if self._chart is not None:
            self._chart.entities_moved.disconnect(self._before_move, missing_ok=True)
        self._chart = chart
        chart.entities_moved.connect(self._before_move, priority=100)

    def _before_move(self, positions: dict) -> None:
        scene = self.window.scene
        if len(positions) >= BULK_MOVE and scene.itemIndexMethod() != Index.NoIndex:
            scene.setItemIndexMethod(Index.NoIndex)
