"""Sources copied out of and into the shared store (workbench.store.transfer), as the
analyst.

Out: only sources the analyst may see (row-level security), with what each one said about its
entities (``entity_sources``, ``entity_attributes`` of that source) and its records, provenance
and links (transfer_read.ChunkReader, with PostgreSQL's words for it); the handling goes with
it, the named organisations by name. In: a new source of the analyst's organisation, handled as
asked (``shared:ORG`` needs a sharing agreement, as for an import), each chunk landed by the
import's own landing code (identities through ``wb_entity_ids``, so one entity per identity
holds), and an audit row.

Decisions out: the organisation's own on pairs the analyst sees (row-level security shows
no other); in: as the analyst's organisation's, on the entities the new sources name
(pg/decisions.py writes them, with their audit row). A store older than decisions (format
version 1) gives none and keeps none: they are counted as left behind.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from workbench.store.interface import Decision, SourceInfo, StoreError
from workbench.store.pg import audit, decisions
from workbench.store.pg.handling import NAMED, parse_handling
from workbench.store.pg.landing import Owner, create_staging, land
from workbench.store.pg.schema import DECISIONS_FROM
from workbench.store.pg.store import PgStore
from workbench.store.rows import ChunkRows
from workbench.store.transfer import DecisionCopy, SourceCopy, placed
from workbench.store.transfer_read import ChunkReader


class PgReader(ChunkReader):
    of_source = "x.source_id = %(s)s AND "  # provenance rows say their source (and policy)

    def __init__(self, store: PgStore) -> None:
        self.store, self.conn = store, store.conn

    def param(self, name: str) -> str:
        return f"%({name})s"

    def member(self, column: str, name: str) -> str:
        return f"{column} = ANY(%({name})s::bigint[])"

    def stored_decisions(self) -> list[Decision]:
        if self.store.version < DECISIONS_FROM:
            return []
        return decisions.read(self.conn)

    def sources(self, names: Sequence[str]) -> list[SourceCopy]:
        rows = self.conn.execute(
            "SELECT s.id, s.name, s.file, s.file_hash, s.rows_read, s.rows_imported, "
            "s.imported_at AT TIME ZONE 'UTC', s.spec_name, s.spec, s.handling, "
            "(SELECT coalesce(string_agg(o.name, ',' ORDER BY o.name), '') "
            " FROM organisations o WHERE o.id = ANY(s.shared_with)) FROM sources s "
            "WHERE cardinality(%(names)s::text[]) = 0 OR s.name = ANY(%(names)s::text[]) "
            "OR s.id::text = ANY(%(names)s::text[]) ORDER BY s.id",
            {"names": list(names)}).fetchall()
        return [SourceCopy(SourceInfo(*r[:8]), r[8],
                           f"shared:{r[10]}" if r[9] == NAMED else r[9]) for r in rows]

    def said(self, source: int, ids: list[int]) -> tuple[list[tuple], list[tuple]]:
        """What ``source`` said about the entities ``ids`` (``entity_sources``); an entity it
        has no words for (the end of one of its links that another source named) goes with
        its identity as its label."""
        q = {"ids": ids, "s": source}
        entities = self.conn.execute(
            "SELECT e.id, e.type, e.identity, coalesce(n.label, e.identity), n.date, n.lat, "
            "n.lon, coalesce(n.fold, '') FROM entities e LEFT JOIN entity_sources n "
            "ON n.entity_id = e.id AND n.source_id = %(s)s "
            "WHERE e.id = ANY(%(ids)s::bigint[]) ORDER BY e.id", q).fetchall()
        attributes = self.conn.execute(
            "SELECT entity_id, name, value, fold FROM entity_attributes "
            "WHERE source_id = %(s)s AND entity_id = ANY(%(ids)s::bigint[])", q).fetchall()
        return entities, attributes


class PgWriter:
    def __init__(self, store: PgStore) -> None:
        self.store, self.conn = store, store.conn

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.conn.transaction():
            create_staging(self.conn)
            yield

    def add_types(self, rows: list[tuple[str, str, str]]) -> None:
        with self.conn.cursor() as cur:
            cur.executemany("INSERT INTO types VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                            rows)

    def holds(self, source: SourceCopy) -> str | None:
        row = self.conn.execute("SELECT name FROM sources WHERE org_id = wb_my_org() "
                                "AND file_hash = %s ORDER BY id LIMIT 1",
                                [source.info.file_hash]).fetchone()
        return row[0] if row else None

    def new_source(self, source: SourceCopy, handling: str) -> int:
        wanted = parse_handling(handling)
        shared = []
        for name in wanted.organisations:
            row = self.conn.execute(
                "SELECT o.id, EXISTS (SELECT 1 FROM sharing s WHERE s.owner_org = wb_my_org() "
                "AND s.with_org = o.id) FROM organisations o WHERE o.name = %s",
                [name]).fetchone()
            if row is None or not row[1]:
                raise StoreError(f"{source.info.name}: handled {handling}, but "
                                 f"{self.store.organisation} has no sharing agreement with "
                                 f"{name!r} in this store; give --handling")
            shared.append(int(row[0]))
        s = source.info
        sid = self.conn.execute(
            "INSERT INTO sources (org_id, handling, shared_with, name, file, file_hash, "
            "rows_read, rows_imported, imported_at, spec_name, spec) VALUES (wb_my_org(), "
            "%s, %s::int[], %s, %s, %s, %s, %s, %s::timestamp AT TIME ZONE 'UTC', %s, %s) "
            "RETURNING id",
            [wanted.code, sorted(shared), s.name, s.file, s.file_hash, s.rows_read,
             s.rows_imported, s.imported_at, s.spec_name, source.spec]).fetchone()[0]
        self.owner = Owner(int(sid), self.store.organisation_id, wanted.code, sorted(shared))
        audit.record(self.conn, "transfer", source=s.name, file=s.file, handling=handling)
        return int(sid)

    def land(self, source: int, rows: ChunkRows) -> None:
        land(self.conn, rows, self.owner)

    def add_decisions(self, copies: list[DecisionCopy], sources: list[int]) -> int:
        if self.store.version < DECISIONS_FROM:
            return 0

        def find(types: list[str], keys: list[str]) -> list[tuple]:
            return self.conn.execute(
                "SELECT e.type, e.identity, e.id FROM unnest(%s::text[], %s::text[]) AS w (t, k) "
                "JOIN entities e ON e.type = w.t AND e.identity = w.k WHERE EXISTS (SELECT 1 "
                "FROM entity_sources s WHERE s.entity_id = e.id AND s.source_id = ANY(%s))",
                [types, keys, sources]).fetchall()

        return decisions.write(self.conn, self.store.organisation_id, placed(copies, find),
                               self.store.path, carried=True)
