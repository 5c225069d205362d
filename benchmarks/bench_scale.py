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
[--layouts force,circular,...] [--draw] [--anchors]``. igraph's Sugiyama recurses in C
deeper than a main thread's stack holds from some 50,000 entities, so the hierarchy's anchor
runs on a thread with the stack the hierarchy gives it (``deep_stack``), sized to the graph.

``--draw`` times the window instead, one size per child process on the force layout of the
same chart, in CPU time (the machine is shared): the window opening on the saved chart, part
by part (scale_window.py), then (scale_draw.py) scene build, first paint, repaint, a pan
frame and a zoom frame at fit, at 45% and at 100% over the densest part (the frame the analyst
sees while moving, and the CPU time to the resting picture after it), the longest the window
stood still coming to rest after a pan at 45% and 100% (``wait``), clicks, a rubber
band, the labels placed at 45% and 100%, peak memory; ``--anchors`` adds plain QGraphicsItems
and raw QPainter drawing the same circles and lines, and the ratios.
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
from workbench.layout.hierarchy import deep_stack, stack_for
from workbench.model import Chart, Direction, Entity, Link

TYPES = ("Person", "Phone", "Email", "Account", "Advert", "Location")


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


def child(script: str, size: int, *flags: str) -> dict:
    """Run one of the drawing scripts on one size in its own process; its JSON."""
    path = Path(__file__).resolve().parent / script
    run = subprocess.run([sys.executable, str(path), str(size), *flags],
                         capture_output=True, text=True, check=True)
    return json.loads(run.stdout.strip().splitlines()[-1])


def draw_table(sizes: list[int], anchors: bool) -> None:
    """The drawing figures, one child process per size and part (so peak memory is that
    size's): opening the window on the chart, then drawing and picking in a bare view.
    All times are CPU time of the process (the machine is shared)."""
    print(f"{'entities':>9} {'open s':>6} {'load s':>6} {'scene s':>7} {'docks s':>7} "
          f"{'paint s':>7} {'peak MB':>7}   (the window: workbench CHART)")
    for size in sizes:
        w = child("scale_window.py", size)
        print(f"{size:>9,} {w['open']:6.2f} {w['load']:6.2f} {w['scene']:7.2f} "
              f"{w['docks']:7.2f} {w['paint']:7.2f} {w['memory']:7.0f}", flush=True)
    levels = ("fit", "45%", "100%")
    nan = float("nan")
    print(f"\n{'entities':>9} {'':>8} " + " ".join(
        f"{'repaint ' + z:>12} {'pan ' + z:>9} {'rest':>6} {'zoom ' + z:>9} {'rest':>6}"
        for z in levels)
        + f" {'wait 45%':>8} {'wait 100%':>9} {'in view':>7} {'1st click':>9}"
        f" {'click ms':>8} {'mouse ms':>8} {'band ms':>7}"
        f" {'labels 45%':>10} {'labels 100%':>11} {'build s':>7} {'first s':>7} {'peak MB':>7}")
    for size in sizes:
        result = child("scale_draw.py", size, *(["--anchors"] if anchors else []))
        for name in ("ours", "plain", "painter") if anchors else ("ours",):
            r = result[name]
            row = f"{size if name == 'ours' else '':>9} {name:>8} " + " ".join(
                f"{r[z]:12.1f} {r.get('pan ' + z, nan):9.1f} {r.get('pan rest ' + z, nan):6.0f}"
                f" {r.get('zoom ' + z, nan):9.1f} {r.get('zoom rest ' + z, nan):6.0f}"
                for z in levels)
            if name == "ours":
                row += (f" {r['wait 45%']:8.0f} {r['wait 100%']:9.0f}"
                        f" {r['in view']:7,.0f} {r['first click']:9.1f}"
                        f" {r['clicks'] / 20:8.2f} {r['mouse']:8.1f} {r['band']:7.1f}"
                        f" {r['labels 45%']:10.1f} {r['labels 100%']:11.1f}"
                        f" {r['build']:7.2f} {r['first']:7.2f} {r['memory']:7.0f}")
            else:
                o = result["ours"]
                row += "   ours/" + name + ": " + ", ".join(
                    f"{z} {o[z] / r[z]:.1f}x" for z in levels)
            print(row, flush=True)


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

    def sugiyama() -> igraph.Layout:
        arrowed = igraph.Graph(n=len(data), edges=arrows, directed=True)
        with deep_stack(stack_for(len(data), len(arrows))) as run:
            return run(arrowed.layout_sugiyama, maxiter=30)

    fruchterman = lambda: graph().layout_fruchterman_reingold(grid="auto")  # noqa: E731
    return {
        "force": fruchterman,
        "grouped": fruchterman,
        "peacock": lambda: hubs().layout_fruchterman_reingold(grid="auto"),
        "circular": lambda: graph().layout_circle(),
        "hierarchy": sugiyama,
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
            ours = seconds(lambda name=name, data=data: LAYOUTS[name](data))
            theirs = seconds(own[name])
            print(f"{size:>9,} {name:<10} {ours:8.3f} {theirs:9.3f} {ours / theirs:6.1f}",
                  flush=True)


if __name__ == "__main__":
    main()
