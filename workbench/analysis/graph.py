"""The chart seen as a graph, for paths and network measures.

A chart may hold several links between the same two entities (three calls, a payment and a
family tie). Graph algorithms want one edge per pair, so each edge here carries the ids of every
link it stands for (``links``) and, when a weight attribute is asked for, the smallest weight of
those links: the cheapest way through that pair. Results are always given back as chart ids so
that the UI can select them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.model import Chart, Direction, Kind, Link

if TYPE_CHECKING:  # imported where a graph is built: the window starts without networkx
    import networkx as nx


class AnalysisError(ValueError):
    """An analysis that cannot run as asked (unknown entity, missing weight); says why."""


class Cancelled(Exception):
    """The user pressed Cancel; nothing was changed."""


#: ``progress(done, total)`` is called between steps of long work; returning False cancels it.
Progress = Callable[[int, int], bool]


def check_progress(progress: Progress | None, done: int, total: int) -> None:
    """Report progress; raise :class:`Cancelled` once the user has pressed Cancel."""
    if progress is not None and progress(done, total) is False:
        raise Cancelled


@dataclass(frozen=True, slots=True)
class GraphOptions:
    """How links become edges.

    ``directed``: follow link direction; links with no direction can be crossed both ways
    (they state a tie, not a flow). ``weight``: a numeric link attribute used as the cost of
    crossing a link; links without it cost 1. ``link_types``: only these link types (None: all).
    """

    directed: bool = False
    weight: str | None = None
    link_types: frozenset[str] | None = None


DEFAULT_OPTIONS = GraphOptions()


def link_weight(link: Link, attribute: str | None) -> float:
    """The cost of crossing ``link``; 1 when no weight attribute is used or the link lacks it."""
    if attribute is None:
        return 1.0
    value = link.attributes.get(attribute)
    if value is None or value.kind is not Kind.NUMBER:
        return 1.0
    number = float(value.value)
    if number < 0:
        raise AnalysisError(
            f"link {link.id} has a negative {attribute!r} ({number:g}); path costs must be "
            "zero or more")
    return number


def _pairs(link: Link, directed: bool) -> list[tuple[str, str]]:
    if not directed:
        return [(link.end1, link.end2)]
    if link.direction is Direction.NONE:
        return [(link.end1, link.end2), (link.end2, link.end1)]
    return link.arrow_pairs()


#: One crossing of a link: (from, to, chart link id, cost). Plain data, so the GUI thread can
#: take it from the chart in milliseconds and a worker can build the graph from it.
Edge = tuple[str, str, str, float]


@dataclass(frozen=True, slots=True)
class GraphSnapshot:
    """The chart's entities and link crossings as plain data, taken on the GUI thread so that
    a worker thread never reads a chart the analyst may be editing."""

    nodes: tuple[str, ...]
    edges: tuple[Edge, ...]
    directed: bool

    def graph(self) -> nx.Graph:
        """A networkx Graph (DiGraph when directed); see :func:`chart_graph`."""
        import networkx as nx

        graph: nx.Graph = nx.DiGraph() if self.directed else nx.Graph()
        graph.add_nodes_from(self.nodes)
        for a, b, link_id, weight in self.edges:
            data = graph.get_edge_data(a, b)
            if data is None:
                graph.add_edge(a, b, links={link_id: weight}, weight=weight)
            else:
                data["links"][link_id] = weight
                data["weight"] = min(data["weight"], weight)
        return graph


def snapshot(chart: Chart, options: GraphOptions = DEFAULT_OPTIONS,
             among: Collection[str] | None = None) -> GraphSnapshot:
    """The crossings of the chart's links (or of those among ``among``) under ``options``.

    Self-links are left out: they never lie on a path between two entities. A negative
    weight raises :class:`AnalysisError` here, before any work starts.
    """
    keep = None if among is None else set(among)
    nodes = tuple(chart.entities if keep is None else (e for e in keep if e in chart.entities))
    edges: list[Edge] = []
    for link in chart.links.values():
        if link.end1 == link.end2:
            continue
        if keep is not None and (link.end1 not in keep or link.end2 not in keep):
            continue
        if options.link_types is not None and link.type not in options.link_types:
            continue
        weight = link_weight(link, options.weight)
        edges.extend((a, b, link.id, weight) for a, b in _pairs(link, options.directed))
    return GraphSnapshot(nodes, tuple(edges), options.directed)


def chart_graph(chart: Chart, options: GraphOptions = DEFAULT_OPTIONS,
                among: Collection[str] | None = None) -> nx.Graph:
    """A networkx Graph (DiGraph when directed) of the chart, or of the entities ``among``.

    Nodes are entity ids; each edge has ``links`` ({chart link id: its weight}, every link it
    stands for) and ``weight`` (the cheapest of them).
    """
    return snapshot(chart, options, among).graph()


def links_along(graph: nx.Graph, nodes: Iterable[str]) -> list[str]:
    """The chart link ids that make up a path of nodes: at each step every parallel link that
    costs the least (all of them when unweighted), so the selection shows every call or
    payment behind the step."""
    path = list(nodes)
    found: list[str] = []
    for a, b in itertools.pairwise(path):
        data = graph.edges[a, b]
        found.extend(lid for lid, w in data["links"].items() if w == data["weight"])
    return found


def check_entities(chart: Chart, entity_ids: Iterable[str]) -> list[str]:
    ids = list(entity_ids)
    missing = [e for e in ids if e not in chart.entities]
    if missing:
        raise AnalysisError(f"no entity with id {', '.join(missing)} in the chart")
    return ids
