"""``workbench CHART.wbchart`` opens straight on the chart, laid out and zoomed to fit."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from workbench.io import save_chart
from workbench.model import Chart
from workbench.ui.app import open_window

from .conftest import SAMPLE


def test_opens_on_the_chart_zoomed_to_fit(qtbot, tmp_path, settings_file):
    window = open_window([str(SAMPLE)], settings=QSettings(str(settings_file),
                                                           QSettings.Format.IniFormat),
                         recovery_dir=tmp_path / "rec")
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.zoom_label.text() != "Zoom 100%")
    assert window.windowTitle() == "nov13-network.wbchart - Workbench"
    visible = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    assert visible.contains(window.scene.chart_rect())


def test_a_chart_without_positions_is_laid_out(qtbot, tmp_path, settings_file):
    chart = Chart("unplaced")
    a = chart.make_entity("Person", "A")
    for name in "BCDEF":
        chart.make_link(a.id, chart.make_entity("Person", name).id, "Associate")
    save_chart(chart, tmp_path / "unplaced.wbchart")
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    window = open_window([str(tmp_path / "unplaced.wbchart")], settings=settings,
                         recovery_dir=tmp_path / "rec")
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: len({(e.x, e.y) for e in window.chart.entities.values()}) == 6)
    assert window.undo_stack.undoText() == "Layout: Force-directed"
    window.undo_stack.setClean()


def test_an_unexpected_error_in_a_command_is_shown_not_fatal(window, monkeypatch):
    import sys

    from workbench.ui.app import install_error_handler

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    install_error_handler(window)
    try:
        raise RuntimeError("layout library missing")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    assert "RuntimeError: layout library missing" in window.error_box.text()
    assert window.isVisible()
