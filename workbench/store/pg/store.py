"""The shared engine: a store in a PostgreSQL database, opened by an analyst's URL.

``PgStore`` speaks the same :class:`~workbench.store.interface.Store` interface as the
embedded ``DuckStore``. It connects as the analyst's own LOGIN role, so every query it runs
is filtered by the database's row-level policies (policies.py): what it returns is what that
analyst may see, whatever the client does. Opening checks that the database holds a store of
a version this Workbench reads and that the role is an analyst of one of its organisations.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import psycopg
import pyarrow as pa

from workbench.io.importspec import ImportSpec
from workbench.store.interface import Cancelled, Decision, ImportResult, Progress, StoreError
from workbench.store.pg import audit, decisions
from workbench.store.pg.connect import connect, display, guarded, problem
from workbench.store.pg.handling import Handling
from workbench.store.pg.match_rows import match_rows
from workbench.store.pg.reading import Reading
from workbench.store.pg.schema import DECISIONS_FROM, FORMAT_NAME, FORMAT_VERSION


class PgStore(Reading):  # searches, charts, paths: reading.py
    """A shared store, open as one analyst. Use as a context manager, or call close()."""

    engine = "postgresql"

    def __init__(self, url: str, *, application: str = "workbench") -> None:
        self.url = url
        self.path = display(url)
        self.conn = connect(url, application=application, autocommit=True)
        try:
            self.organisation_id, self.organisation, self.version = self._check()
        except psycopg.Error as exc:
            self.conn.close()
            raise StoreError(problem(url, exc)) from None
        except BaseException:
            self.conn.close()
            raise

    def _check(self) -> tuple[int, str, int]:
        c = self.conn
        with c.transaction():
            row = c.execute("SELECT name, version FROM store_format").fetchone()
            if row is None or row[0] != FORMAT_NAME:
                raise StoreError(f"{self.path}: not a Workbench store")
            if int(row[1]) > FORMAT_VERSION:
                raise StoreError(f"{self.path}: store format version {row[1]} is newer than "
                                 f"this Workbench reads ({FORMAT_VERSION}); update Workbench")
            mine = c.execute("SELECT o.id, o.name FROM organisations o "
                             "WHERE o.id = wb_my_org()").fetchone()
        if mine is None:
            raise StoreError(f"{self.path}: role {c.info.user!r} is not an analyst of any "
                             "organisation in this store; ask its administrator")
        return int(mine[0]), str(mine[1]), int(row[1])

    def __enter__(self) -> PgStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    # ----- import ------------------------------------------------------------------------
    @guarded
    def import_files(self, spec: ImportSpec, spec_text: str, files: Sequence[Path], *,
                     source_name: str | None = None, again: bool = False,
                     places: object | None = None, progress: Progress | None = None,
                     cancelled: Cancelled | None = None, handling: Handling | None = None,
                     chunk_rows: int | None = None) -> ImportResult:
        """Import ``files`` in one transaction, owned by the analyst's organisation and
        handled as ``handling`` (default: the owner's analysts only)."""
        from workbench.store.pg.ingest import PgIngest

        extra = {"chunk_rows": chunk_rows} if chunk_rows else {}
        job = PgIngest(self, spec, spec_text, handling=handling or Handling(),
                       source_name=source_name, places=places, progress=progress,
                       cancelled=cancelled, **extra)
        return job.run(files, again)

    # ----- small reads every engine has ------------------------------------------------------
    @guarded
    def last_source(self) -> int:
        """The id of the newest source this analyst may see (0 for none)."""
        with self.conn.transaction():
            return int(self.conn.execute("SELECT coalesce(max(id), 0) FROM sources"
                                         ).fetchone()[0])

    @guarded
    def log(self, action: str, **detail: Any) -> None:
        """One audit row for something read from the store (a search, a chart, an export),
        committed at once."""
        with self.conn.transaction():
            audit.record(self.conn, action, **detail)

    # ----- entity resolution (the organisation's own decisions: pg/decisions.py) ------------
    def match_rows(self, types: Sequence[str], *, batch_rows: int = 50_000
                   ) -> Iterator[pa.RecordBatch]:
        """The matcher's facts of every entity of ``types`` the analyst sees, in one
        snapshot; the search is audited."""
        try:
            with self.conn.transaction():
                self.conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                audit.record(self.conn, "resolve", types=list(types))
                yield from match_rows(self.conn, types, batch_rows)
        except psycopg.Error as exc:
            raise StoreError(problem(self.url, exc)) from None

    @guarded
    def record_decisions(self, decided: Sequence[Decision]) -> int:
        """Keep these decisions as the analyst's organisation's (see pg/decisions.py)."""
        if self.version < DECISIONS_FROM:
            raise StoreError(f"{self.path}: store format version {self.version} keeps no "
                             "decisions; its administrator brings it forward with "
                             "workbench store admin URL upgrade")
        return decisions.write(self.conn, self.organisation_id, decided, self.path)
