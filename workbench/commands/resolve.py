"""``workbench resolve CHART --type Person [--type Organisation ...] [--threshold T] -o
pairs.csv``: Find Duplicates without the window. Writes the candidate pairs, most probable
first, with both ids and labels, the match probability and the evidence field by field, as a
CSV an analyst can sort and filter (scraped labels made safe for spreadsheet programs).

The steps are separate functions (read the chart, find the pairs, write them) so that a
further option, such as merging the confident pairs, adds a step rather than a rewrite.
"""

from __future__ import annotations

import argparse
import difflib
import math
import sys
from collections.abc import Sequence

from workbench.model import Chart
from workbench.resolve.comparisons import DEFAULT_THRESHOLD, FIELDS
from workbench.resolve.decisions import undecided
from workbench.resolve.pairs import Candidate

CSV_HEADER = ("id a", "label a", "id b", "label b", "type", "probability")


def probability(text: str) -> float:
    """argparse type for --threshold: a number from 0 to 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if math.isnan(value) or not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not a probability between 0 and 1")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "resolve", help="find entities that may be one (fuzzy, transliteration-aware); write "
        "the pairs and their evidence as CSV",
        description="Find Duplicates: pairs of entities of the given types that may be the "
        "same person, firm or place however the sources spell them, with a match probability "
        "and the evidence (which fields agreed, disagreed or were missing).")
    parser.add_argument("chart", help="a .wbchart file")
    parser.add_argument("--type", dest="types", action="append", required=True,
                        metavar="TYPE", help="an entity type to look in (repeat for more)")
    parser.add_argument("--threshold", type=probability, default=DEFAULT_THRESHOLD,
                        metavar="T", help="lowest match probability kept, 0 to 1 "
                        f"(default {DEFAULT_THRESHOLD})")
    parser.add_argument("--merge-above", type=probability, metavar="P",
                        help="merge the pairs at or above this probability (chains joined: "
                        "A=B and B=C make one entity) and write the chart to -o OUT.wbchart; "
                        "every merge recorded, and undone with Unmerge in the window")
    parser.add_argument("-o", "--output", required=True, metavar="PAIRS.csv|OUT.wbchart",
                        help="the CSV of candidate pairs to write, or with --merge-above the "
                        "merged chart")
    parser.set_defaults(run=run)


def check_types(chart: Chart, types: Sequence[str]) -> str | None:
    """The error for a type neither the chart nor its catalogue knows, with a suggestion."""
    known = {e.type for e in chart.entities.values()} | set(chart.catalogue.entity_types)
    for name in types:
        if name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            return f"unknown entity type {name!r}{hint}"
    return None


def find_pairs(chart: Chart, args: argparse.Namespace) -> list[Candidate]:
    from workbench.geo.places import place_namer
    from workbench.resolve.candidates import find_candidates

    return find_candidates(chart, args.types, args.threshold, place_namer=place_namer())


def write_pairs(chart: Chart, pairs: Sequence[Candidate], path: str) -> None:
    """The CSV: one row per pair, one column per compared field ("agree: same name")."""
    from workbench.io.atomic import atomic_path
    from workbench.io.cells import csv_line, neutralise

    used = {name for pair in pairs for name in pair.evidence}
    fields = [f.name for f in FIELDS if f.name in used]
    with atomic_path(path) as part, open(part, "w", newline="", encoding="utf-8-sig") as out:
        out.write(csv_line([*CSV_HEADER, *fields]))
        for pair in pairs:
            a, b = chart.entity(pair.a), chart.entity(pair.b)
            evidence = [pair.evidence.get(name) for name in fields]
            out.write(csv_line([
                neutralise(a.id), neutralise(a.label), neutralise(b.id), neutralise(b.label),
                neutralise(a.type), f"{pair.probability:.4f}",
                *(neutralise(f"{e[0]}: {e[1]}") if e else "" for e in evidence),
            ]))


def merge_and_save(chart: Chart, pairs: Sequence[Candidate], args: argparse.Namespace) -> int:
    from workbench.io import ChartFileError, save_chart
    from workbench.resolve.merge_above import merge_above

    report = merge_above(chart, pairs, args.merge_above)
    try:
        save_chart(chart, args.output)
    except (OSError, ChartFileError) as exc:
        print(f"workbench resolve: cannot write {args.output}: {exc.strerror or exc}",
              file=sys.stderr)
        return 2
    for line in report.lines():
        print(line)
    print(f"-> {args.output}")
    return 0


def run(args: argparse.Namespace) -> int:
    from workbench.io import ChartFileError, load_chart

    suffix = ".wbchart" if args.merge_above is not None else ".csv"
    if not args.output.lower().endswith(suffix):
        what = "with --merge-above the output is a chart" if args.merge_above is not None \
            else "the output is a CSV of pairs"
        print(f"workbench resolve: {args.output}: {what}, ending in {suffix}", file=sys.stderr)
        return 2
    try:
        chart = load_chart(args.chart)
    except ChartFileError as exc:
        print(f"workbench resolve: {exc}", file=sys.stderr)
        return 2
    problem = check_types(chart, args.types)
    if problem:
        print(f"workbench resolve: {args.chart}: {problem}", file=sys.stderr)
        return 2
    found = find_pairs(chart, args)
    if args.merge_above is not None:  # leaves the pairs the chart has decided alone itself
        return merge_and_save(chart, found, args)
    pairs = undecided(chart, found)  # rejected, merged, "possibly same as": not offered again
    try:
        write_pairs(chart, pairs, args.output)
    except OSError as exc:
        print(f"workbench resolve: cannot write {args.output}: {exc.strerror or exc}",
              file=sys.stderr)
        return 2
    print(f"{len(pairs):,} candidate pairs at or above {args.threshold:g} -> {args.output}")
    return 0
