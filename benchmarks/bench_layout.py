"""Time each layout on big charts; print seconds.

Targets on a 2-core machine: force layout of 10,000 entities and 20,000 links under 3 s;
hierarchy of 2,000 entities under 5 s. The other layouts are timed on the 10,000 chart too.
Run: ``python benchmarks/bench_layout.py``
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench.layout import LAYOUTS, LayoutInput
from workbench.model import Chart, Direction, Entity, Link

TYPES = ("Person", "Phone", "Email", "Account", "Advert", "Location")


def network(n_entities: int, n_links: int, seed: int = 5) -> Chart:
    """A scale-free-ish network: new links prefer entities that already have many."""
    rng = random.Random(seed)
    chart = Chart(f"{n_entities} entities")
    chart.add_entities(Entity(f"e{i}", TYPES[rng.randrange(len(TYPES))], f"entity {i}")
                       for i in range(n_entities))
    ends: list[int] = [0, 1]
    links = []
    for j in range(n_links):
        a = j % n_entities if j < n_entities else rng.randrange(n_entities)
        b = rng.choice(ends) if rng.random() < 0.7 else rng.randrange(n_entities)
        if a == b:
            b = (b + 1) % n_entities
        ends += (a, b)
        links.append(Link(f"l{j}", f"e{a}", f"e{b}", "Associate",
                          direction=Direction.FORWARD if j % 2 else Direction.NONE))
    chart.add_links(links)
    return chart


def timed(name: str, chart: Chart, **options) -> float:
    data = LayoutInput.from_chart(chart)
    start, start_cpu = time.perf_counter(), time.process_time()
    positions = LAYOUTS[name](data, **options)
    wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    assert len(positions) == len(chart.entities)
    print(f"  {name:<10} {wall:6.2f} s wall, {cpu:6.2f} s CPU")
    return wall


def main() -> None:
    big = network(10_000, 20_000)
    start = time.perf_counter()
    LayoutInput.from_chart(big)
    print(f"10,000 entities, 20,000 links (snapshot {time.perf_counter() - start:.3f} s):")
    timed("force", big)  # target < 3 s
    for name in ("circular", "grouped", "peacock", "time"):
        timed(name, big)
    mid = network(2_000, 4_000)
    print("2,000 entities, 4,000 links:")
    timed("hierarchy", mid)  # target < 5 s
    timed("force", mid)


if __name__ == "__main__":
    main()
