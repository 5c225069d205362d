"""Sources copied out of and into a ``.wbstore`` (workbench.store.transfer).

Out: a source's records in chunks, with the entities, attributes and links they stand behind
(transfer_read.ChunkReader; here DuckDB's words for it and what a source said). In: a new
source row, then each chunk merged as an import merges it (new identities only, the first date,
place and attribute value kept, records and provenance added, a ``merge`` link joining the
store's link of its type between the same ends).

A file keeps one label and one value per attribute for an entity (its first source's); a
shared store keeps what each source said, and what one source said must not go back under
another source's handling (a victim's name as the label of a phone in a source shared with
all). So a copied source keeps its own words beside it, in ``source_entities`` and
``source_attributes``, and its handling in ``source_handling`` (tables made when first
needed; docs/store.md), and goes out with them. A source imported into the file itself goes
out with the label, date, place and attributes of the entities it named first, and only the
identity of the others.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import duckdb

from workbench.store import duck_decisions
from workbench.store.duck_land import Landing, drop, from_pairs
from workbench.store.interface import Decision, SourceInfo
from workbench.store.rows import ChunkRows, fold
from workbench.store.transfer import DecisionCopy, SourceCopy, placed
from workbench.store.transfer_read import ChunkReader

KEPT = """
CREATE TABLE IF NOT EXISTS source_handling (source_id INTEGER PRIMARY KEY, handling TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS source_entities (source_id INTEGER NOT NULL, entity_id BIGINT NOT NULL,
    label TEXT NOT NULL, date TIMESTAMP, lat DOUBLE, lon DOUBLE, fold TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS source_attributes (source_id INTEGER NOT NULL,
    entity_id BIGINT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL, fold TEXT NOT NULL);
"""


def _kept(conn: duckdb.DuckDBPyConnection) -> bool:
    """Whether the file holds sources copied from another store (and the tables above)."""
    return bool(conn.execute("SELECT count(*) FROM information_schema.tables "
                             "WHERE table_name = 'source_handling'").fetchone()[0])


class DuckReader(ChunkReader):
    def __init__(self, conn: duckdb.DuckDBPyConnection) -> None:
        self.conn = conn

    def param(self, name: str) -> str:
        return f"${name}"

    def member(self, column: str, name: str) -> str:
        return f"list_contains(${name}, {column})"

    def sources(self, names: Sequence[str]) -> list[SourceCopy]:
        handling = "h.handling" if _kept(self.conn) else "NULL"
        join = "LEFT JOIN source_handling h ON h.source_id = s.id" if handling != "NULL" \
            else ""
        rows = self.conn.execute(
            f"SELECT s.id, s.name, s.file, s.file_hash, s.rows_read, s.rows_imported, "
            f"s.imported_at, s.spec_name, s.spec, {handling} FROM sources s {join} "
            f"WHERE len($names) = 0 OR list_contains($names, s.name) "
            f"OR list_contains($names, s.id::TEXT) ORDER BY s.id",
            {"names": list(names)}).fetchall()
        return [SourceCopy(SourceInfo(*r[:8]), r[8], r[9]) for r in rows]

    def stored_decisions(self) -> list[Decision]:
        if not self.conn.execute("SELECT count(*) FROM information_schema.tables "
                                 "WHERE table_name = 'decisions'").fetchone()[0]:
            return []  # a file older than decisions (format version 1), opened to read
        return duck_decisions.read(self.conn)

    def said(self, source: int, ids: list[int]) -> tuple[list[tuple], list[tuple]]:
        """What ``source`` said about the entities ``ids``: its own words if it was copied
        here, else (imported here) the file's for the entities it named first, and only the
        identity of the others."""
        c, p = self.conn, {"ids": ids, "s": source}
        if _kept(c) and c.execute("SELECT count(*) FROM source_handling WHERE source_id = ?",
                                  [source]).fetchone()[0]:
            return (c.execute("SELECT e.id, e.type, e.identity, n.label, n.date, n.lat, n.lon, "
                              "n.fold FROM entities e JOIN source_entities n ON n.entity_id = "
                              "e.id AND n.source_id = $s WHERE list_contains($ids, e.id) "
                              "ORDER BY e.id", p).fetchall(),
                    c.execute("SELECT entity_id, name, value, fold FROM source_attributes "
                              "WHERE source_id = $s AND list_contains($ids, entity_id)", p
                              ).fetchall())
        entities = [row if row[8] == source else (*row[:3], row[2], None, None, None,
                                                   fold(row[2]))
                    for row in c.execute("SELECT id, type, identity, label, date, lat, lon, "
                                         "fold, source_id FROM entities WHERE list_contains("
                                         "$ids, id) ORDER BY id", {"ids": ids}).fetchall()]
        attributes = c.execute("SELECT a.entity_id, a.name, a.value, a.fold "
                               "FROM entity_attributes a JOIN entities e ON e.id = a.entity_id "
                               "WHERE e.source_id = $s AND list_contains($ids, a.entity_id)",
                               p).fetchall()
        return [row[:8] for row in entities], attributes


class DuckWriter:
    def __init__(self, conn: duckdb.DuckDBPyConnection) -> None:
        self.conn = conn

    def _run(self, sql: str, params: list | None = None) -> None:
        """A statement run to its end (DuckDB will not register a chunk's tables while a
        statement's result is unread)."""
        self.conn.execute(sql, params or []).fetchall()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self._run("BEGIN")
        try:
            yield
        except BaseException:
            self._run("ROLLBACK")
            raise
        self._run("COMMIT")

    def add_types(self, rows: list[tuple[str, str, str]]) -> None:
        for row in rows:
            self._run("INSERT INTO types VALUES (?, ?, ?) ON CONFLICT DO NOTHING", list(row))

    def holds(self, source: SourceCopy) -> str | None:
        rows = self.conn.execute("SELECT name FROM sources WHERE file_hash = ? ORDER BY id "
                                 "LIMIT 1", [source.info.file_hash]).fetchall()
        return rows[0][0] if rows else None

    def new_source(self, source: SourceCopy, handling: str) -> int:
        c, s = self.conn, source.info
        sid = int(c.execute("SELECT coalesce(max(id), 0) + 1 FROM sources").fetchall()[0][0])
        self._run("INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  [sid, s.name, s.file, s.file_hash, s.rows_read, s.rows_imported,
                   s.imported_at, s.spec_name, source.spec])
        for statement in KEPT.split(";")[:-1]:
            self._run(statement)
        self._run("INSERT INTO source_handling VALUES (?, ?)", [sid, handling])
        return sid

    def add_decisions(self, decisions: list[DecisionCopy], sources: list[int]) -> int:
        def find(types: list[str], keys: list[str]) -> list[tuple]:
            return self.conn.execute(
                "SELECT e.type, e.identity, e.id FROM (SELECT unnest($t) AS t, unnest($k) AS k) "
                "w JOIN entities e ON e.type = w.t AND e.identity = w.k WHERE EXISTS (SELECT 1 "
                "FROM source_entities s WHERE s.entity_id = e.id "
                "AND list_contains($s, s.source_id))",
                {"t": types, "k": keys, "s": sources}).fetchall()

        return duck_decisions.carry(self.conn, placed(decisions, find))

    def land(self, source: int, rows: ChunkRows) -> None:
        """A chunk landed as an import lands one (duck_land.py), with what this source
        said about its entities kept beside them."""
        c = self.conn
        land = Landing(c, source)
        from_pairs(c, rows)
        try:
            land.entities()
            self._run("INSERT INTO source_entities SELECT ?, i.id, n.label, n.date, n.lat, "
                      "n.lon, n.fold FROM chunk_entities n JOIN chunk_ids i USING (ckey)",
                      [source])
            self._run("INSERT INTO source_attributes SELECT ?, i.id, a.name, a.value, a.fold "
                      "FROM chunk_attributes a JOIN chunk_ids i USING (ckey)", [source])
            land.records_and_links()
        finally:
            drop(c, pairs=True)
