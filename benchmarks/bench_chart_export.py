"""Export a 10,000-entity, 20,000-link chart as a 4K PNG and as PDF; print the seconds.

Targets on a 2-core machine: 4K PNG (3840 pixels wide) under 2 s, one-page PDF under 2 s.
Run: ``python benchmarks/bench_chart_export.py`` (Qt runs offscreen unless a display is set).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_canvas import build_chart  # the same generated chart as the canvas benchmark

from workbench.export.chart_image import ensure_app, render_chart


def timed(label: str, target: float, action) -> None:
    start = time.perf_counter()
    path = action()
    seconds = time.perf_counter() - start
    print(f"{label}: {seconds:.2f} s (target < {target:g} s), {path.stat().st_size / 1e6:.1f} MB")


def main() -> None:
    ensure_app()
    chart = build_chart()
    print(f"chart: {len(chart.entities):,} entities, {len(chart.links):,} links")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        timed("PNG 3840 px wide", 2.0, lambda: render_chart(chart, out / "c.png", width=3840))
        timed("PDF one page", 2.0, lambda: render_chart(chart, out / "c.pdf"))
        timed("PDF 3 pages across", 6.0,
              lambda: render_chart(chart, out / "w.pdf", pages_across=3))


if __name__ == "__main__":
    main()
