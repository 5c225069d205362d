"""The investigation store: every source's rows, entities merged by identity across all of
them, and charts drawn from it. No Qt; never loads whole tables into Python objects.

``open_store(location)`` opens a ``.wbstore`` file (the embedded DuckDB engine) or, given a
``postgresql://`` URL, the shared store on a PostgreSQL server (``pg.store.PgStore``, whose
driver is loaded only then); both speak :class:`~workbench.store.interface.Store`. See
docs/store.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from workbench.store.address import is_url, with_password
from workbench.store.duck import DuckStore
from workbench.store.interface import (
    Decision,
    Expansion,
    Filters,
    ImportResult,
    PasswordNeeded,
    PathStep,
    Preview,
    SearchHit,
    SourceInfo,
    Store,
    StoreCancelled,
    StoreError,
    StoreInfo,
)

if TYPE_CHECKING:
    from workbench.store.pg.store import PgStore

SUFFIX = ".wbstore"


def open_store(location: str | Path, *, create: bool = False, read_only: bool = False,
               password: str | None = None, application: str = "workbench"
               ) -> DuckStore | PgStore:
    """Open the store at ``location``, a file (``create``: make a new one) or a shared
    store's URL (logged in as the URL's user; ``password`` if given, else libpq's own
    PGPASSWORD, PGPASSFILE or ~/.pgpass; ``application`` is what its audit log names);
    raises StoreError in one line."""
    if is_url(location):
        from workbench.store.pg.store import PgStore

        try:
            return PgStore(with_password(str(location), password) if password
                           else str(location), application=application)
        except StoreError as exc:  # the server asked for a password libpq did not have
            if "a password is needed" in str(exc):
                raise PasswordNeeded(str(exc)) from None
            raise
    return DuckStore(location, create=create, read_only=read_only)


__all__ = ["SUFFIX", "Decision", "DuckStore", "Expansion", "Filters", "ImportResult",
           "PasswordNeeded", "PathStep", "Preview", "SearchHit", "SourceInfo", "Store",
           "StoreCancelled", "StoreError", "StoreInfo", "open_store"]
