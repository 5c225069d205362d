"""Where each entity of a chart is on the map, and which ones could not be placed.

Order of precedence, strongest first:

1. the analyst's own fix for that place name, saved in ``chart.settings["places"]`` (so the
   fix travels with the chart file and applies to every entity with that name);
2. coordinates already on the entity (``entity.coordinates``, a coordinates attribute, or
   latitude/longitude number attributes from lat/lon columns);
3. the offline gazetteer, limited by entity type: a Country entity is placed only on a country
   or a documented region, never on a city that happens to share its name.

Except for countries and regions: a country is not a point, and imported "country
coordinates" are someone's geocoding guess (the route CSV puts "Gulf States" in Florida). A
Country entity whose name the gazetteer knows is placed by the gazetteer; its own coordinates
are used only when the name is unknown, and a disagreement of more than ``CONFLICT_KM`` is
noted on the place so the analyst can see it.

Everything that could not be placed comes back in ``Locations.unresolved`` with the reason, for
the analyst to fix by hand; nothing is silently dropped.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from workbench.geo.gazetteer import ALL_KINDS, Gazetteer, Place, default_gazetteer, place_key
from workbench.model import Chart, Entity, Kind
from workbench.model.countries import country_names

SETTINGS_KEY = "places"
_COUNTRY_KINDS = frozenset({"country", "region"})
# Entity types whose label names a place; other types need coordinates of their own.
PLACE_TYPE_KINDS: dict[str, frozenset[str]] = {
    "Country": _COUNTRY_KINDS,
    "Location": ALL_KINDS,
    "Address": ALL_KINDS,
}
CONFLICT_KM = 1000.0
_LAT_NAMES = {"lat", "latitude"}
_LON_NAMES = {"lon", "lng", "long", "longitude"}


@dataclass(frozen=True, slots=True)
class Unresolved:
    """An entity that routes need but that has no place; ``text`` is the name looked up."""

    entity_id: str
    label: str
    entity_type: str
    text: str
    reason: str


@dataclass(slots=True)
class Locations:
    places: dict[str, Place] = field(default_factory=dict)
    unresolved: list[Unresolved] = field(default_factory=list)


# ----- the analyst's fixes, saved in the chart ------------------------------------------------
def place_fixes(chart: Chart) -> dict[str, dict[str, Any]]:
    """The saved fixes: {folded place name: {"name", "lat", "lon"}} (JSON values only)."""
    fixes = chart.settings.get(SETTINGS_KEY)
    return fixes if isinstance(fixes, dict) else {}


def set_place_fix(chart: Chart, text: str, lat: float | None,
                  lon: float | None = None) -> dict[str, Any] | None:
    """Place every entity named ``text`` at (lat, lon), or remove the fix with ``lat=None``.

    Returns the fix it replaced (or None), which is what an undo command passes back.
    """
    key = place_key(text)
    if not key:
        raise ValueError("a place fix needs a name")
    fixes = dict(place_fixes(chart))
    old = fixes.get(key)
    if lat is None:
        fixes.pop(key, None)
    else:
        if lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(f"({lat}, {lon}) is outside latitude -90..90, longitude -180..180")
        fixes[key] = {"name": str(text).strip(), "lat": float(lat), "lon": float(lon)}
    if fixes:
        chart.settings[SETTINGS_KEY] = fixes
    else:
        chart.settings.pop(SETTINGS_KEY, None)
    return old


def restore_place_fix(chart: Chart, text: str, old: dict[str, Any] | None) -> None:
    """Put back what ``set_place_fix`` returned (undo)."""
    if old is None:
        set_place_fix(chart, text, None)
    else:
        set_place_fix(chart, text, old["lat"], old["lon"])


# ----- locating ---------------------------------------------------------------------------
def own_coordinates(entity: Entity) -> tuple[float, float] | None:
    """Coordinates the entity carries itself (field, coordinates attribute, lat/lon numbers)."""
    if entity.coordinates is not None:
        return entity.coordinates
    lat = lon = None
    for name, value in entity.attributes.items():
        if value.kind is Kind.COORDINATES:
            return tuple(value.value)  # type: ignore[return-value]
        if value.kind is Kind.NUMBER:
            folded = name.strip().casefold()
            if folded in _LAT_NAMES:
                lat = float(value.value)
            elif folded in _LON_NAMES:
                lon = float(value.value)
    if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return (lat, lon)


def locate(chart: Chart, entity_ids: Iterable[str],
           gazetteer: Gazetteer | None = None) -> Locations:
    """Place the given entities; unknown ids are ignored (the caller reports them)."""
    gazetteer = gazetteer or default_gazetteer()
    fixes = place_fixes(chart)
    result = Locations()
    for entity_id in dict.fromkeys(entity_ids):
        entity = chart.entities.get(entity_id)
        if entity is None:
            continue
        text = entity.label.strip() or (entity.identity or "")
        fix = fixes.get(place_key(text)) if text else None
        if fix is not None:
            result.places[entity_id] = Place(text, float(fix["lat"]), float(fix["lon"]),
                                             "manual", note="placed by hand (saved in chart)")
            continue
        coords = own_coordinates(entity)
        kinds = PLACE_TYPE_KINDS.get(entity.type)
        if coords is not None and kinds is _COUNTRY_KINDS and text:
            found = gazetteer.resolve(text, kinds)
            if found.place is not None:
                result.places[entity_id] = _noting_conflict(found.place, coords)
                continue
        if coords is not None:
            result.places[entity_id] = Place(text or entity_id, coords[0], coords[1],
                                             "coordinates", note="coordinates on the entity")
            continue
        if kinds is None:
            reason = f"a {entity.type} is not a place and has no coordinates"
        elif not text:
            reason = "no name to look up"
        else:
            found = gazetteer.resolve(text, kinds)
            if found.place is not None:
                result.places[entity_id] = found.place
                continue
            reason = found.reason
        result.unresolved.append(Unresolved(entity_id, entity.label, entity.type, text, reason))
    return result


def _noting_conflict(place: Place, coords: tuple[float, float]) -> Place:
    distance = distance_km((place.lat, place.lon), coords)
    if distance <= CONFLICT_KM:
        return place
    note = (f"{place.note}; the entity's own coordinates ({coords[0]:.2f}, {coords[1]:.2f}) "
            f"are {distance:,.0f} km away and were not used")
    return Place(place.name, place.lat, place.lon, place.kind, place.code, note)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


@cache  # one namer (and its cache of answers) for the session
def place_namer() -> Callable[[str], str | None]:
    """What the importer needs to make Location entities one per place: a text -> the
    gazetteer's name for it ("lagos" and "Lagos, Nigeria" -> "Lagos, Nigeria"; a country or
    region by its own name), None when the gazetteer cannot place it or the name is ambiguous.
    Passed to ``build_import(places=...)`` by the window and the command line; the gazetteer
    is built (under a second) only when an import first has a Location to name."""

    @lru_cache(maxsize=100_000)
    def name(text: str) -> str | None:
        place = default_gazetteer().resolve(text).place
        if place is None:
            return None
        if place.kind == "city" and place.code:
            return f"{place.name}, {country_names().names.get(place.code, place.code)}"
        return place.name

    return name
