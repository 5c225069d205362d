"""Find Path forward in time, as the Analysis menu runs it: the work for a worker thread and
what to do with its result on the window's thread (select the paths, say what was found).

Kept beside ``analysis_actions`` so that module stays one screenful per analysis; the
snapshot of dated links is taken here, on the window's thread, before the work starts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from workbench.analysis import GraphOptions
from workbench.analysis.paths import PathResult
from workbench.analysis.time_paths import time_paths_in, timed_snapshot
from workbench.ui.wording import plural

if TYPE_CHECKING:
    from workbench.ui.window.analysis_actions import AnalysisActions

Gap = timedelta | None  # the largest gap between two steps; None: any
SHORTEST_IN_TIME = 10  # the longest path "shortest path forward in time" looks for


def duration(span: timedelta) -> str:
    """'3 days 4 hours', '45 minutes': how long a path took, or the gap allowed."""
    minutes = int(span.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [plural(n, unit) for n, unit in ((days, "day"), (hours, "hour"),
                                             (minutes, "minute")) if n]
    return " ".join(parts[:2]) or "no time"


def forward_in_time(actions: AnalysisActions, ends: tuple[str, str], directed: bool,
                    all_up_to: int | None, max_gap: Gap
                    ) -> tuple[str, Callable[[Any], list[PathResult]],
                               Callable[[list[PathResult]], None]]:
    """(progress label, work, done) for ``AnalysisActions._start``: the shortest path
    forward in time (``all_up_to`` None) or all of them up to that many links, each step
    within ``max_gap`` of the one before; with ``directed`` both ways round. ``actions``
    gives the window (its chart and selection), ``_say`` and ``paths_found``."""
    chart, selection = actions.window.chart, actions.window.selection
    say, found = actions._say, actions.paths_found.emit
    a, b = ends
    snap = timed_snapshot(chart, GraphOptions(directed=directed))
    names = f"{chart.entities[a].label} and {chart.entities[b].label}"
    gap = f", at most {duration(max_gap)} between steps" if max_gap is not None else ""

    def work(progress: Any) -> list[PathResult]:
        pairs = [(a, b), (b, a)] if directed else [(a, b)]
        paths = [p for s, t in pairs
                 for p in time_paths_in(snap, s, t, all_up_to or SHORTEST_IN_TIME,
                                        max_gap=max_gap, shortest_only=not all_up_to,
                                        progress=progress)]
        paths.sort(key=lambda p: (p.steps, p.cost))
        return paths if all_up_to else paths[:1]

    def done(paths: list[PathResult]) -> None:
        undated = f" ({plural(snap.undated, 'undated link')} not followed)" \
            if snap.undated else ""
        if not paths:
            upto = all_up_to or SHORTEST_IN_TIME
            say(f"No path forward in time of up to {plural(upto, 'link')} between "
                f"{names}{gap}{undated}.")
        else:
            selection.set({e for p in paths for e in p.entities},
                          {lk for p in paths for lk in p.links})
            first = paths[0]
            what = (f"{plural(len(paths), 'path')} forward in time of up to "
                    f"{plural(all_up_to, 'link')}" if all_up_to else
                    f"Shortest path forward in time, {plural(first.steps, 'link')} "
                    f"over {duration(timedelta(seconds=first.cost))}")
            notes = " ".join(n for p in paths for n in p.notes)
            say(f"{what} between {names}{gap}, selected{undated}. {notes}".strip())
        found(paths)

    return f"Finding paths forward in time between {names}...", work, done
