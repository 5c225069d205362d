"""The time filter: which items a date range leaves on the chart, and how a window of time
steps through the data (day, week or month at a time) for playback.

"What did the network look like in March?" and "watch it grow week by week" are questions of
one range over the items' dates. Dated items are in the range or not (both ends included).
An item with a date-time attribute ``end`` lasts from its date until then (an event; a link
of a chart drawn from the store that stands for many, from its first date to its last), and
stays while that span meets the range, as the timeline draws it.
Undated items are the analyst's choice: kept (the handsets of a call log carry no date of
their own, and should not vanish), or hidden, in which case an undated entity still shows
while a link in the range joins it (the handsets that took part in that week's calls). No Qt:
the dock, the benchmark and a script use the same rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from workbench.model import Chart, Entity, Kind, Link


class Step(StrEnum):
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True, slots=True)
class TimeRange:
    """From ``start`` to ``end``, both included; ``keep_undated``: undated items stay."""

    start: datetime
    end: datetime
    keep_undated: bool = True

    def covers(self, when: datetime) -> bool:
        return self.start <= plain_time(when) <= self.end

    def meets(self, span: tuple[datetime, datetime]) -> bool:
        """Whether an item's span of dates (:func:`item_span`) meets the range."""
        return self.start <= span[1] and span[0] <= self.end


def item_span(item: Entity | Link) -> tuple[datetime, datetime] | None:
    """A dated item's first and last moment: its date, and its ``end`` date-time attribute
    when it has a later one; None when it is undated."""
    if item.date is None:
        return None
    first = plain_time(item.date)
    until = item.attributes.get("end")
    if until is not None and until.kind is Kind.DATETIME and isinstance(until.value, datetime):
        return first, max(first, plain_time(until.value))
    return first, first


def plain_time(when: datetime) -> datetime:
    """Zoned and unzoned dates on one clock: zoned ones in UTC, unzoned as given (as the
    time paths compare them)."""
    return when if when.tzinfo is None else when.astimezone(UTC).replace(tzinfo=None)


def date_span(chart: Chart) -> tuple[datetime, datetime] | None:
    """The first and last date on the chart's entities and links; None when nothing is
    dated."""
    spans = [span for item in (*chart.entities.values(), *chart.links.values())
             if (span := item_span(item)) is not None]
    return (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None


def filtered_by_time(chart: Chart, span: TimeRange) -> tuple[set[str], set[str]]:
    """(entity ids, link ids) the range hides from the chart."""
    link_spans = {lk.id: item_span(lk) for lk in chart.links.values()}
    hidden_links = {i for i, s in link_spans.items()
                    if (not span.keep_undated if s is None else not span.meets(s))}
    hidden_entities = {e.id for e in chart.entities.values()
                       if (s := item_span(e)) is not None and not span.meets(s)}
    if not span.keep_undated:
        joined = {end for lk in chart.links.values() if lk.id not in hidden_links
                  for end in (lk.end1, lk.end2)}
        hidden_entities.update(e.id for e in chart.entities.values()
                               if e.date is None and e.id not in joined)
    return hidden_entities, hidden_links


def shown_ids(chart: Chart, hidden: tuple[Iterable[str], Iterable[str]]) -> set[str]:
    """The entity and link ids left on the chart: a link shows only with both its ends."""
    entities = set(chart.entities).difference(hidden[0])
    gone = set(hidden[1])
    links = {lk.id for lk in chart.links.values()
             if lk.id not in gone and lk.end1 in entities and lk.end2 in entities}
    return entities | links


def step(when: datetime, unit: Step | str, times: int = 1) -> datetime:
    """``when`` moved ``times`` units (negative: back). A month keeps the day of the month
    where it can (31 January + 1 month is 29 February in a leap year)."""
    unit = Step(unit)
    if unit is Step.HOUR:
        return when + timedelta(hours=times)
    if unit is Step.DAY:
        return when + timedelta(days=times)
    if unit is Step.WEEK:
        return when + timedelta(weeks=times)
    month = when.month - 1 + times
    year, month = when.year + month // 12, month % 12 + 1
    days = [31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return when.replace(year=year, month=month, day=min(when.day, days[month - 1]))


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def next_window(span: TimeRange, unit: Step | str, last: datetime) -> TimeRange | None:
    """The window one ``unit`` later, as wide as this one (for playback); None once its
    start has passed ``last`` (the last date of the data)."""
    start = step(span.start, unit)
    if start > last:
        return None
    return TimeRange(start, step(span.end, unit), span.keep_undated)


__all__ = ["Step", "TimeRange", "date_span", "filtered_by_time", "next_window", "plain_time",
           "shown_ids", "step"]
