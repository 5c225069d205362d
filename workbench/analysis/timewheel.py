"""Time wheel counts: how many dated items fall in each hour of the day on each day of the week
(or in each month of the year).

Calls made at 3 a.m. on Sundays, adverts posted every weekday at noon: the rhythm of activity
says who works shifts, who is abroad and when a trafficker moves people. The wheel is a grid
of rings (days of the week, or months) by sectors (hours of the day); each cell keeps the ids of
its items, so a click on a sector selects them on the chart, as histogram bars do. Hours and
weekdays are keyed by the histogram's own date bins (``fields.date_key``), so a wheel and an
"hour of day" histogram of one chart always agree. Dates are read as the clock time they were
imported with (a call at 23:10 local time is in the 23:00 sector).
"""

from __future__ import annotations

import calendar
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import numpy as np

from workbench.analysis.fields import DateBin, Target, date_key, items_of
from workbench.model import Chart, DatePrecision

HOURS = tuple(date_key(datetime(2000, 1, 1, h), DateBin.HOUR)[1] for h in range(24))
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = tuple(calendar.month_abbr[m] for m in range(1, 13))
ENOUGH = 24  # fewer dated items than hours: a wheel says nothing a list would not


class Rings(StrEnum):
    WEEKDAY = "weekday"  # seven rings, Monday innermost
    MONTH = "month"  # twelve rings, January innermost


@dataclass(frozen=True)
class TimeWheel:
    """Counts of ``rings`` x 24 hours; ``cells[(ring, hour)]`` holds the ids counted there."""

    title: str
    target: Target
    what: str  # what is counted: "links (Calls)" when every item is of one type, else "links"
    rings: Rings
    ring_labels: tuple[str, ...]
    counts: np.ndarray  # shape (rings, 24), ints
    cells: dict[tuple[int, int], tuple[str, ...]]
    undated: int  # items considered that carry no date (not on the wheel)

    @property
    def dated(self) -> int:
        return int(self.counts.sum())

    @property
    def sector_labels(self) -> tuple[str, ...]:
        return HOURS

    @property
    def says_something(self) -> bool:
        """Enough dated items, over more than one hour of the day, for a wheel to tell a
        reader something (a report leaves the wheel out otherwise)."""
        return self.dated >= ENOUGH and int(np.count_nonzero(self.counts.sum(axis=0))) > 1

    def ids(self, ring: int, hour: int) -> tuple[str, ...]:
        return self.cells.get((ring, hour), ())

    def selected_counts(self, selected: Collection[str]) -> np.ndarray:
        """For each cell, how many of its items are in ``selected``."""
        chosen = set(selected)
        out = np.zeros_like(self.counts)
        if chosen:
            for (ring, hour), ids in self.cells.items():
                out[ring, hour] = sum(1 for i in ids if i in chosen)
        return out

    def busiest(self) -> tuple[str, str, int] | None:
        """(ring label, hour label, count) of the fullest cell, for captions."""
        if not self.dated:
            return None
        ring, hour = np.unravel_index(int(np.argmax(self.counts)), self.counts.shape)
        return self.ring_labels[ring], HOURS[hour], int(self.counts[ring, hour])


TIMED = frozenset({DatePrecision.MINUTE, DatePrecision.SECOND})


def dated_target(chart: Chart) -> Target:
    """Links when the dates are on links (calls, payments, postings as links), else
    entities: the same choice the histogram makes for "date"."""
    entities = sum(1 for e in chart.entities.values() if e.date is not None)
    links = sum(1 for lk in chart.links.values() if lk.date is not None)
    return Target.LINKS if links > entities else Target.ENTITIES


def time_wheel(chart: Chart, *, target: Target | str | None = None,
               rings: Rings | str = Rings.WEEKDAY, among: Iterable[str] | None = None,
               scope: str = "") -> TimeWheel:
    """Count the items (all, or those ``among``) of ``target`` by hour of day and by day of
    week (``rings="weekday"``) or month of year (``rings="month"``). ``scope`` names the
    items for the title ("selection"). A date the source gave only to the day, month or year
    has no hour of day: it is counted with the undated, never drawn at midnight."""
    rings = Rings(rings)
    target = dated_target(chart) if target is None else Target(target)
    labels = WEEKDAYS if rings is Rings.WEEKDAY else MONTHS
    counts = np.zeros((len(labels), 24), dtype=np.int64)
    cells: dict[tuple[int, int], list[str]] = {}
    undated = 0
    items = items_of(chart, target, among)
    types = {item.type for item in items}
    what = f"{target.value} ({types.pop()})" if len(types) == 1 else target.value
    for item in items:
        when = item.date
        if when is None or item.date_precision not in TIMED:  # a year or a day has no hour
            undated += 1
            continue
        hour = date_key(when, DateBin.HOUR)[0][1]
        ring = date_key(when, DateBin.WEEKDAY)[0][1] if rings is Rings.WEEKDAY \
            else when.month - 1
        counts[ring, hour] += 1
        cells.setdefault((ring, hour), []).append(item.id)
    per = "day of week" if rings is Rings.WEEKDAY else "month"
    title = f"{what[0].upper()}{what[1:]} by hour of day and {per}"
    if scope:
        title += f" ({scope})"
    return TimeWheel(title, target, what, rings, labels, counts,
                     {k: tuple(v) for k, v in cells.items()}, undated)


__all__ = ["ENOUGH", "HOURS", "MONTHS", "WEEKDAYS", "Rings", "TimeWheel", "dated_target",
           "time_wheel"]
