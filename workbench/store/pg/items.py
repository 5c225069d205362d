"""The rows a chart's items are made from, read from the shared store as the analyst (the
PostgreSQL half of :class:`~workbench.store.interface.ItemRows`; charting turns them into
items), and the counts ``store info`` shows.

Row-level security filters every table read here, so provenance lists only the records the
analyst may see. What sources say about an entity is kept per source (``entity_sources``,
``entity_attributes``): an analyst gets what the first source they may see said (its label,
each attribute's value), and the first date and place any of them gave, as the embedded
store keeps the first source's; a hidden source's words never reach them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg

from workbench.store.interface import ConnectionKey, Filters
from workbench.store.link_items import columns_of
from workbench.store.pg.graph import LINK_FILTER, filter_params, naive_utc

_LINK_COLUMNS = "l.id, l.end1, l.end2, l.type, l.label, l.direction, l.strength, l.date, " \
    "l.attributes"


def type_rows(conn: psycopg.Connection) -> list[tuple[str, str, str]]:
    return conn.execute("SELECT kind, name, definition FROM types ORDER BY kind, name"
                        ).fetchall()


def attribute_rows(conn: psycopg.Connection, ids: Sequence[int]) -> list[tuple[int, str, str]]:
    return conn.execute("SELECT DISTINCT ON (entity_id, name) entity_id, name, value "
                        "FROM entity_attributes WHERE entity_id = ANY(%s::bigint[]) "
                        "ORDER BY entity_id, name, source_id", [list(ids)]).fetchall()


def entity_rows(conn: psycopg.Connection, ids: Sequence[int]) -> list[tuple]:
    return conn.execute(
        "SELECT e.id, e.type, e.identity, (array_agg(s.label ORDER BY s.source_id))[1], "
        "(array_agg(s.date ORDER BY s.source_id) FILTER (WHERE s.date IS NOT NULL))[1], "
        "(array_agg(s.lat ORDER BY s.source_id) FILTER (WHERE s.lat IS NOT NULL "
        "AND s.lon IS NOT NULL))[1], "
        "(array_agg(s.lon ORDER BY s.source_id) FILTER (WHERE s.lat IS NOT NULL "
        "AND s.lon IS NOT NULL))[1] "
        "FROM entities e JOIN entity_sources s ON s.entity_id = e.id "
        "WHERE e.id = ANY(%s::bigint[]) GROUP BY e.id ORDER BY e.id", [list(ids)]).fetchall()


# one row per connection of the links ``chosen`` (same two entities, type and direction;
# either way round for links without a direction or pointing both ways), known by its first
# link: that link's columns with the first date, its first source records the analyst may
# see (%(cap)s of a connection of one link, the first of one of many; none: one row, the
# record's columns NULL), then how many links, their last date and how many records; by
# connection then record. Grouped by hash, as the embedded engine does it.
_CONNECTIONS = """
, keyed AS MATERIALIZED (SELECT id, date, type, direction,
        CASE WHEN direction IN ('none', 'both') AND end2 < end1 THEN end2 ELSE end1 END AS a,
        CASE WHEN direction IN ('none', 'both') AND end2 < end1 THEN end1 ELSE end2 END AS b
    FROM chosen),
grouped AS MATERIALIZED (SELECT type, direction, a, b, min(id) AS conn, count(*) AS n,
        min(date) AS first, max(date) AS last FROM keyed GROUP BY type, direction, a, b),
recs AS (SELECT k.type, k.direction, k.a, k.b, count(*) AS total,
            (array_agg(t.record_id ORDER BY t.record_id))[1:%(cap)s] AS firsts
         FROM keyed k JOIN link_records t ON t.link_id = k.id
         GROUP BY k.type, k.direction, k.a, k.b),
shown AS (SELECT g.conn, g.n, g.first, g.last, coalesce(r.total, 0) AS total, x.record_id
          FROM grouped g LEFT JOIN recs r USING (type, direction, a, b)
          LEFT JOIN LATERAL unnest(CASE WHEN g.n = 1 THEN r.firsts
                                   ELSE r.firsts[1:1] END) x(record_id) ON true)
SELECT f.id, f.end1, f.end2, f.type, f.label, f.direction, f.strength, s.first, f.attributes,
    r.source_id, r.name, r.sheet, r."row", r.reliability, r.credibility, s.n, s.last, s.total
FROM shown s JOIN chosen f ON f.id = s.conn
LEFT JOIN records r ON r.id = s.record_id
ORDER BY s.conn, s.record_id
"""
# the sorts and hashes of a hub's 100,000 links spilled to disk in the default 4 MB
_ROOM = "SET LOCAL work_mem = '64MB'"

# each link with its first %(cap)s source records the analyst may see, as a connection of
# its own: what Show Each Link draws
_EACH = f"""
SELECT {_LINK_COLUMNS}, r.source_id, r.name, r.sheet, r."row", r.reliability, r.credibility,
    1, l.date, 0
FROM chosen l
LEFT JOIN LATERAL (SELECT t.record_id FROM link_records t WHERE t.link_id = l.id
                   ORDER BY t.record_id LIMIT %(cap)s) x ON true
LEFT JOIN records r ON r.id = x.record_id
ORDER BY l.id, x.record_id
"""

# the links (the analyst may see) of one connection, dated within its first and last date
_CONNECTION_LINKS = """SELECT * FROM links
    WHERE type = %(type)s AND direction = %(direction)s
    AND ((end1 = %(end1)s AND end2 = %(end2)s)
         OR (direction IN ('none', 'both') AND end1 = %(end2)s AND end2 = %(end1)s))
    AND (date IS NULL OR ((%(first)s::timestamp IS NULL OR date >= %(first)s::timestamp)
                          AND (%(last)s::timestamp IS NULL OR date <= %(last)s::timestamp)))"""


def link_rows(conn: psycopg.Connection, every: Sequence[int], new: Sequence[int],
              filters: Filters, cap: int) -> list[list[Any]]:
    conn.execute(_ROOM)
    return columns_of(conn.execute(
        "WITH chosen AS MATERIALIZED (SELECT * FROM links l "
        "WHERE l.end1 = ANY(%(all)s::bigint[]) AND l.end2 = ANY(%(all)s::bigint[]) "
        "AND (l.end1 = ANY(%(new)s::bigint[]) OR l.end2 = ANY(%(new)s::bigint[])) "
        f"AND {LINK_FILTER}) " + _CONNECTIONS,
        filter_params(filters) | {"all": list(every), "new": list(new), "cap": cap}
    ).fetchall())


def links_by_id(conn: psycopg.Connection, ids: Sequence[int], cap: int,
                grouped: bool = True) -> list[list[Any]]:
    conn.execute(_ROOM)
    return columns_of(conn.execute(
        "WITH chosen AS MATERIALIZED (SELECT * FROM links WHERE id = ANY(%(ids)s::bigint[])) "
        + (_CONNECTIONS if grouped else _EACH),
        {"ids": [int(i) for i in ids], "cap": cap}).fetchall())


def connection_links(conn: psycopg.Connection, key: ConnectionKey, cap: int, limit: int
                     ) -> tuple[int, list[list[Any]]]:
    """How many links (the analyst may see) the connection ``key`` stands for, and when
    there are at most ``limit``, each as a connection of its own (else no rows)."""
    params = _key_params(key) | {"cap": cap}
    count = conn.execute(f"SELECT count(*) FROM ({_CONNECTION_LINKS}) c", params).fetchone()[0]
    if count > limit:
        return count, columns_of([])
    return count, columns_of(conn.execute(
        f"WITH chosen AS MATERIALIZED ({_CONNECTION_LINKS}) " + _EACH, params).fetchall())


def connection_records(conn: psycopg.Connection, key: ConnectionKey, cap: int) -> list[tuple]:
    """The first ``cap`` records (the analyst may see) of the connection's links."""
    return conn.execute(
        f"WITH chosen AS MATERIALIZED ({_CONNECTION_LINKS}) "
        "SELECT r.source_id, r.name, r.sheet, r.\"row\", r.reliability, r.credibility "
        "FROM (SELECT DISTINCT t.record_id FROM link_records t "
        "WHERE t.link_id IN (SELECT id FROM chosen) ORDER BY t.record_id LIMIT %(cap)s) x "
        "JOIN records r ON r.id = x.record_id ORDER BY x.record_id",
        _key_params(key) | {"cap": cap}).fetchall()


def _key_params(key: ConnectionKey) -> dict[str, Any]:
    return {"end1": key.end1, "end2": key.end2, "type": key.type,
            "direction": key.direction, "first": naive_utc(key.first),
            "last": naive_utc(key.last)}


def provenance_rows(conn: psycopg.Connection, ids: Sequence[int], cap: int) -> list[tuple]:
    return conn.execute(
        "SELECT e.id, r.source_id, r.name, r.sheet, r.\"row\", r.reliability, r.credibility "
        "FROM unnest(%(ids)s::bigint[]) e(id) "
        "JOIN LATERAL (SELECT t.record_id FROM entity_records t WHERE t.entity_id = e.id "
        "ORDER BY t.record_id LIMIT %(cap)s) x ON true "
        "JOIN records r ON r.id = x.record_id ORDER BY e.id, x.record_id",
        {"ids": list(ids), "cap": cap}).fetchall()


def source_rows(conn: psycopg.Connection) -> list[tuple]:
    return conn.execute("SELECT id, file, imported_at AT TIME ZONE 'UTC' FROM sources"
                        ).fetchall()
