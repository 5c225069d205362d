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

    One scipy walk does it all, from an extra vertex whose neighbours are every vertex,
    best-linked first: each time a component is done the walk comes back to it and starts
    the next component at that component's best-linked vertex. The components are then the
    stretches of the walk that start from the extra vertex, put in order by size. (A walk per
    component allocates for the whole graph each time, which made charts with thousands of
    small components quadratic; scipy's connected components as well cost a second pass.)"""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import depth_first_order

    if not edges:
        return np.arange(count)
    ends = np.fromiter(itertools.chain.from_iterable(edges), dtype=np.int64,
                       count=2 * len(edges))
    # Both directions of every link: row k of the adjacency holds vertex k's neighbours.
    rows = np.concatenate((ends[0::2], ends[1::2]))
    cols = np.concatenate((ends[1::2], ends[0::2]))
    bits = count.bit_length()  # keys below: (row << bits) | column
    low = (1 << bits) - 1
    degree, by_degree, keys = _sorted_rows(count, bits, rows, cols)
    if (keys[1:] == keys[:-1]).any():  # parallel links (or a self-link): each pair once
        keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
        degree, by_degree, keys = _sorted_rows(count, bits, keys >> bits,
                                               by_degree[keys & low])
    top = count  # the extra vertex; its row: every vertex, best-linked (then lowest) first
    first = np.sort(((degree.max() - degree) << bits) | np.arange(count)) & low
    indptr, indices, tops = _short_rows(
        np.concatenate(([0], np.cumsum(degree), [len(keys) + count])),
        np.concatenate((by_degree[keys & low], first)))
    walk = csr_matrix((np.ones(len(indices)), indices, indptr),
                      shape=(len(indptr) - 1, len(indptr) - 1))
    nodes, came_from = depth_first_order(walk, top, directed=True, return_predecessors=True)
    order = nodes[nodes < count]
    came_from = came_from[order]
    starts = np.flatnonzero((came_from == top) | (came_from >= tops))
    if len(starts) == 1:
        return order
    sizes = np.diff(np.append(starts, count))
    ranked = np.lexsort((np.minimum.reduceat(order, starts), -sizes))
    sizes = sizes[ranked]
    shift = starts[ranked] - (np.cumsum(sizes) - sizes)
    return order[np.arange(count) + np.repeat(shift, sizes)]


def _sorted_rows(count: int, bits: int, rows: np.ndarray,
                 cols: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each vertex's degree, the vertices by degree (ties: lowest first), and one sorted key
    per adjacency entry, ``(row << bits) | place of the neighbour in that order``: the
    adjacency rows in walk order, fewest links first."""
    degree = np.bincount(rows, minlength=count)
    by_degree = np.sort((degree << bits) | np.arange(count)) & ((1 << bits) - 1)
    place = np.empty(count, dtype=np.int64)
    place[by_degree] = np.arange(count)
    return degree, by_degree, np.sort((rows << bits) | place[cols])


BLOCK = 16  # longest row the walk scans: scipy rescans a row from its start after each child


def _short_rows(indptr: np.ndarray,
                indices: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """The same walk with no row longer than BLOCK (and a pointer): a longer row keeps its
    first BLOCK entries, then a pointer to a new node holding the next BLOCK, and so on.
    scipy's walk scans a row from its start each time it comes back to it, which made a hub
    of 100,000 links take seconds (the square of its links); its chain of new nodes visits
    the same vertices in the same order. The new nodes come after the old ones; also
    returned: the first new node of the last row's chain."""
    nodes = len(indptr) - 1
    length = np.diff(indptr)
    long = np.flatnonzero(length > BLOCK)
    tail = length[long] - BLOCK  # entries after each long row's first BLOCK
    moved = np.zeros(len(indices) + 1, dtype=np.int8)  # entries after a row's first BLOCK
    moved[indptr[long] + BLOCK] = 1
    moved[indptr[long + 1]] = -1
    moved = np.cumsum(moved[:-1], dtype=np.int8).view(bool)
    # The pointer after each long row's first BLOCK entries, to the row's first new node.
    chains = -(-tail // BLOCK)  # new nodes per long row
    first_new = nodes + np.concatenate(([0], np.cumsum(chains)[:-1]))
    kept_before = np.cumsum(np.minimum(length, BLOCK))
    head = np.insert(indices[~moved], kept_before[long], first_new)
    head_ptr = np.concatenate(([0], kept_before + np.cumsum(length > BLOCK)))
    # The new nodes: BLOCK entries each (the last of a chain the rest), then a pointer on.
    new_len = np.full(int(chains.sum()), BLOCK)
    last = np.cumsum(chains) - 1
    new_len[last] = tail - BLOCK * (chains - 1)
    is_last = np.zeros(len(new_len), dtype=bool)
    is_last[last] = True
    new_start = np.concatenate(([0], np.cumsum(new_len)[:-1]))
    inner = np.flatnonzero(~is_last)
    rest = np.insert(indices[moved], new_start[inner] + BLOCK, nodes + inner + 1)
    new_ptr = np.cumsum(new_len + ~is_last)
    return (np.concatenate((head_ptr, head_ptr[-1] + new_ptr)),
            np.concatenate((head, rest)), int(first_new[-1]) if len(long) else len(indptr))
