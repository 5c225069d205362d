"""Conditional formatting rules edited in the dialog, applied to the canvas, undoable."""

from __future__ import annotations

import pytest

from workbench.io import load_chart, save_chart
from workbench.model.formatting import SETTINGS_KEY

from ..conftest import SAMPLE


@pytest.fixture
def unformatted(tmp_path):
    """The sample without the rules it ships with."""
    chart = load_chart(SAMPLE)
    chart.settings.pop(SETTINGS_KEY, None)
    save_chart(chart, tmp_path / "plain.wbchart")
    return tmp_path / "plain.wbchart"


def test_rule_colours_attackers_and_undoes(window, tmp_path, unformatted):
    window.open_chart(unformatted)
    abaaoud = window.chart.find("Person", "abdelhamid abaaoud")
    plain = window.scene.entity_item(abaaoud.id).look.colour
    window.acts.formatting.trigger()
    dialog = window.formatting_dialog
    assert dialog.isVisible()
    dialog.add_rule()
    dialog.name.setText("Attackers in red")
    dialog.name.textEdited.emit("Attackers in red")
    dialog.field.setCurrentText("attacker")
    dialog.value.setText("yes")
    dialog.value.textEdited.emit("yes")
    dialog.colour.setText("#C0392B")
    dialog.colour.textEdited.emit("#C0392B")
    dialog.size.setValue(1.5)
    assert dialog.list.item(0).text() == "Attackers in red"
    assert dialog.apply()
    rules = window.chart.settings[SETTINGS_KEY]
    assert rules[0]["field"] == "attacker" and rules[0]["value"] is True
    look = window.scene.entity_item(abaaoud.id).look
    assert look.colour == "#c0392b" and look.size > 32
    assert window.windowTitle().endswith("* - Workbench")
    window.save_chart(tmp_path / "formatted.wbchart")
    assert load_chart(tmp_path / "formatted.wbchart").settings[SETTINGS_KEY] == rules
    window.undo_stack.undo()
    assert SETTINGS_KEY not in window.chart.settings
    assert window.scene.entity_item(abaaoud.id).look.colour == plain


def test_bad_rule_is_named_and_nothing_changes(window, unformatted):
    window.open_chart(unformatted)
    window.acts.formatting.trigger()
    dialog = window.formatting_dialog
    dialog.add_rule()
    dialog.op.setCurrentText("between")
    dialog.value.setText("3")
    dialog.value.textEdited.emit("3")
    assert not dialog.apply()
    assert "formatting rule 1: 'between' needs 'value' and 'high'" in dialog.problem.text()
    assert SETTINGS_KEY not in window.chart.settings and window.undo_stack.count() == 0
    dialog.high.setText("10")
    dialog.high.textEdited.emit("10")
    dialog.field.setCurrentText("@links")
    dialog.visible.setCurrentText("hide")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert not dialog.isVisible()
    hidden = [e for e in window.chart.entities.values()
              if not window.scene.entity_item(e.id).isVisible()]
    assert hidden and all(3 <= len(window.chart.links_of(e.id)) <= 10 for e in hidden)
