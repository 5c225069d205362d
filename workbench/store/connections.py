"""Show Each Link: a chart's connection (one line standing for many store links between two
entities) replaced by those links, each with its own date, label, attributes and sources.

A connection is known by what it shows: its ends (store ids through the chart's record), its
link type and direction, and its first and last date (store/charting.py draws it so). Those
find its links again in the store, so a chart never lists the ids of the millions of links
its connections may stand for. More than ``EACH_LINK_LIMIT`` of them are not drawn one by
one: the analyst is told how many, and narrows the dates instead.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from workbench.model import Chart, Kind, Link
from workbench.store.charting import PROVENANCE_CAP, recorded_links, source_files, store_setting
from workbench.store.interface import ConnectionKey, Expansion, ItemRows, StoreError
from workbench.store.link_items import END, make_links

EACH_LINK_LIMIT = 5000


def is_connection(chart: Chart, link_id: str) -> bool:
    """Whether the chart link ``link_id`` stands for several store links (Show Each Link
    applies to it)."""
    return link_id in chart.links and link_id in store_setting(chart).get("connections", {})


def _naive(moment: Any) -> datetime | None:
    """A date as the store compares it: UTC without an offset."""
    if not isinstance(moment, datetime):
        return None
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def connection_key(chart: Chart, link_id: str, location: str) -> ConnectionKey:
    """The store links a chart's connection stands for; StoreError when it is none (drawn
    from another store, not a connection, an end that is not a store entity)."""
    setting = store_setting(chart)
    if setting.get("file") != location:
        raise StoreError(f"this chart was not drawn from {location}")
    if not is_connection(chart, link_id):
        raise StoreError(f"link {link_id} is not a connection drawn from the store: it is "
                         "one link already")
    link = chart.links[link_id]
    ends = {cid: int(sid) for cid, sid in setting.get("entities", {}).items()}
    if link.end1 not in ends or link.end2 not in ends:
        raise StoreError(f"link {link_id}: an end of it is not a store entity any more "
                         "(merged, or added by hand)")
    until = link.attributes.get(END)
    first = _naive(link.date)
    last = _naive(until.value) if until is not None and until.kind is Kind.DATETIME else first
    return ConnectionKey(ends[link.end1], ends[link.end2], link.type, link.direction.value,
                         first, last)


def each_link(store: ItemRows, chart: Chart, link_id: str, limit: int = EACH_LINK_LIMIT
              ) -> Expansion:
    """The store links the connection ``link_id`` stands for, each a model link of its own
    (its first PROVENANCE_CAP records), to take its place: ``replaced`` names it. The chart
    is not changed (charting.add_expansion does that; the window as one undo step)."""
    key = connection_key(chart, link_id, store.location)
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
    entity_ids = {key.end1: link.end1, key.end2: link.end2}
    known = dict(link_ids)  # those on the chart already (from "New in the store") stay
    links = make_links(store.location, columns, source_files(store), entity_ids, known, chart,
                       set())
    new = {cid: sid for sid, cid in known.items() if sid not in link_ids}
    return Expansion([], links, {}, new, replaced=[link_id])
