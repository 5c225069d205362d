"""Layouts at scale beside the library they build on: a table from 1,000 to 100,000 entities.

Each Workbench layout is timed on the same graph as the igraph call it is built on (force and
grouped on Fruchterman-Reingold with igraph's grid, hierarchy on Sugiyama, circular on
igraph's circle, peacock on Fruchterman-Reingold of its hubs), and the ratio is printed: the
target is 2x at every size (issue 15), and a force layout of 100,000 entities in under 15 s.
The graphs are shaped like real charts: one large scale-free network plus pairs, triples and
lone entities (about 10% of entities outside the main component).

Run: ``python benchmarks/bench_scale.py [--sizes 1000,10000,20000,50000,100000]
[--layouts force,circular,...]``. The hierarchy is timed up to 20,000 entities (Sugiyama's
own time grows faster than linearly).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import igraph

from workbench.layout import LAYOUTS, LayoutInput
from workbench.model import Chart, Direction, Entity, Link

TYPES = ("Person", "Phone", "Email", "Account", "Advert", "Location")
HIERARCHY_MAX = 20_000


def chart_of(n_entities: int, seed: int = 7) -> Chart:
    """About two links per entity: 90% of entities in a preferential-attachment network, the
    rest in small components (pairs, triples) and alone."""
    rng = random.Random(seed)
    chart = Chart(f"{n_entities} entities")
    chart.add_entities(Entity(f"e{i}", TYPES[rng.randrange(len(TYPES))], f"entity {i}")
                       for i in range(n_entities))
    core = int(n_entities * 0.9)
    links: list[Link] = []
    ends = [0, 1]

    def link(a: int, b: int) -> None:
        links.append(Link(f"l{len(links)}", f"e{a}", f"e{b}", "Associate",
                          direction=Direction.FORWARD if len(links) % 2 else Direction.NONE))

    for j in range(2 * core):
        a = j % core if j < core else rng.randrange(core)
        b = rng.choice(ends) if rng.random() < 0.7 else rng.randrange(core)
        if a == b:
            b = (b + 1) % core
        ends += (a, b)
        link(a, b)
    v = core
    while v + 3 <= n_entities - n_entities // 40:  # small components, then lone entities
        size = 2 + (v % 2)
        for k in range(1, size):
            link(v, v + k)
        v += size
    chart.add_links(links)
    return chart


def seconds(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def baselines(data: LayoutInput) -> dict[str, Callable[[], object]]:
    """igraph's own call for each layout, on the same graph."""
    graph = data.graph()
    directed = igraph.Graph(n=len(data), edges=list(dict.fromkeys(data.edges)), directed=True)
    degree = graph.degree()
    hubs = graph.induced_subgraph([v for v in range(len(data)) if degree[v] > 1])
    fruchterman = lambda g=graph: g.layout_fruchterman_reingold(grid="auto")  # noqa: E731
    return {
        "force": fruchterman,
        "grouped": fruchterman,
        "peacock": lambda: hubs.layout_fruchterman_reingold(grid="auto"),
        "circular": lambda: graph.layout_circle(),
        "hierarchy": lambda: directed.layout_sugiyama(maxiter=30),
        "time": lambda: graph.layout_circle(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,20000,50000,100000")
    parser.add_argument("--layouts", default="force,grouped,peacock,circular,hierarchy,time")
    args = parser.parse_args()
    names = args.layouts.split(",")
    print(f"{'entities':>9} {'layout':<10} {'ours s':>8} {'igraph s':>9} {'ratio':>6}")
    for size in (int(s) for s in args.sizes.split(",")):
        chart = chart_of(size)
        data = LayoutInput.from_chart(chart)
        own = baselines(data)
        for name in names:
            if name == "hierarchy" and size > HIERARCHY_MAX:
                continue
            ours = seconds(lambda name=name, data=data: LAYOUTS[name](data))
            theirs = seconds(own[name])
            print(f"{size:>9,} {name:<10} {ours:8.2f} {theirs:9.2f} {ours / theirs:6.1f}",
                  flush=True)


if __name__ == "__main__":
    main()
