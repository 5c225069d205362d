"""Distances from many sources at once: breadth-first search with one bit per source.

Closeness needs, for every entity, the sum of its distances to others. igraph answers with a
matrix of Python numbers (50 sources x 100,000 entities is 5 million of them), and building
those took 12 s of CPU for 1,000 sampled sources on a 100,000-entity chart. Here the sources
move through the graph together (Then et al. 2014, "The more the merrier: efficient
multi-source graph traversal"): each entity holds a row of bits, one per source, the
frontier spreads to neighbours as a bitwise OR over the adjacency lists in numpy, and only
three numbers per entity are kept: how many sources reached it, the sum of their distances
and the sum of their squares (for the spread that states a sampled estimate's error).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import igraph as ig
import numpy as np

#: Sources moved through the graph at once in :func:`distances_from_all`.
BATCH = 1024


@dataclass(frozen=True, slots=True)
class DistanceSums:
    """Per entity (rows) and per group of 64 sources (columns, the sources' order): how many
    of the group's sources reach it and the sum of their distances (a source itself, at
    distance 0, is not counted). Each column of a random sample is an estimate of its own:
    their spread states the error."""

    reached: np.ndarray
    total: np.ndarray


def adjacency(graph: ig.Graph, towards: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Compressed rows of the graph: ``indices[indptr[v]:indptr[v + 1]]`` are the entities a
    search arrives at ``v`` from. Undirected: the neighbours. Directed: the entities with an
    arc into ``v``, so distances run from the sources along the arrows; ``towards=True``
    reverses that (distances from each entity along the arrows to the sources)."""
    edges = np.asarray(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    heads, tails = edges[:, 1], edges[:, 0]
    if not graph.is_directed():
        heads, tails = np.concatenate([heads, tails]), np.concatenate([tails, heads])
    elif towards:
        heads, tails = tails, heads
    order = np.argsort(heads, kind="stable")
    indptr = np.zeros(graph.vcount() + 1, dtype=np.int64)
    np.cumsum(np.bincount(heads, minlength=graph.vcount()), out=indptr[1:])
    return indptr, tails[order]


def distance_sums(indptr: np.ndarray, indices: np.ndarray, sources: Sequence[int],
                  stop: Callable[[], None] | None = None) -> DistanceSums:
    """Breadth-first search from every source in ``sources`` at once; ``stop()`` is called
    once a level, so that a cancelled run raises there. Memory: three rows of bits per
    entity, and one per adjacency entry, for every 64 sources."""
    n = len(indptr) - 1
    words = max(1, -(-len(sources) // 64))
    frontier = np.zeros((n, words), dtype=np.uint64)
    for j, source in enumerate(sources):
        frontier[source, j // 64] |= np.uint64(1) << np.uint64(j % 64)
    seen = frontier.copy()
    reached = np.zeros((n, words), dtype=np.int64)
    total = np.zeros((n, words), dtype=np.int64)
    linked = np.flatnonzero(np.diff(indptr))  # reduceat needs non-empty rows
    starts = indptr[linked]
    level = 0
    while True:
        if stop is not None:
            stop()
        level += 1
        arrived = np.zeros_like(frontier)
        if len(starts):
            arrived[linked] = np.bitwise_or.reduceat(frontier[indices], starts, axis=0)
        arrived &= ~seen
        counts = np.bitwise_count(arrived).astype(np.int64)
        if not counts.any():
            return DistanceSums(reached, total)
        seen |= arrived
        reached += counts
        total += level * counts
        frontier = arrived


def distances_from_all(graph: ig.Graph, towards: bool,
                       stop: Callable[[int, int], None] | None = None) -> DistanceSums:
    """Every entity as a source, :data:`BATCH` at a time, summed: per entity, how many
    entities it reaches and the sum of those distances (exact). ``towards`` as for
    :func:`adjacency`; ``stop(done, total)`` is called between batches and levels."""
    n = graph.vcount()
    indptr, indices = adjacency(graph, towards)
    reached = np.zeros((n, 1), dtype=np.int64)
    total = np.zeros((n, 1), dtype=np.int64)
    for start in range(0, n, BATCH):
        sums = distance_sums(indptr, indices, range(start, min(n, start + BATCH)),
                             None if stop is None else lambda s=start: stop(s, n))
        reached += sums.reached.sum(axis=1, keepdims=True)
        total += sums.total.sum(axis=1, keepdims=True)
    return DistanceSums(reached, total)
