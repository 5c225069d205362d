"""ChartView: zoom around the cursor, pan, fit, rubber band, level of detail."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QWheelEvent

from workbench.model import Chart, Entity, Link


def test_zoom_to_fit_shows_every_entity(qtbot, sample_chart, make_view):
    _scene, view, _ = make_view(sample_chart)
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    for entity in sample_chart.entities.values():
        assert visible.contains(QPointF(entity.x, entity.y)), entity.label
    assert 0.1 < view.zoom_level() < 2.0


def test_wheel_zooms_around_the_cursor_and_reports(qtbot, sample_chart, make_view):
    _scene, view, _ = make_view(sample_chart)
    cursor = QPoint(200, 150)
    before = view.mapToScene(cursor)
    level = view.zoom_level()
    with qtbot.waitSignal(view.zoom_changed, timeout=1000) as blocker:
        event = QWheelEvent(QPointF(cursor), QPointF(view.viewport().mapToGlobal(cursor)),
                            QPoint(), QPoint(0, 240), Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
                            False)
        view.wheelEvent(event)
    assert abs(blocker.args[0] - level * 1.44) < 1e-6
    after = view.mapToScene(cursor)
    assert abs(after.x() - before.x()) < 3 and abs(after.y() - before.y()) < 3


def test_zoom_to_selection(qtbot, sample_chart, make_view):
    _scene, view, selection = make_view(sample_chart)
    selection.set(["e5", "e4"])
    view.zoom_to_selection()
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    for entity_id in ("e5", "e4"):
        e = sample_chart.entity(entity_id)
        assert visible.contains(QPointF(e.x, e.y))
    assert visible.width() < 1000


def test_middle_button_pans(qtbot, sample_chart, make_view):
    _scene, view, _ = make_view(sample_chart)
    view.set_zoom(1.5)
    centre = view.mapToScene(view.viewport().rect().center())
    start = QPoint(300, 300)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.MiddleButton, pos=start)
    qtbot.mouseMove(view.viewport(), start + QPoint(-120, -80))
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.MiddleButton,
                       pos=start + QPoint(-120, -80))
    moved = view.mapToScene(view.viewport().rect().center())
    assert moved.x() > centre.x() + 40 and moved.y() > centre.y() + 30


def test_rubber_band_selects_into_shared_selection(qtbot, small_chart, make_view):
    _scene, view, selection = make_view(small_chart)
    # Drag a band around Alice and Bob (top row) but not Carol and the phone.
    top_left = view.mapFromScene(QPointF(-60, -60))
    bottom_right = view.mapFromScene(QPointF(360, 40))
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=top_left)
    qtbot.mouseMove(view.viewport(), (top_left + bottom_right) / 2)
    qtbot.mouseMove(view.viewport(), bottom_right)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=bottom_right)
    assert {"e1", "e2"} <= selection.entities
    assert "e3" not in selection.entities and "e4" not in selection.entities


def grid_chart(n: int = 1200) -> Chart:
    chart = Chart("grid")
    chart.add_entities(Entity(f"e{i}", "Person", f"P{i}", x=(i % 40) * 150.0,
                              y=(i // 40) * 150.0) for i in range(n))
    chart.add_links(Link(f"l{i}", f"e{i}", f"e{i + 1}", "Associate") for i in range(n - 1))
    return chart


def test_zoomed_out_big_chart_uses_overview_and_still_draws(qtbot, make_view):
    chart = grid_chart()
    scene, view, selection = make_view(chart, size=(800, 600))
    assert scene.is_overview()  # 2,399 items at about 0.1 zoom
    image = QImage(view.viewport().size(), QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    view.viewport().render(image)
    dark = sum(1 for y in range(0, image.height(), 3) for x in range(0, image.width(), 3)
               if image.pixelColor(x, y).lightness() < 200)
    assert dark > 200  # dots and lines are there
    # Clicking an entity still selects it while zoomed out.
    pos = view.mapFromScene(QPointF(chart.entity("e41").x, chart.entity("e41").y))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert selection.entities == {"e41"}
    view.set_zoom(1.0)
    assert not scene.is_overview()
    assert scene.entity_item("e41").isSelected()


def test_link_mode_and_escape(qtbot, small_chart, make_view):
    scene, view, _ = make_view(small_chart)
    view.set_mode("link")
    assert scene.mode == "link" and view.dragMode() == view.DragMode.NoDrag
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.mode() == "select" and scene.mode == "select"


def test_shift_click_adds_to_selection(qtbot, small_chart, make_view):
    _scene, view, selection = make_view(small_chart)
    for entity_id, modifier in (("e1", Qt.KeyboardModifier.NoModifier),
                                ("e3", Qt.KeyboardModifier.ShiftModifier)):
        e = small_chart.entity(entity_id)
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier,
                         view.mapFromScene(QPointF(e.x, e.y)))
    assert selection.entities == {"e1", "e3"}
    e = small_chart.entity("e2")
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(
        QPointF(e.x, e.y)))
    assert selection.entities == {"e2"}


def test_set_chart_scene_switches_charts(qtbot, small_chart, sample_chart, make_view):
    from workbench.model import Selection
    from workbench.view import ChartScene

    _scene, view, _ = make_view(small_chart)
    other = ChartScene(sample_chart, Selection())
    view.set_chart_scene(other)
    assert view.chart_scene() is other
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(other.chart_rect().center())
    other.detach()


def test_right_click_selects_and_asks_for_a_menu(qtbot, small_chart, make_view):
    from PySide6.QtGui import QContextMenuEvent

    _scene, view, selection = make_view(small_chart)
    e = small_chart.entity("e4")
    pos = view.mapFromScene(QPointF(e.x, e.y))
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos,
                              view.viewport().mapToGlobal(pos))
    with qtbot.waitSignal(view.context_requested, timeout=1000) as blocker:
        view.contextMenuEvent(event)
    assert blocker.args[0] == "e4" and selection.entities == {"e4"}


def test_panning_is_not_stopped_by_the_chart_edge(qtbot, small_chart, make_view):
    _scene, view, _ = make_view(small_chart)
    start = view.mapToScene(view.viewport().rect().center())
    pos = QPoint(400, 300)
    for _ in range(12):  # drag left repeatedly: the view travels right, far past the chart
        qtbot.mousePress(view.viewport(), Qt.MouseButton.MiddleButton, pos=pos)
        qtbot.mouseMove(view.viewport(), pos + QPoint(-150, 0))
        qtbot.mouseRelease(view.viewport(), Qt.MouseButton.MiddleButton,
                           pos=pos + QPoint(-150, 0))
    end = view.mapToScene(view.viewport().rect().center())
    assert end.x() - start.x() > 12 * 150 / view.zoom_level() * 0.9


def test_overview_keeps_the_labels_of_hubs(qtbot, make_view):
    chart = grid_chart()
    hub = chart.entity("e600")
    chart.add_links(Link(f"h{i}", hub.id, f"e{i}", "Associate") for i in range(0, 1200, 97))
    scene, view, _ = make_view(chart, size=(800, 600))
    assert scene.is_overview()
    image = QImage(view.viewport().size(), QImage.Format.Format_ARGB32)
    view.viewport().render(image)
    assert scene.overview._hubs[0] is scene.entity_item("e600")


def test_hover_shows_escaped_tooltip(qtbot, small_chart, make_view):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    small_chart.update_entity("e3", label="<b>Carol</b> & co")
    _scene, view, _ = make_view(small_chart)
    e = small_chart.entity("e3")
    pos = view.mapFromScene(QPointF(e.x, e.y))
    event = QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(view.viewport(), event)
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    text = QToolTip.text()
    assert "&lt;b&gt;Carol&lt;/b&gt; &amp; co" in text and "Person" in text
    QToolTip.hideText()


def test_space_and_drag_pans_without_selecting(qtbot, small_chart, make_view):
    _scene, view, selection = make_view(small_chart)
    view.set_zoom(1.5)
    view.setFocus()
    before = view.mapToScene(view.viewport().rect().center())
    e = small_chart.entity("e1")
    start = view.mapFromScene(QPointF(e.x, e.y))
    qtbot.keyPress(view, Qt.Key.Key_Space)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(view.viewport(), start + QPoint(100, 60))
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=start + QPoint(100, 60))
    qtbot.keyRelease(view, Qt.Key.Key_Space)
    after = view.mapToScene(view.viewport().rect().center())
    assert before.x() - after.x() > 40 and before.y() - after.y() > 20
    assert not selection  # Alice was under the pointer but panning does not select
    assert (small_chart.entity("e1").x, small_chart.entity("e1").y) == (e.x, e.y)


def test_the_view_shows_the_charts_legend_until_it_is_turned_off(qtbot, make_view):
    from workbench.io import load_chart

    chart = load_chart(Path(__file__).resolve().parents[2] / "sample_charts"
                       / "nov13-network.wbchart")
    scene, view, _ = make_view(chart)
    legend = view.legend
    assert legend.isVisible() and [e.text for e in legend.entries] == ["Attackers (31 entities)"]
    assert legend.geometry().bottom() < view.viewport().height()
    assert legend.geometry().left() < 20
    view.set_zoom(2.0)
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().value() + 150)
    assert legend.geometry().left() < 20  # scrolling the chart leaves the key in its corner
    assert legend.geometry().bottom() < view.viewport().height()
    scene.set_display(scene.display.changed(legend=False))
    qtbot.waitUntil(lambda: not legend.isVisible(), timeout=2000)
