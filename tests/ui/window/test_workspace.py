"""The application window as a user gets it: start page, docks, Analysis menu, import, About."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent

from workbench.analysis import Field, Target
from workbench.ui.app import open_window

from ..conftest import REPO, SAMPLE
from ..docks.test_histogram_dock import bar_point

CALLS = REPO / "sample_charts" / "data" / "vast2008_call_records.csv"


def make(qtbot, tmp_path, settings_file, argv):
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    window = open_window(argv, settings=settings, recovery_dir=tmp_path / "rec")
    qtbot.addWidget(window)
    return window


def test_without_a_chart_the_start_page_shows_and_opens_a_sample(qtbot, tmp_path,
                                                                 settings_file):
    window = make(qtbot, tmp_path, settings_file, [])
    workspace = window.workspace
    assert workspace.stack.currentWidget() is workspace.start_page
    samples = [workspace.start_page.samples.item(i)
               for i in range(workspace.start_page.samples.count())]
    routes = next(item for item in samples if "Trafficking routes" in item.text())
    workspace.start_page.samples.itemActivated.emit(routes)
    assert workspace.stack.currentWidget() is window.view
    assert window.windowTitle() == "trafficking-routes.wbchart - Workbench"
    # the docks follow the opened chart
    assert workspace.histogram.chart is window.chart
    assert workspace.map.chart is window.chart
    window.workspace.start_page.new_requested.emit()
    assert workspace.stack.currentWidget() is window.view


def test_docks_analysis_and_help_are_in_the_window(qtbot, tmp_path, settings_file):
    window = make(qtbot, tmp_path, settings_file, [str(SAMPLE)])
    workspace = window.workspace
    docks = [a.text() for a in window.menus.docks.actions()]
    for title in (workspace.histogram.windowTitle(), workspace.heat_matrix.windowTitle(),
                  workspace.map.windowTitle()):
        assert title in docks
    analysis = [a.text().replace("&", "") for a in window.analysis_menu.actions()]
    assert "Find Path..." in analysis and "Social Network Measures..." in analysis
    assert window.acts.import_data.isEnabled()
    help_menu = next(m for m in window.menuBar().findChildren(type(window.analysis_menu))
                     if m.title() == "&Help")
    help_menu.actions()[0].trigger()
    assert workspace.about.isVisible()
    assert not window.windowIcon().isNull()
    # clicking a histogram bar selects those items on the chart
    dock = workspace.histogram
    dock.show()
    dock.raise_()
    qtbot.waitExposed(dock)
    dock.choose(Field("type", Target.ENTITIES))
    with qtbot.waitSignal(dock.bar_clicked):
        qtbot.mouseClick(dock.canvas, Qt.MouseButton.LeftButton, pos=bar_point(dock, 0))
    people = {e.id for e in window.chart.entities.values() if e.type == "Person"}
    assert window.selection.entities == people
    assert all(window.scene.entity_item(i).isSelected() for i in people)


def test_dropping_a_csv_starts_the_import_wizard_on_it(qtbot, tmp_path, settings_file):
    window = make(qtbot, tmp_path, settings_file, [])
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(CALLS))])
    drop = QDropEvent(QPointF(QPoint(50, 50)), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(drop)
    wizard = window.workspace.wizard
    assert wizard is not None and wizard.isVisible()
    assert [p.name for p in wizard.files] == [CALLS.name]
    wizard.reject()
