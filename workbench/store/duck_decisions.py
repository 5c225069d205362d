"""The analysts' decisions in a ``.wbstore`` file (its ``decisions`` table, format version 2):
the embedded engine's reads and writes behind ``Store.decisions``, ``record_decisions`` and
``ItemRows.accepted_partners``. What decisions do to charts is engine-neutral
(decisions.py); the shared store keeps its own (pg/decisions.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC

import duckdb
import orjson
import pyarrow as pa

from workbench.store.decisions import check
from workbench.store.interface import Decision, StoreError


def _naive(decision: Decision) -> object:
    at = decision.at
    return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo is not None else at


def write(conn: duckdb.DuckDBPyConnection, decisions: Sequence[Decision], path: str) -> int:
    """Keep ``decisions`` in one transaction, each replacing any earlier one on its pair."""
    rows = check(decisions)
    if not rows:
        return 0
    ids = sorted({i for d in rows for i in (d.a, d.b)})
    (known,), = conn.execute("SELECT list(id) FROM entities WHERE list_contains($ids, id)",
                             {"ids": ids}).fetchall()
    missing = sorted(set(ids) - set(known or ()))
    if missing:
        raise StoreError(f"{path}: no entity {missing[0]} in the store; nothing was recorded")
    last = {(d.a, d.b): d for d in rows}  # the same pair twice in one batch: the later wins
    kept = list(last.values())
    table = _table(kept)
    conn.execute("BEGIN")
    try:
        conn.register("new_decisions", table)
        conn.execute("INSERT OR REPLACE INTO decisions SELECT a, b, decision, decided_by, "
                     "decided_at, method, probability, evidence FROM new_decisions")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.unregister("new_decisions")
    return len(kept)


def _table(kept: Sequence[Decision]) -> pa.Table:
    """The decisions as one table, written by one statement, however many: --merge-above
    may decide thousands."""
    return pa.table({
        "a": [d.a for d in kept], "b": [d.b for d in kept],
        "decision": [d.decision for d in kept], "decided_by": [d.by for d in kept],
        "decided_at": [_naive(d) for d in kept], "method": [d.method for d in kept],
        "probability": pa.array([d.probability for d in kept], pa.float64()),
        "evidence": [orjson.dumps({k: list(v) for k, v in d.evidence.items()}).decode()
                     if d.evidence else None for d in kept]})


def carry(conn: duckdb.DuckDBPyConnection, decisions: Sequence[Decision]) -> int:
    """Keep decisions copied from another store, inside the transfer's transaction: each
    replaces the file's decision on its pair only if it is not older. Returns how many."""
    kept = list({(d.a, d.b): d for d in check(decisions)}.values())
    if not kept:
        return 0
    conn.register("carried_decisions", _table(kept))
    try:
        conn.execute(
            "INSERT INTO decisions SELECT a, b, decision, decided_by, decided_at, method, "
            "probability, evidence FROM carried_decisions ON CONFLICT (a, b) DO UPDATE SET "
            "decision = excluded.decision, decided_by = excluded.decided_by, "
            "decided_at = excluded.decided_at, method = excluded.method, "
            "probability = excluded.probability, evidence = excluded.evidence "
            "WHERE decisions.decided_at <= excluded.decided_at").fetchall()
    finally:
        conn.unregister("carried_decisions")
    return len(kept)


def read(conn: duckdb.DuckDBPyConnection, entities: Sequence[int] = ()) -> list[Decision]:
    """The decisions with both ends among ``entities`` (all when none given), oldest first."""
    where = "WHERE a IN (SELECT unnest($ids)) AND b IN (SELECT unnest($ids))" if entities else ""
    params = {"ids": [int(i) for i in entities]} if entities else {}
    rows = conn.execute(
        "SELECT a, b, decision, decided_by, decided_at, method, probability, evidence "
        f"FROM decisions {where} ORDER BY decided_at, a, b", params).fetchall()
    return [Decision(a, b, decision, by, at.replace(tzinfo=UTC), method, probability,
                     {k: (v[0], v[1]) for k, v in orjson.loads(evidence).items()}
                     if evidence else {})
            for a, b, decision, by, at, method, probability, evidence in rows]


def accepted_partners(conn: duckdb.DuckDBPyConnection, ids: Sequence[int]) -> list[int]:
    """The entities an accepted decision joins to one of ``ids`` (one step)."""
    (found,), = conn.execute(
        "SELECT list(DISTINCT CASE WHEN list_contains($ids, a) THEN b ELSE a END) "
        "FROM decisions WHERE decision = 'accepted' "
        "AND (a IN (SELECT unnest($ids)) OR b IN (SELECT unnest($ids)))",
        {"ids": [int(i) for i in ids]}).fetchall()
    return list(found or ())
