"""Route map speed on the real route data: 22,246 report rows, about 23,000 route links.

Prints figures; run on a quiet machine: ``python benchmarks/bench_map.py``.
Targets (2 cores): gazetteer < 1.5 s, routes < 1.5 s, HTML < 2.5 s and < 4 MB (legs with 2+
cases), static PNG at 200 dpi < 5 s.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.geo.route_data import route_chart
from workbench.geo.gazetteer import Gazetteer
from workbench.geo.interactive import save_html
from workbench.geo.legible import legible
from workbench.geo.routes import RouteOptions, build_routes
from workbench.geo.static import save_static


def timed(label: str, action):
    start = time.perf_counter()
    result = action()
    print(f"{label:<44} {time.perf_counter() - start:6.2f} s")
    return result


def main() -> None:
    chart = timed("build chart from CSV (test helper)", route_chart)
    print(f"{'chart':<44} {len(chart.entities):,} entities, {len(chart.links):,} links")
    gazetteer = timed("gazetteer (countries, regions, 34k cities)", Gazetteer)
    routes = timed("routes (all legs)", lambda: build_routes(chart, gazetteer=gazetteer))
    print(f"{'':<44} {len(routes.segments):,} legs, {len(routes.hotspots):,} places, "
          f"{len(routes.unresolved):,} unplaced entities")
    options = RouteOptions(min_count=2, colour_by="type of trafficking")
    busy = timed("routes (2+ cases, coloured)",
                 lambda: build_routes(chart, options, gazetteer))
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        html = timed("interactive HTML (2+ cases)", lambda: save_html(busy, out / "m.html"))
        print(f"{'':<44} {html.stat().st_size / 1e6:.2f} MB, {len(busy.segments):,} legs")
        full = timed("interactive HTML (all legs)", lambda: save_html(routes, out / "a.html"))
        print(f"{'':<44} {full.stat().st_size / 1e6:.2f} MB, {len(routes.segments):,} legs")
        shown = timed("legible default (from all legs)", lambda: legible(routes))
        page = timed("interactive HTML (legible default)",
                     lambda: save_html(shown, out / "d.html"))
        print(f"{'':<44} {page.stat().st_size / 1e6:.2f} MB, {len(shown.segments):,} legs "
              f"({shown.min_count}+ cases)")
        png = timed("static PNG 200 dpi (2+ cases)",
                    lambda: save_static(busy, Path(folder) / "m.png", dpi=200))
        print(f"{'':<44} {png.stat().st_size / 1e6:.2f} MB")
        timed("static PDF (2+ cases)", lambda: save_static(busy, Path(folder) / "m.pdf"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak memory':<44} {peak:6.0f} MB")


if __name__ == "__main__":
    main()
