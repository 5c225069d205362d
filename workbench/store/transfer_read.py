"""A source read out of a store for a transfer (transfer.py), the same on both engines.

Both engines keep a source's records, the entities and links the records stand behind and
the decisions on duplicates in tables of the same names, so reading them out is one piece of
code: ``ChunkReader`` reads a source's records in chunks, with what stands behind them, and
turns each chunk into the import's chunk tables (``chunk_tables``), which the destination
lands as an import lands its own. What differs is kept to small hooks an engine's reader
fills (duck_transfer.py, pg/transfer.py): how its driver writes a named parameter and a test
of a column against a list, the records of a source among the provenance rows (the shared
store keeps the source beside each row, under row-level security), what a source said about
its entities (the shared store keeps each source's words; a file those of the source that
named an entity first), and the decisions, none from a store too old to keep them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import Any

import pyarrow as pa

from workbench.store.interface import Decision
from workbench.store.rows import (
    _ATTRIBUTE_SCHEMA,
    _ENTITY_SCHEMA,
    _LINK_SCHEMA,
    _RECORD_SCHEMA,
    ChunkRows,
    _pair_schema,
)
from workbench.store.transfer import DecisionCopy

CHUNK_RECORDS = 50_000  # records read at a time, with what stands behind them


class ChunkReader(ABC):
    """What reading sources out shares across engines; an engine's reader gives its words.

    ``conn`` is a DB-API connection whose ``execute`` returns the cursor (DuckDB, psycopg).
    """

    conn: Any
    # SQL ending in AND that keeps the provenance rows ``x`` (entity_records, link_records)
    # of source ``s`` (the shared store's rows say their source, and its policies read it);
    # empty where the rows do not say their source
    of_source = ""

    @abstractmethod
    def param(self, name: str) -> str:
        """The named parameter ``name`` as the driver writes it."""

    @abstractmethod
    def member(self, column: str, name: str) -> str:
        """SQL that holds where ``column`` is in the list of ids given as ``name``."""

    @abstractmethod
    def said(self, source: int, ids: list[int]) -> tuple[list[tuple], list[tuple]]:
        """What ``source`` said about the entities ``ids``: entity rows (id, type, identity,
        label, date, lat, lon, fold) and attribute rows (entity id, name, value, fold)."""

    @abstractmethod
    def stored_decisions(self) -> list[Decision]:
        """The decisions the reader may see; none in a store too old to keep them."""

    def type_rows(self) -> list[tuple[str, str, str]]:
        return self.conn.execute("SELECT kind, name, definition FROM types").fetchall()

    def chunks(self, source: int) -> Iterator[ChunkRows]:
        c, p = self.conn, self.param
        chunk = (f"FROM records r WHERE r.source_id = {p('s')} "
                 f"AND r.id BETWEEN {p('lo')} AND {p('hi')}")
        low, high = c.execute(f"SELECT min(id), max(id) FROM records WHERE source_id = {p('s')}",
                              {"s": source}).fetchone()
        for lo in range(int(low or 0), int(high or -1) + 1, CHUNK_RECORDS):
            q = {"s": source, "lo": lo, "hi": lo + CHUNK_RECORDS - 1}
            records = c.execute(f"SELECT r.id, r.name, r.sheet, r.\"row\", r.reliability, "
                                f"r.credibility {chunk} ORDER BY r.id", q).fetchall()
            made = c.execute(f"SELECT x.entity_id, x.record_id FROM entity_records x "
                             f"WHERE {self.of_source}x.record_id IN (SELECT r.id {chunk})",
                             q).fetchall()
            behind = c.execute(f"SELECT x.link_id, x.record_id FROM link_records x "
                               f"WHERE {self.of_source}x.record_id IN (SELECT r.id {chunk})",
                               q).fetchall()
            links = c.execute(f"SELECT id, end1, end2, type, label, direction, strength, date, "
                              f"attributes, merged FROM links WHERE {self.member('id', 'ids')} "
                              f"ORDER BY id", {"ids": sorted({lk for lk, _ in behind})}
                              ).fetchall()
            ids = sorted({e for e, _ in made} | {lk[1] for lk in links} | {lk[2] for lk in links})
            entities, attributes = self.said(source, ids)
            yield chunk_tables(entities, attributes, records, made, links, behind)

    def decisions(self) -> list[DecisionCopy]:
        """Every decision the reader may see, its entities by type and identity."""
        found = self.stored_decisions()
        if not found:
            return []
        ends = {i: (t, k) for i, t, k in self.conn.execute(
            "SELECT e.id, e.type, e.identity FROM entities e WHERE e.id IN "
            "(SELECT a FROM decisions UNION SELECT b FROM decisions)").fetchall()}
        return [DecisionCopy(ends[d.a], ends[d.b], d) for d in found]


def chunk_tables(entities: list[tuple], attributes: list[tuple], records: list[tuple],
                 entity_records: list[tuple], links: list[tuple], link_records: list[tuple]
                 ) -> ChunkRows:
    """A chunk read from a store as the import's chunk tables. Rows come keyed by their
    store ids; the keys here are numbered from 0 (the landing code expects that), records
    by their order."""
    ekey = {row[0]: k for k, row in enumerate(entities)}
    rkey = {row[0]: k for k, row in enumerate(records)}
    lkey = {row[0]: k for k, row in enumerate(links)}

    def table(rows: list[tuple], schema: pa.Schema) -> pa.Table:
        columns = list(zip(*rows, strict=True)) if rows else [[] for _ in schema.names]
        return pa.table({n: pa.array(c, type=schema.field(n).type)
                         for n, c in zip(schema.names, columns, strict=True)}, schema=schema)

    return ChunkRows(
        entities=table([(ekey[r[0]], *r[1:]) for r in entities], _ENTITY_SCHEMA),
        attributes=table([(ekey[r[0]], *r[1:]) for r in attributes if r[0] in ekey],
                         _ATTRIBUTE_SCHEMA),
        records=table([(rkey[r[0]], *r[1:]) for r in records], _RECORD_SCHEMA),
        entity_records=table([(ekey[e], rkey[r]) for e, r in entity_records
                              if e in ekey and r in rkey], _pair_schema("ckey")),
        links=table([(lkey[r[0]], ekey[r[1]], ekey[r[2]], *r[3:]) for r in links
                     if r[1] in ekey and r[2] in ekey], _LINK_SCHEMA),
        link_records=table([(lkey[lk], rkey[r]) for lk, r in link_records
                            if lk in lkey and r in rkey], _pair_schema("clink")))
