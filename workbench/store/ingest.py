"""Importing files into a DuckDB store: one transaction, chunk after chunk, in bulk.

Each chunk of rows goes through the chart importer (``build_import`` against an empty chart,
so the specification, readers, normalisers and report are exactly a chart import's), is
flattened into Arrow tables (rows.py) and lands with a handful of set-based statements
(duck_land.py): new identities inserted (only those the store does not hold: the import is
its one writer), their details filled where the store had none, then records, provenance and
links appended. A CSV or Parquet file takes the bulk path instead (bulk.py), landed the same
way. Nothing is inserted row by row. The whole import is one transaction: Cancel, an error or
a killed process leaves the store as it was.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import json
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from workbench.io.import_report import ERROR, FileSummary, ImportReport, Issue
from workbench.io.import_setup import ChartWithTypes, pair_files
from workbench.io.import_values import Normaliser
from workbench.io.importspec import ImportSpec, SourceSpec
from workbench.io.text_table import ReadError
from workbench.model import Chart
from workbench.store.bulk import BulkFile
from workbench.store.bulk_stage import Stage, unsupported
from workbench.store.chunks import (
    CHUNK_ROWS,
    NORMALISED_CACHE,
    file_hash,
    is_parquet,
    plan_chunk,
    read_chunks,
)
from workbench.store.duck_land import Landing, drop, from_pairs
from workbench.store.interface import (
    Cancelled,
    ImportResult,
    Progress,
    SourceInfo,
    StoreCancelled,
    StoreError,
)
from workbench.store.rows import chunk_rows


class Interrupter:
    """Cancel reaches into a running statement: a thread that, from the moment ``cancelled``
    says so, interrupts the connection's query (DuckDB's read of a large file is one
    statement of many seconds); the statement then raises ``duckdb.InterruptException``."""

    POLL_SECONDS = 0.05

    def __init__(self, conn: duckdb.DuckDBPyConnection, cancelled: Cancelled) -> None:
        self.conn, self.cancelled = conn, cancelled
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._watch, name="store-import-cancel",
                                       daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        while not self.done.wait(self.POLL_SECONDS):
            if self.cancelled():
                try:
                    self.conn.interrupt()  # again at each poll: one between statements is lost
                except duckdb.ConnectionException:
                    return  # the connection closed under the import: nothing left to stop

    def stop(self) -> None:
        self.done.set()
        self.thread.join()


class Ingest:
    """One import into an open store connection (the caller holds the only writer)."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, spec: ImportSpec, spec_text: str, *,
                 source_name: str | None, places: object | None, progress: Progress | None,
                 cancelled: Cancelled | None, chunk_rows: int = CHUNK_ROWS,
                 bulk: bool = True) -> None:
        self.conn, self.spec, self.spec_text = conn, spec, spec_text
        self.source_name, self.places = source_name, places
        self.progress = progress or (lambda f, m: None)
        self.cancelled = cancelled or (lambda: False)
        self.rows = chunk_rows
        self.bulk = bulk
        self.stages: dict[int, Stage] = {}
        self.refused: dict[int, str] = {}  # files the bulk path could not take, and why
        self.report = ImportReport()
        self.folds: dict[tuple[str, str], str] = {}  # search texts, kept between chunks
        self.imported_at = datetime.now(UTC).replace(microsecond=0, tzinfo=None)

    # ----- the whole import ---------------------------------------------------------------
    def run(self, files: Sequence[Path], again: bool) -> ImportResult:
        jobs = pair_files(self.spec, files)
        hashes = {p: file_hash(Path(p)) for _, _, p in jobs if Path(p).is_file()}
        if not again:
            self._refuse_repeats(hashes)
        c = self.conn
        before = c.execute("SELECT count(*) FROM entities").fetchone()[0]
        collector = gc.isenabled()
        watch = Interrupter(c, self.cancelled)
        try:
            if self.bulk:  # outside the transaction: a file DuckDB cannot read must not abort
                self._stage(jobs)  # it (it goes through the chart reader instead)
            c.execute("BEGIN")
            gc.disable()  # millions of short-lived objects a chunk: collected once per chunk
            self._types()
            next_source = c.execute("SELECT coalesce(max(id), 0) + 1 FROM sources"
                                    ).fetchone()[0]
            sources: dict[Path, SourceInfo] = {}
            links_added = 0
            for k, (spec, source, path) in enumerate(jobs):
                path = Path(path)
                if path not in sources:
                    sources[path] = self._new_source(next_source, spec, source, path,
                                                     hashes.get(path, ""))
                    next_source += 1
                links_added += self._job(spec, source, path, sources[path].id, k, len(jobs))
            infos = [i for s in sources.values() if (i := self._finish_source(s)) is not None]
            after = c.execute("SELECT count(*) FROM entities").fetchone()[0]
            watch.stop()  # a commit runs to its end
            self._check()
            c.execute("COMMIT")
        except BaseException as exc:
            watch.stop()
            with contextlib.suppress(duckdb.Error):  # after a fatal engine error the
                c.execute("ROLLBACK")  # rollback fails too: report the first error, not it
            if isinstance(exc, duckdb.InterruptException) or (
                    isinstance(exc, duckdb.TransactionException) and self.cancelled()):
                # an interrupt that landed in a statement whose error is not reported (the
                # drop of a staging table) leaves the transaction aborted for the next one
                raise StoreCancelled("import cancelled; the store is as it was") from None
            raise
        finally:
            for stage in self.stages.values():
                with contextlib.suppress(duckdb.Error):
                    stage.drop()
            if collector:
                gc.enable()
        self.report.entities_new = after - before
        self.report.links_new = links_added
        self.progress(1.0, "imported")
        return ImportResult(self.report, infos, before, after, links_added)

    def _stage(self, jobs: list) -> None:
        """The files the bulk path can take, read by DuckDB into staging tables; a file it
        cannot take (see ``bulk_stage.unsupported``), or whose CSV DuckDB refuses, goes
        through the chart importer chunk by chunk, and the report notes why."""
        stages = self.stages
        for k, (spec, source, path) in enumerate(jobs):
            path = Path(path)
            if not path.is_file():
                continue
            why = unsupported(spec, source, path, self.places)
            if why is None:
                self.progress(0.0, f"reading {path.name}")
                try:
                    stages[k] = Stage(self.conn, k, path, source)
                    continue
                except duckdb.InterruptException:
                    raise
                except (duckdb.Error, ReadError) as exc:
                    why = " ".join(str(exc).split())[:200]
            if is_parquet(path):  # no chart reader for Parquet to fall back on
                self.refused[k] = f"{path.name}: not imported: {why}"
                continue
            self.report.notes.append(f"{path.name}: imported row by row through the chart "
                                     f"importer ({why})")

    def _refuse_repeats(self, hashes: dict) -> None:
        for path, digest in hashes.items():
            row = self.conn.execute("SELECT name, imported_at FROM sources WHERE file_hash = ? "
                                    "ORDER BY id LIMIT 1", [digest]).fetchone()
            if row is not None:
                raise StoreError(f"{Path(path).name}: this file was imported already (as "
                                 f"source {row[0]!r} on {row[1]:%Y-%m-%d %H:%M}); give "
                                 "--again to import it once more")

    def _types(self) -> None:
        """The spec's own entity and link types, so charts drawn later know them."""
        specs = self.spec.parts or [self.spec]
        for kind, types in (("entity", [t for s in specs for t in s.types]),
                            ("link", [t for s in specs for t in s.link_types])):
            for t in types:
                self.conn.execute("INSERT OR REPLACE INTO types VALUES (?, ?, ?)",
                                  [kind, t.name, json.dumps(t.to_json())])

    def _new_source(self, sid: int, spec: ImportSpec, source: SourceSpec, path: Path,
                    digest: str) -> SourceInfo:
        name = self.source_name or source.name or path.name
        self.conn.execute("INSERT INTO sources VALUES (?, ?, ?, ?, 0, 0, ?, ?, ?)",
                          [sid, name, path.name, digest, self.imported_at, spec.name,
                           self.spec_text])
        return SourceInfo(sid, name, path.name, digest, 0, 0, self.imported_at, spec.name)

    def _finish_source(self, s: SourceInfo) -> SourceInfo | None:
        """The source's counts; a file that imported nothing (unreadable, every row
        rejected) is not kept, so the same file can be imported once its spec is fixed."""
        mine = [f for f in self.report.files if f.file == s.file]
        read = sum(f.rows_read for f in mine)
        imported = sum(f.rows_imported for f in mine)
        if not imported:
            self.conn.execute("DELETE FROM sources WHERE id = ?", [s.id])
            return None
        self.conn.execute("UPDATE sources SET rows_read = ?, rows_imported = ? WHERE id = ?",
                          [read, imported, s.id])
        return dataclasses.replace(s, rows_read=read, rows_imported=imported)

    # ----- one file (or sheet) --------------------------------------------------------------
    def _job(self, spec: ImportSpec, source: SourceSpec, path: Path, source_id: int, k: int,
             jobs: int) -> int:
        if self.source_name:
            source = dataclasses.replace(source, name=self.source_name)
        if k in self.stages:
            return self._bulk(spec, source, self.stages[k], source_id, k, jobs)
        single = dataclasses.replace(spec, sources=[source], parts=[])
        merged = {lk.type for lk in spec.links if lk.merge}
        summary: FileSummary | None = None
        links = 0
        done = 0
        land = Landing(self.conn, source_id)  # a record's id: its base plus its row number
        norm = Normaliser(Chart(), spec.region)
        try:
            if k in self.refused:
                raise ReadError(self.refused[k])
            for table in read_chunks(path, source, self.rows):
                if self.cancelled():
                    raise StoreCancelled("import cancelled; the store is as it was")
                plan = plan_chunk(single, path, table, norm, self.places, self.cancelled)
                summary = self.report.add_chunk(plan.report, summary)
                if len(self.folds) > NORMALISED_CACHE:
                    self.folds.clear()
                from_pairs(self.conn, chunk_rows(plan, merged, self.folds))
                land.entities()
                links += land.records_and_links()
                done += len(table.frame)
                self.progress((k + 0.5) / jobs, f"{table.where()}: {done:,} rows")
                del plan, table
                gc.collect()  # the chunk's frames hold reference cycles; free them now
        except ReadError as exc:
            self.report.files.append(FileSummary(path.name, str(source.sheet or "")))
            self.report.issues.append(Issue(path.name, str(source.sheet or ""), 0, "", "",
                                            str(exc), ERROR))
        finally:
            with contextlib.suppress(duckdb.Error):  # the first error is the one to report
                drop(self.conn, pairs=True)
        return links

    def _check(self) -> None:
        if self.cancelled():
            raise StoreCancelled("import cancelled; the store is as it was")

    def _bulk(self, spec: ImportSpec, source: SourceSpec, stage: Stage, source_id: int,
              k: int, jobs: int) -> int:
        """A staged file through the bulk path (bulk.py), landed as a chunk is."""
        spec.check_columns(stage.names, stage.path.name)
        chart = ChartWithTypes(Chart(), list(spec.types)) if spec.types else Chart()
        norm = Normaliser(chart, spec.region)  # type: ignore[arg-type]
        job = BulkFile(self.conn, spec, source, stage, norm, self.report,
                       source.name or stage.path.name, self._check)
        try:
            links = job.run(Landing(self.conn, source_id))
        finally:
            with contextlib.suppress(duckdb.Error):  # the first error is the one to report
                job.drop()
                drop(self.conn, pairs=False)
                stage.drop()
        self.progress((k + 1) / jobs, f"{stage.path.name}: {stage.rows:,} rows")
        return links
