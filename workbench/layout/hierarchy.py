"""Hierarchy layout: top-down layers with few crossings (igraph's Sugiyama layout).

Directed links point down (a person "located at" a place sits above it). Links with no
direction are oriented away from the best-connected entity of their component, found by a
breadth-first search, so an undirected network reads as a tree rooted at its hub. Cycles are
broken by igraph (feedback arc set), and crossings are reduced by the barycentre heuristic.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

import igraph

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
from workbench.layout.spread import label_width, remove_overlaps
from workbench.model import Chart

LAYER_GAP = 150.0  # vertical distance between layers
NODE_GAP = 150.0  # horizontal distance between neighbours in a layer (labels need room)
MIN_ROW = 12  # layers wider than this (or 1.6 x sqrt(entities)) wrap into several rows
# igraph's Sugiyama recurses in C as deep as the graph is long: a component of 50,000
# entities overflowed the 8 MB stack of the main thread and took the process down with it
SUGIYAMA_STACK = 1 << 30  # bytes of address space reserved; pages are used only when reached


def _sugiyama(graph: igraph.Graph, maxiter: int) -> igraph.Layout:
    """igraph's Sugiyama layout of ``graph``, run on a thread of its own with a stack deep
    enough for its recursion (the caller waits for it: the layout is not interruptible)."""
    before = threading.stack_size(SUGIYAMA_STACK)
    try:  # the pool starts its thread at the submit, with the stack size set then
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sugiyama")
        future = pool.submit(graph.layout_sugiyama, maxiter=maxiter)
    finally:
        threading.stack_size(before)
    try:
        return future.result()
    finally:
        pool.shutdown()


def _levels(graph: igraph.Graph, parts: list[list[int]], roots: set[int]) -> list[int]:
    """Breadth-first depth of every vertex from its component's root: one the analyst chose,
    else the highest-degree vertex."""
    degree = graph.degree()
    level = [0] * graph.vcount()
    for part in parts:
        chosen = [v for v in part if v in roots]
        root = chosen[0] if chosen else max(part, key=lambda v: (degree[v], -v))
        order, _, _ = graph.bfs(root)
        dist = graph.distances(source=[root], target=order)[0]
        for v, d in zip(order, dist, strict=True):
            level[v] = int(d)
    return level


def _rows(coords: list[tuple[int, float, int]]) -> list[list[int]]:
    """Vertices of each layer in Sugiyama's left-to-right order (its x spacing is wasteful:
    dummy vertices for long links take room), wide layers wrapped into several rows."""
    layers: dict[int, list[tuple[float, int]]] = {}
    for v, x, layer in coords:
        layers.setdefault(layer, []).append((x, v))
    limit = max(MIN_ROW, math.ceil(math.sqrt(len(coords)) * 1.6))
    rows: list[list[int]] = []
    for layer in sorted(layers):
        ordered = [v for _, v in sorted(layers[layer])]
        count = math.ceil(len(ordered) / limit)
        size = math.ceil(len(ordered) / count)
        rows.extend(ordered[i:i + size] for i in range(0, len(ordered), size))
        rows.append([])  # a gap between layers, wider than between rows of one layer
    return rows


def _place_rows(rows: list[list[int]], node_gap: float, layer_gap: float) -> Block:
    block: Block = []
    y = 0.0
    row_in_layer = 0
    for row in rows:
        if not row:
            y += layer_gap * 0.45
            row_in_layer = 0
            continue
        # Stagger wrapped rows by half a step so their labels do not line up in a wall.
        left = -(len(row) - 1) * node_gap / 2.0 + (node_gap / 2.0 if row_in_layer % 2 else 0.0)
        block.extend((v, left + i * node_gap, y) for i, v in enumerate(row))
        y += layer_gap * 0.55
        row_in_layer += 1
    return block


def hierarchy_layout(chart: Chart | LayoutInput, *, entity_ids: Iterable[str] | None = None,
                     progress: Progress = None, cancelled: Cancelled = None,
                     roots: Iterable[str] = (), layer_gap: float = LAYER_GAP,
                     node_gap: float = NODE_GAP) -> Positions:
    """Top-down layers; ``roots`` (entity ids) sit at the top of their components."""
    data = snapshot(chart, entity_ids)
    undirected = data.graph()
    parts = components(undirected)
    check(cancelled, progress, 0.05)
    index = {entity_id: i for i, entity_id in enumerate(data.ids)}
    root_set = {index[r] for r in roots if r in index}
    level = _levels(undirected, parts, root_set)
    oriented = []
    for (a, b), directed in zip(data.edges, data.directed, strict=True):
        if (not directed or b in root_set) and (level[a], a) > (level[b], b):
            a, b = b, a
        oriented.append((a, b))
    graph = igraph.Graph(n=len(data), edges=list(dict.fromkeys(oriented)), directed=True)
    blocks: list[Block] = []
    singles: list[int] = []
    for k, part in enumerate(parts):
        check(cancelled, progress, 0.1 + 0.85 * k / max(len(parts), 1))
        if len(part) == 1:
            singles.append(part[0])
            continue
        vertices = sorted(part)
        sub = graph.induced_subgraph(vertices)
        layout = _sugiyama(sub, 100 if len(vertices) < 3000 else 30)
        rows = _rows([(v, float(x), round(y))
                      for v, (x, y) in zip(vertices, layout.coords[:len(vertices)],
                                           strict=True)])
        block = _place_rows(rows, node_gap, layer_gap)
        if data.labels:  # long labels side by side in a row: widen the row where needed
            block = remove_overlaps(block, {v: label_width(data.labels[v]) for v in vertices})
        blocks.append(block)
    if singles:
        blocks.append(grid_block(sorted(singles, key=lambda v: (data.types[v], data.ids[v]))))
    check(cancelled, progress, 1.0)
    return finish(data, pack(blocks, SPACING))
