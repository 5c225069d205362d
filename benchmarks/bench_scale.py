"""Layouts at scale beside the library they build on: a table from 1,000 to 100,000 entities.

Each Workbench layout is timed on the same graph as the igraph call it is built on (force and
grouped on Fruchterman-Reingold with igraph's grid, hierarchy on Sugiyama, circular on
igraph's circle, peacock on Fruchterman-Reingold of its hubs), and the ratio is printed: the
target is 2x at every size (issue 15), and a force layout of 100,000 entities in under 15 s.
Times are seconds of process CPU (the machine is shared by eight engineers, so the clock
counts their work too).
The graphs are shaped like real charts: one large scale-free network plus pairs, triples and
lone entities (about 10% of entities outside the main component).

Run: ``python benchmarks/bench_scale.py [--sizes 1000,10000,20000,50000,100000]
[--layouts force,circular,...] [--draw] [--anchors]``. The hierarchy is timed up to 20,000
entities (Sugiyama's own time grows faster than linearly).

``--draw`` times the window's drawing instead, one size per child process (scale_draw.py) on
the force layout of the same chart: scene build, first paint, repaint at fit, at 45% and at
100% over the densest part, 20 clicks, a rubber band, peak memory; ``--anchors`` adds plain
QGraphicsItems and raw QPainter drawing the same circles and lines, and the ratios.
``--files`` saves and loads each chart with import-style provenance (scale_files.py) beside
orjson's own dumps and loads of the same chart.json.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(1, str(Path(__file__).resolve().parent))

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


def laid_out_chart(n_entities: int) -> Chart:
    """``chart_of`` placed by the force layout (positions kept in the temporary folder, so
    that a second run of the drawing benchmark does not lay out again)."""
    chart = chart_of(n_entities)
    cache = Path(tempfile.gettempdir()) / f"bench_scale_force_{n_entities}.json"
    if cache.exists():
        positions = json.loads(cache.read_text())
    else:
        positions = LAYOUTS["force"](LayoutInput.from_chart(chart))
        cache.write_text(json.dumps(positions))
    chart.move_entities({k: (float(x), float(y)) for k, (x, y) in positions.items()})
    return chart


def draw_table(sizes: list[int], anchors: bool) -> None:
    """The drawing figures, one child process per size (so peak memory is that size's)."""
    script = Path(__file__).resolve().parent / "scale_draw.py"
    print(f"{'entities':>9} {'build s':>7} {'first s':>7} {'fit ms':>7} {'45% ms':>7} "
          f"{'100% ms':>8} {'in view':>7} {'1st click':>9} {'20 clicks ms':>12} "
          f"{'mouse click ms':>14} {'band ms':>7} {'peak MB':>8}")
    for size in sizes:
        run = subprocess.run([sys.executable, str(script), str(size)]
                             + (["--anchors"] if anchors else []),
                             capture_output=True, text=True, check=True)
        result = json.loads(run.stdout.strip().splitlines()[-1])
        o = result["ours"]
        print(f"{size:>9,} {o['build']:7.2f} {o['first']:7.2f} {o['fit']:7.1f} "
              f"{o['45%']:7.1f} {o['100%']:8.1f} {o['in view']:7,.0f} {o['first click']:9.1f} "
              f"{o['clicks']:12.1f} {o['mouse']:14.1f} "
              f"{o['band']:7.1f} {o['memory']:8.0f}", flush=True)
        if anchors:
            for name in ("plain", "painter"):
                a = result[name]
                print(f"{'':>9} {name:>15} {a['fit']:7.1f} {a['45%']:7.1f} {a['100%']:8.1f}"
                      f"   ours/{name}: fit {o['fit'] / a['fit']:.1f}x, "
                      f"45% {o['45%'] / a['45%']:.1f}x, 100% {o['100%'] / a['100%']:.1f}x",
                      flush=True)


def seconds(run: Callable[[], object]) -> float:
    """Process CPU time (the machine is shared, so the clock counts other people's work);
    the best of three for calls under a second, whose CPU time a busy machine stretches."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
        if best >= 1.0:
            break
    return best


def baselines(data: LayoutInput) -> dict[str, Callable[[], object]]:
    """igraph's own call for each layout, on the same graph, with igraph's graph built from
    the same links (as each of ours does; it is 0.1 s at 100,000 entities, which is most of
    the circle's own time). The time layout has no igraph counterpart: it is set beside
    igraph placing the same entities on a circle."""
    pairs = list(dict.fromkeys((min(a, b), max(a, b)) for a, b in data.edges))
    arrows = list(dict.fromkeys(data.edges))

    def graph() -> igraph.Graph:
        return igraph.Graph(n=len(data), edges=pairs)

    def hubs() -> igraph.Graph:
        whole = graph()
        degree = whole.degree()
        return whole.induced_subgraph([v for v in range(len(data)) if degree[v] > 1])

    fruchterman = lambda: graph().layout_fruchterman_reingold(grid="auto")  # noqa: E731
    return {
        "force": fruchterman,
        "grouped": fruchterman,
        "peacock": lambda: hubs().layout_fruchterman_reingold(grid="auto"),
        "circular": lambda: graph().layout_circle(),
        "hierarchy": lambda: igraph.Graph(n=len(data), edges=arrows, directed=True)
        .layout_sugiyama(maxiter=30),
        "time": lambda: graph().layout_circle(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,20000,50000,100000")
    parser.add_argument("--layouts", default="force,grouped,peacock,circular,hierarchy,time")
    parser.add_argument("--draw", action="store_true", help="time drawing, not layouts")
    parser.add_argument("--files", action="store_true", help="time saving and loading")
    parser.add_argument("--anchors", action="store_true",
                        help="with --draw: plain QGraphicsItems and QPainter beside")
    args = parser.parse_args()
    if args.draw:
        draw_table([int(s) for s in args.sizes.split(",")], args.anchors)
        return
    if args.files:
        from scale_files import files_table

        files_table([int(s) for s in args.sizes.split(",")], chart_of)
        return
    names = args.layouts.split(",")
    print(f"{'entities':>9} {'layout':<10} {'ours s':>8} {'igraph s':>9} {'ratio':>6}   "
          "(seconds of CPU)")
    for size in (int(s) for s in args.sizes.split(",")):
        chart = chart_of(size)
        data = LayoutInput.from_chart(chart)
        own = baselines(data)
        for name in names:
            if name == "hierarchy" and size > HIERARCHY_MAX:
                continue
            ours = seconds(lambda name=name, data=data: LAYOUTS[name](data))
            theirs = seconds(own[name])
            print(f"{size:>9,} {name:<10} {ours:8.3f} {theirs:9.3f} {ours / theirs:6.1f}",
                  flush=True)


if __name__ == "__main__":
    main()
