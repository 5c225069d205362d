"""Push apart entities whose icons or labels would overlap, after a force layout.

Force layouts place hubs' neighbours in tight clumps where labels overprint each other. This
pass moves each pair that is closer than an entity's footprint (wider than tall, because the
label is) apart by half the overlap each, a few rounds, using a grid of cells so each entity
is compared only with its neighbours. It is pure Python, so it runs on components of up to a
few thousand entities; bigger ones keep the force result (they are read zoomed in anyway).
"""

from __future__ import annotations

import math
from collections import defaultdict

from workbench.layout.graph import Block

FOOTPRINT_X = 125.0  # an entity with its label needs about this much room across
FOOTPRINT_Y = 62.0  # ... and this much down
MAX_ENTITIES = 3000


def spread(block: Block, rounds: int = 40, footprint: tuple[float, float] = (FOOTPRINT_X,
                                                                              FOOTPRINT_Y)
           ) -> Block:
    if len(block) < 2 or len(block) > MAX_ENTITIES:
        return block
    fx, fy = footprint
    ids = [v for v, _, _ in block]
    # Work in a space where the footprint is a unit circle.
    xs = [x / fx for _, x, _ in block]
    ys = [y / fy for _, _, y in block]
    n = len(ids)
    for _ in range(rounds):
        cells: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i in range(n):
            cells[(math.floor(xs[i]), math.floor(ys[i]))].append(i)
        moved = 0.0
        for (cx, cy), members in cells.items():
            near = [j for dx in (-1, 0, 1) for dy in (-1, 0, 1)
                    for j in cells.get((cx + dx, cy + dy), ())]
            for i in members:
                for j in near:
                    if j <= i:
                        continue
                    dx, dy = xs[j] - xs[i], ys[j] - ys[i]
                    dist = math.hypot(dx, dy)
                    if dist >= 1.0:
                        continue
                    if dist < 1e-6:  # on top of each other: split along a fixed direction
                        dx, dy, dist = math.cos(i), math.sin(i), 1e-6
                    push = (1.0 - dist) / 2.0
                    ux, uy = dx / max(dist, 1e-6), dy / max(dist, 1e-6)
                    xs[i] -= ux * push
                    ys[i] -= uy * push
                    xs[j] += ux * push
                    ys[j] += uy * push
                    moved += push
        if moved < 0.01:
            break
    return [(v, x * fx, y * fy) for v, x, y in zip(ids, xs, ys, strict=True)]
