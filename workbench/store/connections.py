"""Show Each Link: a chart's connection (one line standing for many store links between two
entities) replaced by those links, each with its own date, label, attributes and sources.

A connection is known by what it shows: the store ends of its first link (kept in the
chart's record), its link type and direction, and its first and last date (store/charting.py
draws it so). Those
find its links again in the store, so a chart never lists the ids of the millions of links
its connections may stand for. More than ``EACH_LINK_LIMIT`` of them are not drawn one by
one: the analyst is told how many, and narrows the dates instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from workbench.analysis.fields import Field, Target, value_kind
from workbench.model import Chart, Kind, Link, SourceRecord
from workbench.store.charting import PROVENANCE_CAP, recorded_links, source_files, store_setting
from workbench.store.interface import (
    EACH_LINK_LIMIT,
    ConnectionKey,
    Expansion,
    ItemRows,
    StoreError,
)
from workbench.store.link_items import END, LINKS, make_links


def is_connection(chart: Chart, link_id: str) -> bool:
    """Whether the chart link ``link_id`` stands for several store links (Show Each Link
    applies to it)."""
    return link_id in chart.links and link_id in store_setting(chart).get("connections", {})


def store_links(chart: Chart, links: Iterable[Link]) -> int:
    """How many store links ``links`` stand for: a connection its count, any other link one
    (a report's reader is told 98 lines stand for 454 calls, not that there were 98)."""
    connections = store_setting(chart).get("connections", {})
    return sum(_standing(link, connections) for link in links)


def stands_for(chart: Chart, *fields: Field) -> dict[str, int] | None:
    """For a chart drawn from a store whose lines stand for several store links, how many
    each link stands for (a connection "37 Calls" 37, any other link 1), when counting links
    by ``fields``: what histograms, heat matrices and reports count, since which handsets
    call most is a count of calls, not of the pairs that called. None for another chart, for
    fields of entities, and by date (a line is dated by its first call, which would take
    all of them)."""
    connections = store_setting(chart).get("connections")
    if not connections or any(f.target is not Target.LINKS or value_kind(chart, f) == "date"
                               for f in fields):
        return None
    counts = {link.id: _standing(link, connections) for link in chart.links.values()}
    return counts if any(count > 1 for count in counts.values()) else None


def _standing(link: Link, connections: dict[str, Any]) -> int:
    """The store links one chart link stands for: a connection's count, else one."""
    count = link.attributes.get(LINKS) if link.id in connections else None
    return int(count.value) if count is not None and count.kind is Kind.NUMBER else 1


def _naive(moment: Any) -> datetime | None:
    """A date as the store compares it: UTC without an offset."""
    if not isinstance(moment, datetime):
        return None
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def connection_key(store: ItemRows, chart: Chart, link_id: str
                   ) -> tuple[ConnectionKey, dict[int, str]]:
    """The store links a chart's connection stands for, and which chart entity each of its
    two store ends is; StoreError when it is none (drawn from another store, not a
    connection, its first link gone from the store).

    The ends are its first store link's, not the chart's: once two entities are merged
    (on the chart, or by a decision accepted in the store) a connection of the absorbed one
    ends at the survivor, whose store id would find the survivor's own links instead."""
    setting = store_setting(chart)
    if setting.get("file") != store.location:
        raise StoreError(f"this chart was not drawn from {store.location}")
    if not is_connection(chart, link_id):
        raise StoreError(f"link {link_id} is not a connection drawn from the store: it is "
                         "one link already")
    link = chart.links[link_id]
    first_link = store.links_by_id([int(setting["connections"][link_id])], 1, grouped=False)
    if not first_link[0]:
        raise StoreError(f"{link.label}: the store holds none of its links any more")
    end1, end2 = first_link[1][0], first_link[2][0]
    until = link.attributes.get(END)
    first = _naive(link.date)
    last = _naive(until.value) if until is not None and until.kind is Kind.DATETIME else first
    key = ConnectionKey(end1, end2, link.type, link.direction.value, first, last)
    return key, _chart_ends(setting, link, end1, end2)


def _chart_ends(setting: dict[str, Any], link: Link, end1: int, end2: int) -> dict[int, str]:
    """The chart entity each store end stands as: the connection's ends in their order,
    swapped when a store end was drawn as the other one (a link without a direction may
    be stored either way round; an end merged into another is drawn as neither)."""
    drawn = {int(sid): cid for cid, sid in setting.get("entities", {}).items()}
    if drawn.get(end1) == link.end2 or drawn.get(end2) == link.end1:
        return {end1: link.end2, end2: link.end1}
    return {end1: link.end1, end2: link.end2}


def first_records(store: ItemRows, chart: Chart, link_id: str, limit: int
                  ) -> list[SourceRecord]:
    """The first ``limit`` source records of the store links the connection ``link_id``
    stands for, in the order they came in (a connection carries only the first of them:
    around a hub, three each were a sixth of an expansion's time)."""
    key, _ = connection_key(store, chart, link_id)
    sources = source_files(store)
    return [SourceRecord(name, sources[source][0], sheet, row, sources[source][1], rel, cred)
            for source, name, sheet, row, rel, cred in store.connection_records(key, limit)]


def each_link(store: ItemRows, chart: Chart, link_id: str, limit: int = EACH_LINK_LIMIT
              ) -> Expansion:
    """The store links the connection ``link_id`` stands for, each a model link of its own
    (its first PROVENANCE_CAP records), to take its place: ``replaced`` names it. The chart
    is not changed (charting.add_expansion does that; the window as one undo step)."""
    key, entity_ids = connection_key(store, chart, link_id)
    link: Link = chart.links[link_id]
    count, columns = store.connection_links(key, PROVENANCE_CAP, limit)
    if count > limit:
        raise StoreError(f"{link.label}: {count:,} store links, more than the {limit:,} that "
                         "Show Each Link draws one by one; expand its ends with a narrower "
                         "date range instead")
    if not count:
        raise StoreError(f"{link.label}: the store holds none of its links any more (its "
                         "type, direction or dates were changed on the chart, or the store "
                         "was)")
    link_ids, _ = recorded_links(store_setting(chart), chart)
    link_ids = {sid: cid for sid, cid in link_ids.items() if cid != link_id}
    known = dict(link_ids)  # those on the chart already (from "New in the store") stay
    links = make_links(store.location, columns, source_files(store), entity_ids, known, chart,
                       set())
    new = {cid: sid for sid, cid in known.items() if sid not in link_ids}
    return Expansion([], links, {}, new, replaced=[link_id])
