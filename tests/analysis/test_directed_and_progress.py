"""Measures that follow link direction, checked against networkx on the Nov13 sample; the
colour ramp; paths and networks on a graph snapshot with progress and Cancel."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest

from workbench.analysis.colour_ramp import ramp_for
from workbench.analysis.graph import Cancelled, GraphOptions, snapshot
from workbench.analysis.measures import Measure, compute
from workbench.analysis.paths import (
    all_simple_paths_in,
    connecting_network,
    connecting_network_in,
    shortest_path_in,
)
from workbench.model import Direction

from .conftest import random_chart


def arrows(chart) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(chart.entities)
    for lk in chart.links.values():
        if lk.end1 != lk.end2:
            graph.add_edges_from([(lk.end1, lk.end2), (lk.end2, lk.end1)]
                                 if lk.direction is Direction.NONE else lk.arrow_pairs())
    return graph


def test_the_sample_has_arrows_and_plain_ties(nov13):
    kinds = {lk.direction for lk in nov13.links.values()}
    assert {Direction.FORWARD, Direction.NONE} <= kinds


@pytest.mark.parametrize(("measure", "expected"), [
    (Measure.IN_DEGREE, lambda g: dict(g.in_degree())),
    (Measure.OUT_DEGREE, lambda g: dict(g.out_degree())),
    (Measure.BETWEENNESS, nx.betweenness_centrality),
    # networkx counts distances towards an entity; ours from it, along the arrows
    (Measure.CLOSENESS, lambda g: nx.closeness_centrality(g.reverse())),
])
def test_directed_measures_match_networkx(nov13, measure, expected):
    result = compute(nov13, measure, directed=True)
    theirs = expected(arrows(nov13))
    assert result.directed
    assert result.values == pytest.approx(theirs, abs=1e-9)
    undirected = compute(nov13, measure, directed=False)
    if measure in (Measure.BETWEENNESS, Measure.CLOSENESS):
        assert result.attribute == f"{undirected.attribute} (directed)"
        assert not undirected.directed
        assert result.values != pytest.approx(undirected.values)


def test_measures_without_a_directed_form_ignore_direction(nov13):
    for measure in (Measure.EIGENVECTOR, Measure.KCORE, Measure.DEGREE):
        directed, plain = compute(nov13, measure, directed=True), compute(nov13, measure)
        assert not directed.directed and directed.attribute == plain.attribute
        assert directed.values == pytest.approx(plain.values, abs=1e-6)


def test_the_ramp_runs_from_light_green_to_dark_purple():
    ramp = ramp_for([3.0, 7.0, 5.0])
    assert ramp.colour(7.0) == "#440154"  # viridis' dark end for the highest
    low = ramp.colour(3.0)
    assert low != ramp.colour(5.0) != ramp.colour(7.0)
    lightness = [sum(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in
                 (ramp.colour(v) for v in (3.0, 4.0, 5.0, 6.0, 7.0))]
    assert lightness == sorted(lightness, reverse=True)  # steadily darker: prints in grey
    assert ramp.colour(100.0) == ramp.colour(7.0)  # clamped
    assert ramp_for([2.0, 2.0]).colour(2.0) == ramp_for([0.0, 1.0]).colour(0.5)
    assert "lowest (3), dark purple = highest (7)" in ramp.describe("Degree")
    assert [v for v, _ in ramp.stops(3)] == [3.0, 5.0, 7.0]


def test_all_simple_paths_on_a_snapshot_match_networkx_both_ways(nov13):
    for directed in (False, True):
        graph = snapshot(nov13, GraphOptions(directed)).graph()
        people = sorted(e.id for e in nov13.entities.values() if e.type == "Person")
        for a, b in itertools.islice(itertools.combinations(people, 2), 0, 300, 37):
            ours = all_simple_paths_in(graph, a, b, 3)
            theirs = nx.all_simple_paths(graph, a, b, cutoff=3)
            assert sorted(p.entities for p in ours) == sorted(tuple(p) for p in theirs)


def test_connecting_network_reports_progress_and_stops_on_cancel():
    chart = random_chart(3000, 6000)
    chosen = [f"e{i}" for i in range(0, 3000, 300)]
    graph = snapshot(chart).graph()
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        seen.append((done, total))
        return True

    full = connecting_network_in(graph, chosen, {e: e for e in chosen}, progress=progress)
    assert full == connecting_network(chart, chosen)
    assert seen[0] == (0, 45) and seen[-1] == (45, 45)

    def cancel_at_ten(done: int, total: int) -> bool:
        return done < 10

    with pytest.raises(Cancelled):
        connecting_network_in(graph, chosen, {e: e for e in chosen}, progress=cancel_at_ten)


def test_weighted_shortest_path_can_be_cancelled_midway():
    chart = random_chart(5000, 10000)
    graph = snapshot(chart, GraphOptions(weight="Cost")).graph()
    calls = []

    def progress(done: int, total: int) -> bool:
        calls.append(done)
        return len(calls) < 3  # Cancel pressed during the search

    with pytest.raises(Cancelled):
        shortest_path_in(graph, "e1", "e4999", weighted=True, progress=progress)
    found = shortest_path_in(graph, "e1", "e4999", weighted=True)
    assert found is not None and found.steps == nx.shortest_path_length(graph, "e1", "e4999")
