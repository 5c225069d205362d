"""Paths between entities: shortest path, all simple paths up to a length, and the network that
connects a set of entities (i2's Find Path and Find Connecting Network).

Every result is a :class:`PathResult` of chart ids, ready to select on the chart or to copy to a
new chart; nothing here changes the chart.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from workbench.analysis.graph import (
    DEFAULT_OPTIONS,
    AnalysisError,
    GraphOptions,
    chart_graph,
    check_entities,
    links_along,
)
from workbench.model import Chart


@dataclass(frozen=True, slots=True)
class PathResult:
    """Entities in path order (for a network: in no order) and the links between them."""

    entities: tuple[str, ...]
    links: tuple[str, ...]
    cost: float = 0.0
    notes: tuple[str, ...] = field(default=())

    @property
    def steps(self) -> int:
        return max(len(self.entities) - 1, 0)


def shortest_path(chart: Chart, source: str, target: str,
                  options: GraphOptions = DEFAULT_OPTIONS) -> PathResult | None:
    """The shortest (or, with a weight, cheapest) path from ``source`` to ``target``.

    Returns None when no path exists (for example against the direction of every link).
    """
    check_entities(chart, [source, target])
    graph = chart_graph(chart, options)
    weight = "weight" if options.weight else None
    try:
        nodes = nx.shortest_path(graph, source, target, weight=weight)
    except nx.NetworkXNoPath:
        return None
    cost = float(nx.path_weight(graph, nodes, "weight")) if weight else float(len(nodes) - 1)
    return PathResult(tuple(nodes), tuple(links_along(graph, nodes)), cost)


def all_simple_paths(chart: Chart, source: str, target: str, max_links: int,
                     options: GraphOptions = DEFAULT_OPTIONS,
                     limit: int = 1000) -> list[PathResult]:
    """Every path with no repeated entity and at most ``max_links`` steps, shortest first.

    ``limit`` stops a dense chart from producing millions of paths; the last result then
    carries a note saying the list was cut short, so nothing is dropped silently.
    """
    check_entities(chart, [source, target])
    if max_links < 1:
        raise AnalysisError("a path has at least one link; ask for a length of 1 or more")
    graph = chart_graph(chart, options)
    found: list[PathResult] = []
    for nodes in nx.all_simple_paths(graph, source, target, cutoff=max_links):
        cost = float(nx.path_weight(graph, nodes, "weight"))
        found.append(PathResult(tuple(nodes), tuple(links_along(graph, nodes)), cost))
        if len(found) > limit:
            break
    found.sort(key=lambda p: (p.steps, p.cost, p.entities))
    if len(found) > limit:
        found = found[:limit]
        last = found[-1]
        found[-1] = PathResult(last.entities, last.links, last.cost,
                               (f"more than {limit:,} paths: only the first {limit:,} are "
                                "listed; shorten the length",))
    return found


def connecting_network(chart: Chart, entity_ids: Iterable[str],
                       options: GraphOptions = DEFAULT_OPTIONS,
                       max_links: int | None = None) -> PathResult:
    """The entities and links on the shortest paths between every pair of ``entity_ids``.

    This is what an analyst asks when holding several suspects: who and what ties them
    together. All shortest paths of each pair are included (not one arbitrary one), so the
    answer does not depend on the order of the chart. Pairs with no path, or whose shortest
    path is longer than ``max_links``, are named in ``notes``.
    """
    ids = list(dict.fromkeys(check_entities(chart, entity_ids)))
    if len(ids) < 2:
        raise AnalysisError("select at least two entities to find what connects them")
    graph = chart_graph(chart, options)
    weight = "weight" if options.weight else None
    entities: dict[str, None] = dict.fromkeys(ids)
    links: dict[str, None] = {}
    notes: list[str] = []
    for a, b in itertools.combinations(ids, 2):
        pairs = [(a, b), (b, a)] if options.directed else [(a, b)]
        for s, t in pairs:
            try:
                paths = list(nx.all_shortest_paths(graph, s, t, weight=weight))
            except nx.NetworkXNoPath:
                if not options.directed or (s, t) == (b, a):
                    notes.append(f"no path between {_name(chart, a)} and {_name(chart, b)}")
                continue
            if max_links is not None and len(paths[0]) - 1 > max_links:
                notes.append(f"{_name(chart, s)} and {_name(chart, t)} are more than "
                             f"{max_links} links apart")
                continue
            for nodes in paths:
                entities.update(dict.fromkeys(nodes))
                links.update(dict.fromkeys(links_along(graph, nodes)))
            if options.directed:
                break
    return PathResult(tuple(entities), tuple(links), 0.0, tuple(dict.fromkeys(notes)))


def _name(chart: Chart, entity_id: str) -> str:
    return f"{chart.entities[entity_id].label or entity_id} ({entity_id})"
