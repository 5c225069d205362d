"""Rebuild the sample charts in sample_charts/ from the real data in ../shared/data.

Run from the repository: ``python scripts/build_samples.py [--data DIR]``. The samples are
committed; tests check that they match what this script builds.
"""

from __future__ import annotations

import argparse
import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import networkx as nx

from workbench.io import save_chart
from workbench.model import Chart, Direction, SourceRecord, Value
from workbench.model.kinds import Kind

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sample_charts"
BUILT_AT = datetime(2026, 11, 23, tzinfo=UTC)  # fixed, so rebuilding gives the same file

NOV13_LINKS = {
    "LINKED_TO": ("Associate", "Person", Direction.NONE),
    "INVOLVED_IN": ("Involved in", "Event", Direction.FORWARD),
    "PRESENT_IN": ("Located at", "Location", Direction.FORWARD),
}


def read_csv(path: Path) -> list[dict[str, str]]:
    """The Nov13 files are Windows-1252 with a few UTF-8 names; decode as each file allows."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    return list(csv.DictReader(io.StringIO(text)))


def build_nov13(data: Path) -> Chart:
    chart = Chart("13 November 2015 Paris attacks network")
    chart.description = (
        "People, places and events behind the 13 November 2015 Paris attacks, from open "
        "sources. Data: Alexander Gutfraind, github.com/sashagutfraind/Nov13, CC BY 4.0."
    )
    chart.marking = "OFFICIAL"
    chart.author = "Workbench sample charts"
    chart.created = chart.modified = BUILT_AT
    attackers = {r["node"] for r in read_csv(data / "nov13_node_details.csv")
                 if r["attackerNodes"] == "TRUE"}
    name = "nov13_relationships.csv"
    for row_number, row in enumerate(read_csv(data / name), start=2):
        link_type, target_type, direction = NOV13_LINKS[row["type(r)"]]
        source = SourceRecord("Nov13 network (Gutfraind)", name, row=row_number,
                              reliability="B", credibility="2")
        attrs = {"attacker": Value(Kind.FLAG, True)}
        a = chart.make_entity("Person", row["n1.name"], identity=row["n1.name"],
                              provenance=[source],
                              attributes=attrs if row["n1.name"] in attackers else None)
        b = chart.make_entity(target_type, row["n2.name"], identity=row["n2.name"],
                              provenance=[source],
                              attributes=attrs if row["n2.name"] in attackers else None)
        chart.make_link(a.id, b.id, link_type, direction=direction, provenance=[source])
    lay_out(chart)
    return chart


def lay_out(chart: Chart) -> None:
    graph = nx.Graph()
    graph.add_nodes_from(chart.entities)
    graph.add_edges_from((lk.end1, lk.end2) for lk in chart.links.values())
    positions = nx.spring_layout(graph, seed=13, scale=900, iterations=200)
    chart.move_entities({k: (round(float(x), 1), round(float(y), 1))
                         for k, (x, y) in positions.items()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=SAMPLES)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    save_chart(build_nov13(args.data), args.out / "nov13-network.wbchart", touch=False)


if __name__ == "__main__":
    main()
