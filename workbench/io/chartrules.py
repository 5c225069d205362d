"""The value rules of the chart file format, checked on a chart in memory.

One validator for every way a chart comes in or goes out, so a chart that opens can always be
saved and reopened:

- loading a ``.wbchart`` refuses the file at the first problem (:func:`check_chart`);
- importing a foreign file (GraphML, GEXF, ANX) fixes each problem and says so in a warning
  (:func:`clean_chart`): a foreign file is never refused for one bad position or colour;
- saving refuses before anything is written (:func:`check_chart`), because orjson would write
  NaN as ``null`` (a file that no longer opens) and cannot write numbers past 64 bits or
  settings nested more than 255 deep.

The rules: positions and numbers are finite, whole numbers fit in 64 bits, coordinates are on
the globe, colours are ``#rrggbb``, sizes are positive, icons are text, and settings are plain
JSON at most :data:`MAX_SETTINGS_DEPTH` deep whose ``display``, ``places`` and ``anx`` entries
have the shape the features reading them expect.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from workbench.model import Chart, Entity, Kind, Link, Style, Value
from workbench.model.display import SETTINGS_KEY as DISPLAY_KEY
from workbench.model.display import DisplayError, display_from_json
from workbench.model.items import DEFAULT_STYLE
from workbench.model.merge import MergeRecord

MAX_SETTINGS_DEPTH = 32  # levels inside one settings entry; features use 4 at most
INT_RANGE = (-(2**63), 2**64 - 1)  # what orjson writes and reads back exactly
COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


@dataclass(frozen=True, slots=True)
class Problem:
    """One value that breaks the format. ``where`` names it (``entity e5: x``), ``message``
    says what is wrong, ``remedy`` what clean_chart does about it, and ``fix`` does it."""

    where: str
    message: str
    remedy: str
    fix: Callable[[], None]


# ----- single values ---------------------------------------------------------------------------
def number_problem(value: Any) -> str | None:
    """Why ``value`` is not a number the file can hold (None when it is)."""
    if value.__class__ is int:
        if not INT_RANGE[0] <= value <= INT_RANGE[1]:
            return f"{value} is too large a whole number (more than 64 bits)"
        return None
    if value.__class__ is float:
        return None if math.isfinite(value) else f"{value} is not a finite number"
    return f"{value!r} is not a number"


def colour_problem(value: Any) -> str | None:
    if isinstance(value, str) and COLOUR.fullmatch(value):
        return None
    return f"{value!r} is not '#rrggbb'"


def coordinates_problem(value: Any) -> str | None:
    if not (isinstance(value, tuple | list) and len(value) == 2):
        return f"coordinates {value!r} are not (latitude, longitude)"
    lat, lon = value
    if number_problem(lat) or number_problem(lon):
        return f"coordinates {value!r} are not two finite numbers"
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return f"coordinates {tuple(value)} are outside the globe"
    return None


def _style_problems(style: Style) -> Iterator[tuple[str, str, str, str]]:
    """(field, message, remedy, Style field to clear) for each bad field of a style."""
    if style.icon is not None and not isinstance(style.icon, str):
        yield "style icon", f"{style.icon!r} is not text", "the type's icon is used", "icon"
    message = colour_problem(style.colour) if style.colour is not None else None
    if message:
        yield "style colour", message, "the type's colour is used", "colour"
    if style.size is not None and (number_problem(style.size) or not style.size > 0):
        yield "style size", f"{style.size!r} is not a positive number", \
            "the normal size is used", "size"


def _value_problem(value: Value) -> str | None:
    if value.kind is Kind.NUMBER:
        return number_problem(value.value)
    if value.kind is Kind.COORDINATES:
        return coordinates_problem(value.value)
    return None


# ----- items -----------------------------------------------------------------------------------
def _item_problems(item: Entity | Link, where: str) -> Iterator[Problem]:
    for name, value in item.attributes.items():
        if value.kind in (Kind.NUMBER, Kind.COORDINATES):
            message = _value_problem(value)
            if message:
                text = str(value.value)
                yield Problem(f"{where}: attribute {name!r}", message, "kept as text",
                              lambda i=item, n=name, t=text: i.attributes.__setitem__(
                                  n, Value(Kind.TEXT, t)))
    if not item.style.is_default():
        for field, message, remedy, name in _style_problems(item.style):
            yield Problem(f"{where}: {field}", message, remedy,
                          lambda i=item, n=name: setattr(i, "style", replace(i.style, **{n: None})))


def _entity_problems(entity: Entity) -> Iterator[Problem]:
    where = f"entity {entity.id}"
    for axis in ("x", "y"):
        message = number_problem(getattr(entity, axis))
        if message:
            yield Problem(f"{where}: position {axis}", message, f"{axis} set to 0",
                          lambda e=entity, a=axis: setattr(e, a, 0.0))
    if entity.coordinates is not None:
        message = coordinates_problem(entity.coordinates)
        if message:
            yield Problem(f"{where}: coordinates", message, "coordinates left out",
                          lambda e=entity: setattr(e, "coordinates", None))
    yield from _item_problems(entity, where)


# ----- settings --------------------------------------------------------------------------------
def json_problem(value: Any) -> str | None:
    """Why ``value`` is not plain JSON the file can hold (the place inside it first), without
    recursion: an entry nested 2,000 deep gets a message, not a RecursionError."""
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    while stack:
        item, path, depth = stack.pop()
        if depth > MAX_SETTINGS_DEPTH:
            return f"nested more than {MAX_SETTINGS_DEPTH} levels deep"
        if isinstance(item, dict):
            for key, inner in item.items():
                if not isinstance(key, str):
                    return f"{path or 'key'} {key!r} is not text"
                stack.append((inner, f"{path}.{key}" if path else key, depth + 1))
        elif isinstance(item, list):
            stack.extend((inner, f"{path}[{i}]", depth + 1) for i, inner in enumerate(item))
        elif item is not None and not isinstance(item, str | bool):
            message = number_problem(item)
            if message:
                return f"{path}: {message}" if path else message
    return None


def _places_problem(places: Any) -> str | None:
    """``settings.places``: {folded name: {"name": text, "lat": number, "lon": number}}."""
    if not isinstance(places, dict):
        return "must be an object of place fixes"
    for key, fix in places.items():
        if not isinstance(fix, dict) or set(fix) != {"name", "lat", "lon"}:
            return f"{key!r} must be {{\"name\": ..., \"lat\": ..., \"lon\": ...}}"
        if not isinstance(fix["name"], str):
            return f"{key!r}: name must be text"
        for axis, bound in (("lat", 90), ("lon", 180)):
            value = fix[axis]
            if isinstance(value, bool) or number_problem(value) or not -bound <= value <= bound:
                return f"{key!r}: {axis} must be a number from -{bound} to {bound}, not {value!r}"
    return None


def _anx_problem(anx: Any) -> str | None:
    """``settings.anx``: {"icons": {entity type: i2 icon file name}} (kept for ANX export)."""
    if not isinstance(anx, dict) or not set(anx) <= {"icons"}:
        return 'must be {"icons": {entity type: icon name}}'
    icons = anx.get("icons", {})
    if not isinstance(icons, dict) or not all(isinstance(v, str) for v in icons.values()):
        return "icons must map entity type names to icon names (text)"
    return None


def _display_problem(display: Any) -> str | None:
    try:
        display_from_json(display)
    except DisplayError as exc:
        return str(exc)
    return None


SETTINGS_RULES: dict[str, Callable[[Any], str | None]] = {
    DISPLAY_KEY: _display_problem,
    "places": _places_problem,
    "anx": _anx_problem,
}


def settings_problems(chart: Chart) -> Iterator[Problem]:
    """Each settings entry that is not plain JSON, too deep, or of the wrong shape."""
    if not isinstance(chart.settings, dict):
        yield Problem("settings", "must be an object", "settings left out",
                      lambda: setattr(chart, "settings", {}))
        return
    for key, value in list(chart.settings.items()):
        where = f"settings.{key}"
        message = json_problem(value)
        if message is None and key in SETTINGS_RULES:
            message = SETTINGS_RULES[key](value)
        if message:
            yield Problem(where, message, f"{where} left out",
                          lambda k=key: chart.settings.pop(k, None))


# ----- the chart -------------------------------------------------------------------------------
def chart_problems(chart: Chart) -> Iterator[Problem]:
    """Every value of the chart that the file format cannot hold, settings first."""
    yield from settings_problems(chart)
    for entity in chart.entities.values():
        if not _entity_ok(entity):
            yield from _entity_problems(entity)
    for link in chart.links.values():
        if not _item_ok(link):
            yield from _item_problems(link, f"link {link.id}")
    for index, record in enumerate(list(chart.merges)):
        yield from _record_problems(chart, index, record)


def _record_problems(chart: Chart, index: int, record: MergeRecord) -> Iterator[Problem]:
    """A merge record's entities and links obey the same rules (Unmerge puts them back on
    the chart, which must still save); a bad record is left out whole, never half-kept."""
    found: Problem | None = None
    if record.probability is not None and (number_problem(record.probability)
                                           or not 0 <= record.probability <= 1):
        found = Problem("probability", f"{record.probability!r} is not from 0 to 1", "", _none)
    for entity in record.entities:
        if found is None and not _entity_ok(entity):
            found = next(_entity_problems(entity))
    for link in record.links:
        if found is None and not _item_ok(link):
            found = next(_item_problems(link, f"link {link.id}"))
    if found is not None:
        yield Problem(f"merge record {index + 1} ({record.survivor}): {found.where}",
                      found.message, "the record left out (that merge cannot be undone)",
                      lambda: chart.remove_merge_record(chart.merges.index(record)))


def _none() -> None:
    """The fix of a problem that is only reported inside another one."""


# A fast yes for the common case: every save and load of a 300,000-item chart runs these, and
# building a generator per item would cost as much as writing the file.
_isfinite = math.isfinite
_FLOAT = float


def _item_ok(item: Entity | Link) -> bool:
    if item.attributes:
        for value in item.attributes.values():
            kind = value.kind
            if kind is Kind.NUMBER:
                v = value.value
                if not (_isfinite(v) if v.__class__ is _FLOAT else number_problem(v) is None):
                    return False
            elif kind is Kind.COORDINATES and coordinates_problem(value.value):
                return False
    style = item.style
    return style is DEFAULT_STYLE or style.is_default() or next(_style_problems(style),
                                                                None) is None


def _entity_ok(entity: Entity) -> bool:
    x, y = entity.x, entity.y
    if x.__class__ is _FLOAT and y.__class__ is _FLOAT:
        if not (_isfinite(x) and _isfinite(y)):
            return False
    elif number_problem(x) or number_problem(y):
        return False
    return _item_ok(entity) and (entity.coordinates is None
                                 or coordinates_problem(entity.coordinates) is None)


def first_problem(chart: Chart) -> str | None:
    """The first problem as one line (``entity e5: position x: nan is not a finite number``)."""
    for problem in chart_problems(chart):
        return f"{problem.where}: {problem.message}"
    return None


def clean_chart(chart: Chart, warnings: list[str], name: str) -> None:
    """Fix what a foreign file got wrong, one warning per kind of problem with a count and
    the first few places, so the analyst knows what was changed and where to look."""
    groups: dict[tuple[str, str], list[Problem]] = defaultdict(list)
    for problem in list(chart_problems(chart)):
        field = problem.where.partition(": ")[2] or problem.where
        groups[(field, problem.remedy)].append(problem)
    for (field, remedy), problems in groups.items():
        for problem in problems:
            problem.fix()
        first = problems[0]
        if ": " not in first.where:  # a chart-level value (a settings entry)
            warnings.append(f"{name}: {field}: {first.message}; {remedy}")
            continue
        places = ", ".join(p.where.partition(":")[0] for p in problems[:5])
        more = f" and {len(problems) - 5} more" if len(problems) > 5 else ""
        warnings.append(f"{name}: {field}: {first.message} ({len(problems)} item(s): "
                        f"{places}{more}); {remedy}")
