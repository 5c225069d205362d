"""Merge 10,000 confident pairs of a 100,000-person chart, save and reopen it with the merge
records, and unmerge them all; print seconds and peak memory.

What it tells: ``--merge-above`` on a big chart is bounded by the matcher, not by merging,
and a chart full of merge records still saves and opens in seconds.
Run: ``python benchmarks/bench_merge.py``
"""

from __future__ import annotations

import random
import resource
import tempfile
import time
from pathlib import Path

from workbench.io import load_chart, save_chart
from workbench.model import Chart, Entity, Kind, Link, SourceRecord, Value
from workbench.resolve.merge_above import merge_above
from workbench.resolve.pairs import AGREE, DISAGREE, Candidate

N_PEOPLE, N_LINKS, N_PAIRS = 100_000, 200_000, 10_000


def build() -> tuple[Chart, list[Candidate]]:
    rng = random.Random(7)
    chart = Chart("merge benchmark")
    chart.add_entities(
        Entity(f"e{i}", "Person", f"Person {i}", identity=f"person {i}",
               x=rng.uniform(-5e3, 5e3), y=rng.uniform(-5e3, 5e3),
               attributes={"born": Value(Kind.TEXT, str(1960 + i % 40))},
               provenance=[SourceRecord("register", "people.csv", row=i + 2)])
        for i in range(N_PEOPLE))
    chart.add_links(Link(f"l{i}", f"e{rng.randrange(N_PEOPLE)}", f"e{rng.randrange(N_PEOPLE)}",
                         "Associate") for i in range(N_LINKS))
    pairs = []
    for n in range(N_PAIRS):
        a, b = sorted((f"e{2 * n}", f"e{2 * n + 1}"))
        pairs.append(Candidate(a, b, 0.9 + rng.random() / 10,
                               {"name": (AGREE, "same tokens"), "born": (DISAGREE, "1 year")}))
    return chart, pairs


def main() -> None:
    chart, pairs = build()
    start = time.perf_counter()
    report = merge_above(chart, pairs, 0.9)
    merged = time.perf_counter() - start
    print(f"merge_above: {len(report.merged):,} pairs merged in {merged:.2f} s "
          f"({report.entities_before:,} -> {report.entities_after:,} entities)")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "merged.wbchart"
        start = time.perf_counter()
        save_chart(chart, path)
        saved = time.perf_counter() - start
        start = time.perf_counter()
        chart = load_chart(path)
        loaded = time.perf_counter() - start
        print(f"save {saved:.2f} s, open {loaded:.2f} s, file {path.stat().st_size / 1e6:.1f} "
              f"MB with {len(chart.merges):,} merge records")
    start = time.perf_counter()
    for survivor in [r.survivor for r in reversed(chart.merges)]:
        chart.unmerge(survivor)
    print(f"unmerge all: {time.perf_counter() - start:.2f} s, {len(chart.entities):,} entities "
          "back")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB")


if __name__ == "__main__":
    main()
