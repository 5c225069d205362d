"""The analyst's hand: click, shift-click, drag and link on the real canvas in the window."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from ..mouse import LEFT, NONE, clear_of_others, drag, opened, screen_point


def test_click_and_shift_click_select(window, qtbot):
    hub_id = opened(window, qtbot)
    hub = window.chart.entity(hub_id)
    neighbour = next(window.chart.entity(e.id) for e in window.chart.entities.values()
                     if e.id != hub.id and clear_of_others(window, e.id)
                     and window.view.viewport().rect().adjusted(20, 20, -20, -20).contains(
                         screen_point(window, e.id)))
    QTest.mouseClick(window.view.viewport(), LEFT, NONE, screen_point(window, hub.id))
    assert window.selection.entities == {hub.id}
    assert window.properties.label_edit.text() == hub.label
    QTest.mouseClick(window.view.viewport(), LEFT, Qt.KeyboardModifier.ShiftModifier,
                     screen_point(window, neighbour.id))
    assert window.selection.entities == {hub.id, neighbour.id}
    assert window.selection_label.text() == "2 entities selected"


def test_drag_moves_in_one_undo_step_and_delete_key(window, qtbot):
    hub = opened(window, qtbot)
    entity = window.chart.entity(hub)
    before = (entity.x, entity.y)
    start = screen_point(window, hub)
    QTest.mouseClick(window.view.viewport(), LEFT, NONE, start)
    drag(window, start, start + QPoint(120, 60))
    assert (entity.x, entity.y) != before
    assert abs(entity.x - before[0] - 120) < 2 and abs(entity.y - before[1] - 60) < 2
    assert window.undo_stack.count() == 1 and window.undo_stack.undoText() == "Move"
    window.acts.undo.trigger()
    assert (entity.x, entity.y) == before
    links = len(window.chart.links)
    QTest.keyClick(window.view, Qt.Key.Key_Delete)
    assert hub not in window.chart.entities and len(window.chart.links) < links
    window.acts.undo.trigger()
    assert hub in window.chart.entities and len(window.chart.links) == links


def test_draw_a_link_by_dragging_in_link_mode(window, qtbot):
    hub = opened(window, qtbot)
    window.acts.link_mode.trigger()
    assert window.view.mode() == "link"
    others = [e.id for e in window.chart.entities.values()
              if e.id != hub and not window.chart.links_between(hub, e.id)
              and clear_of_others(window, e.id, distance=50.0)
              and window.view.viewport().rect().adjusted(30, 30, -30, -30).contains(
                  screen_point(window, e.id))]
    target = others[0]
    drag(window, screen_point(window, hub), screen_point(window, target))
    (link,) = window.chart.links_between(hub, target)
    assert link.type == "Associate" and window.selection.links == {link.id}
    assert window.properties.header.text().startswith("Associate link:")
    window.acts.link_mode.trigger()
    assert window.view.mode() == "select"
    window.acts.undo.trigger()
    assert not window.chart.links_between(hub, target)


def test_right_click_menu_acts_on_the_clicked_item(window, qtbot):
    from PySide6.QtGui import QContextMenuEvent

    hub = opened(window, qtbot)
    point = screen_point(window, hub)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point,
                              window.view.viewport().mapToGlobal(point))
    QApplication.sendEvent(window.view.viewport(), event)
    menu = window.display.context_menu
    assert window.selection.entities == {hub}
    titles = [a.text() for a in menu.actions() if a.text()]
    assert titles[0] == "&Properties" and "&Delete" in titles
    next(a for a in menu.actions() if a.text() == "&Delete").trigger()
    assert hub not in window.chart.entities
    menu.close()


def test_rubber_band_selects_what_it_covers(window, qtbot):
    opened(window, qtbot)
    window.view.zoom_to_fit()
    rect = window.view.mapFromScene(window.scene.chart_rect()).boundingRect()
    start = rect.topLeft() - QPoint(5, 5)
    end = rect.center()
    drag(window, start, end)
    covered = window.view.mapToScene(QRect(start, end).normalized()).boundingRect()
    inside = {e.id for e in window.chart.entities.values() if covered.contains(e.x, e.y)}
    assert inside and inside <= window.selection.entities
    assert window.undo_stack.count() == 0  # selecting changes nothing
