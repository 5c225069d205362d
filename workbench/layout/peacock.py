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

LEAF_GAP = 58.0  # distance between neighbouring leaves on a ring
RING_GAP = 70.0  # distance between rings of leaves
FIRST_RING = 110.0  # distance of the first ring from its hub


def fan(hub: tuple[float, float], away: float, count: int) -> list[tuple[float, float]]:
    """Positions of ``count`` leaves around ``hub``, centred on the angle ``away``."""
    out: list[tuple[float, float]] = []
    radius = FIRST_RING
    while len(out) < count:
        capacity = max(1, int(2 * math.pi * radius / LEAF_GAP))
        here = min(capacity, count - len(out))
        # Few leaves: an arc facing away from the network; a full ring otherwise.
        span = min(2 * math.pi, here * LEAF_GAP / radius)
        step = span / here if span >= 2 * math.pi - 1e-9 else span / max(here - 1, 1)
        start = away - (span / 2 if here > 1 and span < 2 * math.pi - 1e-9 else 0.0)
        if here == 1:
            start = away
        for i in range(here):
            angle = start + step * i
            out.append((hub[0] + radius * math.cos(angle), hub[1] + radius * math.sin(angle)))
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
        core_spacing = SPACING + min(rings, 4) * RING_GAP
        block = component_block(graph, core, spacing=core_spacing)
        where = {v: (x, y) for v, x, y in block}
        for hub, hub_leaves in leaves_of.items():
            hx, hy = where[hub]
            others = [where[n] for n in graph.neighbors(hub) if n in where]
            if others:
                cx = sum(p[0] for p in others) / len(others)
                cy = sum(p[1] for p in others) / len(others)
                away = math.atan2(hy - cy, hx - cx) if (cx, cy) != (hx, hy) else -math.pi / 2
            else:
                away = -math.pi / 2
            for leaf, (x, y) in zip(hub_leaves, fan((hx, hy), away, len(hub_leaves)),
                                    strict=True):
                block.append((leaf, x, y))
        blocks.append(spread(block, rounds=6, footprint=(LEAF_GAP * 0.9, LEAF_GAP * 0.9)))
    if singles:
        blocks.append(grid_block(sorted(singles, key=lambda v: (data.types[v], data.ids[v])),
                                 SPACING * 0.8))
    check(cancelled, progress, 1.0)
    return finish(data, pack(blocks, SPACING))
