"""``workbench export CHART -o out.png|svg|pdf``: a picture of a chart, without the window.

Drawn by the same code as the window (offscreen), with the chart's own Chart Display, so the
picture is what the analyst sees; display options change that for one picture only.
``--layout`` lays the chart out first (the file itself is not changed).
"""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "export", help="draw a chart to a PNG, JPEG, SVG or one-page PDF picture",
        description="Draw a .wbchart file to a picture. The format comes from the output "
                    "file's suffix (.png, .jpg, .svg, .pdf).")
    parser.add_argument("chart", help="a .wbchart file")
    parser.add_argument("-o", "--output", required=True, help="the picture file to write")
    parser.add_argument("--dpi", type=float, default=150.0,
                        help="resolution of PNG/JPEG pictures (default 150; 96 = natural size)")
    parser.add_argument("--width", type=int, default=None,
                        help="width of PNG/JPEG pictures in pixels (overrides --dpi)")
    parser.add_argument("--height", type=int, default=None,
                        help="height of PNG/JPEG pictures in pixels (with --width: fit both)")
    parser.add_argument("--transparent", action="store_true",
                        help="transparent background (PNG and SVG)")
    parser.add_argument("--layout", default=None,
                        help="lay the chart out first: force, hierarchy, circular, grouped, "
                             "peacock or time")
    parser.add_argument("--pages-across", type=int, default=1, metavar="N",
                        help="PDF: tile the chart over N A4 pages across (and as many down as "
                             "it needs) to print a wall chart; default one page")
    parser.add_argument("--only", nargs="+", metavar="ID", default=None,
                        help="draw only these entities and links (by id)")
    display = parser.add_argument_group(
        "display", "The picture shows the chart's own Chart Display (saved in the file); "
                   "these options change it for this picture only.")
    display.add_argument("--badges", nargs="*", metavar="ATTRIBUTE", default=None,
                         help="show these attributes as badges on entities (none: no badges)")
    display.add_argument("--link-labels", choices=("label", "type", "none"), default=None,
                         help="what links show in the middle: their own label, their type, "
                              "or nothing")
    display.add_argument("--summarise-links", action=argparse.BooleanOptionalAction,
                         default=None,
                         help="draw several links between two entities as one with a count "
                              "(or, with --no-summarise-links, each on its own)")
    display.add_argument("--frames", action=argparse.BooleanOptionalAction, default=None,
                         help="a ring in the entity's colour around each icon (or none)")
    display.add_argument("--legend", action=argparse.BooleanOptionalAction, default=None,
                         help="the key to formatting rules and link styles in the bottom-left "
                              "corner (on by default when the chart has formatting rules)")
    display.add_argument("--link-width", metavar="ATTRIBUTE", default=None,
                         help="links wider by this numeric link attribute; @count: summary "
                              "lines by how many links they stand for; none: all the same")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from workbench.io import ChartFileError, load_chart
    from workbench.layout import LAYOUTS, place_unplaced

    if args.dpi <= 0 or any(v is not None and v <= 0 for v in (args.width, args.height)):
        print("workbench export: --dpi, --width and --height must be positive",
              file=sys.stderr)
        return 2
    if args.layout is not None and args.layout not in LAYOUTS:
        print(f"workbench export: unknown layout {args.layout!r}; choose from "
              f"{', '.join(LAYOUTS)}", file=sys.stderr)
        return 2
    try:
        chart = load_chart(args.chart)
    except ChartFileError as exc:
        print(f"workbench export: {exc}", file=sys.stderr)
        return 2
    from workbench.export.chart_image import ChartImageError, render_chart

    if args.only:
        unknown = [i for i in args.only if i not in chart.entities and i not in chart.links]
        if unknown:
            print(f"workbench export: {args.chart}: no entity or link with id "
                  f"{', '.join(unknown)}", file=sys.stderr)
            return 2
    if args.layout:
        chart.move_entities(LAYOUTS[args.layout](chart))
    else:
        place_unplaced(chart)  # a chart with no drawing is laid out as the window does
    try:
        path = render_chart(chart, args.output, dpi=args.dpi, width=args.width,
                            height=args.height,
                            transparent=args.transparent, selection=args.only,
                            pages_across=args.pages_across,
                            look={"badges": args.badges, "link_labels": args.link_labels,
                                  "link_summary": args.summarise_links,
                                  "frames": args.frames, "legend": args.legend,
                                  "link_width": "" if args.link_width == "none"
                                  else args.link_width})
    except ChartImageError as exc:
        print(f"workbench export: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"workbench export: cannot write {args.output}: {exc.strerror or exc}",
              file=sys.stderr)
        return 2
    print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0
