"""Stand-in canvas until the view branch's ChartScene/ChartView is merged. Removed then."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView

from workbench.model import Chart, Selection


class ChartScene(QGraphicsScene):
    entities_dragged = Signal(dict, dict)
    link_requested = Signal(str, str)
    item_activated = Signal(str)

    def __init__(self, chart: Chart, selection: Selection) -> None:
        super().__init__()
        self.chart, self.selection = chart, selection


class ChartView(QGraphicsView):
    zoom_changed = Signal(float)

    def __init__(self, scene: ChartScene) -> None:
        super().__init__(scene)

    def zoom_to_fit(self) -> None:
        pass

    def zoom_to_selection(self) -> None:
        pass

    def set_mode(self, mode: str) -> None:
        pass
