"""Routes from a chart: directed links between placed entities, aggregated into segments.

A trafficking route is a chain origin -> transit -> destination. In a chart it is a set of
directed links of route types ("Trafficked to", "Travels to", "Transits through"); every link is
one case on one leg. Legs between the same two places are added up into one ``Segment`` with
a count, so the map shows "how many cases went from Libya to Italy". With a colour attribute
the legs are split by that attribute's value (type of exploitation, year) and each value gets
its own line.

The result (``RouteMap``) is plain data shared by the interactive and the static map.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from workbench.geo.gazetteer import Gazetteer, Place
from workbench.geo.places import Unresolved, locate
from workbench.model import Chart, Kind, Link

# "Trafficked from" is not a default: whether its arrow points at the origin or away from it
# depends on how the link was drawn, and a wrong arrow is worse than a missing one.
DEFAULT_ROUTE_TYPES = ("Trafficked to", "Travels to", "Transits through")
# Pseudo-attributes offered for colouring besides the links' own attributes.
COLOUR_LINK_TYPE = "link type"
COLOUR_YEAR = "year"
NO_VALUE = "(no value)"
_COUNT_NAMES = ("count", "cases", "number of cases")
_BELOW_MINIMUM = "on legs with fewer than "


@dataclass(frozen=True, slots=True)
class RouteOptions:
    link_types: tuple[str, ...] = DEFAULT_ROUTE_TYPES
    colour_by: str | None = None
    min_count: int = 1
    date_from: date | None = None
    date_to: date | None = None


@dataclass(slots=True)
class Segment:
    """All cases on one leg (source place -> target place), for one colour value."""

    source: str  # entity id
    target: str
    category: str | None
    count: float = 0
    link_ids: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str, str | None]:
        return (self.source, self.target, self.category)


@dataclass(slots=True)
class HotSpot:
    entity_id: str
    place: Place
    label: str
    outgoing: float = 0
    incoming: float = 0

    @property
    def count(self) -> float:
        return self.outgoing + self.incoming


@dataclass(slots=True)
class RouteMap:
    segments: list[Segment]
    hotspots: dict[str, HotSpot]
    categories: list[str]  # colour values, busiest first
    colour_by: str | None
    unresolved: list[Unresolved]
    skipped: Counter[str]  # reason -> number of links left out
    min_count: int = 1  # legs with fewer cases are left out of ``segments``
    # Every leg before the minimum count and the places at their ends (entity id -> place,
    # label), so a lighter or heavier map (``at_least``) and the "showing 240 of 4,049 legs"
    # note need no second pass over the chart.
    all_segments: list[Segment] = field(default_factory=list)
    all_places: dict[str, tuple[Place, str]] = field(default_factory=dict)

    @property
    def all_cases(self) -> float:
        return sum(s.count for s in self.all_segments)

    def at_least(self, min_count: int) -> RouteMap:
        """The same routes keeping only legs with ``min_count`` cases or more (chosen from
        all the legs, so a minimum can be lowered again)."""
        skipped = Counter({reason: n for reason, n in self.skipped.items()
                           if not reason.startswith(_BELOW_MINIMUM)})
        return _assemble(self.all_segments, self.all_places, min_count, self.colour_by,
                         self.unresolved, skipped)

    @property
    def places(self) -> dict[str, Place]:
        return {eid: h.place for eid, h in self.hotspots.items()}

    def segment_between(self, source_label: str, target_label: str) -> list[Segment]:
        """Segments from one place name to another (for tests and the CLI summary)."""
        return [s for s in self.segments
                if self.hotspots[s.source].label == source_label
                and self.hotspots[s.target].label == target_label]


def link_weight(link: Link) -> float:
    """Cases a link stands for: its count attribute when the import aggregated rows, else 1."""
    for name, value in link.attributes.items():
        if name.strip().casefold() in _COUNT_NAMES and value.kind is Kind.NUMBER:
            return float(value.value) if value.value > 0 else 0.0
    return 1.0


def link_date(link: Link) -> date | None:
    """The link's date, or 1 January of a 'year' attribute (report data is yearly)."""
    if link.date is not None:
        return link.date.date()
    for name, value in link.attributes.items():
        if name.strip().casefold() in ("year", "years"):
            if value.kind is Kind.DATETIME and isinstance(value.value, datetime):
                return value.value.date()
            if value.kind is Kind.NUMBER and 1 <= int(value.value) <= 9999:
                return date(int(value.value), 1, 1)
    return None


def colour_value(link: Link, attribute: str | None) -> str | None:
    if attribute is None:
        return None
    if attribute == COLOUR_LINK_TYPE:
        return link.type
    if attribute == COLOUR_YEAR:
        when = link_date(link)
        return str(when.year) if when else NO_VALUE
    value = link.attributes.get(attribute)
    return value.display() if value is not None else NO_VALUE


def colour_attributes(chart: Chart, link_types: tuple[str, ...] = DEFAULT_ROUTE_TYPES) -> list[str]:
    """Attributes a route map can be coloured by (for the options and the CLI's help)."""
    names = {name for link in chart.links.values() if link.type in link_types
             for name in link.attributes}
    return [COLOUR_LINK_TYPE, COLOUR_YEAR, *sorted(names, key=str.casefold)]


def build_routes(chart: Chart, options: RouteOptions | None = None,
                 gazetteer: Gazetteer | None = None) -> RouteMap:
    """Aggregate the chart's route links into segments and hot spots."""
    options = options or RouteOptions()
    wanted = set(options.link_types)
    skipped: Counter[str] = Counter()
    pairs: list[tuple[str, str, Link]] = []
    for link in chart.links.values():
        if link.type not in wanted:
            continue
        arrows = link.arrow_pairs()
        if not arrows:
            skipped["link has no direction"] += 1
            continue
        if options.date_from or options.date_to:
            when = link_date(link)
            if when is None:
                skipped["link has no date (a date range is set)"] += 1
                continue
            if (options.date_from and when < options.date_from) or (
                    options.date_to and when > options.date_to):
                skipped["outside the date range"] += 1
                continue
        pairs.extend((a, b, link) for a, b in arrows)

    ends = [end for a, b, _ in pairs for end in (a, b)]
    located = locate(chart, ends, gazetteer)
    segments: dict[tuple[str, str, str | None], Segment] = {}
    for source, target, link in pairs:
        if source not in located.places or target not in located.places:
            skipped["an end could not be placed"] += 1
            continue
        if source == target:
            skipped["both ends are the same entity"] += 1
            continue
        category = colour_value(link, options.colour_by)
        key = (source, target, category)
        segment = segments.get(key)
        if segment is None:
            segment = segments[key] = Segment(source, target, category)
        segment.count += link_weight(link)
        segment.link_ids.append(link.id)

    places = {eid: (located.places[eid], chart.entities[eid].label)
              for segment in segments.values() for eid in (segment.source, segment.target)}
    return _assemble(list(segments.values()), places, options.min_count, options.colour_by,
                     located.unresolved, skipped)


def _assemble(every: list[Segment], places: dict[str, tuple[Place, str]], min_count: int,
              colour_by: str | None, unresolved: list[Unresolved],
              skipped: Counter[str]) -> RouteMap:
    """The route map of the legs with at least ``min_count`` cases: hot spots and colour
    values are counted from the legs kept."""
    kept = [s for s in every if s.count >= min_count]
    dropped = sum(len(s.link_ids) for s in every if s.count < min_count)
    if dropped:
        skipped[f"{_BELOW_MINIMUM}{min_count} cases"] += dropped
    kept.sort(key=lambda s: (-s.count, s.source, s.target, s.category or ""))

    hotspots: dict[str, HotSpot] = {}
    for segment in kept:
        for entity_id, outgoing in ((segment.source, True), (segment.target, False)):
            spot = hotspots.get(entity_id)
            if spot is None:
                spot = hotspots[entity_id] = HotSpot(entity_id, *places[entity_id])
            if outgoing:
                spot.outgoing += segment.count
            else:
                spot.incoming += segment.count
    totals: Counter[str] = Counter()
    for segment in kept:
        if segment.category is not None:
            totals[segment.category] += segment.count
    # Busiest first; "(no value)" last so real values get the first colours.
    categories = sorted(totals, key=lambda c: (c == NO_VALUE, -totals[c], c))
    return RouteMap(kept, hotspots, categories, colour_by, unresolved, skipped, min_count,
                    every, places)
