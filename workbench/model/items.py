"""Entities and links: plain objects the Chart owns. Mutate them only through Chart methods,
so that every change is announced to the views and can be undone."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from workbench.model.kinds import Value
from workbench.model.provenance import SourceRecord


class Direction(StrEnum):
    NONE = "none"
    FORWARD = "forward"  # end1 -> end2
    REVERSE = "reverse"  # end2 -> end1
    BOTH = "both"


class Strength(StrEnum):
    CONFIRMED = "confirmed"
    UNCONFIRMED = "unconfirmed"
    TENTATIVE = "tentative"


class DatePrecision(StrEnum):
    """How much of a date its source gave: "2016" is a year, not 1 January 2016 at midnight.
    Views draw a date as the span it stands for (``date_span``); SECOND is an exact time."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"
    MINUTE = "minute"
    SECOND = "second"


def date_span(date: datetime, precision: DatePrecision) -> tuple[datetime, datetime]:
    """The first instant ``date`` can mean and the first instant after it, at ``precision``:
    (2016-01-01, 2017-01-01) for the year 2016. Time zone kept."""
    if precision is DatePrecision.YEAR:
        start = date.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
        return start, start.replace(year=start.year + 1)
    if precision is DatePrecision.MONTH:
        start = date.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        if start.month == 12:
            return start, start.replace(year=start.year + 1, month=1)
        return start, start.replace(month=start.month + 1)
    if precision is DatePrecision.DAY:
        start = date.replace(hour=0, minute=0, second=0, microsecond=0)
        return start, start + timedelta(days=1)
    if precision is DatePrecision.MINUTE:
        start = date.replace(second=0, microsecond=0)
        return start, start + timedelta(minutes=1)
    return date, date + timedelta(seconds=1)


@dataclass(frozen=True, slots=True)
class Style:
    """Per-item overrides of the type's look; None means 'as the type says'."""

    icon: str | None = None
    colour: str | None = None
    size: float | None = None

    def is_default(self) -> bool:
        return self.icon is None and self.colour is None and self.size is None


DEFAULT_STYLE = Style()


@dataclass(slots=True, eq=True)
class Entity:
    id: str
    type: str
    label: str
    identity: str | None = None
    attributes: dict[str, Value] = field(default_factory=dict)
    x: float = 0.0
    y: float = 0.0
    date: datetime | None = None
    coordinates: tuple[float, float] | None = None
    style: Style = DEFAULT_STYLE
    provenance: list[SourceRecord] = field(default_factory=list)
    date_precision: DatePrecision = DatePrecision.SECOND  # how much of ``date`` is known


@dataclass(slots=True, eq=True)
class Link:
    id: str
    end1: str
    end2: str
    type: str
    label: str = ""
    direction: Direction = Direction.NONE
    strength: Strength = Strength.CONFIRMED
    attributes: dict[str, Value] = field(default_factory=dict)
    date: datetime | None = None
    style: Style = DEFAULT_STYLE
    provenance: list[SourceRecord] = field(default_factory=list)
    date_precision: DatePrecision = DatePrecision.SECOND  # how much of ``date`` is known

    def other_end(self, entity_id: str) -> str:
        return self.end2 if entity_id == self.end1 else self.end1

    def arrow_pairs(self) -> list[tuple[str, str]]:
        """(from, to) pairs that the direction implies: none, one or two."""
        if self.direction is Direction.FORWARD:
            return [(self.end1, self.end2)]
        if self.direction is Direction.REVERSE:
            return [(self.end2, self.end1)]
        if self.direction is Direction.BOTH:
            return [(self.end1, self.end2), (self.end2, self.end1)]
        return []
