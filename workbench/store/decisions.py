"""The analysts' decisions on candidate pairs, kept in the store, and what they do to charts.

Find Duplicates in a chart decides for that chart; ``workbench store resolve`` (and Store >
Save Decisions to Store in the window) decides for the store, so every chart drawn from it
later agrees: an accepted pair is drawn as ONE merged entity with both entities' sources, its
properties saying which identities were joined, by whom, when and on what evidence (the same
merge record a chart merge makes, so Unmerge gives the two back); a rejected pair goes into the
chart's resolution, so Find Duplicates there does not offer it again.

Drawing brings an accepted partner along (``with_partners``): a merged entity without its
partner's sources would not be the entity the analyst accepted. The store keeps one row per
pair (``decisions``, format version 2); a later decision on a pair replaces the earlier one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime

import duckdb
import orjson
import pyarrow as pa

from workbench.model import Chart
from workbench.model.merge import MergeError, MergeRecord, plan_merge
from workbench.store.interface import ACCEPTED, REJECTED, Decision, StoreError

FROM_STORE = "decided in the store"  # how a merge made by drawing from the store says so
MAX_PARTNER_ROUNDS = 20  # chains of accepted pairs longer than this are rare; stop there
SETTING = "store"  # the chart setting of its store (charting.SETTING)


def _naive(decision: Decision) -> object:
    at = decision.at
    return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo is not None else at


def check(decisions: Iterable[Decision]) -> list[Decision]:
    """The decisions, each a pair of two different entities with a known answer."""
    out = []
    for d in decisions:
        if d.decision not in (ACCEPTED, REJECTED):
            raise StoreError(f"a decision is {ACCEPTED!r} or {REJECTED!r}, not {d.decision!r}")
        if d.a == d.b:
            raise StoreError(f"entity {d.a} cannot be decided against itself")
        out.append(d if d.a < d.b else Decision(d.b, d.a, d.decision, d.by, d.at, d.method,
                                                d.probability, d.evidence))
    return out


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
    table = pa.table({  # one statement, however many: --merge-above may decide thousands
        "a": [d.a for d in kept], "b": [d.b for d in kept],
        "decision": [d.decision for d in kept], "decided_by": [d.by for d in kept],
        "decided_at": [_naive(d) for d in kept], "method": [d.method for d in kept],
        "probability": pa.array([d.probability for d in kept], pa.float64()),
        "evidence": [orjson.dumps({k: list(v) for k, v in d.evidence.items()}).decode()
                     if d.evidence else None for d in kept]})
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


def read(conn: duckdb.DuckDBPyConnection, entities: Sequence[int] = ()) -> list[Decision]:
    """The decisions with both ends among ``entities`` (all when none given), oldest first."""
    where = "WHERE list_contains($ids, a) AND list_contains($ids, b)" if entities else ""
    params = {"ids": [int(i) for i in entities]} if entities else {}
    rows = conn.execute(
        "SELECT a, b, decision, decided_by, decided_at, method, probability, evidence "
        f"FROM decisions {where} ORDER BY decided_at, a, b", params).fetchall()
    return [Decision(a, b, decision, by, at.replace(tzinfo=UTC), method, probability,
                     {k: (v[0], v[1]) for k, v in orjson.loads(evidence).items()}
                     if evidence else {})
            for a, b, decision, by, at, method, probability, evidence in rows]


def with_partners(conn: duckdb.DuckDBPyConnection, ids: Sequence[int]) -> list[int]:
    """``ids`` and every entity joined to one of them by accepted pairs (through chains:
    A=B and B=C bring C along with A), in the order given, partners after."""
    out = [int(i) for i in ids]
    seen = set(out)
    frontier = list(seen)
    for _ in range(MAX_PARTNER_ROUNDS):
        if not frontier:
            break
        (found,), = conn.execute(
            "SELECT list(DISTINCT CASE WHEN list_contains($ids, a) THEN b ELSE a END) "
            "FROM decisions WHERE decision = 'accepted' "
            "AND (list_contains($ids, a) OR list_contains($ids, b))",
            {"ids": frontier}).fetchall()
        frontier = sorted(set(found or ()) - seen)
        seen.update(frontier)
        out += frontier
    return out


def chart_store_ids(chart: Chart) -> dict[int, str]:
    """Store id -> chart id, for the chart's items drawn from its store (also those a merge
    absorbed: the merge record holds them)."""
    setting = chart.settings.get(SETTING)
    entities = setting.get("entities", {}) if isinstance(setting, dict) else {}
    return {int(sid): cid for cid, sid in entities.items()}


def apply_decisions(chart: Chart, decisions: Iterable[Decision], *,
                    merge: Callable[[MergeRecord], object] | None = None,
                    reject: Callable[[str, str], object] | None = None) -> tuple[int, int]:
    """Merge the chart's entities of every accepted pair and remember every rejected pair,
    oldest decision first; returns (merges made, rejections added). ``merge`` and
    ``reject`` do the change (the window passes undo commands); by default the chart's own
    ``merge`` and ``set_rejected``. A pair whose ends are not both on the chart, or are one
    entity already, is left alone."""
    do_merge = merge or chart.merge
    do_reject = reject or (lambda a, b: chart.set_rejected(a, b))
    by_store = chart_store_ids(chart)
    into: dict[str, str] = {}  # absorbed chart id -> the entity it went into

    def now_in(cid: str) -> str:
        while cid in into:
            cid = into[cid]
        return cid

    merged = rejected = 0
    for d in sorted(decisions, key=lambda d: (d.decision != ACCEPTED, d.at, d.a, d.b)):
        if d.a not in by_store or d.b not in by_store:
            continue
        a, b = now_in(by_store[d.a]), now_in(by_store[d.b])
        if a == b or a not in chart.entities or b not in chart.entities:
            continue
        if d.decision == REJECTED:
            if (min(a, b), max(a, b)) not in chart.rejected:
                do_reject(a, b)
                rejected += 1
            continue
        try:
            record = plan_merge(chart, [a, b], by=d.by, at=d.at,
                                method=f"{FROM_STORE}, {d.method}",
                                probability=d.probability, evidence=d.evidence)
        except MergeError:
            continue
        do_merge(record)
        into[b] = a
        merged += 1
    return merged, rejected


def chart_decisions(chart: Chart, by: str, at: datetime) -> list[Decision]:
    """The decisions taken in a chart drawn from a store, as the store keeps them: every
    merge of two entities drawn from it (each joined entity with the survivor; merges the
    store itself made when drawing are left out) and every rejected pair of them. A rejected
    pair records no analyst or moment in the chart: ``by`` and ``at`` stand for them."""
    sids = {cid: sid for sid, cid in chart_store_ids(chart).items()}
    out = []
    for record in chart.merges:
        survivor = record.entities[0].id
        if record.method.startswith(FROM_STORE) or survivor not in sids:
            continue
        out += [Decision(min(sids[survivor], sids[e.id]), max(sids[survivor], sids[e.id]),
                         ACCEPTED, record.by, record.at, record.method, record.probability,
                         dict(record.evidence))
                for e in record.entities[1:] if e.id in sids]
    out += [Decision(min(sids[a], sids[b]), max(sids[a], sids[b]), REJECTED, by, at, "review")
            for a, b in sorted(chart.rejected) if a in sids and b in sids]
    return out


def chart_store_file(chart: Chart) -> str | None:
    """The store file the chart was drawn from, if any."""
    setting = chart.settings.get(SETTING)
    file = setting.get("file") if isinstance(setting, dict) else None
    return str(file) if file else None
