"""GML, Pajek, DOT, node-link and Cytoscape.js JSON and CSV lists: the 10,000-entity,
20,000-link chart of bench_export.py written and read back, and the format found by content.

Prints seconds per format and file sizes. Targets on a 2-core machine: each written and read
in under 10 s, finding a format by content under 10 ms. Measured (2 cores, shared): GML write
2.2 s / read 5.8 s, Pajek 0.4 / 0.7 s, node-link JSON 0.4 / 1.3 s, Cytoscape.js 0.3 / 1.0 s,
CSV read 0.9 s, content 5 ms per file; DOT write 1.9 s but **read 238 s** for its 5.4 MB:
pydot parses with pyparsing at about 20 KB/s, so DOT misses the target (``--no-dot`` skips it).
Run: ``python benchmarks/bench_formats.py``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from bench_export import build, timed

from workbench.export.spreadsheet import write_csv
from workbench.io.interchange import read_chart, write_chart
from workbench.io.interchange.detect import sniff


def main() -> None:
    chart = build()
    print(f"{len(chart.entities):,} entities, {len(chart.links):,} links")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        formats = ("gml", "net", "json", "cyjs") if "--no-dot" in sys.argv else \
            ("gml", "net", "dot", "json", "cyjs")
        for ext in formats:
            path = out / f"bench.{ext}"
            timed(f"write {ext}", lambda p=path: write_chart(chart, p), path)
            timed(f"read {ext}", lambda p=path: read_chart(p))
        write_csv(chart, out / "bench.csv")
        timed("read csv (links and entities)", lambda: read_chart(out / "bench-links.csv"),
              out / "bench-links.csv")
        began = time.perf_counter()
        for path in out.iterdir():
            sniff(path)
        each = (time.perf_counter() - began) / len(list(out.iterdir()))
        print(f"{'find a format by content':<34} {each * 1e3:6.2f} ms per file")


if __name__ == "__main__":
    main()
