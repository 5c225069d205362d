"""Circular layout: entities on a circle, in an order that keeps linked entities close.

The order is depth-first through each connected component, so most links are short chords
near the rim instead of crossing the middle; components follow one another round the circle,
largest first, each in one unbroken arc. The order and the positions are array work (scipy's
sparse graph routines and numpy): done one entity at a time in Python they took ten times
igraph's own circle at 50,000 entities.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence

import numpy as np

from workbench.layout.graph import (
    Cancelled,
    LayoutInput,
    Positions,
    Progress,
    check,
    finish_arrays,
    snapshot,
)
from workbench.model import Chart

ARC_SPACING = 70.0  # distance between neighbours along the circle


def circular_layout(chart: Chart | LayoutInput, *, entity_ids: Iterable[str] | None = None,
                    progress: Progress = None, cancelled: Cancelled = None,
                    spacing: float = ARC_SPACING) -> Positions:
    data = snapshot(chart, entity_ids)
    count = len(data)
    if count == 0:
        return {}
    check(cancelled, progress, 0.0)
    order = circle_order(count, data.edges)
    check(cancelled, progress, 0.9)
    if count == 1:
        xy = np.zeros((1, 2))
    else:
        radius = max(count * spacing / (2 * math.pi), spacing)
        angle = 2 * math.pi * np.arange(count) / count - math.pi / 2
        xy = radius * np.column_stack((np.cos(angle), np.sin(angle)))
    check(cancelled, progress, 1.0)
    return finish_arrays(data, order, xy)


def circle_order(count: int, edges: Sequence[tuple[int, int]]) -> np.ndarray:
    """Every vertex once: components largest first (ties by their lowest vertex), each
    walked depth-first from its best-linked vertex (ties: the lowest index), a vertex's
    neighbours taken fewest links first, so its leaves sit right after it on the circle.

    One walk covers all components: each component's root gets the next component's root
    as its last neighbour, so the walk goes on to it once the component is done (a walk per
    component allocates for the whole graph each time, which made charts with thousands of
    small components quadratic)."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components, depth_first_order

    ends = np.fromiter(itertools.chain.from_iterable(edges), dtype=np.int64,
                       count=2 * len(edges)).reshape(-1, 2)
    # Both directions of every link; parallel links merge into one entry (summed).
    adjacency = csr_matrix((np.ones(2 * len(ends)), (np.r_[ends[:, 0], ends[:, 1]],
                                                     np.r_[ends[:, 1], ends[:, 0]])),
                           shape=(count, count))
    adjacency.sort_indices()
    parts, label = connected_components(adjacency, directed=False)
    degree = np.diff(adjacency.indptr)
    by_part = np.lexsort((np.arange(count), -degree, label))  # each part's root first
    starts = np.flatnonzero(np.r_[True, np.diff(label[by_part]) != 0])
    sizes = np.diff(np.r_[starts, count])
    roots = by_part[starts][np.lexsort((np.arange(parts), -sizes))]  # in circle order
    # Each row: the neighbours by degree (stable, so ties by index), the next root last.
    last = int(degree.max(initial=0)) + 1
    source = np.r_[np.repeat(np.arange(count), degree), roots[:-1]]
    target = np.r_[adjacency.indices, roots[1:]]
    rank = np.r_[degree[adjacency.indices], np.full(parts - 1, last)]
    extra = np.zeros(count, dtype=np.int64)
    extra[roots[:-1]] = 1
    # float64 weights: scipy then walks each row in the order stored here (it re-sorts
    # the rows of a matrix it has to convert).
    walk = csr_matrix((np.ones(len(target)),
                       target[np.argsort(source * (last + 1) + rank, kind="stable")],
                       np.r_[0, np.cumsum(degree + extra)]), shape=(count, count))
    return depth_first_order(walk, roots[0], directed=True, return_predecessors=False)
