"""How close a big real chart comes to the chart file's limits, and what the checks cost.

Builds a 300,000-entity, 300,000-link chart with three attributes, a date and a source on every
entity and a label and a source on every link (a large investigation), saves it, and prints
chart.json's size and compression ratio against the limits in workbench/io/chartzip.py, and the
time of the format check and of the read-back that every save now does.

Targets: chart.json of this chart well under MAX_CHART_JSON_BYTES and its ratio well under
MAX_RATIO; the format check under 10% of the save.
Run: ``python benchmarks/bench_chartfile_limits.py``
"""

from __future__ import annotations

import tempfile
import time
import zipfile
from datetime import datetime
from pathlib import Path

from workbench.io import chartzip, save_chart
from workbench.io.chartrules import first_problem
from workbench.model import Chart, Direction, Entity, Kind, Link, SourceRecord, Value

N = 300_000


def build() -> Chart:
    chart = Chart("limits")
    chart.add_entities(
        Entity(f"e{i}", "Person", f"Person number {i} of the network", identity=f"person {i}",
               x=i * 1.5, y=-i * 0.7, date=datetime(2016, 1, 1 + i % 28),
               attributes={"age": Value(Kind.NUMBER, i % 90),
                           "note": Value(Kind.TEXT, f"seen at hotel {i % 1000} on the coast"),
                           "phone": Value(Kind.PHONE, f"+4477009{i:05d}")},
               provenance=[SourceRecord("hotline reports", "hotline-2016.xlsx", "2016", i + 2,
                                        datetime(2024, 1, 1), "B", "2", "P")])
        for i in range(N))
    chart.add_links(
        Link(f"l{i}", f"e{i}", f"e{(i * 7 + 1) % N}", "Associate", label=f"call {i}",
             direction=Direction.FORWARD, provenance=[SourceRecord("calls", "c.csv", row=i)])
        for i in range(N))
    return chart


def main() -> None:
    chart = build()
    t0 = time.perf_counter()
    first_problem(chart)
    check_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "limits.wbchart"
        t0 = time.perf_counter()
        save_chart(chart, path)
        save_s = time.perf_counter() - t0
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("chart.json")
            members = {name: archive.read(name) for name in archive.namelist()}
        t0 = time.perf_counter()
        chartzip.verify_written(path, path.read_bytes(), members, "x")
        verify_s = time.perf_counter() - t0
    mb = chartzip.MB
    ratio = info.file_size / info.compress_size
    print(f"chart.json: {info.file_size / mb:,.0f} MB unpacked, {info.compress_size / mb:,.1f} MB "
          f"packed, ratio {ratio:.1f} (limits {chartzip.MAX_CHART_JSON_BYTES / mb:,.0f} MB, "
          f"ratio {chartzip.MAX_RATIO})")
    print(f"save {save_s:.2f} s, of which format check {check_s:.2f} s and read-back "
          f"{verify_s:.2f} s")


if __name__ == "__main__":
    main()
