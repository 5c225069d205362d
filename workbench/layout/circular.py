"""Circular layout: entities on a circle, in an order that keeps linked entities close.

The order is depth-first through each connected component, so most links are short chords
near the rim instead of crossing the middle; components follow one another round the circle.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from workbench.layout.graph import (
    Cancelled,
    LayoutInput,
    Positions,
    Progress,
    check,
    components,
    finish,
    snapshot,
)
from workbench.model import Chart

ARC_SPACING = 70.0  # distance between neighbours along the circle


def circular_layout(chart: Chart | LayoutInput, *, entity_ids: Iterable[str] | None = None,
                    progress: Progress = None, cancelled: Cancelled = None,
                    spacing: float = ARC_SPACING) -> Positions:
    data = snapshot(chart, entity_ids)
    graph = data.graph()
    degree = graph.degree()
    neighbours = graph.get_adjlist()
    seen = [False] * len(data)
    order: list[int] = []
    for part in components(graph):
        check(cancelled, progress, len(order) / max(len(data), 1) * 0.9)
        root = max(part, key=lambda v: (degree[v], -v))
        order.extend(_depth_first(neighbours, root, seen))
    count = len(order)
    if count == 0:
        return {}
    if count == 1:
        return finish(data, {order[0]: (0.0, 0.0)})
    radius = max(count * spacing / (2 * math.pi), spacing)
    placed = {}
    for i, v in enumerate(order):
        angle = 2 * math.pi * i / count - math.pi / 2
        placed[v] = (radius * math.cos(angle), radius * math.sin(angle))
    check(cancelled, progress, 1.0)
    return finish(data, placed)


def _depth_first(neighbours: list[list[int]], root: int, seen: list[bool]) -> list[int]:
    """The order ``Graph.dfs(root)`` gives (a stack of every neighbour, the last pushed
    visited first), without its cost: ``Graph.dfs`` allocates for the whole graph on every
    call, which made charts with thousands of small components quadratic (18 s at 100,000
    entities)."""
    order: list[int] = []
    stack = [root]
    while stack:
        v = stack.pop()
        if seen[v]:
            continue
        seen[v] = True
        order.append(v)
        stack.extend(n for n in neighbours[v] if not seen[n])
    return order
