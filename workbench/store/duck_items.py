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
from workbench.store.interface import Filters

_LINK_COLUMNS = "l.id, l.end1, l.end2, l.type, l.label, l.direction, l.strength, l.date, " \
    "l.attributes"


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


# each link with its first $cap source records (a link without any: one row, no record),
# by link then record: a hub's chart reads its calls and their provenance in one pass
_WITH_RECORDS = f"""
SELECT {_LINK_COLUMNS}, r.source_id, r.name, r.sheet, r.row, r.reliability, r.credibility
FROM chosen l
LEFT JOIN (SELECT link_id, record_id, row_number() OVER (
        PARTITION BY link_id ORDER BY record_id) AS k
    FROM link_records WHERE link_id IN (SELECT id FROM chosen)) x
    ON x.link_id = l.id AND x.k <= $cap
LEFT JOIN records r ON r.id = x.record_id
ORDER BY l.id, x.record_id
"""


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
        conn, f"WITH chosen AS (SELECT * FROM links l WHERE {AMONG} AND {LINK_FILTER}) "
        + _WITH_RECORDS,
        filter_params(filters) | {"all": list(every), "new": list(new), "cap": cap})


def links_by_id(conn: duckdb.DuckDBPyConnection, ids: Sequence[int], cap: int
                ) -> list[list[Any]]:
    return _by_columns(conn, "WITH chosen AS (SELECT * FROM links WHERE id IN "
                       "(SELECT unnest($ids))) " + _WITH_RECORDS,
                       {"ids": [int(i) for i in ids], "cap": cap})


def source_rows(conn: duckdb.DuckDBPyConnection) -> list[tuple]:
    return conn.execute("SELECT id, file, imported_at FROM sources").fetchall()


def provenance_rows(conn: duckdb.DuckDBPyConnection, ids: Sequence[int], cap: int
                    ) -> list[tuple]:
    return conn.execute(
        "SELECT x.entity_id, r.source_id, r.name, r.sheet, r.row, r.reliability, "
        "r.credibility FROM (SELECT *, row_number() OVER (PARTITION BY entity_id "
        "ORDER BY record_id) AS k FROM entity_records WHERE entity_id IN "
        "(SELECT unnest($ids))) x JOIN records r ON r.id = x.record_id "
        "WHERE x.k <= $cap ORDER BY x.entity_id, x.record_id",
        {"ids": list(ids), "cap": cap}).fetchall()
