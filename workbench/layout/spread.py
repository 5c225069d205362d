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


BOX_HEIGHT = 52.0  # an entity's icon and label, top to bottom
MIN_WIDTH = 44.0  # an entity with a short label still needs its icon's room
GAP = 10.0


def label_width(label: str) -> float:
    """About how wide an entity's label is drawn (11 px font; long labels are elided)."""
    return min(max(len(label) * 6.4 + 8.0, MIN_WIDTH), 178.0)


def remove_overlaps(block: Block, widths: dict[int, float], rounds: int = 60) -> Block:
    """Move entities apart until no two boxes (icon and label) overlap, each pair along the
    axis that needs the smaller move, so the drawing keeps its shape."""
    if len(block) < 2 or len(block) > MAX_ENTITIES:
        return block
    ids = [v for v, _, _ in block]
    xs = [x for _, x, _ in block]
    ys = [y for _, _, y in block]
    ws = [max(widths.get(v, MIN_WIDTH), MIN_WIDTH) + GAP for v in ids]
    cell_w, cell_h = max(ws), BOX_HEIGHT + GAP
    n = len(ids)
    for _ in range(rounds):
        cells: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i in range(n):
            cells[(math.floor(xs[i] / cell_w), math.floor(ys[i] / cell_h))].append(i)
        moved = 0
        for (cx, cy), members in cells.items():
            near = [j for dx in (-1, 0, 1) for dy in (-1, 0, 1)
                    for j in cells.get((cx + dx, cy + dy), ())]
            for i in members:
                for j in near:
                    if j <= i:
                        continue
                    dx, dy = xs[j] - xs[i], ys[j] - ys[i]
                    over_x = (ws[i] + ws[j]) / 2.0 - abs(dx)
                    over_y = cell_h - abs(dy)
                    if over_x <= 0.0 or over_y <= 0.0:
                        continue
                    if over_x <= over_y:
                        step = (over_x / 2.0 + 0.5) * (1.0 if dx > 0 or (dx == 0 and i % 2)
                                                       else -1.0)
                        xs[i] -= step
                        xs[j] += step
                    else:
                        step = (over_y / 2.0 + 0.5) * (1.0 if dy > 0 or (dy == 0 and i % 2)
                                                       else -1.0)
                        ys[i] -= step
                        ys[j] += step
                    moved += 1
        if not moved:
            break
    return list(zip(ids, xs, ys, strict=True))
