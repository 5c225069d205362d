"""The shared store on PostgreSQL (issue 17): several organisations and their analysts on one
body of data, what each may see decided by row-level security inside the database.

``connect`` opens a URL with every failure as one line; ``schema``, ``policies`` and
``audit`` hold the SQL; ``admin`` makes the store, organisations, analysts and sharing
agreements; ``ingest`` imports through COPY; ``PgStore`` (store.py) is the engine behind the
:class:`~workbench.store.interface.Store` interface. No Qt. See docs/store.md.
"""

from __future__ import annotations

from workbench.store.pg.connect import is_url
from workbench.store.pg.handling import Handling, parse_handling
from workbench.store.pg.store import PgStore

__all__ = ["Handling", "PgStore", "is_url", "parse_handling"]
