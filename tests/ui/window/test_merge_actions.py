"""Edit > Merge Entities and Unmerge on the sample chart: one undo step each, the merged
entity's properties say who joined what, and Analysis > Find Duplicates opens the review."""

from __future__ import annotations

from PySide6.QtCore import Qt

from workbench.io import load_chart, save_chart
from workbench.model import Entity
from workbench.resolve.decisions import current_user
from workbench.ui.window.merge_actions import install_merge_actions

from ..conftest import IDS, SAMPLE


def merging(window):
    window.open_chart(SAMPLE)
    return install_merge_actions(window)


def menu_texts(menu) -> list[str]:
    return [a.text().replace("&", "") for a in menu.actions()]


def test_merge_and_unmerge_are_in_the_menus_and_follow_the_selection(window):
    actions = merging(window)
    assert {"Merge Entities", "Unmerge"} <= set(menu_texts(window.menus.edit))
    assert "Find Duplicates..." in menu_texts(window.analysis_menu)
    assert not actions.merge.isEnabled() and not actions.unmerge.isEnabled()
    window.selection.set([IDS["atar"], IDS["baghdadi"]])
    assert actions.merge.isEnabled() and not actions.unmerge.isEnabled()


def test_merge_by_hand_then_unmerge_round_trips_with_undo(window, tmp_path):
    actions = merging(window)
    before = load_chart(SAMPLE)
    chart = window.chart
    window.selection.set([IDS["atar"], IDS["baghdadi"]])
    actions.merge.trigger()
    survivor = next(iter(window.selection.entities))
    assert len(chart.entities) == len(before.entities) - 1
    assert window.undo_stack.count() == 1 and window.undo_stack.undoText().startswith("Merge")
    story = window.properties.merges
    assert not story.isHidden() and story.textFormat() == Qt.TextFormat.PlainText  # data
    assert "Oussama Atar" in story.text() and "Abu Bakr al-Baghdadi" in story.text()
    assert f"by {current_user()}" in story.text() and "by hand" in story.text()
    assert actions.unmerge.isEnabled()

    window.undo_stack.undo()
    assert chart == before
    window.undo_stack.redo()

    path = tmp_path / "merged.wbchart"
    save_chart(chart, path)
    window.open_chart(path)  # Unmerge still works in a reopened chart
    window.selection.set([survivor])
    actions.unmerge.trigger()
    assert window.selection.entities == {IDS["atar"], IDS["baghdadi"]}
    reopened_before = load_chart(SAMPLE)
    reopened_before.modified = window.chart.modified
    assert window.chart == reopened_before
    window.undo_stack.undo()  # undo the unmerge: merged again, exactly
    assert window.chart.merge_record(survivor) is not None
    assert len(window.chart.entities) == len(before.entities) - 1


def test_unmerge_that_cannot_be_done_says_why_and_pushes_nothing(window):
    actions = merging(window)
    window.selection.set([IDS["atar"], IDS["baghdadi"]])
    actions.merge.trigger()
    survivor = next(iter(window.selection.entities))
    absorbed = window.chart.merge_record(survivor).joined[1]
    old = load_chart(SAMPLE).entity(absorbed)
    window.chart.add_entities([Entity(window.chart.new_id("e"), old.type, old.label,
                                      identity=old.identity)])
    window.selection.set([survivor])
    assert actions.unmerge_selected() == []
    assert "now has the identity" in window.statusBar().currentMessage()
    assert window.undo_stack.count() == 1


def test_find_duplicates_opens_the_review_dock(window, qtbot):
    actions = merging(window)
    actions.review.finder = lambda chart, types, threshold: []
    window.analysis_menu.actions()[-1].trigger()
    assert actions.review.isVisible()
    qtbot.waitUntil(lambda: actions.review.find_button.isEnabled(), timeout=5000)
    assert actions.review.type_box.currentText() == "Person"
