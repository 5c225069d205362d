"""Model links made from a store's link rows a column at a time.

A hub's chart holds 200,000 links, and a loop that unpacked a row, tested it and made its
link and record one by one spent three microseconds on each: most of drawing the chart. Here
each step runs over whole columns in C (``map`` of a class, a dict's lookup, a list's
slices) and Python is left only the making of each object. What comes out is what the row
by row loop made: each link its own object with its store id's chart id, its ends, kind and
date, a dict of attributes of its own and its first source records, in the store's order.
The model objects are made directly (the chart file reader's checks are for files from
anywhere; these rows were checked when they were imported), and a record's grades are
checked as it is made.

A chart drawn from the store holds one link per *connection* (two entities, a link type, a
direction; as i2's "single" link multiplicity): the engine groups the links in SQL and hands
over one row per connection (a row again for each more source record), its first link's
columns, then how many links it stands for, their last date and how many source records
they hold. A connection of one link is that link, exactly as the store holds it; one of many
is made by :func:`_connections` (its count, its span of dates, its first record).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import repeat
from operator import attrgetter, itemgetter
from typing import Any

import numpy as np
import orjson

from workbench.io.chartjson import link_in
from workbench.model import Chart, Kind, Link, SourceRecord, Value
from workbench.model.items import DEFAULT_STYLE, Direction, Strength
from workbench.model.provenance import records_of
from workbench.store.interface import StoreError

# the columns of ItemRows.link_rows: the link's (of a connection: its first link's, with its
# first date), one source record's, then the connection's links, last date and records
Columns = Sequence[Sequence[Any]]
WIDTH = 18
LINKS, END, RECORDS = "links", "end", "records"  # a connection's attributes
_DIRECTIONS = {d.value: d for d in Direction}
_STRENGTHS = {s.value: s for s in Strength}
Sources = dict[int, tuple[str, datetime]]  # source id -> (its file, when it came in, UTC)


def columns_of(rows: Sequence[tuple]) -> list[list[Any]]:
    """Rows as columns (an engine that reads rows hands them over so)."""
    return [list(column) for column in zip(*rows, strict=True)] if rows else \
        [[] for _ in range(WIDTH)]


def keep_rows(columns: Columns, keep: Sequence[int]) -> list[list[Any]]:
    """The rows ``keep`` (indexes, in order) of every column."""
    if len(keep) == 1:
        return [[column[keep[0]]] for column in columns]
    pick = itemgetter(*keep) if keep else lambda column: ()
    return [list(pick(column)) for column in columns]


def end_places(links: Sequence[Link], place: dict[str, int], missing: int
               ) -> tuple[np.ndarray, np.ndarray]:
    """Each link's two ends as their places in ``place`` (by chart entity id), ``missing``
    for an end not in it: a hub's 75,000 connections at numpy's speed, for the layout's
    edges and an expansion's placement."""
    def places(end: str) -> np.ndarray:
        return np.fromiter(map(place.get, map(attrgetter(end), links), repeat(missing)),
                           np.int64, len(links))

    return places("end1"), places("end2")


def make_links(location: str, columns: Columns, sources: Sources,
               entity_ids: dict[int, str], link_ids: dict[int, str], chart: Chart,
               taken: set[str], connections: set[str] | None = None) -> list[Link]:
    """Model links of the rows ``columns`` (a connection's row again for each more source
    record) between entities in ``entity_ids``, except those already in ``link_ids`` (by
    store id: a connection's is its first link's); the chart ids of the new ones are added
    to ``link_ids``, and those standing for more than one store link to ``connections``.
    ``taken``: ids of entities about to join the chart (a link id must differ from them
    too)."""
    ids = columns[0]
    if link_ids and not link_ids.keys().isdisjoint(ids):  # some are on the chart already
        columns = keep_rows(columns, [k for k, sid in enumerate(ids) if sid not in link_ids])
        ids = columns[0]
    if not ids:
        return []
    (_, end1, end2, type_, label, direction, strength, date, attrs,
     source, name, sheet, row, rel, cred, count, last, records) = columns
    numbers = np.asarray(ids, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, numbers[1:] != numbers[:-1]]).tolist()
    firsts = starts if len(starts) == len(ids) else None  # every link on one row

    def per_link(column: Sequence[Any]) -> list[Any]:
        return list(column) if firsts is not None else list(map(column.__getitem__, starts))

    sids = per_link(ids)
    cids = _chart_ids(sids, chart, taken)
    hows = _kinds(location, sids, per_link(direction), per_link(strength))
    types, labels, texts, dates = per_link(type_), per_link(label), per_link(attrs), \
        per_link(date)
    counts = per_link(count)
    several = [k for k, n in enumerate(counts) if n > 1]
    for k in several:  # a connection's attributes are its own: its links' are not read
        texts[k] = None
    attributes = _attributes(texts)
    if several:
        _connections(several, counts, per_link(last), per_link(records), types, labels,
                     dates, attributes)
        if connections is not None:
            connections.update(map(cids.__getitem__, several))
    links = list(map(Link, cids, map(entity_ids.__getitem__, per_link(end1)),
                     map(entity_ids.__getitem__, per_link(end2)), types, labels, hows[0],
                     hows[1], attributes, dates, repeat(DEFAULT_STYLE), _provenance(
                         starts, source, name, sheet, row, rel, cred, sources)))
    link_ids.update(zip(sids, cids, strict=True))
    return links


def _connections(several: list[int], counts: list[int], lasts: list[datetime | None],
                 records: list[int], types: list[str], labels: list[str],
                 dates: list[datetime | None], attributes: list[dict[str, Value]]) -> None:
    """The links ``several`` stand for ``counts`` store links each: labelled with the
    count ("37 Calls"), dated from the first to the last (their ``end`` attribute, which
    the timeline draws as a span), with the count of links and of their source records as
    attributes (their provenance holds the first). The values are shared: they are
    immutable, and a hub's chart has 28,000 such links with a few hundred distinct counts
    (and labels: each made once, the rest looked up a column at a time)."""
    ns = list(map(counts.__getitem__, several))
    held = list(map(records.__getitem__, several))
    kinds = list(map(types.__getitem__, several))
    numbers = {n: Value(Kind.NUMBER, n) for n in {*ns, *held}}
    named = {pair: f"{pair[0]:,} {pair[1]}" for pair in set(zip(ns, kinds, strict=True))}
    for k, label, n, r, first, last in zip(
            several, map(named.__getitem__, zip(ns, kinds, strict=True)), ns, held,
            map(dates.__getitem__, several), map(lasts.__getitem__, several), strict=True):
        labels[k] = label
        attributes[k] = {LINKS: numbers[n], RECORDS: numbers[r]} if last is None or \
            first is None or last == first else \
            {LINKS: numbers[n], RECORDS: numbers[r], END: Value(Kind.DATETIME, last)}


def _chart_ids(sids: list[int], chart: Chart, taken: set[str]) -> list[str]:
    """``l`` and the store id, unless the chart or ``taken`` holds that id already: then
    a new one from the chart, in link order."""
    cids = list(map("l{}".format, sids))
    on_chart, chart_links = chart.entities, chart.links
    if any(not held.isdisjoint(cids) for held in (on_chart.keys(), chart_links.keys(), taken)):
        cids = [chart.new_id("l") if cid in on_chart or cid in chart_links or cid in taken
                else cid for cid in cids]
    return cids


def _kinds(location: str, sids: list[int], directions: list[str], strengths: list[str]
           ) -> tuple[list[Direction], list[Strength]]:
    """Each link's direction and strength from their names (a store holds only those the
    model knows; any other is damage)."""
    hows = list(map(_DIRECTIONS.get, directions))
    sures = list(map(_STRENGTHS.get, strengths))
    if None in hows or None in sures:
        k = next(k for k, (a, b) in enumerate(zip(hows, sures, strict=True))
                 if a is None or b is None)
        raise StoreError(f"{location}: link {sids[k]} has direction {directions[k]!r} and "
                         f"strength {strengths[k]!r}; the store is damaged")
    return hows, sures


def _attributes(texts: list[str | None]) -> list[dict[str, Any]]:
    """Each link's attributes, a dict of its own; each distinct text (calls share their
    lengths) read once by the chart file's reader."""
    read: dict[str | None, dict[str, Any]] = {None: {}, "": {}}
    for text in set(texts).difference(read):
        read[text] = link_in({"id": "", "end1": "", "end2": "", "type": "",
                              "attributes": orjson.loads(text)}).attributes
    return list(map(dict, map(read.__getitem__, texts)))


def _provenance(starts: list[int], source: Sequence[int | None], name: Sequence[str],
                sheet: Sequence[str], row: Sequence[int | None], rel: Sequence[str],
                cred: Sequence[str], sources: Sources) -> list[list[SourceRecord]]:
    """Each link's source records: those of its rows (a link with none has one row whose
    record is all None)."""
    about: dict[int | None, tuple[Any, Any]] = {**sources, None: (None, None)}
    files = list(map(itemgetter(0), map(about.__getitem__, source)))
    whens = list(map(itemgetter(1), map(about.__getitem__, source)))
    records = records_of(list(name), files, list(sheet), list(row), whens, list(rel),
                         list(cred), [""] * len(files))
    if len(starts) == len(records):
        lists = list(map(list, zip(records, strict=True)))
    else:
        lists = list(map(records.__getitem__, map(slice, starts, [*starts[1:],
                                                                   len(records)])))
    if None in source:
        for k, first in enumerate(starts):
            if source[first] is None:
                lists[k] = []
    return lists
