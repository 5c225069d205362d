"""``workbench map CHART -o routes.html|png|svg|pdf``: the route map of a chart, headless.

The HTML is the interactive map (opens offline anywhere); PNG, SVG and PDF are the static map
for documents. Places that could not be put on the map are listed on standard error with the
reason, so the analyst can fix them (in the window, or in the chart's place fixes).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from workbench.geo.legible import legible
from workbench.geo.routes import DEFAULT_ROUTE_TYPES, RouteOptions, build_routes
from workbench.io import ChartFileError, load_chart

FORMATS = (".html", ".htm", ".png", ".svg", ".pdf")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "map", help="draw the chart's routes as an interactive (HTML) or static map",
        description="Draw directed route links between places (countries, cities, regions, "
                    "entities with coordinates) as a map. Works offline: places are found in "
                    "a gazetteer shipped with Workbench.")
    parser.add_argument("chart", help="a .wbchart file")
    parser.add_argument("-o", "--output", required=True,
                        help="routes.html (interactive), routes.png, routes.svg or routes.pdf")
    parser.add_argument("--link-types", nargs="+", metavar="TYPE",
                        default=list(DEFAULT_ROUTE_TYPES),
                        help="link types that make routes (default: %(default)s)")
    parser.add_argument("--colour-by", "--color-by", metavar="ATTRIBUTE", dest="colour_by",
                        help="colour routes by a link attribute, 'year' or 'link type'")
    parser.add_argument("--min-count", type=int, metavar="N",
                        help="leave out legs with fewer than N cases (default: the smallest N "
                             "that leaves a readable few hundred legs; 1 draws every leg)")
    parser.add_argument("--from", dest="date_from", type=date.fromisoformat, metavar="DATE",
                        help="only links dated on or after DATE (YYYY-MM-DD)")
    parser.add_argument("--to", dest="date_to", type=date.fromisoformat, metavar="DATE",
                        help="only links dated on or before DATE (YYYY-MM-DD)")
    parser.add_argument("--dpi", type=int, default=200, help="PNG resolution (default 200)")
    parser.add_argument("--title", help="title on the map (default: the chart's title)")
    parser.add_argument("--online-tiles", metavar="PROVIDER",
                        help="HTML only: add an online base layer such as OpenStreetMap "
                             "(sends the map's area to that tile server; off by default)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    output = Path(args.output)
    suffix = output.suffix.lower()
    if suffix not in FORMATS:
        print(f"workbench map: {output.name}: the output must end in .html, .png, .svg or .pdf",
              file=sys.stderr)
        return 2
    if (args.min_count is not None and args.min_count < 1) or not 10 <= args.dpi <= 1200:
        print("workbench map: --min-count must be 1 or more and --dpi 10 to 1200",
              file=sys.stderr)
        return 2
    try:
        chart = load_chart(args.chart)
    except ChartFileError as exc:
        print(f"workbench map: {exc}", file=sys.stderr)
        return 2
    known = set(chart.catalogue.link_types) | {lk.type for lk in chart.links.values()}
    unknown = [t for t in args.link_types if t not in known]
    if unknown:
        used = sorted({lk.type for lk in chart.links.values()})
        print(f"workbench map: unknown link type(s): {', '.join(unknown)} (this chart has: "
              f"{', '.join(used) or 'no links'})", file=sys.stderr)
        return 2
    options = RouteOptions(tuple(args.link_types), args.colour_by, args.min_count or 1,
                           args.date_from, args.date_to)
    routes = build_routes(chart, options)
    if args.min_count is None:
        routes = legible(routes)
    title = args.title or chart.title
    try:
        if suffix in (".html", ".htm"):
            from workbench.geo.interactive import save_html

            save_html(routes, output, title=title, online_tiles=args.online_tiles)
        else:
            from workbench.geo.static import save_static

            save_static(routes, output, dpi=args.dpi, title=title)
    except OSError as exc:
        print(f"workbench map: cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    cases = sum(s.count for s in routes.segments)
    print(f"{output}: {len(routes.segments)} legs, {len(routes.hotspots)} places, "
          f"{cases:,.0f} cases")
    for reason, count in sorted(routes.skipped.items()):
        print(f"  left out: {count:,} link(s): {reason}", file=sys.stderr)
    if routes.unresolved:
        print(f"  {len(routes.unresolved)} place(s) not on the map (fix them in the map dock):",
              file=sys.stderr)
        for item in sorted(routes.unresolved, key=lambda u: u.text.casefold()):
            print(f"    {item.text!r} ({item.entity_type} {item.entity_id}): {item.reason}",
                  file=sys.stderr)
    if not routes.segments:
        print("  no routes drawn: no directed links of those types between placed entities",
              file=sys.stderr)
    return 0
