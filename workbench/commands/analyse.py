"""``workbench analyse CHART --measure betweenness -o OUT.wbchart``: compute a network measure
(or clusters, components) and write it into each entity as an attribute, so the chart opens
with it ready for conditional formatting, histograms and lists."""

from __future__ import annotations

import argparse
import sys

#: The measures of workbench.analysis.measures.Measure (kept here so --help starts fast).
MEASURES = ("degree", "betweenness", "closeness", "eigenvector", "kcore", "component",
            "louvain", "labelprop", "indegree", "outdegree")
GROUPINGS = {"component", "louvain", "labelprop"}


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "analyse", help="write a network measure (betweenness, clusters...) into a chart",
        description="Compute a social network measure (degree, betweenness, closeness, "
        "eigenvector, k-core), connected components or clusters (Louvain, label propagation) "
        "for every entity and save it as a number attribute.")
    parser.add_argument("chart", help="a .wbchart file")
    parser.add_argument("--measure", required=True, action="append",
                        metavar="MEASURE",
                        help=f"one of {', '.join(MEASURES)}; repeat for more")
    parser.add_argument("--exact", action="store_true",
                        help="exact betweenness even on a large chart (slow)")
    parser.add_argument("--attribute", help="attribute name to write (one measure only)")
    parser.add_argument("-o", "--output", required=True, help="the .wbchart file to write")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from workbench.analysis import AnalysisError, compute
    from workbench.analysis.measures import measure_or_error
    from workbench.io import ChartFileError, load_chart, save_chart

    try:
        measures = [measure_or_error(name) for name in args.measure]
    except AnalysisError as exc:
        print(f"workbench analyse: {exc}", file=sys.stderr)
        return 2
    if args.attribute and len(measures) > 1:
        print("workbench analyse: --attribute names one measure's attribute; give one "
              "--measure with it", file=sys.stderr)
        return 2
    try:
        chart = load_chart(args.chart)
    except ChartFileError as exc:
        print(f"workbench analyse: {exc}", file=sys.stderr)
        return 2
    for measure in measures:
        result = compute(chart, measure, exact=args.exact)
        for entity_id, values in result.attribute_values(args.attribute).items():
            entity = chart.entities[entity_id]
            chart.update_entity(entity_id, attributes={**entity.attributes, **values})
        name = args.attribute or result.attribute
        if measure.value in GROUPINGS:
            groups = len(set(result.values.values()))
            print(f"{name}: written to {len(result.values):,} entities; {groups:,} groups, "
                  "numbered from the largest")
        else:
            top = ", ".join(f"{chart.entities[e].label} ({v:.4g})"
                            for e, v in result.ranked()[:3])
            print(f"{name}: written to {len(result.values):,} entities; highest: {top}")
        if result.approximate:
            print(f"{name}: {result.note}")
    try:
        save_chart(chart, args.output)
    except ChartFileError as exc:  # says which file and that the one on disk is unchanged
        print(f"workbench analyse: {exc}", file=sys.stderr)
        return 2
    return 0
