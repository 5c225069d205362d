"""The rows a chart's items are made from, read from a DuckDB store (the embedded engine's
half of :class:`~workbench.store.interface.ItemRows`; charting turns them into items).

Each read takes the ids it needs as one list parameter, so a chart of 500 entities is a
handful of queries whatever the store's size; the rows of those ids are found by semi-joins
(``IN (SELECT unnest($ids))``), not by testing every row of the store against every id.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from workbench.store.graph import AMONG, LINK_FILTER, filter_params
from workbench.store.interface import Filters

_LINK_COLUMNS = "l.id, l.end1, l.end2, l.type, l.label, l.direction, l.strength, l.date, " \
    "l.attributes"
_TABLES = {"entity": ("entity_records", "entity_id"), "link": ("link_records", "link_id")}


def type_rows(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    return conn.execute("SELECT kind, name, definition FROM types ORDER BY kind, name"
                        ).fetchall()


def attribute_rows(conn: duckdb.DuckDBPyConnection, ids: Sequence[int]
                   ) -> list[tuple[int, str, str]]:
    return conn.execute("SELECT entity_id, name, value FROM entity_attributes "
                        "WHERE entity_id IN (SELECT unnest($ids))", {"ids": list(ids)}).fetchall()


def entity_rows(conn: duckdb.DuckDBPyConnection, ids: Sequence[int]) -> list[tuple]:
    return conn.execute("SELECT id, type, identity, label, date, lat, lon FROM entities "
                        "WHERE id IN (SELECT unnest($ids)) ORDER BY id", {"ids": list(ids)}
                        ).fetchall()


def link_rows(conn: duckdb.DuckDBPyConnection, every: Sequence[int], new: Sequence[int],
              filters: Filters) -> list[tuple]:
    return conn.execute(
        f"SELECT {_LINK_COLUMNS} FROM links l WHERE {AMONG} AND {LINK_FILTER} ORDER BY l.id",
        filter_params(filters) | {"all": list(every), "new": list(new)}).fetchall()


def links_by_id(conn: duckdb.DuckDBPyConnection, ids: Sequence[int]) -> list[tuple]:
    return conn.execute(f"SELECT {_LINK_COLUMNS} FROM links l WHERE l.id IN "
                        "(SELECT unnest($ids)) ORDER BY l.id",
                        {"ids": [int(i) for i in ids]}).fetchall()


def provenance_rows(conn: duckdb.DuckDBPyConnection, of: str, ids: Sequence[int], cap: int
                    ) -> list[tuple]:
    table, column = _TABLES[of]  # a fixed table name, never the caller's text
    return conn.execute(
        f"SELECT x.{column}, r.name, s.file, r.sheet, r.row, s.imported_at, r.reliability, "
        f"r.credibility FROM (SELECT *, row_number() OVER (PARTITION BY {column} "
        f"ORDER BY record_id) AS k FROM {table} WHERE {column} IN (SELECT unnest($ids))) x "
        f"JOIN records r ON r.id = x.record_id JOIN sources s ON s.id = r.source_id "
        f"WHERE x.k <= $cap ORDER BY x.{column}, x.record_id",
        {"ids": list(ids), "cap": cap}).fetchall()
