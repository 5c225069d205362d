"""``workbench import DATA... --spec SPEC.yaml -o OUT.wbchart``: spreadsheets into a chart.

Prints the import summary. The exit code is 0 when anything was imported, 1 when nothing
could be, 2 when the specification, a data file or the --into chart is unusable or an output
cannot be written; rejected rows never fail the command, they go to the report
(``--report rejected.csv``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "import", help="import CSV/XLSX files into a chart through an import specification",
        description="Import CSV or XLSX files into a chart, as an import specification says "
        "(see docs/import-spec.md). Prints rows read, imported, skipped and rejected.")
    parser.add_argument("data", nargs="*", type=Path,
                        help="CSV or XLSX files (default: the files the spec names)")
    parser.add_argument("--spec", required=True, type=Path, action="append",
                        help="the import specification (YAML); give it once for all files, "
                        "or once per file in the same order")
    parser.add_argument("-o", "--output", required=True, type=Path,
                        help="the .wbchart file to write")
    parser.add_argument("--into", type=Path, help="an existing chart to import into (entities "
                        "merge by identity); the result is written to --output")
    parser.add_argument("--report", type=Path, help="write every rejected row and warning "
                        "to this CSV file")
    parser.add_argument("--title", help="title of a new chart")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from workbench.geo.places import place_namer
    from workbench.io import ChartFileError, load_chart, save_chart
    from workbench.io.importer import build_import
    from workbench.io.importspec import SpecError, load_spec
    from workbench.model import Chart, ChartError

    def fail(message: str) -> int:
        print(f"workbench import: {message}", file=sys.stderr)
        return 2

    try:
        specs = [load_spec(path) for path in args.spec]
    except SpecError as exc:
        return fail(str(exc))
    if len(specs) > 1 and len(specs) != len(args.data):
        return fail(f"{len(specs)} specifications for {len(args.data)} files: give one "
                    "--spec for all files, or one per file")
    try:
        chart = load_chart(args.into) if args.into else Chart(args.title or args.output.stem)
    except ChartFileError as exc:
        return fail(str(exc))
    try:
        plan = build_import(specs[0] if len(specs) == 1 else specs, args.data, chart,
                            places=place_namer())  # Locations one per place
        plan.apply(chart)
    except (SpecError, ChartError) as exc:
        return fail(str(exc))
    report = plan.report
    print(report.summary())
    if args.report:
        try:
            report.write_csv(args.report)
        except OSError as exc:
            return fail(f"cannot write the report {args.report}: {exc.strerror or exc}")
        count = sum(1 for _ in report.all_issues())  # rows that made nothing too
        print(f"Report of {count:,} issue(s) written to {args.report}")
    if report.rows_imported == 0:
        print("workbench import: nothing was imported", file=sys.stderr)
        return 1
    try:
        save_chart(chart, args.output)
    except ChartFileError as exc:
        return fail(str(exc))
    print(f"Wrote {args.output}: {len(chart.entities):,} entities, {len(chart.links):,} links")
    return 0
