"""FollowTheMoney entity streams: the JSON lines OCCRP Aleph exports and OpenSanctions
publishes (``entities.ftm.json``), one entity a line: ``{"id", "schema", "properties":
{name: [values]}}``, with OpenSanctions' ``caption``, ``datasets``, ``first_seen``... beside.

Things (Person, Company, Address, Vessel...) become entities of the Workbench type that
means the same (ftm_schema.py); relationships (Ownership, Directorship, Family, Payment...)
become links between their two ends, dated by their start date, with every other property
as an attribute. A property of a thing that names another entity of the stream (a person's
``addressEntity``, a sanction's ``entity``) becomes a link too. Every property is kept as an
attribute (several values joined with "; "), and the FtM id and schema as 'FtM id' and 'FtM
schema', so nothing of the stream is lost; one summary says how it was read.

A stream Workbench wrote (ftm_export.py) carries, beside each entity's ``caption``, a
``workbench`` object with what FollowTheMoney has no place for: the item's Workbench id and
type, its position, the kind of each attribute, its date's precision, a link's direction and
strength. It is read back, so such a stream gives back the chart it was written from.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from workbench.io.chartrules import clean_chart
from workbench.io.interchange.common import (
    MAX_BYTES,
    InterchangeError,
    Notes,
    apply_chart_meta,
    json_text,
    value_from_text,
)
from workbench.io.interchange.foreign import FOREIGN_ENTITY_TYPE
from workbench.io.interchange.ftm_export import FTM_ID, FTM_SCHEMA, WB_KEY, ItemIds, OwnPart
from workbench.io.interchange.ftm_schema import (
    ADDRESS_LINK,
    ADDRESS_LINK_DEFAULT,
    CATALOGUE_TYPES,
    CHART_LINK_TYPES,
    CHART_TYPES,
    DATES,
    EDGES,
    LABELS,
    LINK_LABELS,
    NUMBERS,
    OTHER_COLOUR,
    OTHER_ICON,
    REFERS_TO,
)
from workbench.model import (
    Chart,
    DatePrecision,
    Direction,
    Entity,
    EntityType,
    Kind,
    Link,
    LinkType,
    SourceRecord,
    Strength,
    Value,
)

SOURCE = "FollowTheMoney file"
JOIN = "; "
# OpenSanctions' fields beside the properties; 'caption' is the label, 'id' and 'schema'
# become 'FtM id' and 'FtM schema'.
_OWN_KEYS = {"id", "schema", "properties", "caption", WB_KEY}
_PRECISION = {4: DatePrecision.YEAR, 7: DatePrecision.MONTH, 10: DatePrecision.DAY,
              16: DatePrecision.MINUTE}


@dataclass(slots=True)
class _Record:
    """One FtM entity (fragments with the same id merged), and the line it starts on."""

    id: str
    schema: str
    line: int
    properties: dict[str, list[str]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    caption: str = ""
    own: dict[str, Any] = field(default_factory=dict)  # the 'workbench' part Workbench wrote


def _text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InterchangeError(f"{path.name}: implausibly large ({size:,} bytes)")
        return path.read_bytes().decode("utf-8-sig", errors="replace")
    except FileNotFoundError:
        raise InterchangeError(f"{path}: no such file") from None
    except OSError as exc:
        raise InterchangeError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None


def _objects(text: str, path: Path, notes: Notes) -> list[tuple[int, Any]]:
    """(line, object) per entity: JSON lines, or one JSON list of entities."""
    if text.lstrip().startswith("["):
        try:
            data = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            raise InterchangeError(f"{path.name}: not valid JSON ({exc})") from None
        return [(n, item) for n, item in enumerate(data if isinstance(data, list) else [], 1)]
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            found.append((number, orjson.loads(line)))
        except orjson.JSONDecodeError:
            notes.add("a line is not JSON; left out", f"line {number}: {line[:40]!r}")
    return found


def _values(raw: Any) -> list[str]:
    items = raw if isinstance(raw, list) else [raw]
    return [str(v) if not isinstance(v, dict | list) else orjson.dumps(v).decode()
            for v in items if v is not None and v != ""]


def _records(objects: list[tuple[int, Any]], notes: Notes) -> dict[str, _Record]:
    """Entities by FtM id; Aleph streams an entity in fragments, which are merged."""
    records: dict[str, _Record] = {}
    for line, item in objects:
        if not (isinstance(item, dict) and item.get("id") and item.get("schema")):
            notes.add("a line is not an FtM entity (no 'id' or 'schema'); left out",
                      f"line {line}")
            continue
        rec_id = str(item["id"])
        rec = records.get(rec_id)
        if rec is None:
            rec = records[rec_id] = _Record(rec_id, str(item["schema"]), line)
        properties = item.get("properties")
        for name, raw in (properties.items() if isinstance(properties, dict) else ()):
            known = rec.properties.setdefault(str(name), [])
            known.extend(v for v in _values(raw) if v not in known)
        rec.caption = rec.caption or str(item.get("caption") or "")
        rec.extra.update({k: v for k, v in item.items() if k not in _OWN_KEYS})
        if isinstance(item.get(WB_KEY), dict):
            rec.own.update(item[WB_KEY])
    return records


def _value(name: str, values: list[str]) -> Value:
    text = JOIN.join(values)
    if name in NUMBERS and len(values) == 1:
        try:
            return Value(Kind.NUMBER, float(values[0]) if "." in values[0] else int(values[0]))
        except ValueError:
            pass
    return Value(Kind.TEXT, text)


def _own_value(kind: Any, values: list[str]) -> Value:
    """An attribute of a stream Workbench wrote, of the kind it had (text if it no longer
    fits: the stream may have been edited)."""
    text = JOIN.join(values)
    try:
        return value_from_text(str(kind), text, "")
    except InterchangeError:
        return Value(Kind.TEXT, text)


def _attributes(rec: _Record, skip: tuple[str, ...] = ()) -> dict[str, Value]:
    kinds = rec.own.get("attributes")
    kinds = kinds if isinstance(kinds, dict) else {}
    added = rec.own.get("added")
    skip = (*skip, *(added if isinstance(added, list) else ()))
    out = {name: _own_value(kinds[name], values) if name in kinds else _value(name, values)
           for name, values in rec.properties.items() if values and name not in skip}
    for name, raw in rec.extra.items():
        if isinstance(raw, bool):
            out[name] = Value(Kind.FLAG, raw)
        elif raw not in (None, "", []):
            out[name] = Value(Kind.TEXT, JOIN.join(_values(raw)))
    if not rec.own or rec.own.get("ftm"):
        out[FTM_SCHEMA] = Value(Kind.TEXT, rec.schema)
        out[FTM_ID] = Value(Kind.TEXT, rec.id)
    return out


def _date(rec: _Record) -> tuple[datetime | None, DatePrecision]:
    """FtM dates are ISO prefixes ('2011', '2011-12', '2011-12-29'): the first of the
    drawing dates that parses, at the precision it was given (or the date Workbench wrote)."""
    if isinstance(rec.own.get("date"), str):
        try:
            return (datetime.fromisoformat(rec.own["date"]),
                    DatePrecision(rec.own.get("date_precision", "second")))
        except ValueError:
            pass
    for name in DATES:
        for text in rec.properties.get(name, []):
            text = text.strip()
            precision = _PRECISION.get(len(text), DatePrecision.SECOND)
            padded = text + "-01-01"[len(text) - 4:] if len(text) in (4, 7) else text
            try:
                return datetime.fromisoformat(padded).replace(tzinfo=None), precision
            except ValueError:
                continue
    return None, DatePrecision.SECOND


def _label(rec: _Record) -> str:
    if rec.caption:
        return rec.caption
    for name in LABELS:
        if rec.properties.get(name):
            return rec.properties[name][0]
    if rec.schema == "Address":
        return ", ".join(v[0] for k in ("street", "city", "country")
                         if (v := rec.properties.get(k)))
    return rec.id


def _coordinates(rec: _Record, notes: Notes) -> tuple[float, float] | None:
    lat, lon = rec.properties.get("latitude"), rec.properties.get("longitude")
    if not (lat and lon):
        return None
    where = f"line {rec.line}"
    pair = notes.number(lat[0], "latitude", where), notes.number(lon[0], "longitude", where)
    if pair[0] is None or pair[1] is None or abs(pair[0]) > 90 or abs(pair[1]) > 180:
        return None
    return pair  # type: ignore[return-value]


def _entity_type(schema: str, added: dict[str, EntityType]) -> str:
    if schema in CATALOGUE_TYPES:
        return CATALOGUE_TYPES[schema]
    if schema not in added:
        added[schema] = CHART_TYPES.get(schema) or EntityType(schema, icon=OTHER_ICON,
                                                               colour=OTHER_COLOUR)
    return schema


def read_ftm(path: str | os.PathLike[str], warnings: list[str] | None = None) -> Chart:
    """A FollowTheMoney stream as a chart; lines that are not entities are left out and
    named in ``warnings`` with the rest of the summary."""
    path = Path(path)
    warnings = warnings if warnings is not None else []
    notes = Notes(path.name)
    records = _records(_objects(_text(path), path, notes), notes)
    if not records:
        notes.flush(warnings)
        raise InterchangeError(f"{path.name}: no FollowTheMoney entities in the file "
                               "(looked for JSON objects with 'id', 'schema' and 'properties')")
    chart = Chart(path.stem)
    first = next(iter(records.values())).own.get("chart")
    if isinstance(first, dict):  # the title and own types of the chart Workbench wrote
        apply_chart_meta(chart, json_text(first), path.name, notes, settings=False)
    new_id = ItemIds(chart, records.values())
    edges = {i: r for i, r in records.items() if r.schema in EDGES and
             r.properties.get(EDGES[r.schema].source) and r.properties.get(EDGES[r.schema].target)}
    things = [r for i, r in records.items() if i not in edges]
    new_types: dict[str, EntityType] = {}
    new_link_types: dict[str, LinkType] = {}
    ids: dict[str, str] = {}
    entities = []
    for rec in things:
        date, precision = _date(rec)
        own = OwnPart(rec.own)
        entity = Entity(id=new_id(rec, "e"),
                        type=own.entity_type(chart, new_types) or
                        _entity_type(rec.schema, new_types),
                        label=_label(rec), attributes=_attributes(rec), date=date,
                        date_precision=precision,
                        coordinates=own.coordinates() or _coordinates(rec, notes),
                        identity=own.text("identity"), x=own.number("x"), y=own.number("y"),
                        provenance=[SourceRecord(SOURCE, file=path.name, row=rec.line)])
        ids[rec.id] = entity.id
        entities.append(entity)
    missing: dict[str, Entity] = {}

    def end(ftm_id: str) -> str:
        """The entity an FtM id names; one not in the stream is drawn as a placeholder."""
        if ftm_id in ids:
            return ids[ftm_id]
        if ftm_id not in missing:
            missing[ftm_id] = Entity(
                id=new_id(None, "e"), type=FOREIGN_ENTITY_TYPE.name, label=ftm_id,
                attributes={"FtM id": Value(Kind.TEXT, ftm_id),
                            "not in file": Value(Kind.FLAG, True)},
                provenance=[SourceRecord(SOURCE, file=path.name)])
        return missing[ftm_id].id

    links: list[Link] = []
    used_link_types: set[str] = set()
    for rec in edges.values():
        edge = EDGES[rec.schema]
        date, precision = _date(rec)
        label = next((rec.properties[n][0] for n in LINK_LABELS if rec.properties.get(n)), "")
        own = OwnPart(rec.own)
        link_type = own.link_type(chart, new_link_types) or edge.link_type
        for source in rec.properties[edge.source]:
            for target in rec.properties[edge.target]:
                links.append(Link(
                    id=new_id(rec, "l"), end1=end(source), end2=end(target),
                    type=link_type, label=label,
                    direction=own.choice(Direction, "direction") or
                    (Direction.FORWARD if edge.directed else Direction.NONE),
                    strength=own.choice(Strength, "strength") or Strength.CONFIRMED,
                    attributes=_attributes(rec, (edge.source, edge.target)), date=date,
                    date_precision=precision,
                    provenance=[SourceRecord(SOURCE, file=path.name, row=rec.line)]))
                used_link_types.add(link_type)
    references = dangling = 0
    for rec in things:
        if rec.own:  # Workbench wrote every link of its chart as a relationship
            continue
        for name, values in rec.properties.items():
            for value in values:
                if name == "addressEntity" and value not in ids:
                    dangling += 1  # the address is not in this stream: its id stays text
                elif value in ids and value != rec.id:
                    link_type = (ADDRESS_LINK.get(rec.schema, ADDRESS_LINK_DEFAULT)
                                 if name == "addressEntity" else REFERS_TO)
                    links.append(Link(
                        id=new_id(None, "l"), end1=ids[rec.id], end2=ids[value],
                        type=link_type, label="" if name == "addressEntity" else name,
                        direction=Direction.FORWARD,
                        provenance=[SourceRecord(SOURCE, file=path.name, row=rec.line)]))
                    used_link_types.add(link_type)
                    references += 1
    if missing:
        new_types.setdefault(FOREIGN_ENTITY_TYPE.name, FOREIGN_ENTITY_TYPE)
    chart.add_types(new_types.values(), [CHART_LINK_TYPES[t] for t in sorted(used_link_types)
                                         if t in CHART_LINK_TYPES and
                                         t not in chart.catalogue.link_types] +
                    list(new_link_types.values()))
    chart.add_entities([*entities, *missing.values()])
    chart.add_links(links)
    notes.flush(warnings)
    if not all(r.own for r in records.values()):  # Workbench's own stream: nothing to say
        warnings.append(_summary(path.name, things, edges, (references, dangling), missing,
                                 new_types))
    clean_chart(chart, warnings, path.name)
    return chart


def _summary(name: str, things: list[_Record], edges: dict[str, _Record],
             references: tuple[int, int], missing: dict[str, Entity],
             new_types: dict[str, EntityType]) -> str:
    """What the analyst should know about how the stream was read, in one line."""
    drawn, dangling = references
    kinds = Counter(r.schema for r in edges.values())
    said = [f"{name}: read {len(things):,} FtM entities as entities and {len(edges):,} "
            f"relationships as links ({', '.join(f'{k} {n:,}' for k, n in kinds.most_common())})"
            if edges else f"{name}: read {len(things):,} FtM entities as entities"]
    if drawn:
        said.append(f"{drawn:,} references between them (addressEntity, holder, "
                    "entity...) drawn as links")
    if dangling:
        said.append(f"{dangling:,} addresses named by id but not in the file kept as the "
                    "attribute 'addressEntity'")
    if missing:
        said.append(f"{len(missing):,} entities named by a relationship but not in the file "
                    "drawn as placeholders labelled with their FtM id (attribute "
                    "'not in file')")
    chart_types = sorted(t for t in new_types if t != FOREIGN_ENTITY_TYPE.name)
    if chart_types:
        said.append(f"schemata without a Workbench type kept as chart types: "
                    f"{', '.join(chart_types)}")
    said.append("every property kept as an attribute (several values joined by '; '), "
                "with 'FtM id' and 'FtM schema'; no positions in the file")
    return "; ".join(said)
