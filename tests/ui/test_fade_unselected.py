"""View > Chart Display > Fade Unselected: a display choice of the chart, one undo step; and
the window's chart, once opened, has its labels placed at a readable size."""

from __future__ import annotations

from .conftest import SAMPLE


def test_fade_unselected_is_an_undoable_display_choice(window):
    window.open_chart(SAMPLE)
    # The opened chart's scene is new: its labels are placed for the window's view.
    assert window.scene.options.placed_labels and window.scene.labels.placed
    action = window.display.fade
    assert not action.isChecked() and not window.scene.display.fade_unselected
    action.trigger()
    assert window.scene.display.fade_unselected
    assert window.chart.settings["display"]["fade_unselected"] is True
    window.selection.set([next(iter(window.chart.entities))])
    assert window.scene.options.fade_active
    window.undo_stack.undo()
    assert not window.scene.options.fade_active and not action.isChecked()
    assert window.selection  # the selection stays as it was
