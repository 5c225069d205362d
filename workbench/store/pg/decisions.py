"""The analysts' decisions in the shared store (``decisions``, format version 2), read and
written as the analyst: the PostgreSQL half of ``Store.decisions``, ``record_decisions`` and
``ItemRows.accepted_partners`` (what decisions do to charts is engine-neutral:
workbench/store/decisions.py).

Nothing here filters by organisation: row-level security (policies.py) shows an analyst only
their organisation's decisions on pairs of entities they can see, and lets them write only
such decisions, in their organisation's name and their own. Each organisation keeps one
decision per pair; a later one replaces it, and the audit log records every write.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC

import orjson
import psycopg

from workbench.store.decisions import check
from workbench.store.interface import ACCEPTED, Decision, StoreError
from workbench.store.pg import audit

_COLUMNS = "a, b, decision, decided_by, decided_at, method, probability, evidence"


def read(conn: psycopg.Connection, entities: Sequence[int] = ()) -> list[Decision]:
    """The organisation's decisions the analyst may see with both ends among ``entities``
    (all when none given), oldest first."""
    ids = [int(i) for i in entities]
    where = "WHERE a = ANY(%(ids)s::bigint[]) AND b = ANY(%(ids)s::bigint[])" if ids else ""
    rows = conn.execute(f"SELECT {_COLUMNS} FROM decisions {where} "
                        "ORDER BY decided_at, a, b", {"ids": ids}).fetchall()
    return [Decision(a, b, decision, by, at.astimezone(UTC), method, probability,
                     {k: (v[0], v[1]) for k, v in orjson.loads(evidence).items()}
                     if evidence else {})
            for a, b, decision, by, at, method, probability, evidence in rows]


def accepted_partners(conn: psycopg.Connection, ids: Sequence[int]) -> list[int]:
    """The entities an accepted decision of the organisation joins to one of ``ids``."""
    rows = conn.execute(
        "SELECT DISTINCT CASE WHEN a = ANY(%(ids)s::bigint[]) THEN b ELSE a END "
        "FROM decisions WHERE decision = %(yes)s "
        "AND (a = ANY(%(ids)s::bigint[]) OR b = ANY(%(ids)s::bigint[]))",
        {"ids": [int(i) for i in ids], "yes": ACCEPTED}).fetchall()
    return [int(i) for (i,) in rows]


def write(conn: psycopg.Connection, org_id: int, decided: Sequence[Decision],
          where: str, *, carried: bool = False) -> int:
    """Keep ``decided`` for the organisation in one transaction (with its audit row), each
    replacing the organisation's earlier decision on its pair (``carried``: decisions copied
    from another store, each replacing only a decision not later than itself). An entity
    the analyst cannot see is refused like one the store does not hold: its existence is
    not the analyst's to learn."""
    rows = check(decided)
    if not rows:
        return 0
    kept = list({(d.a, d.b): d for d in rows}.values())  # the same pair twice: the later
    ids = sorted({i for d in kept for i in (d.a, d.b)})
    with conn.transaction():
        seen = {i for (i,) in conn.execute("SELECT id FROM entities WHERE id = ANY(%s::bigint[])",
                                           [ids]).fetchall()}
        missing = [i for i in ids if i not in seen]
        if missing:
            raise StoreError(f"{where}: no entity {missing[0]} in the store; nothing was "
                             "recorded")
        conn.execute(
            "INSERT INTO decisions (org_id, a, b, decision, decided_by, decided_at, method, "
            "probability, evidence) SELECT %(org)s, * FROM unnest(%(a)s::bigint[], "
            "%(b)s::bigint[], %(d)s::text[], %(by)s::text[], %(at)s::timestamptz[], "
            "%(m)s::text[], %(p)s::float8[], %(e)s::text[]) "
            "ON CONFLICT (org_id, a, b) DO UPDATE SET decision = EXCLUDED.decision, "
            "decided_by = EXCLUDED.decided_by, decided_at = EXCLUDED.decided_at, "
            "analyst = current_user, method = EXCLUDED.method, "
            "probability = EXCLUDED.probability, evidence = EXCLUDED.evidence"
            + (" WHERE decisions.decided_at <= EXCLUDED.decided_at" if carried else ""),
            {"org": org_id, "a": [d.a for d in kept], "b": [d.b for d in kept],
             "d": [d.decision for d in kept], "by": [d.by for d in kept],
             "at": [d.at if d.at.tzinfo else d.at.replace(tzinfo=UTC) for d in kept],
             "m": [d.method for d in kept], "p": [d.probability for d in kept],
             "e": [orjson.dumps({k: list(v) for k, v in d.evidence.items()}).decode()
                   if d.evidence else None for d in kept]})
        accepted = sum(d.decision == ACCEPTED for d in kept)
        audit.record(conn, "decide", accepted=accepted, rejected=len(kept) - accepted,
                     **({"copied": True} if carried else {}))
    return len(kept)
