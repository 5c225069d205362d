"""Every chart format Workbench writes, round-tripped with a 100,000-entity, 200,000-link chart
(the chart of bench_export.py, ten times larger), its CSV pair read back, and formats found by
content.

A FollowTheMoney stream (N/2 people, companies and addresses, an Ownership per person) is read
too. Prints seconds per format, file sizes and whether the chart came back: exactly (``==``)
for Workbench's own .wbchart and for GraphML, GEXF and ANX (which carry every Workbench field),
with the same counts for the plain formats (GML, Pajek, node-link and Cytoscape.js JSON, DOT),
with the same ids and labels for Cytoscape CX, Maltego .mtgx and FollowTheMoney streams.
Targets on a 2-core machine: each written and read in under 60 s at this size, finding a format
by content under 10 ms. DOT is read through pydot (pure Python, about 30 KB/s on an idle core)
in pieces with progress (dotread.py), so at this size its read would take hours: it is written
and read at 5,000 entities only, with its speed in KB/s, the ratio of its read time to GML's
for the same chart, and the cost of reading in pieces against reading the whole text as one
piece; ``--no-dot`` skips it. The GEXF written is also validated against GEXF 1.3's grammar
(tests/data/xsd/gexf.rng, lxml's RELAX NG), with the seconds that takes. ``--formats gexf,anx``
runs only those formats (no CSV, FollowTheMoney or DOT). Measured figures are in README.md
and docs/interchange.md. Run:
``python benchmarks/bench_formats.py [--entities N] [--no-dot] [--formats EXT,...]``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import bench_export
import orjson
from bench_export import timed
from lxml import etree

from workbench.export.spreadsheet import write_csv
from workbench.io.interchange import dotread, read_chart, write_chart
from workbench.io.interchange.detect import sniff
from workbench.model import Chart

EXACT = ("wbchart", "graphml", "gexf", "anx")
SAME_COUNTS = ("gml", "net", "json", "cyjs")
SAME_IDS = ("cx", "mtgx", "ftm")
DOT_ENTITIES = 5_000
GEXF_GRAMMAR = Path(__file__).resolve().parents[1] / "tests" / "data" / "xsd" / "gexf.rng"


def _build(entities: int) -> Chart:
    bench_export.N_ENTITIES, bench_export.N_LINKS = entities, 2 * entities
    return bench_export.build()


def _round_trip(chart: Chart, path: Path, exact: bool, ids: bool = False) -> float:
    """Seconds to read ``path`` back, after writing it."""
    timed(f"write {path.suffix[1:]}", lambda: write_chart(chart, path), path)
    began = time.perf_counter()
    back = read_chart(path)
    seconds = time.perf_counter() - began
    if exact:
        verdict = "exact" if back == chart else "DIFFERS"
    elif ids:
        same = {i: e.label for i, e in back.entities.items()} == \
            {i: e.label for i, e in chart.entities.items()} and \
            back.links.keys() == chart.links.keys()
        verdict = "same ids and labels" if same else "IDS OR LABELS DIFFER"
    else:
        same = (len(back.entities), len(back.links)) == (len(chart.entities), len(chart.links))
        verdict = "same counts" if same else "COUNTS DIFFER"
    print(f"{'read ' + path.suffix[1:]:<34} {seconds:6.2f} s  ({verdict})", flush=True)
    return seconds


def _validate_gexf(path: Path) -> None:
    """The GEXF against GEXF 1.3's published grammar, viz elements included."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    grammar = etree.RelaxNG(etree.parse(str(GEXF_GRAMMAR), parser))
    began = time.perf_counter()
    valid = grammar.validate(etree.parse(str(path), parser))
    seconds = time.perf_counter() - began
    verdict = "valid GEXF 1.3" if valid else f"INVALID: {grammar.error_log.last_error}"
    print(f"{'validate gexf (parse + RELAX NG)':<34} {seconds:6.2f} s  ({verdict})", flush=True)


def _ftm(entities: int, out: Path) -> None:
    """A FollowTheMoney stream of this many people and companies, each person owning a
    company through an Ownership line and living at an Address: read and timed."""
    path = out / "bench.ftm"
    with path.open("wb") as file:
        for n in range(entities // 2):
            for line in (
                {"id": f"p{n}", "schema": "Person", "properties": {
                    "name": [f"Person {n}"], "birthDate": ["1970"], "addressEntity": [f"a{n}"]}},
                {"id": f"c{n}", "schema": "Company", "properties": {
                    "name": [f"Company {n}"], "registrationNumber": [f"{n:08d}"]}},
                {"id": f"a{n}", "schema": "Address", "properties": {"full": [f"{n} Main St"]}},
                {"id": f"o{n}", "schema": "Ownership", "properties": {
                    "owner": [f"p{n}"], "asset": [f"c{(n * 7) % (entities // 2)}"],
                    "percentage": ["50"], "startDate": ["2019-03"]}},
            ):
                file.write(orjson.dumps(line) + b"\n")
    began = time.perf_counter()
    chart = read_chart(path)
    seconds = time.perf_counter() - began
    print(f"{'read FollowTheMoney stream':<34} {seconds:6.2f} s  ({path.stat().st_size / 1e6:.1f}"
          f" MB: {len(chart.entities):,} entities, {len(chart.links):,} links)", flush=True)


def _dot(chart: Chart, out: Path) -> None:
    """DOT beside GML for the same chart, and pieces against pydot's whole-text parse."""
    print(f"DOT at {len(chart.entities):,} entities, {len(chart.links):,} links:")
    gml = _round_trip(chart, out / "small.gml", exact=False)
    dot = _round_trip(chart, out / "small.dot", exact=False)
    text = (out / "small.dot").read_text(encoding="utf-8")
    dotread.CHUNK, chunk = len(text) + 1, dotread.CHUNK
    began = time.perf_counter()
    read_chart(out / "small.dot")
    whole = time.perf_counter() - began
    dotread.CHUNK = chunk
    print(f"{'read dot as one piece':<34} {whole:6.2f} s")
    print(f"DOT read {len(text) / 1024 / dot:,.1f} KB/s; {dot / gml:,.0f}x GML's read time; "
          f"in pieces {dot / whole:.2f}x the time of one piece")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--no-dot", action="store_true")
    parser.add_argument("--formats", help="only these formats, e.g. gexf,anx")
    args = parser.parse_args()
    chart = _build(args.entities)
    print(f"{len(chart.entities):,} entities, {len(chart.links):,} links")
    every = (*EXACT, *SAME_COUNTS, *SAME_IDS)
    chosen = args.formats.split(",") if args.formats else every
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        for ext in chosen:
            _round_trip(chart, out / f"bench.{ext}", ext in EXACT, ext in SAME_IDS)
            if ext == "gexf":
                _validate_gexf(out / "bench.gexf")
        if args.formats:
            return
        write_csv(chart, out / "bench.csv")
        timed("read csv (links and entities)", lambda: read_chart(out / "bench-links.csv"),
              out / "bench-links.csv")
        began = time.perf_counter()
        paths = list(out.iterdir())
        for path in paths:
            sniff(path)
        each = (time.perf_counter() - began) / len(paths)
        print(f"{'find a format by content':<34} {each * 1e3:6.2f} ms per file")
        _ftm(args.entities, out)
        if not args.no_dot:
            _dot(_build(min(DOT_ENTITIES, args.entities)), out)


if __name__ == "__main__":
    main()
