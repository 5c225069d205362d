"""The window as it opens on a laptop and a desktop screen: maximised the first time, where it
was left afterwards, and docks big enough to work in (measured in what is drawn on screen)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QSettings
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from workbench.analysis import Field, Target
from workbench.ui.app import open_window
from workbench.ui.docks.histogram_dock import HistogramDock
from workbench.ui.window.main_window import MainWindow

from ..conftest import REPO

ROUTES = REPO / "sample_charts" / "trafficking-routes.wbchart"


def open_app(qtbot, tmp_path, settings_file, argv=()) -> MainWindow:
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    window = open_window(list(argv), settings=settings, recovery_dir=tmp_path / "rec")
    qtbot.addWidget(window)
    return window


def settle(qtbot) -> None:
    for _ in range(3):
        QApplication.processEvents()
        qtbot.wait(10)


def at_size(qtbot, window: MainWindow, width: int, height: int) -> None:
    """The window filling a screen of this size, docks as they start there."""
    window.showNormal()
    window.resize(width, height)
    settle(qtbot)
    window.acts.reset_docks.trigger()
    settle(qtbot)


def visible_in(widget: QWidget, scroll: QScrollArea, top: float, bottom: float) -> bool:
    """Whether the band ``top``..``bottom`` (pixels in ``widget``) is inside the scroll
    area's viewport: on screen, not scrolled away or cut."""
    port = scroll.viewport()
    first = widget.mapTo(port, QPoint(0, int(top))).y()
    last = widget.mapTo(port, QPoint(0, int(bottom))).y()
    return first >= 0 and last <= port.height()


def bar_labels_on_screen(dock: HistogramDock) -> list[str]:
    """The bar labels a user can read whole in the dock (not cut at any edge)."""
    dock.canvas.draw()
    renderer = dock.canvas.get_renderer()
    ratio = dock.canvas.device_pixel_ratio
    height = dock.figure.bbox.height
    seen = []
    for label in dock._plot.axes.get_yticklabels():
        box = label.get_window_extent(renderer)
        if box.x0 < 0 or not label.get_text():
            continue
        top, bottom = (height - box.y1) / ratio, (height - box.y0) / ratio
        if visible_in(dock.canvas, dock.scroll, top, bottom):
            seen.append(label.get_text())
    return seen


def test_first_run_is_maximised_and_the_window_comes_back_where_it_was_left(
        qtbot, make_window, settings_file):
    first = make_window()
    first.show_as_before()
    assert first.isMaximized()
    first.showNormal()
    first.resize(760, 600)  # within the offscreen screen (800x800)
    first.find_dock.setFloating(True)
    settle(qtbot)
    first.close()
    assert QSettings(str(settings_file), QSettings.Format.IniFormat).value("window/state")
    again = make_window()
    again.show_as_before()
    settle(qtbot)
    assert not again.isMaximized()
    assert (again.width(), again.height()) == (760, 600)
    assert again.find_dock.isFloating()


def test_the_first_size_fits_the_screen_where_no_window_manager_maximises(make_window):
    """Un-maximised on first run (or shown where nothing maximises it: a bare X server,
    some remote desktops) the window is no taller than the screen: at 1280x820 on a 1366x768
    laptop the status bar and the dock tabs were below its bottom edge."""
    window = make_window()
    room = window.screen().availableGeometry()
    assert window.height() <= room.height()
    assert window.width() <= max(room.width(), window.minimumSizeHint().width())


def test_reset_dock_layout_brings_every_dock_back(qtbot, window):
    window.find_dock.setFloating(True)
    window.properties.close()
    window.history.close()
    reset = next(a for a in window.menus.view.actions() if a is window.acts.reset_docks)
    assert reset.text().replace("&", "") == "Reset Dock Layout"
    reset.trigger()
    settle(qtbot)
    assert not window.find_dock.isFloating()
    assert window.properties.isVisible()
    assert window.history in window.tabifiedDockWidgets(window.find_dock)


@pytest.mark.parametrize("size", [(1366, 768), (1600, 1000)])
def test_docks_start_at_working_sizes(qtbot, tmp_path, settings_file, size):
    window = open_app(qtbot, tmp_path, settings_file, [str(ROUTES)])
    assert window.isMaximized()  # first run
    at_size(qtbot, window, *size)
    assert (window.width(), window.height()) == size  # the docks fit on that screen
    workspace = window.workspace
    histogram = workspace.histogram
    # the routes sample has one entity type: the histogram opens on where links come from
    assert histogram.histogram.field == Field("from", Target.LINKS)
    assert len(histogram.histogram.bars) >= 10
    assert len(bar_labels_on_screen(histogram)) >= 10
    # the chart keeps a fair share of the window
    assert window.view.height() >= size[1] * 0.4
    # properties: a selected entity's main fields without scrolling
    window.selection.set([next(iter(window.chart.entities))])
    settle(qtbot)
    properties = window.properties
    scroll = properties.widget()
    for field in (properties.label_edit, properties.identity_edit, properties.date_edit,
                  properties.coordinates_edit, properties.colour_edit, properties.icon_edit):
        assert field.isVisible()
        assert visible_in(field, scroll, 0, field.height()), field
    # the map: a third of the window's height at least, measured on the map itself (the
    # browser), not its dock, whose controls and status line take about 80 px of it
    map_dock = workspace.map
    map_dock.raise_()
    qtbot.waitUntil(lambda: map_dock.view is not None and map_dock.view.isVisible())
    settle(qtbot)
    assert map_dock.view.height() >= size[1] / 3, (map_dock.view.height(), size)
    assert map_dock.view.width() >= size[0] / 2
    assert window.view.height() >= size[1] * 0.4  # the chart above keeps its share


def test_view_menu_zooms_with_the_usual_keys(window):
    window.open_chart(ROUTES)
    acts = window.acts
    view_menu = [a.text().replace("&", "") for a in window.menus.view.actions()]
    assert view_menu[:4] == ["Zoom In", "Zoom Out", "Zoom to Fit", "Zoom to Selection"]
    assert acts.zoom_in.shortcut() == QKeySequence(QKeySequence.StandardKey.ZoomIn)
    assert acts.zoom_out.shortcut() == QKeySequence(QKeySequence.StandardKey.ZoomOut)
    before = window.view.zoom_level()
    acts.zoom_in.trigger()
    assert window.view.zoom_level() == pytest.approx(before * 1.25)
    acts.zoom_out.trigger()
    acts.zoom_out.trigger()
    assert window.view.zoom_level() == pytest.approx(before / 1.25)
    assert window.zoom_label.text() == f"Zoom {before / 1.25 * 100:.0f}%"


def test_no_two_actions_share_a_shortcut(qtbot, tmp_path, settings_file):
    window = open_app(qtbot, tmp_path, settings_file)
    seen: dict[str, str] = {}
    for action in window.findChildren(type(window.acts.zoom_in)):
        for key in action.shortcuts():
            text = key.toString()
            assert text not in seen, f"{text}: {seen.get(text)} and {action.text()}"
            seen[text] = action.text()
    assert {"Ctrl++", "Ctrl+-", "Ctrl+0", "Ctrl+9"} <= set(seen)


def test_the_histogram_chooses_a_field_with_more_than_one_bar(qtbot):
    from workbench.io import load_chart
    from workbench.model import Selection

    chart = load_chart(ROUTES)
    dock = HistogramDock(chart, Selection())
    qtbot.addWidget(dock)
    assert dock._current_field().name == "from"
    assert dock.field_box.currentText() == "Link origin (from end)"
    assert dock.histogram.field == Field("from", Target.LINKS)
