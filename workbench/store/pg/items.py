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

from workbench.store.interface import Filters
from workbench.store.link_items import columns_of
from workbench.store.pg.graph import LINK_FILTER, filter_params

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


# each link with its first %(cap)s source records the analyst may see (a link without any:
# one row, no record), by link then record: a hub's chart reads its calls and their
# provenance in one pass
_WITH_RECORDS = f"""
SELECT {_LINK_COLUMNS}, r.source_id, r.name, r.sheet, r."row", r.reliability, r.credibility
FROM chosen l
LEFT JOIN LATERAL (SELECT t.record_id FROM link_records t WHERE t.link_id = l.id
                   ORDER BY t.record_id LIMIT %(cap)s) x ON true
LEFT JOIN records r ON r.id = x.record_id
ORDER BY l.id, x.record_id
"""


def link_rows(conn: psycopg.Connection, every: Sequence[int], new: Sequence[int],
              filters: Filters, cap: int) -> list[list[Any]]:
    return columns_of(conn.execute(
        "WITH chosen AS MATERIALIZED (SELECT * FROM links l "
        "WHERE l.end1 = ANY(%(all)s::bigint[]) AND l.end2 = ANY(%(all)s::bigint[]) "
        "AND (l.end1 = ANY(%(new)s::bigint[]) OR l.end2 = ANY(%(new)s::bigint[])) "
        f"AND {LINK_FILTER}) " + _WITH_RECORDS,
        filter_params(filters) | {"all": list(every), "new": list(new), "cap": cap}
    ).fetchall())


def links_by_id(conn: psycopg.Connection, ids: Sequence[int], cap: int
                ) -> list[list[Any]]:
    return columns_of(conn.execute("WITH chosen AS MATERIALIZED (SELECT * FROM links "
                                   "WHERE id = ANY(%(ids)s::bigint[])) " + _WITH_RECORDS,
                                   {"ids": [int(i) for i in ids], "cap": cap}).fetchall())


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
