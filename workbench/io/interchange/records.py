"""Entities and links as the flat node and edge records that GraphML and GEXF hold.

Both formats store a node as an id, a few drawing fields (position, colour, size) and named,
typed columns; this module turns a chart into such records and back. Workbench's fields go
as readable columns (``type``, ``identity``, ``date``, ``sources``...) that Gephi, Cytoscape
and yEd show as node data; chart-level fields and the exact kind of every attribute (a phone)
go in one JSON text other tools ignore, so Workbench -> GraphML -> Workbench loses nothing.

Files written by other tools keep their ids, their columns as attributes (kind from the
declared type), coordinates found in text (``lngx=-92.2,laty=34.7``, Gephi's airline sample),
and one source record per item naming the file and the line it came from.
"""

from __future__ import annotations

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
    sources_from_text,
    sources_text,
    value_from_text,
    value_text,
    xml_safe,
)
from workbench.io.interchange.foreign import (
    FOREIGN_ENTITY_TYPE,
    FOREIGN_LINK_TYPE,
    foreign_coordinates,
    foreign_label,
    keep_size,
    known_type,
    size_scale,
    type_names,
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
)

NODE_FIELDS = {"label": "string", "type": "string", "identity": "string", "date": "string",
               "date_precision": "string",
               "latitude": "double", "longitude": "double", "icon": "string",
               "sources": "string"}
EDGE_FIELDS = {"label": "string", "type": "string", "direction": "string",
               "strength": "string", "date": "string", "date_precision": "string",
               "sources": "string"}
# Names that drawing fields take in formats without a place of their own for them (GraphML).
# An edge's ``weight`` is data (tie strength, amount, count), kept as the link attribute.
DRAWING = {"x", "y", "size", "r", "g", "b", "colour", "color", "id"}
KIND_TYPES = {Kind.NUMBER: "double", Kind.FLAG: "boolean"}
MAX_ID = 200  # characters of a foreign id kept as the item's id
NUMERIC_TYPES = {"double", "float", "int", "integer", "long", "short"}
# In a file another tool wrote only these are fields; its other columns, 'type', 'identity',
# 'sources' and 'icon' among them, are the other tool's data and stay attributes.
FOREIGN_NODE_FIELDS = {"label", "date"}  # coordinates columns stay attributes too
FOREIGN_EDGE_FIELDS = {"label", "date", "direction", "strength"}


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
    arrow: Direction | None = None  # edges: what the file draws (yEd arrowheads, GEXF mutual)


@dataclass(slots=True)
class Graph:
    nodes: list[Record]
    edges: list[Record]
    node_columns: dict[str, str]  # column name -> declared type (string, double, ...)
    edge_columns: dict[str, str]
    meta: str | None = None  # Workbench chart metadata (JSON text), None for foreign files
    own_types: bool = False  # a foreign file's 'type' column holds Workbench types (our CSV)
    fields: str | None = None  # chart_fields() JSON of a plain format Workbench wrote


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
        if item.date_precision is not DatePrecision.SECOND:
            rec.fields["date_precision"] = item.date_precision.value
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
    if declared == "datetime":  # GEXF time data in date format
        return value_from_text("datetime", text, where)
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
                if value is not None and value.kind is Kind.DATETIME and \
                        value.value.tzinfo is not None:  # charts hold local times
                    notes.add("a time with a zone offset is kept as written, without the "
                              "offset", f"{at}: {text[:40]!r}")
                    value = Value(Kind.DATETIME, value.value.replace(tzinfo=None))
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


def _own_coordinates(rec: Record, where: str, notes: Notes) -> tuple[float, float] | None:
    lat, lon = rec.fields.get("latitude"), rec.fields.get("longitude")
    if not (lat and lon):
        return None
    pair = notes.number(lat, "latitude", where), notes.number(lon, "longitude", where)
    return None if pair[0] is None or pair[1] is None else pair  # type: ignore[return-value]


def chart_from_graph(graph: Graph, path: Path, fmt: str, warnings: list[str],
                     notes: Notes) -> Chart:
    """Build a chart; raises InterchangeError naming the file, the item and the column when
    the file makes no chart (a link to a missing node). A single bad value (a NaN position,
    a colour, a date) is left out or kept as text, and said in ``warnings``. Files another
    tool wrote are read by the rules of foreign.py."""
    name = path.name
    chart = Chart(path.stem)
    ours = graph.meta is not None
    kinds: dict[str, dict[str, list[str]]] = {}
    if ours:
        kinds = apply_chart_meta(chart, graph.meta or "", name, notes)
    node_kinds = kinds.get("node", {}) if isinstance(kinds.get("node"), dict) else {}
    edge_kinds = kinds.get("edge", {}) if isinstance(kinds.get("edge"), dict) else {}
    if graph.fields and not ours:  # a GML, DOT or JSON file Workbench wrote: title, types
        apply_chart_meta(chart, graph.fields, name, notes, settings=False)
    if not ours:
        chart.add_types([FOREIGN_ENTITY_TYPE])
    typed = ours or graph.own_types
    node_reserved = (set(NODE_FIELDS) if typed else FOREIGN_NODE_FIELDS) | DRAWING
    edge_reserved = (set(EDGE_FIELDS) if typed else FOREIGN_EDGE_FIELDS) | DRAWING
    entity_types, link_types = type_names(chart), type_names(chart, links=True)
    ids: dict[str, str] = {}
    # File ids are kept where any format can write them back; new ids avoid them all.
    reserved = {rec.id for rec in graph.nodes} | {rec.id for rec in graph.edges}
    keep = {i for i in reserved if i and len(i) <= MAX_ID and xml_safe(i) == i}
    drawn_size = size_scale(r.size for r in graph.nodes)

    def fresh(prefix: str) -> str:
        return next(m for m in iter(lambda: chart.new_id(prefix), None) if m not in reserved)

    entities: list[Entity] = []
    for rec in graph.nodes:
        where = f"{name}, line {rec.line}, node {rec.id!r}"
        if rec.id in ids:
            raise InterchangeError(f"{where}: node id is used twice")
        type_name = rec.fields.get("type") or FOREIGN_ENTITY_TYPE.name if typed else \
            known_type(entity_types, rec.fields.get("type"), FOREIGN_ENTITY_TYPE.name, notes,
                       "node")
        type_colour = chart.entity_type(type_name).colour
        colour = rec.colour if rec.colour not in (None, type_colour) else None
        attributes = _attributes(rec, graph.node_columns, node_kinds, node_reserved, where,
                                 notes)
        provenance = _provenance(rec, ours, typed, fmt, name, where, attributes, notes)
        if not ours:
            keep_size(attributes, rec.size, notes, f"line {rec.line}")
        entity = Entity(
            id=rec.id if ours or rec.id in keep else fresh("e"),
            type=type_name,
            label=rec.fields.get("label", "") if ours else foreign_label(rec.fields, rec.id),
            identity=rec.fields.get("identity") if typed else None,
            attributes=attributes,
            x=rec.x or 0.0, y=rec.y or 0.0,
            date=_date(rec, where, notes),
            coordinates=_own_coordinates(rec, where, notes) if ours else
            foreign_coordinates(rec.fields, where, notes),
            style=Style(icon=rec.fields.get("icon") or None if typed else None, colour=colour,
                        size=rec.size if ours else drawn_size(rec.size)),
            provenance=provenance,
        )
        _keep_bad_date(entity, rec)
        if typed:
            entity.date_precision = _precision(rec, where, notes)
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
        type_name = rec.fields.get("type") or FOREIGN_LINK_TYPE if typed else \
            known_type(link_types, rec.fields.get("type"), FOREIGN_LINK_TYPE, notes, "link")
        type_colour = chart.link_type(type_name).colour
        colour = rec.colour if rec.colour not in (None, type_colour) else None
        attributes = _attributes(rec, graph.edge_columns, edge_kinds, edge_reserved, where,
                                 notes)
        drawn = rec.arrow or (Direction.FORWARD if rec.directed else Direction.NONE)
        direction = _choice(Direction, rec.fields.get("direction") or drawn.value,
                            drawn, where, notes, attributes)
        strength = _choice(Strength, rec.fields.get("strength") or "confirmed",
                           Strength.CONFIRMED, where, notes, attributes)
        usable = ((ours and rec.id) or rec.id in keep) and rec.id not in seen
        link_id = rec.id if usable and rec.id not in ids else fresh("l")
        seen.add(link_id)
        provenance = _provenance(rec, ours, typed, fmt, name, where, attributes, notes)
        link = Link(
            id=link_id, end1=ids[rec.source], end2=ids[rec.target], type=type_name,
            label=rec.fields.get("label", ""), direction=direction, strength=strength,
            attributes=attributes, date=_date(rec, where, notes),
            style=Style(colour=colour), provenance=provenance,
        )
        _keep_bad_date(link, rec)
        if typed:
            link.date_precision = _precision(rec, where, notes)
        links.append(link)
    try:
        chart.add_links(links)
    except ChartError as exc:
        raise InterchangeError(f"{name}: {exc}") from None
    notes.flush(warnings)
    clean_chart(chart, warnings, name)
    return chart


def _provenance(rec: Record, ours: bool, typed: bool, fmt: str, name: str, where: str,
                attributes: dict[str, Value], notes: Notes) -> list[SourceRecord]:
    """The sources Workbench wrote in the 'sources' column, else the file and line. In a
    file that only says Workbench wrote it (GML, JSON, DOT) the column may have been edited:
    then it is kept as text and the file and line are the source."""
    text = rec.fields.get("sources")
    if ours:
        return sources_from_text(text, where) if text else []
    found = [SourceRecord(f"{fmt} file", file=name, row=rec.line)]
    if typed and text:
        try:
            return sources_from_text(text, where) or found
        except InterchangeError:
            notes.add("a 'sources' value is not Workbench's; kept as the attribute 'sources'",
                      where.removeprefix(f"{name}, "))
            attributes["sources"] = Value(Kind.TEXT, text)
    return found


def _precision(rec: Record, where: str, notes: Notes) -> DatePrecision:
    """How much of its date the source gave, in a file Workbench wrote; exact when not said.
    (A foreign file's ``date_precision`` column, like its other columns, is an attribute.)"""
    text = rec.fields.get("date_precision") or "second"
    try:
        return DatePrecision(text)
    except ValueError:
        notes.add("a date precision is not known; the date kept exact", f"{where}: {text[:40]!r}")
        return DatePrecision.SECOND


def _keep_bad_date(item: Entity | Link, rec: Record) -> None:
    if item.date is None and rec.fields.get("date"):
        item.attributes.setdefault("date", Value(Kind.TEXT, rec.fields["date"]))


def _choice(enum: type, text: str, default: Any, where: str, notes: Notes,
            attributes: dict[str, Value]) -> Any:
    """A direction or strength named in the file, or ``default`` with the text kept as an
    attribute ('Directed' in a Gephi column, 'strong' in a tie-strength column)."""
    try:
        return enum(text)
    except ValueError:
        what = enum.__name__.lower()
        notes.add(f"an unknown {what}; {default.value} used and the text kept as the "
                  f"attribute '{what}'", f"{where}: {text[:40]!r}")
        attributes.setdefault(what, Value(Kind.TEXT, text))
        return default
