"""Charts drawn from a store: store rows into model entities and links, laid out to be read.

Rows are turned into items through the chart file's own readers (chartjson.entity_in and
link_in), so an item drawn from a store is exactly what a chart file could hold. The chart
remembers its store in ``settings.store`` (documented in docs/chart-format.md and
docs/store.md): the store file, when the chart was drawn, and the store id of every item it
drew, so an expansion later adds only what is new. An item carries at most
``PROVENANCE_CAP`` source records (the earliest); the store keeps every one.

A chart holds one link per connection (two entities, a link type, a direction), as i2's
"single" link multiplicity: the links a hub's 500 neighbours share are 196,260 calls but
72,666 connections, and a model link with its records for each call was the cost no SQL
could take away. A connection of one store link is that link; one of many is labelled with
its count ("37 Calls"), spans its first to its last date, carries its first source record
(so a chart opened without the store still says where each line came from; the rest are the
store's to give: ``Store.first_records``, Show Each Link; three records each made 118,096
around a hub instead of 75,000, a sixth of an expansion), and is drawn wider the more links
it stands for. The chart's record lists it under
``connections`` by its first link's store id; Show Each Link (store/connections.py) puts the
store's links in its place.

The rows come from the engine through the small reads of :class:`ItemRows` (DuckDB's in
duck_items, PostgreSQL's in pg/items), so this module holds no SQL and draws the same chart
from either engine. The analysts' decisions kept in the store come the same way
(``accepted_partners``, ``decisions``): a drawing brings an accepted partner along and
shows the pair as one merged entity (store/decisions.py).
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, ParamSpec, TypeVar

import numpy as np
import orjson

from workbench import layout
from workbench.io.chartjson import entity_in
from workbench.model import Chart, Entity, Link, SourceRecord
from workbench.model.catalogue import entity_type_from_json, link_type_from_json
from workbench.store.decisions import apply_decisions, chart_store_ids, with_partners
from workbench.store.interface import (
    Cancelled,
    Expansion,
    Filters,
    ItemRows,
    Progress,
)
from workbench.store.link_items import LINKS, Sources, end_places, keep_rows, make_links

P = ParamSpec("P")
T = TypeVar("T")
PROVENANCE_CAP = 20
SETTING = "store"
LAYOUT_ITERATIONS = 200  # rounds of the force layout of a chart drawn from the store
# an expansion bringing more entities than this fans them around the entities that reached
# them (store/placing.py) instead of laying them out by force: a few dozen are laid out in
# milliseconds and the force shows who is linked to whom; a hub's 500, all linked to one
# another, took 0.15 s to come out as a round blob, which rings draw in 0.01 s
FANNED_PAST = 100


def store_setting(chart: Chart) -> dict[str, Any]:
    """The chart's record of its store (empty for a chart not drawn from one)."""
    value = chart.settings.get(SETTING)
    return value if isinstance(value, dict) else {}


def _add_types(store: ItemRows, chart: Chart) -> None:
    rows = store.type_rows()
    entity_types = [entity_type_from_json(orjson.loads(d), f"store type {n!r}")
                    for k, n, d in rows if k == "entity"]
    link_types = [link_type_from_json(orjson.loads(d), f"store link type {n!r}")
                  for k, n, d in rows if k == "link"]
    if entity_types or link_types:
        chart.add_types(entity_types, link_types)


def source_files(store: ItemRows) -> Sources:
    """The file and import time of each source, once: a record names only its source."""
    return {sid: (file, at.replace(tzinfo=UTC)) for sid, file, at in store.source_rows()}


def _provenance(store: ItemRows, ids: list[int], sources: Sources
                ) -> dict[int, list[SourceRecord]]:
    """The first PROVENANCE_CAP source records of each entity."""
    out: dict[int, list[SourceRecord]] = {}
    for owner, source, name, sheet, row, rel, cred in store.provenance_rows(ids,
                                                                           PROVENANCE_CAP):
        file, when = sources[source]
        out.setdefault(owner, []).append(SourceRecord(name, file, sheet, row, when, rel, cred))
    return out


def load_items(store: ItemRows, ids: Sequence[int], filters: Filters,
               entity_ids: dict[int, str], link_ids: dict[int, str], chart: Chart,
               connections: set[str]) -> tuple[list[Entity], list[Link]]:
    """Model items for the store entities ``ids`` and a link per connection among them and
    the entities already in ``entity_ids`` (store id -> chart id), except links in
    ``link_ids``. New chart ids are added to both maps, and those of links standing for
    several to ``connections``."""
    new_ids = [int(i) for i in ids if int(i) not in entity_ids]
    attributes: dict[int, dict[str, Any]] = {}
    for owner, name, value in store.attribute_rows(new_ids):
        attributes.setdefault(owner, {})[name] = orjson.loads(value)
    sources = source_files(store)
    provenance = _provenance(store, new_ids, sources)
    entities = []
    for sid, type_, identity, label, date, lat, lon in store.entity_rows(new_ids):
        same = chart.find(type_, identity)
        if same is not None:  # on the chart already (imported from a file, say): that one
            entity_ids[sid] = same.id
            continue
        cid = f"e{sid}" if f"e{sid}" not in chart.entities and f"e{sid}" not in \
            chart.links else chart.new_id("e")
        data: dict[str, Any] = {"id": cid, "type": type_, "label": label,
                                "identity": identity}
        if date is not None:
            data["date"] = date.isoformat()
        if lat is not None and lon is not None:
            data["coordinates"] = [lat, lon]
        if sid in attributes:
            data["attributes"] = attributes[sid]
        entity = entity_in(data)
        entity.provenance = provenance.get(sid, [])
        entities.append(entity)
        entity_ids[sid] = cid
    links = make_links(store.location, store.link_rows(list(entity_ids), new_ids, filters,
                                                       PROVENANCE_CAP),
                       sources, entity_ids, link_ids, chart, {e.id for e in entities},
                       connections)
    return entities, links


def recorded_links(setting: dict[str, Any], chart: Chart) -> tuple[dict[int, str], set[str]]:
    """The store links (store id -> chart id) and connections (their first link's store
    id) a chart's record lists that are still on the chart, and which of them are
    connections."""
    links = {int(sid): cid for cid, sid in setting.get("links", {}).items()
             if cid in chart.links}
    connections = {cid: int(sid) for cid, sid in setting.get("connections", {}).items()
                   if cid in chart.links}
    links.update((sid, cid) for cid, sid in connections.items())
    return links, set(connections)


def links_between(store: ItemRows, chart: Chart, ids: Sequence[int], grouped: bool = True
                  ) -> Expansion:
    """Store links ``ids`` joining entities on ``chart`` (what "New in the store" found
    between them), as an expansion with no new entity, a link per connection (not
    ``grouped``: each link its own); links already on it are left out."""
    setting = store_setting(chart)
    entity_ids = {int(sid): cid for cid, sid in setting.get("entities", {}).items()
                  if cid in chart.entities}
    link_ids, _ = recorded_links(setting, chart)
    columns = store.links_by_id(ids, PROVENANCE_CAP, grouped)
    columns = keep_rows(columns, [k for k, (sid, end1, end2) in enumerate(zip(
        *columns[:3], strict=True)) if sid not in link_ids and end1 in entity_ids
        and end2 in entity_ids])
    added: dict[int, str] = {}
    connections: set[str] = set()
    links = make_links(store.location, columns, source_files(store), entity_ids, added, chart,
                       set(), connections)
    return Expansion([], links, {}, {cid: sid for sid, cid in added.items()},
                     connections=connections)


def _remember(chart: Chart, store: ItemRows, entity_ids: dict[int, str],
              link_ids: dict[int, str], connections: set[str],
              left_out: int | None = None, *, drawing: bool = False) -> None:
    """The chart's record of its store: its entities' and links' store ids, the links
    standing for several (``connections``, by their first link's) apart. An expansion
    keeps the drawing's ``drawn_at``,
    ``last_source`` and ``left_out``: what came in since the chart was drawn and touches
    its other entities is still news after one of them was expanded, and how many
    entities the drawing's cap left out is still what it was."""
    file = store.location
    before = store_setting(chart)
    same = before.get("file") == file and "last_source" in before
    record = {
        "file": file, "engine": store.engine,
        "drawn_at": before["drawn_at"] if same else
        datetime.now(UTC).replace(microsecond=0).isoformat(),
        "last_source": before["last_source"] if same else store.last_source(),
        "left_out": left_out if drawing else _left_out(before) if same else 0,
        "entities": {cid: sid for sid, cid in entity_ids.items()},
        "links": {cid: sid for sid, cid in link_ids.items() if cid not in connections}}
    if connections:
        record["connections"] = {cid: sid for sid, cid in link_ids.items()
                                 if cid in connections}
    chart.set_setting(SETTING, record)


def _left_out(setting: dict[str, Any]) -> int | None:
    """What a chart's record says its drawing's cap left out (None: the cap was full and
    what it left out was not counted; 0 when it does not say: a chart file is anyone's
    text)."""
    value = setting.get("left_out", 0)
    return value if value is None or (isinstance(value, int) and not isinstance(value, bool)) \
        else 0


def _paused_collector(work: Callable[P, T]) -> Callable[P, T]:
    """``work`` with the cycle collector paused: a hub's chart is hundreds of thousands of
    links, records and rows, none of them in a cycle, and the collector walked all of them
    again and again as they were made (half the time of making them). Left off if it was
    off: the window keeps it off while its workers run (ui/background.py)."""

    @functools.wraps(work)
    def paused(*args: P.args, **kwargs: P.kwargs) -> T:
        was_collecting = gc.isenabled()
        gc.disable()
        try:
            return work(*args, **kwargs)
        finally:
            if was_collecting:
                gc.enable()

    return paused


@_paused_collector
def new_chart(store: ItemRows, ids: Sequence[int], filters: Filters, *,
              title: str | None = None, progress: Progress | None = None,
              left_out: int | None = 0) -> Chart:
    """A chart of store entities ``ids`` and the links among them, laid out by force;
    ``left_out`` (how many entities the cap left out; None: not counted) is kept in its
    record of the store."""
    report = progress or (lambda f, m: None)
    ids = with_partners(store, ids)  # an accepted pair is drawn whole (store/decisions.py)
    chart = Chart(title or f"From {store.name}")
    _add_types(store, chart)
    report(0.2, "reading entities and links")
    entity_ids: dict[int, str] = {}
    link_ids: dict[int, str] = {}
    connections: set[str] = set()
    entities, links = load_items(store, ids, filters, entity_ids, link_ids, chart,
                                 connections)
    chart.add_entities(entities)
    chart.add_links(links)
    report(0.6, "laying out")
    chart.move_entities(_force_layout(list(chart.entities.values()), links))
    if connections:  # many calls between two phones: one line, wider the more it stands for
        chart.set_setting("display", {"link_width": LINKS})
    _remember(chart, store, entity_ids, link_ids, connections, left_out, drawing=True)
    apply_decisions(chart, store.decisions(ids))
    report(1.0, "ready")
    return chart


@_paused_collector
def expansion(store: ItemRows, chart: Chart, entity: int, *, hops: int, cap: int,
              filters: Filters, progress: Progress | None = None,
              cancelled: Cancelled | None = None) -> Expansion:
    """What expanding store entity ``entity`` adds to ``chart``: new entities placed around
    it (the analyst's own layout is left alone; past FANNED_PAST of them, each beside the
    entity it was reached from: store/placing.py) and the links that join them to the chart.
    Any chart can be expanded: an entity already on it with the same identity is used, not
    drawn twice.
    The chart is not changed: :func:`add_expansion` does that (the window as one undo step).
    """
    report = progress or (lambda f, m: None)
    setting = store_setting(chart)
    if setting.get("file") != store.location:
        setting = {}  # drawn from another store: its ids mean nothing here
    entity_ids = {int(sid): cid for cid, sid in setting.get("entities", {}).items()
                  if cid in chart.entities}
    link_ids, connections = recorded_links(setting, chart)
    known_entities, known_links = set(entity_ids), set(link_ids)
    ids, left_out = store.neighbourhood([entity], hops=hops, cap=cap, filters=filters,
                                        known=list(entity_ids), cancelled=cancelled,
                                        count=False)
    ids = with_partners(store, ids)  # an accepted pair comes whole (store/decisions.py)
    report(0.4, "reading entities and links")
    entities, links = load_items(store, ids, filters, entity_ids, link_ids, chart,
                                 connections)
    if len(entities) > FANNED_PAST:
        # imported here: placing needs the layouts' libraries (igraph, scipy), which the
        # window, importing the store at its start, loads only when a layout runs
        from workbench.store.placing import place_around

        place_around(chart, entity_ids.get(entity), entities,
                     [entity_ids[i] for i in ids if i in entity_ids], links)
    else:
        _place_around(chart, entity_ids.get(entity), entities, links)
    report(1.0, "ready")
    drawn = {*(chart_store_ids(chart) if setting else ()), *entity_ids}  # merged ones too
    return Expansion(entities, links,
                     {cid: sid for sid, cid in entity_ids.items() if sid not in known_entities},
                     {cid: sid for sid, cid in link_ids.items() if sid not in known_links},
                     store.decisions(sorted(drawn)), left_out,
                     connections={lk.id for lk in links} & connections)


def add_expansion(chart: Chart, store: ItemRows, found: Expansion) -> None:
    """Add an expansion to the chart and to its record of store ids (the links it replaces,
    Show Each Link's connection, leave both)."""
    chart.remove_links(found.replaced)
    chart.add_entities(found.entities)
    chart.add_links(found.links)
    setting = store_setting(chart)
    entity_ids = {int(v): k for k, v in setting.get("entities", {}).items()}
    link_ids, connections = recorded_links(setting, chart)
    entity_ids |= {sid: cid for cid, sid in found.entity_ids.items()}
    link_ids |= {sid: cid for cid, sid in found.link_ids.items()}
    _remember(chart, store, entity_ids, link_ids, connections | found.connections)


def _edges(ids: Sequence[str], links: Sequence[Link]) -> list[tuple[int, int]]:
    """The distinct pairs of entities ``ids`` the links join (either way round; an entity's
    link to itself and links to entities not in ``ids`` left out), as the positions of their
    ends in ``ids``, the smaller first, in the order of each pair's first link: the edges the
    layout draws (it draws parallel links as one). Found in numpy over each end's position:
    a hub's 75,000 connections took 0.05 s as a Counter of their ends' names turned into
    positions, this a fifth of that."""
    if not links:
        return []
    index = {name: k for k, name in enumerate(ids)}
    missing = len(ids)
    one, two = end_places(links, index, missing)
    low, high = np.minimum(one, two), np.maximum(one, two)
    keep = (low != high) & (high != missing)
    keys = low[keep] * (missing + 1) + high[keep]
    found, first = np.unique(keys, return_index=True)
    found = found[np.argsort(first, kind="stable")]
    return list(zip((found // (missing + 1)).tolist(), (found % (missing + 1)).tolist(),
                    strict=True))


def _force_layout(entities: Sequence[Entity], links: Sequence[Link]) -> layout.Positions:
    """The force layout of ``entities`` joined by ``links``: what ``force_layout`` of a chart
    of them gives (it draws parallel links as one), without copying out the hundreds of
    thousands of calls a hub's chart may hold, in LAYOUT_ITERATIONS rounds: a chart drawn
    from the store has at most a few hundred entities, and 500 rounds (force_layout's own,
    for charts of thousands) took 0.19 s of a hub's chart for no better picture."""
    ids = [e.id for e in entities]
    edges = _edges(ids, links)
    return layout.force_layout(layout.LayoutInput(
        ids=ids, types=[e.type for e in entities],
        positions=[(e.x, e.y) for e in entities], edges=edges, directed=[False] * len(edges),
        dates=[e.date for e in entities], labels=[e.label for e in entities]),
        iterations=LAYOUT_ITERATIONS)


def _place_around(chart: Chart, centre: str | None, entities: list[Entity],
                  links: list[Link]) -> None:
    """Lay the new entities out by force among themselves and the expanded entity, then
    move them so that entity stays where the analyst put it."""
    if not entities:
        return
    anchor = chart.entities.get(centre) if centre else None
    scratch = [Entity(e.id, e.type, e.label) for e in entities] + (
        [Entity(anchor.id, anchor.type, anchor.label)] if anchor else [])
    positions = _force_layout(scratch, links)
    if anchor is not None:
        ax, ay = positions[anchor.id]
        dx, dy = anchor.x - ax, anchor.y - ay
    else:
        dx = max((e.x for e in chart.entities.values()), default=0.0) + 200.0
        dy = min((e.y for e in chart.entities.values()), default=0.0)
    for e in entities:
        x, y = positions[e.id]
        e.x, e.y = x + dx, y + dy
