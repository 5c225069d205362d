"""Rebuild the sample charts in sample_charts/ from the real data in ../shared/data.

Run from the repository: ``python scripts/build_samples.py [--data DIR]``. Every sample is
built through the real importer and the import specifications in sample_charts/specs/, so the
samples are also a test of the specs; tests check the counts against pandas.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

import networkx as nx

from workbench.io import save_chart
from workbench.io.importer import import_files
from workbench.io.importspec import load_spec
from workbench.model import Chart

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sample_charts"
SPECS = SAMPLES / "specs"
BUILT_AT = datetime(2026, 11, 23, tzinfo=UTC)  # fixed, so rebuilding gives the same file

# (chart file, title, description, [(spec, data file), ...])
SAMPLE_CHARTS = [
    ("nov13-network.wbchart", "13 November 2015 Paris attacks network",
     "People, places and events behind the 13 November 2015 Paris attacks, from open "
     "sources. Data: Alexander Gutfraind, github.com/sashagutfraind/Nov13, CC BY 4.0.",
     [("nov13-relationships.yaml", "nov13_relationships.csv"),
      ("nov13-attackers.yaml", "nov13_node_details.csv")]),
    ("trafficking-routes.wbchart", "Trafficking routes 2008-2016",
     "Origin, transit and destination countries of trafficking coded from the US State "
     "Department Trafficking in Persons reports 2008-2016. Data: University of Denver "
     "human-trafficking directionality project (github.com/rose0037/DU-Human-Trafficking).",
     [("trafficking-routes.yaml", "trafficking_routes_2008_2016.csv")]),
    ("call-records.wbchart", "VAST 2008 call records",
     "Call-detail records of the IEEE VAST Challenge 2008 mini-challenge 3 (synthetic), "
     "via github.com/lantunes/wehd (Apache-2.0).",
     [("call-records.yaml", "vast2008_call_records.csv")]),
]


def build(data: Path, title: str, description: str,
          parts: list[tuple[str, str]]) -> Chart:
    chart = Chart(title)
    chart.description = description
    chart.marking = "OFFICIAL"
    chart.author = "Workbench sample charts"
    for spec_name, data_name in parts:
        report = import_files(load_spec(SPECS / spec_name), [data / data_name], into=chart)
        if report.errors:
            raise SystemExit(f"{data_name}: {len(report.errors)} problem(s)\n"
                             f"{report.summary()}")
    fix_times(chart)
    lay_out(chart)
    return chart


def fix_times(chart: Chart) -> None:
    """Import times and chart times fixed, so that a rebuild gives the same file."""
    chart.created = chart.modified = BUILT_AT
    for item in [*chart.entities.values(), *chart.links.values()]:
        item.provenance = [p.__class__(**{**_fields(p), "imported_at": BUILT_AT})
                           for p in item.provenance]


def _fields(record: object) -> dict:
    return {name: getattr(record, name) for name in record.__slots__}  # type: ignore[attr-defined]


def lay_out(chart: Chart) -> None:
    graph = nx.Graph()
    graph.add_nodes_from(chart.entities)
    graph.add_edges_from((lk.end1, lk.end2) for lk in chart.links.values())
    positions = nx.spring_layout(graph, seed=13, scale=900, iterations=200)
    chart.move_entities({k: (round(float(x), 1), round(float(y), 1))
                         for k, (x, y) in positions.items()})


def shared_data() -> Path:
    """../shared/data beside the checkout (CI), or beside its parent (a git worktree)."""
    for parent in REPO.parents:
        if (parent / "shared" / "data").is_dir():
            return parent / "shared" / "data"
    return REPO.parent / "shared" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=shared_data())
    parser.add_argument("--out", type=Path, default=SAMPLES)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for file_name, title, description, parts in SAMPLE_CHARTS:
        chart = build(args.data, title, description, parts)
        save_chart(chart, args.out / file_name, touch=False)
        print(f"{file_name}: {len(chart.entities):,} entities, {len(chart.links):,} links")


if __name__ == "__main__":
    main()
