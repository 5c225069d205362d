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
from typing import Any

from workbench.io.chartrules import clean_chart
from workbench.io.interchange.common import (
    InterchangeError,
    Notes,
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
# An edge's ``weight`` is data (tie strength, amount, count), kept as the link attribute.
DRAWING = {"x", "y", "size", "r", "g", "b", "colour", "color", "id"}
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
                reserved: set[str], where: str, notes: Notes) -> dict[str, Value]:
    out: dict[str, Value] = {}
    for column, text in rec.fields.items():
        at = f"{where}, column {column!r}"
        try:
            if column in kinds:
                name, kind = kinds[column]
                out[name] = value_from_text(kind, text, at)
            elif column not in reserved:
                value = _guess_value(text, columns.get(column, "string"), at)
                if value is not None:
                    out[column] = value
        except InterchangeError:  # "NaN" in a number column: keep what the file says
            notes.add("a value does not fit its column's type; kept as text",
                      f"{at}: {text[:40]!r}")
            out[kinds[column][0] if column in kinds else column] = Value(Kind.TEXT, text)
    return out


def _date(rec: Record, where: str, notes: Notes) -> datetime | None:
    text = rec.fields.get("date")
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        notes.add("a date is not an ISO date; kept as a text attribute 'date'",
                  f"{where}: {text[:40]!r}")
        return None


def _coordinates(rec: Record, where: str, notes: Notes) -> tuple[float, float] | None:
    lat, lon = rec.fields.get("latitude"), rec.fields.get("longitude")
    if lat and lon:
        pair = notes.number(lat, "latitude", where), notes.number(lon, "longitude", where)
        if pair[0] is None or pair[1] is None:
            return None
        return pair  # type: ignore[return-value]
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


def chart_from_graph(graph: Graph, path: Path, fmt: str, warnings: list[str],
                     notes: Notes) -> Chart:
    """Build a chart; raises InterchangeError naming the file, the item and the column when
    the file makes no chart (a link to a missing node). A single bad value (a NaN position,
    a colour, a date) is left out or kept as text, and said in ``warnings``."""
    name = path.name
    chart = Chart(path.stem)
    ours = graph.meta is not None
    kinds: dict[str, dict[str, list[str]]] = {}
    if ours:
        kinds = apply_chart_meta(chart, graph.meta or "", name, notes)
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
            attributes=_attributes(rec, graph.node_columns, node_kinds, node_reserved, where,
                                   notes),
            x=rec.x or 0.0, y=rec.y or 0.0,
            date=_date(rec, where, notes),
            coordinates=_coordinates(rec, where, notes),
            style=Style(icon=rec.fields.get("icon") or None, colour=colour, size=rec.size),
            provenance=provenance,
        )
        _keep_bad_date(entity, rec)
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
        direction = _choice(Direction, rec.fields.get("direction") or
                            ("forward" if rec.directed else "none"), Direction.NONE, where, notes)
        strength = _choice(Strength, rec.fields.get("strength") or "confirmed",
                           Strength.CONFIRMED, where, notes)
        link_id = rec.id if ours and rec.id and rec.id not in seen else chart.new_id("l")
        seen.add(link_id)
        provenance = (sources_from_text(rec.fields["sources"], where) if ours and
                      rec.fields.get("sources") else
                      [] if ours else [SourceRecord(f"{fmt} file", file=name, row=rec.line)])
        link = Link(
            id=link_id, end1=ids[rec.source], end2=ids[rec.target], type=type_name,
            label=rec.fields.get("label", ""), direction=direction, strength=strength,
            attributes=_attributes(rec, graph.edge_columns, edge_kinds, edge_reserved, where,
                                   notes),
            date=_date(rec, where, notes),
            style=Style(colour=colour), provenance=provenance,
        )
        _keep_bad_date(link, rec)
        links.append(link)
    try:
        chart.add_links(links)
    except ChartError as exc:
        raise InterchangeError(f"{name}: {exc}") from None
    notes.flush(warnings)
    clean_chart(chart, warnings, name)
    return chart


def _keep_bad_date(item: Entity | Link, rec: Record) -> None:
    if item.date is None and rec.fields.get("date"):
        item.attributes.setdefault("date", Value(Kind.TEXT, rec.fields["date"]))


def _choice(enum: type, text: str, default: Any, where: str, notes: Notes) -> Any:
    try:
        return enum(text)
    except ValueError:
        notes.add(f"an unknown {enum.__name__.lower()}; {default.value} used",
                  f"{where}: {text[:40]!r}")
        return default


def colour_field(rec: Record) -> str | None:
    """A colour given as a 'colour'/'color' hex column (yEd, Cytoscape exports)."""
    for key in ("colour", "color"):
        if key in rec.fields:
            return parse_hex(rec.fields[key])
    return None
