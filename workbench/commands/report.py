"""``workbench report CHART -o report.docx|pdf [--template T.yaml] [--full]``: a report without
the window: title page with protective marking, chart pages, counts, route map, tables, sources.
By default the tables show their top rows and every row goes to a spreadsheet beside the
report; ``--full`` puts every row in the report instead."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "report", help="write a DOCX or PDF report of a chart",
        description="Write a short report (title page with the protective marking on every "
        "page, the chart at a readable size, counts, route map, the top rows of the entity, "
        "link and source tables; the full tables go to a spreadsheet beside the report). The "
        "output's extension picks DOCX or PDF.")
    parser.add_argument("chart", help="a chart (.wbchart, .graphml, .gexf or .anx)")
    parser.add_argument("-o", "--output", required=True, help="report.docx or report.pdf")
    parser.add_argument("--template", help="a report template (YAML) saying which sections, "
                        "histograms and attribute columns to include")
    for name, what in (("title", "the report's title"), ("author", "the author named on it"),
                       ("marking", "the protective marking on every page, e.g. "
                                   "OFFICIAL-SENSITIVE")):
        parser.add_argument(f"--{name}", help=f"{what} (default: the template's, else the "
                            "chart's)")
    parser.add_argument("--full", action="store_true",
                        help="every row of every table in the report (long for big charts); by "
                        "default tables show their top rows and the full tables go to a "
                        "spreadsheet beside the report (report.xlsx next to report.pdf)")
    parser.add_argument("--save-template", metavar="PATH",
                        help="also save the template used (the default if none) to PATH")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # the template first, before the report machinery (Qt, reportlab) is imported: a bad
    # template is refused at once
    from workbench.export.report_template import ReportTemplate, TemplateError, load_template
    from workbench.io.interchange import InterchangeError, read_chart

    try:
        template = load_template(args.template) if args.template else ReportTemplate()
    except TemplateError as exc:
        print(f"workbench report: {exc}", file=sys.stderr)
        return 2
    from workbench.export.report import ReportError, write_report

    try:
        for name in ("title", "author", "marking"):
            if getattr(args, name) is not None:
                setattr(template, name, getattr(args, name))
        if args.full:
            template.full_tables = True
        warnings: list[str] = []
        chart = read_chart(args.chart, warnings)
        for warning in warnings:
            print(f"workbench report: warning: {warning}", file=sys.stderr)
        content = write_report(chart, args.output, template)
    except (InterchangeError, TemplateError, ReportError) as exc:
        print(f"workbench report: {exc}", file=sys.stderr)
        return 2
    if args.save_template:
        try:
            template.save(args.save_template)
        except OSError as exc:
            print(f"workbench report: cannot write {args.save_template}: "
                  f"{exc.strerror or exc}", file=sys.stderr)
            return 2
    tables = sum(1 for b in content.blocks if type(b).__name__ == "TableBlock")
    output = Path(args.output)
    print(f"Report written to {output} ({len(chart.entities):,} entities, "
          f"{len(chart.links):,} links, {tables} tables)")
    if content.shortened:
        print(f"Full tables written to {output.with_name(content.tables_name)} (the report "
              "shows their top rows; --full puts every row in the report)")
    return 0
