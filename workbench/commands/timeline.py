"""``workbench timeline CHART -o OUT.png|svg|pdf [--entities ID...] [--from DATE] [--to DATE]
[--width PX]``: the timeline of who did what when, as a picture for a report or a briefing,
without opening the window. Theme lines for the entities named (by id, or by a label only one
entity has), else for the busiest; the period from ``--from`` to ``--to``, else all of it."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

FORMATS = ("png", "svg", "pdf")
PROG = "workbench timeline"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "timeline", help="draw a timeline of chosen entities' dated links and events",
        description="Draw a timeline: one theme line per entity, dated links between them at "
        "their time (arrows for direction, line style for strength), dated events as frames.")
    parser.add_argument("chart", help="a .wbchart file")
    parser.add_argument("-o", "--output", required=True,
                        help=f"output file: {', '.join('.' + f for f in FORMATS)}")
    parser.add_argument("--entities", nargs="+", metavar="ID",
                        help="entity ids (or labels) for the theme lines, top to bottom; "
                        "default: the 12 in the most dated links")
    parser.add_argument("--from", dest="start", metavar="DATE",
                        help="start of the period: 2016, 2016-03, 2016-03-04 or 2016-03-04T10:30")
    parser.add_argument("--to", dest="end", metavar="DATE",
                        help="end of the period (2016 means to the end of 2016)")
    parser.add_argument("--width", type=int, default=1800, metavar="PX",
                        help="PNG width in pixels (default 1800: sharp across an A4 page)")
    parser.add_argument("--no-compress", action="store_true",
                        help="draw long empty stretches at full length instead of as breaks")
    parser.set_defaults(run=run)


def parse_when(text: str, end: bool) -> datetime:
    """An ISO date as written on a command line, as the start of what it names (or, with
    ``end``, the start of what follows it: --to 2016 includes all of 2016)."""
    from workbench.model import DatePrecision, date_span

    text = text.strip()
    try:
        if len(text) == 4 and text.isdigit():
            when, precision = datetime(int(text), 1, 1), DatePrecision.YEAR
        elif len(text) == 7 and text[4] == "-":
            when, precision = datetime(int(text[:4]), int(text[5:]), 1), DatePrecision.MONTH
        elif len(text) == 10:
            when, precision = datetime.fromisoformat(text), DatePrecision.DAY
        else:
            when, precision = datetime.fromisoformat(text), DatePrecision.SECOND
    except ValueError:
        raise ValueError(f"{text!r} is not a date like 2016, 2016-03, 2016-03-04 or "
                         "2016-03-04T10:30") from None
    if end and precision is not DatePrecision.SECOND:
        return date_span(when, precision)[1]
    return when


def _entity_ids(chart, names: list[str]) -> list[str]:
    out = []
    for name in names:
        if name in chart.entities:
            out.append(name)
            continue
        same = [e.id for e in chart.entities.values() if e.label == name]
        if len(same) != 1:
            how = "no entity" if not same else f"{len(same)} entities"
            raise ValueError(f"{how} with id or label {name!r}")
        out.append(same[0])
    return out


def run(args: argparse.Namespace) -> int:
    from workbench.export.timeline_image import (
        TimelineImageError,
        render_timeline,
        timeline_picture,
    )
    from workbench.io import ChartFileError, load_chart

    def fail(message: str) -> int:
        print(f"{PROG}: {message}", file=sys.stderr)
        return 2

    suffix = args.output.rsplit(".", 1)[-1].lower() if "." in args.output else ""
    if suffix not in FORMATS:
        return fail(f"{args.output}: the output must end in "
                    f"{', '.join('.' + f for f in FORMATS)}")
    try:
        start = parse_when(args.start, end=False) if args.start else None
        end = parse_when(args.end, end=True) if args.end else None
    except ValueError as exc:
        return fail(str(exc))
    try:
        chart = load_chart(args.chart)
    except ChartFileError as exc:
        return fail(str(exc))
    try:
        ids = _entity_ids(chart, args.entities) if args.entities else None
        picture = timeline_picture(chart, ids, start=start, end=end,
                                   compress=not args.no_compress)
        render_timeline(picture, args.output, width=args.width)
    except (ValueError, TimelineImageError) as exc:
        return fail(f"{args.chart}: {exc}")
    except OSError as exc:
        return fail(f"cannot write {args.output}: {exc.strerror or exc}")
    print(f"{picture.title}: {picture.caption} -> {args.output}")
    return 0
