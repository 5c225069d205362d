"""``workbench histogram CHART --by ATTRIBUTE|type|linktype [--bin month] [--top 20] -o OUT``:
count a chart's entities or links and write the histogram as a picture (PNG, SVG, PDF) for a
report, or as CSV for a spreadsheet, without opening the window."""

from __future__ import annotations

import argparse
import sys

FORMATS = ("png", "svg", "pdf", "csv")
SORTS = ("count", "value")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "histogram", help="count entities or links by a type or attribute; write PNG/SVG/PDF/CSV",
        description="Count a chart's entities or links by type, link type, label, date, the "
        "from/to end of links, or any attribute, and write the histogram as a picture or CSV.")
    parser.add_argument("chart", help="a .wbchart file")
    parser.add_argument("--by", required=True, metavar="FIELD",
                        help="type (entity type), linktype, label, date, from, to (the ends of "
                        "links), or an attribute name")
    parser.add_argument("--bin", metavar="BIN",
                        help="dates: day, week, month, quarter, year, hour, weekday; numbers: "
                        "auto or a number of bins")
    parser.add_argument("--top", type=int, metavar="N",
                        help="keep the N biggest bars, group the rest as 'Other'")
    parser.add_argument("--sort", choices=SORTS, default=None,
                        help="count (biggest first; the default) or value (A-Z, in time order; "
                        "the default with --bin)")
    parser.add_argument("--links", action="store_true",
                        help="count links (for an attribute both entities and links carry)")
    parser.add_argument("--weight", metavar="ATTRIBUTE",
                        help="sum this number attribute instead of counting items")
    parser.add_argument("--chart-links", action="store_true",
                        help="a chart drawn from a store: count its lines, not the store links "
                        "they stand for (a line '37 Calls' counts 37 unless this is given)")
    parser.add_argument("-o", "--output", required=True,
                        help=f"output file: {', '.join('.' + f for f in FORMATS)}")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # imported here so that `workbench --help` and other commands start fast
    from workbench.analysis import AnalysisError, SortBy, histogram, resolve_field
    from workbench.analysis.fields import Target
    from workbench.export.histogram_image import render_histogram, store_link_counts
    from workbench.io import ChartFileError, load_chart

    suffix = args.output.rsplit(".", 1)[-1].lower() if "." in args.output else ""
    if suffix not in FORMATS:
        print(f"workbench histogram: {args.output}: the output must end in "
              f"{', '.join('.' + f for f in FORMATS)}", file=sys.stderr)
        return 2
    try:
        chart = load_chart(args.chart)
    except ChartFileError as exc:
        print(f"workbench histogram: {exc}", file=sys.stderr)
        return 2
    try:
        field = resolve_field(chart, args.by, args.bin, Target.LINKS if args.links else None)
        sort = args.sort or (SortBy.VALUE if args.bin else SortBy.COUNT)
        standing = None if args.weight or args.chart_links else \
            store_link_counts(chart, field)
        hist = histogram(chart, field, sort=sort, top=args.top, weight=args.weight,
                         stands_for=standing)
    except AnalysisError as exc:
        print(f"workbench histogram: {args.chart}: {exc}", file=sys.stderr)
        return 2
    try:
        render_histogram(hist, args.output, subtitle=chart.title)
    except OSError as exc:
        print(f"workbench histogram: cannot write {args.output}: {exc.strerror or exc}",
              file=sys.stderr)
        return 2
    standing = f", standing for {hist.standing_for:,.0f} {hist.unit}" if hist.unit else ""
    print(f"{hist.title}: {len(hist.bars)} bars, {hist.counted:,} {field.target.value} "
          f"counted{standing} -> {args.output}")
    return 0
