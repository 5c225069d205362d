"""A chunk's rows landed in a DuckDB store (format version 3): the set-based statements an
import (ingest.py) and a transfer (duck_transfer.py) share.

What lands is a set of temporary tables or views named ``chunk_*``, keyed by chunk-local
numbers (entities by ``ckey``, records by ``rkey``, links by ``clink``):

- ``chunk_entities`` (ckey, type, identity, label, date, lat, lon, fold), one per identity;
- ``chunk_attributes`` (ckey, name, value, fold, ...);
- ``chunk_records`` (rkey, row, okey) and ``chunk_origins`` (okey, name, sheet,
  reliability, credibility): each record's file, sheet and grading named once;
- ``chunk_links`` (clink, a, b, type, label, direction, strength, date, attributes, merged,
  rkey, ends): a link with its first record; ``a`` and ``b`` are ckeys, or store ids when
  the bulk path found them already (``ends_resolved``); ``ends`` which of its ends this
  record's provenance stands for (1: a, 2: b, 3: both; 0: another link of the same row
  does, see schema.py);
- ``chunk_link_more`` (clink, rkey, ends): a link's further records (a ``merge`` link's);
- ``chunk_entity_more`` (ckey, rkey): a record that made an entity and no link of the chunk
  to it (the store reaches every other entity's records through its links).

The chart importer's chunks and a transfer's come as the six Arrow tables of
``rows.ChunkRows``; :func:`from_pairs` turns them into the tables above. The bulk path
(bulk.py) makes them directly, and lands its entities before it makes its links, so that a
link is written with its ends' store ids and no join.
"""

from __future__ import annotations

import duckdb

from workbench.store.rows import ChunkRows

_PAIRS = ("entities", "attributes", "records", "entity_records", "links", "link_records")
_MADE = ("chunk_origins", "chunk_records", "chunk_links", "chunk_link_more",
         "chunk_entity_more")


class Landing:
    """One source's chunks into the store: ids continue from the store's largest."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, source_id: int) -> None:
        self.conn, self.source_id = conn, source_id
        # a record's id is this base plus its rkey (a chunk's row number, or a bulk file's
        # position): the same for every chunk of the source
        self.next_entity, self.record_base, self.next_link = (
            conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {t}").fetchall()[0][0]
            for t in ("entities", "record_rows", "links"))

    def _run(self, sql: str, params: list | None = None) -> int:
        """A statement run to its end; the rows it changed (DuckDB will not register a
        chunk's tables while a result is unread)."""
        rows = self.conn.execute(sql, params or []).fetchall()
        return int(rows[0][0]) if rows and rows[0] and isinstance(rows[0][0], int) else 0

    # ----- entities --------------------------------------------------------------------
    def entities(self) -> None:
        """New identities inserted, ``chunk_ids`` (ckey, id) made, their words kept for
        search, an entity without a date or place given this chunk's, attributes an entity
        lacks added."""
        first = self.next_entity
        # each identity of the chunk looked for in the store once, by one join on its text
        # (the store's one writer inserts only those it does not hold, so no key is needed
        # to keep one entity per identity); the new ones numbered in the chunk's order
        self._run("CREATE OR REPLACE TEMP TABLE chunk_ids AS SELECT n.ckey, coalesce(e.id, "
                  "? + row_number() OVER (PARTITION BY e.id IS NULL ORDER BY n.ckey) - 1) "
                  "AS id, e.id IS NULL AS new FROM chunk_entities n LEFT JOIN entities e "
                  "ON e.type = n.type AND e.identity = n.identity", [first])
        self.next_entity += self._run(  # in id order, as readers skip blocks by id
            "INSERT INTO entities SELECT i.id, n.type, n.identity, n.label, n.date, n.lat, "
            "n.lon, n.fold, ? FROM chunk_entities n JOIN chunk_ids i USING (ckey) "
            "WHERE i.new ORDER BY i.id", [self.source_id])
        if self.next_entity > first:
            self._run(  # the new words, in order of letters (search.py reads them so)
                "INSERT INTO label_words SELECT w, length(w) - d, d FROM (SELECT w, length(w) - "
                "length(translate(w, '0123456789', '')) AS d FROM (SELECT DISTINCT "
                "unnest(string_split(fold, ' ')) AS w FROM entities WHERE id >= ?) n "
                "WHERE w <> '' AND NOT EXISTS (SELECT 1 FROM label_words x WHERE x.word = n.w)) "
                "ORDER BY 2, 1", [first])
        # an entity the store knew takes this chunk's date or place where it had none
        # (skipped when the chunk has none, or knew no entity)
        dated, placed = self.conn.execute("SELECT count(date), count(lat) FROM chunk_entities"
                                          ).fetchall()[0]
        known = self.conn.execute("SELECT count(*) FROM chunk_ids WHERE NOT new").fetchall()[0][0]
        for column, given, sets in (("date", dated, "date = n.date"),
                                    ("lat", placed, "lat = n.lat, lon = n.lon")):
            if given and known:
                self._run(f"UPDATE entities SET {sets} FROM chunk_entities n JOIN chunk_ids i "
                          f"USING (ckey) WHERE entities.id = i.id AND NOT i.new "
                          f"AND entities.{column} IS NULL AND n.{column} IS NOT NULL")
        # attributes: a new entity's all; a known one's only those it does not have yet (no
        # key on the table: an index of every attribute would have to fit in memory)
        self._run("INSERT INTO entity_attributes SELECT i.id, a.name, a.value, a.fold "
                  "FROM chunk_attributes a JOIN chunk_ids i USING (ckey) WHERE i.new")
        if known:
            self._run("INSERT INTO entity_attributes SELECT i.id, a.name, a.value, a.fold "
                      "FROM chunk_attributes a JOIN chunk_ids i USING (ckey) WHERE NOT i.new "
                      "AND NOT EXISTS (SELECT 1 FROM entity_attributes x "
                      "WHERE x.entity_id = i.id AND x.name = a.name)")

    # ----- records and links ------------------------------------------------------------
    def records_and_links(self, ends_resolved: bool = False) -> int:
        """Records, the entities' records no link reaches, and links; returns the links
        added. Record ids are ``record_base`` plus their rkey."""
        base = self.record_base
        self._run("CREATE OR REPLACE TEMP TABLE chunk_origin_ids AS SELECT c.okey, "
                  "coalesce(o.id, (SELECT coalesce(max(id), 0) FROM record_origins) + "
                  "row_number() OVER (ORDER BY c.okey)) AS id, o.id IS NULL AS new, c.name, "
                  "c.sheet, c.reliability, c.credibility FROM chunk_origins c "
                  "LEFT JOIN record_origins o ON o.name = c.name AND o.sheet = c.sheet "
                  "AND o.reliability = c.reliability AND o.credibility = c.credibility")
        self._run("INSERT INTO record_origins SELECT id, name, sheet, reliability, credibility "
                  "FROM chunk_origin_ids WHERE new")
        self._run("INSERT INTO record_rows SELECT ? + r.rkey, ?, r.row, o.id "
                  "FROM chunk_records r JOIN chunk_origin_ids o USING (okey)",
                  [base, self.source_id])
        self._run("INSERT INTO entity_records_more SELECT i.id, ? + m.rkey "
                  "FROM chunk_entity_more m JOIN chunk_ids i USING (ckey)", [base])
        added = self._links(ends_resolved)
        self.next_link += self.conn.execute(  # the bulk path's link numbers may leave gaps
            "SELECT coalesce(max(clink) + 1, 0) FROM chunk_links").fetchall()[0][0]
        return added

    def _links(self, ends_resolved: bool) -> int:
        """Each a new link, except those of a spec link with ``merge``, which join the
        store's link of the same type between the same two entities (their records then
        all go to link_records_more)."""
        base, rbase, sid = self.next_link, self.record_base, self.source_id
        e1, e2, joins = ("l.a", "l.b", "") if ends_resolved else (
            "a.id", "b.id", "JOIN chunk_ids a ON a.ckey = l.a JOIN chunk_ids b ON b.ckey = l.b")
        if not self.conn.execute("SELECT count(*) FROM chunk_links WHERE merged"
                                 ).fetchall()[0][0]:
            added = self._run(  # no merging: each link as it is, in one pass
                f"INSERT INTO links SELECT ? + l.clink, {e1}, {e2}, l.type, l.label, l.direction, "
                "l.strength, l.date, l.attributes, l.merged, ?, ? + l.rkey, l.ends "
                f"FROM chunk_links l {joins}", [base, sid, rbase])
            self._run("INSERT INTO link_records_more SELECT ? + clink, ? + rkey, ends "
                      "FROM chunk_link_more", [base, rbase])
            return added
        self._run(
            "CREATE OR REPLACE TEMP TABLE chunk_link_ids AS SELECT l.clink, e.end1, e.end2, "
            "coalesce((SELECT min(x.id) FROM links x WHERE l.merged AND x.merged "
            "AND x.type = l.type AND x.end1 = e.end1 AND x.end2 = e.end2), ? + l.clink) AS id "
            f"FROM chunk_links l JOIN (SELECT l.clink, {e1} AS end1, {e2} AS end2 "
            f"FROM chunk_links l {joins}) e USING (clink)", [base])
        added = self._run(
            "INSERT INTO links SELECT i.id, i.end1, i.end2, l.type, l.label, l.direction, "
            "l.strength, l.date, l.attributes, l.merged, ?, ? + l.rkey, l.ends "
            "FROM chunk_links l JOIN chunk_link_ids i USING (clink) WHERE i.id = ? + l.clink",
            [sid, rbase, base])
        # a new link's further records; every record of a link that joined the store's
        self._run("INSERT INTO link_records_more SELECT i.id, ? + r.rkey, r.ends FROM ("
                  "SELECT clink, rkey, ends, false AS first FROM chunk_link_more UNION ALL "
                  "SELECT clink, rkey, ends, true FROM chunk_links WHERE rkey IS NOT NULL) r "
                  "JOIN chunk_link_ids i USING (clink) WHERE NOT (r.first AND i.id = ? + r.clink)",
                  [rbase, base])
        return added


def from_pairs(conn: duckdb.DuckDBPyConnection, rows: ChunkRows) -> None:
    """The chart importer's (or a transfer's) Arrow tables as the ``chunk_*`` tables:
    records by origin, each link with its first record and the rest apart, and the
    entity-record pairs that no link of the chunk implies."""
    for name in _PAIRS:
        conn.register(f"pairs_{name}", getattr(rows, name))
    try:
        for name in ("entities", "attributes"):
            _run(conn, f"CREATE OR REPLACE TEMP TABLE chunk_{name} AS "
                         f"SELECT * FROM pairs_{name}")
        _run(conn, "CREATE OR REPLACE TEMP TABLE chunk_origins AS SELECT row_number() OVER "
                     "(ORDER BY name, sheet, reliability, credibility) AS okey, * FROM ("
                     "SELECT DISTINCT name, sheet, reliability, credibility FROM pairs_records)")
        _run(conn, "CREATE OR REPLACE TEMP TABLE chunk_records AS SELECT r.rkey, r.row, "
                     "o.okey FROM pairs_records r JOIN chunk_origins o USING "
                     "(name, sheet, reliability, credibility)")
        # which (link, record) stands for each pair of an end and a record: the first link
        _run(conn, "CREATE OR REPLACE TEMP TABLE chunk_claims AS SELECT clink, rkey, "
             "sum(side) AS ends FROM (SELECT min(2 * clink + side - 1) // 2 AS clink, rkey, "
             "min(2 * clink + side - 1) % 2 + 1 AS side FROM ("
             "SELECT r.clink, r.rkey, 1 AS side, l.a AS e FROM pairs_link_records r "
             "JOIN pairs_links l USING (clink) UNION ALL SELECT r.clink, r.rkey, 2, l.b "
             "FROM pairs_link_records r JOIN pairs_links l USING (clink)) GROUP BY e, rkey) "
             "GROUP BY clink, rkey")
        _run(conn, "CREATE OR REPLACE TEMP TABLE chunk_links AS SELECT l.*, f.rkey, "
             "coalesce(c.ends, 0)::TINYINT AS ends FROM pairs_links l LEFT JOIN (SELECT clink, "
             "min(rkey) AS rkey FROM pairs_link_records GROUP BY clink) f USING (clink) "
             "LEFT JOIN chunk_claims c ON c.clink = l.clink AND c.rkey = f.rkey")
        _run(conn, "CREATE OR REPLACE TEMP TABLE chunk_link_more AS SELECT r.clink, r.rkey, "
             "coalesce(c.ends, 0)::TINYINT AS ends FROM pairs_link_records r "
             "JOIN chunk_links l USING (clink) LEFT JOIN chunk_claims c "
             "ON c.clink = r.clink AND c.rkey = r.rkey WHERE r.rkey <> l.rkey")
        _run(conn, "CREATE OR REPLACE TEMP TABLE chunk_entity_more AS "
                     "SELECT ckey, rkey FROM pairs_entity_records EXCEPT "
                     "SELECT l.a, r.rkey FROM pairs_link_records r JOIN pairs_links l "
                     "USING (clink) EXCEPT SELECT l.b, r.rkey FROM pairs_link_records r "
                     "JOIN pairs_links l USING (clink)")
    finally:
        for name in _PAIRS:
            conn.unregister(f"pairs_{name}")


def _run(conn: duckdb.DuckDBPyConnection, sql: str) -> None:
    conn.execute(sql).fetchall()


def drop(conn: duckdb.DuckDBPyConnection, pairs: bool) -> None:
    """The temporary tables the landing made, and with ``pairs`` those from_pairs made
    (the bulk path drops its own views and tables)."""
    for name in ("chunk_ids", "chunk_origin_ids", "chunk_link_ids", "chunk_claims",
                 *(("chunk_entities", "chunk_attributes", *_MADE) if pairs else ())):
        conn.execute(f"DROP TABLE IF EXISTS {name}")
