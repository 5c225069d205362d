"""``workbench info CHART [--json]``: what is in a chart file, without opening the window."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.model import Chart


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("info", help="print a chart's title, counts by type and sources",
                            description="Print what a .wbchart file holds.")
    parser.add_argument("chart", help="a .wbchart file")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.set_defaults(run=run)


def summarise(chart: Chart, format_version: int) -> dict[str, Any]:
    sources: Counter[str] = Counter()
    for item in [*chart.entities.values(), *chart.links.values()]:
        for record in {s.file or s.source for s in item.provenance}:
            sources[record] += 1
    return {
        "title": chart.title,
        "format_version": format_version,
        "marking": chart.marking,
        "author": chart.author,
        "description": chart.description,
        "created": chart.created.isoformat(),
        "modified": chart.modified.isoformat(),
        "entities": len(chart.entities),
        "links": len(chart.links),
        "entity_types": dict(Counter(e.type for e in chart.entities.values()).most_common()),
        "link_types": dict(Counter(lk.type for lk in chart.links.values()).most_common()),
        "sources": dict(sources.most_common()),
    }


def _table(title: str, counts: dict[str, int]) -> list[str]:
    if not counts:
        return [f"{title}: none"]
    width = max(len(k) for k in counts)
    return [f"{title}:"] + [f"  {k:<{width}}  {v:>8,}" for k, v in counts.items()]


def run(args: argparse.Namespace) -> int:
    import orjson

    from workbench.io import ChartFileError, load_chart_and_manifest

    try:
        chart, manifest = load_chart_and_manifest(args.chart)
    except ChartFileError as exc:
        print(f"workbench info: {exc}", file=sys.stderr)
        return 2
    info = summarise(chart, manifest["format_version"])
    if args.json:
        sys.stdout.write(orjson.dumps(info, option=orjson.OPT_INDENT_2).decode() + "\n")
        return 0
    lines = [
        f"Title:          {info['title']}",
        f"Format version: {info['format_version']}",
    ]
    if info["marking"]:
        lines.append(f"Marking:        {info['marking']}")
    if info["author"]:
        lines.append(f"Author:         {info['author']}")
    lines += [
        f"Modified:       {info['modified']}",
        f"Entities:       {info['entities']:,}",
        f"Links:          {info['links']:,}",
        "",
        *_table("Entity types", info["entity_types"]),
        *_table("Link types", info["link_types"]),
        *_table("Sources (items per source)", info["sources"]),
    ]
    print("\n".join(lines))
    return 0
