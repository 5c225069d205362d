"""The hop-by-hop walk that picks a neighbourhood under a cap, the same for every engine.

Each hop asks the engine (``next_hop``, one SQL statement in its own dialect) for the
entities one link away from the frontier, each with whether it was already known (on the
chart: walked through, not counted against the cap) and the hop's total, best connected
first. The walk keeps the seeds, takes what room is left of the cap hop after hop, and counts
what the cap left out, so a preview can say "and N more": the entities within the hops that
are one link from those walked and were not kept, each counted once. Once the cap is full,
a hop is only counted (``count_hop``: one count of distinct entities, not a ranking of every
one of them; around a hub that hop reaches most of the store), and the walk goes on only
through known entities. Drawing a chart or an expansion does not count (``count=False``):
once the cap is full the walk stops, and what it left out is None, not counted (around a hub
the count was a quarter of drawing its chart); the preview counts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from workbench.store.interface import Cancelled, StoreCancelled

# (frontier, seen so far, how many rows to take) -> rows of (id, known, the hop's total)
NextHop = Callable[[list[int], list[int], int], list[tuple]]
# (frontier, seen so far, the frontiers before) -> of the entities one link from the frontier
# that were not seen and are not one link from an earlier frontier (those were counted): how
# many are not known, and the known ones (walked through)
CountHop = Callable[[list[int], list[int], list[int]], tuple[int, list[int]]]
# an entity reached by a path search -> (the entity it was reached from, by which link)
ReachedFrom = Callable[[int], tuple[int | None, int | None] | None]


def check(cancelled: Cancelled | None) -> None:
    """Stop with StoreCancelled when the analyst pressed Cancel."""
    if cancelled is not None and cancelled():
        raise StoreCancelled("cancelled")


def walk(next_hop: NextHop, count_hop: CountHop, seeds: Sequence[int], hops: int, cap: int,
         known: Sequence[int], cancelled: Cancelled | None, count: bool = True
         ) -> tuple[list[int], int | None]:
    """The seeds and up to ``cap`` entities within ``hops`` (entities in ``known`` are
    walked through without counting against the cap), and how many the cap left out (not
    ``count``: None when the cap was full before the last hop, which is then not walked:
    those walked through known entities bring nothing new, and the links among the chart's
    entities are read whatever the walk)."""
    chosen = list(dict.fromkeys(int(s) for s in seeds))
    known_set = {int(k) for k in known}
    frontier, more = chosen, 0
    room = max(0, cap - sum(1 for s in chosen if s not in known_set))
    for _ in range(max(0, hops)):
        check(cancelled)
        if not frontier:
            break
        if room == 0 and not count:
            return chosen, None
        if room == 0:  # full: count what this hop reaches, walk on through known ones only
            counted, frontier = count_hop(frontier, chosen, chosen[:len(chosen) - len(frontier)])
            more += counted
            chosen += frontier
            continue
        rows = next_hop(frontier, chosen, room + len(known_set) + 1)
        total = rows[0][2] if rows else 0
        old = [r[0] for r in rows if r[1]]
        new = [r[0] for r in rows if not r[1]][:room]
        more += max(0, total - len(old) - len(new))
        room -= len(new)
        frontier = old + new
        chosen += frontier
    return chosen, more


def path_back(reached_from: ReachedFrom, end: int) -> list[tuple[int, int | None]] | None:
    """The path a breadth-first search found to ``end``, from its start: (entity, the link
    reaching it) per step, the start's link None; None when ``end`` was not reached."""
    found = reached_from(end)
    if found is None:
        return None
    chain: list[tuple[int, int | None]] = [(end, found[1])]
    parent = found[0]
    while parent is not None:
        before, link = reached_from(parent)
        chain.append((parent, link))
        parent = before
    return chain[::-1]
