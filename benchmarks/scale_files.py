"""The chart file half of bench_scale.py: save and load at scale beside orjson alone.

The chart is bench_scale's, given provenance the way an import gives it: each link is one
source row, and that row's record stands behind the link and both its ends (so a hub holds
thousands of records, and a chart of N links holds 3N references to N records). Printed per
size: save and load seconds, the file's size, orjson's own dumps and loads of the same
chart.json (the target: within 3x), and the same chart.json written the format 1 way (every
record inline in every item) for comparison.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import orjson

from workbench.io import load_chart, save_chart
from workbench.io.chartfile import paused_gc
from workbench.io.chartjson import chart_to_json, entity_out, link_out
from workbench.model import Chart, SourceRecord


def with_sources(chart: Chart) -> Chart:
    """One record per link (its import row), behind the link and both its ends."""
    when = datetime(2026, 3, 1, 9, 30)
    for row, link in enumerate(chart.links.values(), start=2):
        record = SourceRecord("call records", "calls.csv", row=row, imported_at=when,
                              reliability="B", credibility="2")
        link.provenance = [record]
        chart.entities[link.end1].provenance.append(record)
        if link.end2 != link.end1:
            chart.entities[link.end2].provenance.append(record)
    return chart


def timed(work: object) -> tuple[float, object]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def file_row(chart: Chart) -> dict[str, float]:
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scale.wbchart"
        out["save"], _ = timed(lambda: save_chart(chart, path))
        out["MB"] = path.stat().st_size / 1e6
        out["load"], loaded = timed(lambda: load_chart(path))
        assert len(loaded.links) == len(chart.links)
        del loaded
    with paused_gc():
        document = chart_to_json(chart)
        out["dumps"], body = timed(lambda: orjson.dumps(document))
        out["loads"], _ = timed(lambda: orjson.loads(body))
        out["json MB"] = len(body) / 1e6
        out["inline s"], inline = timed(lambda: orjson.dumps({
            "entities": [entity_out(e) for e in chart.entities.values()],
            "links": [link_out(lk) for lk in chart.links.values()]}))
        out["inline MB"] = len(inline) / 1e6
    return out


def files_table(sizes: list[int], chart_of: object) -> None:
    print(f"{'entities':>9} {'links':>9} {'save s':>7} {'load s':>7} {'file MB':>8} "
          f"{'json MB':>8} {'orjson dumps+loads s':>21} {'ratio':>6} "
          f"{'format 1 json MB / build s':>27}")
    for size in sizes:
        chart = with_sources(chart_of(size))
        row = file_row(chart)
        own = row["dumps"] + row["loads"]
        print(f"{size:>9,} {len(chart.links):>9,} {row['save']:7.2f} {row['load']:7.2f} "
              f"{row['MB']:8.1f} {row['json MB']:8.1f} {own:21.2f} "
              f"{(row['save'] + row['load']) / own:6.1f} "
              f"{row['inline MB']:17.0f} / {row['inline s']:5.2f}", flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_scale import chart_of

    files_table([int(s) for s in sys.argv[1].split(",")], chart_of)
