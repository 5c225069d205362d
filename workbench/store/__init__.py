"""The investigation store: every source's rows, entities merged by identity across all of
them, and charts drawn from it. No Qt; never loads whole tables into Python objects.

``open_store(path)`` opens a ``.wbstore`` file (the embedded DuckDB engine); the interface it
returns is :class:`~workbench.store.interface.Store`, which the shared PostgreSQL store will
implement too. See docs/store.md.
"""

from __future__ import annotations

from pathlib import Path

from workbench.store.duck import DuckStore
from workbench.store.interface import (
    Decision,
    Expansion,
    Filters,
    ImportResult,
    PathStep,
    Preview,
    SearchHit,
    SourceInfo,
    Store,
    StoreCancelled,
    StoreError,
    StoreInfo,
)

SUFFIX = ".wbstore"


def open_store(path: str | Path, *, create: bool = False, read_only: bool = False) -> DuckStore:
    """Open the store at ``path`` (``create``: make a new one); raises StoreError."""
    return DuckStore(path, create=create, read_only=read_only)


__all__ = ["SUFFIX", "Decision", "DuckStore", "Expansion", "Filters", "ImportResult", "PathStep",
           "Preview", "SearchHit", "SourceInfo", "Store", "StoreCancelled", "StoreError",
           "StoreInfo", "open_store"]
