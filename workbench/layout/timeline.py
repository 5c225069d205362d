"""Time-ordered layout: entities left to right by date, one horizontal lane per type.

An entity's date is its own, or else the earliest date of its links (an advert posted, a
call made). Entities with no date at all stand in a column to the left of the time axis, so
none is dropped. Entities with the same date in one lane are stacked below each other.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from workbench.layout.graph import (
    SPACING,
    Cancelled,
    LayoutInput,
    Positions,
    Progress,
    check,
    finish,
    snapshot,
)
from workbench.model import Chart

COLUMN = 90.0  # horizontal step between successive distinct dates
STACK = 56.0  # vertical step between entities sharing a date and a lane
UNDATED_ROWS = 8  # undated entities of one lane per column


def _key(date: datetime) -> datetime:
    return date.replace(tzinfo=None) if date.tzinfo is not None else date


def entity_dates(chart: Chart, data: LayoutInput) -> list[datetime | None]:
    """Each entity's own date, else the earliest date among its links."""
    out = []
    for entity_id, own in zip(data.ids, data.dates, strict=True):
        if own is not None:
            out.append(own)
            continue
        dates = [lk.date for lk in chart.links_of(entity_id) if lk.date is not None]
        out.append(min(dates, key=_key) if dates else None)
    return out


def time_layout(chart: Chart | LayoutInput, *, entity_ids: Iterable[str] | None = None,
                progress: Progress = None, cancelled: Cancelled = None) -> Positions:
    data = snapshot(chart, entity_ids)
    dates = entity_dates(chart, data) if isinstance(chart, Chart) else list(data.dates)
    check(cancelled, progress, 0.3)
    lanes = {t: i for i, t in enumerate(sorted(set(data.types)))}
    distinct = sorted({_key(d) for d in dates if d is not None})
    column = {d: i for i, d in enumerate(distinct)}
    lane_height = STACK * max(1, _deepest_stack(data, dates, column, lanes)) + SPACING * 0.6
    used: dict[tuple[int, int], int] = {}
    placed = {}
    for v, date in enumerate(dates):
        lane = lanes[data.types[v]]
        col = -2 if date is None else column[_key(date)]
        depth = used.get((lane, col), 0)
        used[(lane, col)] = depth + 1
        if date is None:  # undated ones wrap into columns to the left of the axis
            col, depth = -2 - depth // UNDATED_ROWS * 1.6, depth % UNDATED_ROWS
        # Neighbouring dates alternate half a step up and down, so their labels (wider than
        # a column) do not run into each other.
        stagger = STACK / 2.0 if date is not None and col % 2 else 0.0
        placed[v] = (col * COLUMN, lane * lane_height + depth * STACK + stagger)
    check(cancelled, progress, 1.0)
    return finish(data, placed)


def _deepest_stack(data: LayoutInput, dates: list, column: dict, lanes: dict) -> int:
    counts: dict[tuple[int, int], int] = {}
    for v, date in enumerate(dates):
        key = (lanes[data.types[v]], -2 if date is None else column[_key(date)])
        counts[key] = counts.get(key, 0) + 1
        if date is None:
            counts[key] = min(counts[key], UNDATED_ROWS)
    return max(counts.values(), default=1)
