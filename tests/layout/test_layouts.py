"""Layouts place every entity, spread linked ones apart, and honour their promises."""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path

import pytest

from workbench.io import load_chart
from workbench.layout import LAYOUTS, LayoutCancelled, LayoutInput, needs_layout
from workbench.layout.peacock import FOOTPRINT, peacock_layout
from workbench.model import Chart, Direction, Kind, Value

SAMPLE = Path(__file__).resolve().parents[2] / "sample_charts" / "nov13-network.wbchart"


@pytest.fixture(scope="module")
def sample() -> Chart:
    return load_chart(SAMPLE)


def star_chart(leaves: int = 12) -> Chart:
    """Two hubs linked to each other, each with many leaves, plus one loner."""
    chart = Chart()
    a = chart.make_entity("Phone", "hub A")
    b = chart.make_entity("Phone", "hub B")
    chart.make_link(a.id, b.id, "Calls", direction=Direction.FORWARD)
    for hub in (a, b):
        for i in range(leaves):
            leaf = chart.make_entity("Advert", f"advert {hub.label} {i}")
            chart.make_link(hub.id, leaf.id, "Posts")
    chart.make_entity("Person", "loner")
    return chart


def min_distance(positions: dict) -> float:
    points = list(positions.values())
    return min(math.dist(p, q) for i, p in enumerate(points) for q in points[i + 1:])


@pytest.mark.parametrize("name", ["force", "hierarchy", "circular", "grouped", "peacock",
                                  "time"])
def test_every_layout_places_every_entity_apart(sample, name):
    positions = LAYOUTS[name](sample)
    assert set(positions) == set(sample.entities)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in positions.values())
    assert min_distance(positions) > 20.0  # no two icons on top of each other
    # The result stays where the chart was, so the view does not jump away.
    cx = sum(x for x, _ in positions.values()) / len(positions)
    old_cx = sum(e.x for e in sample.entities.values()) / len(sample.entities)
    xs = [x for x, _ in positions.values()]
    assert abs(cx - old_cx) <= (max(xs) - min(xs)) / 2 + 1.0


def test_layouts_are_deterministic(sample):
    assert LAYOUTS["force"](sample) == LAYOUTS["force"](sample)


def test_force_puts_linked_entities_closer_than_unlinked(sample):
    pos = LAYOUTS["force"](sample)
    linked = [math.dist(pos[lk.end1], pos[lk.end2]) for lk in sample.links.values()]
    ids = list(pos)
    unlinked = [math.dist(pos[a], pos[b]) for a, b in zip(ids, ids[7:], strict=False)
                if not sample.links_between(a, b)]
    assert sorted(linked)[len(linked) // 2] < sorted(unlinked)[len(unlinked) // 2]


def test_hierarchy_puts_directed_links_downwards(sample):
    pos = LAYOUTS["hierarchy"](sample)
    directed = [lk for lk in sample.links.values() if lk.direction is Direction.FORWARD]
    down = sum(pos[lk.end2][1] > pos[lk.end1][1] for lk in directed)
    assert down >= 0.9 * len(directed)


def test_peacock_fans_leaves_around_their_hub():
    chart = star_chart(10)
    pos = peacock_layout(chart)
    for hub_label in ("hub A", "hub B"):
        hub = next(e for e in chart.entities.values() if e.label == hub_label)
        leaves = [lk.other_end(hub.id) for lk in chart.links_of(hub.id)
                  if chart.entity(lk.other_end(hub.id)).type == "Advert"]
        hx, hy = pos[hub.id]
        # One ring, measured in entity footprints (an ellipse, wider than tall).
        radii = [math.hypot((pos[leaf][0] - hx) / FOOTPRINT[0], (pos[leaf][1] - hy) / FOOTPRINT[1])
                 for leaf in leaves]
        assert max(radii) - min(radii) < 0.2
        assert min_distance({leaf: pos[leaf] for leaf in leaves}) > 50.0


def test_grouped_by_attribute_keeps_groups_apart():
    chart = star_chart(4)
    for i, entity in enumerate(list(chart.entities.values())):
        entity.attributes["site"] = Value(Kind.TEXT, "north" if i % 2 else "south")
    pos = LAYOUTS["grouped"](chart, attribute="site")
    north = [pos[e.id] for e in chart.entities.values() if e.attributes["site"].value == "north"]
    south = [pos[e.id] for e in chart.entities.values() if e.attributes["site"].value == "south"]
    inside = max(max(math.dist(p, q) for q in north) for p in north)
    between = min(math.dist(p, q) for p in north for q in south)
    assert between > 0.1 * inside and between >= 150.0


def test_time_layout_orders_by_date():
    chart = Chart()
    early = chart.make_entity("Event", "early", date=datetime(2020, 1, 1))
    late = chart.make_entity("Event", "late", date=datetime(2021, 6, 1))
    undated = chart.make_entity("Event", "undated")
    pos = LAYOUTS["time"](chart)
    assert pos[undated.id][0] < pos[early.id][0] < pos[late.id][0]


def test_subset_moves_only_the_subset(sample):
    ids = list(sample.entities)[:20]
    pos = LAYOUTS["circular"](sample, entity_ids=ids)
    assert set(pos) == set(ids)


def test_snapshot_progress_and_cancel(sample):
    data = LayoutInput.from_chart(sample)
    seen = []
    LAYOUTS["force"](data, progress=seen.append)
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)
    with pytest.raises(LayoutCancelled):
        LAYOUTS["hierarchy"](data, cancelled=lambda: True)


def test_empty_and_tiny_charts():
    for layout in LAYOUTS.values():
        assert layout(Chart()) == {}
    chart = Chart()
    only = chart.make_entity("Person", "only", x=5.0, y=7.0)
    for layout in LAYOUTS.values():
        assert layout(chart) == {only.id: (5.0, 7.0)}


def test_needs_layout(sample):
    assert not needs_layout(sample)
    fresh = star_chart(3)  # made without positions: everything at 0, 0
    assert needs_layout(fresh)
    fresh.move_entities(LAYOUTS["force"](fresh))
    assert not needs_layout(fresh)


def test_hierarchy_from_a_chosen_root():
    chart = star_chart(3)
    leaf = next(e.id for e in chart.entities.values() if e.type == "Advert")
    pos = LAYOUTS["hierarchy"](chart, roots=[leaf])
    top = min(y for _, y in pos.values())
    assert pos[leaf][1] == top


def test_force_layout_leaves_no_label_overlapping_another(sample):
    from workbench.layout.spread import BOX_HEIGHT, label_width

    pos = LAYOUTS["force"](sample)
    boxes = {e.id: (pos[e.id], label_width(e.label)) for e in sample.entities.values()}
    items = list(boxes.values())
    overlaps = 0
    for i, ((x1, y1), w1) in enumerate(items):
        for (x2, y2), w2 in items[i + 1:]:
            if abs(x1 - x2) < (w1 + w2) / 2 - 1 and abs(y1 - y2) < BOX_HEIGHT - 1:
                overlaps += 1
    assert overlaps == 0


def test_place_unplaced_lays_out_only_charts_without_positions():
    from workbench.layout import place_unplaced
    from workbench.model import Chart, Entity, Link

    chart = Chart()
    chart.add_entities([Entity(f"e{n}", "Person", f"P{n}") for n in range(6)])
    chart.add_links([Link(f"l{n}", f"e{n}", f"e{n + 1}", "Link") for n in range(5)])
    assert place_unplaced(chart)
    spots = {(round(e.x), round(e.y)) for e in chart.entities.values()}
    assert len(spots) == 6
    before = {e.id: (e.x, e.y) for e in chart.entities.values()}
    assert not place_unplaced(chart)  # placed: left where it is
    assert before == {e.id: (e.x, e.y) for e in chart.entities.values()}
