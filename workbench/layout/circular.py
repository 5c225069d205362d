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
    bits = count.bit_length()  # keys below: (row << bits) | column
    low = (1 << bits) - 1
    # Each pair of linked entities once (parallel links count once), lowest first.
    pairs = np.sort((np.minimum(ends[0::2], ends[1::2]) << bits)
                    | np.maximum(ends[0::2], ends[1::2]))
    if (pairs[1:] == pairs[:-1]).any():
        pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
    lower, upper = pairs >> bits, pairs & low
    apart = lower != upper  # a self-link is one entry of its row, not two
    if apart.all():
        rows, cols = np.concatenate((lower, upper)), np.concatenate((upper, lower))
    else:
        rows = np.concatenate((lower[apart], upper))
        cols = np.concatenate((upper[apart], lower))
    # Each row's neighbours fewest links first (ties: lowest first): the rows sorted by
    # (row << bits) | the neighbour's place among the vertices by degree.
    degree = np.bincount(rows, minlength=count)
    by_degree = np.sort((degree << bits) | np.arange(count)) & low
    place = np.empty(count, dtype=np.int64)
    place[by_degree] = np.arange(count)
    keys = np.sort((rows << bits) | place[cols])
    # scipy walks int32 indices (it converts others, checking every entry: twice the time)
    index = np.int32 if 2 * (len(keys) + count) < 2**31 else np.int64
    indptr, indices, top = _short_rows(
        np.concatenate(([0], np.cumsum(degree))).astype(index),
        by_degree.astype(index)[keys & low])
    # The extra vertex's row: every vertex, best-linked (then lowest) first, BLOCK - 1 at a
    # time and a pointer to a new node holding the next ones (the walk comes back to this
    # row after each component), the last one padded with the extra vertex (visited).
    keep = BLOCK - 1
    pieces = -(-count // keep)
    row = np.full((pieces, BLOCK), top, dtype=index)
    best = np.full(pieces * keep, top, dtype=index)
    best[:count] = np.sort(((degree.max() - degree) << bits) | np.arange(count)) & low
    row[:, :keep] = best.reshape(pieces, keep)
    row[:-1, keep] = np.arange(top + 1, top + pieces)
    indptr = np.concatenate((indptr, indptr[-1] + BLOCK * np.arange(1, pieces + 1)))
    indices = np.concatenate((indices, row.ravel()))
    walk = csr_matrix((np.ones(len(indices)), indices, indptr),
                      shape=(len(indptr) - 1, len(indptr) - 1))
    nodes, came_from = depth_first_order(walk, top, directed=True, return_predecessors=True)
    order = nodes[nodes < count]
    came_from = came_from[order]
    starts = np.flatnonzero(came_from >= top)  # from the extra vertex or its new nodes
    if len(starts) == 1:
        return order
    sizes = np.diff(np.concatenate((starts, [count])))
    ranked = np.lexsort((np.minimum.reduceat(order, starts), -sizes))
    sizes = sizes[ranked]
    shift = starts[ranked] - (np.cumsum(sizes) - sizes)
    return order[np.arange(count) + np.repeat(shift, sizes)]


BLOCK = 64  # most entries of a row the walk scans again: scipy rescans a row after each child


def _short_rows(indptr: np.ndarray,
                indices: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """The same walk with no row scanned past BLOCK entries again and again: scipy's walk
    scans a row from its start each time it comes back to it, which made a hub of 100,000
    links take seconds (the square of its links). A longer row keeps its first BLOCK - 1
    entries, then a pointer to a new node that holds the next BLOCK - 1 and a pointer on,
    and so on; the rest of the row is filled with the row's own vertex (visited already, and
    only scanned once, when the chain is done). The walk visits the same vertices in the same
    order. The new nodes come after the old ones, each row's chain in turn; also returned:
    the number of nodes."""
    nodes = len(indptr) - 1
    length = np.diff(indptr)
    long = np.flatnonzero(length > BLOCK)
    if len(long) == 0:
        return indptr, indices, nodes
    keep = BLOCK - 1
    tail = length[long] - keep  # entries moved to each long row's chain
    pieces = -(-tail // keep)  # new nodes in each chain
    first_new = nodes + np.cumsum(pieces) - pieces
    # Where each moved entry sits in its row's tail (j) and in the chains (a pointer after
    # every `keep` of a chain's entries).
    tail_start = np.cumsum(tail) - tail
    j = np.arange(int(tail.sum())) - np.repeat(tail_start, tail)
    source = j + np.repeat(indptr[long] + keep, tail)
    chain_start = np.cumsum(tail + pieces - 1) - (tail + pieces - 1)
    chains = np.empty(int((tail + pieces - 1).sum()), dtype=indices.dtype)
    chains[np.repeat(chain_start, tail) + j + j // keep] = indices[source]
    last_piece = np.cumsum(pieces) - 1
    is_inner = np.ones(int(pieces.sum()), dtype=bool)
    is_inner[last_piece] = False
    inner = np.flatnonzero(is_inner)
    piece_row = np.repeat(np.arange(len(long)), pieces)
    piece_k = np.arange(len(is_inner)) - np.repeat(first_new - nodes, pieces)
    chains[chain_start[piece_row[inner]] + (piece_k[inner] + 1) * keep
           + piece_k[inner]] = nodes + inner + 1
    out = np.concatenate((indices, chains))
    out[source] = np.repeat(long, tail)  # the row's own vertex: scanned once, never taken
    out[indptr[long] + keep] = first_new
    piece_len = np.full(len(is_inner), keep + 1)
    piece_len[last_piece] = tail - keep * (pieces - 1)
    return (np.concatenate((indptr, indptr[-1] + np.cumsum(piece_len))), out,
            nodes + len(piece_len))
