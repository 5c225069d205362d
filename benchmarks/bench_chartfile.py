"""Save and load a 100,000-entity, 200,000-link chart; print seconds, peak memory and size,
beside orjson's own dumps and loads of the chart.json that was saved.

Seconds are this process's CPU time (time.process_time), not wall clock: the machine is
shared. Targets on a 2-core machine: save under 1.5 s, load under 3 s, file under 20 MB, and
save and load within 3x of orjson alone on the same chart.json (issue 15).
Run: ``python benchmarks/bench_chartfile.py``
"""

from __future__ import annotations

import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import datetime
from pathlib import Path

import orjson

from workbench.io import load_chart, save_chart
from workbench.io.chartfile import paused_gc
from workbench.model import Chart, Direction, Entity, Kind, Link, SourceRecord, Value

N_ENTITIES, N_LINKS = 100_000, 200_000


def build() -> Chart:
    rng = random.Random(7)
    chart = Chart("benchmark")
    src = SourceRecord("call records", "calls.csv", imported_at=datetime(2026, 1, 1))
    entities = []
    for i in range(N_ENTITIES):
        if i % 2:
            entities.append(Entity(f"e{i}", "Phone", f"+4477009{i:05d}",
                                   identity=f"+4477009{i:05d}", x=rng.uniform(-5e3, 5e3),
                                   y=rng.uniform(-5e3, 5e3),
                                   provenance=[SourceRecord("call records", "calls.csv",
                                                            row=i)]))
        else:
            entities.append(Entity(f"e{i}", "Person", f"Person {i}", identity=f"person {i}",
                                   x=rng.uniform(-5e3, 5e3), y=rng.uniform(-5e3, 5e3),
                                   attributes={"age": Value(Kind.NUMBER, rng.randint(16, 60))},
                                   provenance=[src]))
    chart.add_entities(entities)
    chart.add_links(
        Link(f"l{j}", f"e{rng.randrange(N_ENTITIES)}", f"e{rng.randrange(N_ENTITIES)}", "Calls",
             direction=Direction.FORWARD,
             attributes={"duration": Value(Kind.NUMBER, rng.randint(1, 3600))})
        for j in range(N_LINKS)
    )
    return chart


def max_rss_mb() -> float:
    """Peak resident memory of this process (VmHWM on Linux: it restarts at exec)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024**2 if sys.platform == "darwin" else rss / 1024


def load_only(path: str) -> None:
    """Run in a fresh process so that its peak memory is the load's own."""
    before = max_rss_mb()
    t0 = time.process_time()
    chart = load_chart(path)
    seconds = time.process_time() - t0
    print(f"chart: {len(chart.entities):,} entities, {len(chart.links):,} links")
    print(f"load: {seconds:.2f} s (target < 3 s)")
    print(f"load peak memory: {max_rss_mb():.0f} MB process (started at {before:.0f} MB)")
    with zipfile.ZipFile(path) as archive:
        body = archive.read("chart.json")
    with paused_gc():  # as the load itself parses it
        t0 = time.process_time()
        orjson.loads(body)
        own = time.process_time() - t0
    print(f"orjson loads of its chart.json ({len(body) / 1e6:.0f} MB): {own:.2f} s; "
          f"load / orjson: {seconds / own:.1f}x")


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--load":
        load_only(sys.argv[2])
        return
    chart = build()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.wbchart"
        t0 = time.process_time()
        save_chart(chart, path)
        save_s = time.process_time() - t0
        print("CPU seconds of this process (not wall clock: the machine is shared)")
        print(f"save: {save_s:.2f} s (target < 1.5 s)")
        with zipfile.ZipFile(path) as archive:
            document = orjson.loads(archive.read("chart.json"))
        with paused_gc():  # as the save itself writes it
            t0 = time.process_time()
            orjson.dumps(document)
            own = time.process_time() - t0
        print(f"orjson dumps of its chart.json: {own:.2f} s; save / orjson: {save_s / own:.1f}x")
        del document
        print(f"file: {path.stat().st_size / 1e6:.1f} MB (target < 20 MB)")
        subprocess.run([sys.executable, __file__, "--load", str(path)], check=True)


if __name__ == "__main__":
    main()
