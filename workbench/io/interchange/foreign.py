"""How the columns of a file another tool wrote become a Workbench item.

A Workbench export names its own fields (``type``, ``identity``, ``sources``...); the same
names in a Gephi, yEd or networkx file mean whatever that tool's user meant: a ``type`` of
"FALSE", a ``sources`` count, a ``size`` in pixels. So in a foreign file only the label,
date, position, colour and coordinates are read as fields; every other column, these names
included, stays an attribute, and the entity type is taken from ``type`` only where it names
a type the chart knows (Person, Phone...). What was interpreted is said once per file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from workbench.io.interchange.common import Notes
from workbench.model import Chart, EntityType, Kind, Value

FOREIGN_ENTITY_TYPE = EntityType("Node", icon="mdi6.circle", colour="#5d6d7e")
FOREIGN_LINK_TYPE = "Link"
# The range Workbench draws entity sizes in when sizing by a measure (ui/docks/analysis_results).
SIZE_RANGE = (1.0, 3.0)
# Columns other tools give coordinates in, best first (compared without case).
LATITUDE_NAMES = ("latitude", "lat", "laty")
LONGITUDE_NAMES = ("longitude", "lon", "lng", "long", "lngx")
_COORDS_IN_TEXT = re.compile(
    r"(?:lngx?|lon|long|longitude)\s*=\s*(-?\d+(?:\.\d+)?)\s*[,;]\s*"
    r"(?:laty?|latitude)\s*=\s*(-?\d+(?:\.\d+)?)", re.IGNORECASE)
_LABEL_BEFORE_PAREN = re.compile(r"^\s*([^()]+?)\s*\(")


def foreign_label(fields: dict[str, str], rec_id: str) -> str:
    for name in ("label", "Label", "name", "Name", "title"):
        if fields.get(name):
            return fields[name]
    tooltip = fields.get("tooltip", "")
    found = _LABEL_BEFORE_PAREN.match(tooltip)
    if found:
        return found.group(1)
    return tooltip or rec_id


def known_type(names: dict[str, str], text: str | None, fallback: str, notes: Notes,
               what: str) -> str:
    """The chart's type a foreign ``type`` value names (any case), else ``fallback``; the
    value itself stays an attribute either way."""
    if not text:
        return fallback
    found = names.get(text.strip().casefold())
    if found is None:
        notes.add(f"a {what} 'type' that names no Workbench type is kept as the attribute "
                  f"'type'; the {what} is a {fallback}", f"{text[:40]!r}")
        return fallback
    return found


def type_names(chart: Chart, links: bool = False) -> dict[str, str]:
    table = chart.catalogue.link_types if links else chart.catalogue.entity_types
    return {name.casefold(): name for name in table}


def _column(fields: dict[str, str], names: tuple[str, ...]) -> str | None:
    lower = {k.casefold(): v for k, v in fields.items()}
    return next((lower[n] for n in names if lower.get(n)), None)


def foreign_coordinates(fields: dict[str, str], where: str,
                        notes: Notes) -> tuple[float, float] | None:
    """Coordinates from latitude/lat and longitude/lon/lng columns (kept as attributes
    too), or from text such as ``lngx=-92.2,laty=34.7`` (Gephi's airline sample)."""
    lat, lon = _column(fields, LATITUDE_NAMES), _column(fields, LONGITUDE_NAMES)
    if lat and lon:
        pair = notes.number(lat, "latitude", where), notes.number(lon, "longitude", where)
        if pair[0] is None or pair[1] is None:
            return None
        if not (-90 <= pair[0] <= 90 and -180 <= pair[1] <= 180):
            notes.add("coordinates outside the globe are kept as attributes only",
                      f"{where}: {lat[:20]!r}, {lon[:20]!r}")
            return None
        return pair  # type: ignore[return-value]
    for text in fields.values():
        found = _COORDS_IN_TEXT.search(text)
        if found:
            lon_f, lat_f = float(found.group(1)), float(found.group(2))
            if -90 <= lat_f <= 90 and -180 <= lon_f <= 180:
                return lat_f, lon_f
    return None


def keep_size(attributes: dict[str, Value], size: float | None, notes: Notes,
              where: str) -> None:
    """A foreign node size (Gephi's and sigma's are pixels, 1 to 100 and more) is kept as
    the attribute 'size'; it is drawn through size_scale, not as a multiple of the normal
    size."""
    if size is None:
        return
    name = "size" if "size" not in attributes else "size (drawn)"
    attributes[name] = Value(Kind.NUMBER, size)
    notes.add(f"node sizes drawn {SIZE_RANGE[0]:g}x to {SIZE_RANGE[1]:g}x the normal size, "
              f"smallest to largest; the file's values kept as the attribute '{name}'", where)


def size_scale(sizes: Iterable[float | None]) -> Callable[[float | None], float | None]:
    """Other tools' node sizes in Workbench's range: the smallest in the file at the normal
    size, the largest SIZE_RANGE[1] times it, linearly between (drawn as they are, Valjean's
    100 pixels would be a hundred times the normal size). All of one size: drawn normal."""
    known = [s for s in sizes if s is not None and s > 0]
    low, high = (min(known), max(known)) if known else (0.0, 0.0)
    span = SIZE_RANGE[1] - SIZE_RANGE[0]

    def scaled(size: float | None) -> float | None:
        if size is None or size <= 0 or high <= low or size == low:
            return None
        return round(SIZE_RANGE[0] + span * (size - low) / (high - low), 2)
    return scaled
