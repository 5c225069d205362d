"""What a histogram or heat matrix counts by: a *field* of entities or links, and its bins.

A field is the item's type, its label, its date, one end of a link ("from", "to"), or any
attribute. Each item gives at most one *key* for a field: a sort key (so bars sort by value:
months in time order, numbers in numeric order) and the label the bar shows. Text is grouped
ignoring case and spacing ("Thailand" and "thailand " are one bar, labelled with the spelling
seen most), because the data comes from hundreds of sources that never agree on capitals.
Items with no value count as "(none)"; nothing is silently left out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import numpy as np

from workbench.analysis.graph import AnalysisError
from workbench.model import Chart, Direction, Entity, Kind, Link

NONE_LABEL = "(none)"
OTHER_LABEL = "Other"


class Target(StrEnum):
    ENTITIES = "entities"
    LINKS = "links"


class DateBin(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    HOUR = "hour"  # hour of day, 0-23: when do the calls happen
    WEEKDAY = "weekday"  # day of week, Monday first


#: Field names that are not attributes.
BUILT_IN = {"type": "type", "linktype": "type", "label": "label", "date": "date",
            "from": "from", "to": "to"}
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True, slots=True)
class Field:
    """``name``: 'type', 'label', 'date', 'from', 'to' or an attribute name.

    ``bin``: for dates a :class:`DateBin` name; for numbers 'auto' or a number of equal-width
    bins; None counts each distinct value.
    """

    name: str
    target: Target = Target.ENTITIES
    bin: str | None = None

    def describe(self) -> str:
        base = {"type": "type" if self.target is Target.ENTITIES else "link type",
                "label": "label", "date": "date", "from": "origin (from end)",
                "to": "destination (to end)"}.get(self.name, self.name)
        if self.bin in {b.value for b in DateBin}:
            per = {"hour": "hour of day", "weekday": "day of week"}.get(self.bin, self.bin)
            return per if self.name == "date" else f"{base} ({per})"
        if self.bin:
            return f"{base} (binned)"
        return base


def resolve_field(chart: Chart, by: str, bin: str | None = None,
                  target: Target | str | None = None) -> Field:
    """Turn what a user typed (``--by type|linktype|ATTRIBUTE``) into a Field.

    For an attribute without a target, entities are counted if any entity carries it, else
    links. An attribute that nothing carries is refused with the names that do exist.
    """
    if bin is not None:
        _check_bin(bin)
    if by == "linktype":
        return Field("type", Target.LINKS, bin)
    if by in ("from", "to"):
        return Field(by, Target.LINKS, bin)
    if target is not None:
        target = Target(target)
        if by not in BUILT_IN and by not in attribute_names(chart, target):
            names = ", ".join(sorted(attribute_names(chart, target))[:30]) or "none"
            raise AnalysisError(f"no {target.value[:-1]} has an attribute {by!r}; "
                                f"{target.value[:-1]} attributes in this chart: {names}; or "
                                "use type, linktype, label, date, from, to")
        return Field(BUILT_IN.get(by, by), target, bin)
    if by == "date" and not any(e.date for e in chart.entities.values()) and any(
            lk.date for lk in chart.links.values()):
        return Field("date", Target.LINKS, bin)  # calls, payments: the dates are on links
    if by in BUILT_IN:
        return Field(BUILT_IN[by], Target.ENTITIES, bin)
    on_entities = any(by in e.attributes for e in chart.entities.values())
    if on_entities:
        return Field(by, Target.ENTITIES, bin)
    if any(by in lk.attributes for lk in chart.links.values()):
        return Field(by, Target.LINKS, bin)
    names = sorted(attribute_names(chart, Target.ENTITIES) | attribute_names(chart, Target.LINKS))
    known = ", ".join(names[:30]) or "none"
    raise AnalysisError(f"no entity or link has an attribute {by!r}; attributes in this chart: "
                        f"{known}; or use type, linktype, label, date, from, to")


def attribute_names(chart: Chart, target: Target) -> set[str]:
    items = chart.entities.values() if target is Target.ENTITIES else chart.links.values()
    return {name for item in items for name in item.attributes}


def _check_bin(bin: str) -> None:
    if bin in {b.value for b in DateBin} or bin == "auto":
        return
    if bin.isdigit() and int(bin) >= 1:
        return
    raise AnalysisError(f"unknown bin {bin!r}: use day, week, month, quarter, year, hour, "
                        "weekday, auto or a number of bins")


def items_of(chart: Chart, target: Target, among: Iterable[str] | None = None
             ) -> list[Entity] | list[Link]:
    store = chart.entities if target is Target.ENTITIES else chart.links
    if among is None:
        return list(store.values())
    return [store[i] for i in dict.fromkeys(among) if i in store]


def raw_value(chart: Chart, item: Entity | Link, field: Field) -> Any:
    """The plain value of a field on an item (None when missing)."""
    if field.name == "type":
        return item.type
    if field.name == "label":
        return item.label or None
    if field.name == "date":
        return item.date
    if field.name in ("from", "to") and isinstance(item, Link):
        ends = (item.end2, item.end1) if item.direction is Direction.REVERSE else (
            item.end1, item.end2)
        return End(chart.entities[ends[0] if field.name == "from" else ends[1]])
    value = item.attributes.get(field.name)
    if value is None:
        return None
    if value.kind in (Kind.NUMBER, Kind.DATETIME, Kind.FLAG):
        return value.value
    return value.display()


Key = tuple[tuple, str]  # (sort key, label)


def _end_values(chart: Chart, field: Field, items: Iterable[Entity | Link]) -> dict[str, Any]:
    """The "from" or "to" end of each link as one End per entity: the 23,046 routes of the
    sample end at 351 countries, and making an End per link was most of a recount."""
    ends: dict[str, End] = {}
    values: dict[str, Any] = {}
    to = field.name == "to"
    for item in items:
        if not isinstance(item, Link):
            values[item.id] = raw_value(chart, item, field)
            continue
        first, second = (item.end2, item.end1) if item.direction is Direction.REVERSE \
            else (item.end1, item.end2)
        end_id = second if to else first
        end = ends.get(end_id)
        if end is None:
            end = ends[end_id] = End(chart.entities[end_id])
        values[item.id] = end
    return values


@dataclass(frozen=True, slots=True)
class End:
    """A link end counted as the entity it is, not its label text: two people both labelled
    "Ana Lima" are two bars (told apart by their identity), not one bar of both."""

    entity: Entity

    @property
    def name(self) -> str:
        e = self.entity
        return " ".join((e.label or e.identity or e.id).split())

    @property
    def detail(self) -> str:
        e = self.entity
        return f"{e.type} {e.identity}" if e.identity else f"{e.type} {e.id}"


class Keyer:
    """Gives each item its (sort key, label) for a field; numeric bins need every value first,
    so build it over the items being counted."""

    def __init__(self, chart: Chart, field: Field, items: Iterable[Entity | Link]) -> None:
        self.chart, self.field = chart, field
        self.values = _end_values(chart, field, items) if field.name in ("from", "to") \
            else {item.id: raw_value(chart, item, field) for item in items}
        self._end_keys: dict[str, Key | None] = {}
        self.edges: np.ndarray | None = None
        numbers = [v for v in self.values.values()
                   if isinstance(v, int | float) and not isinstance(v, bool)]
        if field.bin and field.bin not in {b.value for b in DateBin} and numbers:
            bins: Any = "auto" if field.bin == "auto" else int(field.bin)
            if bins == "auto":
                bins = min(len(np.histogram_bin_edges(numbers, bins="auto")) - 1, 30)
            self.edges = _nice_edges(min(numbers), max(numbers), max(int(bins), 1))
        names: dict[str, set[str]] = {}  # a label shared by several ends: say which is which
        for v in {id(v): v for v in self.values.values() if isinstance(v, End)}.values():
            names.setdefault(v.name.casefold(), set()).add(v.entity.id)
        self.shared = {k for k, ids in names.items() if len(ids) > 1}
        spellings: dict[str, dict[str, int]] = {}
        for v in self.values.values():
            if isinstance(v, str):
                spelling = " ".join(v.split())
                counts = spellings.setdefault(spelling.casefold(), {})
                counts[spelling] = counts.get(spelling, 0) + 1
        self.spelling = {k: max(c.items(), key=lambda kv: kv[1])[0]  # ties: first seen
                         for k, c in spellings.items()}

    def key(self, item_id: str) -> Key | None:
        value = self.values[item_id]
        if isinstance(value, End):  # one key per end entity, not per link
            entity_id = value.entity.id
            if entity_id not in self._end_keys:
                self._end_keys[entity_id] = self.key_of(value)
            return self._end_keys[entity_id]
        return self.key_of(value)

    def key_of(self, v: Any) -> Key | None:
        if v is None:
            return None
        if isinstance(v, bool):
            return ((2, int(v)), "yes" if v else "no")
        if isinstance(v, datetime):
            return date_key(v, self.field.bin or DateBin.MONTH)
        if isinstance(v, int | float):
            if self.edges is not None:
                return _number_bin(float(v), self.edges)
            return ((1, float(v)), _number_label(v))
        if isinstance(v, tuple):
            return ((4, v), f"{v[0]:.5f}, {v[1]:.5f}")
        if isinstance(v, End):
            folded = v.name.casefold()
            label = f"{v.name} ({v.detail})" if folded in self.shared else v.name
            return ((5, folded, v.entity.id), label)
        text = " ".join(str(v).split())
        folded = text.casefold()
        return ((5, folded), self.spelling.get(folded, text))


def date_key(when: datetime, bin: str) -> Key:
    b = DateBin(bin)
    if b is DateBin.DAY:
        start = datetime(when.year, when.month, when.day)
        return ((3, start), start.strftime("%Y-%m-%d"))
    if b is DateBin.WEEK:
        start = datetime(when.year, when.month, when.day) - timedelta(days=when.weekday())
        year, week, _ = start.isocalendar()
        return ((3, start), f"{year}-W{week:02d}")
    if b is DateBin.MONTH:
        start = datetime(when.year, when.month, 1)
        return ((3, start), start.strftime("%b %Y"))
    if b is DateBin.QUARTER:
        q = (when.month - 1) // 3
        return ((3, datetime(when.year, q * 3 + 1, 1)), f"{when.year} Q{q + 1}")
    if b is DateBin.YEAR:
        return ((3, datetime(when.year, 1, 1)), str(when.year))
    if b is DateBin.HOUR:
        return ((3, when.hour), f"{when.hour:02d}:00")
    return ((3, when.weekday()), _WEEKDAYS[when.weekday()])


def all_date_keys(first: Key, last: Key, bin: str, limit: int = 2000) -> list[Key] | None:
    """Every bin from first to last (so gaps in time show as empty bars); None if too many."""
    b = DateBin(bin)
    if b is DateBin.HOUR:
        return [date_key(datetime(2000, 1, 1, h), bin) for h in range(24)]
    if b is DateBin.WEEKDAY:
        return [date_key(datetime(2000, 1, 3) + timedelta(days=d), bin) for d in range(7)]
    start, end = first[0][1], last[0][1]
    keys: list[Key] = []
    current = start
    while current <= end:
        keys.append(date_key(current, bin))
        if len(keys) > limit:
            return None
        if b is DateBin.DAY:
            current += timedelta(days=1)
        elif b is DateBin.WEEK:
            current += timedelta(days=7)
        elif b is DateBin.YEAR:
            current = current.replace(year=current.year + 1)
        else:
            step = 3 if b is DateBin.QUARTER else 1
            month = current.month - 1 + step
            current = current.replace(year=current.year + month // 12, month=month % 12 + 1)
    return keys


def _nice_edges(low: float, high: float, bins: int) -> np.ndarray:
    """Equal-width bin edges on round numbers (0-10, 10-20...) rather than 3.27-6.54."""
    if high == low:
        return np.array([low, low + 1.0])
    raw = (high - low) / bins
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    count = math.ceil((high - start) / step)
    if start + count * step <= high:
        count += 1
    return start + step * np.arange(count + 1)


def _number_bin(v: float, edges: np.ndarray) -> Key:
    i = int(np.searchsorted(edges, v, side="right")) - 1
    i = min(max(i, 0), len(edges) - 2)
    low, high = edges[i], edges[i + 1]
    return ((1, float(low)), f"{_number_label(low)} to <{_number_label(high)}")


def number_bin_keys(edges: np.ndarray) -> list[Key]:
    return [_number_bin(float(edges[i]), edges) for i in range(len(edges) - 1)]


def _number_label(v: float) -> str:
    if float(v).is_integer():
        return f"{int(v):,}" if abs(v) >= 10_000 else str(int(v))
    return f"{v:,.4g}"


def value_kind(chart: Chart, field: Field) -> str:
    """'date', 'number' or 'text': which bins make sense for this field."""
    for item in items_of(chart, field.target):
        value = raw_value(chart, item, field)
        if value is None:
            continue
        if hasattr(value, "year"):
            return "date"
        if isinstance(value, int | float) and not isinstance(value, bool):
            return "number"
        return "text"
    return "text"
