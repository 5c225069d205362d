"""Layouts run off the GUI thread and land as one undoable step."""

from __future__ import annotations

import threading
import time

from PySide6.QtWidgets import QPushButton

from .conftest import SAMPLE


def test_layout_runs_off_the_gui_thread_and_undoes_in_one_step(window, qtbot):
    window.open_chart(SAMPLE)
    before = {e.id: (e.x, e.y) for e in window.chart.entities.values()}
    threads = []

    def line(chart):
        threads.append(threading.current_thread())
        return {e.id: (i * 50.0, 0.0) for i, e in enumerate(chart.entities.values())}

    window.layouts.layouts = {"line": line}
    with qtbot.waitSignal(window.layouts.finished) as done:
        window.layouts.run("line")
    assert done.args == ["line", True]
    assert threads[0] is not threading.main_thread()
    assert window.chart.entity("e2").y == 0.0
    assert window.undo_stack.count() == 1
    assert window.undo_stack.undoText() == "Layout: line"
    window.undo_stack.undo()
    assert {e.id: (e.x, e.y) for e in window.chart.entities.values()} == before


def test_slow_layout_shows_progress_and_can_be_cancelled(window, qtbot):
    window.open_chart(SAMPLE)
    release = threading.Event()

    def slow(chart):
        release.wait(5)
        return {e.id: (1.0, 1.0) for e in chart.entities.values()}

    window.layouts.layouts = {"slow": slow}
    window.layouts.run("slow")
    qtbot.waitUntil(lambda: window.layouts.progress is not None
                    and window.layouts.progress.isVisible())
    cancel = window.layouts.progress.findChild(QPushButton)
    assert cancel.text() == "Cancel"
    with qtbot.waitSignal(window.layouts.finished, timeout=1000) as done:
        cancel.click()
    assert done.args == ["slow", False]
    release.set()
    window.layouts.pool.waitForDone(5000)
    time.sleep(0.05)
    qtbot.wait(50)
    assert window.chart.entity("e1").x != 1.0 and window.undo_stack.count() == 0


def test_failing_layout_says_why(window, qtbot):
    window.open_chart(SAMPLE)

    def broken(chart):
        raise ValueError("graph has no nodes of degree > 0")

    window.layouts.layouts = {"broken": broken}
    with qtbot.waitSignal(window.layouts.finished):
        window.layouts.run("broken")
    assert "graph has no nodes of degree > 0" in window.files.message.text()
    assert window.undo_stack.count() == 0
