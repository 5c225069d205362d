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

    One walk covers all components: an extra vertex linked to every component's root starts
    it (a walk per component allocates for the whole graph each time, which made charts with
    thousands of small components quadratic), and the blocks it yields, one per component,
    are then put in size order."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components, depth_first_order

    ends = np.fromiter(itertools.chain.from_iterable(edges), dtype=np.int64,
                       count=2 * len(edges)).reshape(-1, 2)
    # Both directions of every link; parallel links merge into one entry (summed).
    rows = np.concatenate((ends[:, 0], ends[:, 1]))
    cols = np.concatenate((ends[:, 1], ends[:, 0]))
    adjacency = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(count, count))
    adjacency.sort_indices()
    parts, label = connected_components(adjacency, directed=False)
    degree = np.diff(adjacency.indptr)
    by_part = np.lexsort((np.arange(count), -degree, label))  # each part's root first
    starts = np.flatnonzero(np.r_[True, np.diff(label[by_part]) != 0])
    roots = by_part[starts]  # indexed by label
    sizes = np.diff(np.r_[starts, count])
    rank = np.empty(parts, dtype=np.int64)
    rank[np.lexsort((np.arange(parts), -sizes))] = np.arange(parts)
    key = np.repeat(np.arange(count) * (int(degree.max(initial=0)) + 1), degree)
    neighbours = adjacency.indices[np.argsort(key + degree[adjacency.indices], kind="stable")]
    # float64 weights: scipy then walks each row in the order stored here (it re-sorts
    # the rows of a matrix it has to convert).
    walk = csr_matrix((np.ones(adjacency.nnz + parts),
                       np.concatenate((neighbours, roots)),
                       np.r_[adjacency.indptr, adjacency.indptr[-1] + parts]),
                      shape=(count + 1, count + 1))
    order = depth_first_order(walk, count, directed=True, return_predecessors=False)[1:]
    return order[np.argsort(rank[label[order]], kind="stable")]
