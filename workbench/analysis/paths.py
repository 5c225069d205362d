"""Paths between entities: shortest path, all simple paths up to a length, and the network that
connects a set of entities (i2's Find Path and Find Connecting Network).

Every result is a :class:`PathResult` of chart ids, ready to select on the chart or to copy to a
new chart; nothing here changes the chart.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from workbench.analysis.graph import (
    DEFAULT_OPTIONS,
    AnalysisError,
    GraphOptions,
    Progress,
    chart_graph,
    check_entities,
    check_progress,
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
    return shortest_path_in(chart_graph(chart, options), source, target, bool(options.weight))


def shortest_path_in(graph: nx.Graph, source: str, target: str, weighted: bool = False,
                     progress: Progress | None = None) -> PathResult | None:
    """:func:`shortest_path` on a graph from :func:`chart_graph` or a snapshot. With a weight,
    Cancel is honoured while Dijkstra runs (checked every few thousand link crossings)."""
    weight: Any = None
    if weighted:
        crossed = itertools.count()

        def weight(a: str, b: str, data: dict) -> float:
            if next(crossed) % 4096 == 0:
                check_progress(progress, 0, 1)
            return data["weight"]
    check_progress(progress, 0, 1)
    try:
        nodes = nx.shortest_path(graph, source, target, weight=weight)
    except nx.NetworkXNoPath:
        return None
    check_progress(progress, 1, 1)
    cost = float(nx.path_weight(graph, nodes, "weight")) if weighted else float(len(nodes) - 1)
    return PathResult(tuple(nodes), tuple(links_along(graph, nodes)), cost)


def all_simple_paths(chart: Chart, source: str, target: str, max_links: int,
                     options: GraphOptions = DEFAULT_OPTIONS,
                     limit: int = 1000) -> list[PathResult]:
    """Every path with no repeated entity and at most ``max_links`` steps, shortest first.

    ``limit`` stops a dense chart from producing millions of paths; the last result then
    carries a note saying the list was cut short, so nothing is dropped silently.
    """
    check_entities(chart, [source, target])
    return all_simple_paths_in(chart_graph(chart, options), source, target, max_links, limit)


def all_simple_paths_in(graph: nx.Graph, source: str, target: str, max_links: int,
                        limit: int = 1000,
                        progress: Progress | None = None) -> list[PathResult]:
    """:func:`all_simple_paths` on a graph. The search first keeps only the entities that can
    lie on such a path (distance from the source plus distance to the target within
    ``max_links``), which on a big chart cuts the search from millions of dead ends to the
    paths themselves; progress is reported per path found, Cancel honoured in between."""
    if max_links < 1:
        raise AnalysisError("a path has at least one link; ask for a length of 1 or more")
    check_progress(progress, 0, limit)
    near = _on_some_path(graph, source, target, max_links)
    found: list[PathResult] = []
    if source not in near:  # no path that short at all
        return found
    for nodes in nx.all_simple_paths(graph.subgraph(near), source, target, cutoff=max_links):
        cost = float(nx.path_weight(graph, nodes, "weight"))
        found.append(PathResult(tuple(nodes), tuple(links_along(graph, nodes)), cost))
        if len(found) > limit:
            break
        if len(found) % 16 == 0:
            check_progress(progress, len(found), limit)
    found.sort(key=lambda p: (p.steps, p.cost, p.entities))
    if len(found) > limit:
        found = found[:limit]
        last = found[-1]
        found[-1] = PathResult(last.entities, last.links, last.cost,
                               (f"more than {limit:,} paths: only the first {limit:,} are "
                                "listed; shorten the length",))
    return found


def _on_some_path(graph: nx.Graph, source: str, target: str, max_links: int) -> set[str]:
    """Entities within ``max_links`` of source and target together (a necessary condition to
    lie on a simple path of that length)."""
    if source not in graph or target not in graph:
        return set()
    ahead = nx.single_source_shortest_path_length(graph, source, cutoff=max_links)
    back_graph = graph.reverse(copy=False) if graph.is_directed() else graph
    behind = nx.single_source_shortest_path_length(back_graph, target, cutoff=max_links)
    return {n for n, d in ahead.items() if n in behind and d + behind[n] <= max_links}


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
    names = {e: _name(chart, e) for e in ids}
    return connecting_network_in(chart_graph(chart, options), ids, names,
                                 bool(options.weight), max_links)


def connecting_network_in(graph: nx.Graph, entity_ids: Sequence[str],
                          names: Mapping[str, str], weighted: bool = False,
                          max_links: int | None = None,
                          progress: Progress | None = None) -> PathResult:
    """:func:`connecting_network` on a graph; ``names`` says how notes name the entities.
    Progress is reported per pair of entities, Cancel honoured between pairs and paths."""
    ids = list(dict.fromkeys(entity_ids))
    if len(ids) < 2:
        raise AnalysisError("select at least two entities to find what connects them")
    directed = graph.is_directed()
    weight = "weight" if weighted else None
    entities: dict[str, None] = dict.fromkeys(ids)
    links: dict[str, None] = {}
    notes: list[str] = []
    pairs_of = list(itertools.combinations(ids, 2))
    for done, (a, b) in enumerate(pairs_of):
        check_progress(progress, done, len(pairs_of))
        pairs = [(a, b), (b, a)] if directed else [(a, b)]
        for s, t in pairs:
            try:
                paths = nx.all_shortest_paths(graph, s, t, weight=weight)
                first = next(paths)
            except nx.NetworkXNoPath:
                if not directed or (s, t) == (b, a):
                    notes.append(f"no path between {names[a]} and {names[b]}")
                continue
            if max_links is not None and len(first) - 1 > max_links:
                notes.append(f"{names[s]} and {names[t]} are more than {max_links} links "
                             "apart")
                continue
            for count, nodes in enumerate(itertools.chain([first], paths)):
                if count % 64 == 63:
                    check_progress(progress, done, len(pairs_of))
                entities.update(dict.fromkeys(nodes))
                links.update(dict.fromkeys(links_along(graph, nodes)))
            if directed:
                break
    check_progress(progress, len(pairs_of), len(pairs_of))
    return PathResult(tuple(entities), tuple(links), 0.0, tuple(dict.fromkeys(notes)))


def entity_name(chart: Chart, entity_id: str) -> str:
    """How notes name an entity: its label and id."""
    return f"{chart.entities[entity_id].label or entity_id} ({entity_id})"


_name = entity_name
