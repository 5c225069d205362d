"""The read side of the shared store: everything but import, as the analyst.

``Reading`` is mixed into ``PgStore``: info, search, entity, resolve_seed, preview, chart,
expand, news and shortest_path, and the row reads charting draws from
(interface.ItemRows). The connection is the analyst's own PostgreSQL role, so row-level
security inside the server decides every row that comes back; nothing here filters by
organisation. Each operation reads one snapshot (a REPEATABLE READ transaction): a chart
drawn while another analyst imports sees the store before or after that import, never half
of it. Searches, charts, expansions, paths, "new in the store" and info each append one row
to the audit log in that same transaction.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

import psycopg

from workbench.model import Chart, SourceRecord
from workbench.store import charting, connections
from workbench.store.address import public, short_name
from workbench.store.interface import (
    EACH_LINK_LIMIT,
    NO_FILTERS,
    Cancelled,
    ConnectionKey,
    Decision,
    Expansion,
    Filters,
    PathStep,
    Preview,
    Progress,
    SearchHit,
    SourceInfo,
    StoreError,
    StoreInfo,
)
from workbench.store.pg import audit, decisions, graph, items, search
from workbench.store.pg.connect import problem
from workbench.store.pg.schema import DECISIONS_FROM

T = TypeVar("T")


def reads(method: Callable[..., T]) -> Callable[..., T]:
    """One snapshot for the whole operation; a server error as one StoreError line. JIT
    compilation is off for it: the planner's estimates for lists of ids (``= ANY``) are
    far too high, and it compiled a hub's link query for 0.6 s to run it in 1.2 s; every
    read here is bounded by a cap."""

    @functools.wraps(method)
    def in_snapshot(self: Reading, *args: Any, **kwargs: Any) -> T:
        if self.conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            return method(self, *args, **kwargs)  # inside another read: its snapshot
        try:
            with self.conn.transaction():
                self.conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                self.conn.execute("SET LOCAL jit = off")  # see the docstring
                return method(self, *args, **kwargs)
        except psycopg.Error as exc:
            raise StoreError(problem(self.url, exc)) from None

    return in_snapshot


def _filters(filters: Filters) -> dict[str, Any]:
    return {k: v for k, v in (("types", list(filters.types)),
                              ("link_types", list(filters.link_types)),
                              ("from", filters.start), ("to", filters.end)) if v}


class Reading:
    """Read methods of a shared store reached through ``self.conn`` (psycopg, autocommit,
    logged in as the analyst to ``self.url``)."""

    conn: psycopg.Connection
    url: str
    version: int  # the store's format version (an older store has no decisions table)
    engine = "postgresql"

    @property
    def location(self) -> str:
        """What a chart drawn from this store remembers: the URL without its password."""
        return public(self.url)

    @property
    def name(self) -> str:
        return short_name(self.url)

    # ----- what it holds -------------------------------------------------------------------
    @reads
    def info(self) -> StoreInfo:
        c = self.conn
        counts = [c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("entities", "links", "records")]
        types = dict(c.execute("SELECT type, count(*) FROM entities GROUP BY type "
                               "ORDER BY 2 DESC, 1").fetchall())
        link_types = dict(c.execute("SELECT type, count(*) FROM links GROUP BY type "
                                    "ORDER BY 2 DESC, 1").fetchall())
        sources = [SourceInfo(*row) for row in c.execute(
            "SELECT id, name, file, file_hash, rows_read, rows_imported, "
            "imported_at AT TIME ZONE 'UTC', spec_name FROM sources ORDER BY id").fetchall()]
        size = c.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        audit.record(c, "info")
        return StoreInfo(self.location, self.engine, self.version, int(size), *counts,
                         types, link_types, sources)

    # ----- search ------------------------------------------------------------------------
    @reads
    def search(self, text: str, *, types: Sequence[str] = (), limit: int = 20) -> list[SearchHit]:
        hits = search.search(self.conn, text, types=types, limit=limit)
        audit.record(self.conn, "search", text=text, types=list(types), hits=len(hits))
        return hits

    @reads
    def entity(self, entity: int) -> SearchHit | None:
        return search.entity_row(self.conn, entity)

    @reads
    def resolve_seed(self, seed: str) -> int:
        return search.resolve_seed(self.conn, seed, self.location)

    # ----- neighbourhoods and charts -------------------------------------------------------
    @reads
    def preview(self, seeds: Sequence[int], *, hops: int = 1, max_entities: int = 500,
                filters: Filters = NO_FILTERS, exclude: Sequence[int] = (),
                cancelled: Cancelled | None = None) -> Preview:
        return graph.preview(self.conn, seeds, hops=hops, cap=max_entities, filters=filters,
                             exclude=exclude, cancelled=cancelled)

    @reads
    def chart(self, seeds: Sequence[int], *, hops: int = 1, max_entities: int = 500,
              filters: Filters = NO_FILTERS, title: str | None = None,
              progress: Progress | None = None, cancelled: Cancelled | None = None) -> Chart:
        ids, left_out = self.neighbourhood(seeds, hops=hops, cap=max_entities, filters=filters,
                                           cancelled=cancelled, count=False)
        chart = charting.new_chart(self, ids, filters, title=title, progress=progress,
                                   left_out=left_out)
        audit.record(self.conn, "chart", seeds=[int(s) for s in seeds], hops=hops,
                     entities=len(chart.entities), links=len(chart.links), **_filters(filters))
        return chart

    @reads
    def expand(self, chart: Chart, entity: int, *, hops: int = 1, max_entities: int = 500,
               filters: Filters = NO_FILTERS, progress: Progress | None = None,
               cancelled: Cancelled | None = None) -> Expansion:
        found = charting.expansion(self, chart, entity, hops=hops, cap=max_entities,
                                   filters=filters, progress=progress, cancelled=cancelled)
        audit.record(self.conn, "expand", entity=int(entity), hops=hops,
                     entities=len(found.entities), links=len(found.links), **_filters(filters))
        return found

    @reads
    def each_link(self, chart: Chart, link: str, *,
                  limit: int = EACH_LINK_LIMIT) -> Expansion:
        found = connections.each_link(self, chart, link, limit)
        audit.record(self.conn, "expand", each_link=link, links=len(found.links))
        return found

    @reads
    def first_records(self, chart: Chart, link: str, *, limit: int) -> list[SourceRecord]:
        found = connections.first_records(self, chart, link, limit)
        audit.record(self.conn, "expand", first_records=link, records=len(found))
        return found

    @reads
    def news(self, entities: Sequence[int], since: int | datetime,
             filters: Filters = NO_FILTERS, max_entities: int = 500,
             known_links: Sequence[int] = ()) -> Preview:
        found = graph.news(self.conn, entities, since, filters, cap=max_entities,
                           known_links=known_links)
        audit.record(self.conn, "news", entities=len(entities), links=found.links)
        return found

    @reads
    def shortest_path(self, a: int, b: int, *, max_hops: int = 6,
                      cancelled: Cancelled | None = None) -> list[PathStep]:
        steps = graph.shortest_path(self.conn, a, b, max_hops=max_hops, cancelled=cancelled)
        audit.record(self.conn, "path", a=int(a), b=int(b), links=max(0, len(steps) - 1))
        return steps

    # ----- what charting reads (interface.ItemRows) ------------------------------------------
    @reads
    def neighbourhood(self, seeds: Sequence[int], *, hops: int, cap: int, filters: Filters,
                      known: Sequence[int] = (), cancelled: Cancelled | None = None,
                      count: bool = True) -> tuple[list[int], int | None]:
        return graph.walk(self.conn, seeds, hops, cap, filters, known, cancelled, count)

    @reads
    def type_rows(self) -> list[tuple[str, str, str]]:
        return items.type_rows(self.conn)

    @reads
    def attribute_rows(self, ids: Sequence[int]) -> list[tuple[int, str, str]]:
        return items.attribute_rows(self.conn, ids)

    @reads
    def entity_rows(self, ids: Sequence[int]) -> list[tuple]:
        return items.entity_rows(self.conn, ids)

    @reads
    def link_rows(self, every: Sequence[int], new: Sequence[int], filters: Filters, cap: int
                  ) -> list[list[Any]]:
        return items.link_rows(self.conn, every, new, filters, cap)

    @reads
    def links_by_id(self, ids: Sequence[int], cap: int, grouped: bool = True
                    ) -> list[list[Any]]:
        return items.links_by_id(self.conn, ids, cap, grouped)

    @reads
    def connection_links(self, key: ConnectionKey, cap: int, limit: int
                         ) -> tuple[int, list[list[Any]]]:
        return items.connection_links(self.conn, key, cap, limit)

    @reads
    def connection_records(self, key: ConnectionKey, cap: int) -> list[tuple]:
        return items.connection_records(self.conn, key, cap)

    @reads
    def provenance_rows(self, ids: Sequence[int], cap: int) -> list[tuple]:
        return items.provenance_rows(self.conn, ids, cap)

    @reads
    def source_rows(self) -> list[tuple]:
        return items.source_rows(self.conn)

    @reads
    def accepted_partners(self, ids: Sequence[int]) -> list[int]:
        if self.version < DECISIONS_FROM:
            return []
        return decisions.accepted_partners(self.conn, ids)

    @reads
    def decisions(self, entities: Sequence[int] = ()) -> list[Decision]:
        if self.version < DECISIONS_FROM:
            return []
        return decisions.read(self.conn, entities)
