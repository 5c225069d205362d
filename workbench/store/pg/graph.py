"""Neighbourhoods, "new in the store" and shortest paths in the shared store, in
PostgreSQL SQL, hop by hop as the embedded engine does them (workbench.store.graph).

Every query runs as the analyst, so row-level security decides which links a walk may
follow and which entities it may reach: a path never crosses a link the analyst may not
see, and a count never includes one. Only the capped frontier crosses into Python; the
visited set of a path search is a temporary table, dropped at the end of the transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import psycopg

from workbench.store.interface import (
    Cancelled,
    Filters,
    PathStep,
    Preview,
)
from workbench.store.walk import check, path_back
from workbench.store.walk import walk as shared_walk

LINK_FILTER = """
    (cardinality(%(link_types)s::text[]) = 0 OR l.type = ANY(%(link_types)s::text[]))
    AND (%(start)s::timestamp IS NULL OR l.date IS NULL OR l.date >= %(start)s::timestamp)
    AND (%(end)s::timestamp IS NULL OR l.date IS NULL OR l.date <= %(end)s::timestamp)
"""
ENTITY_TYPES = "(cardinality(%(types)s::text[]) = 0 OR e.type = ANY(%(types)s::text[]))"

# a link's connection within its type: the same two entities (either way round when the link
# has no direction or points both ways) and direction
CONNECTION = """l.direction,
    CASE WHEN l.direction IN ('none', 'both') AND l.end2 < l.end1 THEN l.end2 ELSE l.end1 END,
    CASE WHEN l.direction IN ('none', 'both') AND l.end2 < l.end1 THEN l.end1 ELSE l.end2 END"""

_NEXT_HOP = f"""
WITH edges AS (
    SELECT l.end2 AS other FROM links l
    WHERE l.end1 = ANY(%(frontier)s::bigint[]) AND {LINK_FILTER}
    UNION ALL
    SELECT l.end1 FROM links l
    WHERE l.end2 = ANY(%(frontier)s::bigint[]) AND {LINK_FILTER}
)
SELECT d.other, d.other = ANY(%(known)s::bigint[]) AS known, count(*) OVER () AS total
FROM (SELECT other, count(*) AS n FROM edges GROUP BY other) d
JOIN entities e ON e.id = d.other
WHERE {ENTITY_TYPES} AND NOT d.other = ANY(%(seen)s::bigint[])
ORDER BY known DESC, d.n DESC, d.other
LIMIT %(take)s
"""
# how many entities (the analyst may see) one link from the frontier were not seen and are
# not one link from an earlier frontier (counted then): the hop the cap has no room for
_COUNT_HOP = f"""
WITH edges AS MATERIALIZED (  -- each entity once, before the tests: a hub's frontier has
    SELECT l.end2 AS other FROM links l  -- hundreds of thousands of links to a few thousand
    WHERE l.end1 = ANY(%(frontier)s::bigint[]) AND {LINK_FILTER}
    UNION
    SELECT l.end1 FROM links l
    WHERE l.end2 = ANY(%(frontier)s::bigint[]) AND {LINK_FILTER}
), before AS MATERIALIZED (
    SELECT l.end2 AS other FROM links l
    WHERE l.end1 = ANY(%(earlier)s::bigint[]) AND {LINK_FILTER}
    UNION
    SELECT l.end1 FROM links l
    WHERE l.end2 = ANY(%(earlier)s::bigint[]) AND {LINK_FILTER}
)
SELECT count(*) FILTER (WHERE NOT d.other = ANY(%(known)s::bigint[])),
    coalesce(array_agg(d.other ORDER BY d.other)
             FILTER (WHERE d.other = ANY(%(known)s::bigint[])), '{{}}')
FROM edges d JOIN entities e ON e.id = d.other
WHERE {ENTITY_TYPES} AND NOT d.other = ANY(%(seen)s::bigint[])
    AND NOT EXISTS (SELECT 1 FROM before b WHERE b.other = d.other)
"""


def naive_utc(moment: datetime | None) -> datetime | None:
    """Dates are compared as UTC without an offset, as the store keeps them."""
    if moment is not None and moment.tzinfo is not None:
        return moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def filter_params(filters: Filters) -> dict[str, Any]:
    return {"link_types": list(filters.link_types), "start": naive_utc(filters.start),
            "end": naive_utc(filters.end), "types": list(filters.types)}


def walk(conn: psycopg.Connection, seeds: Sequence[int], hops: int, cap: int,
         filters: Filters, known: Sequence[int], cancelled: Cancelled | None,
         count: bool = True) -> tuple[list[int], int | None]:
    """The seeds and up to ``cap`` entities within ``hops`` (those reached by more links
    first; entities in ``known`` are walked through without counting against the cap), and
    how many the cap left out (not ``count``: None when the cap was full before the last
    hop; store/walk.py; the hop in PostgreSQL's SQL)."""
    params = filter_params(filters) | {"known": [int(k) for k in known]}

    def next_hop(frontier: list[int], seen: list[int], take: int) -> list[tuple]:
        return conn.execute(_NEXT_HOP, params | {"frontier": frontier, "seen": seen,
                                                 "take": take}).fetchall()

    def count_hop(frontier: list[int], seen: list[int], earlier: list[int]
                  ) -> tuple[int, list[int]]:
        counted, through = conn.execute(_COUNT_HOP, params | {
            "frontier": frontier, "seen": seen, "earlier": earlier}).fetchone()
        return int(counted), list(through)

    return shared_walk(next_hop, count_hop, seeds, hops, cap, known, cancelled, count)


def preview(conn: psycopg.Connection, seeds: Sequence[int], *, hops: int, cap: int,
            filters: Filters, exclude: Sequence[int] = (),
            cancelled: Cancelled | None = None) -> Preview:
    """What a chart or an expansion would bring, counted before anything is drawn."""
    ids, more = walk(conn, seeds, hops, cap, filters, exclude, cancelled)
    assert more is not None  # counted
    excluded = {int(x) for x in exclude}
    new = [i for i in ids if i not in excluded]
    entity_types = dict(conn.execute(
        "SELECT type, count(*) FROM entities WHERE id = ANY(%(ids)s::bigint[]) "
        "GROUP BY type ORDER BY 2 DESC, 1", {"ids": new}).fetchall())
    counted = conn.execute(
        f"SELECT l.type, count(*), count(DISTINCT ({CONNECTION})) FROM links l "
        f"WHERE l.end1 = ANY(%(all)s::bigint[]) "
        f"AND l.end2 = ANY(%(all)s::bigint[]) AND (l.end1 = ANY(%(new)s::bigint[]) "
        f"OR l.end2 = ANY(%(new)s::bigint[])) AND {LINK_FILTER} "
        f"GROUP BY l.type ORDER BY 2 DESC, 1",
        filter_params(filters) | {"all": ids, "new": new}).fetchall()
    link_types = {name: n for name, n, _ in counted}
    return Preview(len(new), sum(link_types.values()), entity_types, link_types, more,
                   tuple(new), connections=sum(c for _, _, c in counted))


def news(conn: psycopg.Connection, entities: Sequence[int], since: int | datetime,
         filters: Filters, cap: int, known_links: Sequence[int] = ()) -> Preview:
    """Links from sources after ``since`` (a source id, or a time for older charts) that
    touch ``entities``, and the entities at their other ends, counted by type; the ids of at
    most ``cap`` new entities (the most linked first) and of at most ``cap`` new links
    joining two of ``entities``, all as the analyst may see them."""
    later = "s.id > %(since)s" if isinstance(since, int) else \
        "s.imported_at > (%(since)s::timestamp AT TIME ZONE 'UTC')"
    found = f"""
        WITH n AS (
            SELECT n.id AS link, n.type AS link_type, n.other, e.type,
                n.other = ANY(%(ids)s::bigint[]) AS known
            FROM (SELECT l.id, l.type, CASE WHEN l.end1 = ANY(%(ids)s::bigint[]) THEN l.end2
                  ELSE l.end1 END AS other
                  FROM links l JOIN sources s ON s.id = l.source_id
                  WHERE {later} AND NOT l.id = ANY(%(known)s::bigint[])
                  AND (l.end1 = ANY(%(ids)s::bigint[]) OR l.end2 = ANY(%(ids)s::bigint[]))
                  AND {LINK_FILTER}) n
            JOIN entities e ON e.id = n.other
            WHERE {ENTITY_TYPES} OR n.other = ANY(%(ids)s::bigint[]))
    """
    params = filter_params(filters) | {
        "ids": [int(e) for e in entities], "known": [int(k) for k in known_links],
        "since": naive_utc(since) if isinstance(since, datetime) else since,
        "cap": max(0, cap)}
    link_types = dict(conn.execute(
        found + "SELECT link_type, count(*) FROM n GROUP BY 1 ORDER BY 2 DESC, 1",
        params).fetchall())
    entity_types = dict(conn.execute(
        found + "SELECT type, count(DISTINCT other) FROM n WHERE NOT known GROUP BY 1 "
        "ORDER BY 2 DESC, 1", params).fetchall())
    new = [r[0] for r in conn.execute(
        found + "SELECT other FROM n WHERE NOT known GROUP BY other "
        "ORDER BY count(*) DESC, other LIMIT %(cap)s", params).fetchall()]
    between = [r[0] for r in conn.execute(  # new links between the chart's own entities
        found + "SELECT link FROM n WHERE known ORDER BY link LIMIT %(cap)s",
        params).fetchall()]
    total = sum(entity_types.values())
    return Preview(total, sum(link_types.values()), entity_types, link_types,
                   max(0, total - len(new)), tuple(new), tuple(between))


def shortest_path(conn: psycopg.Connection, a: int, b: int, *, max_hops: int = 6,
                  cancelled: Cancelled | None = None) -> list[PathStep]:
    """One shortest chain of links the analyst may see from ``a`` to ``b`` (any direction);
    [] when none is within ``max_hops``. Runs inside the caller's transaction: the visited
    set is a temporary table dropped when it ends."""
    if a == b:
        return _steps(conn, [(a, None)])
    conn.execute("CREATE TEMP TABLE path_seen (id bigint PRIMARY KEY, parent bigint, "
                 "link bigint, hop integer NOT NULL) ON COMMIT DROP")
    conn.execute("INSERT INTO path_seen SELECT id, NULL, NULL, 0 FROM entities WHERE id = %s",
                 [a])  # an entity the analyst may not see starts no path
    for hop in range(1, max_hops + 1):
        check(cancelled)
        added = conn.execute(
            "INSERT INTO path_seen SELECT DISTINCT ON (other) other, parent, link, %(hop)s "
            "FROM (SELECT l.end2 AS other, l.end1 AS parent, l.id AS link FROM links l "
            "JOIN path_seen s ON s.id = l.end1 AND s.hop = %(hop)s - 1 "
            "UNION ALL SELECT l.end1, l.end2, l.id FROM links l "
            "JOIN path_seen s ON s.id = l.end2 AND s.hop = %(hop)s - 1) x "
            "WHERE NOT EXISTS (SELECT 1 FROM path_seen p WHERE p.id = x.other) "
            "AND EXISTS (SELECT 1 FROM entities e WHERE e.id = x.other) "
            "ORDER BY other, link", {"hop": hop}).rowcount
        chain = path_back(lambda e: conn.execute(
            "SELECT parent, link FROM path_seen WHERE id = %s", [e]).fetchone(), b)
        if chain is not None:
            return _steps(conn, chain)
        if not added:
            break
    return []


def _steps(conn: psycopg.Connection, chain: list[tuple[int, int | None]]) -> list[PathStep]:
    ids = [e for e, _ in chain]
    links = [lk for _, lk in chain if lk is not None]
    about = {r[0]: r[1:] for r in conn.execute(
        "SELECT e.id, e.type, v.label FROM entities e JOIN LATERAL (SELECT s.label FROM "
        "entity_sources s WHERE s.entity_id = e.id ORDER BY s.source_id LIMIT 1) v ON true "
        "WHERE e.id = ANY(%s::bigint[])", [ids]).fetchall()}
    if len(about) < len(set(ids)):  # an end the analyst may not see: no path for them
        return []
    link_type = dict(conn.execute("SELECT id, type FROM links WHERE id = ANY(%s::bigint[])",
                                  [links]).fetchall())
    return [PathStep(e, *about[e], link=lk, link_type=link_type.get(lk, "") if lk else "")
            for e, lk in chain]
