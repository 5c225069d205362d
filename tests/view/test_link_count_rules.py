"""A rule on the number of links ('@links') follows deletes and their undo: the hub's look
changes, its links stop at its new edge, and the selection stays exactly as it was (the ends
of deleted links were re-formatted by re-selecting every link of each end: seconds on a hub
of the routes sample)."""

from __future__ import annotations

from workbench.model import Chart, Selection
from workbench.model.formatting import Rule
from workbench.view import ChartScene


def hub_chart() -> tuple[Chart, str, list[str]]:
    chart = Chart("hub")
    hub = chart.make_entity("Person", "Hub", identity="hub", x=0.0, y=0.0)
    spokes = []
    for i in range(4):
        leaf = chart.make_entity("Person", f"Leaf {i}", identity=f"leaf{i}",
                                 x=300.0 * (i % 2 * 2 - 1), y=200.0 * (i // 2 * 2 - 1))
        spokes.append(chart.make_link(hub.id, leaf.id, "Associate").id)
    rule = Rule(field="@links", op="at_least", value=4, colour="#d62728", size=2.0)
    chart.set_setting("formatting", [rule.to_json()])
    return chart, hub.id, spokes


def test_deleting_links_reformats_the_hub_and_keeps_the_selection():
    chart, hub, spokes = hub_chart()
    selection = Selection()
    scene = ChartScene(chart, selection)
    item = scene.entity_item(hub)
    big = item.look
    assert big.colour == "#d62728"
    kept = scene.link_item(spokes[0])
    start_big = (kept.geometry.sx, kept.geometry.sy)
    selection.set(links=[spokes[0]])
    removed = chart.remove_links([spokes[3]])  # what Delete does (and its undo, below)
    assert item.look.colour != "#d62728" and item.look.size < big.size  # three links now
    start_small = (kept.geometry.sx, kept.geometry.sy)
    assert start_small != start_big  # the link starts at the smaller icon's edge
    assert selection.links == frozenset([spokes[0]]) and kept.isSelected()
    chart.add_links(removed)
    assert item.look == big
    assert (kept.geometry.sx, kept.geometry.sy) == start_big
    assert selection.links == frozenset([spokes[0]]) and kept.isSelected()
    scene.detach()
