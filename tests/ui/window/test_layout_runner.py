"""Layouts from the Layout menu run off the GUI thread and land as one undoable step."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QPushButton

from workbench.layout import LAYOUTS

from ..conftest import SAMPLE


def positions(chart):
    return {e.id: (e.x, e.y) for e in chart.entities.values()}


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_each_layout_from_the_menu_is_one_undo_step(window, qtbot, name):
    window.open_chart(SAMPLE)
    before = positions(window.chart)
    (action,) = [a for a in window.menus.layout.actions() if a.objectName() == f"layout_{name}"]
    with qtbot.waitSignal(window.layouts.finished, timeout=20000) as done:
        action.trigger()
    assert done.args == [name, True]
    after = positions(window.chart)
    assert after != before
    assert len(set(after.values())) == len(after)  # nobody on top of anybody
    assert window.undo_stack.count() == 1
    assert window.undo_stack.undoText().startswith("Layout: ")
    window.acts.undo.trigger()
    assert positions(window.chart) == before
    window.acts.redo.trigger()
    assert positions(window.chart) == after


def test_layout_runs_off_the_gui_thread_on_the_selection_only(window, qtbot):
    window.open_chart(SAMPLE)
    before = positions(window.chart)
    threads = []
    real = LAYOUTS["circular"]

    def watched(data, **options):
        threads.append(threading.current_thread())
        return real(data, **options)

    window.layouts.layouts["circular"] = watched
    window.selection.set(["e1", "e2", "e4", "e5"])
    window.layouts.selection_only.setChecked(True)
    with qtbot.waitSignal(window.layouts.finished):
        window.layouts.run("circular")
    assert threads[0] is not threading.main_thread()
    after = positions(window.chart)
    moved = {i for i in after if after[i] != before[i]}
    assert moved and moved <= {"e1", "e2", "e4", "e5"}


def test_grouped_by_attribute_from_the_menu(window, qtbot):
    window.open_chart(SAMPLE)
    (submenu,) = [a.menu() for a in window.menus.layout.actions()
                  if a.menu() and "Attribute" in a.text()]
    submenu.aboutToShow.emit()
    (attacker,) = [a for a in submenu.actions() if a.text() == "attacker"]
    with qtbot.waitSignal(window.layouts.finished, timeout=10000) as done:
        attacker.trigger()
    assert done.args == ["grouped", True]


def test_slow_layout_shows_progress_and_cancel_stops_it(window, qtbot):
    window.open_chart(SAMPLE)
    before = positions(window.chart)
    stopped = threading.Event()

    def slow(data, *, progress, cancelled, **_options):
        from workbench.layout import LayoutCancelled

        for step in range(500):
            progress(step / 500)
            if cancelled():
                stopped.set()
                raise LayoutCancelled
            threading.Event().wait(0.01)
        return {i: (1.0, 1.0) for i in data.ids}

    window.layouts.layouts["slow"] = slow
    window.layouts.run("slow")
    qtbot.waitUntil(lambda: window.layouts.progress is not None
                    and window.layouts.progress.isVisible())
    qtbot.waitUntil(lambda: window.layouts.progress.value() > 0)
    cancel = window.layouts.progress.findChild(QPushButton)
    assert cancel.text() == "Cancel"
    with qtbot.waitSignal(window.layouts.finished, timeout=1000) as done:
        cancel.click()
    assert done.args == ["slow", False]
    assert stopped.wait(2)
    window.layouts.pool.waitForDone(2000)
    qtbot.wait(20)
    assert positions(window.chart) == before and window.undo_stack.count() == 0


def test_a_layout_silent_in_its_library_shows_a_running_clock(window, qtbot):
    """igraph's Sugiyama reports nothing for minutes on a big chart: the dialog's clock
    says the layout is still working where the bar stands still."""
    window.open_chart(SAMPLE)
    release = threading.Event()

    def silent(data, **_options):
        release.wait(10)
        return {i: (1.0, 1.0) for i in data.ids}

    window.layouts.layouts["silent"] = silent
    window.layouts.run("silent")
    qtbot.waitUntil(lambda: window.layouts.progress is not None
                    and window.layouts.progress.isVisible())
    qtbot.waitUntil(lambda: window.layouts.progress.labelText().endswith("... 2 s"),
                    timeout=5000)
    assert window.layouts.progress.labelText() == "Laying out the chart (silent)... 2 s"
    with qtbot.waitSignal(window.layouts.finished, timeout=5000):
        release.set()


def test_failing_layout_says_why(window, qtbot):
    window.open_chart(SAMPLE)

    def broken(data, **_options):
        raise ValueError("graph has no nodes of degree > 0")

    window.layouts.layouts["broken"] = broken
    with qtbot.waitSignal(window.layouts.finished):
        window.layouts.run("broken")
    assert "graph has no nodes of degree > 0" in window.files.message.text()
    assert window.undo_stack.count() == 0


def test_a_bulk_move_turns_the_scene_index_off(window, qtbot):
    from PySide6.QtWidgets import QGraphicsScene

    from workbench.model import Chart, Entity, Link

    chart = Chart()  # small enough to start with Qt's index (a big chart starts without)
    chart.add_entities(Entity(f"e{i}", "Person", f"P{i}", x=float(i), y=0.0)
                       for i in range(200))
    window.replace_chart(chart, None)
    assert window.scene.itemIndexMethod() == QGraphicsScene.ItemIndexMethod.BspTreeIndex
    chart.add_entities(Entity(f"e{i}", "Person", f"P{i}", x=float(i), y=0.0)
                       for i in range(200, 600))  # grown by an import into it
    chart.add_links(Link(f"l{i}", f"e{i}", f"e{i + 1}", "Associate") for i in range(599))
    with qtbot.waitSignal(window.layouts.finished, timeout=20000):
        window.layouts.run("circular")
    assert window.scene.itemIndexMethod() == QGraphicsScene.ItemIndexMethod.NoIndex
    item = window.scene.entity_item("e7")
    assert (item.pos().x(), item.pos().y()) == (chart.entity("e7").x, chart.entity("e7").y)


def test_hierarchy_of_a_big_chart_runs_in_a_child_process(window, qtbot, monkeypatch):
    """igraph holds the GIL through the Sugiyama layering: on the routes sample a worker
    thread froze the window for seconds. From PROCESS_MIN_LINKS links it runs in a child
    process; the analyst gets the very layout the thread would have made, as one undo step."""
    from workbench.ui.window import layout_runner

    window.open_chart(SAMPLE)
    with qtbot.waitSignal(window.layouts.finished, timeout=20000):
        window.layouts.run("hierarchy")  # the sample is small: on the worker thread
    on_thread = positions(window.chart)
    window.acts.undo.trigger()
    monkeypatch.setattr(layout_runner, "PROCESS_MIN_LINKS", 1)
    children = []
    real = layout_runner.run_in_process

    def watched(name, data, **options):
        children.append(name)
        return real(name, data, **options)

    monkeypatch.setattr(layout_runner, "run_in_process", watched)
    with qtbot.waitSignal(window.layouts.finished, timeout=60000) as done:
        window.layouts.run("hierarchy")
    assert done.args == ["hierarchy", True] and children == ["hierarchy"]
    assert positions(window.chart) == on_thread
    assert window.undo_stack.undoText() == "Layout: Hierarchy (top-down)"


def test_a_window_closed_while_a_layout_runs_shows_no_progress_afterwards(
        qtbot, tmp_path, settings_file):
    """The progress dialog is offered after a moment; a window deleted before then must not
    get one (it raised "MainWindow already deleted" in the event loop)."""
    from PySide6.QtCore import QCoreApplication, QEvent, QSettings

    from workbench.ui.window.layout_runner import SHOW_PROGRESS_AFTER_MS
    from workbench.ui.window.main_window import MainWindow

    window = MainWindow(settings=QSettings(str(settings_file), QSettings.Format.IniFormat),
                        recovery_dir=tmp_path / "recovery")
    window.open_chart(SAMPLE)

    def waiting(data, **_options):
        threading.Event().wait(0.5)  # (deleting the window waits for it)
        return {i: (1.0, 1.0) for i in data.ids}

    window.layouts.layouts["waiting"] = waiting
    window.layouts.run("waiting")
    window.undo_stack.setClean()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qtbot.wait(SHOW_PROGRESS_AFTER_MS + 200)  # an exception here fails the test (pytest-qt)
    qtbot.wait(20)
