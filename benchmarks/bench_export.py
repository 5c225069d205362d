"""Interchange, spreadsheet and report exports of a 10,000-entity, 20,000-link chart.

Prints seconds per format (write, and read back for the chart formats) and file sizes.
Targets on a 2-core machine: each chart format written and read in under 2 s, XLSX under 5 s,
CSV under 1 s, a PDF or DOCX report with the full tables in under 60 s.
Run: ``python benchmarks/bench_export.py`` (``--no-report`` to skip the slow reports).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from workbench.export.report import write_report
from workbench.export.report_template import ReportTemplate
from workbench.export.spreadsheet import write_csv, write_xlsx
from workbench.io.interchange import read_chart, write_chart
from workbench.model import Chart, Direction, Entity, Kind, Link, SourceRecord, Value

N_ENTITIES, N_LINKS = 10_000, 20_000


def build() -> Chart:
    rng = random.Random(11)
    chart = Chart("export benchmark")
    chart.marking = "OFFICIAL-SENSITIVE"
    start = datetime(2016, 1, 1)
    entities = []
    for i in range(N_ENTITIES):
        source = SourceRecord("call records", "calls.csv", row=i + 2, reliability="B",
                              credibility="2")
        if i % 2:
            entities.append(Entity(f"e{i}", "Phone", f"+4477009{i:05d}",
                                   identity=f"+4477009{i:05d}", x=rng.uniform(-5e3, 5e3),
                                   y=rng.uniform(-5e3, 5e3), provenance=[source]))
        else:
            entities.append(Entity(
                f"e{i}", "Person", f"Person {i}", identity=f"person {i}",
                x=rng.uniform(-5e3, 5e3), y=rng.uniform(-5e3, 5e3),
                attributes={"age": Value(Kind.NUMBER, rng.randint(16, 60)),
                            "nationality": Value(Kind.TEXT, rng.choice(["PL", "RO", "NG"]))},
                provenance=[source]))
    chart.add_entities(entities)
    chart.add_links(
        Link(f"l{j}", f"e{rng.randrange(N_ENTITIES)}", f"e{rng.randrange(N_ENTITIES)}", "Calls",
             direction=Direction.FORWARD, date=start + timedelta(minutes=j),
             attributes={"duration": Value(Kind.NUMBER, rng.randint(1, 3600))})
        for j in range(N_LINKS))
    return chart


def timed(label: str, action, path: Path | None = None) -> float:  # type: ignore[no-untyped-def]
    began = time.perf_counter()
    action()
    seconds = time.perf_counter() - began
    size = f"  {path.stat().st_size / 1e6:6.1f} MB" if path is not None and path.exists() else ""
    print(f"{label:<34} {seconds:6.2f} s{size}", flush=True)
    return seconds


def main() -> None:
    chart = build()
    print(f"{len(chart.entities):,} entities, {len(chart.links):,} links")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        for ext in ("graphml", "gexf", "anx"):
            path = out / f"bench.{ext}"
            timed(f"write {ext}", lambda p=path: write_chart(chart, p), path)
            timed(f"read {ext}", lambda p=path: read_chart(p))
        timed("write xlsx", lambda: write_xlsx(chart, out / "bench.xlsx"), out / "bench.xlsx")
        timed("write csv (two files)", lambda: write_csv(chart, out / "bench.csv"),
              out / "bench-links.csv")
        if "--no-report" not in sys.argv:
            for ext in ("pdf", "docx"):
                path = out / f"bench.{ext}"
                timed(f"report {ext} (--full)", lambda p=path: write_report(
                    chart, p, ReportTemplate(full_tables=True)), path)


if __name__ == "__main__":
    main()
