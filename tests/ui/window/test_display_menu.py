"""View > Chart Display: the choices belong to the chart, are undoable and travel with the file."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from workbench.io import load_chart
from workbench.model import Kind, Value
from workbench.ui.window.main_window import MainWindow

from ...pictures import changed_share
from ..conftest import IDS, SAMPLE


def entries(menu):
    return {a.text(): a for a in menu.actions() if a.text()}


def test_display_choices_are_undo_steps_on_the_chart(window):
    window.open_chart(SAMPLE)
    display, scene = window.display, window.scene
    menu = entries(window.menus.display)
    assert window.undo_stack.isClean() and not scene.options.frames
    menu["Entity &Frames"].trigger()
    assert scene.options.frames and window.chart.settings["display"]["frames"] is True
    assert not window.undo_stack.isClean() and window.windowTitle().startswith(
        "nov13-network.wbchart*")
    menu["Link Types"].trigger()
    assert scene.options.link_labels == "type"
    menu["&Summarise Parallel Links"].trigger()
    assert scene.link_summary()
    display.badge_menu.aboutToShow.emit()
    entries(display.badge_menu)["attacker"].trigger()
    assert scene.options.badges == ("attacker",)
    assert window.undo_stack.count() == 4
    assert window.undo_stack.undoText() == "Chart display: Badges"

    window.undo_stack.undo()  # badges off again
    assert scene.options.badges == () and scene.link_summary()
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert scene.options.link_labels == "label" and not scene.link_summary()
    assert menu["Link Labels"].isChecked() and not menu["&Summarise Parallel Links"].isChecked()
    window.undo_stack.undo()  # back to the plain chart, as it was in the file
    assert not scene.options.frames and not menu["Entity &Frames"].isChecked()
    assert "display" not in window.chart.settings and window.undo_stack.isClean()
    window.undo_stack.redo()
    assert scene.options.frames and menu["Entity &Frames"].isChecked()
    # Nothing is kept on this machine: another chart opens as it was saved (plain).
    window.open_chart(SAMPLE)
    assert window.scene is not scene and not window.scene.options.frames
    assert not menu["Entity &Frames"].isChecked()
    assert window.settings.value("display/frames") is None


def test_a_saved_display_shows_the_same_in_a_new_window_with_other_settings(
        window, qtbot, tmp_path):
    window.open_chart(SAMPLE)
    menu = entries(window.menus.display)
    menu["&Summarise Parallel Links"].trigger()
    menu["No Link Labels"].trigger()
    window.display.width_menu.aboutToShow.emit()
    entries(window.display.width_menu)["Number of Links (summary lines)"].trigger()
    path = tmp_path / "shared.wbchart"
    assert window.save_chart(path)
    # A colleague's machine: other settings (an earlier version's display choices in them).
    other = QSettings(str(tmp_path / "colleague.ini"), QSettings.Format.IniFormat)
    other.setValue("display/frames", True)
    other.setValue("display/link_labels", "type")
    other.setValue("display/link_summary", False)
    colleague = MainWindow(settings=other, recovery_dir=tmp_path / "colleague-recovery")
    qtbot.addWidget(colleague)
    colleague.show()
    assert colleague.open_chart(path)
    scene = colleague.scene
    assert scene.link_summary() and scene.options.link_labels == "none"
    assert not scene.options.frames
    assert scene.display == window.scene.display
    their = entries(colleague.menus.display)
    assert their["&Summarise Parallel Links"].isChecked() and their["No Link Labels"].isChecked()
    assert not their["Entity &Frames"].isChecked()
    # Drawn the same: the pair of many links is one line as wide as the first window's.
    busy = max(scene._pairs.values(), key=len)
    line = next(scene.link_item(i) for i in busy if scene.link_item(i).summary > 1)
    assert line.summary == len(busy)
    assert line.look == window.scene.link_item(line.item_id).look
    assert colleague.undo_stack.isClean()


def test_link_width_by_a_numeric_attribute(window):
    window.open_chart(SAMPLE)
    link = window.chart.link(IDS["atar-baghdadi"])
    window.chart.update_link(IDS["atar-baghdadi"], attributes={"calls": Value(Kind.NUMBER, 40)})
    window.display.width_menu.aboutToShow.emit()
    choices = entries(window.display.width_menu)
    assert set(choices) == {"(all the same)", "Number of Links (summary lines)", "calls"}
    plain = window.scene.link_item(IDS["nemmouche-abaaoud"]).look.width
    choices["calls"].trigger()
    assert window.scene.link_item(link.id).look.width > plain
    assert window.chart.settings["display"]["link_width"] == "calls"
    window.undo_stack.undo()
    assert window.scene.link_item(link.id).look.width == plain


def test_formatting_edits_redraw_without_the_window_asking(window):
    """The scene follows chart.settings itself: an undo of a formatting change redraws."""
    from workbench.ui.commands import SetChartSettingCommand

    window.open_chart(SAMPLE)
    item = window.scene.entity_item(IDS["atar"])
    before = item.look.colour
    rule = {"name": "Atar", "field": "@label", "op": "contains", "value": "Atar",
            "colour": "#123456"}
    window.undo_stack.push(SetChartSettingCommand(window.chart, "formatting", [rule]))
    assert item.look.colour == "#123456"
    window.undo_stack.undo()
    assert item.look.colour == before


def test_a_sample_opens_with_its_own_display(window):
    calls = load_chart(SAMPLE.with_name("call-records.wbchart"))
    assert calls.settings["display"]["link_summary"] is True
    window.open_chart(SAMPLE.with_name("call-records.wbchart"))
    assert window.scene.link_summary() and window.scene.display.link_width == "@count"
    assert entries(window.menus.display)["&Summarise Parallel Links"].isChecked()


def test_the_windows_picture_export_shows_the_charts_display(qtbot, window, tmp_path):
    from PySide6.QtGui import QImage

    from workbench.export.chart_image import chart_image

    window.open_chart(SAMPLE)
    plain = tmp_path / "plain.png"
    with qtbot.waitSignal(window.pictures.written, timeout=60_000):
        assert window.pictures.export(plain)
    entries(window.menus.display)["&Summarise Parallel Links"].trigger()
    entries(window.menus.display)["Entity &Frames"].trigger()
    shown = tmp_path / "shown.png"
    with qtbot.waitSignal(window.pictures.written, timeout=60_000):
        assert window.pictures.export(shown)
    picture = QImage(str(shown))
    # drawn in a child process from a copy of the chart: the same picture as one drawn here,
    # up to the antialiasing of lines drawn in another order (under 0.5% of the pixels), and
    # far from the picture before the display changed
    assert changed_share(picture, chart_image(window.chart)) < 0.005
    assert changed_share(picture, QImage(str(plain))) > 0.02


def test_a_file_with_a_bad_display_is_refused_in_the_window(window, tmp_path):
    from tests.hostile.bombs import forge_chart_json
    from workbench.io import save_chart

    bad = tmp_path / "bad-display.wbchart"
    save_chart(load_chart(SAMPLE), bad)
    forge_chart_json(bad, lambda d: d["settings"].update(display={"link_summary": "often"}))
    before = window.chart
    assert not window.open_chart(bad)
    assert window.chart is before
    text = window.files.message.text() + window.files.message.informativeText()
    assert "bad-display.wbchart" in text and "settings.display" in text
    assert "link_summary" in text
    window.files.message.close()
