"""The ``.wbstore`` file: its tables, its format version, and opening it safely.

A store is a DuckDB database. Opening one turns every way it can fail into one line for the
analyst: another program holds it ("in use by another program": DuckDB lets one process
write a file at a time), the file is damaged or not a store (refused with the reason DuckDB
gives), or it was written by a newer Workbench (refused, naming both versions). The schema is
documented in docs/store.md; change the two together. Version 1 is the first: when a version 2
comes, its step from 1 goes here, run inside one transaction with the version update, so a
failed migration leaves the version-1 store whole.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from workbench import __version__
from workbench.store.interface import StoreError

FORMAT_NAME = "workbench-store"
FORMAT_VERSION = 1
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
    try:
        if create:
            _create(conn)
        else:
            _check_version(conn, path)
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
    conn.execute("INSERT INTO store_format VALUES (?, ?, now()::TIMESTAMP, ?)",
                 [FORMAT_NAME, FORMAT_VERSION, __version__])
    conn.execute("COMMIT")


def _check_version(conn: duckdb.DuckDBPyConnection, path: Path) -> None:
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
