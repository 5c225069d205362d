"""Where an expansion's new entities go: fanned around the entity that brought them in.

An expansion adds entities to a chart the analyst has already arranged, so nothing on it
moves: each new entity is put beside the entity it was reached from (its *parent*), the
expanded entity's neighbours on rings around it, the most linked nearest, a second hop's
entities on an arc around their own parent facing away from it, as i2 places what an
expand brings and as the peacock layout fans a hub's leaves. A force layout of the new
entities did this before: around the 10M-row store's hub, 200 rounds among 501 entities
joined by 49,451 pairs, with the layout package's spreading and label overlaps, 0.15 s of an
expansion's 0.67 s; on entities that are all linked to one another it drew a round blob, the
rings of this a tidier one, in a hundredth of the time. An expansion of a few dozen entities
is still laid out by force (``charting.FANNED_PAST``): it costs nothing there and shows who is
linked to whom.

A new entity's parent is the entity it shares a link with that came first: the expanded
entity, then the chart's other entities, then the new ones in the order the walk kept them
(hop by hop, the best linked first: ``store/walk.py``). An entity linked to none of those
(an accepted partner brought along by a decision) goes around the expanded entity.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy.spatial import cKDTree

from workbench.layout.peacock import FOOTPRINT, fan
from workbench.model import Chart, Entity, Link
from workbench.store.link_items import end_places

BESIDE = 200.0  # an expansion of an entity not on the chart goes this far right of it
SPREAD_ROUNDS = 40  # at most, rounds of pushing apart the fans that meet
CLEAR = 1.05  # footprints two entities pushed apart end up at (1: they would just touch)


def parents(order: Sequence[str], first: Sequence[str], links: Sequence[Link]
            ) -> list[int]:
    """For each entity of ``order`` (new, in the walk's order), the position in
    ``first + order`` of the entity it is placed beside: the earliest of them it shares a
    link with (``first``: the expanded entity, then the chart's others), 0 (the expanded
    entity) when there is none. Found in numpy over the links' ends: a hub's expansion is
    75,000 connections."""
    rank = {name: k for k, name in enumerate([*first, *order])}
    if not links:
        return [0] * len(order)
    missing = len(rank)
    one, two = end_places(links, rank, missing)
    child, parent = np.maximum(one, two), np.minimum(one, two)
    keep = (child != parent) & (child != missing) & (child >= len(first))
    best = np.full(missing + 1, missing, np.int64)
    np.minimum.at(best, child[keep], parent[keep])
    found = best[len(first):missing]
    return np.where(found == missing, 0, found).tolist()


def place_around(chart: Chart, centre: str | None, entities: Sequence[Entity],
                 order: Sequence[str], links: Sequence[Link]) -> None:
    """Give ``entities`` (about to join ``chart``) positions beside the entities they were
    reached from, ``centre`` (the expanded entity) staying where the analyst put it; when it
    is not on the chart (a command line's ``--entity`` of another part of the store), the
    new entities go to the right of the chart, as one group. ``order``: the new entities'
    chart ids in the walk's order (any missing are placed last)."""
    if not entities:
        return
    new = {e.id: e for e in entities}
    order = list(dict.fromkeys([*(i for i in order if i in new), *new]))
    anchor = chart.entities.get(centre) if centre else None
    if anchor is None:  # the expanded entity is new (or unknown): the others go around it
        hub = centre if centre in new else order[0]
        order.remove(hub)
    else:
        hub = anchor.id
    placed = [i for i in chart.entities if i != hub]
    first = [hub, *placed]
    where = {i: (chart.entities[i].x, chart.entities[i].y) for i in placed}
    where[hub] = (anchor.x, anchor.y) if anchor is not None else (0.0, 0.0)
    names = [*first, *order]
    came_from = {name: names[k] for name, k in zip(order, parents(order, first, links),
                                                   strict=True)}
    children: dict[str, list[str]] = {}
    for name in order:
        children.setdefault(came_from[name], []).append(name)
    # the hub first, then the chart's entities, then the new ones in order: each parent is
    # placed before its children are
    for parent in sorted(children, key={name: k for k, name in enumerate(names)}.__getitem__):
        spots = fan(where[parent], _away(where, parent, came_from.get(
            parent, None if parent == hub else hub), placed), len(children[parent]))
        where.update(zip(children[parent], spots, strict=True))
    group = [hub, *order]
    if anchor is None:  # the group goes to the right of the chart, top-aligned with it
        xs, ys = zip(*(where[name] for name in group), strict=True)
        dx = max((e.x for e in chart.entities.values()), default=0.0) + BESIDE - min(xs)
        dy = min((e.y for e in chart.entities.values()), default=0.0) - min(ys)
        where.update((name, (where[name][0] + dx, where[name][1] + dy)) for name in group)
    if order:
        xy = _apart(np.array([where[name] for name in [*order, *first]]), len(order))
        for name, (x, y) in zip(order, xy.tolist(), strict=True):
            new[name].x, new[name].y = x, y
    if anchor is None:
        new[hub].x, new[hub].y = where[hub]


def _apart(xy: np.ndarray, moving: int, rounds: int = SPREAD_ROUNDS) -> np.ndarray:
    """The spots ``xy`` with the first ``moving`` pushed apart where two are closer than an
    entity's footprint (fans of neighbouring entities meet, a fan may reach an entity on the
    chart), along the line between them; the others (on the chart already, the expanded
    entity) do not move, so one of the first beside one of them moves the whole way."""
    scale = np.array(FOOTPRINT, dtype=float)
    xy = xy / scale  # in this space the footprint is a unit circle
    low, high = xy[:moving].min(axis=0) - 1.0, xy[:moving].max(axis=0) + 1.0
    near = np.flatnonzero(np.all((xy[moving:] >= low) & (xy[moving:] <= high), axis=1))
    spots = np.concatenate([xy[:moving], xy[moving:][near]])  # the fixed ones in reach
    for _ in range(rounds):
        pairs = cKDTree(spots).query_pairs(1.0, output_type="ndarray")
        pairs = pairs[(pairs < moving).any(axis=1)] if len(pairs) else pairs
        if not len(pairs):
            break
        i, j = pairs[:, 0], pairs[:, 1]
        d = spots[j] - spots[i]
        dist = np.hypot(d[:, 0], d[:, 1])
        same = dist < 1e-6  # on one spot: apart along a direction fixed by the index
        d[same] = np.column_stack([np.cos(i[same]), np.sin(i[same])])
        dist[same] = 1.0
        step = d / dist[:, None] * (CLEAR - np.minimum(dist, 1.0))[:, None]
        both = (i < moving) & (j < moving)
        share_i = np.where(both, 0.5, (i < moving).astype(float))
        share_j = np.where(both, 0.5, (j < moving).astype(float))
        move = np.zeros_like(spots)
        np.add.at(move, i, -step * share_i[:, None])
        np.add.at(move, j, step * share_j[:, None])
        spots += move
    return spots[:moving] * scale


def _away(where: dict[str, tuple[float, float]], hub: str, came_from: str | None,
          placed: Sequence[str]) -> float:
    """The angle a hub's fan faces: on from the entity it was reached from (a chart entity's:
    from the expanded one); the expanded entity's, away from the middle of the chart
    (upwards when it is alone)."""
    hx, hy = where[hub]
    if came_from is not None:
        fx, fy = where[came_from]
    elif placed:
        fx = sum(where[name][0] for name in placed) / len(placed)
        fy = sum(where[name][1] for name in placed) / len(placed)
    else:
        return -math.pi / 2
    if (fx, fy) == (hx, hy):
        return -math.pi / 2
    return math.atan2((hy - fy) / FOOTPRINT[1], (hx - fx) / FOOTPRINT[0])
