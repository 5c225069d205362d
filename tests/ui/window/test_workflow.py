"""One analyst session end to end: open, select, drag, undo, add, link, lay out, save, reopen."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtTest import QTest

from workbench.io import load_chart
from workbench.layout import LAYOUTS

from ..mouse import LEFT, NONE, drag, opened, screen_point


def test_a_session_from_open_to_reopen(make_window, qtbot, tmp_path):
    window = make_window()
    window.show()
    hub = opened(window, qtbot)
    QTest.mouseClick(window.view.viewport(), LEFT, NONE, screen_point(window, hub))
    assert window.selection.entities == {hub}
    start = screen_point(window, hub)
    drag(window, start, start + QPoint(80, 40))
    assert window.undo_stack.count() == 1
    window.acts.undo.trigger()
    assert window.undo_stack.index() == 0

    window.acts.add_entity.trigger()
    dialog = window.add_entity_dialog
    dialog.type_box.setCurrentText("Phone")
    dialog.label_edit.setText("burner")
    dialog.identity_edit.setText("+32 470 12 34 56")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    phone = window.chart.find("Phone", "+32470123456")
    window.acts.link_mode.trigger()
    drag(window, screen_point(window, hub), screen_point(window, phone.id))
    window.acts.link_mode.trigger()
    assert len(window.chart.links_between(hub, phone.id)) == 1

    for name in LAYOUTS:
        with qtbot.waitSignal(window.layouts.finished, timeout=20000) as done:
            window.layouts.run(name)
        assert done.args == [name, True]

    target = tmp_path / "session.wbchart"
    assert window.save_chart(target)
    assert window.windowTitle() == "session.wbchart - Workbench"
    again = make_window()
    assert again.open_chart(target)
    assert again.chart == window.chart == load_chart(target)
    assert len(again.chart.entities) == 133
    assert again.counts_label.text() == window.counts_label.text()
    assert again.files.recent.paths()[0] == str(target.resolve())
