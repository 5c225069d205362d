"""Charts written as FollowTheMoney entity streams (``.ftm``, ``.ijson``, ``NAME.ftm.json``),
for an analyst who hands a case to OCCRP Aleph or to tools built on OpenSanctions' data.

One JSON object a line, as ftm.py reads: ``{"id", "schema", "properties", "caption"}``. An
entity becomes the thing schema that means its type (Person, Organization, Address,
BankAccount...; a type FollowTheMoney has no thing for, such as Phone, Email or Website, a
LegalEntity with the value also as its ``phone``, ``email`` or ``website``); a link becomes
the relationship schema of its type (Owns is an Ownership from owner to asset...) or an
UnknownLink from subject to object, its label as ``summary``, its date as ``startDate`` at the
precision it has. Every attribute is a property of the same name. An item read from a
stream goes back with the id and schema it had there (its attributes 'FtM id' and 'FtM
schema').

What FollowTheMoney has no place for (Workbench's ids, types, positions, attribute kinds,
direction and strength) rides in one more key beside ``caption``, ``workbench``, as
OpenSanctions puts ``datasets`` and ``first_seen`` beside the properties: tools that read
FtM ignore it, and ftm.py reads it back, so a chart makes the round trip with its ids, types,
attributes and directions.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from workbench.io.atomic import write_bytes
from workbench.io.interchange.common import InterchangeError, chart_fields, value_text
from workbench.io.interchange.ftm_schema import (
    CATALOGUE_TYPES,
    CHART_LINK_TYPES,
    CHART_TYPES,
    EDGES,
    OTHER_COLOUR,
    OTHER_ICON,
)
from workbench.model import (
    Chart,
    DatePrecision,
    Direction,
    Entity,
    EntityType,
    Link,
    LinkType,
    Strength,
)

WB_KEY = "workbench"
FTM_ID, FTM_SCHEMA = "FtM id", "FtM schema"
OTHER_THING, OTHER_LINK = "LegalEntity", "UnknownLink"
# Each Workbench type as the thing schema that reads back as it; Location is a place.
THING_SCHEMA = {"Person": "Person", "Organisation": "Organization", "Address": "Address",
                "Location": "Address", "Account": "BankAccount", "Vehicle": "Vehicle",
                "Event": "Event", "Username": "UserAccount", "Document": "Document",
                **{name: name for name in CHART_TYPES}}
LINK_SCHEMA = {edge.link_type: schema for schema, edge in EDGES.items()}
# A LegalEntity written for one of these types also holds the value where FtM keeps it.
VALUE_PROPERTY = {"Phone": "phone", "Email": "email", "Website": "website"}
THING_SCHEMATA = set(CATALOGUE_TYPES) | set(CHART_TYPES)
_DATE_LENGTH = {DatePrecision.YEAR: 4, DatePrecision.MONTH: 7, DatePrecision.DAY: 10,
                DatePrecision.MINUTE: 16}


def _schema(item: Entity | Link, default: str, known: set[str] | dict) -> str:
    """The schema an item had in a stream it came from, if FtM knows it, else ``default``."""
    had = item.attributes.get(FTM_SCHEMA)
    return str(had.value) if had is not None and str(had.value) in known else default


def _date_text(item: Entity | Link) -> str:
    """The date as FtM writes it: an ISO prefix as long as the precision ('2016')."""
    if item.date is None:
        return ""
    return item.date.isoformat()[:_DATE_LENGTH.get(item.date_precision, 19)]


def _common(item: Entity | Link, schema: str, ftm_id: str,
            added: dict[str, list[str]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the FtM object, its 'workbench' part) with every attribute as a property."""
    properties: dict[str, list[str]] = {}
    kinds: dict[str, str] = {}
    for name, value in item.attributes.items():
        if name in (FTM_ID, FTM_SCHEMA):
            continue
        properties[name] = [value_text(value)]
        kinds[name] = value.kind.value
    written = []
    for name, values in added.items():
        if name not in properties and values and values[0]:
            properties[name] = values
            written.append(name)
    own: dict[str, Any] = {"id": item.id, "type": item.type, "attributes": kinds,
                           "added": written}
    if FTM_ID in item.attributes:
        own["ftm"] = True  # read back with its 'FtM id' and 'FtM schema' attributes
    if item.date is not None:
        own["date"] = item.date.isoformat()
        own["date_precision"] = item.date_precision.value
    return {"id": ftm_id, "schema": schema, "properties": properties,
            "caption": item.label}, own


def _ids(chart: Chart) -> dict[str, str]:
    """The FtM id of every item: the one it had in a stream, else its Workbench id; never
    one id twice (a second holder gets 'wb-' and its Workbench id)."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for item in [*chart.entities.values(), *chart.links.values()]:
        had = item.attributes.get(FTM_ID)
        ftm_id = str(had.value) if had is not None and str(had.value) else item.id
        if ftm_id in used:
            ftm_id = f"wb-{item.id}"
        used.add(ftm_id)
        out[item.id] = ftm_id
    return out


def _entity(entity: Entity, ftm_id: str) -> dict[str, Any]:
    schema = _schema(entity, THING_SCHEMA.get(entity.type, OTHER_THING), THING_SCHEMATA)
    name = "full" if schema == "Address" else "name"
    added = {name: [entity.label]}
    if schema == OTHER_THING and entity.type in VALUE_PROPERTY:
        added[VALUE_PROPERTY[entity.type]] = [entity.label]
    if schema == "Address" and entity.coordinates is not None:
        added["latitude"] = [repr(entity.coordinates[0])]
        added["longitude"] = [repr(entity.coordinates[1])]
    document, own = _common(entity, schema, ftm_id, added)
    own.update(x=entity.x, y=entity.y)
    if entity.identity is not None:
        own["identity"] = entity.identity
    if entity.coordinates is not None:
        own["coordinates"] = list(entity.coordinates)
    return {**document, WB_KEY: own}


def _link(link: Link, ids: dict[str, str]) -> dict[str, Any]:
    schema = _schema(link, LINK_SCHEMA.get(link.type, OTHER_LINK), EDGES)
    edge = EDGES[schema]
    end1, end2 = link.end1, link.end2
    direction = link.direction
    if direction is Direction.REVERSE:  # as the arrow points, as every FtM reader draws it
        end1, end2, direction = end2, end1, Direction.FORWARD
    added = {edge.source: [ids[end1]], edge.target: [ids[end2]], "summary": [link.label],
             "startDate": [_date_text(link)]}
    document, own = _common(link, schema, ids[link.id], added)
    if direction is not Direction.FORWARD:
        own["direction"] = direction.value
    if link.strength is not Strength.CONFIRMED:
        own["strength"] = link.strength.value
    return {**document, WB_KEY: own}


def stream(chart: Chart) -> Iterator[dict[str, Any]]:
    """The chart's FtM objects in stream order: things first, then relationships (the
    chart's title and own types ride on the first)."""
    ids = _ids(chart)
    first = True
    for entity in chart.entities.values():
        document = _entity(entity, ids[entity.id])
        if first:
            document[WB_KEY]["chart"] = chart_fields(chart)
            first = False
        yield document
    for link in chart.links.values():
        yield _link(link, ids)


def write_ftm(chart: Chart, path: str | os.PathLike[str]) -> None:
    """One FtM entity a line, written atomically. A chart without entities is refused: its
    stream would be an empty file, which no FtM tool (nor Workbench) reads as a chart."""
    if not chart.entities:
        raise InterchangeError(f"{Path(path).name}: the chart has no entities; a "
                               "FollowTheMoney stream of it would be empty")
    write_bytes(path, b"".join(orjson.dumps(document) + b"\n" for document in stream(chart)))


# ----- read back (ftm.py) ---------------------------------------------------------------
class ItemIds:
    """Item ids: the Workbench id a stream Workbench wrote gives (once), else a new one that
    is none of those."""

    def __init__(self, chart: Chart, records: Any) -> None:
        self.chart = chart
        self.wanted = {str(r.own["id"]) for r in records if isinstance(r.own.get("id"), str)}
        self.given: set[str] = set()

    def __call__(self, rec: Any, prefix: str) -> str:
        wanted = rec.own.get("id") if rec is not None else None
        if isinstance(wanted, str) and wanted and wanted not in self.given:
            self.given.add(wanted)
            return wanted
        while (new := self.chart.new_id(prefix)) in self.wanted:
            pass
        return new


class OwnPart:
    """The 'workbench' part of an entity Workbench wrote; each value read only when it has
    the shape Workbench gives it (the stream may have been edited by hand)."""

    def __init__(self, own: dict[str, Any]) -> None:
        self.own = own

    def text(self, name: str) -> str | None:
        value = self.own.get(name)
        return value if isinstance(value, str) and value else None

    def number(self, name: str) -> float:
        value = self.own.get(name)
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return float(value) if ok and abs(value) < float("inf") else 0.0

    def coordinates(self) -> tuple[float, float] | None:
        pair = self.own.get("coordinates")
        if isinstance(pair, list) and len(pair) == 2 and all(
                isinstance(v, int | float) and not isinstance(v, bool) for v in pair) and \
                abs(pair[0]) <= 90 and abs(pair[1]) <= 180:
            return float(pair[0]), float(pair[1])
        return None

    def choice(self, enum: Any, name: str) -> Any:
        try:
            return enum(self.own[name]) if name in self.own else None
        except ValueError:
            return None

    def entity_type(self, chart: Chart, added: dict[str, EntityType]) -> str | None:
        name = self.text("type")
        if name and name not in chart.catalogue.entity_types:
            added.setdefault(name, CHART_TYPES.get(name) or
                             EntityType(name, icon=OTHER_ICON, colour=OTHER_COLOUR))
        return name

    def link_type(self, chart: Chart, added: dict[str, LinkType]) -> str | None:
        name = self.text("type")
        if name and name not in chart.catalogue.link_types and name not in CHART_LINK_TYPES:
            added.setdefault(name, LinkType(name))
        return name
