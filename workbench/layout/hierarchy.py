"""Hierarchy layout: top-down layers with few crossings (igraph's Sugiyama layout).

Directed links point down (a person "located at" a place sits above it). Links with no
direction are oriented away from the best-connected entity of their component, found by a
breadth-first search, so an undirected network reads as a tree rooted at its hub. Cycles are
broken by igraph (feedback arc set), and crossings are reduced by the barycentre heuristic.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

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
# igraph's Sugiyama places each layer's blocks by a recursion in C (Brandes and Koepf's
# horizontal compaction) as deep as the chain of blocks to their left, dummy vertices of
# long links included: a component of 50,000 entities overflowed the main thread's 8 MB
# stack and took the process down with it. Measured on bench_scale's charts (the thread
# stack's pages in /proc/self/smaps; 2.0 MB of stack crashed where 2.3 MB were used), the
# deepest recursion used 0.7 MB of stack at 4,500 entities, 7.3 MB at 18,000, 24 MB at
# 45,000 and 67 MB at 90,000 (150 to 750 bytes per entity, growing with the chart), so the
# thread gets 1 KB for each entity and link of the largest component: 4-6 times what was
# used (264 MB for the 90,000 entities and 180,000 links of a 100,000-entity chart).
STACK_PER_ELEMENT = 1024
STACK_MIN = 16 << 20  # bytes: at least, for small charts
STACK_MAX = 1 << 30  # bytes: at most (the address space reserved; only what is used is touched)
# CPython on Windows refuses a thread stack of 256 MiB or more (ValueError), and commits the
# whole stack it is given (charged to the machine's memory and page file while the layout
# runs), so the stack there is sized to the chart too, and kept under that limit.
WINDOWS_STACK_MAX = (256 << 20) - (1 << 20)


def stack_for(vertices: int, edges: int) -> int:
    """Bytes of stack for igraph's Sugiyama on a graph of this many vertices and edges."""
    return min(STACK_MAX, max(STACK_MIN, STACK_PER_ELEMENT * (vertices + edges)))


@contextmanager
def deep_stack(size: int) -> Iterator[Callable[..., Any]]:
    """A thread with a stack of ``size`` bytes (or the most the platform allows) for the
    caller's calls, which it waits for: ``run(function, *args)`` returns what it returns or
    raises what it raised. One thread for a whole layout (its stack is mapped once, not for
    each of thousands of small components)."""
    try:
        before = threading.stack_size(size)
    except ValueError:  # Windows: under 256 MiB
        before = threading.stack_size(min(size, WINDOWS_STACK_MAX))
    try:  # the pool starts its thread at the first submit, with the stack size set then
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sugiyama")
        pool.submit(int).result()
    finally:
        threading.stack_size(before)
    try:
        yield lambda function, *args, **kwargs: pool.submit(function, *args, **kwargs).result()
    finally:
        pool.shutdown()


def _levels(graph: igraph.Graph, parts: list[list[int]], roots: set[int]) -> list[int]:
    """Breadth-first depth of every vertex from its component's root: one the analyst chose,
    else the highest-degree vertex. One search for all components, from an extra vertex
    linked to every root (a search from each root cost the whole graph each time: 45 of
    the 52 s spent around Sugiyama at 50,000 entities, with 3,000 components)."""
    degree = graph.degree()
    tops = []
    for part in parts:
        chosen = [v for v in part if v in roots] if roots else []
        tops.append(chosen[0] if chosen else max(part, key=lambda v: (degree[v], -v)))
    n = graph.vcount()
    joined = graph.copy()
    joined.add_vertices(1)
    joined.add_edges([(n, top) for top in tops])
    order, starts, _ = joined.bfs(n)
    level = [0] * n
    for depth in range(1, len(starts) - 1):
        for v in order[starts[depth]:starts[depth + 1]]:
            level[v] = depth - 1
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
    largest = graph.induced_subgraph(sorted(parts[0])) if parts else graph  # laid out first
    with deep_stack(stack_for(largest.vcount(), largest.ecount())) as run:
        for k, part in enumerate(parts):
            check(cancelled, progress, 0.1 + 0.85 * k / max(len(parts), 1))
            if len(part) == 1:
                singles.append(part[0])
                continue
            vertices = sorted(part)
            sub = largest if k == 0 else graph.induced_subgraph(vertices)
            layout = run(sub.layout_sugiyama, maxiter=100 if len(vertices) < 3000 else 30)
            rows = _rows([(v, float(x), round(y))
                          for v, (x, y) in zip(vertices, layout.coords[:len(vertices)],
                                               strict=True)])
            block = _place_rows(rows, node_gap, layer_gap)
            if data.labels:  # long labels side by side in a row: widen the row where needed
                block = remove_overlaps(block,
                                        {v: label_width(data.labels[v]) for v in vertices})
            blocks.append(block)
    if singles:
        blocks.append(grid_block(sorted(singles, key=lambda v: (data.types[v], data.ids[v]))))
    check(cancelled, progress, 1.0)
    return finish(data, pack(blocks, SPACING))
