"""Importing files into the shared store: one transaction, chunk after chunk through COPY.

The same specifications, readers and normalisers as every other import: ``read_chunks``
streams each file in chunks of rows, the chart importer (``build_import`` against an empty
chart) turns a chunk into entities, links and a report, ``chunk_rows`` flattens them into
Arrow tables, and landing.py COPYs those into staging tables and merges them in SQL. Every
file of one import goes in between one BEGIN and one COMMIT: Cancel, a failed file, a lost
connection or a server stopped in the middle leaves the store as it was, and the import can
simply be run again. A file from which nothing could be imported is rolled back to its
savepoint, so it is not recorded as a source and goes in once its spec is fixed.

Sources belong to the importing analyst's organisation and carry the import's handling.
The same file (by SHA-256) imported twice by one organisation is refused unless ``again``,
also when two of its analysts import it at the same moment (an advisory lock per
organisation and file makes the second wait for the first); another organisation importing
it is not refused (it cannot see the first copy).

Two imports writing the same new identities wait for each other on the unique key; if
PostgreSQL finds them waiting in a circle it stops one (a deadlock), which is then run again
from the start, up to ``ATTEMPTS`` times, having written nothing the first time.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import random
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from psycopg import errors

from workbench.io.import_report import ERROR, FileSummary, ImportReport, Issue
from workbench.io.import_setup import pair_files
from workbench.io.import_values import Normaliser
from workbench.io.importspec import ImportSpec, SourceSpec
from workbench.io.text_table import ReadError
from workbench.model import Chart
from workbench.store.chunks import (
    CHUNK_ROWS,
    NORMALISED_CACHE,
    file_hash,
    plan_chunk,
    read_chunks,
)
from workbench.store.interface import (
    Cancelled,
    ImportResult,
    Progress,
    SourceInfo,
    StoreCancelled,
    StoreError,
)
from workbench.store.pg import audit
from workbench.store.pg.handling import NAMED, Handling
from workbench.store.pg.landing import Owner, create_staging, land
from workbench.store.rows import chunk_rows

if TYPE_CHECKING:
    from workbench.store.pg.store import PgStore

ATTEMPTS = 4


class _NothingImported(Exception):
    """A file that imported no row: its savepoint is rolled back."""


class PgIngest:
    """One import by one analyst into an open shared store."""

    def __init__(self, store: PgStore, spec: ImportSpec, spec_text: str, *,
                 handling: Handling, source_name: str | None, places: object | None,
                 progress: Progress | None, cancelled: Cancelled | None,
                 chunk_rows: int = CHUNK_ROWS) -> None:
        self.store, self.conn = store, store.conn
        self.spec, self.spec_text, self.handling = spec, spec_text, handling
        self.source_name, self.places = source_name, places
        self.progress = progress or (lambda f, m: None)
        self.cancelled = cancelled or (lambda: False)
        self.rows = chunk_rows

    # ----- the whole import ---------------------------------------------------------------
    def run(self, files: Sequence[Path], again: bool) -> ImportResult:
        jobs = pair_files(self.spec, files)
        hashes = {Path(p): file_hash(Path(p)) for _, _, p in jobs if Path(p).is_file()}
        shared_with = self._shared_with()
        if not again:
            self._refuse_repeats(hashes)  # at once, before any reading
        for attempt in range(1, ATTEMPTS):
            try:
                return self._attempt(jobs, hashes, shared_with, again)
            except (errors.DeadlockDetected, errors.SerializationFailure):
                self.progress(0.0, "another import met the same identities; starting again")
                time.sleep(random.uniform(0.05, 0.5) * attempt)
        return self._attempt(jobs, hashes, shared_with, again)

    def _shared_with(self) -> list[int]:
        """The ids of the organisations a ``shared:`` handling names, each of which the
        analyst's organisation must have a sharing agreement with."""
        if self.handling.code != NAMED:
            return []
        ids = []
        for name in self.handling.organisations:
            row = self.conn.execute(
                "SELECT o.id, EXISTS (SELECT 1 FROM sharing s WHERE s.owner_org = wb_my_org() "
                "AND s.with_org = o.id) FROM organisations o WHERE o.name = %s",
                [name]).fetchone()
            if row is None:
                raise StoreError(f"--handling: no organisation {name!r} in this store")
            if not row[1]:
                raise StoreError(f"--handling: {self.store.organisation} has no sharing "
                                 f"agreement with {name!r} (the administrator makes one: "
                                 f"workbench store admin URL share "
                                 f"{self.store.organisation!r} {name!r})")
            ids.append(int(row[0]))
        return sorted(ids)

    def _refuse_repeats(self, hashes: dict[Path, str]) -> None:
        for path, digest in hashes.items():
            row = self.conn.execute(
                "SELECT name, imported_at FROM sources WHERE org_id = wb_my_org() "
                "AND file_hash = %s ORDER BY id LIMIT 1", [digest]).fetchone()
            if row is not None:
                raise StoreError(f"{path.name}: this file was imported already by "
                                 f"{self.store.organisation} (as source {row[0]!r} on "
                                 f"{row[1]:%Y-%m-%d %H:%M}); give --again to import it once "
                                 "more")

    def _attempt(self, jobs: list, hashes: dict[Path, str], shared_with: list[int],
                 again: bool) -> ImportResult:
        self.report = ImportReport()
        self.folds: dict[tuple[str, str], str] = {}
        self.imported_at = datetime.now(UTC).replace(microsecond=0)
        c = self.conn
        collector = gc.isenabled()
        gc.disable()  # millions of short-lived objects a chunk: collected once per chunk
        try:
            with c.transaction():
                # the same file imported by two analysts of one organisation at once: the
                # second waits here for the first, then is refused (or with again, goes in)
                for digest in sorted(set(hashes.values())):
                    c.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                              [f"workbench-import:{self.store.organisation_id}:{digest}"])
                if not again:
                    self._refuse_repeats(hashes)
                before = c.execute("SELECT count(*) FROM entities").fetchone()[0]
                create_staging(c)
                infos: list[SourceInfo] = []
                new = links = 0
                for k, (spec, source, path) in enumerate(jobs):
                    path = Path(path)
                    try:
                        with c.transaction():
                            info, n, added = self._file(spec, source, path, hashes.get(path, ""),
                                                        shared_with, k, len(jobs))
                    except _NothingImported:
                        continue
                    infos.append(info)
                    new, links = new + n, links + added
                if self.cancelled():
                    raise StoreCancelled("import cancelled; the store is as it was")
                self._types()  # last: another import of the same spec waits on these rows
                audit.record(c, "import", sources=[i.name for i in infos],
                             files=[i.file for i in infos], rows=self.report.rows_imported,
                             handling=str(self.handling))
                after = c.execute("SELECT count(*) FROM entities").fetchone()[0]
        finally:
            if collector:
                gc.enable()
        self.report.entities_new = new
        self.report.links_new = links
        self.progress(1.0, "imported")
        return ImportResult(self.report, infos, before, after, links)

    def _types(self) -> None:
        """The spec's own entity and link types, so charts drawn later know them (the
        first definition of a name stays: another organisation's spec does not change it).
        Written at the end of the import, in name order: a new type row makes another
        import of the same spec wait for this one's commit, which is then a moment away."""
        specs = self.spec.parts or [self.spec]
        rows = [(kind, t.name, json.dumps(t.to_json()))
                for kind, types in (("entity", [t for s in specs for t in s.types]),
                                    ("link", [t for s in specs for t in s.link_types]))
                for t in types]
        rows.sort()
        with self.conn.cursor() as cur:
            cur.executemany("INSERT INTO types VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                            rows)

    # ----- one file (or sheet) --------------------------------------------------------------
    def _file(self, spec: ImportSpec, source: SourceSpec, path: Path, digest: str,
              shared_with: list[int], k: int, jobs: int) -> tuple[SourceInfo, int, int]:
        c = self.conn
        name = self.source_name or source.name or path.name
        handling = self.handling.code
        sid = c.execute(
            "INSERT INTO sources (org_id, handling, shared_with, name, file, file_hash, "
            "imported_at, spec_name, spec) VALUES (wb_my_org(), %s, %s::int[], %s, %s, %s, "
            "%s, %s, %s) RETURNING id",
            [handling, shared_with, name, path.name, digest, self.imported_at, spec.name,
             self.spec_text]).fetchone()[0]
        owner = Owner(int(sid), self.store.organisation_id, handling, shared_with)
        if self.source_name:
            source = dataclasses.replace(source, name=self.source_name)
        single = dataclasses.replace(spec, sources=[source], parts=[])
        merged = {lk.type for lk in spec.links if lk.merge}
        counts = [0, 0]  # entities new to the store, links added
        try:
            self._chunks(single, source, path, owner, merged, counts, k, jobs)
        except ReadError as exc:  # the chunks before it stay, as in a chart import
            self.report.files.append(FileSummary(path.name, str(source.sheet or "")))
            self.report.issues.append(Issue(path.name, str(source.sheet or ""), 0, "", "",
                                            str(exc), ERROR))
        mine = [f for f in self.report.files if f.file == path.name]
        read = sum(f.rows_read for f in mine)
        imported = sum(f.rows_imported for f in mine)
        if not imported:
            raise _NothingImported
        c.execute("UPDATE sources SET rows_read = %s, rows_imported = %s WHERE id = %s",
                  [read, imported, sid])
        return (SourceInfo(int(sid), name, path.name, digest, read, imported,
                           self.imported_at, spec.name), counts[0], counts[1])

    def _chunks(self, single: ImportSpec, source: SourceSpec, path: Path, owner: Owner,
                merged: set[str], counts: list[int], k: int, jobs: int) -> None:
        """The file's chunks, read and normalised here while the server merges the one
        before (at most two chunks held); ``counts`` gains what each chunk added."""
        norm = Normaliser(Chart(), single.region)
        summary: FileSummary | None = None
        done = 0
        # leaving the block waits for the chunk in flight, so a rollback never meets a
        # statement still running; a server error in that chunk is the one reported
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="wb-pg-land") as server:
            landing: Future | None = None
            try:
                for table in read_chunks(path, source, self.rows):
                    if self.cancelled():
                        raise StoreCancelled("import cancelled; the store is as it was")
                    plan = plan_chunk(single, path, table, norm, self.places, self.cancelled)
                    summary = self.report.add_chunk(plan.report, summary)
                    if len(self.folds) > NORMALISED_CACHE:
                        self.folds.clear()
                    rows = chunk_rows(plan, merged, self.folds)
                    done += len(table.frame)
                    where = table.where()
                    del plan, table
                    gc.collect()  # the chunk's frames hold reference cycles; free them now
                    _add_counts(landing, counts)
                    landing = None
                    landing = server.submit(land, self.conn, rows, owner)
                    del rows
                    self.progress((k + 0.5) / jobs, f"{where}: {done:,} rows")
            finally:
                _add_counts(landing, counts)


def _add_counts(landing: Future | None, counts: list[int]) -> None:
    """Wait for the chunk in flight (raising what stopped it) and add its counts."""
    if landing is not None:
        new, links = landing.result()
        counts[0] += new
        counts[1] += links
