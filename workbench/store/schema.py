"""The ``.wbstore`` file: its tables, its format version, and opening it safely.

A store is a DuckDB database. Opening one turns every way it can fail into one line for the
analyst: another program holds it ("in use by another program": DuckDB lets one process
write a file at a time), the file is damaged or not a store (refused with the reason DuckDB
gives), or it was written by a newer Workbench (refused, naming both versions). The schema is
documented in docs/store.md; change the two together. A new store is made by the version-1
schema and every step after it, so a new store and a migrated one are the same; an older store
is taken forward step by step inside one transaction with the version update, so a failed
migration leaves it whole at its old version. Version 2 added the analysts' decisions on
candidate pairs (``decisions``: workbench/store/decisions.py). Version 3 made an import write
less per source row (see STEPS[3]); the tables it replaced live on as views of the same names
and columns, so every read written against version 2 reads a version-3 store unchanged.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from workbench import __version__
from workbench.store.interface import StoreError

FORMAT_NAME = "workbench-store"
FORMAT_VERSION = 3
MEMORY_LIMIT = "1GB"  # DuckDB spills to disk past this (a 2.5M-row commit needed more than 512MB)

SCHEMA = """
CREATE TABLE store_format (
    name TEXT NOT NULL, version INTEGER NOT NULL, created TIMESTAMP NOT NULL,
    app_version TEXT NOT NULL);
CREATE TABLE sources (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, file TEXT NOT NULL, file_hash TEXT NOT NULL,
    rows_read BIGINT NOT NULL, rows_imported BIGINT NOT NULL, imported_at TIMESTAMP NOT NULL,
    spec_name TEXT NOT NULL, spec TEXT NOT NULL);
CREATE TABLE types (
    kind TEXT NOT NULL, name TEXT NOT NULL, definition TEXT NOT NULL, PRIMARY KEY (kind, name));
CREATE TABLE records (
    id BIGINT NOT NULL, source_id INTEGER NOT NULL, name TEXT NOT NULL, sheet TEXT NOT NULL,
    row BIGINT, reliability TEXT NOT NULL, credibility TEXT NOT NULL);
CREATE TABLE entities (
    id BIGINT NOT NULL, type TEXT NOT NULL, identity TEXT NOT NULL, label TEXT NOT NULL,
    date TIMESTAMP, lat DOUBLE, lon DOUBLE, fold TEXT NOT NULL,
    source_id INTEGER NOT NULL, UNIQUE (type, identity));
CREATE TABLE entity_attributes (
    entity_id BIGINT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL, fold TEXT NOT NULL);
CREATE TABLE entity_records (entity_id BIGINT NOT NULL, record_id BIGINT NOT NULL);
CREATE TABLE links (
    id BIGINT NOT NULL, end1 BIGINT NOT NULL, end2 BIGINT NOT NULL, type TEXT NOT NULL,
    label TEXT NOT NULL, direction TEXT NOT NULL, strength TEXT NOT NULL, date TIMESTAMP,
    attributes TEXT, merged BOOLEAN NOT NULL, source_id INTEGER NOT NULL);
CREATE TABLE link_records (link_id BIGINT NOT NULL, record_id BIGINT NOT NULL);
"""
# The step to each version from the one before it, run in one transaction with the update of
# store_format. Never edit a step once released: add the next one.
STEPS: dict[int, str] = {
    2: """
CREATE TABLE decisions (
    a BIGINT NOT NULL, b BIGINT NOT NULL, decision TEXT NOT NULL, decided_by TEXT NOT NULL,
    decided_at TIMESTAMP NOT NULL, method TEXT NOT NULL, probability DOUBLE, evidence TEXT,
    PRIMARY KEY (a, b), CHECK (a < b), CHECK (decision IN ('accepted', 'rejected')));
""",
    # What an import writes per source row, cut to what cannot be derived: a record is its
    # id, source, row and a number naming its file, sheet and grading (record_origins: one
    # row per file imported); a link holds its first record itself (record_id), and only a
    # merged link's further records have rows of their own (link_records_more); an entity's
    # records are those of the links that reach it (a row makes a link only where it made
    # both ends), and only a record that made an entity without a link to it has a row
    # (entity_records_more). Where one row's links reach an entity more than once (an
    # advert's link to its phone and to its e-mail; a call to oneself), ``ends`` says which
    # of them stands for the pair (1: end1, 2: end2, 3: both), so the view entity_records
    # gives each pair once without a DISTINCT, which would stop a reader's filter on
    # entity_id from reaching the tables. The UNIQUE (type, identity) key went: an import
    # finds known identities by a join against the chunk's distinct ones (its one writer
    # inserts only the others), and the index cost more to keep than the rest of the row.
    # label_words holds every word of every entity's search text, with its letters and
    # digits, so a typo is compared with the distinct words, not every word of every label
    # (each import adds its new words in order of letters: a search skips, by the row
    # groups' ranges, the blocks of ids and numbers too short in letters to be close).
    3: """
CREATE TABLE record_origins (
    id INTEGER NOT NULL, name TEXT NOT NULL, sheet TEXT NOT NULL, reliability TEXT NOT NULL,
    credibility TEXT NOT NULL);
INSERT INTO record_origins SELECT row_number() OVER (ORDER BY name, sheet, reliability,
    credibility), name, sheet, reliability, credibility
    FROM (SELECT DISTINCT name, sheet, reliability, credibility FROM records);
CREATE TABLE record_rows (
    id BIGINT NOT NULL, source_id INTEGER NOT NULL, row BIGINT, origin INTEGER NOT NULL);
INSERT INTO record_rows SELECT r.id, r.source_id, r.row, o.id FROM records r
    JOIN record_origins o USING (name, sheet, reliability, credibility) ORDER BY r.id;
DROP TABLE records;
CREATE VIEW records AS SELECT r.id, r.source_id, o.name, o.sheet, r.row, o.reliability,
    o.credibility FROM record_rows r JOIN record_origins o ON o.id = r.origin;
CREATE TABLE entities_3 (
    id BIGINT NOT NULL, type TEXT NOT NULL, identity TEXT NOT NULL, label TEXT NOT NULL,
    date TIMESTAMP, lat DOUBLE, lon DOUBLE, fold TEXT NOT NULL, source_id INTEGER NOT NULL);
INSERT INTO entities_3 SELECT * FROM entities ORDER BY id;
DROP TABLE entities;
ALTER TABLE entities_3 RENAME TO entities;
CREATE TABLE links_3 (
    id BIGINT NOT NULL, end1 BIGINT NOT NULL, end2 BIGINT NOT NULL, type TEXT NOT NULL,
    label TEXT NOT NULL, direction TEXT NOT NULL, strength TEXT NOT NULL, date TIMESTAMP,
    attributes TEXT, merged BOOLEAN NOT NULL, source_id INTEGER NOT NULL, record_id BIGINT,
    ends TINYINT NOT NULL);
CREATE TEMP TABLE link_claims AS SELECT link_id, record_id, sum(side) AS ends FROM (
    SELECT min(2 * x.link_id + x.side - 1) // 2 AS link_id, x.record_id,
        min(2 * x.link_id + x.side - 1) % 2 + 1 AS side
    FROM (SELECT r.link_id, r.record_id, 1 AS side, l.end1 AS e FROM link_records r
          JOIN links l ON l.id = r.link_id
          UNION ALL SELECT r.link_id, r.record_id, 2, l.end2 FROM link_records r
          JOIN links l ON l.id = r.link_id) x
    GROUP BY x.e, x.record_id)
GROUP BY link_id, record_id;
INSERT INTO links_3 SELECT l.*, f.record_id, coalesce(c.ends, 0) FROM links l LEFT JOIN (
    SELECT link_id, min(record_id) AS record_id FROM link_records GROUP BY link_id) f
    ON f.link_id = l.id LEFT JOIN link_claims c ON c.link_id = l.id
    AND c.record_id = f.record_id ORDER BY l.id;
CREATE TABLE link_records_more (
    link_id BIGINT NOT NULL, record_id BIGINT NOT NULL, ends TINYINT NOT NULL);
INSERT INTO link_records_more SELECT x.link_id, x.record_id, coalesce(c.ends, 0)
    FROM link_records x JOIN links_3 l ON l.id = x.link_id LEFT JOIN link_claims c
    ON c.link_id = x.link_id AND c.record_id = x.record_id
    WHERE x.record_id <> l.record_id ORDER BY x.link_id, x.record_id;
DROP TABLE link_claims;
DROP TABLE links;
DROP TABLE link_records;
ALTER TABLE links_3 RENAME TO links;
CREATE VIEW link_records AS
    SELECT id AS link_id, record_id FROM links WHERE record_id IS NOT NULL
    UNION ALL SELECT link_id, record_id FROM link_records_more;
CREATE TABLE entity_records_more (entity_id BIGINT NOT NULL, record_id BIGINT NOT NULL);
INSERT INTO entity_records_more SELECT entity_id, record_id FROM (
    SELECT entity_id, record_id FROM entity_records EXCEPT
    SELECT l.end1, x.record_id FROM link_records x JOIN links l ON l.id = x.link_id EXCEPT
    SELECT l.end2, x.record_id FROM link_records x JOIN links l ON l.id = x.link_id)
    ORDER BY entity_id, record_id;
DROP TABLE entity_records;
CREATE VIEW entity_records AS
    SELECT end1 AS entity_id, record_id FROM links WHERE ends IN (1, 3)
    UNION ALL SELECT end2, record_id FROM links WHERE ends >= 2
    UNION ALL SELECT l.end1, x.record_id FROM link_records_more x
        JOIN links l ON l.id = x.link_id WHERE x.ends IN (1, 3)
    UNION ALL SELECT l.end2, x.record_id FROM link_records_more x
        JOIN links l ON l.id = x.link_id WHERE x.ends >= 2
    UNION ALL SELECT entity_id, record_id FROM entity_records_more;
CREATE TABLE label_words (word TEXT NOT NULL, letters INTEGER NOT NULL, digits INTEGER NOT NULL);
INSERT INTO label_words SELECT word, length(word) - digits, digits FROM (
    SELECT word, length(word) - length(translate(word, '0123456789', '')) AS digits FROM (
        SELECT DISTINCT unnest(string_split(fold, ' ')) AS word FROM entities)
    WHERE word <> '') ORDER BY 2, 1;
""",
}

def _config() -> dict[str, str]:
    return {"memory_limit": MEMORY_LIMIT, "threads": "2"}


def connect(path: str | Path, *, create: bool = False,
            read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (or with ``create`` make) a store, checked; raises StoreError in one line."""
    path = Path(path)
    if not create and not path.is_file():
        raise StoreError(f"{path}: no such store" + (" (it is a folder)" if path.is_dir()
                                                      else ""))
    if create and path.exists() and path.stat().st_size > 0:
        raise StoreError(f"{path}: already exists; it is not replaced")
    try:
        conn = duckdb.connect(str(path), read_only=read_only, config=_config())
    except duckdb.IOException as exc:
        raise StoreError(_open_problem(path, exc)) from None
    except duckdb.Error as exc:
        raise StoreError(f"{path}: damaged, cannot be opened ({_first_line(exc)})") from None
    # no DuckDB progress bar on the terminal (a migration, a long import): Workbench reports
    # its own progress
    conn.execute("SET enable_progress_bar = false")
    try:
        if create:
            _create(conn)
            return conn
        version = _check_version(conn, path)
    except BaseException:
        conn.close()
        raise
    if version == FORMAT_VERSION:
        return conn
    if read_only:  # a reader of an older store takes it forward first, then reads
        conn.close()
        connect(path).close()
        return connect(path, read_only=True)
    try:
        _migrate(conn, version, path)
    except BaseException:
        conn.close()
        raise
    return conn


def engine_problem(path: str | Path, exc: duckdb.Error) -> str:
    """One line for an engine error met while working on an open store."""
    text = _first_line(exc)
    if "could not allocate" in text or "Out of Memory" in text:
        return f"{path}: not enough memory to finish ({text}); the store is as it was"
    if "No space left" in text or "disk is full" in text.lower():
        return f"{path}: the disk is full; the store is as it was before this change"
    if "checksum" in text.lower() or "corrupt" in text.lower():
        return f"{path}: damaged, cannot be read ({text})"
    return f"{path}: the store could not be read or changed ({text})"


def _open_problem(path: Path, exc: duckdb.Error) -> str:
    text = str(exc)
    if "lock" in text.lower():
        return f"{path}: in use by another program (close it there, or wait for its import " \
               "to finish)"
    if "not a valid DuckDB database" in text:
        return f"{path}: not a Workbench store (not a DuckDB database file)"
    if "version" in text.lower() and "storage" in text.lower():
        return f"{path}: written by a newer database engine; update Workbench to open it"
    return f"{path}: damaged, cannot be opened ({_first_line(exc)})"


def _first_line(exc: BaseException) -> str:
    return " ".join(str(exc).split("\n")[0].split())


def _create(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute("BEGIN")
    conn.execute(SCHEMA)
    for version in sorted(STEPS):
        conn.execute(STEPS[version])
    conn.execute("INSERT INTO store_format VALUES (?, ?, now()::TIMESTAMP, ?)",
                 [FORMAT_NAME, FORMAT_VERSION, __version__])
    conn.execute("COMMIT")


def _migrate(conn: duckdb.DuckDBPyConnection, version: int, path: Path) -> None:
    """Every step from ``version`` to FORMAT_VERSION and the version update, all or nothing."""
    try:
        conn.execute("BEGIN")
        for step in range(version + 1, FORMAT_VERSION + 1):
            conn.execute(STEPS[step])
        conn.execute("UPDATE store_format SET version = ?, app_version = ?",
                     [FORMAT_VERSION, __version__])
        conn.execute("COMMIT")
    except duckdb.Error as exc:
        conn.execute("ROLLBACK")
        raise StoreError(f"{path}: could not be brought from store format version {version} "
                         f"to {FORMAT_VERSION} ({_first_line(exc)}); it is as it was"
                         ) from None


def _check_version(conn: duckdb.DuckDBPyConnection, path: Path) -> int:
    try:
        row = conn.execute("SELECT name, version FROM store_format").fetchone()
    except duckdb.CatalogException:
        raise StoreError(f"{path}: not a Workbench store (a DuckDB database without the "
                         "store's tables)") from None
    except duckdb.Error as exc:
        raise StoreError(f"{path}: damaged, cannot be read ({_first_line(exc)})") from None
    if row is None or row[0] != FORMAT_NAME:
        raise StoreError(f"{path}: not a Workbench store")
    version = int(row[1])
    if version > FORMAT_VERSION:
        raise StoreError(f"{path}: store format version {version} is newer than this "
                         f"Workbench reads ({FORMAT_VERSION}); update Workbench to open it")
    if version < 1:
        raise StoreError(f"{path}: damaged (store format version {version} does not exist)")
    return version
