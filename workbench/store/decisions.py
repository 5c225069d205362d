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
This module holds no SQL: each engine reads and writes its own table (duck_decisions.py;
pg/decisions.py, where an organisation keeps and sees only its own decisions).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from workbench.model import Chart
from workbench.model.merge import MergeError, MergeRecord, plan_merge
from workbench.store.interface import ACCEPTED, REJECTED, Decision, ItemRows, StoreError

FROM_STORE = "decided in the store"  # how a merge made by drawing from the store says so
MAX_PARTNER_ROUNDS = 20  # chains of accepted pairs longer than this are rare; stop there
SETTING = "store"  # the chart setting of its store (charting.SETTING)


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


def with_partners(store: ItemRows, ids: Sequence[int]) -> list[int]:
    """``ids`` and every entity joined to one of them by accepted pairs (through chains:
    A=B and B=C bring C along with A), in the order given, partners after. The engine finds
    each step (``ItemRows.accepted_partners``), under the analyst's rights in a shared store."""
    out = [int(i) for i in ids]
    seen = set(out)
    frontier = list(seen)
    for _ in range(MAX_PARTNER_ROUNDS):
        if not frontier:
            break
        frontier = sorted(set(store.accepted_partners(frontier)) - seen)
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
