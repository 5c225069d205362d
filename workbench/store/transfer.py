"""Copying a store's sources into another store: a ``.wbstore`` on a laptop into the shared
store and back, for work offline (``workbench store transfer SRC DST``).

Each source goes over whole and as it was: its name, file, hash, row counts, import time and
specification; every record with its sheet, row and grading; the entities its records made,
by type and identity (so they merge with the destination's entities of the same identity,
as an import would), with what this source said about them (label, date, place,
attributes); its links and which records stand behind each. What an analyst may copy out of
a shared store is what they may see. The handling goes with a source: into a shared store a
source keeps the handling it had there (remembered in the file, see docs/store.md), unless
``handling`` says otherwise; a file's own sources are handled ``owner``.

A source is read in chunks of records and written through the destination's own bulk path
(the chunk tables an import lands), all of a transfer in one transaction: interrupted or
refused, the destination is as before. A source the destination holds already (the same
file's hash) is refused unless ``again``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

import pyarrow as pa

from workbench.store.interface import Cancelled, Progress, SourceInfo, StoreCancelled, StoreError
from workbench.store.rows import (
    _ATTRIBUTE_SCHEMA,
    _ENTITY_SCHEMA,
    _LINK_SCHEMA,
    _RECORD_SCHEMA,
    ChunkRows,
    _pair_schema,
)

CHUNK_RECORDS = 50_000


@dataclass(frozen=True, slots=True)
class SourceCopy:
    """One source as it leaves its store."""

    info: SourceInfo  # imported_at naive, in UTC
    spec: str
    handling: str | None  # "owner", "all", "shared:ORG,ORG"; None: a file's own source


class SourceReader(Protocol):
    def sources(self, names: Sequence[str]) -> list[SourceCopy]: ...

    def type_rows(self) -> list[tuple[str, str, str]]: ...

    def chunks(self, source: int) -> Iterator[ChunkRows]: ...


class SourceWriter(Protocol):
    def transaction(self) -> AbstractContextManager[Any]: ...

    def add_types(self, rows: list[tuple[str, str, str]]) -> None: ...

    def holds(self, source: SourceCopy) -> str | None:
        """How the destination names a source it already holds with this file's hash."""
        ...

    def new_source(self, source: SourceCopy, handling: str) -> int: ...

    def land(self, source: int, rows: ChunkRows) -> None: ...


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


def transfer(reader: SourceReader, writer: SourceWriter, *, names: Sequence[str] = (),
             handling: str | None = None, again: bool = False,
             progress: Progress | None = None, cancelled: Cancelled | None = None,
             where: str = "the destination") -> list[SourceCopy]:
    """Copy the sources named (all, if none) from ``reader``'s store to ``writer``'s, in
    one transaction; returns what was copied."""
    report: Callable[[float, str], None] = progress or (lambda f, m: None)
    stop = cancelled or (lambda: False)
    sources = reader.sources(names)
    if not sources:
        raise StoreError("no source to copy" + (f" named {', '.join(map(repr, names))}"
                                               if names else " (the store is empty)"))
    with writer.transaction():
        writer.add_types(reader.type_rows())
        for n, source in enumerate(sources):
            held = None if again else writer.holds(source)
            if held is not None:
                raise StoreError(f"{source.info.file}: {where} holds this file already (as "
                                 f"source {held!r}); give --again to copy it once more")
            sid = writer.new_source(source, handling or source.handling or "owner")
            for rows in reader.chunks(source.info.id):
                if stop():
                    raise StoreCancelled("transfer cancelled; the destination is as it was")
                writer.land(sid, rows)
                report((n + 0.5) / len(sources), f"{source.info.name}: "
                       f"{rows.records.num_rows:,} records")
    report(1.0, "copied")
    return sources


def reader_of(store: Any) -> SourceReader:
    """The engine's reader of an open store."""
    if store.engine == "postgresql":
        from workbench.store.pg.transfer import PgReader

        return PgReader(store)
    from workbench.store.duck_transfer import DuckReader

    return DuckReader(store.conn)


def writer_of(store: Any) -> SourceWriter:
    """The engine's writer into an open store (a file opened for writing)."""
    if store.engine == "postgresql":
        from workbench.store.pg.transfer import PgWriter

        return PgWriter(store)
    from workbench.store.duck_transfer import DuckWriter

    return DuckWriter(store.conn)
