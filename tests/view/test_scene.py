"""ChartScene follows the model, keeps selection in step and reports intents."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from workbench.model import Chart, Entity, Selection
from workbench.view import ChartScene
from workbench.view.entity_item import EntityItem
from workbench.view.link_item import LinkItem


def test_sample_chart_has_one_item_per_entity_and_link(sample_chart):
    scene = ChartScene(sample_chart, Selection())
    entities = [i for i in scene.items() if isinstance(i, EntityItem)]
    links = [i for i in scene.items() if isinstance(i, LinkItem)]
    assert len(entities) == len(sample_chart.entities) == 132
    assert len(links) == len(sample_chart.links) == 262
    e = sample_chart.find("Person", "abdelhamid abaaoud")
    item = scene.entity_item(e.id)
    assert (item.pos().x(), item.pos().y()) == (e.x, e.y)
    assert item.label == "Abdelhamid Abaaoud"
    scene.detach()


def test_scene_follows_model_changes(small_chart):
    scene = ChartScene(small_chart, Selection())
    new = Entity(id="n1", type="Email", label="x@example.org", x=10.0, y=20.0)
    small_chart.add_entities([new])
    assert scene.entity_item("n1").pos().toTuple() == (10.0, 20.0)
    link = small_chart.make_link("n1", "e1", "Emails")
    assert scene.link_item(link.id).end1 is scene.entity_item("n1")
    small_chart.move_entities({"n1": (500.0, -40.0)})
    assert scene.entity_item("n1").pos().toTuple() == (500.0, -40.0)
    geometry = scene.link_item(link.id).geometry
    assert abs(geometry.sx - 500.0) < 25 and abs(geometry.sy + 40.0) < 25
    small_chart.update_entity("n1", label="renamed@example.org")
    assert scene.entity_item("n1").label == "renamed@example.org"
    small_chart.remove_entities(["n1"])
    assert scene.entity_item("n1") is None and scene.link_item(link.id) is None
    assert not [i for i in scene.items() if getattr(i, "item_id", None) in ("n1", link.id)]
    scene.detach()


def test_parallel_links_are_separate_curves(small_chart):
    scene = ChartScene(small_chart, Selection())
    between = small_chart.links_between("e1", "e2")
    assert len(between) == 3
    middles = {(round(scene.link_item(lk.id).geometry.middle().x(), 1),
                round(scene.link_item(lk.id).geometry.middle().y(), 1)) for lk in between}
    assert len(middles) == 3  # three distinct curves, none on top of another
    ys = sorted(y for _, y in middles)
    assert ys[1] - ys[0] >= 15 and ys[2] - ys[1] >= 15
    scene.set_link_summary(True)
    shown = [lk for lk in between if scene.link_item(lk.id).isVisible()]
    assert len(shown) == 1 and scene.link_item(shown[0].id).shown_text == "3 links"
    scene.set_hidden(link_ids=[shown[0].id])  # filter out the one standing for the pair
    shown = [lk for lk in between if scene.link_item(lk.id).isVisible()]
    # another stands for the pair, counting the links the filter leaves
    assert len(shown) == 1 and scene.link_item(shown[0].id).shown_text == "2 links"
    scene.set_hidden()
    scene.set_link_summary(False)
    assert all(scene.link_item(lk.id).isVisible() for lk in between)
    scene.detach()


def test_selection_in_step_both_ways(small_chart):
    selection = Selection()
    scene = ChartScene(small_chart, selection)
    selection.set(["e1"], ["l5"])
    assert scene.entity_item("e1").isSelected() and scene.link_item("l5").isSelected()
    assert not scene.entity_item("e2").isSelected()
    scene.entity_item("e2").setSelected(True)
    assert selection.entities == {"e1", "e2"}
    scene.clearSelection()
    assert not selection
    scene.detach()


def test_tooltip_escapes_untrusted_text(small_chart):
    small_chart.update_entity("e1", label="<img src=x onerror=alert(1)>")
    scene = ChartScene(small_chart, Selection())
    text = scene.tooltip_for("e1")
    assert "<img" not in text and "&lt;img" in text
    assert "Person" in text
    assert "Alice" not in scene.tooltip_for("l5") or "&lt;img" in scene.tooltip_for("l5")
    scene.detach()


def test_drag_emits_one_intent_and_leaves_model_alone(qtbot, small_chart, make_view):
    scene, view, _ = make_view(small_chart)
    item = scene.entity_item("e3")
    start = view.mapFromScene(item.pos())
    with qtbot.waitSignal(scene.entities_dragged, timeout=2000) as blocker:
        qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
        for step in range(1, 6):
            qtbot.mouseMove(view.viewport(), start + QPoint(step * 10, step * 4))
        qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton,
                           pos=start + QPoint(50, 20))
    old, new = blocker.args
    assert old == {"e3": (150.0, 250.0)}
    assert new["e3"][0] > 150.0 and new["e3"][1] > 250.0
    assert (small_chart.entity("e3").x, small_chart.entity("e3").y) == (150.0, 250.0)


def test_link_mode_requests_a_link(qtbot, small_chart, make_view):
    scene, view, _ = make_view(small_chart)
    view.set_mode("link")
    a = view.mapFromScene(scene.entity_item("e3").pos())
    b = view.mapFromScene(scene.entity_item("e4").pos())
    with qtbot.waitSignal(scene.link_requested, timeout=2000) as blocker:
        qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=a)
        qtbot.mouseMove(view.viewport(), (a + b) / 2)
        qtbot.mouseMove(view.viewport(), b)
        qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=b)
    assert blocker.args == ["e3", "e4"]
    assert len(small_chart.links) == 5  # the scene only asks
    assert not [i for i in scene.items() if type(i).__name__ == "QGraphicsLineItem"]


def test_double_click_activates_item(qtbot, small_chart, make_view):
    scene, view, _ = make_view(small_chart)
    pos = view.mapFromScene(scene.entity_item("e4").pos())
    with qtbot.waitSignal(scene.item_activated, timeout=2000) as blocker:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert blocker.args == ["e4"]


def test_hidden_items_and_formatting(small_chart):
    small_chart.settings["formatting"] = [
        {"field": "@label", "op": "equals", "value": "Carol", "colour": "#ff0000", "size": 2},
    ]
    scene = ChartScene(small_chart, Selection())
    assert scene.entity_item("e3").look.colour == "#ff0000"
    assert scene.entity_item("e3").look.size == 64.0
    bob_carol = scene.link_item(small_chart.links_between("e2", "e3")[0].id)
    scene.set_hidden(["e3"])
    assert not scene.entity_item("e3").isVisible()
    assert not bob_carol.isVisible()  # goes with Carol
    scene.set_hidden()
    assert scene.entity_item("e3").isVisible() and bob_carol.isVisible()
    small_chart.settings["formatting"] = [{"field": "@type", "value": "Phone",
                                           "visible": False}]
    scene.refresh_formatting()
    assert not scene.entity_item("e4").isVisible()
    assert scene.entity_item("e3").look.colour != "#ff0000"
    scene.detach()


def test_empty_chart(qtbot, make_view):
    scene, view, _ = make_view(Chart())
    view.zoom_to_fit()
    assert scene.chart_rect().isEmpty()


def test_link_width_by_attribute(small_chart):
    from workbench.model import Kind, Value

    links = list(small_chart.links.values())
    small_chart.update_link(links[0].id, attributes={"amount": Value(Kind.NUMBER, 100.0)})
    small_chart.update_link(links[1].id, attributes={"amount": Value(Kind.NUMBER, 25.0)})
    scene = ChartScene(small_chart, Selection())
    scene.set_link_width_attribute("amount")
    widths = [scene.link_item(lk.id).look.width for lk in links]
    assert widths[0] > widths[1] > widths[2]  # no amount: the plain width
    scene.set_link_width_attribute(None)
    assert len({scene.link_item(lk.id).look.width for lk in links}) == 1
    scene.detach()


def test_undo_style_remove_and_restore_rebuilds_items_and_curves(small_chart):
    scene = ChartScene(small_chart, Selection())
    removed, links = small_chart.remove_entities(["e1"])
    assert scene.entity_item("e1") is None
    assert all(scene.link_item(lk.id) is None for lk in links)
    small_chart.add_entities(removed)
    small_chart.add_links(links)
    between = small_chart.links_between("e1", "e2")
    middles = {round(scene.link_item(lk.id).geometry.middle().y()) for lk in between}
    assert len(between) == 3 and len(middles) == 3  # the curves are apart again


def test_labels_are_one_line(small_chart):
    small_chart.update_entity("e1", label="Alice\n  Smith\tjr")
    scene = ChartScene(small_chart, Selection())
    assert scene.entity_item("e1").label == "Alice Smith jr"
    scene.detach()
