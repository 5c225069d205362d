"""A view hidden and shown again shows what it showed (issue 12): Qt centres a view on show
under the last mouse point, so a window restored from the taskbar, or made again by Qt when
the map's browser first started, showed an empty corner of the fitted chart."""

from __future__ import annotations

from PySide6.QtCore import QPoint


def centre(view):
    return view.mapToScene(view.viewport().rect().center())


def test_a_fitted_chart_stays_in_view_when_shown_again(qtbot, make_view, sample_chart):
    _scene, view, _selection = make_view(sample_chart)
    before = centre(view)
    qtbot.mouseMove(view.viewport(), QPoint(5, 5))  # the mouse last seen in a corner
    view.hide()
    view.show()
    qtbot.waitExposed(view)
    after = centre(view)
    scale = view.zoom_level()
    assert abs(after.x() - before.x()) * scale <= 2 and abs(after.y() - before.y()) * scale <= 2
    assert view.chart_scene().chart_rect().contains(after)


def test_a_panned_view_keeps_its_place_when_shown_again(qtbot, make_view, sample_chart):
    _scene, view, _selection = make_view(sample_chart)
    view.set_zoom(1.0)
    view.centerOn(view.chart_scene().chart_rect().topLeft())
    before = centre(view)
    qtbot.mouseMove(view.viewport(), QPoint(view.viewport().width() - 5, 5))
    view.hide()
    view.show()
    qtbot.waitExposed(view)
    after = centre(view)
    assert abs(after.x() - before.x()) <= 2 and abs(after.y() - before.y()) <= 2
