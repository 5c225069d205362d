"""Time-ordered layout: entities left to right by date, one horizontal lane per type.

An entity's date is its own, or else the earliest date of its links (an advert posted, a
call made). Entities with no date at all stand in a column to the left of the time axis, so
none is dropped. Entities with the same date in one lane are stacked below each other.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import numpy as np

from workbench.layout.graph import (
    SPACING,
    Cancelled,
    LayoutInput,
    Positions,
    Progress,
    check,
    finish_arrays,
    snapshot,
)
from workbench.model import Chart

COLUMN = 90.0  # horizontal step between successive distinct dates
STACK = 56.0  # vertical step between entities sharing a date and a lane
UNDATED_ROWS = 8  # undated entities of one lane per column
UNDATED = -2  # the column of undated entities, left of the first date


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
    count = len(data)
    dates = entity_dates(chart, data) if isinstance(chart, Chart) else list(data.dates)
    check(cancelled, progress, 0.3)
    if count == 0:
        return {}
    lanes = {t: i for i, t in enumerate(sorted(set(data.types)))}
    lane = np.fromiter(map(lanes.__getitem__, data.types), dtype=np.int64, count=count)
    keys = [None if d is None else _key(d) for d in dates]
    column = {d: i for i, d in enumerate(sorted({k for k in keys if k is not None}))}
    col = np.fromiter((UNDATED if k is None else column[k] for k in keys), dtype=np.int64,
                      count=count)
    # How many entities came before each one in its lane and column (its depth in the
    # stack there), in entity order: a stable sort by (lane, column), then ranks.
    group = lane * (len(column) - UNDATED + 1) + (col - UNDATED)
    by_group = np.argsort(group, kind="stable")
    sorted_groups = group[by_group]
    starts = np.flatnonzero(np.r_[True, np.diff(sorted_groups) != 0])
    sizes = np.diff(np.r_[starts, count])
    depth = np.empty(count, dtype=np.int64)
    depth[by_group] = np.arange(count) - np.repeat(starts, sizes)
    undated = col == UNDATED
    deepest = np.where(col[by_group[starts]] == UNDATED, np.minimum(sizes, UNDATED_ROWS), sizes)
    lane_height = STACK * max(1, int(deepest.max())) + SPACING * 0.6
    x = col.astype(float)
    # Undated ones wrap into columns to the left of the axis.
    x[undated] = UNDATED - depth[undated] // UNDATED_ROWS * 1.6
    depth[undated] %= UNDATED_ROWS
    # Neighbouring dates alternate half a step up and down, so their labels (wider than
    # a column) do not run into each other.
    stagger = np.where(~undated & (col % 2 == 1), STACK / 2.0, 0.0)
    xy = np.column_stack((x * COLUMN, lane * lane_height + depth * STACK + stagger))
    check(cancelled, progress, 1.0)
    return finish_arrays(data, np.arange(count), xy)
