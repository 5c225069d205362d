"""Move entities off the links that pass over them, after a force layout.

A force layout reaches balance with an entity on the straight line between two others it is
not joined to (a hub between two of its callers who also call each other): the link between
them is then drawn through the hub's icon, its label "3 Calls" printed over it, and a reader
takes the two calls to be the hub's. i2's and yEd's organic layouts keep links clear of
nodes for that reason. Each round finds every entity within ``CLEARANCE`` of a link that does
not end at it and moves it straight away from the link, just clear of it.

Distances are computed for every (link, entity) pair with numpy, in slices, so the cost is
links x entities per round: the step runs on components up to ``PAIR_LIMIT`` pairs and
``DENSE`` linked pairs per entity (a chart of a few hundred entities drawn from a store, a
case's network), where a reader follows single links; a denser drawing is a mass of lines
that a link through an icon does not spoil further.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from workbench.layout.graph import Block

CLEARANCE = 34.0  # from an entity's centre: its 32 px icon and half a link label's height
PAIR_LIMIT = 1_000_000  # links x entities of a component cleared (about 30 ms a round)
DENSE = 4  # more pairs linked than this per entity: a mass of lines, not cleared
MASS = 3  # more (link, entity) pairs too close than this per entity: the same
ROUNDS = 20  # of moves off links, within one clear_links
CLEARING_ROUNDS = 6  # of clear_links, each followed by removing the boxes' overlaps
SLICE = 500_000  # pairs computed at once: memory stays near 50 MB


def clear_links(block: Block, edges: Sequence[tuple[int, int]],
                clearance: float = CLEARANCE, rounds: int = ROUNDS) -> Block:
    """``block`` (vertex, x, y) with every vertex moved off the links of ``edges`` (pairs of
    indices into ``block``) that pass within ``clearance`` of it without ending at it;
    ``block`` itself when none is, when it is too big to clear (``PAIR_LIMIT``) or when
    links pass over entities more than ``MASS`` times per entity (a mass of lines)."""
    n = len(block)
    pairs = np.sort(np.asarray(edges, dtype=np.int64).reshape(-1, 2), axis=1)
    pairs = np.unique(pairs[pairs[:, 0] != pairs[:, 1]], axis=0)
    if n < 3 or not len(pairs) or len(pairs) > DENSE * n or len(pairs) * n > PAIR_LIMIT:
        return block
    ids = [v for v, _, _ in block]
    xy = np.array([(x, y) for _, x, y in block], dtype=float)
    moved = False
    for _ in range(rounds):
        moves, count = _moves(xy, pairs, clearance)
        if not count or (not moved and count > MASS * len(ids)):  # clear, or a mass of lines
            break
        xy += moves
        moved = True
    if not moved:
        return block
    return [(v, float(x), float(y)) for v, (x, y) in zip(ids, xy.tolist(), strict=True)]


def _moves(xy: np.ndarray, pairs: np.ndarray, clearance: float) -> tuple[np.ndarray, int]:
    """Each vertex's move off the links over it (the largest one needed, away from the
    link), and how many (link, vertex) pairs are too close."""
    moves = np.zeros_like(xy)
    need = np.zeros(len(xy))
    found = 0
    per_slice = max(1, SLICE // len(xy))
    every = np.arange(len(xy))
    for start in range(0, len(pairs), per_slice):
        a, b = pairs[start:start + per_slice, 0], pairs[start:start + per_slice, 1]
        ax, ay = xy[a, 0][:, None], xy[a, 1][:, None]
        dx, dy = (xy[b, 0] - xy[a, 0])[:, None], (xy[b, 1] - xy[a, 1])[:, None]
        length2 = np.maximum(dx * dx + dy * dy, 1e-9)
        px, py = xy[:, 0][None, :] - ax, xy[:, 1][None, :] - ay
        t = (px * dx + py * dy) / length2
        # the signed distance from the link's line, for vertices level with the link
        side = (dx * py - dy * px) / np.sqrt(length2)
        over = (t > 0.0) & (t < 1.0) & (np.abs(side) < clearance) \
            & (every[None, :] != a[:, None]) & (every[None, :] != b[:, None])
        link, vertex = np.nonzero(over)
        if not len(link):
            continue
        found += len(link)
        gap = side[link, vertex]
        # straight away from the link; a vertex exactly on it goes to one side by its number
        sign = np.where(gap == 0.0, np.where(vertex % 2 == 1, 1.0, -1.0), np.sign(gap))
        step = clearance - np.abs(gap) + 1.0
        norm = np.sqrt(length2[link, 0])
        nx, ny = -dy[link, 0] / norm * sign, dx[link, 0] / norm * sign
        bigger = step > need[vertex]
        for k in np.flatnonzero(bigger):  # few: the vertices a link passes over
            v = vertex[k]
            if step[k] > need[v]:
                need[v] = step[k]
                moves[v] = (nx[k] * step[k], ny[k] * step[k])
    return moves, found
