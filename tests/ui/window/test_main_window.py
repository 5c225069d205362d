"""The real main window driven as an analyst would: open, edit, undo, save, reopen, close."""

from __future__ import annotations

import zipfile

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDockWidget, QMessageBox

from workbench.io import load_chart
from workbench.model import Chart, Entity

from ..conftest import SAMPLE

Button = QMessageBox.StandardButton


def test_window_opens_a_chart_and_shows_counts(window):
    replaced = []
    window.chart_replaced.connect(lambda: replaced.append(window.chart))
    assert window.open_chart(SAMPLE)
    assert window.windowTitle() == "nov13-network.wbchart - Workbench"
    assert len(window.chart.entities) == 132
    assert window.counts_label.text() == "132 entities, 262 links"
    assert replaced == [window.chart]
    assert window.scene.chart is window.chart
    window.selection.set(["e1", "e4"], ["l3"])
    assert window.selection_label.text() == "2 entities and 1 link selected"
    assert window.acts.delete.isEnabled()


def test_damaged_chart_shows_the_reason_and_keeps_the_old_chart(window, tmp_path):
    window.open_chart(SAMPLE)
    bad = tmp_path / "bad.wbchart"
    bad.write_bytes(b"junk")
    assert not window.open_chart(bad)
    box = window.files.message
    assert box.isVisible() and box.windowTitle() == "Cannot open chart"
    assert "bad.wbchart: not a Workbench chart file" in box.text()
    assert len(window.chart.entities) == 132 and window.path == SAMPLE


def test_newer_format_is_refused_with_the_loaders_message(window, tmp_path):
    newer = tmp_path / "newer.wbchart"
    with zipfile.ZipFile(SAMPLE) as src, zipfile.ZipFile(newer, "w") as dst:
        dst.writestr("manifest.json", b'{"format": "workbench-chart", "format_version": 99,'
                                      b' "app_version": "9.0"}')
        dst.writestr("chart.json", src.read("chart.json"))
    assert not window.open_chart(newer)
    assert "saved by a newer Workbench" in window.files.message.text()
    assert not window.chart.entities


def test_edit_marks_title_undo_clears_it_and_delete_is_one_step(window):
    window.open_chart(SAMPLE)
    abaaoud = window.chart.find("Person", "abdelhamid abaaoud")
    links = len(window.chart.links_of(abaaoud.id))
    window.selection.set([abaaoud.id])
    window.acts.delete.trigger()
    assert abaaoud.id not in window.chart.entities
    assert len(window.chart.links) == 262 - links
    assert window.windowTitle() == "nov13-network.wbchart* - Workbench"
    assert window.counts_label.text() == f"131 entities, {262 - links} links"
    window.acts.undo.trigger()
    assert len(window.chart.links) == 262 and abaaoud.id in window.chart.entities
    assert window.windowTitle() == "nov13-network.wbchart - Workbench"


def test_add_entity_through_the_dialog_and_link_it(window, qtbot):
    window.open_chart(SAMPLE)
    window.acts.add_entity.trigger()
    dialog = window.add_entity_dialog
    assert dialog.isVisible()
    dialog.type_box.setCurrentText("Phone")
    qtbot.keyClicks(dialog.label_edit, "burner phone")
    qtbot.keyClicks(dialog.identity_edit, "not a phone")
    assert "not a phone number" in dialog.problem.text()
    dialog.identity_edit.setText("07700 900123")
    assert dialog.problem.text() == ""
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    phone = window.chart.find("Phone", "+447700900123")
    assert phone is not None and phone.label == "burner phone"
    assert window.selection.entities == {phone.id}
    abaaoud = window.chart.find("Person", "abdelhamid abaaoud")
    window.scene.link_requested.emit(abaaoud.id, phone.id)  # what a drag in link mode sends
    (link,) = window.chart.links_between(abaaoud.id, phone.id)
    assert window.selection.links == {link.id}
    assert window.undo_stack.count() == 2
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert window.chart.find("Phone", "+447700900123") is None
    # the same identity again is named, not duplicated
    window.undo_stack.redo()
    window.acts.add_entity.trigger()
    window.add_entity_dialog.type_box.setCurrentText("Phone")
    window.add_entity_dialog.label_edit.setText("again")
    window.add_entity_dialog.identity_edit.setText("+44 7700 900123")
    assert "already in the chart: burner phone" in window.add_entity_dialog.problem.text()
    assert not window.add_entity_dialog.buttons.button(
        window.add_entity_dialog.buttons.StandardButton.Ok).isEnabled()


def test_drag_is_one_undo_step(window):
    window.open_chart(SAMPLE)
    old = {"e1": (window.chart.entity("e1").x, window.chart.entity("e1").y),
           "e2": (window.chart.entity("e2").x, window.chart.entity("e2").y)}
    new = {"e1": (10.0, 20.0), "e2": (30.0, 40.0)}
    window.scene.entities_dragged.emit(old, new)
    assert (window.chart.entity("e2").x, window.chart.entity("e2").y) == (30.0, 40.0)
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert (window.chart.entity("e1").x, window.chart.entity("e1").y) == old["e1"]


def test_save_reopen_compare(window, tmp_path):
    window.open_chart(SAMPLE)
    window.selection.set(["e1"])
    window.properties.label_edit.setText("Oussama Atar (Abu Ahmad)")
    window.properties.label_edit.editingFinished.emit()
    target = tmp_path / "copy"
    assert window.save_chart(target)
    assert window.path == tmp_path / "copy.wbchart"
    assert window.windowTitle() == "copy.wbchart - Workbench"
    reopened = load_chart(tmp_path / "copy.wbchart")
    assert reopened == window.chart
    assert reopened.entity("e1").label == "Oussama Atar (Abu Ahmad)"
    assert window.files.recent.paths()[0] == str((tmp_path / "copy.wbchart").resolve())


def test_failed_save_shows_why_and_leaves_the_file(window, tmp_path):
    window.open_chart(SAMPLE)
    target = tmp_path / "chart.wbchart"
    target.write_bytes(b"the analyst's previous file")
    window.selection.set(["e1"])
    window.properties.edit(label="changed")
    window.chart.images["../escape.png"] = b"not allowed in a chart file"
    assert not window.save_chart(target)
    assert "cannot save image named '../escape.png'" in window.files.message.text()
    assert target.read_bytes() == b"the analyst's previous file"
    del window.chart.images["../escape.png"]
    folder = tmp_path / "a folder.wbchart"
    folder.mkdir()
    assert not window.save_chart(folder)
    assert "The file on disk (if any) is unchanged" in window.files.message.text()
    assert folder.is_dir() and window.path == SAMPLE
    assert window.windowTitle().startswith("nov13-network.wbchart*")


def test_closing_unsaved_work_asks_first(window, qtbot, tmp_path):
    window.open_chart(SAMPLE)
    window.selection.set(["e1"])
    window.properties.edit(label="changed")
    window.close()
    prompt = window.files.prompt
    assert window.isVisible() and prompt.isVisible()
    prompt.button(Button.Cancel).click()
    assert window.isVisible() and window.chart.entity("e1").label == "changed"
    window.close()
    window.files.prompt.button(Button.Discard).click()
    qtbot.waitUntil(lambda: not window.isVisible())


def test_new_chart_with_unsaved_work_can_save_first(window, tmp_path):
    saved = tmp_path / "nov13.wbchart"
    window.open_chart(SAMPLE)
    window.save_chart(saved)
    window.selection.set(["e1"])
    window.properties.edit(label="changed")
    window.acts.new.trigger()
    window.files.prompt.button(Button.Save).click()
    assert load_chart(saved).entity("e1").label == "changed"
    assert not window.chart.entities and window.path is None
    assert window.windowTitle() == "Untitled chart - Workbench"


def test_recent_files_menu_opens_a_chart(window, tmp_path):
    copy = tmp_path / "recent.wbchart"
    copy.write_bytes(SAMPLE.read_bytes())
    window.open_chart(copy)
    window.acts.new.trigger()
    window.menus.recent.aboutToShow.emit()
    entries = [a for a in window.menus.recent.actions() if a.text() == "recent.wbchart"]
    entries[0].trigger()
    assert window.path == copy and len(window.chart.entities) == 132


def test_docks_remember_their_place(make_window, settings_file, qtbot):
    first = make_window()
    first.show()
    first.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, first.find_dock)
    extra = QDockWidget("Histogram")
    first.add_dock(extra, Qt.DockWidgetArea.BottomDockWidgetArea)
    first.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, extra)
    first.close()
    assert QSettings(str(settings_file), QSettings.Format.IniFormat).contains("window/state")
    second = make_window()
    second.show()
    assert second.dockWidgetArea(second.find_dock) == Qt.DockWidgetArea.LeftDockWidgetArea
    late = QDockWidget("Histogram")  # a dock added after the state was restored
    second.add_dock(late, Qt.DockWidgetArea.BottomDockWidgetArea)
    assert second.dockWidgetArea(late) == Qt.DockWidgetArea.TopDockWidgetArea
    assert late.toggleViewAction() in second.menus.docks.actions()


def test_select_all_and_analysis_menu(window):
    window.replace_chart(Chart(), None)
    window.chart.add_entities([Entity("a", "Person", "A"), Entity("b", "Person", "B")])
    window.acts.select_all.trigger()
    assert window.selection.entities == {"a", "b"}
    assert window.analysis_menu.title() == "&Analysis"
    assert window.selection_label.text() == "2 entities selected"


def test_dropping_a_chart_file_opens_it(window):
    from PySide6.QtCore import QMimeData, QPoint, QUrl
    from PySide6.QtGui import QDropEvent

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(SAMPLE))])
    drop = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(drop)
    assert window.path == SAMPLE and len(window.chart.entities) == 132


def test_export_pictures_of_the_chart_and_the_selection(qtbot, window, tmp_path):
    from PySide6.QtGui import QImage

    window.open_chart(SAMPLE)
    titles = [a.text() for a in window.export_menu.actions()]
    assert titles[:2] == ["Chart &Picture...", "&Selected Items as Picture..."]
    pictures = window.pictures
    with qtbot.waitSignal(pictures.written, timeout=60_000):
        assert pictures.export(tmp_path / "whole.png")  # drawn on a worker
    window.selection.set(["e5"])
    with qtbot.waitSignal(pictures.written, timeout=60_000):
        assert pictures.export(tmp_path / "one.png", selected_only=True)
        window.selection.set(["e6", "e7"])  # the picture is of the selection when asked
    whole, one = QImage(str(tmp_path / "whole.png")), QImage(str(tmp_path / "one.png"))
    assert whole.width() > 4 * one.width() and not one.isNull()
    with qtbot.waitSignal(pictures.written, timeout=60_000):
        assert pictures.export(tmp_path / "whole.svg")
    assert (tmp_path / "whole.svg").read_text().lstrip().startswith("<?xml")
    assert not pictures.export(tmp_path / "whole.bmp")
    assert "unknown picture format" in window.files.message.text()


def test_entities_added_in_a_row_do_not_cover_each_other(window):
    for label in ("one", "two", "three"):
        window.add_entity(Entity(window.chart.new_id("e"), "Person", label))
    assert len({(e.x, e.y) for e in window.chart.entities.values()}) == 3
    assert window.undo_stack.count() == 3


def test_chart_properties_set_the_marking_as_one_step(window):
    window.open_chart(SAMPLE)
    before = (window.chart.marking, window.chart.author, window.chart.region)
    window.acts.chart_info.trigger()
    dialog = window.chart_info_dialog
    assert dialog.marking.text() == before[0]
    dialog.marking.setText("OFFICIAL-SENSITIVE")
    dialog.author.setText("Analyst 7")
    dialog.region.setCurrentText("FR")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    chart = window.chart
    assert (chart.marking, chart.author, chart.region) == ("OFFICIAL-SENSITIVE", "Analyst 7", "FR")
    assert window.undo_stack.count() == 1 and window.windowTitle().endswith("* - Workbench")
    window.undo_stack.undo()
    assert (chart.marking, chart.author, chart.region) == before


def test_a_missing_recent_file_leaves_the_list(window, tmp_path):
    gone = tmp_path / "gone.wbchart"
    gone.write_bytes(SAMPLE.read_bytes())
    window.open_chart(gone)
    gone.unlink()
    window.files.open_recent(str(gone.resolve()))
    assert "no such file" in window.files.message.text()
    assert str(gone.resolve()) not in window.files.recent.paths()


def test_import_entry_waits_for_the_wizard(window):
    assert not window.acts.import_data.isEnabled()
    opened = []
    window.set_import_handler(opened.append)
    window.acts.import_data.trigger()
    assert opened == [[]] and window.acts.import_data.shortcut().toString() == "Ctrl+I"


def test_select_linked_grows_the_selection_one_step(window):
    window.open_chart(SAMPLE)
    window.selection.set(["e2"])
    window.acts.select_linked.trigger()
    assert window.selection.entities == {"e2", *(lk.other_end("e2")
                                                 for lk in window.chart.links_of("e2"))}
    assert window.selection.links == {lk.id for lk in window.chart.links_of("e2")}
    assert window.undo_stack.count() == 0
