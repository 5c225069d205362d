"""Closeness from many-source searches, exact against networkx, and the sampled measures'
stated errors checked against the exact values."""

from __future__ import annotations

import random
import re

import igraph as ig
import networkx as nx
import numpy as np
import pytest

from workbench.analysis.distance_sums import adjacency, distance_sums
from workbench.analysis.graph import Cancelled
from workbench.analysis.measures import Measure, compute

from .conftest import hub_chart, random_chart
from .test_directed_and_progress import arrows
from .test_network import plain_graph


@pytest.mark.parametrize("directed", [False, True])
def test_distance_sums_match_networkx_distances(directed):
    """200 sources (four words of bits) on a graph with unreachable parts."""
    rng = random.Random(3)
    edges = {(rng.randrange(600), rng.randrange(600)) for _ in range(700)}
    edges = sorted((a, b) for a, b in edges if a != b)
    graph = ig.Graph(n=620, edges=edges, directed=directed)  # 600-619 have no links
    sources = rng.sample(range(620), 200)
    sums = distance_sums(*adjacency(graph), sources)
    theirs = (nx.DiGraph if directed else nx.Graph)(edges)
    theirs.add_nodes_from(range(620))
    reached, total = np.zeros(620, dtype=int), np.zeros(620, dtype=int)
    for source in sources:
        for target, steps in nx.single_source_shortest_path_length(theirs, source).items():
            reached[target] += steps > 0
            total[target] += steps
    assert (sums.reached.sum(axis=1) == reached).all()
    assert (sums.total.sum(axis=1) == total).all()
    assert sums.reached.shape == (620, 4)


def test_exact_closeness_in_two_batches_matches_networkx():
    chart = random_chart(1500, 1700, seed=2)  # many components; more than 1,024 sources
    graph = plain_graph(chart)
    ours = compute(chart, Measure.CLOSENESS)
    assert not ours.approximate
    assert ours.values == pytest.approx(nx.closeness_centrality(graph), abs=1e-12)
    directed = compute(chart, Measure.CLOSENESS, directed=True)
    assert directed.values == pytest.approx(nx.closeness_centrality(arrows(chart).reverse()),
                                            abs=1e-12)


def stated_error(note: str) -> float:
    found = re.search(r"within about ([\d.]+)% of the exact ones", note)
    assert found, note
    return float(found[1]) / 100


def holds(approx: dict[str, float], exact: dict[str, float], stated: float) -> None:
    """One standard error: about two thirds of the ten highest within it, nearly all within
    three (the bound a reader can take from the note)."""
    top = sorted(approx, key=lambda e: (-approx[e], e))[:10]
    errors = sorted(abs(approx[e] - exact[e]) / exact[e] for e in top)
    assert errors[5] <= 2 * stated and errors[-1] <= 4 * stated, (errors, stated)


@pytest.mark.parametrize("directed", [False, True])
def test_sampled_closeness_states_an_error_that_holds_against_the_exact_values(directed):
    chart = hub_chart(6000, arrows=directed)
    approx = compute(chart, Measure.CLOSENESS, directed=directed)
    exact = compute(chart, Measure.CLOSENESS, directed=directed, exact=True)
    assert approx.approximate and not exact.approximate and approx.directed == directed
    assert "1,000 sampled entities of 6,000" in approx.note
    stated = stated_error(approx.note)
    assert 0 < stated <= 0.3
    holds(approx.values, exact.values, stated)
    top_exact = {e for e, _ in exact.ranked()[:20]}
    assert len(top_exact & {e for e, _ in approx.ranked()[:20]}) >= 12


def test_sampled_closeness_can_be_cancelled_between_levels_of_the_search():
    calls = []

    def stop_after_five(done, total):
        calls.append((done, total))
        return len(calls) < 6

    with pytest.raises(Cancelled):
        compute(hub_chart(6000), Measure.CLOSENESS, progress=stop_after_five)
    assert len(calls) == 6
