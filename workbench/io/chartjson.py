"""The chart as JSON-ready data, and back, checking every value on the way in.

Reading never trusts the file: each field is checked for its kind and every id must resolve.
The first problem found is raised as ChartFileError with a path such as
``entities[12] (e13).attributes.age``, so an analyst can tell a colleague what is wrong.

Since format version 5 a chart file writes its sources, entities and links as columns
(chartsections, chartcolumns); this module reads and writes one item as a JSON object, which
the clipboard, merge records, the store and chart files of version 4 and before use, and holds
the checks of the values inside an item (attributes, style, coordinates) that both share.
"""

from __future__ import annotations

import re
from typing import Any

from workbench.io.chartsources import (
    _provenance_in,
    _source_in,
    _source_out,
    share_sources,
    sources_in,
)
from workbench.io.jsonfields import (
    ChartFileError,
    _Bad,
    _datetime,
    _kind_name,
    _number,
    _text,
)
from workbench.model import (
    Chart,
    ChartError,
    DatePrecision,
    Direction,
    Entity,
    Kind,
    Link,
    SourceRecord,
    Strength,
    Style,
    Value,
    default_catalogue,
)
from workbench.model.catalogue import CatalogueError, entity_type_from_json, link_type_from_json
from workbench.model.rekey import rekey_countries

IMAGE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


# ----- writing ---------------------------------------------------------------------------------
def _value_out(value: Value) -> dict[str, Any]:
    v = value.value
    if value.kind is Kind.DATETIME:
        v = v.isoformat()
    elif value.kind is Kind.COORDINATES:
        v = [v[0], v[1]]
    return {"kind": value.kind.value, "value": v}


def _style_out(style: Style) -> dict[str, Any]:
    return {k: v for k, v in (("icon", style.icon), ("colour", style.colour),
                              ("size", style.size)) if v is not None}


def _common_out(item: Entity | Link, out: dict[str, Any]) -> dict[str, Any]:
    if item.attributes:
        out["attributes"] = {k: _value_out(v) for k, v in item.attributes.items()}
    if item.date is not None:
        out["date"] = item.date.isoformat()
        if item.date_precision is not DatePrecision.SECOND:
            out["date_precision"] = item.date_precision.value
    if not item.style.is_default():
        out["style"] = _style_out(item.style)
    if item.provenance:
        out["provenance"] = [_source_out(s) for s in item.provenance]
    return out


def entity_out(e: Entity) -> dict[str, Any]:
    """An entity as one JSON object, its source records inline (the clipboard, merge
    records; a chart file writes its items as columns, chartsections)."""
    out: dict[str, Any] = {"id": e.id, "type": e.type, "label": e.label, "x": e.x, "y": e.y}
    if e.identity is not None:
        out["identity"] = e.identity
    if e.coordinates is not None:
        out["coordinates"] = [e.coordinates[0], e.coordinates[1]]
    return _common_out(e, out)


def link_out(lk: Link) -> dict[str, Any]:
    out: dict[str, Any] = {"id": lk.id, "end1": lk.end1, "end2": lk.end2, "type": lk.type}
    if lk.label:
        out["label"] = lk.label
    if lk.direction is not Direction.NONE:
        out["direction"] = lk.direction.value
    if lk.strength is not Strength.CONFIRMED:
        out["strength"] = lk.strength.value
    return _common_out(lk, out)


def chart_to_json(chart: Chart) -> dict[str, Any]:
    """The chart as chart.json data: sources, entities and links as column sections."""
    from workbench.io.chartresolution import resolution_out  # it reads items with this module
    from workbench.io.chartsections import sections_out  # it reads values with this module

    entity_types, link_types = chart.catalogue.differences_from(default_catalogue())
    return {
        "title": chart.title,
        "description": chart.description,
        "marking": chart.marking,
        "author": chart.author,
        "created": chart.created.isoformat(),
        "modified": chart.modified.isoformat(),
        "region": chart.region,
        "types": {
            "entity_types": [t.to_json() for t in entity_types],
            "link_types": [t.to_json() for t in link_types],
        },
        "settings": chart.settings,
        **sections_out(list(chart.entities.values()), list(chart.links.values())),
        "resolution": resolution_out(chart),
    }


# ----- reading ---------------------------------------------------------------------------------
def _coordinates(value: Any, where: str) -> tuple[float, float]:
    if not (isinstance(value, list) and len(value) == 2):
        raise _Bad(where, "coordinates must be [latitude, longitude]")
    lat, lon = _number(value[0], where), _number(value[1], where)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise _Bad(where, f"coordinates {value} are outside the globe")
    return (float(lat), float(lon))


_KINDS = {k.value: k for k in Kind}
_TEXT_KINDS = {Kind.TEXT, Kind.PHONE, Kind.EMAIL, Kind.URL, Kind.USERNAME}
_DIRECTIONS = {d.value: d for d in Direction}
_STRENGTHS = {s.value: s for s in Strength}
_PRECISIONS = {p.value: p for p in DatePrecision}


def _lookup(table: dict[str, Any], key: Any) -> Any:
    """``table[key]`` for a text key, else None (a list or object is not a valid name)."""
    return table.get(key) if isinstance(key, str) else None


def _value_in(data: Any) -> Value:
    where = ""
    if data.__class__ is not dict or len(data) != 2 or "value" not in data:
        raise _Bad(where, 'an attribute must be {"kind": ..., "value": ...}')
    kind = _lookup(_KINDS, data.get("kind"))
    if kind is None:
        raise _Bad(where, f"unknown attribute kind {data.get('kind')!r}")
    raw = data["value"]
    if kind in _TEXT_KINDS:
        if raw.__class__ is not str:
            raise _Bad(where, f"a {kind.value} value must be text, not {_kind_name(raw)}")
        return Value(kind, raw)
    if kind is Kind.NUMBER:
        return Value(kind, _number(raw, where))
    if kind is Kind.FLAG:
        if raw.__class__ is not bool:
            raise _Bad(where, f"a flag must be true or false, not {_kind_name(raw)}")
        return Value(kind, raw)
    if kind is Kind.DATETIME:
        return Value(kind, _datetime(raw, where))
    return Value(kind, _coordinates(raw, where))


def _attributes_in(data: Any) -> dict[str, Value]:
    if data.__class__ is not dict:
        raise _Bad("", f"'attributes' must be an object, not {_kind_name(data)}")
    try:
        return {name: _value_in(v) for name, v in data.items()}
    except _Bad as exc:
        bad = next(n for n, v in data.items() if not _valid(v))
        raise _Bad(f".attributes.{bad}{exc.where}", exc.message) from None


def _valid(data: Any) -> bool:
    try:
        _value_in(data)
    except _Bad:
        return False
    return True


def _style_in(data: Any) -> Style:
    if data.__class__ is not dict or not data.keys() <= {"icon", "colour", "size"}:
        raise _Bad(".style", "'style' may hold only icon, colour and size")
    size = data.get("size")
    return Style(
        icon=_text(data, "icon") if "icon" in data else None,
        colour=_text(data, "colour") if "colour" in data else None,
        size=float(_number(size, ".style.size")) if size is not None else None,
    )


def _common_in(data: dict, out: dict[str, Any],
               sources: list[SourceRecord] | None) -> dict[str, Any]:
    if "attributes" in data:
        out["attributes"] = _attributes_in(data["attributes"])
    if data.get("date") is not None:
        out["date"] = _datetime(data["date"], ".date")
    if "date_precision" in data:
        precision = _lookup(_PRECISIONS, data["date_precision"])
        if precision is None:
            raise _Bad(".date_precision", f"{data['date_precision']!r} is not one of "
                       f"{', '.join(_PRECISIONS)}")
        out["date_precision"] = precision
    if "style" in data:
        out["style"] = _style_in(data["style"])
    if "provenance" in data:
        out["provenance"] = _provenance_in(data["provenance"], sources)
    return out


_ENTITY_KEYS = {"id", "type", "label", "identity", "x", "y", "coordinates", "attributes",
                "date", "date_precision", "style", "provenance"}
_LINK_KEYS = {"id", "end1", "end2", "type", "label", "direction", "strength", "attributes",
              "date", "date_precision", "style", "provenance"}


def entity_in(data: Any, sources: list[SourceRecord] | None = None) -> Entity:
    """An entity from JSON data: its provenance names records of ``sources`` by place, or
    holds them inline when there is no such list."""
    if data.__class__ is not dict:
        raise _Bad("", f"an entity must be an object, not {_kind_name(data)}")
    if not data.keys() <= _ENTITY_KEYS:
        raise _Bad("", f"unknown keys {sorted(set(data) - _ENTITY_KEYS)}")
    get = data.get
    identity = get("identity")
    if identity is not None and identity.__class__ is not str:
        raise _Bad("", "'identity' must be text")
    entity_id, type_name, label = get("id"), get("type"), get("label")
    if not (entity_id.__class__ is str and type_name.__class__ is str
            and label.__class__ is str):
        _texts(data, ("id", "type", "label"))  # raises the precise message
    x, y = get("x", 0.0), get("y", 0.0)
    x = x if x.__class__ is float else float(_number(x, ".x"))
    y = y if y.__class__ is float else float(_number(y, ".y"))
    coords = get("coordinates")
    if coords is not None:
        coords = _coordinates(coords, ".coordinates")
    return Entity(entity_id, type_name, label, identity, x=x, y=y, coordinates=coords,
                  **_common_in(data, {}, sources))


def _texts(data: dict, keys: tuple[str, ...]) -> None:
    for key in keys:
        _text(data, key)


def link_in(data: Any, sources: list[SourceRecord] | None = None) -> Link:
    if data.__class__ is not dict:
        raise _Bad("", f"a link must be an object, not {_kind_name(data)}")
    if not data.keys() <= _LINK_KEYS:
        raise _Bad("", f"unknown keys {sorted(set(data) - _LINK_KEYS)}")
    get = data.get
    direction = _lookup(_DIRECTIONS, get("direction", "none"))
    if direction is None:
        raise _Bad(".direction", f"{data['direction']!r} is not one of {', '.join(_DIRECTIONS)}")
    strength = _lookup(_STRENGTHS, get("strength", "confirmed"))
    if strength is None:
        raise _Bad(".strength", f"{data['strength']!r} is not one of {', '.join(_STRENGTHS)}")
    link_id, end1, end2, type_name = get("id"), get("end1"), get("end2"), get("type")
    label = get("label", "")
    if not (link_id.__class__ is str and end1.__class__ is str and end2.__class__ is str
            and type_name.__class__ is str and label.__class__ is str):
        _texts(data, ("id", "end1", "end2", "type"))  # raise the precise message
        _text(data, "label", "")
    if len(data) > 4 + ("label" in data) + ("direction" in data) + ("strength" in data):
        return Link(link_id, end1, end2, type_name, label, direction, strength,
                    **_common_in(data, {}, sources))
    return Link(link_id, end1, end2, type_name, label, direction, strength)


def _items_in(kind: str, items: list, reader: Any,
              sources: list[SourceRecord] | None = None) -> list:
    out = []
    index = 0
    try:
        for index, data in enumerate(items):  # noqa: B007 (index is used after a failure)
            out.append(reader(data, sources))
    except _Bad as exc:
        data = items[index]
        item_id = data.get("id") if isinstance(data, dict) else None
        label = f"{kind}[{index}]" + (f" ({item_id})" if isinstance(item_id, str) else "")
        raise ChartFileError(f"chart.json: {label}{exc.where}: {exc.message}") from None
    return out


_TOP_KEYS = {"title", "description", "marking", "author", "created", "modified", "region",
             "types", "settings", "sources", "entities", "links", "resolution"}


def chart_from_json(data: Any) -> Chart:
    if not isinstance(data, dict):
        raise ChartFileError("chart.json: the chart must be a JSON object")
    try:
        return _chart_from_json(data)
    except _Bad as exc:
        raise ChartFileError(f"chart.json: top level{exc.where}: {exc.message}") from None


def _list(data: dict, key: str, where: str = ".types") -> list:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise _Bad(f"{where}.{key}", f"must be a list, not {_kind_name(value)}")
    return value


def _chart_from_json(data: dict) -> Chart:
    if not data.keys() <= _TOP_KEYS:
        raise _Bad("", f"unknown keys {sorted(set(data) - _TOP_KEYS)}")
    for key in ("entities", "links"):
        if data.get(key).__class__ not in (list, dict):
            raise _Bad("", f"'{key}' must be a section of columns (or a list of items)")
    chart = Chart(_text(data, "title", ""))
    chart.description = _text(data, "description", "")
    chart.marking = _text(data, "marking", "")
    chart.author = _text(data, "author", "")
    chart.region = _text(data, "region", "GB")
    for key in ("created", "modified"):
        if key in data:
            setattr(chart, key, _datetime(data[key], "." + key))
    settings = data.get("settings", {})
    if not isinstance(settings, dict):
        raise _Bad(".settings", "must be an object")
    chart.settings = settings  # checked by chartrules when a file is loaded
    types = data.get("types", {})
    if not isinstance(types, dict) or not types.keys() <= {"entity_types", "link_types"}:
        raise _Bad(".types", "must hold only entity_types and link_types")
    try:
        chart.add_types(
            [entity_type_from_json(t, f"chart.json: types.entity_types[{i}]")
             for i, t in enumerate(_list(types, "entity_types"))],
            [link_type_from_json(t, f"chart.json: types.link_types[{i}]")
             for i, t in enumerate(_list(types, "link_types"))],
        )
    except CatalogueError as exc:
        raise ChartFileError(str(exc)) from None
    entities, links = _items(data)
    rekey_countries(entities, lambda name: chart.catalogue.entity_type(name).identity)
    try:
        chart.add_entities(entities)
        chart.add_links(links)
    except ChartError as exc:
        raise ChartFileError(f"chart.json: {exc}") from None
    if "resolution" in data:
        from workbench.io.chartresolution import resolution_in  # it reads items with this module

        resolution_in(data["resolution"], chart)
    return chart


def _items(data: dict) -> tuple[list[Entity], list[Link]]:
    """The entities and links, from column sections (version 5) or item lists (version 4)."""
    from workbench.io.chartsections import (  # it reads values with this module
        entities_section_in,
        links_section_in,
        sources_section_in,
    )

    sources = data.get("sources", [])
    try:
        records = (sources_section_in(sources) if sources.__class__ is dict
                   else sources_in(_list(data, "sources", "")))
        entities = (entities_section_in(data["entities"], records)
                    if data["entities"].__class__ is dict
                    else _items_in("entities", data["entities"], entity_in, records))
        links = (links_section_in(data["links"], records, [e.id for e in entities])
                 if data["links"].__class__ is dict
                 else _items_in("links", data["links"], link_in, records))
    except _Bad as exc:
        raise ChartFileError(f"chart.json: {exc.where.lstrip('.')}: {exc.message}") from None
    return entities, links


__all__ = ["IMAGE_NAME", "ChartFileError", "_Bad", "_source_in", "_source_out",
           "chart_from_json", "chart_to_json", "entity_in", "entity_out", "link_in", "link_out",
           "share_sources"]
