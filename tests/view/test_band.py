"""The rubber band selects from the scene's spatial index: exactly the items whose shape it
meets (Qt's own answer on a small chart), in one selection change, and Ctrl adds."""

from __future__ import annotations

import random

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt

from workbench.model import Chart, Entity, Link
from workbench.view.entity_item import EntityItem
from workbench.view.link_item import LinkItem


def scattered(n: int = 120) -> Chart:
    """Entities scattered at random (some with long labels), links between random pairs
    (some parallel, so drawn as curves), a few long ones across the chart."""
    rng = random.Random(7)
    chart = Chart("scattered")
    chart.add_entities(Entity(f"e{i}", "Person", f"Person {i}" + " long name" * (i % 3),
                              x=rng.uniform(0, 1500), y=rng.uniform(0, 1000))
                       for i in range(n))
    links = [Link(f"l{i}", f"e{rng.randrange(n)}", f"e{rng.randrange(n)}", "Associate")
             for i in range(2 * n)]
    links += [Link(f"p{i}", links[i].end1, links[i].end2, "Calls") for i in range(10)]
    chart.add_links(lk for lk in links if lk.end1 != lk.end2)
    return chart


def drag(qtbot, view, start: QPoint, end: QPoint,
         modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    port = view.viewport()
    qtbot.mousePress(port, Qt.MouseButton.LeftButton, modifier, start)
    for step in (1, 2, 3):
        qtbot.mouseMove(port, start + (end - start) * step / 3)
    qtbot.mouseRelease(port, Qt.MouseButton.LeftButton, modifier, end)


def qt_answer(scene, rect: QRectF) -> set:
    """What Qt's own band selects: the selectable items whose shape meets the rectangle."""
    return {item for item in scene.items(rect, Qt.ItemSelectionMode.IntersectsItemShape)
            if isinstance(item, EntityItem | LinkItem) and item.isVisible()}


def band_scene_rect(view, start: QPoint, end: QPoint) -> QRectF:
    """The chart's rectangle under a band drawn from ``start`` to ``end`` (pixels)."""
    rect = QRect(QPoint(min(start.x(), end.x()), min(start.y(), end.y())),
                 QPoint(max(start.x(), end.x()), max(start.y(), end.y())))
    return view.mapToScene(rect).boundingRect()


def test_a_band_selects_exactly_what_its_rectangle_meets_and_ctrl_adds(qtbot, make_view):
    chart = scattered()
    scene, view, selection = make_view(chart, size=(900, 700))
    view.set_zoom(0.6)
    view.centerOn(750, 500)
    assert not scene.is_overview()
    heard = []
    selection.changed.connect(lambda: heard.append(1))
    # an empty spot to start from, left of the chart
    start = view.mapFromScene(QPointF(-150.0, 200.0))
    end = view.mapFromScene(QPointF(700.0, 650.0))
    assert scene.item_at(view.mapToScene(start), view.transform()) is None
    drag(qtbot, view, start, end)
    first = band_scene_rect(view, start, end)
    wanted = qt_answer(scene, first)
    assert len(wanted) > 20 and any(isinstance(i, LinkItem) for i in wanted)
    assert set(scene.selectedItems()) == wanted
    assert selection.entities == {i.item_id for i in wanted if isinstance(i, EntityItem)}
    assert len(heard) <= 4  # one change per mouse move at most, not one per item
    assert view.band_rect().isEmpty()  # the band is gone after the release
    # Ctrl+band over another part adds to what was selected.
    start2 = view.mapFromScene(QPointF(1600.0, 1100.0))
    end2 = view.mapFromScene(QPointF(1000.0, 500.0))
    assert scene.item_at(view.mapToScene(start2), view.transform()) is None
    drag(qtbot, view, start2, end2, Qt.KeyboardModifier.ControlModifier)
    second = qt_answer(scene, band_scene_rect(view, start2, end2))
    assert second - wanted
    assert set(scene.selectedItems()) == wanted | second
    # A plain band replaces the selection.
    drag(qtbot, view, start2, end2)
    assert set(scene.selectedItems()) == second
