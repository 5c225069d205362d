"""Closeness: how few steps an entity needs to reach the others, exact or from a sample.

Wasserman and Faust's closeness, as networkx computes it: the inverse of the mean distance to
the entities reached, scaled by the share of the chart reached, so that an isolated pair does
not score 1. Distances come from breadth-first searches from many sources at once
(:mod:`workbench.analysis.distance_sums`). On large charts the sources are a random sample
(Eppstein and Wang 2004); each group of 64 sampled sources gives an estimate of its own, and
the spread between them is the error stated for the ten highest values.
"""

from __future__ import annotations

import random

import igraph as ig
import numpy as np

from workbench.analysis.distance_sums import adjacency, distance_sums, distances_from_all
from workbench.analysis.graph import Progress, check_progress

#: Sampled sources searched at once (memory grows with it; the time hardly does).
CHUNK = 128


def top_error(estimates: np.ndarray, values: np.ndarray, top: int = 10) -> float:
    """The median relative standard error of the ``top`` highest ``values``: each row of
    ``estimates`` is one batch of the sample's estimate of every value (NaN where a batch
    has none), so their spread over the square root of their number is the standard error."""
    highest = np.argsort(-values)[:top]
    highest = highest[values[highest] > 0]
    if not len(highest) or len(estimates) < 2:
        return 0.0
    rows = estimates[:, highest]
    counted = np.maximum(np.sum(~np.isnan(rows), axis=0), 2)
    spread = np.nanstd(rows, axis=0, ddof=1) / np.sqrt(counted)
    return float(np.median(spread / values[highest]))


def exact(graph: ig.Graph, progress: Progress | None) -> list[float]:
    """Every entity's closeness from its distances to all it reaches (following the arrows
    out of it on a directed graph)."""
    n = graph.vcount()
    sums = distances_from_all(graph, towards=True,
                              stop=lambda done, total: check_progress(progress, done, total))
    reached = sums.reached[:, 0].astype(float)
    total = sums.total[:, 0].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where(reached > 0, reached / total * reached / max(n - 1, 1), 0.0)
    return values.tolist()


def sampled(graph: ig.Graph, samples: int, seed: int,
            progress: Progress | None) -> tuple[list[float], float]:
    """Closeness from the distances to ``samples`` random entities, and the relative standard
    error of the ten highest values.

    Undirected: within each large component the mean distance to its sampled members stands
    for the mean to all of them, and the share of the chart reached is known exactly;
    components of up to twice ``samples`` entities are computed exactly. Directed: the
    sample is drawn from the whole chart and the share of it an entity reaches stands for
    the share of the chart it reaches (an entity that reaches few others may reach none of
    the sample and score 0)."""
    n = graph.vcount()
    rng = random.Random(seed)
    out = np.zeros(n)
    if graph.is_directed():
        groups = [list(range(n))]
    else:
        groups = [m for m in graph.connected_components() if len(m) > 2 * samples]
        large = {v for members in groups for v in members}
        small = [v for v in range(n) if v not in large]
        if small:  # igraph's subgraph keeps vertices in id order
            part = exact(graph.subgraph(small), None)
            out[small] = np.asarray(part) * (len(small) - 1) / max(n - 1, 1)
    indptr, indices = adjacency(graph, towards=True)
    estimates = [_estimate(indptr, indices, members, rng.sample(members, min(samples,
                                                                            len(members))),
                           graph.is_directed(), out, progress) for members in groups]
    error = top_error(np.concatenate(estimates), out) if estimates else 0.0
    return out.tolist(), error


def _estimate(indptr: np.ndarray, indices: np.ndarray, members: list[int], pivots: list[int],
              directed: bool, out: np.ndarray, progress: Progress | None) -> np.ndarray:
    """Write the estimates for ``members`` into ``out`` and return each batch of 64 pivots'
    own estimates (batches x all entities, NaN outside ``members``)."""
    n = len(out)
    reached, total, asked = [], [], []
    for start in range(0, len(pivots), CHUNK):
        check_progress(progress, start, len(pivots))
        chunk = pivots[start:start + CHUNK]
        sums = distance_sums(indptr, indices, chunk,
                             lambda s=start: check_progress(progress, s, len(pivots)))
        reached.append(sums.reached[members])
        total.append(sums.total[members])
        asked += [len(chunk[w:w + 64]) for w in range(0, len(chunk), 64)]
    hits = np.concatenate(reached, axis=1).astype(float)
    steps = np.concatenate(total, axis=1).astype(float)
    # the pivots asked of each entity: not itself
    tried = np.tile(np.asarray(asked, dtype=float), (len(members), 1))
    row = {v: i for i, v in enumerate(members)}
    for j, pivot in enumerate(pivots):
        tried[row[pivot], j // 64] -= 1
    with np.errstate(divide="ignore", invalid="ignore"):
        if directed:  # the share of the chart reached, from the share of the sample
            share = hits.sum(axis=1) / np.maximum(tried.sum(axis=1), 1)
            shares = hits / tried
        else:  # the rest of the component, exactly
            share = shares = (len(members) - 1) / max(n - 1, 1)
        found = hits.sum(axis=1)
        out[members] = np.where(found > 0, share * found / np.where(found > 0, steps.sum(
            axis=1), 1), 0.0)
        batches = np.where(hits > 0, shares * hits / steps, np.nan)
    full = np.full((batches.shape[1], n), np.nan)
    full[:, members] = batches.T
    return full
