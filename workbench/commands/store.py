"""``workbench store ...``: the investigation store from the command line.

``import`` brings files in with an import specification (making the store on first use);
``info``, ``search`` and ``path`` read it; ``chart`` draws a neighbourhood into a new chart and
``expand`` adds to one. Reading commands open the store for reading, so several can run at
once; an import holds it alone. Every error is one line and exit code 2; the store and any
chart on disk are left as they were.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from pathlib import Path

STORE_HELP = "a .wbstore file, or a shared store's URL (postgresql://analyst@server/database)"


def store_argument(text: str) -> str | Path:
    """A store on the command line: a shared store's URL stays text (a Path would fold its
    '//'; workbench.store.address reads it when the verb runs), else a file's path."""
    url = text.strip()
    return url if url.lower().startswith(("postgresql://", "postgres://")) else Path(text)

def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "store", help="the investigation store: import sources, search, draw charts from it",
        description="A store (a .wbstore file, or a shared store on PostgreSQL given by "
        "its postgresql:// URL) holds every source's rows with entities merged by identity; "
        "charts are drawn from it. A shared store's password comes from PGPASSWORD, "
        "PGPASSFILE (~/.pgpass), or a prompt. See docs/store.md.")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)

    p = verbs.add_parser("import", help="import CSV/XLSX files through a specification",
                         description="Import files into the store (made if missing) in one "
                         "transaction: all of it, or nothing.")
    p.add_argument("store", type=store_argument, help=STORE_HELP)
    p.add_argument("data", nargs="*", type=Path, help="CSV or XLSX files")
    p.add_argument("--spec", required=True, type=Path, help="the import specification")
    p.add_argument("--source", help="the source's name (default: the spec's, else the file's)")
    p.add_argument("--report", type=Path, help="write rejected rows and warnings to this CSV")
    p.add_argument("--again", action="store_true",
                   help="import a file even if the store already holds it")
    p.set_defaults(run=_later("run_import"))

    p = verbs.add_parser("info", help="counts by type, sources, size and format version")
    p.add_argument("store", type=store_argument, help=STORE_HELP)
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(run=_later("run_info"))

    p = verbs.add_parser("search", help="find entities by label, identity or attribute text")
    p.add_argument("store", type=store_argument, help=STORE_HELP)
    p.add_argument("text")
    p.add_argument("--type", action="append", default=[], help="only this entity type "
                   "(repeat for several)")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_later("run_search"))

    p = verbs.add_parser("chart", help="draw seeds and their neighbourhood into a new chart")
    p.add_argument("store", type=store_argument, help=STORE_HELP)
    p.add_argument("--seed", nargs="+", required=True, action="extend",
                   help="entity ids or text (the best search hit)")
    _neighbourhood_options(p)
    p.add_argument("--title", help="the chart's title")
    p.add_argument("-o", "--output", type=Path, required=True, help="the .wbchart to write")
    p.set_defaults(run=_later("run_chart"))

    p = verbs.add_parser("expand", help="add an entity's neighbourhood to a chart")
    p.add_argument("store", type=store_argument, help=STORE_HELP)
    p.add_argument("chart", type=Path, help="a chart (drawn from this store or not)")
    p.add_argument("--entity", required=True, help="store id or text (the best search hit)")
    _neighbourhood_options(p)
    p.add_argument("-o", "--output", type=Path, required=True, help="the .wbchart to write")
    p.set_defaults(run=_later("run_expand"))

    p = verbs.add_parser("path", help="the shortest chain of links between two entities")
    p.add_argument("store", type=store_argument, help=STORE_HELP)
    p.add_argument("a", help="store id or text")
    p.add_argument("b", help="store id or text")
    p.add_argument("--max-hops", type=int, default=6)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_later("run_path"))


def _neighbourhood_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--hops", type=int, default=1, help="links away from the seeds (default 1)")
    p.add_argument("--max-entities", type=int, default=500,
                   help="cap on entities drawn (default 500; the closest are kept)")
    p.add_argument("--types", nargs="+", default=[], help="only these entity types")
    p.add_argument("--link-types", nargs="+", default=[], help="only these link types")
    p.add_argument("--from", dest="start", help="only links dated from (undated links pass)")
    p.add_argument("--to", dest="end", help="only links dated up to (undated links pass)")


def _later(name: str) -> Callable[[argparse.Namespace], int]:
    """The verb's work from store_run, imported when it runs."""
    def run(args: argparse.Namespace) -> int:
        return getattr(importlib.import_module("workbench.commands.store_run"), name)(args)

    return run
