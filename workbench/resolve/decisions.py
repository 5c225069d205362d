"""The analyst's decisions on candidate pairs, kept in the chart, and merge records made.

Find Duplicates (the review dock), ``workbench resolve`` and ``--merge-above`` share these, so
a pair decided in one is decided for all: ``undecided`` drops the pairs the chart already
answered (rejected, marked "possibly same as", or already one entity), and every merge record
names the analyst (the operating system's user name), the moment and the evidence.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterable
from datetime import UTC, datetime

from workbench.model import Chart, Direction, Link, Strength
from workbench.model.merge import BY_HAND, POSSIBLY_SAME_AS, MergeRecord, plan_merge
from workbench.resolve.pairs import Candidate

REVIEW = "review"  # a pair accepted in Find Duplicates


def current_user() -> str:
    """Who is deciding: the operating system's user name ('unknown' when it has none, as
    in some containers)."""
    try:
        return getpass.getuser() or "unknown"
    except (OSError, KeyError, ImportError):
        return "unknown"


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def possibly_same(chart: Chart, a: str, b: str) -> bool:
    """Whether a "possibly same as" link already joins the two (a "not sure" decision)."""
    if a not in chart.entities or b not in chart.entities:
        return False
    return any(lk.type == POSSIBLY_SAME_AS for lk in chart.links_between(a, b))


def decided(chart: Chart, a: str, b: str) -> bool:
    """Whether the chart already answers this pair: rejected, marked not sure, one entity
    (a and b are the same id) or no longer both on the chart (merged into another)."""
    if a == b or a not in chart.entities or b not in chart.entities:
        return True
    return pair_key(a, b) in chart.rejected or possibly_same(chart, a, b)


def undecided(chart: Chart, candidates: Iterable[Candidate]) -> list[Candidate]:
    """The pairs still to review, best first (the matcher and the review dock share this)."""
    return sorted((c for c in candidates if not decided(chart, c.a, c.b)),
                  key=lambda c: (-c.probability, c.a, c.b))


def plan_for_pair(chart: Chart, candidate: Candidate, method: str = REVIEW) -> MergeRecord:
    """The record of accepting a pair: ``a`` keeps its id; the evidence and probability are
    the matcher's."""
    return plan_merge(chart, [candidate.a, candidate.b], by=current_user(), at=now(),
                      method=method, probability=candidate.probability,
                      evidence=candidate.evidence)


def plan_by_hand(chart: Chart, entity_ids: Iterable[str]) -> MergeRecord:
    """The record of Merge Entities on a selection: the entity with the most links keeps its
    id (the one the others are most often drawn with), the earliest on the chart on a tie."""
    order = {entity_id: n for n, entity_id in enumerate(chart.entities)}
    ids = sorted(dict.fromkeys(entity_ids), key=lambda i: (-len(chart.links_of(i)),
                                                           order.get(i, len(order))))
    return plan_merge(chart, ids, by=current_user(), at=now(), method=BY_HAND)


def possibly_same_link(chart: Chart, candidate: Candidate) -> Link:
    """The link "Not sure" adds: tentative, labelled with the matcher's probability."""
    return Link(chart.new_id("l"), candidate.a, candidate.b, POSSIBLY_SAME_AS,
                label=f"possibly same ({candidate.probability:.0%})",
                direction=Direction.NONE, strength=Strength.TENTATIVE)


def explain(record: MergeRecord) -> str:
    """One paragraph for the merged entity's properties: which identities were joined, by
    whom, when, and on what evidence."""
    names = ", ".join(f"{e.label} [{e.id}]" + (f" ({e.type})" if e.type != record.entities[0]
                                                .type else "") for e in record.entities)
    how = record.method
    if record.probability is not None:
        how += f", probability {record.probability:.0%}"
    text = (f"Joined {names}: by {record.by} on "
            f"{record.at.astimezone(UTC).strftime('%Y-%m-%d %H:%M')} UTC, {how}.")
    if record.evidence:
        text += " Evidence: " + "; ".join(f"{field} {verdict}" + (f" ({detail})" if detail
                                                                  else "")
                                          for field, (verdict, detail)
                                          in record.evidence.items()) + "."
    return text
