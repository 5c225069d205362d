"""Paths and measures on the Nov13 sample chart, checked against networkx run directly."""

from __future__ import annotations

import itertools
import re

import networkx as nx
import pytest

from workbench.analysis.graph import AnalysisError, GraphOptions
from workbench.analysis.measures import Cancelled, Measure, compute
from workbench.analysis.paths import all_simple_paths, connecting_network, shortest_path
from workbench.model import Chart, Direction, Entity, Kind, Link, Value

from .conftest import hub_chart, random_chart


def plain_graph(chart: Chart) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(chart.entities)
    graph.add_edges_from((lk.end1, lk.end2) for lk in chart.links.values()
                         if lk.end1 != lk.end2)
    return graph


def by_label(chart: Chart, label: str) -> str:
    return next(e.id for e in chart.entities.values() if e.label == label)


def test_shortest_path_matches_networkx_on_the_sample(nov13):
    graph = plain_graph(nov13)
    people = sorted(e.id for e in nov13.entities.values() if e.type == "Person")
    checked = 0
    for a, b in itertools.islice(itertools.combinations(people, 2), 0, 400, 7):
        ours = shortest_path(nov13, a, b)
        if not nx.has_path(graph, a, b):
            assert ours is None
            continue
        assert ours is not None
        assert ours.steps == nx.shortest_path_length(graph, a, b)
        assert ours.entities[0] == a and ours.entities[-1] == b
        for x, y in itertools.pairwise(ours.entities):
            assert graph.has_edge(x, y)
        # the links are exactly those joining consecutive entities on the path
        steps = {frozenset(pair) for pair in itertools.pairwise(ours.entities)}
        assert {frozenset((nov13.links[i].end1, nov13.links[i].end2)) for i in ours.links} \
            == steps
        checked += 1
    assert checked > 20


def test_path_following_direction_and_weights():
    chart = Chart("directed")
    a, b, c, d = (chart.make_entity("Person", n, identity=n).id for n in "ABCD")

    def link(x, y, cost, direction=Direction.FORWARD):
        return chart.make_link(x, y, "Pays", direction=direction,
                               attributes={"Cost": Value(Kind.NUMBER, cost)}).id

    ab, bd, ac, cd = link(a, b, 1), link(b, d, 10), link(a, c, 2), link(c, d, 2)
    assert shortest_path(chart, a, d).steps == 2
    cheap = shortest_path(chart, a, d, GraphOptions(weight="Cost"))
    assert cheap.entities == (a, c, d) and cheap.links == (ac, cd) and cheap.cost == 4
    assert shortest_path(chart, d, a, GraphOptions(directed=True)) is None
    assert shortest_path(chart, d, a).entities in {(d, b, a), (d, c, a)}
    undirected = link(d, a, 5, Direction.NONE)
    assert shortest_path(chart, d, a, GraphOptions(directed=True)).links == (undirected,)
    paths = all_simple_paths(chart, a, d, 2, GraphOptions(directed=True))
    assert [p.links for p in paths] == [(undirected,), (ab, bd), (ac, cd)]


def test_all_simple_paths_match_networkx(nov13):
    a, b = by_label(nov13, "Salah Abdeslam"), by_label(nov13, "Abdelhamid Abaaoud")
    ours = all_simple_paths(nov13, a, b, 3)
    theirs = list(nx.all_simple_paths(plain_graph(nov13), a, b, cutoff=3))
    assert sorted(p.entities for p in ours) == sorted(tuple(p) for p in theirs)
    assert [p.steps for p in ours] == sorted(p.steps for p in ours)


def test_connecting_network_joins_the_chosen_entities(nov13):
    chosen = [by_label(nov13, n) for n in ("Salah Abdeslam", "Oussama Atar", "Syria")]
    result = connecting_network(nov13, chosen)
    assert set(chosen) <= set(result.entities)
    sub = plain_graph(nov13).subgraph(result.entities)
    assert nx.is_connected(sub)
    graph = plain_graph(nov13)
    for x, y in itertools.combinations(chosen, 2):
        assert nx.shortest_path_length(sub, x, y) == nx.shortest_path_length(graph, x, y)
    for link_id in result.links:
        link = nov13.links[link_id]
        assert link.end1 in result.entities and link.end2 in result.entities
    with pytest.raises(AnalysisError, match="at least two"):
        connecting_network(nov13, chosen[:1])


def test_measures_match_networkx(nov13):
    graph = plain_graph(nov13)
    degree = compute(nov13, Measure.DEGREE)
    assert degree.values == {n: float(d) for n, d in graph.degree()}
    between = compute(nov13, Measure.BETWEENNESS)
    expected = nx.betweenness_centrality(graph)
    assert not between.approximate
    assert max(abs(between.values[n] - expected[n]) for n in graph) < 1e-9
    closeness = compute(nov13, Measure.CLOSENESS).values
    expected = nx.closeness_centrality(graph)
    assert max(abs(closeness[n] - expected[n]) for n in graph) < 1e-9
    core = compute(nov13, Measure.KCORE).values
    assert core == {n: float(k) for n, k in nx.core_number(graph).items()}
    components = compute(nov13, Measure.COMPONENT).values
    groups = sorted(nx.connected_components(graph), key=len, reverse=True)
    assert {n for n, c in components.items() if c == 1} == groups[0]
    eigen = compute(nov13, Measure.EIGENVECTOR)
    top = max(eigen.values, key=eigen.values.get)
    largest = graph.subgraph(groups[0])
    nx_eigen = nx.eigenvector_centrality(largest, max_iter=1000)
    assert top == max(nx_eigen, key=nx_eigen.get) and eigen.values[top] == 1.0


def test_clusters_are_stable_and_written_as_whole_number_attributes(nov13):
    first = compute(nov13, Measure.LOUVAIN)
    assert first.values == compute(nov13, Measure.LOUVAIN).values
    sizes = [list(first.values.values()).count(c) for c in sorted(set(first.values.values()))]
    assert sizes == sorted(sizes, reverse=True) and len(sizes) > 2
    attrs = first.attribute_values()
    some = next(iter(attrs.values()))["Cluster"]
    assert some.kind is Kind.NUMBER and isinstance(some.value, int)
    labelprop = compute(nov13, Measure.LABEL_PROPAGATION)
    assert set(labelprop.values) == set(nov13.entities)


def test_label_propagation_finds_clusters_on_a_chart_with_hubs():
    """igraph's default label propagation let the hubs' labels flood a 3,000-entity chart
    into one cluster (modularity 0); the fast variant finds hundreds of groups."""
    chart = hub_chart(3000)
    clusters = compute(chart, Measure.LABEL_PROPAGATION).values
    assert clusters == compute(chart, Measure.LABEL_PROPAGATION).values
    groups = {}
    for entity_id, number in clusters.items():
        groups.setdefault(number, set()).add(entity_id)
    assert len(groups) > 100 and max(map(len, groups.values())) < 300
    assert nx.community.modularity(plain_graph(chart), groups.values()) > 0.4


def test_large_betweenness_is_sampled_flagged_and_cancellable():
    chart = random_chart(6000, 9000)
    result = compute(chart, Measure.BETWEENNESS)
    assert result.approximate and "estimated from 1,000 sampled" in result.note
    # exact values would take minutes in networkx: check that the brokers found are the
    # well-linked entities, as betweenness must rank them
    ranked = [eid for eid, _ in result.ranked()[:20]]
    degree = compute(chart, Measure.DEGREE).values
    assert sum(degree[e] for e in ranked) / 20 > 2 * sum(degree.values()) / len(degree)
    calls = []

    def stop_after_two(done, total):
        calls.append((done, total))
        return len(calls) < 3

    with pytest.raises(Cancelled):
        compute(chart, Measure.BETWEENNESS, progress=stop_after_two)
    assert len(calls) == 3


def test_a_path_copied_to_a_new_chart_keeps_its_items_and_types(nov13):
    from workbench.analysis.subchart import subchart

    a, b = by_label(nov13, "Salah Abdeslam"), by_label(nov13, "Oussama Atar")
    path = shortest_path(nov13, a, b)
    part = subchart(nov13, path.entities, path.links, title="Path")
    assert set(part.entities) == set(path.entities) and set(part.links) == set(path.links)
    assert part.entities[a] == nov13.entities[a] and part.entities[a] is not nov13.entities[a]
    assert part.catalogue == nov13.catalogue and part.title == "Path"


def test_large_closeness_is_sampled_close_to_exact():
    chart = random_chart(5500, 9000, seed=9)
    approx = compute(chart, Measure.CLOSENESS)
    exact = compute(chart, Measure.CLOSENESS, exact=True)
    assert approx.approximate and not exact.approximate
    assert "1,000 sampled entities of 5,500" in approx.note
    connected = [e for e, v in exact.values.items() if v > 0.05]
    errors = sorted(abs(approx.values[e] - exact.values[e]) / exact.values[e]
                    for e in connected)
    assert len(connected) > 5000 and errors[len(errors) // 2] < 0.02
    assert errors[int(len(errors) * 0.99)] < 0.06
    top_exact = {e for e, _ in exact.ranked()[:50]}
    top_approx = {e for e, _ in approx.ranked()[:50]}
    assert len(top_exact & top_approx) >= 40
    small = [e for e, v in exact.values.items() if 0 < v <= 0.05]
    assert all(approx.values[e] == pytest.approx(exact.values[e]) for e in small)


def test_louvain_finds_planted_groups_each_connected():
    """Six groups of twelve, dense inside, one link between neighbouring groups: Louvain (by
    Leiden, which keeps every cluster connected) gives back exactly the groups."""
    chart = Chart("groups")
    chart.add_entities(Entity(f"g{g}m{m}", "Person", f"{g}.{m}") for g in range(6)
                       for m in range(12))
    links = [Link(f"l{g}-{a}-{b}", f"g{g}m{a}", f"g{g}m{b}", "Associate")
             for g in range(6) for a, b in itertools.combinations(range(12), 2)
             if (a + b) % 3]
    links += [Link(f"bridge{g}", f"g{g}m0", f"g{(g + 1) % 6}m1", "Associate") for g in range(6)]
    chart.add_links(links)
    clusters = compute(chart, Measure.LOUVAIN).values
    found = {frozenset(e for e, c in clusters.items() if c == number)
             for number in set(clusters.values())}
    assert found == {frozenset(f"g{g}m{m}" for m in range(12)) for g in range(6)}


def test_sampled_betweenness_states_an_error_that_holds_against_the_exact_values():
    chart = random_chart(6000, 9000, seed=5)
    approx = compute(chart, Measure.BETWEENNESS)
    exact = compute(chart, Measure.BETWEENNESS, exact=True).values
    stated = re.search(r"within about (\d+)% of the exact ones", approx.note)
    assert approx.approximate and stated, approx.note
    top = [e for e, _ in approx.ranked()[:10]]
    errors = sorted(abs(approx.values[e] - exact[e]) / exact[e] for e in top)
    # one standard error: about two thirds of the ten within it, nearly all within three
    assert 0 < int(stated[1]) <= 30
    assert errors[5] <= 2 * int(stated[1]) / 100 and errors[-1] <= 4 * int(stated[1]) / 100
