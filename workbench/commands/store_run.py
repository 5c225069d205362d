"""What ``workbench store VERB`` does, loaded only when a store command runs (DuckDB, pandas
and the importer stay out of ``workbench --help``)."""

from __future__ import annotations

import argparse
import getpass
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import orjson

from workbench.io import ChartFileError, load_chart, save_chart
from workbench.io.importspec import SpecError, load_spec
from workbench.model import Chart, ParseError
from workbench.model.kinds import parse_datetime
from workbench.store import Filters, PasswordNeeded, Store, StoreError, open_store
from workbench.store.address import is_url, public
from workbench.store.charting import add_expansion, store_setting
from workbench.store.decisions import apply_decisions
from workbench.store.interface import ACCEPTED, REJECTED, Decision
from workbench.store.link_items import LINKS

PAIRS_PRINTED = 20  # without -o, the best pairs are printed


def _fail(verb: str, message: str) -> int:
    print(f"workbench store {verb}: {message}", file=sys.stderr)
    return 2


def _json(data: Any) -> None:
    sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")


def _filters(args: argparse.Namespace) -> Filters:
    dates = []
    for flag, text in (("--from", args.start), ("--to", args.end)):
        try:
            dates.append(parse_datetime(text) if text else None)
        except ParseError as exc:
            raise StoreError(f"{flag}: {exc}") from None
    return Filters(tuple(args.types), tuple(args.link_types), dates[0], dates[1])


def _seed(store: Store, text: str, json_out: bool = False) -> int:
    """A seed resolved, saying which entity it became (a number is a store id when there is
    such an entity, else searched for like any text); on stderr when stdout is JSON."""
    entity = store.resolve_seed(text)
    row = store.entity(entity)
    if row is not None:
        print(f"{text!r}: {row.label} ({row.type}, id {row.id}, {row.links:,} links)",
              file=sys.stderr if json_out else sys.stdout)
    return entity


def _open(location: str | Path, *, create: bool = False, read_only: bool = False,
          application: str = "workbench store") -> Store:
    """Open a store. A shared store whose server wants a password that PGPASSWORD and
    PGPASSFILE did not give asks for it at the terminal (it is never written anywhere)."""
    options = {"create": create, "read_only": read_only, "application": application}
    try:
        return open_store(location, **options)
    except PasswordNeeded:
        if not sys.stdin.isatty():
            raise
        password = getpass.getpass(f"Password for {public(str(location))}: ")
        return open_store(location, password=password, **options)


# ----- verbs -------------------------------------------------------------------------------------
def run_import(args: argparse.Namespace) -> int:
    from workbench.geo.places import place_namer

    try:
        spec = load_spec(args.spec)
        spec_text = args.spec.read_text(encoding="utf-8-sig")
    except SpecError as exc:
        return _fail("import", str(exc))
    shared = is_url(args.store)
    created = not shared and not args.store.exists()
    try:
        if shared:
            from workbench.store.pg import parse_handling

            options: dict[str, Any] = {"handling": parse_handling(args.handling)}
        elif args.handling != "owner":
            return _fail("import", "--handling is for a shared store (postgresql://...)")
        else:
            options = {}
        with _open(args.store, create=created, application="workbench store import") as store:
            result = store.import_files(spec, spec_text, args.data, source_name=args.source,
                                        again=args.again, places=place_namer(), **options)
            where = store.path  # a shared store's URL without its password
    except (StoreError, SpecError) as exc:
        if created:
            args.store.unlink(missing_ok=True)  # nothing was imported: no new empty store
        return _fail("import", str(exc))
    report = result.report
    print(report.summary().replace("already in the chart", "already in the store"))
    if args.report:
        try:
            report.write_csv(args.report)
        except OSError as exc:
            return _fail("import", f"cannot write the report {args.report}: "
                         f"{exc.strerror or exc}")
        print(f"Report written to {args.report}")
    print(f"Store {where}: {result.entities_after:,} entities "
          f"({result.entities_after - result.entities_before:,} new), "
          f"{result.links_added:,} links added")
    return 0 if report.rows_imported else 1


def run_info(args: argparse.Namespace) -> int:
    try:
        with _open(args.store, read_only=True) as store:
            info = store.info()
    except StoreError as exc:
        return _fail("info", str(exc))
    if args.json:
        data = asdict(info)
        for s in data["sources"]:
            s["imported_at"] = s["imported_at"].isoformat()
        _json(data)
        return 0
    lines = [f"Store:          {info.path}", f"Engine:         {info.engine}",
             f"Format version: {info.format_version}",
             f"Size:           {info.size_bytes / 1e6:,.1f} MB",
             f"Entities:       {info.entities:,}", f"Links:          {info.links:,}",
             f"Source records: {info.records:,}", ""]
    for title, counts in (("Entity types", info.entity_types), ("Link types", info.link_types)):
        width = max((len(k) for k in counts), default=0)
        lines.append(f"{title}:" if counts else f"{title}: none")
        lines += [f"  {k:<{width}}  {v:>10,}" for k, v in counts.items()]
    lines.append("Sources:" if info.sources else "Sources: none")
    for s in info.sources:
        lines.append(f"  {s.id}. {s.name} ({s.file}): {s.rows_read:,} rows read, "
                     f"{s.rows_imported:,} imported, {s.imported_at:%Y-%m-%d %H:%M}")
    print("\n".join(lines))
    return 0


def run_search(args: argparse.Namespace) -> int:
    try:
        with _open(args.store, read_only=True) as store:
            hits = store.search(args.text, types=args.type, limit=args.limit)
    except StoreError as exc:
        return _fail("search", str(exc))
    if args.json:
        _json([asdict(h) for h in hits])
        return 0
    if not hits:
        print(f"No entity matches {args.text!r}")
        return 1
    for h in hits:
        print(f"{h.id:>10}  {h.type:<12} {h.label}  ({_count(h.links, 'link')}, "
              f"{_count(h.sources, 'source')}; {h.matched}, score {h.score:.2f})")
    return 0


def run_chart(args: argparse.Namespace) -> int:
    try:
        filters = _filters(args)
        with _open(args.store, read_only=True) as store:
            seeds = [_seed(store, s) for s in args.seed]
            chart = store.chart(seeds, hops=args.hops, max_entities=args.max_entities,
                                filters=filters, title=args.title)
        save_chart(chart, args.output)
    except (StoreError, ChartFileError) as exc:
        return _fail("chart", str(exc))
    print(f"Wrote {args.output}: {_drawn(chart)}"
          f"{_left(store_setting(chart).get('left_out', 0), args.hops, args.max_entities)}")
    return 0


def _drawn(chart: Chart) -> str:
    """'500 entities, 72,666 links (196,260 in the store)': a link of the chart may stand
    for several of the store's (a connection)."""
    several = store_setting(chart).get("connections", {})
    held = sum(int(lk.attributes[LINKS].value) if lk.id in several and LINKS in lk.attributes
               else 1 for lk in chart.links.values())
    return f"{len(chart.entities):,} entities, {len(chart.links):,} links" + (
        f" ({held:,} in the store)" if held != len(chart.links) else "")


def _left(left_out: int | None, hops: int, cap: int) -> str:
    if left_out is None:
        return f"; the cap of {cap:,} was reached before {hops} hops (what it left out is " \
            "not counted: the window's Expand from Store counts it)"
    return f"; {left_out:,} more within {hops} hops left out by the cap of {cap:,}" \
        if left_out else ""


def run_expand(args: argparse.Namespace) -> int:
    try:
        filters = _filters(args)
        chart = load_chart(args.chart)
        with _open(args.store, read_only=True) as store:
            drawn_from = store_setting(chart).get("file")
            if drawn_from and drawn_from != store.location:
                print(f"workbench store expand: note: {args.chart} was drawn from "
                      f"{drawn_from}", file=sys.stderr)
            entity = _seed(store, args.entity)
            found = store.expand(chart, entity, hops=args.hops, max_entities=args.max_entities,
                                 filters=filters)
            add_expansion(chart, store, found)
            apply_decisions(chart, found.decisions)
        save_chart(chart, args.output)
    except (StoreError, ChartFileError) as exc:
        return _fail("expand", str(exc))
    print(f"Added {len(found.entities):,} entities and {len(found.links):,} links"
          f"{_left(found.left_out, args.hops, args.max_entities)}; wrote {args.output}: "
          f"{_drawn(chart)}")
    return 0


def run_links(args: argparse.Namespace) -> int:
    """Show Each Link on the chart's connections ``args.link``, written to -o."""
    try:
        chart = load_chart(args.chart)
        shown = 0
        with _open(args.store, read_only=True) as store:
            for link in dict.fromkeys(args.link):
                if link not in chart.links:
                    raise StoreError(f"{args.chart} has no link {link!r}")
                found = store.each_link(chart, link, limit=args.limit)
                add_expansion(chart, store, found)
                shown += len(found.links)
        save_chart(chart, args.output)
    except (StoreError, ChartFileError) as exc:
        return _fail("links", str(exc))
    print(f"Put {_count(shown, 'store link')} in place of "
          f"{_count(len(set(args.link)), 'connection')}; wrote {args.output}: {_drawn(chart)}")
    return 0


def run_path(args: argparse.Namespace) -> int:
    try:
        with _open(args.store, read_only=True) as store:
            a, b = _seed(store, args.a, args.json), _seed(store, args.b, args.json)
            steps = store.shortest_path(a, b, max_hops=args.max_hops)
    except StoreError as exc:
        return _fail("path", str(exc))
    if args.json:
        _json([asdict(s) for s in steps])
        return 0 if steps else 1
    if not steps:
        print(f"No path within {args.max_hops} links")
        return 1
    print(f"{len(steps) - 1} link(s):")
    for s in steps:
        via = f"  via {s.link_type}: " if s.link is not None else "  "
        print(f"{via}{s.label} ({s.type}, id {s.entity})")
    return 0


def _by_hand(store: Store, args: argparse.Namespace) -> list[Decision]:
    """The decisions given on the command line and in a pairs file."""
    from workbench.resolve.decisions import current_user, now
    from workbench.resolve.pairs_file import read_decisions

    out = [Decision(_seed(store, a), _seed(store, b), answer, current_user(), now())
           for answer, given in ((ACCEPTED, args.accept), (REJECTED, args.reject))
           for a, b in given]
    if args.decisions:
        out += read_decisions(args.decisions)
    return out


def run_resolve(args: argparse.Namespace) -> int:
    from workbench.geo.places import place_namer
    from workbench.resolve.pairs_file import PairsFileError, write_pairs_file
    from workbench.resolve.store_resolve import default_types, find_store_pairs, merge_above

    deciding = bool(args.accept or args.reject or args.decisions)
    finding = args.output is not None or args.merge_above is not None or not deciding
    if args.output is not None and args.output.suffix.lower() != ".csv":
        return _fail("resolve", f"{args.output}: the pairs are written as a CSV, ending in .csv")
    writing = deciding or args.merge_above is not None
    try:
        with _open(args.store, read_only=not writing,
                   application="workbench store resolve") as store:
            where = store.path  # a shared store's URL without its password
            if deciding:
                given = _by_hand(store, args)
                print(f"Recorded {store.record_decisions(given):,} decision(s) in "
                      f"{where}")
            if not finding:
                return 0
            known = store.info().entity_types
            types = args.types or default_types(store)
            unknown = [t for t in types if t not in known]
            if unknown or not types:
                return _fail("resolve", f"{where}: no entity of type {unknown[0]!r}"
                             if unknown else f"{where}: no people or organisations to "
                             "match; name the types with --type")
            pairs = find_store_pairs(store, types, args.threshold, place_namer=place_namer())
            if args.merge_above is not None:
                left = merge_above(store, pairs, args.merge_above)
                print(f"Accepted {len(pairs) - len(left):,} pair(s) with probability at least "
                      f"{args.merge_above:g}; every chart drawn from {where} now shows "
                      "each as one entity")
                pairs = left
    except (StoreError, PairsFileError) as exc:
        return _fail("resolve", str(exc))
    if args.output is not None:
        try:
            write_pairs_file(pairs, args.output)
        except OSError as exc:
            return _fail("resolve", f"cannot write {args.output}: {exc.strerror or exc}")
        print(f"{len(pairs):,} candidate pairs at or above {args.threshold:g} -> "
              f"{args.output}")
        return 0
    print(f"{len(pairs):,} candidate pairs at or above {args.threshold:g}"
          + (f" (the best {PAIRS_PRINTED} below; -o PAIRS.csv for all)"
             if len(pairs) > PAIRS_PRINTED else ""))
    for pair in pairs[:PAIRS_PRINTED]:
        agreed = ", ".join(f"{name}: {detail}" for name, (verdict, detail)
                           in pair.candidate.evidence.items() if verdict == "agree")
        print(f"{pair.candidate.probability:6.1%}  {pair.a} {pair.label_a}  ~  {pair.b} "
              f"{pair.label_b}  ({pair.type}; {agreed or 'nothing agrees'})")
    return 0


def run_transfer(args: argparse.Namespace) -> int:
    from workbench.store.transfer import reader_of, transfer, writer_of

    created = not is_url(args.dst) and not args.dst.exists()
    try:
        if args.handling is not None:
            from workbench.store.pg import parse_handling

            parse_handling(args.handling)  # a typo refused before anything is opened
        with _open(args.src, read_only=True) as src, \
                _open(args.dst, create=created, application="workbench store transfer") as dst:
            if src.location == dst.location:
                raise StoreError(f"{src.location}: the same store twice")
            done = transfer(reader_of(src), writer_of(dst), names=args.source,
                            handling=args.handling, again=args.again, where=dst.path)
            where = dst.path
    except StoreError as exc:
        if created:
            args.dst.unlink(missing_ok=True)  # nothing was copied: no new empty store
        return _fail("transfer", str(exc))
    for s in done.sources:
        print(f"Copied {s.info.name} ({s.info.file}, {s.info.rows_imported:,} rows)")
    if done.decisions or done.decisions_left:
        left = (f" ({done.decisions_left:,} left behind: the copied sources do not name both "
                f"of {'its' if done.decisions_left == 1 else 'their'} entities)"
                if done.decisions_left else "")
        print(f"Copied {_count(done.decisions, 'decision')} on duplicates{left}")
    print(f"Store {where}: {_count(len(done.sources), 'source')} added")
    return 0


def _count(n: int, word: str) -> str:
    """'1 link', '441 links'."""
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"
