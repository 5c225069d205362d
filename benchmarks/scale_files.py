"""The chart file half of bench_scale.py: save and load at scale beside orjson alone.

The chart is bench_scale's, topped up to two links per entity (300,000 entities, 600,000
links), with provenance the way an import gives it: each link is one source row, and that
row's record stands behind the link and both its ends (so a hub holds thousands of records,
and a chart of N links holds 3N references to N records).

Times are this process's CPU time (time.process_time), not wall clock: the machine is shared,
and another process's work must not count as ours. Printed per size: save and load; orjson's
own dumps and loads of the chart.json that was saved (format 5, columns) and the ratios; the
same chart as version 4 wrote it (an object per item) with orjson's dumps and loads of that
and the ratios (the load's was what the 3x target was first measured against: "the same
JSON" is either, so both are printed); and what the cycle collector costs once after
a load (a full collection: Python walks every object the load made; it runs soon after in the
app, so it is part of what opening a chart costs); then the loaded chart saved again
(``resave``: open, change, save, where each link's ends are its entities' own id texts).
"""

from __future__ import annotations

import gc
import random
import sys
import tempfile
import time
import zipfile
from datetime import datetime
from pathlib import Path

import orjson

from workbench.io import load_chart, save_chart
from workbench.io.chartfile import paused_gc
from workbench.io.chartjson import entity_out, link_out
from workbench.io.chartsources import share_records
from workbench.model import Chart, Direction, Link, SourceRecord


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


def two_links_each(chart: Chart, seed: int = 11) -> Chart:
    """Top the chart up with links between random entities to two links per entity."""
    rng = random.Random(seed)
    ids = list(chart.entities)
    start = len(chart.links)
    chart.add_links(Link(f"x{j}", rng.choice(ids), rng.choice(ids), "Associate",
                         direction=Direction.FORWARD if j % 2 else Direction.NONE)
                    for j in range(start, 2 * len(ids)))
    return chart


def cpu(work: object) -> tuple[float, object]:
    start = time.process_time()
    result = work()
    return time.process_time() - start, result


def version_4_document(chart: Chart) -> dict:
    """chart.json as format version 4 wrote it: each record once in ``sources``, each item an
    object naming its records by place."""
    entities, links = list(chart.entities.values()), list(chart.links.values())
    columns, places = share_records([r for item in entities + links for r in item.provenance])
    at = 0
    items = []
    for kind, convert in ((entities, entity_out), (links, link_out)):
        rows = []
        for item in kind:
            row = convert(item)
            if item.provenance:
                row["provenance"] = places[at:at + len(item.provenance)]
                at += len(item.provenance)
            rows.append(row)
        items.append(rows)
    sources = [{"source": source, "file": file, "row": row, "imported_at": when.isoformat(),
                "reliability": reliability, "credibility": credibility}
               for source, file, _, row, when, reliability, credibility, _ in
               zip(*columns.values(), strict=True)]
    return {"sources": sources, "entities": items[0], "links": items[1]}


def file_row(chart: Chart) -> dict[str, float]:
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scale.wbchart"
        gc.collect()
        out["save"], _ = cpu(lambda: save_chart(chart, path))
        out["MB"] = path.stat().st_size / 1e6
        with zipfile.ZipFile(path) as archive:
            body = archive.read("chart.json")
        gc.collect()
        out["load"], loaded = cpu(lambda: load_chart(path))
        out["gc"], _ = cpu(gc.collect)
        assert len(loaded.links) == len(chart.links)
        again = Path(folder) / "again.wbchart"
        out["resave"], _ = cpu(lambda c=loaded: save_chart(c, again))
        del loaded
        gc.collect()
    with paused_gc():
        out["loads"], document = cpu(lambda: orjson.loads(body))
        out["dumps"], _ = cpu(lambda doc=document: orjson.dumps(doc))
        out["json MB"] = len(body) / 1e6
        del document
        old_document = version_4_document(chart)
        out["v4 dumps"], old = cpu(lambda d=old_document: orjson.dumps(d))
        del old_document
        out["v4 MB"] = len(old) / 1e6
        out["v4 loads"], _ = cpu(lambda: orjson.loads(old))
    return out


def files_table(sizes: list[int], chart_of: object) -> None:
    print("CPU seconds of this process (not wall clock: the machine is shared)")
    print(f"{'entities':>9} {'links':>9} {'save':>6} {'load':>6} {'then GC':>7} {'resave':>6} "
          f"{'file MB':>7} {'json MB':>7} {'dumps':>6} {'loads':>6} {'save/dumps':>10} "
          f"{'load/loads':>10} {'v4 json MB':>10} {'v4 dumps':>8} {'v4 loads':>8} "
          f"{'save/v4 dumps':>13} {'load/v4 loads':>13}")
    for size in sizes:
        chart = with_sources(two_links_each(chart_of(size)))
        r = file_row(chart)
        print(f"{size:>9,} {len(chart.links):>9,} {r['save']:6.2f} {r['load']:6.2f} "
              f"{r['gc']:7.2f} {r['resave']:6.2f} {r['MB']:7.1f} {r['json MB']:7.1f} "
              f"{r['dumps']:6.2f} "
              f"{r['loads']:6.2f} {r['save'] / r['dumps']:10.1f} "
              f"{r['load'] / r['loads']:10.1f} {r['v4 MB']:10.1f} {r['v4 dumps']:8.2f} "
              f"{r['v4 loads']:8.2f} {r['save'] / r['v4 dumps']:13.1f} "
              f"{r['load'] / r['v4 loads']:13.1f}", flush=True)
        del chart
        gc.collect()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_scale import chart_of

    files_table([int(s) for s in sys.argv[1].split(",")], chart_of)
