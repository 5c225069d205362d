"""Layouts keep their shape and promises on bigger charts (the sizes CI can afford)."""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest

from workbench.layout import LAYOUTS, LayoutInput
from workbench.model import Chart, Entity, Link


def many_components(n: int, seed: int = 3) -> Chart:
    """One scale-free network of 80% of the entities, then chains of 2-5 and lone ones."""
    rng = random.Random(seed)
    chart = Chart()
    chart.add_entities(Entity(f"e{i}", "Person", f"person {i}") for i in range(n))
    links: list[Link] = []
    core = int(n * 0.8)
    ends = [0, 1]
    for j in range(1, core):
        b = rng.choice(ends)
        links.append(Link(f"l{len(links)}", f"e{j}", f"e{b}", "Associate"))
        ends += (j, b)
    v = core
    while v + 5 < n - 20:
        size = 2 + v % 4
        for k in range(size - 1):
            links.append(Link(f"l{len(links)}", f"e{v + k}", f"e{v + k + 1}", "Associate"))
        v += size
    chart.add_links(links)
    return chart


@pytest.fixture(scope="module")
def big() -> tuple[Chart, LayoutInput]:
    chart = many_components(3000)
    return chart, LayoutInput.from_chart(chart)


def boxes_by_component(chart: Chart, positions: dict) -> list[tuple[float, ...]]:
    data = LayoutInput.from_chart(chart)
    boxes = []
    for part in data.graph().connected_components():
        xs = [positions[data.ids[v]][0] for v in part]
        ys = [positions[data.ids[v]][1] for v in part]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    return boxes


@pytest.mark.parametrize("name", ["force", "peacock", "hierarchy"])
def test_components_are_packed_without_overlapping(big, name):
    chart, data = big
    positions = LAYOUTS[name](data)
    assert len(positions) == len(chart.entities)
    boxes = boxes_by_component(chart, positions)
    assert len(boxes) > 100
    overlapping = 0
    ordered = sorted(boxes)
    for k, (_left, top, right, bottom) in enumerate(ordered):
        for other in ordered[k + 1:]:
            if other[0] > right:
                break
            if other[1] <= bottom and top <= other[3]:
                overlapping += 1
    assert overlapping == 0


def test_force_layout_keeps_linked_entities_a_readable_distance_apart(big):
    chart, data = big
    positions = LAYOUTS["force"](data)
    lengths = sorted(math.dist(positions[link.end1], positions[link.end2])
                     for link in chart.links.values())
    median = lengths[len(lengths) // 2]
    assert 80.0 < median < 400.0


def test_a_chain_drawn_in_a_line_is_not_blown_up():
    """Fruchterman-Reingold draws a three-entity chain on a line; scaling it by its area
    (zero) once put its ends millions of units apart."""
    chart = Chart()
    a, b, c = (chart.make_entity("Person", name) for name in "abc")
    chart.make_link(a.id, b.id, "Associate")
    chart.make_link(a.id, c.id, "Associate")
    positions = LAYOUTS["force"](chart)
    span = max(math.dist(p, q) for p in positions.values() for q in positions.values())
    assert span < 1000.0


def circle_order(positions: dict[str, tuple[float, float]]) -> list[str]:
    """Entity ids in the order they stand round the circle, clockwise from the top."""
    cx = sum(x for x, _ in positions.values()) / len(positions)
    cy = sum(y for _, y in positions.values()) / len(positions)
    start = -math.pi / 2 - math.pi / len(positions)  # half a step before the top
    return sorted(positions, key=lambda e: (math.atan2(positions[e][1] - cy,
                                                       positions[e][0] - cx) - start)
                  % (2 * math.pi))


def test_circular_keeps_each_component_in_one_arc_largest_first(big):
    _chart, data = big
    order = circle_order(LAYOUTS["circular"](data))
    part_of = {}
    for k, part in enumerate(data.graph().connected_components()):
        part_of.update((data.ids[v], k) for v in part)
    arcs = [part_of[e] for k, e in enumerate(order)
            if k == 0 or part_of[order[k - 1]] != part_of[e]]
    assert len(arcs) == len(set(arcs))  # no component comes back after another one
    size = Counter(part_of.values())
    sizes = [size[k] for k in arcs]
    assert sizes == sorted(sizes, reverse=True) and len(sizes) > 100


def test_circular_puts_a_hubs_leaves_next_to_it_and_chains_in_a_row():
    """A hub with ten leaves and a chain of thirty, then twenty lone entities: the walk takes
    the leaves first (they were placed after the whole chain, over thirty places from their
    hub), then the chain."""
    chart = Chart()
    chart.add_entities(Entity(f"e{i}", "Person", f"person {i}") for i in range(61))
    chart.add_links([Link(f"leaf{i}", "e0", f"e{i}", "Associate") for i in range(1, 11)]
                    + [Link(f"chain{i}", f"e{i}", f"e{i + 1}", "Associate")
                       for i in range(11, 40)] + [Link("branch", "e0", "e11", "Associate")])
    order = circle_order(LAYOUTS["circular"](chart))
    place = {e: k for k, e in enumerate(order)}
    gap = {link.id: min(d := abs(place[link.end1] - place[link.end2]), len(order) - d)
           for link in chart.links.values()}
    assert max(gap[f"leaf{i}"] for i in range(1, 11)) <= 10
    assert all(gap[f"chain{i}"] == 1 for i in range(11, 40))


@pytest.mark.parametrize("name", ["force", "hierarchy", "grouped"])
def test_no_entity_or_label_overlaps_another_on_a_big_chart(big, name):
    """Every pair checked, through a k-d tree (all pairs of 3,000 in Python take seconds)."""
    import numpy as np
    from scipy.spatial import cKDTree

    from workbench.layout.spread import BOX_HEIGHT, label_width

    chart, data = big
    positions = LAYOUTS[name](data)
    xy = np.array([positions[e] for e in data.ids])
    widths = np.array([label_width(e.label) for e in chart.entities.values()])
    near = cKDTree(xy / [widths.max(), BOX_HEIGHT]).query_pairs(1.0, p=np.inf,
                                                                  output_type="ndarray")
    i, j = near[:, 0], near[:, 1]
    apart_x = np.abs(xy[i, 0] - xy[j, 0]) >= (widths[i] + widths[j]) / 2 - 1
    apart_y = np.abs(xy[i, 1] - xy[j, 1]) >= BOX_HEIGHT - 1
    assert (apart_x | apart_y).all()
