"""The embedded engine: a store in one DuckDB file (``.wbstore``), needing no server.

``DuckStore`` implements the :class:`~workbench.store.interface.Store` interface by composing
the modules that do the work: ingest (imports), search, graph (neighbourhoods and paths in
SQL) and charting (a chart from store rows). A store opened for reading lets other readers
in; one opened for writing (an import) holds the file alone, which DuckDB enforces, so a
second program gets "in use by another program".
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pyarrow as pa

from workbench.io.importspec import ImportSpec
from workbench.model import Chart, SourceRecord
from workbench.store import charting, connections, duck_decisions, duck_items, graph, search
from workbench.store.duck_match_rows import match_rows
from workbench.store.interface import (
    EACH_LINK_LIMIT,
    NO_FILTERS,
    Cancelled,
    ConnectionKey,
    Decision,
    Expansion,
    Filters,
    ImportResult,
    PathStep,
    Preview,
    Progress,
    SearchHit,
    SourceInfo,
    StoreError,
    StoreInfo,
)
from workbench.store.schema import FORMAT_VERSION, connect, engine_problem

T = TypeVar("T")


def _guarded(method: Callable[..., T]) -> Callable[..., T]:
    """Engine errors (a damaged block found mid-query, a full disk) as one StoreError line;
    a transaction that was open is rolled back by the import itself."""

    @functools.wraps(method)
    def guarded(self: DuckStore, *args: Any, **kwargs: Any) -> T:
        try:
            return method(self, *args, **kwargs)
        except duckdb.Error as exc:
            raise StoreError(engine_problem(self.path, exc)) from None

    return guarded


class DuckStore:
    """A ``.wbstore`` file, open. Use as a context manager, or call close()."""

    engine = "duckdb"

    def __init__(self, path: str | Path, *, create: bool = False,
                 read_only: bool = False) -> None:
        self.path = str(path)
        self.name = Path(path).name
        self.location = str(Path(path).resolve())  # what a chart drawn from it remembers
        self.read_only = read_only and not create
        self.conn = connect(path, create=create, read_only=self.read_only)

    def __enter__(self) -> DuckStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    # ----- what it holds -------------------------------------------------------------------
    @_guarded
    def info(self) -> StoreInfo:
        c = self.conn
        counts = [c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("entities", "links", "records")]
        types = dict(c.execute("SELECT type, count(*) FROM entities GROUP BY type "
                               "ORDER BY 2 DESC, 1").fetchall())
        link_types = dict(c.execute("SELECT type, count(*) FROM links GROUP BY type "
                                    "ORDER BY 2 DESC, 1").fetchall())
        sources = [SourceInfo(*row) for row in c.execute(
            "SELECT id, name, file, file_hash, rows_read, rows_imported, imported_at, "
            "spec_name FROM sources ORDER BY id").fetchall()]
        return StoreInfo(self.path, self.engine, FORMAT_VERSION, Path(self.path).stat().st_size,
                         *counts, types, link_types, sources)

    # ----- import ------------------------------------------------------------------------
    @_guarded
    def import_files(self, spec: ImportSpec, spec_text: str, files: Sequence[Path], *,
                     source_name: str | None = None, again: bool = False,
                     places: object | None = None, progress: Progress | None = None,
                     cancelled: Cancelled | None = None,
                     chunk_rows: int | None = None, bulk: bool = True) -> ImportResult:
        """``bulk=False`` sends every file through the chart importer chunk by chunk (the
        path the bulk path is checked against)."""
        if self.read_only:
            raise StoreError(f"{self.path}: opened for reading only")
        extra = {"chunk_rows": chunk_rows} if chunk_rows else {}
        from workbench.store.ingest import Ingest  # pandas: when a store imports

        job = Ingest(self.conn, spec, spec_text, source_name=source_name, places=places,
                     progress=progress, cancelled=cancelled, bulk=bulk, **extra)
        result = job.run(files, again)
        self.conn.execute("CHECKPOINT")
        return result

    # ----- search ------------------------------------------------------------------------
    @_guarded
    def search(self, text: str, *, types: Sequence[str] = (), limit: int = 20) -> list[SearchHit]:
        return search.search(self.conn, text, types=types, limit=limit)

    @_guarded
    def entity(self, entity: int) -> SearchHit | None:
        return search.entity_row(self.conn, entity)

    @_guarded
    def resolve_seed(self, seed: str) -> int:
        return search.resolve_seed(self.conn, seed, self.path)

    # ----- neighbourhoods and charts -------------------------------------------------------
    @_guarded
    def preview(self, seeds: Sequence[int], *, hops: int = 1, max_entities: int = 500,
                filters: Filters = NO_FILTERS, exclude: Sequence[int] = (),
                cancelled: Cancelled | None = None) -> Preview:
        return graph.preview(self.conn, seeds, hops=hops, cap=max_entities, filters=filters,
                             exclude=exclude, cancelled=cancelled)

    @_guarded
    def chart(self, seeds: Sequence[int], *, hops: int = 1, max_entities: int = 500,
              filters: Filters = NO_FILTERS, title: str | None = None,
              progress: Progress | None = None, cancelled: Cancelled | None = None) -> Chart:
        ids, left_out = self.neighbourhood(seeds, hops=hops, cap=max_entities, filters=filters,
                                           cancelled=cancelled, count=False)
        return charting.new_chart(self, ids, filters, title=title, progress=progress,
                                  left_out=left_out)

    @_guarded
    def expand(self, chart: Chart, entity: int, *, hops: int = 1, max_entities: int = 500,
               filters: Filters = NO_FILTERS, progress: Progress | None = None,
               cancelled: Cancelled | None = None) -> Expansion:
        return charting.expansion(self, chart, entity, hops=hops, cap=max_entities,
                                  filters=filters, progress=progress, cancelled=cancelled)

    @_guarded
    def each_link(self, chart: Chart, link: str, *,
                  limit: int = EACH_LINK_LIMIT) -> Expansion:
        return connections.each_link(self, chart, link, limit)

    @_guarded
    def first_records(self, chart: Chart, link: str, *, limit: int) -> list[SourceRecord]:
        return connections.first_records(self, chart, link, limit)

    @_guarded
    def news(self, entities: Sequence[int], since: int | datetime,
             filters: Filters = NO_FILTERS, max_entities: int = 500,
             known_links: Sequence[int] = ()) -> Preview:
        return graph.news(self.conn, entities, since, filters, cap=max_entities,
                          known_links=known_links)

    def last_source(self) -> int:
        """The id of the newest source: a chart drawn now remembers it, so that "new in the
        store" is every source after it."""
        return int(self.conn.execute("SELECT coalesce(max(id), 0) FROM sources").fetchone()[0])

    # ----- what charting reads (interface.ItemRows) ------------------------------------------
    @_guarded
    def neighbourhood(self, seeds: Sequence[int], *, hops: int, cap: int, filters: Filters,
                      known: Sequence[int] = (), cancelled: Cancelled | None = None,
                      count: bool = True) -> tuple[list[int], int | None]:
        return graph.neighbourhood(self.conn, seeds, hops=hops, cap=cap, filters=filters,
                                   known=known, cancelled=cancelled, count=count)

    def type_rows(self) -> list[tuple[str, str, str]]:
        return duck_items.type_rows(self.conn)

    def attribute_rows(self, ids: Sequence[int]) -> list[tuple[int, str, str]]:
        return duck_items.attribute_rows(self.conn, ids)

    def entity_rows(self, ids: Sequence[int]) -> list[tuple]:
        return duck_items.entity_rows(self.conn, ids)

    def link_rows(self, every: Sequence[int], new: Sequence[int], filters: Filters, cap: int
                  ) -> list[list[Any]]:
        return duck_items.link_rows(self.conn, every, new, filters, cap)

    def links_by_id(self, ids: Sequence[int], cap: int, grouped: bool = True
                    ) -> list[list[Any]]:
        return duck_items.links_by_id(self.conn, ids, cap, grouped)

    def connection_links(self, key: ConnectionKey, cap: int, limit: int
                         ) -> tuple[int, list[list[Any]]]:
        return duck_items.connection_links(self.conn, key, cap, limit)

    def connection_records(self, key: ConnectionKey, cap: int) -> list[tuple]:
        return duck_items.connection_records(self.conn, key, cap)

    def provenance_rows(self, ids: Sequence[int], cap: int) -> list[tuple]:
        return duck_items.provenance_rows(self.conn, ids, cap)

    def source_rows(self) -> list[tuple]:
        return duck_items.source_rows(self.conn)

    def accepted_partners(self, ids: Sequence[int]) -> list[int]:
        return duck_decisions.accepted_partners(self.conn, ids)

    @_guarded
    def shortest_path(self, a: int, b: int, *, max_hops: int = 6,
             cancelled: Cancelled | None = None) -> list[PathStep]:
        return graph.shortest_path(self.conn, a, b, max_hops=max_hops, cancelled=cancelled)

    # ----- entity resolution ---------------------------------------------------------------
    def match_rows(self, types: Sequence[str], *, batch_rows: int = 50_000
                   ) -> Iterator[pa.RecordBatch]:
        try:
            yield from match_rows(self.conn, types, batch_rows)
        except duckdb.Error as exc:
            raise StoreError(engine_problem(self.path, exc)) from None

    @_guarded
    def decisions(self, entities: Sequence[int] = ()) -> list[Decision]:
        return duck_decisions.read(self.conn, entities)

    @_guarded
    def record_decisions(self, decided: Sequence[Decision]) -> int:
        if self.read_only:
            raise StoreError(f"{self.path}: opened for reading only")
        return duck_decisions.write(self.conn, decided, self.path)
