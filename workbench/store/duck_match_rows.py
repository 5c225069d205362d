"""What the matcher needs of each entity of a ``.wbstore``, gathered by DuckDB's SQL and handed
on in batches (the shared store's: pg/match_rows.py).

Find Duplicates on a chart reads an entity's attributes and what is linked to it (a Phone or
Email entity is that person's number or address; any other linked entity is a neighbour).
Here the same facts come from the store's tables in one grouped query per table, joined per
entity by the engine and streamed as Arrow record batches, so a store of millions of people
never sits in Python as rows: the matcher's side (workbench.resolve.store_resolve) turns one
batch at a time into its records.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import duckdb
import pyarrow as pa

from workbench.model import Kind
from workbench.store.match_facts import identity_types

BATCH_ROWS = 50_000


def _identity_types(conn: duckdb.DuckDBPyConnection, kind: Kind) -> list[str]:
    return identity_types(
        conn.execute("SELECT name, definition FROM types WHERE kind = 'entity'").fetchall(),
        [t for (t,) in conn.execute("SELECT DISTINCT type FROM entities").fetchall()], kind)


_SQL = """
WITH chosen AS (SELECT id, type, label FROM entities WHERE list_contains($types, type)),
ends AS (
    SELECT c.id AS me, l.end2 AS other FROM chosen c JOIN links l ON l.end1 = c.id
    UNION ALL
    SELECT c.id, l.end1 FROM chosen c JOIN links l ON l.end2 = c.id),
near AS (
    SELECT n.me,
        list(DISTINCT o.identity) FILTER (WHERE list_contains($phones, o.type)) AS phones,
        list(DISTINCT o.identity) FILTER (WHERE list_contains($emails, o.type)) AS emails,
        list(DISTINCT o.id::VARCHAR) FILTER (WHERE NOT list_contains($phones, o.type)
                                             AND NOT list_contains($emails, o.type))
            AS neighbours
    FROM ends n JOIN entities o ON o.id = n.other WHERE n.other <> n.me GROUP BY n.me),
facts AS (
    SELECT a.entity_id, list({'name': a.name, 'value': a.value}) AS attributes
    FROM entity_attributes a JOIN chosen c ON c.id = a.entity_id GROUP BY a.entity_id)
SELECT c.id, c.type, c.label, f.attributes, n.phones, n.emails, n.neighbours
FROM chosen c LEFT JOIN facts f ON f.entity_id = c.id LEFT JOIN near n ON n.me = c.id
ORDER BY c.id
"""


def match_rows(conn: duckdb.DuckDBPyConnection, types: Sequence[str],
               batch_rows: int = BATCH_ROWS) -> Iterator[pa.RecordBatch]:
    """Every entity of ``types`` with its attributes, linked phones and e-mails and other
    neighbours (see ``Store.match_rows``), ``batch_rows`` at a time."""
    params = {"types": list(types), "phones": _identity_types(conn, Kind.PHONE),
              "emails": _identity_types(conn, Kind.EMAIL)}
    reader = conn.sql(_SQL, params=params).to_arrow_reader(batch_rows)
    yield from reader
