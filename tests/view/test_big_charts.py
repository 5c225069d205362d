"""Big-chart drawing keeps what the analyst sees and picks: the spatial index answers clicks as
Qt's own shapes would, follows moves and deletions, and the overview's kept picture looks like
the overview drawn afresh."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage

from workbench.model import Chart, Entity, Link, Selection
from workbench.view import ChartScene
from workbench.view import overview as overview_module
from workbench.view.entity_item import EntityItem
from workbench.view.link_item import LinkItem


def grid_chart(n: int = 1200) -> Chart:
    chart = Chart("grid")
    chart.add_entities(Entity(f"e{i}", "Person", f"P{i}", x=(i % 40) * 150.0,
                              y=(i // 40) * 150.0) for i in range(n))
    chart.add_links(Link(f"l{i}", f"e{i}", f"e{i + 1}", "Associate") for i in range(n - 1))
    chart.add_links(Link(f"d{i}", f"e{i}", f"e{i + 41}", "Associate")
                    for i in range(0, n - 41, 7))
    return chart


def test_a_click_picks_what_qt_own_shapes_hold(small_chart):
    """Over a grid of points around the small chart (parallel curves, labels, arrowheads),
    the index picks the item Qt's own stroked shapes and stacking would give."""
    scene = ChartScene(small_chart, Selection())
    try:
        checked = 0
        for x in range(-60, 520, 7):
            for y in range(-60, 320, 7):
                point = QPointF(x, y)
                ours = scene.item_at(point)
                qt = [i for i in scene.items(point, Qt.ItemSelectionMode.IntersectsItemShape,
                                             Qt.SortOrder.DescendingOrder)
                      if isinstance(i, EntityItem | LinkItem) and i.isVisible()]
                if ours is None:
                    assert not qt, (x, y, [i.item_id for i in qt])
                elif not scene.entity_item(ours.item_id) or not scene.spatial.entities_near(
                        x, y, 9.0):
                    # not an entity picked for being near: Qt's topmost shape at the point
                    assert qt and ours is qt[0], (x, y, ours.item_id)
                    checked += 1
        assert checked > 100
    finally:
        scene.detach()


def uses_link(chart: Chart) -> str:
    """The id of the link Carol -> phone (a straight one)."""
    return next(lk.id for lk in chart.links.values() if lk.type == "Uses")


def test_the_cheap_link_test_agrees_with_the_stroked_shape(small_chart):
    scene = ChartScene(small_chart, Selection())
    try:
        link = scene.link_item(uses_link(small_chart))
        assert link.geometry.straight()
        shape = link.shape()
        inside = 0
        for x in range(100, 500, 3):
            for y in range(200, 300, 3):  # (off the outline itself, where Qt's fill rule rules)
                point = QPointF(x + 0.37, y + 0.37)
                assert link.contains(point) == shape.contains(point), (x, y)
                inside += link.contains(point)
        assert inside > 100
    finally:
        scene.detach()


def test_picking_follows_moves_and_deletions(small_chart):
    scene = ChartScene(small_chart, Selection())
    try:
        assert scene.item_at(QPointF(150, 250)).item_id == "e3"
        small_chart.move_entities({"e3": (900.0, 900.0)})
        assert scene.item_at(QPointF(900, 900)).item_id == "e3"
        assert scene.item_at(QPointF(150, 250)) is None
        # the link from Carol to the phone now runs from (900, 900) to (450, 250)
        assert scene.item_at(QPointF(675, 575)).item_id == uses_link(small_chart)
        small_chart.remove_entities(["e3"])
        assert scene.item_at(QPointF(900, 900)) is None
        assert scene.item_at(QPointF(675, 575)) is None
    finally:
        scene.detach()


def test_a_dragged_entity_is_picked_where_it_was_dropped(qtbot, small_chart, make_view):
    scene, view, _ = make_view(small_chart)
    start = view.mapFromScene(QPointF(150, 250))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    scene.item_at(QPointF(150, 250))  # the index is built before the drag
    end = start + (view.mapFromScene(QPointF(150, 100)) - start)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 6):
        qtbot.mouseMove(view.viewport(), start + (end - start) * step / 5)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=end)
    dropped = scene.entity_item("e3").pos()
    assert dropped.y() < 150
    assert scene.item_at(dropped, view.transform()).item_id == "e3"


def render(view) -> QImage:
    image = QImage(view.viewport().size(), QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    view.viewport().render(image)
    return image


def test_the_kept_overview_picture_looks_like_the_overview_drawn_afresh(
        qtbot, make_view, monkeypatch):
    chart = grid_chart()
    scene, view, selection = make_view(chart, size=(800, 600))
    assert scene.is_overview()
    selection.set(["e41"], ["l600"])
    kept = render(view)
    assert scene.overview._picture is not None
    monkeypatch.setattr(overview_module, "PICTURE_MAX_PIXELS", 0)  # drawn item by item
    scene.overview.invalidate()
    afresh = render(view)
    assert scene.overview._picture is None
    differ = sum(1 for y in range(0, kept.height(), 2) for x in range(0, kept.width(), 2)
                 if abs(kept.pixelColor(x, y).lightness()
                        - afresh.pixelColor(x, y).lightness()) > 40)
    dark = sum(1 for y in range(0, kept.height(), 2) for x in range(0, kept.width(), 2)
               if kept.pixelColor(x, y).lightness() < 200)
    assert dark > 500 and differ < dark * 0.02, (dark, differ)


def test_the_overview_picture_is_drawn_again_after_a_change(qtbot, make_view):
    chart = grid_chart()
    scene, view, _ = make_view(chart, size=(800, 600))
    render(view)
    before = scene.overview._picture
    chart.move_entities({"e0": (-3000.0, -3000.0)})
    image = render(view)
    assert scene.overview._picture is not before
    corner = view.mapFromScene(QPointF(-3000.0, -3000.0))
    around = [image.pixelColor(corner.x() + dx, corner.y() + dy).lightness()
              for dx in range(-3, 4) for dy in range(-3, 4)]
    assert min(around) < 200  # the moved entity's dot is where it went


def click(qtbot, view, x: float, y: float, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier,
                     view.mapFromScene(QPointF(x, y)))


def test_clicks_select_as_qt_does_without_asking_qt(qtbot, small_chart, make_view):
    """A click on one of several selected entities leaves it alone selected; a press that
    drags keeps the selection and moves it all; a click on a link selects the link."""
    scene, view, selection = make_view(small_chart)
    click(qtbot, view, 150, 250)
    click(qtbot, view, 450, 250, Qt.KeyboardModifier.ControlModifier)
    assert selection.entities == {"e3", "e4"}
    start = view.mapFromScene(QPointF(450, 250))
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 4):
        qtbot.mouseMove(view.viewport(), start + QPoint(10 * step, 0))
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=start + QPoint(30, 0))
    assert selection.entities == {"e3", "e4"}
    assert scene.entity_item("e3").pos().x() > 150 and scene.entity_item("e4").pos().x() > 450
    x, y = scene.entity_item("e4").pos().x(), scene.entity_item("e4").pos().y()
    click(qtbot, view, x, y)
    assert selection.entities == {"e4"}
    link = scene.link_item(uses_link(small_chart))
    middle = link.geometry.middle()
    click(qtbot, view, middle.x(), middle.y())
    assert selection.links == {link.item_id} and not selection.entities


def test_a_rubber_band_in_the_overview_selects(qtbot, make_view):
    chart = grid_chart()
    scene, view, selection = make_view(chart, size=(800, 600))
    assert scene.is_overview()
    top_left = view.mapFromScene(QPointF(-200, -200))  # (far enough not to pick e0)
    bottom_right = view.mapFromScene(QPointF(340, 190))  # e0-e2 and e40-e42
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=top_left)
    qtbot.mouseMove(view.viewport(), (top_left + bottom_right) / 2)
    qtbot.mouseMove(view.viewport(), bottom_right)
    render(view)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=bottom_right)
    assert {"e0", "e1", "e2", "e40", "e41", "e42"} <= selection.entities
    assert "e3" not in selection.entities and "e80" not in selection.entities


def test_a_big_chart_shown_zoomed_out_is_ready_for_its_first_click(make_view, qtbot):
    """Zoomed out, the overview draws without the spatial index; it is rebuilt while the window
    is idle after the chart changes, not when the analyst next clicks (0.7 s at 100,000)."""
    scene, view, _selection = make_view(grid_chart(1600))
    assert scene.is_overview()
    qtbot.waitUntil(lambda: not scene.spatial._stale)
    scene.chart.remove_entities(["e5"])
    assert scene.spatial._stale
    view.viewport().update()
    qtbot.waitUntil(lambda: not scene.spatial._stale)
    assert scene.item_at(QPointF(6 * 150.0, 0.0)).item_id == "e6"
