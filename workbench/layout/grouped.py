"""Grouped layout: one cluster per entity type (or per value of an attribute).

Analysts use it to see "all the phones here, all the accounts there". Each group is laid out
by force on the links inside it, then the groups are packed side by side, largest first, with
a wider gap between groups than inside them so the clusters read as separate.
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
from workbench.model import Chart

MISSING = "(none)"


def group_keys(data: LayoutInput, attribute: str | None) -> list[str]:
    if attribute:
        return [MISSING if v is None or v == "" else str(v) for v in data.values]
    return list(data.types)


def grouped_layout(chart: Chart | LayoutInput, *, entity_ids: Iterable[str] | None = None,
                   attribute: str | None = None, progress: Progress = None,
                   cancelled: Cancelled = None, spacing: float = SPACING) -> Positions:
    """Group by entity type, or by ``attribute``'s value when one is given."""
    data = snapshot(chart, entity_ids, attribute)
    if attribute and not data.values:  # a snapshot taken without the attribute
        raise ValueError(f"the layout input has no values of attribute {attribute!r}")
    keys = group_keys(data, attribute)
    groups: dict[str, list[int]] = {}
    for v, key in enumerate(keys):
        groups.setdefault(key, []).append(v)
    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    graph = data.graph()
    blocks: list[Block] = []
    grids: list[list[int]] = []
    for k, (_, members) in enumerate(ordered):
        check(cancelled, progress, 0.95 * k / max(len(ordered), 1))
        sub = graph.induced_subgraph(members)  # vertices renumbered in sorted order
        inner: list[Block] = []
        singles: list[int] = []
        for part in components(sub):
            if len(part) == 1:
                singles.append(members[part[0]])
            else:
                labels = [data.labels[m] for m in members] if data.labels else ()
                block = component_block(sub, part, spacing=spacing, labels=labels)
                inner.append([(members[v], x, y) for v, x, y in block])
        if singles:
            singles.sort(key=lambda v: data.ids[v])
            inner.append(grid_block(singles))
            grids.append(singles)
        placed = pack(inner, spacing * 0.7)
        blocks.append([(v, x, y) for v, (x, y) in placed.items()])
    check(cancelled, progress, 1.0)
    placed = ring(blocks, spacing * 2.5)
    face_neighbours(graph, blocks, placed, grids)
    return finish(data, placed)


def _box(block: Block) -> tuple[float, float, float, float]:
    xs = [x for _, x, _ in block]
    ys = [y for _, _, y in block]
    return min(xs), min(ys), max(xs), max(ys)


def ring(blocks: list[Block], gap: float) -> dict[int, tuple[float, float]]:
    """The largest group in the middle, the others around it on a ring, so links between
    groups are short spokes rather than long lines across a row of groups."""
    if len(blocks) <= 2:
        return pack(blocks, gap)
    centres, halves = [], []
    for block in blocks:
        left, top, right, bottom = _box(block)
        centres.append(((left + right) / 2, (top + bottom) / 2))
        halves.append((right - left) / 2 + gap / 2)
        halves[-1] = max(halves[-1], (bottom - top) / 2 + gap / 2)
    outer = list(range(1, len(blocks)))
    circumference = sum(2 * halves[i] for i in outer)
    radius = max(halves[0] + max(halves[i] for i in outer), circumference / (2 * math.pi))
    out: dict[int, tuple[float, float]] = {}
    angle = -math.pi / 2
    for index, block in enumerate(blocks):
        if index == 0:
            cx, cy = 0.0, 0.0
        else:
            share = 2 * math.pi * (2 * halves[index]) / circumference
            angle += share / 2
            cx, cy = radius * math.cos(angle), radius * math.sin(angle)
            angle += share / 2
        ox, oy = centres[index]
        for v, x, y in block:
            out[v] = (x - ox + cx, y - oy + cy)
    return out


def face_neighbours(graph, blocks: list[Block], placed: dict[int, tuple[float, float]],
                    grids: list[list[int]]) -> None:
    """Reorder each group's grid of unlinked-within-group entities so that each sits on the
    side of the grid facing the entities it links to in other groups."""
    for cells in grids:
        if len(cells) < 2:
            continue
        spots = [placed[v] for v in cells]
        cx = sum(p[0] for p in spots) / len(spots)
        cy = sum(p[1] for p in spots) / len(spots)
        cell_set = set(cells)
        wanted = sorted(cells, key=lambda v: _angle_key(*_pull(graph, placed, v, cell_set,
                                                               cx, cy)))
        spot_order = sorted(spots, key=lambda p: _angle_key(p[0] - cx, p[1] - cy))
        for v, spot in zip(wanted, spot_order, strict=True):
            placed[v] = spot


def _pull(graph, placed: dict[int, tuple[float, float]], v: int, own: set[int], cx: float,
          cy: float) -> tuple[float, float]:
    """Direction from the grid's centre to the centroid of ``v``'s links outside the grid."""
    others = [placed[n] for n in graph.neighbors(v) if n not in own]
    if not others:
        return 0.0, 0.0
    return (sum(p[0] for p in others) / len(others) - cx,
            sum(p[1] for p in others) / len(others) - cy)


def _angle_key(dx: float, dy: float) -> tuple[int, float]:
    """Sort key by direction; entities with nowhere to face come last (inner cells)."""
    if abs(dx) < 1e-9 and abs(dy) < 1e-9:
        return (1, 0.0)
    return (0, math.atan2(dy, dx))
