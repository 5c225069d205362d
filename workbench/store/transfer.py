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

The analysts' decisions on duplicates (``workbench store resolve``: these two are one, these
two are not) go along, in the same transaction: each by the identities of its two entities,
which the copied sources name in the destination too, so there it joins the same two
entities whatever their ids. A decision one of whose entities no copied source names stays
behind (its pair is not in the copy) and is counted; out of a shared store go only the
analyst's organisation's decisions (the only ones they see), into one they become the
analyst's organisation's. A pair the destination has decided already keeps the later
decision.

A source is read in chunks of records and written through the destination's own bulk path
(the chunk tables an import lands), all of a transfer in one transaction: interrupted or
refused, the destination is as before. A source the destination holds already (the same
file's hash) is refused unless ``again``; a file the source store itself holds twice (imported
again) goes over as both its sources.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from workbench.store.interface import (
    Cancelled,
    Decision,
    Progress,
    SourceInfo,
    StoreCancelled,
    StoreError,
)
from workbench.store.rows import ChunkRows


@dataclass(frozen=True, slots=True)
class SourceCopy:
    """One source as it leaves its store."""

    info: SourceInfo  # imported_at naive, in UTC
    spec: str
    handling: str | None  # "owner", "all", "shared:ORG,ORG"; None: a file's own source


@dataclass(frozen=True, slots=True)
class DecisionCopy:
    """A decision as it leaves its store: its two entities by type and identity (their ids
    in ``decision`` are the source store's)."""

    a: tuple[str, str]
    b: tuple[str, str]
    decision: Decision


@dataclass(frozen=True, slots=True)
class Transferred:
    """What a transfer copied: the sources, the decisions kept in the destination, and the
    decisions left behind because a copied source names only one of their entities (or
    neither)."""

    sources: list[SourceCopy]
    decisions: int = 0
    decisions_left: int = 0


class SourceReader(Protocol):
    def sources(self, names: Sequence[str]) -> list[SourceCopy]: ...

    def type_rows(self) -> list[tuple[str, str, str]]: ...

    def chunks(self, source: int) -> Iterator[ChunkRows]: ...

    def decisions(self) -> list[DecisionCopy]:
        """Every decision the reader may see (none in a store too old to keep them)."""
        ...


class SourceWriter(Protocol):
    def transaction(self) -> AbstractContextManager[Any]: ...

    def add_types(self, rows: list[tuple[str, str, str]]) -> None: ...

    def holds(self, source: SourceCopy) -> str | None:
        """How the destination names a source it already holds with this file's hash."""
        ...

    def new_source(self, source: SourceCopy, handling: str) -> int: ...

    def land(self, source: int, rows: ChunkRows) -> None: ...

    def add_decisions(self, decisions: list[DecisionCopy], sources: list[int]) -> int:
        """Keep the decisions both of whose entities the new ``sources`` name, each
        unless the destination has a later one on its pair; returns how many were kept
        (a pair whose destination decision is later counts as kept)."""
        ...


def placed(decisions: list[DecisionCopy], find: Callable[[list[str], list[str]], list[tuple]]
           ) -> list[Decision]:
    """The decisions both of whose entities the destination holds, on its ids there.
    ``find(types, identities)`` (the entities' types and identities, each pair once) gives
    the rows (type, identity, id) of those it holds and will join decisions to."""
    ends = sorted({e for d in decisions for e in (d.a, d.b)})
    ids = {(t, k): i for t, k, i in find([t for t, _ in ends], [k for _, k in ends])}
    return [dataclasses.replace(d.decision, a=ids[d.a], b=ids[d.b])
            for d in decisions if d.a in ids and d.b in ids]


def transfer(reader: SourceReader, writer: SourceWriter, *, names: Sequence[str] = (),
             handling: str | None = None, again: bool = False,
             progress: Progress | None = None, cancelled: Cancelled | None = None,
             where: str = "the destination") -> Transferred:
    """Copy the sources named (all, if none) from ``reader``'s store to ``writer``'s, with
    the decisions on their entities, in one transaction; returns what was copied."""
    report: Callable[[float, str], None] = progress or (lambda f, m: None)
    stop = cancelled or (lambda: False)
    sources = reader.sources(names)
    if not sources:
        raise StoreError("no source to copy" + (f" named {', '.join(map(repr, names))}"
                                               if names else " (the store is empty)"))
    decisions = reader.decisions()
    with writer.transaction():
        writer.add_types(reader.type_rows())
        made, hashes = [], set()
        for n, source in enumerate(sources):
            # a file the source store holds twice (imported --again) goes over twice
            held = None if again or source.info.file_hash in hashes else writer.holds(source)
            hashes.add(source.info.file_hash)
            if held is not None:
                raise StoreError(f"{source.info.file}: {where} holds this file already (as "
                                 f"source {held!r}); give --again to copy it once more")
            sid = writer.new_source(source, handling or source.handling or "owner")
            made.append(sid)
            for rows in reader.chunks(source.info.id):
                if stop():
                    raise StoreCancelled("transfer cancelled; the destination is as it was")
                writer.land(sid, rows)
                report((n + 0.5) / len(sources), f"{source.info.name}: "
                       f"{rows.records.num_rows:,} records")
        kept = writer.add_decisions(decisions, made) if decisions else 0
    report(1.0, "copied")
    return Transferred(sources, kept, len(decisions) - kept)


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
