"""The scene draws by the chart's own display and follows chart.settings when it changes."""

from __future__ import annotations

from PySide6.QtGui import QColor

from workbench.model import Chart, Link, Selection
from workbench.model.display import COUNT, Display
from workbench.view import ChartScene


def busy_chart() -> tuple[Chart, tuple[str, str], tuple[str, str]]:
    """Six links between A and B, one between B and C."""
    chart = Chart("busy")
    a = chart.make_entity("Country", "A", identity="A", x=0.0, y=0.0)
    b = chart.make_entity("Country", "B", identity="B", x=300.0, y=0.0)
    c = chart.make_entity("Country", "C", identity="C", x=300.0, y=300.0)
    for _ in range(6):
        chart.make_link(a.id, b.id, "Associate")
    chart.make_link(b.id, c.id, "Associate")
    return chart, (a.id, b.id), (b.id, c.id)


def line_of(scene: ChartScene, chart: Chart, pair: tuple[str, str]):
    items = [scene.link_item(lk.id) for lk in chart.links_between(*pair)]
    shown = [i for i in items if i.isVisible()]
    assert len(shown) == 1, "a summarised pair is one visible line"
    return shown[0]


def test_a_new_scene_draws_the_charts_display():
    chart, ab, _bc = busy_chart()
    chart.set_setting("display", Display(frames=True, link_labels="type",
                                          link_summary=True).to_json())
    scene = ChartScene(chart, Selection())
    assert scene.options.frames and scene.options.link_labels == "type"
    assert scene.link_summary() and line_of(scene, chart, ab).summary == 6
    scene.detach()


def test_the_scene_follows_settings_changed_and_its_undo():
    chart, ab, _bc = busy_chart()
    scene = ChartScene(chart, Selection())
    visible = [scene.link_item(lk.id).isVisible() for lk in chart.links_between(*ab)]
    assert all(visible) and not scene.link_summary()
    old = chart.set_setting("display", {"link_summary": True, "badges": ["age"]})
    assert scene.link_summary() and scene.options.badges == ("age",)
    assert line_of(scene, chart, ab).shown_text == "6 links"
    chart.set_setting("display", old)
    assert not scene.link_summary() and scene.options.badges == ()
    assert all(scene.link_item(lk.id).isVisible() for lk in chart.links_between(*ab))
    scene.detach()
    chart.set_setting("display", {"frames": True})  # a detached scene no longer follows
    assert not scene.options.frames


def test_summary_lines_by_count_busy_wide_and_solid_single_thin_and_faint():
    chart, ab, bc = busy_chart()
    chart.set_setting("display", {"link_summary": True, "link_width": COUNT})
    scene = ChartScene(chart, Selection())
    busy, single = line_of(scene, chart, ab), line_of(scene, chart, bc)
    assert busy.look.width > 3 * single.look.width
    assert QColor(busy.look.colour).alpha() == 255
    assert QColor(single.look.colour).alpha() < 128
    # A seventh link between B and C: that line now stands for two, and is wider.
    before = single.look.width
    chart.add_links([Link(chart.new_id("l"), bc[0], bc[1], "Associate")])
    assert line_of(scene, chart, bc).look.width > before
    # Without the summary each line is one link: all the same width again.
    chart.set_setting("display", {"link_summary": False, "link_width": COUNT})
    widths = {scene.link_item(lk.id).look.width for lk in chart.links.values()}
    assert len(widths) == 1
    scene.detach()


def test_a_bad_display_in_memory_draws_plainly_and_says_why():
    chart, _ab, _bc = busy_chart()
    chart.settings["display"] = {"link_labels": "sideways"}
    scene = ChartScene(chart, Selection())
    assert scene.options.link_labels == "label"
    assert "link_labels" in scene.display_error and "sideways" in scene.display_error
    chart.set_setting("display", {"link_labels": "none"})
    assert scene.display_error == "" and scene.options.link_labels == "none"
    scene.detach()


def test_formatting_rules_are_followed_without_refresh_calls():
    chart, ab, _bc = busy_chart()
    scene = ChartScene(chart, Selection())
    item = scene.entity_item(ab[0])
    chart.set_setting("formatting", [{"field": "@label", "op": "equals", "value": "A",
                                      "colour": "#123456"}])
    assert item.look.colour == "#123456"
    chart.set_setting("formatting", None)
    assert item.look.colour != "#123456"
    scene.detach()


def test_no_link_labels_leaves_out_the_count_too():
    chart, ab, _bc = busy_chart()
    chart.set_setting("display", {"link_summary": True})
    scene = ChartScene(chart, Selection())
    assert line_of(scene, chart, ab).shown_text == "6 links"
    chart.set_setting("display", {"link_summary": True, "link_labels": "none"})
    assert line_of(scene, chart, ab).shown_text == ""
    scene.detach()


def test_a_chart_opened_summarised_has_its_bows_ready_when_the_summary_goes_off(qtbot):
    """The folded links of a chart opened summarised get their own bows while the window is
    idle; turning the summary off then shows them as they are, measuring none (on the routes
    sample, measuring 21,174 folded links then held the window for a second or more)."""
    chart, ab, _bc = busy_chart()
    chart.set_setting("display", {"link_summary": True})
    scene = ChartScene(chart, Selection())
    items = [scene.link_item(lk.id) for lk in chart.links_between(*ab)]
    qtbot.waitUntil(lambda: len({round(i.offset, 3) for i in items}) == 6, timeout=5000)
    courses = {i.item_id: i.geometry for i in items}
    chart.set_setting("display", {"link_summary": False})
    assert all(i.isVisible() for i in items)
    folded = [i for i in items if i.summary == 0 and courses[i.item_id] is i.geometry]
    assert len(folded) == 5  # all but the summary line's own kept the course made for them
    middles = {(round(i.geometry.middle().x()), round(i.geometry.middle().y())) for i in items}
    assert len(middles) == 6  # six bows, none drawn over another
    scene.detach()
