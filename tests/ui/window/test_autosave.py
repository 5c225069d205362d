"""Recovery files: written while work is unsaved, offered after a crash, gone after a save."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from workbench.io import load_chart

from ..conftest import SAMPLE


def test_autosave_writes_and_a_save_removes_it(window, tmp_path):
    window.open_chart(SAMPLE)
    assert not window.autosave.save_now()  # nothing unsaved
    window.selection.set(["e1"])
    window.properties.edit(label="changed")
    assert window.autosave.save_now()
    assert load_chart(window.autosave.chart_file).entity("e1").label == "changed"
    assert not window.autosave.save_now()  # nothing new since
    window.save_chart(tmp_path / "saved.wbchart")
    window.autosave.save_now()
    assert not window.autosave.chart_file.exists()


def test_recovery_after_a_crash(make_window, tmp_path):
    crashed = make_window()
    crashed.open_chart(SAMPLE)
    crashed.selection.set(["e1"])
    crashed.properties.edit(label="unsaved work")
    crashed.autosave.save_now()
    crashed.autosave.lock.unlock()  # what the operating system does when the process dies

    alive = make_window()  # a second window that is still running is not offered
    alive.selection.clear()

    window = make_window()
    assert window.autosave.offer_recovery()
    offer = window.autosave.offer
    assert "nov13-network.wbchart had unsaved changes" in offer.text()
    offer.button(QMessageBox.StandardButton.Yes).click()
    assert window.chart.entity("e1").label == "unsaved work"
    assert window.path == SAMPLE
    assert window.windowTitle() == "nov13-network.wbchart* - Workbench"
    assert not crashed.autosave.chart_file.exists()
    assert window.autosave.chart_file.exists()  # now this session's recovery file
    assert not make_window().autosave.offer_recovery()


def test_discarding_an_orphan_deletes_it(make_window):
    crashed = make_window()
    crashed.open_chart(SAMPLE)
    crashed.selection.set(["e1"])
    crashed.properties.edit(label="unsaved work")
    crashed.autosave.save_now()
    crashed.autosave.lock.unlock()
    window = make_window()
    window.autosave.offer_recovery()
    window.autosave.offer.button(QMessageBox.StandardButton.Discard).click()
    assert not crashed.autosave.chart_file.exists()
    assert not window.chart.entities


def test_a_clean_close_leaves_no_recovery_files(make_window, tmp_path):
    window = make_window(tmp_path / "rec")
    window.open_chart(SAMPLE)
    window.selection.set(["e1"])
    window.properties.edit(label="x")
    window.autosave.save_now()
    window.show()
    window.close()
    window.files.prompt.button(QMessageBox.StandardButton.Discard).click()
    assert list((tmp_path / "rec").iterdir()) == []
