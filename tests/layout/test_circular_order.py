"""The circular layout's order, rewritten for speed, is the order it always was.

``reference_order`` is the circular layout's order as it was before the rewrite (scipy's
connected components, then one walk chained from each component's root to the next): the
new one must give the same order on graphs of every shape the rewrite treats apart (parallel
links, self-links, hubs with long neighbour lists, many components, none)."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from workbench.layout import LAYOUTS, LayoutInput
from workbench.layout.circular import circle_order


def reference_order(count: int, edges: list[tuple[int, int]]) -> np.ndarray:
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components, depth_first_order

    ends = np.fromiter(itertools.chain.from_iterable(edges), dtype=np.int64,
                       count=2 * len(edges)).reshape(-1, 2)
    adjacency = csr_matrix((np.ones(2 * len(ends)), (np.r_[ends[:, 0], ends[:, 1]],
                                                     np.r_[ends[:, 1], ends[:, 0]])),
                           shape=(count, count))
    adjacency.sort_indices()
    parts, label = connected_components(adjacency, directed=False)
    degree = np.diff(adjacency.indptr)
    by_part = np.lexsort((np.arange(count), -degree, label))
    starts = np.flatnonzero(np.r_[True, np.diff(label[by_part]) != 0])
    sizes = np.diff(np.r_[starts, count])
    roots = by_part[starts][np.lexsort((np.arange(parts), -sizes))]
    last = int(degree.max(initial=0)) + 1
    source = np.r_[np.repeat(np.arange(count), degree), roots[:-1]]
    target = np.r_[adjacency.indices, roots[1:]]
    rank = np.r_[degree[adjacency.indices], np.full(parts - 1, last)]
    extra = np.zeros(count, dtype=np.int64)
    extra[roots[:-1]] = 1
    walk = csr_matrix((np.ones(len(target)),
                       target[np.argsort(source * (last + 1) + rank, kind="stable")],
                       np.r_[0, np.cumsum(degree + extra)]), shape=(count, count))
    return depth_first_order(walk, roots[0], directed=True, return_predecessors=False)


def scale_free(n: int, rng: random.Random, links_each: int = 2) -> list[tuple[int, int]]:
    ends, edges = [0, 1], []
    for j in range(links_each * n):
        a = j % n if j < n else rng.randrange(n)
        b = rng.choice(ends) if rng.random() < 0.7 else rng.randrange(n)
        if a != b:
            edges.append((a, b))
            ends += (a, b)
    return edges


def graphs() -> list[tuple[str, int, list[tuple[int, int]]]]:
    rng = random.Random(5)
    out = [("one entity", 1, []), ("one entity linked to itself", 1, [(0, 0)]),
           ("no links", 7, []), ("a pair", 2, [(1, 0)]),
           ("a triangle and lone ones", 6, [(4, 2), (2, 5), (5, 4)])]
    n = 400
    edges = scale_free(300, rng)
    v = 300
    while v + 4 < n - 30:  # chains and stars of 2-5, then lone entities
        size = 2 + v % 4
        edges += [(v, v + k) if v % 3 else (v + k - 1, v + k) for k in range(1, size)]
        v += size
    out.append(("scale-free with small parts and lone ones", n, edges))
    rng.shuffle(edges)
    out.append(("the same, links shuffled and some reversed", n,
                [(b, a) if rng.random() < 0.5 else (a, b) for a, b in edges]))
    out.append(("parallel links", n, edges + [(b, a) for a, b in edges[::7]] + edges[::11]))
    out.append(("a self-link", n, [*edges, (3, 3), (350, 350), (399, 399)]))
    hub = [(0, k) for k in range(1, 200)] + [(k, k + 1) for k in range(150, 199)]
    out.append(("hubs longer than a block", 260, hub + [(5, k) for k in range(200, 250)]
                + [(k, 200 + k) for k in range(1, 50)]))
    out.append(("many equal components", 90, [(k, k + 1) for k in range(0, 90, 3)]
                + [(k + 1, k + 2) for k in range(0, 90, 6)]))
    for seed in range(6):
        r = random.Random(seed)
        m = r.randrange(20, 300)
        out.append((f"random {seed}", m, [(r.randrange(m), r.randrange(m))
                                          for _ in range(r.randrange(m // 2, 3 * m))]))
    return out


@pytest.mark.parametrize(("name", "count", "edges"), graphs(), ids=[g[0] for g in graphs()])
def test_circle_order_is_the_order_it_was(name, count, edges):
    order = circle_order(count, edges)
    if edges:
        assert order.tolist() == reference_order(count, edges).tolist()
    else:
        assert order.tolist() == list(range(count))


def test_circular_layout_places_entities_where_it_did():
    """Same order and same circle: entity k of the order at the k-th place from the top."""
    count, edges = next(g[1:] for g in graphs() if g[0].startswith("scale-free"))
    data = LayoutInput(ids=[f"e{i}" for i in range(count)], types=["Person"] * count,
                       positions=[(3.0 * i, -2.0 * i) for i in range(count)],
                       edges=edges, directed=[False] * len(edges))
    positions = LAYOUTS["circular"](data)
    order = reference_order(count, edges)
    radius = count * 70.0 / (2 * np.pi)
    angle = 2 * np.pi * np.arange(count) / count - np.pi / 2
    xy = radius * np.column_stack((np.cos(angle), np.sin(angle)))
    old = np.array(data.positions)[order].mean(axis=0)
    expected = np.round(xy + (old - (xy.min(axis=0) + xy.max(axis=0)) / 2), 1)
    got = np.array([positions[data.ids[v]] for v in order])
    assert np.allclose(got, expected, atol=0.1 + 1e-9)
