"""Neighbourhoods and shortest paths, computed in SQL hop by hop.

Only the frontier of a neighbourhood crosses into Python, and it is capped (a chart of 500
entities is already more than anyone reads), so a hub with a million calls costs one grouped
query per hop, not a million objects. The nearest entities win a place under the cap: those
reached by more links from the frontier first. Paths are a breadth-first search whose visited
set lives in a temporary table, so it may grow as large as the store without Python holding
it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import duckdb

from workbench.store.interface import (
    NO_FILTERS,
    Cancelled,
    Filters,
    PathStep,
    Preview,
)
from workbench.store.walk import check, path_back, walk

LINK_FILTER = """
    (len($link_types) = 0 OR list_contains($link_types, l.type))
    AND ($start IS NULL OR l.date IS NULL OR l.date >= $start)
    AND ($end IS NULL OR l.date IS NULL OR l.date <= $end)
"""

# links among the entities $all with an end in $new, as semi-joins (list_contains tested
# every link against every id: seconds on a store of millions of links)
AMONG = """l.end1 IN (SELECT unnest($all)) AND l.end2 IN (SELECT unnest($all))
    AND (l.end1 IN (SELECT unnest($new)) OR l.end2 IN (SELECT unnest($new)))"""

# a link's connection within its type: the same two entities (either way round when the link
# has no direction or points both ways) and direction
CONNECTION = """l.direction,
    CASE WHEN l.direction IN ('none', 'both') AND l.end2 < l.end1 THEN l.end2 ELSE l.end1 END,
    CASE WHEN l.direction IN ('none', 'both') AND l.end2 < l.end1 THEN l.end1 ELSE l.end2 END"""

_NEXT_HOP = f"""
WITH edges AS (
    SELECT l.end2 AS other FROM links l
    WHERE l.end1 IN (SELECT unnest($frontier)) AND {LINK_FILTER}
    UNION ALL
    SELECT l.end1 FROM links l
    WHERE l.end2 IN (SELECT unnest($frontier)) AND {LINK_FILTER}
)
SELECT d.other, d.other IN (SELECT unnest($known)) AS known, count(*) OVER () AS total
FROM (SELECT other, count(*) AS n FROM edges GROUP BY other) d
WHERE d.other NOT IN (SELECT unnest($seen)) TYPES
ORDER BY known DESC, d.n DESC, d.other
LIMIT $take
"""
# every end of a link is an entity: its type is looked up only when types are filtered
# (joining the hub's 75,000 neighbours to the entities was a quarter of an expansion's walk)
_NEXT_ALL = _NEXT_HOP.replace("TYPES", "")
_NEXT_TYPED = _NEXT_HOP.replace(
    "TYPES", "AND d.other IN (SELECT id FROM entities WHERE list_contains($types, type))")
# how many entities one link from the frontier were not seen and are not one link from an
# earlier frontier (counted then): the hop the cap has no room for (an entity's type is
# looked up only when types are filtered: every end is an entity). The ends are made
# distinct first, so the tests that follow see each once: around a hub, 2,100,000 links
# reach 760,000 entities, and this took 0.44 s with the tests on every link, 0.27 s so.
_COUNT_HOP = f"""
WITH edges AS (
    SELECT DISTINCT other FROM (
        SELECT l.end2 AS other FROM links l
        WHERE l.end1 IN (SELECT unnest($frontier)) AND {LINK_FILTER}
        UNION ALL
        SELECT l.end1 FROM links l
        WHERE l.end2 IN (SELECT unnest($frontier)) AND {LINK_FILTER})
), before AS (
    SELECT l.end2 AS other FROM links l
    WHERE l.end1 IN (SELECT unnest($earlier)) AND {LINK_FILTER}
    UNION ALL
    SELECT l.end1 FROM links l
    WHERE l.end2 IN (SELECT unnest($earlier)) AND {LINK_FILTER}
)
SELECT count(*) FILTER (WHERE NOT known),
    coalesce(list(other ORDER BY other) FILTER (WHERE known), [])
FROM (SELECT other, other IN (SELECT unnest($known)) AS known FROM edges
      WHERE other NOT IN (SELECT unnest($seen)) AND other NOT IN (SELECT other FROM before)
      TYPES)
"""
_COUNT_ALL = _COUNT_HOP.replace("TYPES", "")
_COUNT_TYPED = _COUNT_HOP.replace(
    "TYPES", "AND other IN (SELECT id FROM entities WHERE list_contains($types, type))")


def filter_params(filters: Filters) -> dict[str, Any]:
    return {"link_types": list(filters.link_types), "start": filters.start,
            "end": filters.end}


def neighbourhood(conn: duckdb.DuckDBPyConnection, seeds: Sequence[int], *, hops: int,
                  cap: int, filters: Filters = NO_FILTERS, known: Sequence[int] = (),
                  cancelled: Cancelled | None = None, count: bool = True
                  ) -> tuple[list[int], int | None]:
    """The seeds and up to ``cap`` entities within ``hops`` links of them (seeds first, then
    hop by hop; entities in ``known``, already on a chart, are walked through and kept
    without counting against the cap), and how many entities the cap left out (not
    ``count``: None when the cap was full before the last hop; store/walk.py)."""
    return _walk(conn, seeds, hops, cap, filters, known, cancelled, count)


def _walk(conn: duckdb.DuckDBPyConnection, seeds: Sequence[int], hops: int, cap: int,
          filters: Filters, known: Sequence[int],
          cancelled: Cancelled | None, count: bool = True) -> tuple[list[int], int | None]:
    params = filter_params(filters) | {"known": [int(k) for k in known]}
    typed = {"types": list(filters.types)} if filters.types else {}
    next_sql, count_sql = (_NEXT_TYPED, _COUNT_TYPED) if typed else (_NEXT_ALL, _COUNT_ALL)

    def next_hop(frontier: list[int], seen: list[int], take: int) -> list[tuple]:
        return conn.execute(next_sql, params | typed | {"frontier": frontier, "seen": seen,
                                                        "take": take}).fetchall()

    def count_hop(frontier: list[int], seen: list[int], earlier: list[int]
                  ) -> tuple[int, list[int]]:
        counted, through = conn.execute(count_sql, params | typed | {
            "frontier": frontier, "seen": seen, "earlier": earlier}).fetchone()
        return int(counted), list(through)

    return walk(next_hop, count_hop, seeds, hops, cap, known, cancelled, count)


def preview(conn: duckdb.DuckDBPyConnection, seeds: Sequence[int], *, hops: int, cap: int,
            filters: Filters = NO_FILTERS, exclude: Sequence[int] = (),
            cancelled: Cancelled | None = None) -> Preview:
    """What a chart or an expansion would bring, counted, before anything is drawn:
    entities not in ``exclude`` (those already on the chart) and the links that would join
    them to the rest."""
    ids, more = _walk(conn, seeds, hops, cap, filters, exclude, cancelled)
    assert more is not None  # counted
    excluded = {int(x) for x in exclude}
    new = [i for i in ids if i not in excluded]
    entity_types = dict(conn.execute(
        "SELECT type, count(*) FROM entities WHERE id IN (SELECT unnest($ids)) "
        "GROUP BY type ORDER BY 2 DESC, 1", {"ids": new}).fetchall())
    counted = conn.execute(
        f"SELECT l.type, count(*), count(DISTINCT ({CONNECTION})) FROM links l "
        f"WHERE {AMONG} AND {LINK_FILTER} GROUP BY l.type ORDER BY 2 DESC, 1",
        filter_params(filters) | {"all": ids, "new": new}).fetchall()
    link_types = {name: n for name, n, _ in counted}
    return Preview(len(new), sum(link_types.values()), entity_types, link_types, more,
                   tuple(new), connections=sum(c for _, _, c in counted))


def news(conn: duckdb.DuckDBPyConnection, entities: Sequence[int], since: int | datetime,
         filters: Filters = NO_FILTERS, cap: int = 500, known_links: Sequence[int] = ()
         ) -> Preview:
    """What came into the store after ``since`` that touches ``entities`` (the chart's):
    links from later sources, and the entities at their other ends that are not among
    ``entities``, counted by type in SQL (the ids of at most ``cap`` of those entities come
    back, the most linked first, and of at most ``cap`` new links joining two of
    ``entities``). ``since`` is the last source id the chart's store held when
    it was drawn (``settings.store.last_source``: immune to clocks and to two imports in one
    second), or a time for charts that only kept ``drawn_at``. ``known_links`` (store ids of
    links the chart already holds, such as those an expansion brought) are not news."""
    if isinstance(since, datetime) and since.tzinfo is not None:
        since = since.astimezone(UTC).replace(tzinfo=None)
    later = "s.id > $since" if isinstance(since, int) else "s.imported_at > $since"
    ids = [int(e) for e in entities]
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE store_news AS "
        "WITH later AS (SELECT l.* FROM links l JOIN sources s ON s.id = l.source_id "
        f"WHERE {later} AND {LINK_FILTER} AND l.id NOT IN (SELECT unnest($known))), "
        "touching AS (SELECT id, type, end2 AS other FROM later "
        "WHERE end1 IN (SELECT unnest($ids)) UNION ALL SELECT id, type, end1 FROM later "
        "WHERE end2 IN (SELECT unnest($ids)) AND end1 NOT IN (SELECT unnest($ids))) "
        "SELECT t.id AS link, t.type AS link_type, t.other, e.type, "
        "t.other IN (SELECT unnest($ids)) AS known FROM touching t "
        "JOIN entities e ON e.id = t.other "
        "WHERE len($types) = 0 OR list_contains($types, e.type) OR known",
        filter_params(filters) | {"ids": ids, "since": since, "types": list(filters.types),
                                  "known": [int(k) for k in known_links]})
    try:
        link_types = dict(conn.execute("SELECT link_type, count(*) FROM store_news GROUP BY 1 "
                                       "ORDER BY 2 DESC, 1").fetchall())
        entity_types = dict(conn.execute(
            "SELECT type, count(DISTINCT other) FROM store_news WHERE NOT known GROUP BY 1 "
            "ORDER BY 2 DESC, 1").fetchall())
        new = [r[0] for r in conn.execute(
            "SELECT other FROM store_news WHERE NOT known GROUP BY other "
            "ORDER BY count(*) DESC, other LIMIT ?", [max(0, cap)]).fetchall()]
        between = [r[0] for r in conn.execute(  # new links between the chart's own entities
            "SELECT link FROM store_news WHERE known ORDER BY link LIMIT ?",
            [max(0, cap)]).fetchall()]
    finally:
        conn.execute("DROP TABLE IF EXISTS store_news")
    total = sum(entity_types.values())
    return Preview(total, sum(link_types.values()), entity_types, link_types,
                   max(0, total - len(new)), tuple(new), tuple(between))


def shortest_path(conn: duckdb.DuckDBPyConnection, a: int, b: int, *, max_hops: int = 6,
                  cancelled: Cancelled | None = None) -> list[PathStep]:
    """One shortest chain of links from ``a`` to ``b`` across the whole store (any link
    direction), as steps from a to b; [] when none is within ``max_hops``."""
    if a == b:
        return _steps(conn, [(a, None)])
    conn.execute("CREATE OR REPLACE TEMP TABLE path_seen AS SELECT ?::BIGINT AS id, "
                 "NULL::BIGINT AS parent, NULL::BIGINT AS link, 0 AS hop", [a])
    try:
        for hop in range(1, max_hops + 1):
            check(cancelled)
            added = conn.execute(
                "INSERT INTO path_seen SELECT other, arg_min(parent, link), min(link), ? "
                "FROM (SELECT l.end2 AS other, l.end1 AS parent, l.id AS link FROM links l "
                "JOIN path_seen s ON s.id = l.end1 AND s.hop = ? - 1 "
                "UNION ALL SELECT l.end1, l.end2, l.id FROM links l "
                "JOIN path_seen s ON s.id = l.end2 AND s.hop = ? - 1) "
                "WHERE other NOT IN (SELECT id FROM path_seen) GROUP BY other",
                [hop, hop, hop]).fetchone()[0]
            chain = path_back(lambda e: conn.execute(
                "SELECT parent, link FROM path_seen WHERE id = ?", [e]).fetchone(), b)
            if chain is not None:
                return _steps(conn, chain)
            if not added:
                break
        return []
    finally:
        conn.execute("DROP TABLE IF EXISTS path_seen")


def _steps(conn: duckdb.DuckDBPyConnection, chain: list[tuple[int, int | None]]
           ) -> list[PathStep]:
    ids = [e for e, _ in chain]
    links = [lk for _, lk in chain if lk is not None]
    about = {r[0]: r[1:] for r in conn.execute(
        "SELECT id, type, label FROM entities WHERE id IN (SELECT unnest(?))", [ids]).fetchall()}
    link_type = dict(conn.execute("SELECT id, type FROM links WHERE id IN (SELECT unnest(?))",
                                  [links]).fetchall())
    return [PathStep(e, *about[e], link=lk, link_type=link_type.get(lk, "") if lk else "")
            for e, lk in chain]
