"""Rebuild the sample charts in sample_charts/ from the data beside them.

Run from the repository: ``python scripts/build_samples.py [--data DIR]``. Every sample is
built through the real importer and the import specifications in sample_charts/specs/ from the
files in sample_charts/data/ (copies of ../shared/data), laid out with the force layout,
styled with conditional formatting rules and given a chart display (what is summarised, how
wide lines are). tests/test_samples.py checks that the committed charts are exactly what this
script builds, and the import tests check counts against pandas.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from workbench.io import save_chart
from workbench.io.importer import import_files
from workbench.io.importspec import load_spec
from workbench.layout import force_layout
from workbench.model import Chart
from workbench.model.display import display_from_json

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sample_charts"
SPECS = SAMPLES / "specs"
BUILT_AT = datetime(2026, 11, 23, tzinfo=UTC)  # fixed, so rebuilding gives the same file

# Conditional formatting shipped with each sample (see workbench/model/formatting.py).
ATTACKERS = {"name": "Attackers", "applies_to": "entities", "types": ["Person"],
             "field": "attacker", "op": "equals", "value": True, "colour": "#c0392b",
             "size": 1.6}
BUSY_COUNTRIES = [
    {"name": "Countries in 100+ routes", "applies_to": "entities", "types": ["Country"],
     "field": "@links", "op": "at_least", "value": 100, "size": 1.5},
    {"name": "Countries in 500+ routes", "applies_to": "entities", "types": ["Country"],
     "field": "@links", "op": "at_least", "value": 500, "colour": "#c0392b", "size": 2.2},
]
BUSY_PHONES = [  # the VAST handsets are not real numbers: their own type, Handset
    {"name": "Handsets in 100+ calls", "applies_to": "entities", "types": ["Handset"],
     "field": "@links", "op": "at_least", "value": 100, "colour": "#c0392b", "size": 1.8},
]
FORMATTING = {
    "nov13-network.wbchart": [ATTACKERS],
    "trafficking-routes.wbchart": BUSY_COUNTRIES,
    "call-records.wbchart": BUSY_PHONES,
}

# Chart Display shipped with each sample (see workbench/model/display.py). The routes chart
# has one link per leg of a reported case (23,046 between 399 countries): drawn link by link it is a
# hairball of bows, so each pair of countries is one line, as wide (and as dark) as its number
# of cases; 3,718 "N links" plates would bury the country names, so the count is the width
# (Link Labels shows it in figures). The call records (9,834 calls between 400 handsets, 916
# pairs) are summarised the same way and show each pair's number of calls.
DISPLAY = {
    "nov13-network.wbchart": None,
    "trafficking-routes.wbchart": {"link_summary": True, "link_width": "@count",
                                   "link_labels": "none"},
    "call-records.wbchart": {"link_summary": True, "link_width": "@count",
                             "link_labels": "label"},
}

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


def build(data: Path, file_name: str, title: str, description: str,
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
    chart.move_entities(force_layout(chart))
    chart.settings["formatting"] = FORMATTING[file_name]
    if DISPLAY[file_name] is not None:
        chart.settings["display"] = display_from_json(DISPLAY[file_name]).to_json()
    return chart


def fix_times(chart: Chart) -> None:
    """Import times and chart times fixed, so that a rebuild gives the same file."""
    chart.created = chart.modified = BUILT_AT
    for item in [*chart.entities.values(), *chart.links.values()]:
        item.provenance = [p.__class__(**{**_fields(p), "imported_at": BUILT_AT})
                           for p in item.provenance]


def _fields(record: object) -> dict:
    return {name: getattr(record, name) for name in record.__slots__}  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=SAMPLES / "data")
    parser.add_argument("--out", type=Path, default=SAMPLES)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for file_name, title, description, parts in SAMPLE_CHARTS:
        chart = build(args.data, file_name, title, description, parts)
        save_chart(chart, args.out / file_name, touch=False)
        print(f"{file_name}: {len(chart.entities):,} entities, {len(chart.links):,} links")


if __name__ == "__main__":
    main()
