"""``workbench resolve --merge-above P``: merge every confident pair without a review.

Pairs are taken best first. A pair whose ends were already merged into other entities is
merged through them (A=B then B=C gives one entity of three), and a pair the chart already
decided (rejected, "possibly same as") is left alone, so the command never undoes the
analyst's review. Every merge keeps its record, so each can be unmerged in the window later.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from dataclasses import dataclass, field

from workbench.model import Chart
from workbench.model.merge import plan_merge
from workbench.resolve.decisions import current_user, decided, now, pair_key
from workbench.resolve.pairs import Candidate


@dataclass
class MergeAboveReport:
    """What ``merge_above`` did, for the command's standard output."""

    threshold: float
    entities_before: int
    entities_after: int = 0
    merged: list[tuple[str, str, float]] = field(default_factory=list)  # survivor, joined, p
    decided: int = 0  # pairs above the threshold the chart had already decided
    below: int = 0  # pairs under the threshold, left for review

    def lines(self) -> list[str]:
        return [
            f"merged {len(self.merged):,} pair(s) with probability at least "
            f"{self.threshold:g}: {self.entities_before:,} entities became "
            f"{self.entities_after:,}",
            f"left alone: {self.decided:,} pair(s) already decided in the chart, "
            f"{self.below:,} below {self.threshold:g} (review them in Find Duplicates)",
        ]


def merge_above(chart: Chart, candidates: Iterable[Candidate], p: float) -> MergeAboveReport:
    """Merge every pair with probability >= ``p`` into ``chart`` (which changes)."""
    if not 0 <= p <= 1:
        raise ValueError(f"--merge-above must be a probability from 0 to 1, not {p}")
    report = MergeAboveReport(p, len(chart.entities))
    method = f"merged above {p:g}"
    was_collecting = gc.isenabled()
    gc.disable()  # each merge copies a few small objects: the collector would walk the whole
    try:  # chart every few hundred merges, for nothing (a chart has no cycles): half the time
        _merge_all(chart, candidates, p, method, report)
    finally:
        if was_collecting:
            gc.enable()
    report.entities_after = len(chart.entities)
    return report


def _merge_all(chart: Chart, candidates: Iterable[Candidate], p: float, method: str,
               report: MergeAboveReport) -> None:
    into: dict[str, str] = {}  # entity id -> the entity it was merged into

    def now_in(entity_id: str) -> str:
        while entity_id in into:
            entity_id = into[entity_id]
        return entity_id

    for candidate in sorted(candidates, key=lambda c: (-c.probability, c.a, c.b)):
        if candidate.probability < p:
            report.below += 1
            continue
        a, b = now_in(candidate.a), now_in(candidate.b)
        if a == b:
            continue  # already one through earlier pairs
        if decided(chart, a, b) or pair_key(candidate.a, candidate.b) in chart.rejected:
            report.decided += 1
            continue
        record = plan_merge(chart, [a, b], by=current_user(), at=now(), method=method,
                            probability=candidate.probability, evidence=candidate.evidence)
        chart.merge(record)
        into[b] = a
        report.merged.append((a, b, candidate.probability))
