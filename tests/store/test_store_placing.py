"""Where an expansion puts what it brings: around the expanded entity, which stays where the
analyst put it, the most linked nearest, a second hop's entities beside the entity that
reached them, no two of them on top of each other (store/placing.py)."""

from __future__ import annotations

import math

from workbench.layout.peacock import FIRST_RING, FOOTPRINT, RING_GAP
from workbench.model import Chart, Entity, Link
from workbench.store.charting import FANNED_PAST, store_setting
from workbench.store.placing import parents, place_around


def _reach(a: tuple[float, float], b: tuple[float, float]) -> float:
    """How far apart two spots are in entity footprints (an entity with its label is wider
    than tall)."""
    return math.hypot((a[0] - b[0]) / FOOTPRINT[0], (a[1] - b[1]) / FOOTPRINT[1])


def _most_neighbours(store) -> int:
    return store.conn.execute(
        "SELECT e FROM (SELECT end1 AS e, end2 AS other FROM links UNION ALL "
        "SELECT end2, end1 FROM links) GROUP BY e ORDER BY count(DISTINCT other) DESC, e "
        "LIMIT 1").fetchone()[0]


def test_a_hubs_neighbours_ring_it_the_most_linked_nearest(sample_store):
    """Expanding the entity with the most neighbours (more than FANNED_PAST): it does not
    move, its new neighbours ring it, nearer the more links they share with it (the walk's
    order), none overlapping."""
    hub = _most_neighbours(sample_store)
    chart = sample_store.chart([hub], hops=0)
    (centre,) = store_setting(chart)["entities"]
    chart.entities[centre].x, chart.entities[centre].y = 1000.0, -400.0
    found = sample_store.expand(chart, hub, hops=1, max_entities=150)
    assert len(found.entities) > FANNED_PAST
    shared = {e.id: 0 for e in found.entities}
    for link in found.links:
        for end in (link.end1, link.end2):
            if end in shared and centre in (link.end1, link.end2):
                shared[end] += int(link.attributes["links"].value) \
                    if "links" in link.attributes else 1
    spot = {e.id: (e.x, e.y) for e in found.entities}
    ring = {cid: round((_reach(xy, (1000.0, -400.0)) - FIRST_RING) / RING_GAP)
            for cid, xy in spot.items()}
    assert len(set(ring.values())) > 1 and min(ring.values()) == 0
    assert all(ring[a] <= ring[b] for a in ring for b in ring if shared[a] > shared[b])
    assert chart.entities[centre].x == 1000.0 and chart.entities[centre].y == -400.0
    spots = list(spot.values())
    assert min(_reach(a, b) for k, a in enumerate(spots) for b in spots[k + 1:]) >= 1.0


def _chart() -> Chart:
    chart = Chart()
    chart.add_entities([Entity("a", "Phone", "A", x=500.0, y=300.0),
                        Entity("z", "Phone", "Z", x=-500.0, y=300.0)])
    return chart


def test_a_second_hop_is_fanned_beside_the_entity_that_reached_it():
    """B and C are linked to the expanded A, D only to B, E to Z on the chart: B and C ring A
    on the side away from the rest of the chart, D sits beside B further out, E beside Z."""
    chart = _chart()
    new = [Entity(name, "Phone", name.upper()) for name in "bcde"]
    links = [Link("l1", "a", "b", "Calls"), Link("l2", "c", "a", "Calls"),
             Link("l3", "b", "d", "Calls"), Link("l4", "b", "c", "Calls"),
             Link("l5", "z", "e", "Calls")]
    place_around(chart, "a", new, ["b", "c", "d", "e"], links)
    spot = {e.id: (e.x, e.y) for e in new}
    a, z = (500.0, 300.0), (-500.0, 300.0)
    assert (chart.entities["a"].x, chart.entities["a"].y) == a  # the analyst's place
    assert math.isclose(_reach(spot["b"], a), _reach(spot["c"], a), rel_tol=0.05)
    assert spot["b"][0] > a[0] and spot["c"][0] > a[0]  # away from Z, the rest of the chart
    assert _reach(spot["d"], spot["b"]) < _reach(spot["d"], a)
    assert _reach(spot["d"], a) > _reach(spot["b"], a)  # further out
    assert _reach(spot["e"], z) < _reach(spot["e"], a)


def test_an_entity_not_on_the_chart_is_expanded_to_its_right():
    chart = _chart()
    new = [Entity(name, "Phone", name.upper()) for name in "pqr"]
    links = [Link("l1", "p", "q", "Calls"), Link("l2", "p", "r", "Calls")]
    place_around(chart, "p", new, ["p", "q", "r"], links)
    assert min(e.x for e in new) >= 500.0 + 200.0
    assert min(e.y for e in new) == 300.0  # top-aligned with the chart
    spot = {e.id: (e.x, e.y) for e in new}
    assert math.isclose(_reach(spot["q"], spot["p"]), _reach(spot["r"], spot["p"]))


def test_each_new_entity_is_placed_beside_the_first_entity_it_is_linked_to():
    links = [Link("l1", "y", "x", "Calls"), Link("l2", "y", "a", "Calls"),
             Link("l3", "w", "y", "Calls"), Link("l4", "w", "w", "Calls"),
             Link("l5", "v", "elsewhere", "Calls")]
    # a (the expanded entity) and z first, then the new ones in the walk's order
    assert parents(["x", "y", "w", "v"], ["a", "z"], links) == [0, 0, 3, 0]
    assert parents(["x"], ["a"], []) == [0]

