"""Paths forward in time: Find Path that only follows a link dated at or after the link before
it (a call from A to B, then from B to C after it), with the largest allowed gap between steps.

A static path through call records joins people who may never have passed anything on: the
call B made to C may have been a month before A called B. Following time, a path says what
*could* have travelled: an instruction, a payment, a victim. The gap bounds "could": a call
made three weeks later is rarely the same matter.

A path here is a sequence of distinct entities; between two of them there may be many dated
links (one handset calls another forty times), and the path is kept if some choice of links
goes forward in time within the gap. Each result names one such choice: the one that reaches
the target earliest. Undated links are never followed (when they happened is unknown). Like
``paths``, the work runs on plain data (:class:`TimedSnapshot`) taken on the GUI thread, so a
worker never reads a chart being edited.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from workbench.analysis.graph import (
    AnalysisError,
    GraphOptions,
    Progress,
    _pairs,
    check_entities,
    check_progress,
)
from workbench.analysis.paths import PathResult
from workbench.model import Chart

FORWARD = GraphOptions(directed=True)  # time paths follow what flowed, along the arrows
#: One crossing of a dated link: (from, to, chart link id, when).
TimedEdge = tuple[str, str, str, datetime]


@dataclass(frozen=True, slots=True)
class TimedSnapshot:
    """The chart's dated link crossings as plain data (see ``graph.GraphSnapshot``)."""

    edges: tuple[TimedEdge, ...]
    undated: int  # links left out for want of a date


def timed_snapshot(chart: Chart, options: GraphOptions = FORWARD,
                   among: Collection[str] | None = None) -> TimedSnapshot:
    """The crossings of the chart's dated links, each way; with ``options.directed`` (the
    default: time paths are about what flowed) only along their arrows, links without a
    direction both ways. Self-links are left out."""
    keep = None if among is None else set(among)
    edges: list[TimedEdge] = []
    undated = 0
    for link in chart.links.values():
        if link.end1 == link.end2:
            continue
        if keep is not None and (link.end1 not in keep or link.end2 not in keep):
            continue
        if options.link_types is not None and link.type not in options.link_types:
            continue
        if link.date is None:
            undated += 1
            continue
        pairs = _pairs(link, True) if options.directed else [(link.end1, link.end2),
                                                              (link.end2, link.end1)]
        edges.extend((a, b, link.id, _naive(link.date)) for a, b in pairs)
    return TimedSnapshot(tuple(edges), undated)


def _naive(when: datetime) -> datetime:
    """Zoned and unzoned dates compared on one clock: zoned ones in UTC, unzoned as given."""
    return when if when.tzinfo is None else when.astimezone(UTC).replace(tzinfo=None)


@dataclass(slots=True)
class _Arrivals:
    """The ways a partial path can reach its last entity: times (sorted), the link taken to
    get there at each, and which arrival at the entity before it that link followed."""

    times: list[datetime]
    links: list[str]
    parents: list[int]


def time_paths(chart: Chart, source: str, target: str, max_links: int, *,
               max_gap: timedelta | None = None,
               options: GraphOptions = FORWARD,
               limit: int = 1000) -> list[PathResult]:
    """Every path of at most ``max_links`` distinct-entity steps from ``source`` to
    ``target`` whose links can be taken forward in time, each within ``max_gap`` of the one
    before (None: any wait). Fewest steps first, then earliest arrival."""
    check_entities(chart, [source, target])
    return time_paths_in(timed_snapshot(chart, options), source, target, max_links,
                         max_gap=max_gap, limit=limit)


def time_paths_in(snap: TimedSnapshot, source: str, target: str, max_links: int, *,
                  max_gap: timedelta | None = None, limit: int = 1000,
                  shortest_only: bool = False,
                  progress: Progress | None = None) -> list[PathResult]:
    """:func:`time_paths` on a snapshot. ``shortest_only`` stops at the fewest steps any
    path takes (searching one step deeper at a time, so near targets come back fast)."""
    if max_links < 1:
        raise AnalysisError("a path has at least one link; ask for a length of 1 or more")
    if max_gap is not None and max_gap < timedelta(0):
        raise AnalysisError("the largest gap between steps cannot be negative")
    out: dict[str, dict[str, tuple[list[datetime], list[str]]]] = defaultdict(dict)
    for a, b, link_id, when in sorted(snap.edges, key=lambda e: (e[3], e[2])):
        times, links = out[a].setdefault(b, ([], []))
        times.append(when)
        links.append(link_id)
    search = _Search(out, _steps_to(out, target, max_links), target, max_gap, limit, progress)
    depths = range(1, max_links + 1) if shortest_only else (max_links,)
    for depth in depths:
        search.run(source, depth)
        if shortest_only and search.found:
            break
    found = sorted(search.found, key=lambda p: (p.steps, p.cost, p.entities))
    if search.cut:
        found = found[:limit]
        last = found[-1]
        found[-1] = PathResult(last.entities, last.links, last.cost,
                               (f"more than {limit:,} paths: only the first {limit:,} are "
                                "listed; shorten the length or the gap",))
    return found


class _Search:
    """Depth-first search over distinct entities carrying, for the path so far, every time
    it can arrive at its last entity (with no gap limit only the earliest matters)."""

    def __init__(self, out: dict, behind: dict[str, int], target: str,
                 gap: timedelta | None, limit: int, progress: Progress | None) -> None:
        self.out, self.behind, self.target = out, behind, target
        self.gap, self.limit = gap, limit
        self.progress = progress
        self.found: list[PathResult] = []
        self.cut = False
        self.visits = 0

    def run(self, source: str, depth: int) -> None:
        self.found, self.cut = [], False
        self._walk([source], [], depth)

    def _walk(self, path: list[str], levels: list[_Arrivals], depth: int) -> None:
        self.visits += 1
        if self.visits % 2048 == 0:
            check_progress(self.progress, len(self.found), self.limit)
        here = path[-1]
        on_path = set(path)
        for there, (times, links) in self.out.get(here, {}).items():
            if there in on_path or self.cut or len(path) + self.behind.get(there, depth) > depth:
                continue  # on the path, or too far from the target to reach it in time
            arrivals = self._step(levels[-1] if levels else None, times, links)
            if arrivals is None:
                continue
            if there == self.target:
                self._keep([*path, there], [*levels, arrivals])
            elif len(path) < depth:
                self._walk([*path, there], [*levels, arrivals], depth)

    def _step(self, before: _Arrivals | None, times: list[datetime],
              links: list[str]) -> _Arrivals | None:
        """The arrivals over one pair's links that follow an arrival before (within the
        gap); None when there are none."""
        if before is None:  # the first step: any of its links
            if self.gap is None:
                return _Arrivals(times[:1], links[:1], [-1])
            return _Arrivals(list(times), list(links), [-1] * len(times))
        first = bisect.bisect_left(times, before.times[0])
        if self.gap is None:  # the earliest arrival is all that matters
            if first == len(times):
                return None
            return _Arrivals([times[first]], [links[first]], [0])
        kept = _Arrivals([], [], [])
        for i in range(first, len(times)):
            # the latest arrival at or before this link's time; in the gap, or none is
            latest = bisect.bisect_right(before.times, times[i]) - 1
            if latest >= 0 and times[i] - before.times[latest] <= self.gap:
                kept.times.append(times[i])
                kept.links.append(links[i])
                kept.parents.append(latest)
        return kept if kept.times else None

    def _keep(self, entities: list[str], levels: list[_Arrivals]) -> None:
        """The path, with the links that reach the target earliest."""
        index = 0
        chain: list[str] = []
        for level in reversed(levels):
            chain.append(level.links[index])
            index = level.parents[index]
        chain.reverse()
        start, end = levels[0].times[_first_index(levels)], levels[-1].times[0]
        self.found.append(PathResult(tuple(entities), tuple(chain),
                                     (end - start).total_seconds()))
        if len(self.found) > self.limit:
            self.cut = True


def _steps_to(out: dict, target: str, cutoff: int) -> dict[str, int]:
    """Fewest links from each entity to ``target`` ignoring time (up to ``cutoff``): an
    entity further than the steps left cannot be on a path, whatever the dates."""
    into: dict[str, list[str]] = defaultdict(list)
    for a, pairs in out.items():
        for b in pairs:
            into[b].append(a)
    steps, ring = {target: 0}, [target]
    for distance in range(1, cutoff + 1):
        ring = [a for b in ring for a in into.get(b, ()) if a not in steps]
        for a in ring:
            steps.setdefault(a, distance)
        ring = list(dict.fromkeys(ring))
    return steps


def _first_index(levels: list[_Arrivals]) -> int:
    """Which first-step arrival the earliest chain to the target starts from."""
    index = 0
    for level in reversed(levels[1:]):
        index = level.parents[index]
    return index


__all__ = ["FORWARD", "TimedSnapshot", "time_paths", "time_paths_in", "timed_snapshot"]
