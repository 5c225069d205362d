"""Mouse helpers for driving the real canvas in the window."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from .conftest import SAMPLE

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier


def screen_point(window, entity_id: str) -> QPoint:
    entity = window.chart.entity(entity_id)
    return window.view.mapFromScene(QPointF(entity.x, entity.y))


def drag(window, start: QPoint, end: QPoint) -> None:
    viewport = window.view.viewport()
    QTest.mousePress(viewport, LEFT, NONE, start)
    for step in range(1, 6):
        QTest.mouseMove(viewport, start + (end - start) * (step / 5))
    QTest.mouseRelease(viewport, LEFT, NONE, end)


def clear_of_others(window, entity_id: str, distance: float = 70.0) -> bool:
    """Nothing else drawn within ``distance`` scene units (so a click hits only this one)."""
    e = window.chart.entity(entity_id)
    return all(abs(o.x - e.x) > distance or abs(o.y - e.y) > distance
               for o in window.chart.entities.values() if o.id != entity_id)


def opened(window, qtbot) -> str:
    """Open the sample at 100 % centred on an entity that stands apart; returns its id."""
    window.resize(1280, 820)
    window.open_chart(SAMPLE)
    qtbot.waitExposed(window)
    window.view.set_zoom(1.0)
    hub = max((e.id for e in window.chart.entities.values() if clear_of_others(window, e.id)),
              key=lambda i: len(window.chart.links_of(i)))
    window.view.centerOn(QPointF(window.chart.entity(hub).x, window.chart.entity(hub).y))
    return hub
