"""What a timeline shows, as columns of numbers: theme lines and the dated events on them.

The painter draws tens of thousands of events at every zoom step, so the chart's objects are
read once into numpy arrays here (times in seconds, rows, styles) and drawn from those. Plain
Python and numpy: the command line, the report and the dock build the same data.

- A **theme line** is one entity the analyst chose (a person, a phone, an account).
- A **dated link** with at least one end on a theme line is an event at its time: drawn between
  the two theme lines it joins, or as a mark on the one line with the other end's name.
- A **dated entity** is an event frame: on its own line when it is a theme, and on the line of
  every theme it is linked to (an Event linked to the people involved in it).
- A date stands for the span of its precision: a year-only date covers the year. An entity
  or a link with a date-time attribute named ``end`` lasts until then (a link of a chart
  drawn from the store that stands for many spans its first to its last date).

Times are seconds since 1970 on one axis: a date with a UTC offset at its instant, a date
without one at its own clock time (the source's local time).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from workbench.model import Chart, DatePrecision, Direction, Entity, Kind, Link, Strength, date_span

_EPOCH = datetime(1970, 1, 1)
EXACT = (DatePrecision.SECOND, DatePrecision.MINUTE)  # drawn at a point, not as a span
STRENGTHS = (Strength.CONFIRMED, Strength.UNCONFIRMED, Strength.TENTATIVE)
BUSIEST = 12  # theme lines chosen when the analyst has chosen none


def seconds(date: datetime) -> float:
    """A date on the timeline's axis: the instant of an aware date, the clock time of a
    naive one (read as if it were UTC, so no local zone of this computer creeps in)."""
    if date.tzinfo is not None and date.utcoffset() is not None:
        return date.timestamp()
    return (date - _EPOCH).total_seconds()


def date_of(value: float) -> datetime:
    """The axis position back as a (naive) date, for tick labels."""
    return _EPOCH + timedelta(microseconds=round(value * 1e6))


@dataclass
class TimelineData:
    """Theme lines (top to bottom) and events sorted by start time; the event arrays line up."""

    themes: list[str]
    theme_labels: list[str]
    theme_colours: list[str]
    ids: np.ndarray  # item id of each event (object)
    is_link: np.ndarray  # bool
    start: np.ndarray  # float64 seconds
    end: np.ndarray  # float64 seconds; == start for an event at a point
    row_a: np.ndarray  # int32: the theme line it is on (a link: its first end on a theme)
    row_b: np.ndarray  # int32: the other theme line a link joins, -1 when none
    arrow: np.ndarray  # int8: +1 from row_a to row_b, -1 towards row_a, 2 both ways, 0 none
    strength: np.ndarray  # int8: index in STRENGTHS
    colour: np.ndarray  # object: '#rrggbb'
    label: np.ndarray  # object: what is written beside the event

    def __len__(self) -> int:
        return len(self.ids)

    def indices_of(self, item_ids: Iterable[str]) -> np.ndarray:
        """Events of these items (a link has one; an event entity one per theme line)."""
        wanted = set(item_ids)
        if not wanted:
            return np.zeros(0, dtype=np.int64)
        return np.flatnonzero([i in wanted for i in self.ids.tolist()])


def busiest_entities(chart: Chart, count: int = BUSIEST) -> list[str]:
    """The entities in the most dated links (then dated themselves): the default theme lines
    for a picture or a report when nobody chose any. Ties go to the label, so it is stable."""
    counts: Counter[str] = Counter()
    for link in chart.links.values():
        if link.date is not None:
            counts[link.end1] += 1
            counts[link.end2] += 1
    for entity in chart.entities.values():
        if entity.date is not None:
            counts[entity.id] += 1
    ranked = sorted(counts, key=lambda i: (-counts[i], chart.entity(i).label, i))
    return ranked[:count]


def _span(item: Entity | Link) -> tuple[float, float]:
    assert item.date is not None
    if item.date_precision in EXACT:
        t = seconds(item.date)
        end = t
    else:
        first, after = date_span(item.date, item.date_precision)
        t, end = seconds(first), seconds(after)
    until = item.attributes.get("end")
    if until is not None and until.kind is Kind.DATETIME:
        end = max(end, seconds(until.value))
    return t, end


_ARROWS = {Direction.NONE: 0, Direction.FORWARD: 1, Direction.REVERSE: -1, Direction.BOTH: 2}


def build(chart: Chart, theme_ids: Sequence[str]) -> TimelineData:
    """The timeline of ``theme_ids`` (entities not in the chart are left out). One pass over
    the links: 100,000 of them are read in well under a second."""
    themes = [i for i in dict.fromkeys(theme_ids) if i in chart.entities]
    row = {entity_id: r for r, entity_id in enumerate(themes)}
    cols: dict[str, list] = {k: [] for k in ("ids", "is_link", "start", "end", "row_a", "row_b",
                                             "arrow", "strength", "colour", "label")}
    ids, is_link, start, end, row_a, row_b, arrow, strength, colour, label = cols.values()
    type_colour: dict[str, str] = {}
    near: dict[str, set[int]] = {}  # entity -> the theme lines it is linked to
    for link in chart.links.values():
        a, b = row.get(link.end1, -1), row.get(link.end2, -1)
        if a < 0 and b < 0:
            continue
        if a >= 0:
            near.setdefault(link.end2, set()).add(a)
        if b >= 0:
            near.setdefault(link.end1, set()).add(b)
        if link.date is None:
            continue
        way = _ARROWS[link.direction]
        if a < 0:  # the first end is not a theme: the event is on the second's line
            a, b, way = b, -1, -way if abs(way) == 1 else way
        if link.label:
            text = link.label
        elif b < 0:
            text = chart.entity(link.other_end(themes[a])).label
        else:
            text = link.type
        ink = link.style.colour or type_colour.get(link.type)
        if ink is None:
            ink = type_colour[link.type] = chart.link_type(link).colour
        t0, t1 = _span(link)
        ids.append(link.id)
        is_link.append(True)
        start.append(t0)
        end.append(t1)
        row_a.append(a)
        row_b.append(b)
        arrow.append(way)
        strength.append(STRENGTHS.index(link.strength))
        colour.append(ink)
        label.append(text)
    for entity in chart.entities.values():
        if entity.date is None:
            continue
        on = [row[entity.id]] if entity.id in row else sorted(near.get(entity.id, ()))
        ink = entity.style.colour or chart.entity_type(entity).colour
        t0, t1 = _span(entity)
        for r in on:
            for key, value in zip(cols, (entity.id, False, t0, t1, r, -1, 0, 0, ink,
                                         entity.label), strict=True):
                cols[key].append(value)
    return _sorted(chart, themes, cols)


def _sorted(chart: Chart, themes: list[str], cols: dict[str, list]) -> TimelineData:
    start = np.asarray(cols["start"], dtype=np.float64)
    order = np.argsort(start, kind="stable")

    def column(key: str, dtype: object) -> np.ndarray:
        values = np.empty(len(cols[key]), dtype=dtype)
        values[:] = cols[key]
        return values[order]

    entities = [chart.entity(i) for i in themes]
    return TimelineData(
        themes=themes,
        theme_labels=[e.label for e in entities],
        theme_colours=[e.style.colour or chart.entity_type(e).colour for e in entities],
        ids=column("ids", object), is_link=column("is_link", bool),
        start=start[order], end=column("end", np.float64),
        row_a=column("row_a", np.int32), row_b=column("row_b", np.int32),
        arrow=column("arrow", np.int8), strength=column("strength", np.int8),
        colour=column("colour", object), label=column("label", object))
