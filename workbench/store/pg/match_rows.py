"""What the matcher needs of each entity of the shared store, read as the analyst and handed
on in Arrow batches (``Store.match_rows``; the embedded store's: duck_match_rows.py).

Row-level security decides every row: only entities the analyst sees, each with the label
and attribute values of the first source the analyst may see (as a chart shows it), and only
links from visible sources as phones, e-mails and neighbours, so ``workbench store resolve``
never compares what a hidden source said. Rows come through a server-side cursor, a batch at
a time, in one snapshot.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import psycopg
import pyarrow as pa

from workbench.model import Kind
from workbench.store.match_facts import MATCH_SCHEMA, identity_types

_SQL = """
WITH chosen AS (
    SELECT e.id, e.type, (array_agg(s.label ORDER BY s.source_id))[1] AS label
    FROM entities e JOIN entity_sources s ON s.entity_id = e.id
    WHERE e.type = ANY(%(types)s::text[]) GROUP BY e.id, e.type),
ends AS (
    SELECT c.id AS me, l.end2 AS other FROM chosen c JOIN links l ON l.end1 = c.id
    UNION ALL
    SELECT c.id, l.end1 FROM chosen c JOIN links l ON l.end2 = c.id),
near AS (
    SELECT n.me,
        array_agg(DISTINCT o.identity) FILTER (WHERE o.type = ANY(%(phones)s::text[]))
            AS phones,
        array_agg(DISTINCT o.identity) FILTER (WHERE o.type = ANY(%(emails)s::text[]))
            AS emails,
        array_agg(DISTINCT o.id::text) FILTER (WHERE NOT o.type = ANY(%(phones)s::text[])
                                               AND NOT o.type = ANY(%(emails)s::text[]))
            AS neighbours
    FROM ends n JOIN entities o ON o.id = n.other WHERE n.other <> n.me GROUP BY n.me),
firsts AS (
    SELECT DISTINCT ON (a.entity_id, a.name) a.entity_id, a.name, a.value
    FROM entity_attributes a JOIN chosen c ON c.id = a.entity_id
    ORDER BY a.entity_id, a.name, a.source_id),
facts AS (
    SELECT entity_id, json_agg(json_build_object('name', name, 'value', value)
                               ORDER BY name) AS attributes
    FROM firsts GROUP BY entity_id)
SELECT c.id, c.type, c.label, f.attributes, n.phones, n.emails, n.neighbours
FROM chosen c LEFT JOIN facts f ON f.entity_id = c.id LEFT JOIN near n ON n.me = c.id
ORDER BY c.id
"""
_NAMES = MATCH_SCHEMA.names


def match_rows(conn: psycopg.Connection, types: Sequence[str], batch_rows: int
               ) -> Iterator[pa.RecordBatch]:
    """Every visible entity of ``types`` with its facts, ``batch_rows`` at a time; run inside
    the caller's transaction (a server-side cursor lives only there)."""
    declared = conn.execute("SELECT name, definition FROM types WHERE kind = 'entity'"
                            ).fetchall()
    stored = [t for (t,) in conn.execute("SELECT DISTINCT type FROM entities").fetchall()]
    params = {"types": list(types), "phones": identity_types(declared, stored, Kind.PHONE),
              "emails": identity_types(declared, stored, Kind.EMAIL)}
    with conn.cursor(name="workbench_match_rows") as cursor:
        cursor.execute(_SQL, params)
        while rows := cursor.fetchmany(batch_rows):
            yield pa.RecordBatch.from_pylist([dict(zip(_NAMES, r, strict=True)) for r in rows],
                                             schema=MATCH_SCHEMA)
