"""The rows a chart's items are made from, read from a DuckDB store (the embedded engine's
half of :class:`~workbench.store.interface.ItemRows`; charting turns them into items).

Each read takes the ids it needs as one list parameter, so a chart of 500 entities is a
handful of queries whatever the store's size; the rows of those ids are found by semi-joins
(``IN (SELECT unnest($ids))``), not by testing every row of the store against every id.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from workbench.store.graph import AMONG, LINK_FILTER, filter_params
from workbench.store.interface import ConnectionKey, Filters
from workbench.store.link_items import columns_of

_LINK_COLUMNS = "l.id, l.end1, l.end2, l.type, l.label, l.direction, l.strength, l.date, " \
    "l.attributes"
_CHOSEN = "l.id, l.end1, l.end2, l.type, l.direction, l.date, l.record_id"  # what groups


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


# a link's connection: its type and direction, and its two ends (either way round when the
# link has no direction or points both ways)
_KEYED = """type, direction,
    CASE WHEN direction IN ('none', 'both') AND end2 < end1 THEN end2 ELSE end1 END AS a,
    CASE WHEN direction IN ('none', 'both') AND end2 < end1 THEN end1 ELSE end2 END AS b"""
_KEYED_MORE = """c.type, c.direction,
    CASE WHEN c.direction IN ('none', 'both') AND c.end2 < c.end1 THEN c.end2 ELSE c.end1 END,
    CASE WHEN c.direction IN ('none', 'both') AND c.end2 < c.end1 THEN c.end1 ELSE c.end2 END"""

# one row per connection of the links ``chosen`` (a connection is known by its first link's
# id): its first link's columns with its first date, its first source record (a connection
# of one link: its first $cap; one without any record: one row, the record's columns NULL),
# then how many links, their last date and how many records; by connection then record. The
# grouping is DuckDB's: a hub's 196,260 calls are 72,666 connections, grouped in 0.1 s, where
# making a model link of each took longer. Grouped by hash, each connection's first record
# its ``min(record_id)``; only a single merged link's further records are looked for, among
# ``link_records_more`` (its first $cap of every connection's took 0.03 s more, windows over
# the links and their records a quarter more again). The tables are read, not the views: a
# link holds its first record (``links.record_id``), so the links and the few further
# records of merged links are grouped in one pass, where joining the view ``link_records``
# back to the links and grouping twice took a fifth more of the statement; ``chosen`` needs
# only the columns that group, the first links' other columns are read for those alone.
_CONNECTIONS = f"""
, keyed AS (SELECT id AS link, id, date, record_id, {_KEYED} FROM chosen
    UNION ALL SELECT NULL, c.id, NULL, m.record_id, {_KEYED_MORE}
    FROM link_records_more m JOIN chosen c ON c.id = m.link_id),
grouped AS (SELECT min(id) AS conn, count(link) AS n, min(date) AS first, max(date) AS last,
                count(record_id) AS total, min(record_id) AS record_id
            FROM keyed GROUP BY type, direction, a, b),
shown AS (SELECT conn, n, first, last, total, record_id FROM grouped
    UNION ALL SELECT conn, n, first, last, total, record_id FROM (
        SELECT g.conn, g.n, g.first, g.last, g.total, m.record_id,
            row_number() OVER (PARTITION BY g.conn ORDER BY m.record_id) AS k
        FROM grouped g JOIN link_records_more m ON m.link_id = g.conn
        WHERE g.n = 1 AND g.total > 1)
    WHERE k < $cap)
SELECT f.id, f.end1, f.end2, f.type, f.label, f.direction, f.strength, s.first, f.attributes,
    r.source_id, o.name, o.sheet, r.row, o.reliability, o.credibility, s.n, s.last, s.total
FROM shown s JOIN links f ON f.id = s.conn
LEFT JOIN record_rows r ON r.id = s.record_id LEFT JOIN record_origins o ON o.id = r.origin
ORDER BY s.conn, s.record_id
"""

# each link with its first $cap source records (a link without any: one row, no record), as
# a connection of its own: what Show Each Link draws
_EACH = f"""
SELECT {_LINK_COLUMNS}, r.source_id, r.name, r.sheet, r.row, r.reliability, r.credibility,
    1, l.date, 0
FROM chosen l
LEFT JOIN (SELECT link_id, record_id, row_number() OVER (
        PARTITION BY link_id ORDER BY record_id) AS k
    FROM link_records WHERE link_id IN (SELECT id FROM chosen)) x
    ON x.link_id = l.id AND x.k <= $cap
LEFT JOIN records r ON r.id = x.record_id
ORDER BY l.id, x.record_id
"""

# the store links of one connection (its first link's ends, type and direction) dated within
# its first and last dates, or undated: the links the connection was drawn from
CONNECTION_LINKS = """SELECT * FROM links
    WHERE type = $type AND direction = $direction
    AND ((end1 = $end1 AND end2 = $end2)
         OR (direction IN ('none', 'both') AND end1 = $end2 AND end2 = $end1))
    AND (date IS NULL OR ($first IS NULL OR date >= $first) AND ($last IS NULL OR date <= $last))"""


def _values(column: pa.ChunkedArray) -> list:
    """A column's values as Python objects (a NULL as None, as ``fetchall`` gives it). A
    text column is made of its distinct texts, each one object however many rows hold it:
    a hub's 200,000 calls name one type, one direction, one source."""
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        encoded = pc.dictionary_encode(column).combine_chunks()
        texts = np.array([*encoded.dictionary.to_pylist(), None], dtype=object)
        return texts[encoded.indices.fill_null(len(texts) - 1).to_numpy()].tolist()
    if column.null_count:
        return np.ma.masked_array(column.fill_null(0).to_numpy(),
                                  column.is_null().to_numpy()).tolist()
    return column.to_numpy().tolist()


def _by_columns(conn: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]
                ) -> list[list[Any]]:
    """The columns of a query's result, fetched as Arrow and each made Python values in one
    pass. A hub's chart reads 200,000 rows of 15 values: ``fetchall`` made them one value
    at a time in 0.3 s, this in a third of that."""
    conn.complete()  # a result read in part (``fetchone``) would refuse a new statement
    return [_values(column) for column in conn.sql(sql, params=params).to_arrow_table().columns]


def link_rows(conn: duckdb.DuckDBPyConnection, every: Sequence[int], new: Sequence[int],
              filters: Filters, cap: int) -> list[list[Any]]:
    return _by_columns(
        conn, f"WITH chosen AS (SELECT {_CHOSEN} FROM links l WHERE {AMONG} AND {LINK_FILTER}) "
        + _CONNECTIONS, filter_params(filters) | {"all": list(every), "new": list(new),
                                                   "cap": cap})


def links_by_id(conn: duckdb.DuckDBPyConnection, ids: Sequence[int], cap: int,
                grouped: bool = True) -> list[list[Any]]:
    params = {"ids": [int(i) for i in ids], "cap": cap}
    return _by_columns(conn, "WITH chosen AS (SELECT * FROM links WHERE id IN "
                       "(SELECT unnest($ids))) " + (_CONNECTIONS if grouped else _EACH), params)


def connection_links(conn: duckdb.DuckDBPyConnection, key: ConnectionKey, cap: int,
                     limit: int) -> tuple[int, list[list[Any]]]:
    """How many store links the connection ``key`` stands for, and when there are at most
    ``limit``, each of them as a connection of its own (else no rows)."""
    params = _key_params(key)
    count = conn.execute(f"SELECT count(*) FROM ({CONNECTION_LINKS})", params).fetchone()[0]
    if count > limit:
        return count, columns_of([])
    return count, _by_columns(conn, f"WITH chosen AS ({CONNECTION_LINKS}) " + _EACH,
                              params | {"cap": cap})


# the first $cap records of one connection's links (each once): each link's first
# (``links.record_id``), and the further ones of merged links
_CONNECTION_RECORDS = f"""WITH chosen AS ({CONNECTION_LINKS})
SELECT r.source_id, r.name, r.sheet, r.row, r.reliability, r.credibility
FROM (SELECT record_id FROM chosen WHERE record_id IS NOT NULL
      UNION SELECT record_id FROM link_records_more
      WHERE link_id IN (SELECT id FROM chosen) ORDER BY record_id LIMIT $cap) x
JOIN records r ON r.id = x.record_id ORDER BY x.record_id"""


def connection_records(conn: duckdb.DuckDBPyConnection, key: ConnectionKey, cap: int
                       ) -> list[tuple]:
    return conn.execute(_CONNECTION_RECORDS, _key_params(key) | {"cap": cap}).fetchall()


def _key_params(key: ConnectionKey) -> dict[str, Any]:
    return {"end1": key.end1, "end2": key.end2, "type": key.type,
            "direction": key.direction, "first": key.first, "last": key.last}


def source_rows(conn: duckdb.DuckDBPyConnection) -> list[tuple]:
    return conn.execute("SELECT id, file, imported_at FROM sources").fetchall()


# the earliest records of the entities $ids among those numbered $low to $high, at most $cap
# of each: through the view, whose branches take the range as a filter on each table's
# record_id (the links', in the order of their ids, skip blocks by their ranges)
_FIRST_RECORDS = """SELECT entity_id, min(record_id, $cap) FROM entity_records
    WHERE entity_id IN (SELECT unnest($ids)) AND record_id BETWEEN $low AND $high
    GROUP BY entity_id"""
_RECORDS = """SELECT r.id, r.source_id, o.name, o.sheet, r.row, o.reliability, o.credibility
    FROM record_rows r JOIN record_origins o ON o.id = r.origin
    WHERE r.id IN (SELECT unnest($ids))"""
# the parts of the records' span looked in, in turn, for the entities whose first records
# are not all found yet (a sixty-fourth of it, an eighth, then the rest)
_SPANS = (64, 8, 1)


def provenance_rows(conn: duckdb.DuckDBPyConnection, ids: Sequence[int], cap: int
                    ) -> list[tuple]:
    """The first ``cap`` records of each entity, looked for in the earliest part of the
    store's records first, then in the rest only for the entities that have fewer there:
    a store's records are numbered as they came in, so an entity with many (the hubs an
    expansion brings) has its first ones early, and the blocks of later links are skipped.
    Around a hub, 500 entities hold 1,800,000 records: ranking them all took 0.13 s, an
    eighth of them 0.02 s, and every entity had its first 20 there."""
    low, high = conn.execute("SELECT min(id), max(id) FROM record_rows").fetchone()
    firsts: dict[int, list[int]] = {}
    wanted, start = [int(i) for i in ids], low
    for part in _SPANS:
        if not wanted or start is None or start > high:
            break
        end = high if part == 1 else start + (high - low) // part
        for entity, found in conn.execute(_FIRST_RECORDS, {
                "ids": wanted, "low": start, "high": end, "cap": cap}).fetchall():
            held = firsts.setdefault(entity, [])
            held += found[:cap - len(held)]  # later than those found before
        wanted = [i for i in wanted if len(firsts.get(i, ())) < cap]
        start = end + 1
    records = {row[0]: row[1:] for row in conn.execute(
        _RECORDS, {"ids": sorted({r for held in firsts.values() for r in held})}).fetchall()}
    return [(entity, *records[r]) for entity in sorted(firsts) for r in firsts[entity]]
