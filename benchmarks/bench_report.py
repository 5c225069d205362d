"""Default reports of big charts: pages and seconds.

A default report must stay short and quick whatever the chart: about 25 pages at most and under
20 s on a 2-core machine for the 23,046-link routes sample and for a generated 40,000-link chart
(the report the issue measured ran to 3,959 pages and 144 s). Prints, for each chart and format,
seconds (the whole ``write_report``: chart pages, histograms, map, tables, the spreadsheet of
full tables beside it) on the clock and in CPU time (the clock on a shared machine counts other
people's work too; the work is single-threaded), pages of the PDF and the sizes of the files.
Run: ``python benchmarks/bench_report.py`` (``--full`` also times a report with every row).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from pypdf import PdfReader

from workbench.export.report import write_report
from workbench.export.report_template import ReportTemplate
from workbench.io.interchange import read_chart
from workbench.model import Chart, Direction, Entity, Link, SourceRecord

ROUTES = Path(__file__).resolve().parents[1] / "sample_charts" / "trafficking-routes.wbchart"
N_ENTITIES, N_LINKS = 5_000, 40_000


def generated() -> Chart:
    """People and phones spread over a wide layout, 40,000 dated calls from three sources,
    with a few hubs (a quarter of the calls touch 50 handsets), as call records are."""
    rng = random.Random(40)
    chart = Chart("40,000-link benchmark")
    chart.marking = "OFFICIAL-SENSITIVE"
    sources = [SourceRecord(name, f"{name}.csv", reliability="B", credibility="2")
               for name in ("operator A", "operator B", "seized phone")]
    chart.add_entities(
        Entity(f"e{i}", "Phone" if i % 3 else "Person",
               f"+4477009{i:05d}" if i % 3 else f"Person {i}",
               x=rng.uniform(-6e3, 6e3), y=rng.uniform(-6e3, 6e3),
               provenance=[sources[i % 3]]) for i in range(N_ENTITIES))
    start = datetime(2016, 1, 1)

    def end() -> str:
        return f"e{rng.randrange(50) if rng.random() < 0.25 else rng.randrange(N_ENTITIES)}"

    chart.add_links(Link(f"l{j}", end(), end(), "Calls", direction=Direction.FORWARD,
                         date=start + timedelta(minutes=17 * j),
                         provenance=[sources[j % 3]]) for j in range(N_LINKS))
    return chart


def measure(name: str, chart: Chart, folder: Path, template: ReportTemplate) -> None:
    for ext in (".pdf", ".docx"):
        path = folder / f"{name}{ext}"
        began, cpu = time.perf_counter(), time.process_time()
        write_report(chart, path, template)
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
        pages = f"{len(PdfReader(path).pages):5,} pages" if ext == ".pdf" else " " * 11
        tables = path.with_suffix(".xlsx")
        extra = f", {tables.name} {tables.stat().st_size / 1e6:.1f} MB" if tables.exists() \
            else ""
        print(f"{name + ext:<28} {seconds:6.1f} s ({cpu:5.1f} s CPU) {pages}  "
              f"{path.stat().st_size / 1e6:5.1f} MB{extra}", flush=True)
        tables.unlink(missing_ok=True)


def main() -> None:
    full = "--full" in sys.argv[1:]
    charts = [("routes-sample", read_chart(ROUTES, [])), ("generated-40k", generated())]
    with tempfile.TemporaryDirectory() as folder:
        for name, chart in charts:
            print(f"{name}: {len(chart.entities):,} entities, {len(chart.links):,} links",
                  flush=True)
            measure(name, chart, Path(folder), ReportTemplate())
            if full:
                measure(f"{name}-full", chart, Path(folder), ReportTemplate(full_tables=True))


if __name__ == "__main__":
    main()
