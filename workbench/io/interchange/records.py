"""Entities and links as the flat node and edge records that GraphML and GEXF hold.

Both formats store a node as an id, a few drawing fields (position, colour, size) and named,
typed columns. This module turns a chart into such records and back, so the two format modules
only deal with their XML. Workbench's own fields travel as readable columns (``type``,
``identity``, ``date``, ``sources``...) that Gephi, Cytoscape and yEd show as node data; the
chart-level fields and the exact kind of every attribute (a phone, an e-mail) travel in one JSON
text that other tools ignore, so a Workbench -> GraphML -> Workbench round trip loses nothing.

Files written by other tools get new ids, their own columns as attributes (kind guessed from
the declared type), coordinates found in text such as ``lngx=-92.2,laty=34.7`` (Gephi's airline
sample), and one source record per item naming the file and the line it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from workbench.io.interchange.common import (
    InterchangeError,
    apply_chart_meta,
    chart_meta,
    check_colours,
    parse_hex,
    sources_from_text,
    sources_text,
    value_from_text,
    value_text,
    xml_safe,
)
from workbench.model import (
    Chart,
    ChartError,
    Direction,
    Entity,
    EntityType,
    Kind,
    Link,
    SourceRecord,
    Strength,
    Style,
    Value,
)

NODE_FIELDS = {"label": "string", "type": "string", "identity": "string", "date": "string",
               "latitude": "double", "longitude": "double", "icon": "string",
               "sources": "string"}
EDGE_FIELDS = {"label": "string", "type": "string", "direction": "string",
               "strength": "string", "date": "string", "sources": "string"}
# Names that drawing fields take in formats without a place of their own for them (GraphML).
DRAWING = {"x", "y", "size", "r", "g", "b", "colour", "color", "weight", "id"}
KIND_TYPES = {Kind.NUMBER: "double", Kind.FLAG: "boolean"}
NUMERIC_TYPES = {"double", "float", "int", "integer", "long", "short"}
FOREIGN_ENTITY_TYPE = EntityType("Node", icon="mdi6.circle", colour="#5d6d7e")
FOREIGN_LINK_TYPE = "Link"
_COORDS_IN_TEXT = re.compile(
    r"(?:lngx?|lon|long|longitude)\s*=\s*(-?\d+(?:\.\d+)?)\s*[,;]\s*"
    r"(?:laty?|latitude)\s*=\s*(-?\d+(?:\.\d+)?)", re.IGNORECASE)
_LABEL_BEFORE_PAREN = re.compile(r"^\s*([^()]+?)\s*\(")


@dataclass(slots=True)
class Record:
    """One node or edge as a graph file sees it."""

    id: str
    fields: dict[str, str] = field(default_factory=dict)  # column name -> text
    x: float | None = None
    y: float | None = None
    colour: str | None = None
    size: float | None = None
    source: str = ""  # edges only
    target: str = ""
    directed: bool = False
    line: int | None = None


@dataclass(slots=True)
class Graph:
    nodes: list[Record]
    edges: list[Record]
    node_columns: dict[str, str]  # column name -> declared type (string, double, ...)
    edge_columns: dict[str, str]
    meta: str | None = None  # Workbench chart metadata (JSON text), None for foreign files


# ----- chart -> records ----------------------------------------------------------------------
def _attribute_columns(items: list, reserved: set[str], columns: dict[str, str],
                       kinds: dict[str, list[str]]) -> dict[str, str]:
    """Column name for each attribute name, renaming the rare clash with our own fields."""
    names: dict[str, str] = {}
    for item in items:
        for name, value in item.attributes.items():
            if name in names:
                continue
            column = name
            while column in reserved or column in columns:
                column = f"{column} (attribute)"
            names[name] = column
            columns[column] = KIND_TYPES.get(value.kind, "string")
            kinds[column] = [name, value.kind.value]
    return names


def _common(item: Entity | Link, rec: Record, names: dict[str, str]) -> None:
    if item.label:
        rec.fields["label"] = item.label
    rec.fields["type"] = item.type
    if item.date is not None:
        rec.fields["date"] = item.date.isoformat()
    if item.provenance:
        rec.fields["sources"] = sources_text(item.provenance)
    for name, value in item.attributes.items():
        rec.fields[names[name]] = value_text(value)


def graph_from_chart(chart: Chart) -> Graph:
    check_colours(chart)
    entities = list(chart.entities.values())
    links = list(chart.links.values())
    node_columns = dict(NODE_FIELDS)
    edge_columns = dict(EDGE_FIELDS)
    node_kinds: dict[str, list[str]] = {}
    edge_kinds: dict[str, list[str]] = {}
    node_names = _attribute_columns(entities, DRAWING, node_columns, node_kinds)
    edge_names = _attribute_columns(links, DRAWING, edge_columns, edge_kinds)
    nodes = []
    for e in entities:
        rec = Record(e.id, x=e.x, y=e.y, colour=e.style.colour or chart.entity_type(e).colour,
                     size=e.style.size)
        _common(e, rec, node_names)
        if e.identity is not None:
            rec.fields["identity"] = e.identity
        if e.coordinates is not None:
            rec.fields["latitude"] = repr(e.coordinates[0])
            rec.fields["longitude"] = repr(e.coordinates[1])
        if e.style.icon is not None:
            rec.fields["icon"] = e.style.icon
        nodes.append(rec)
    edges = []
    for lk in links:
        rec = Record(lk.id, source=lk.end1, target=lk.end2,
                     directed=lk.direction is not Direction.NONE,
                     colour=lk.style.colour or chart.link_type(lk).colour)
        _common(lk, rec, edge_names)
        rec.fields["direction"] = lk.direction.value
        rec.fields["strength"] = lk.strength.value
        edges.append(rec)
    for rec in [*nodes, *edges]:
        rec.fields = {xml_safe(k): xml_safe(v) for k, v in rec.fields.items()}
        rec.id, rec.source, rec.target = xml_safe(rec.id), xml_safe(rec.source), \
            xml_safe(rec.target)
    meta = chart_meta(chart, {"node": node_kinds, "edge": edge_kinds})
    return Graph(nodes, edges, {xml_safe(k): v for k, v in node_columns.items()},
                 {xml_safe(k): v for k, v in edge_columns.items()}, meta)


# ----- records -> chart ----------------------------------------------------------------------
def _guess_value(text: str, declared: str, where: str) -> Value | None:
    if text == "":
        return None
    if declared in NUMERIC_TYPES:
        return value_from_text("number", text, where)
    if declared == "boolean":
        return value_from_text("flag", text, where)
    return Value(Kind.TEXT, text)


def _attributes(rec: Record, columns: dict[str, str], kinds: dict[str, list[str]],
                reserved: set[str], where: str) -> dict[str, Value]:
    out: dict[str, Value] = {}
    for column, text in rec.fields.items():
        if column in kinds:
            name, kind = kinds[column]
            out[name] = value_from_text(kind, text, f"{where}, column {column!r}")
        elif column not in reserved:
            value = _guess_value(text, columns.get(column, "string"),
                                 f"{where}, column {column!r}")
            if value is not None:
                out[column] = value
    return out


def _date(text: str | None, where: str) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise InterchangeError(f"{where}: date {text!r} is not an ISO date") from None


def _coordinates(rec: Record, where: str) -> tuple[float, float] | None:
    lat, lon = rec.fields.get("latitude"), rec.fields.get("longitude")
    if lat and lon:
        try:
            return float(lat), float(lon)
        except ValueError:
            raise InterchangeError(f"{where}: coordinates {lat!r}, {lon!r} are not numbers") \
                from None
    for text in rec.fields.values():
        found = _COORDS_IN_TEXT.search(text)
        if found:
            lon_f, lat_f = float(found.group(1)), float(found.group(2))
            if -90 <= lat_f <= 90 and -180 <= lon_f <= 180:
                return lat_f, lon_f
    return None


def _foreign_label(rec: Record) -> str:
    for name in ("label", "Label", "name", "Name", "title"):
        if rec.fields.get(name):
            return rec.fields[name]
    tooltip = rec.fields.get("tooltip", "")
    found = _LABEL_BEFORE_PAREN.match(tooltip)
    if found:
        return found.group(1)
    return tooltip or rec.id


def chart_from_graph(graph: Graph, path: Path, fmt: str) -> Chart:
    """Build a chart; raises InterchangeError naming the file, the item and the column."""
    name = path.name
    chart = Chart(path.stem)
    ours = graph.meta is not None
    kinds: dict[str, dict[str, list[str]]] = {}
    if ours:
        kinds = apply_chart_meta(chart, graph.meta or "", name)
    node_kinds = kinds.get("node", {}) if isinstance(kinds.get("node"), dict) else {}
    edge_kinds = kinds.get("edge", {}) if isinstance(kinds.get("edge"), dict) else {}
    if not ours:
        chart.add_types([FOREIGN_ENTITY_TYPE])
    node_reserved = set(NODE_FIELDS) | DRAWING
    edge_reserved = set(EDGE_FIELDS) | DRAWING
    ids: dict[str, str] = {}
    entities: list[Entity] = []
    for rec in graph.nodes:
        where = f"{name}, line {rec.line}, node {rec.id!r}"
        if rec.id in ids:
            raise InterchangeError(f"{where}: node id is used twice")
        type_name = rec.fields.get("type") or FOREIGN_ENTITY_TYPE.name
        type_colour = chart.entity_type(type_name).colour
        colour = rec.colour if rec.colour not in (None, type_colour) else None
        provenance = (sources_from_text(rec.fields["sources"], where) if ours and
                      rec.fields.get("sources") else
                      [] if ours else [SourceRecord(f"{fmt} file", file=name, row=rec.line)])
        entity = Entity(
            id=rec.id if ours else chart.new_id("e"),
            type=type_name,
            label=rec.fields.get("label", "") if ours else _foreign_label(rec),
            identity=rec.fields.get("identity") if ours else None,
            attributes=_attributes(rec, graph.node_columns, node_kinds, node_reserved, where),
            x=rec.x or 0.0, y=rec.y or 0.0,
            date=_date(rec.fields.get("date"), where),
            coordinates=_coordinates(rec, where),
            style=Style(icon=rec.fields.get("icon") or None, colour=colour, size=rec.size),
            provenance=provenance,
        )
        ids[rec.id] = entity.id
        entities.append(entity)
    try:
        chart.add_entities(entities)
    except ChartError as exc:
        raise InterchangeError(f"{name}: {exc}") from None
    links: list[Link] = []
    seen: set[str] = set()
    for rec in graph.edges:
        where = f"{name}, line {rec.line}, edge {rec.id!r}"
        for end in (rec.source, rec.target):
            if end not in ids:
                raise InterchangeError(f"{where}: refers to node {end!r}, which is not in the "
                                       "file")
        type_name = rec.fields.get("type") or FOREIGN_LINK_TYPE
        type_colour = chart.link_type(type_name).colour
        colour = rec.colour if rec.colour not in (None, type_colour) else None
        try:
            direction = Direction(rec.fields.get("direction") or
                                  ("forward" if rec.directed else "none"))
            strength = Strength(rec.fields.get("strength") or "confirmed")
        except ValueError as exc:
            raise InterchangeError(f"{where}: {exc}") from None
        link_id = rec.id if ours and rec.id and rec.id not in seen else chart.new_id("l")
        seen.add(link_id)
        provenance = (sources_from_text(rec.fields["sources"], where) if ours and
                      rec.fields.get("sources") else
                      [] if ours else [SourceRecord(f"{fmt} file", file=name, row=rec.line)])
        links.append(Link(
            id=link_id, end1=ids[rec.source], end2=ids[rec.target], type=type_name,
            label=rec.fields.get("label", ""), direction=direction, strength=strength,
            attributes=_attributes(rec, graph.edge_columns, edge_kinds, edge_reserved, where),
            date=_date(rec.fields.get("date"), where),
            style=Style(colour=colour), provenance=provenance,
        ))
    try:
        chart.add_links(links)
    except ChartError as exc:
        raise InterchangeError(f"{name}: {exc}") from None
    return chart


def colour_field(rec: Record) -> str | None:
    """A colour given as a 'colour'/'color' hex column (yEd, Cytoscape exports)."""
    for key in ("colour", "color"):
        if key in rec.fields:
            return parse_hex(rec.fields[key])
    return None
