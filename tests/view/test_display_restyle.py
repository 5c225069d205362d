"""A display change restyles only what it changes (Link Labels, Badges, Link Width By an
attribute took half a second or more on the routes sample: every link's course was run again),
and the chart then looks exactly as a chart opened with that display: same texts, looks,
courses, bounds and selection."""

from __future__ import annotations

import pytest

from workbench.model import Chart, Kind, Selection, Value
from workbench.model.display import COUNT, Display
from workbench.view import ChartScene


def chart_with_values() -> Chart:
    """A, B, C: three links between A and B (parallel, bowed), amounts and ages to show."""
    chart = Chart("restyle")
    a = chart.make_entity("Person", "Alice Long-Surname", identity="a", x=0.0, y=0.0,
                          attributes={"age": Value(Kind.NUMBER, 34)})
    b = chart.make_entity("Person", "Bob", identity="b", x=400.0, y=0.0)
    c = chart.make_entity("Person", "Carol", identity="c", x=200.0, y=300.0,
                          attributes={"age": Value(Kind.NUMBER, 19)})
    for amount in (10.0, 50.0, 100.0):
        chart.make_link(a.id, b.id, "Transaction", label=f"paid {amount:.0f}",
                        attributes={"amount": Value(Kind.NUMBER, amount)})
    chart.make_link(b.id, c.id, "Associate", label="knows")
    return chart


def drawn(scene: ChartScene) -> dict[str, tuple]:
    """What the reader gets from each item: look, text, badges, course, bounds, shown."""
    out = {}
    for entity_id in scene.chart.entities:
        item = scene.entity_item(entity_id)
        out[entity_id] = (item.look, item.label, tuple(item.badges), item.boundingRect(),
                          item.isVisible())
    for link_id in scene.chart.links:
        item = scene.link_item(link_id)
        if not item.isVisible():  # folded into a summary line: not drawn
            out[link_id] = (item.look, False)
            continue
        g = item.geometry
        out[link_id] = (item.look, item.shown_text, (g.sx, g.sy, g.cx, g.cy, g.ex, g.ey),
                        item.boundingRect())
    return out


@pytest.mark.parametrize("change", [
    {"link_labels": "type"}, {"link_labels": "none"}, {"badges": ["age"]},
    {"link_width": "amount"}, {"link_width": "amount", "link_labels": "none"},
    {"link_summary": True, "link_labels": "none"},
    {"link_summary": True, "link_width": "amount"},  # from the routes sample's own display
    {"link_summary": True, "link_width": None}, {"link_summary": True, "badges": ["age"]},
])
@pytest.mark.parametrize("start", [{}, {"link_summary": True, "link_width": COUNT,
                                       "link_labels": "none"}])  # as the routes sample opens
def test_a_display_change_draws_as_a_chart_opened_with_it(change, start):
    chart = chart_with_values()
    chart.set_setting("display", start)
    selection = Selection()
    live = ChartScene(chart, selection)
    chosen = [lk.id for lk in chart.links.values() if lk.type == "Transaction"][:2]
    selection.set(links=chosen)
    chart.set_setting("display", Display().changed(**change).to_json())
    fresh = ChartScene(chart, Selection())
    assert drawn(live) == drawn(fresh)
    assert selection.links == frozenset(chosen)  # the selection is kept exactly
    assert {i.item_id for i in live.selectedItems()} <= set(chosen)
    live.detach()
    fresh.detach()


def test_link_labels_switch_texts_and_keep_the_course():
    chart = chart_with_values()
    scene = ChartScene(chart, Selection())
    level = next(lk for lk in chart.links.values() if lk.label == "paid 50")  # straight
    item = scene.link_item(level.id)
    course = (item.geometry.sx, item.geometry.ey)
    chart.set_setting("display", {"link_labels": "type"})
    assert item.shown_text == "Transaction"
    chart.set_setting("display", {"link_labels": "none"})
    assert item.shown_text == ""
    assert (item.geometry.sx, item.geometry.ey) == course
    scene.detach()


def test_width_by_an_attribute_widens_the_larger_amounts():
    chart = chart_with_values()
    scene = ChartScene(chart, Selection())
    chart.set_setting("display", {"link_width": "amount"})
    widths = {lk.attributes["amount"].value: scene.link_item(lk.id).look.width
              for lk in chart.links.values() if "amount" in lk.attributes}
    assert widths[10.0] < widths[50.0] < widths[100.0]
    chart.set_setting("display", {})
    assert len({scene.link_item(i).look.width for i in chart.links}) == 1
    scene.detach()
