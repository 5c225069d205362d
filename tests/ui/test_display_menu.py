"""View > Chart Display: the analyst's display choices reach the scene and survive Open."""

from __future__ import annotations

from workbench.model import Kind, Value

from .conftest import IDS, SAMPLE


def entries(menu):
    return {a.text(): a for a in menu.actions() if a.text()}


def test_display_choices_reach_the_scene_and_follow_a_new_chart(window):
    window.open_chart(SAMPLE)
    display, scene = window.display, window.scene
    menu = entries(window.menus.display)
    menu["Entity &Frames"].trigger()
    assert scene.options.frames
    menu["Link Types"].trigger()
    assert scene.options.link_labels == "type"
    menu["&Summarise Parallel Links"].trigger()
    assert scene.link_summary()
    display.badge_menu.aboutToShow.emit()
    entries(display.badge_menu)["attacker"].trigger()
    assert scene.options.badges == ("attacker",)
    window.open_chart(SAMPLE)  # a new scene gets the same choices
    assert window.scene is not scene
    assert window.scene.options.frames and window.scene.options.link_labels == "type"
    assert window.scene.link_summary() and window.scene.options.badges == ("attacker",)
    assert window.settings.value("display/link_labels") == "type"


def test_link_width_by_a_numeric_attribute(window):
    window.open_chart(SAMPLE)
    link = window.chart.link(IDS["atar-baghdadi"])
    window.chart.update_link(IDS["atar-baghdadi"], attributes={"calls": Value(Kind.NUMBER, 40)})
    window.display.width_menu.aboutToShow.emit()
    choices = entries(window.display.width_menu)
    assert set(choices) == {"(all the same)", "calls"}
    plain = window.scene.link_item(IDS["nemmouche-abaaoud"]).look.width
    choices["calls"].trigger()
    assert window.scene.link_item(link.id).look.width > plain
