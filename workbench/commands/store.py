"""``workbench store ...``: the investigation store from the command line.

``import`` brings files in with an import specification (making the store on first use);
``info``, ``search`` and ``path`` read it; ``chart`` draws a neighbourhood into a new chart and
``expand`` adds to one; ``links`` shows each store link a connection of a chart stands for
(a chart drawn from the store holds one link per connection); ``resolve`` finds entities
across sources that may be one and keeps the analyst's decisions on them, which every chart
drawn later follows. Reading commands open
the store for reading, so several can run at once; an import holds it alone. ``admin`` and
``audit`` work on a shared store (PostgreSQL), which every other verb also takes as a
``postgresql://`` URL. Every error is one line and exit code 2; the store and any chart on
disk are left as they were.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from pathlib import Path

from workbench.commands.resolve import probability
from workbench.resolve.comparisons import DEFAULT_THRESHOLD

STORE_HELP = "a .wbstore file, or a shared store's URL (postgresql://analyst@server/database)"


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
    p.add_argument("store", type=store_location, help=STORE_HELP)
    p.add_argument("data", nargs="*", type=Path, help="CSV or XLSX files")
    p.add_argument("--spec", required=True, type=Path, help="the import specification")
    p.add_argument("--source", help="the source's name (default: the spec's, else the file's)")
    p.add_argument("--report", type=Path, help="write rejected rows and warnings to this CSV")
    p.add_argument("--again", action="store_true",
                   help="import a file even if the store already holds it")
    p.add_argument("--handling", default="owner", metavar="owner|shared:ORG,ORG|all",
                   help="shared store only: who may see these rows. owner (the default): "
                   "your organisation's analysts only; shared:ORG,ORG: also these "
                   "organisations (each needs a sharing agreement with yours); all: every "
                   "organisation in the store")
    p.set_defaults(run=_later("run_import"))

    p = verbs.add_parser("info", help="counts by type, sources, size and format version")
    p.add_argument("store", type=store_location, help=STORE_HELP)
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(run=_later("run_info"))

    p = verbs.add_parser("search", help="find entities by label, identity or attribute text")
    p.add_argument("store", type=store_location, help=STORE_HELP)
    p.add_argument("text")
    p.add_argument("--type", action="append", default=[], help="only this entity type "
                   "(repeat for several)")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_later("run_search"))

    p = verbs.add_parser("chart", help="draw seeds and their neighbourhood into a new chart")
    p.add_argument("store", type=store_location, help=STORE_HELP)
    p.add_argument("--seed", nargs="+", required=True, action="extend",
                   help="entity ids or text (the best search hit)")
    _neighbourhood_options(p)
    p.add_argument("--title", help="the chart's title")
    p.add_argument("-o", "--output", type=Path, required=True, help="the .wbchart to write")
    p.set_defaults(run=_later("run_chart"))

    p = verbs.add_parser("expand", help="add an entity's neighbourhood to a chart")
    p.add_argument("store", type=store_location, help=STORE_HELP)
    p.add_argument("chart", type=Path, help="a chart (drawn from this store or not)")
    p.add_argument("--entity", required=True, help="store id or text (the best search hit)")
    _neighbourhood_options(p)
    p.add_argument("-o", "--output", type=Path, required=True, help="the .wbchart to write")
    p.set_defaults(run=_later("run_expand"))

    p = verbs.add_parser("links", help="Show Each Link: put the store links that connections "
                         "of a chart stand for in their place")
    p.add_argument("store", type=store_location, help=STORE_HELP)
    p.add_argument("chart", type=Path, help="a chart drawn from this store")
    p.add_argument("--link", nargs="+", required=True, action="extend",
                   help="chart ids of connections (links labelled with their count)")
    p.add_argument("--limit", type=int, default=5000,
                   help="most store links drawn one by one per connection (default 5000)")
    p.add_argument("-o", "--output", type=Path, required=True, help="the .wbchart to write")
    p.set_defaults(run=_later("run_links"))

    p = verbs.add_parser("path", help="the shortest chain of links between two entities")
    p.add_argument("store", type=store_location, help=STORE_HELP)
    p.add_argument("a", help="store id or text")
    p.add_argument("b", help="store id or text")
    p.add_argument("--max-hops", type=int, default=6)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_later("run_path"))

    p = verbs.add_parser(
        "resolve", help="find entities that may be one across every source; keep decisions",
        description="Find Duplicates across the store: candidate pairs with a match "
        "probability and the evidence, printed or written with -o. Decisions (--accept, "
        "--reject, --decisions, --merge-above) are kept in the store: every chart drawn later "
        "shows an accepted pair as one merged entity and never offers a rejected pair again.")
    p.add_argument("store", type=store_location, help=STORE_HELP)
    p.add_argument("--type", dest="types", action="append", default=[], metavar="TYPE",
                   help="an entity type to look in (repeat; default: people and organisations)")
    p.add_argument("--threshold", type=probability, default=DEFAULT_THRESHOLD, metavar="T",
                   help="lowest match probability kept, 0 to 1 "
                   f"(default {DEFAULT_THRESHOLD})")
    p.add_argument("-o", "--output", type=Path, metavar="PAIRS.csv",
                   help="write the pairs to this CSV (with an empty 'decision' column to fill "
                   "and give back with --decisions)")
    p.add_argument("--merge-above", type=probability, metavar="P",
                   help="accept in the store every pair at or above this probability")
    p.add_argument("--accept", nargs=2, action="append", default=[], metavar=("A", "B"),
                   help="accept a pair: store ids (or text: the best search hit); repeat")
    p.add_argument("--reject", nargs=2, action="append", default=[], metavar=("A", "B"),
                   help="reject a pair: they are not one and are not offered again; repeat")
    p.add_argument("--decisions", type=Path, metavar="PAIRS.csv",
                   help="record the rows of a pairs CSV whose 'decision' column says accept "
                   "or reject")
    p.set_defaults(run=_later("run_resolve"))

    p = verbs.add_parser("transfer", help="copy sources from one store into another (a "
                         ".wbstore and a shared store, either way)",
                         description="Copy sources with their records, provenance, grading, "
                         "entities (merged by identity) and links from SRC into DST, in one "
                         "transaction. A shared store's sources keep their handling, also "
                         "through a .wbstore and back.")
    p.add_argument("src", type=store_location, help="the store to copy from (" + STORE_HELP
                   + ")")
    p.add_argument("dst", type=store_location, help="the store to copy into (a .wbstore is "
                   "made if missing)")
    p.add_argument("--source", action="append", default=[], metavar="NAME",
                   help="only this source (its name or id; repeat for several; default all)")
    p.add_argument("--handling", metavar="owner|shared:ORG,ORG|all",
                   help="into a shared store: who may see the copies (default: the handling "
                   "each source had, else owner)")
    p.add_argument("--again", action="store_true",
                   help="copy a source even if DST holds its file already")
    p.set_defaults(run=_later("run_transfer"))

    p = verbs.add_parser("audit", help="a shared store's audit log: who did what, when, "
                         "from where")
    p.add_argument("store", help="postgresql://USER@SERVER/DB")
    p.add_argument("--since", help="only from this date (or date and time) on")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_later("run_audit", "store_admin"))
    _admin(verbs)


def _admin(verbs: argparse._SubParsersAction) -> None:
    parser = verbs.add_parser(
        "admin", help="a shared store: make it, its organisations, analysts and sharing",
        description="Administer a shared store on PostgreSQL, connected as a superuser "
        "(such as postgres). See README, 'Shared store (PostgreSQL)'.")
    parser.add_argument("store", help="postgresql://SUPERUSER@SERVER/DB")
    admin = parser.add_subparsers(dest="admin_verb", metavar="VERB", required=True)
    p = admin.add_parser("init", help="make the store's schema, roles and policies in the "
                         "database, and its first organisation")
    p.add_argument("--org", required=True, help="the first organisation's name")
    p = admin.add_parser("add-org", help="add an organisation")
    p.add_argument("name")
    p = admin.add_parser("add-analyst", help="make a login role an analyst of an organisation",
                         description="The password is read from WORKBENCH_ANALYST_PASSWORD "
                         "or asked for, never given on the command line.")
    p.add_argument("role", help="the analyst's PostgreSQL login name")
    p.add_argument("--org", required=True, help="the organisation the analyst belongs to")
    p = admin.add_parser("share", help="let one organisation's sources handled "
                         "shared:PARTNER be seen by a partner organisation")
    p.add_argument("owner")
    p.add_argument("partner")
    p.add_argument("--stop", action="store_true", help="end the agreement instead")
    admin.add_parser("upgrade", help="bring a store made by an earlier Workbench to this "
                     "one's format (all steps in one transaction)")
    p = admin.add_parser("list", help="organisations, analysts and sharing agreements")
    p.add_argument("--json", action="store_true")
    parser.set_defaults(run=_later("run_admin", "store_admin"))


def store_location(text: str) -> str | Path:
    """A store argument: a shared store's URL stays text (a Path would fold its '//'),
    anything else is a file path."""
    return text if text.startswith(("postgresql://", "postgres://")) else Path(text)


def _neighbourhood_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--hops", type=int, default=1, help="links away from the seeds (default 1)")
    p.add_argument("--max-entities", type=int, default=500,
                   help="cap on entities drawn (default 500; the closest are kept)")
    p.add_argument("--types", nargs="+", default=[], help="only these entity types")
    p.add_argument("--link-types", nargs="+", default=[], help="only these link types")
    p.add_argument("--from", dest="start", help="only links dated from (undated links pass)")
    p.add_argument("--to", dest="end", help="only links dated up to (undated links pass)")


def _later(name: str, module: str = "store_run") -> Callable[[argparse.Namespace], int]:
    """The verb's work from store_run (or store_admin), imported when it runs."""
    def run(args: argparse.Namespace) -> int:
        return getattr(importlib.import_module(f"workbench.commands.{module}"), name)(args)

    return run
