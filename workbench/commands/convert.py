"""``workbench convert IN OUT``: between .wbchart, GraphML, GEXF, i2 ANX, GML, Pajek, DOT,
node-link and Cytoscape.js JSON, Cytoscape CX, Maltego .mtgx and FollowTheMoney entity
streams (read by content, written by extension: ``.ftm``, ``.ijson`` or ``NAME.ftm.json``),
from CSV edge/node lists and CX2, and from any of them to spreadsheets
(.xlsx: a sheet each for entities and links; .csv: two files, OUT-entities.csv and
OUT-links.csv). A file without positions is laid out by force, as the window does."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from workbench.commands.suffixes import READ_SUFFIXES, WRITE_SUFFIXES

SPREADSHEETS = (".xlsx", ".csv")
PROGRESS_FROM = 256 * 1024  # characters of DOT (about ten seconds' reading) before it shows


def _progress(name: str) -> Callable[[int, int], None]:
    """Prints how far a slow read (DOT) has got, every tenth, on standard error."""
    shown = [0]

    def report(done: int, total: int) -> None:
        tenth = done * 10 // max(total, 1)
        if total >= PROGRESS_FROM and tenth > shown[0]:
            shown[0] = tenth
            print(f"workbench convert: reading {name}: {tenth * 10}%", file=sys.stderr,
                  flush=True)
    return report


def register(sub: argparse._SubParsersAction) -> None:
    chart_formats = ", ".join(READ_SUFFIXES)
    parser = sub.add_parser(
        "convert", help="convert a chart between .wbchart, .graphml, .gexf, .anx, .gml, "
        ".net, .dot, .json, .cyjs, .cx, .mtgx and .ftm, or to .xlsx/.csv",
        description=f"Convert a chart file. Reads {chart_formats} (found by content); writes "
        f"{', '.join(WRITE_SUFFIXES)}, .xlsx (entities and links sheets) and .csv "
        "(OUT-entities.csv and OUT-links.csv). XLSX text cells are text, never formulas; CSV "
        "text that a spreadsheet would run as a formula gets a leading apostrophe.")
    parser.add_argument("input", help="the chart to read")
    parser.add_argument("output", help="the file to write (its extension picks the format)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from workbench.export.spreadsheet import csv_paths
    from workbench.io.interchange import InterchangeError, read_chart, write_chart
    from workbench.io.interchange.csvgraph import files_read
    from workbench.layout import place_unplaced

    source, target = Path(args.input), Path(args.output)
    try:
        outputs = csv_paths(target) if target.suffix.lower() == ".csv" else (target,)
        if {p.resolve() for p in outputs} & {p.resolve() for p in files_read(source)}:
            raise InterchangeError(f"{target}: would overwrite the input {source.name}")
        warnings: list[str] = []
        chart = read_chart(source, warnings, _progress(source.name))
        if place_unplaced(chart):  # a note, not a problem: standard output
            print(f"{source.name}: no positions in the file; laid out by force")
        for warning in warnings:
            print(f"workbench convert: warning: {warning}", file=sys.stderr)
        ext = target.suffix.lower()
        if ext in SPREADSHEETS:
            from workbench.export.spreadsheet import write_csv, write_xlsx

            if ext == ".xlsx":
                write_xlsx(chart, target)
                written = [target]
            else:
                written = list(write_csv(chart, target))
        else:
            write_chart(chart, target)
            written = [target]
    except InterchangeError as exc:
        print(f"workbench convert: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"workbench convert: could not write {target}: {exc.strerror or exc}",
              file=sys.stderr)
        return 2
    names = ", ".join(str(p) for p in written)
    print(f"{len(chart.entities):,} entities and {len(chart.links):,} links written to {names}")
    return 0
