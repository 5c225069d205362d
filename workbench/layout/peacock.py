"""Peacock layout: hubs laid out by force, their leaf entities fanned around them.

Trafficking charts are full of hubs with many single-link entities: a phone with dozens of
adverts, a person with many accounts. A force layout crushes those leaves into a blob; here
the network of hubs is laid out on its own, with room, and each hub's leaves are spread on an
arc (or full rings for many) facing away from the rest of the network, like a peacock's tail.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from workbench.layout.force import component_block
from workbench.layout.graph import (
    SPACING,
    Block,
    Cancelled,
    LayoutInput,
    Positions,
    Progress,
    check,
    components,
    finish,
    grid_block,
    pack,
    snapshot,
)
from workbench.layout.spread import spread
from workbench.model import Chart

FOOTPRINT = (105.0, 52.0)  # room an entity with its label needs, across and down
FIRST_RING = 2.6  # radius of the first ring of leaves, in footprints
RING_GAP = 1.3  # between rings, in footprints
LEAF_GAP = 1.12  # between neighbouring leaves on a ring, in footprints


def fan(hub: tuple[float, float], away: float, count: int) -> list[tuple[float, float]]:
    """Positions of ``count`` leaves around ``hub``, centred on the angle ``away``.

    Rings are ellipses twice as wide as tall (measured in entity footprints they are
    circles), because labels run across: leaves side by side need more room than leaves
    above each other.
    """
    out: list[tuple[float, float]] = []
    radius = FIRST_RING
    fx, fy = FOOTPRINT
    while len(out) < count:
        capacity = max(1, int(2 * math.pi * radius / LEAF_GAP))
        here = min(capacity, count - len(out))
        # Few leaves: an arc facing away from the network; a full ring otherwise.
        span = min(2 * math.pi, here * LEAF_GAP / radius)
        full = span >= 2 * math.pi - 1e-9
        step = span / here if full else span / max(here - 1, 1)
        start = away if here == 1 or full else away - span / 2
        for i in range(here):
            angle = start + step * i
            out.append((hub[0] + radius * fx * math.cos(angle),
                        hub[1] + radius * fy * math.sin(angle)))
        radius += RING_GAP
    return out


def peacock_layout(chart: Chart | LayoutInput, *, entity_ids: Iterable[str] | None = None,
                   progress: Progress = None, cancelled: Cancelled = None) -> Positions:
    data = snapshot(chart, entity_ids)
    graph = data.graph()
    degree = graph.degree()
    blocks: list[Block] = []
    singles: list[int] = []
    parts = components(graph)
    for k, part in enumerate(parts):
        check(cancelled, progress, 0.95 * k / max(len(parts), 1))
        if len(part) == 1:
            singles.append(part[0])
            continue
        if len(part) == 2:
            blocks.append([(part[0], 0.0, 0.0), (part[1], SPACING, 0.0)])
            continue
        leaves = {v for v in part if degree[v] == 1}
        core = [v for v in part if v not in leaves]
        leaves_of: dict[int, list[int]] = {}
        for leaf in sorted(leaves, key=lambda v: (data.types[v], data.ids[v])):
            leaves_of.setdefault(graph.neighbors(leaf)[0], []).append(leaf)
        # Hubs with many leaves need more room between them.
        biggest = max((len(v) for v in leaves_of.values()), default=0)
        rings = 1 + biggest * LEAF_GAP / (2 * math.pi * FIRST_RING)
        core_spacing = SPACING + min(rings, 4) * RING_GAP * FOOTPRINT[0] * 0.6
        block = component_block(graph, core, spacing=core_spacing)
        where = {v: (x, y) for v, x, y in block}
        for hub, hub_leaves in leaves_of.items():
            hx, hy = where[hub]
            others = [where[n] for n in graph.neighbors(hub) if n in where]
            if others:
                cx = sum(p[0] for p in others) / len(others)
                cy = sum(p[1] for p in others) / len(others)
                away = (math.atan2((hy - cy) / FOOTPRINT[1], (hx - cx) / FOOTPRINT[0])
                        if (cx, cy) != (hx, hy) else -math.pi / 2)
            else:
                away = -math.pi / 2
            for leaf, (x, y) in zip(hub_leaves, fan((hx, hy), away, len(hub_leaves)),
                                    strict=True):
                block.append((leaf, x, y))
        blocks.append(spread(block, rounds=6, footprint=FOOTPRINT))
    if singles:
        blocks.append(grid_block(sorted(singles, key=lambda v: (data.types[v], data.ids[v]))))
    check(cancelled, progress, 1.0)
    return finish(data, pack(blocks, SPACING))
