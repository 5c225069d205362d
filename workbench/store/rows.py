"""One chunk's import plan as Arrow tables, ready for the engine's bulk insert.

The chart importer turns rows into entities and links (identities normalised, labels,
attributes, dates, coordinates, provenance: the same code and the same rules as a chart
import). This module flattens what it made into columns: the entities of the chunk keyed by a
chunk-local number, their attributes, the source records (one per row), which records stand
behind which entity and link, and the links with their ends as chunk-local numbers. The
engine then merges entities by (type, identity) inside the database.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
from anyascii import anyascii

from workbench.io.chartjson import link_out
from workbench.io.import_plan import ImportPlan
from workbench.model import Kind, Link, SourceRecord, Value

_NOT_WORD = re.compile(r"[\W_]+")
_SEARCHED_KINDS = {Kind.TEXT, Kind.EMAIL, Kind.PHONE, Kind.USERNAME, Kind.URL}


def fold(text: str) -> str:
    """Text as search compares it: transliterated to ASCII (so 'Абдельхамид', 'Abdelhamíd'
    and 'ABDELHAMID' meet), case-folded, punctuation and runs of spaces as one space."""
    text = anyascii(unicodedata.normalize("NFKC", text)).casefold()
    return " ".join(_NOT_WORD.sub(" ", text).split())


def attributes_json(attributes: dict[str, Value]) -> dict[str, Any]:
    """Attribute values as the chart file writes them (docs/chart-format.md), through the
    chart writer itself so the two never differ."""
    return link_out(Link("", "", "", "", attributes=attributes)).get("attributes", {})


def naive(moment: datetime | None) -> datetime | None:
    """Dates are kept as UTC without an offset (DuckDB TIMESTAMP)."""
    if moment is not None and moment.tzinfo is not None:
        return moment.astimezone(UTC).replace(tzinfo=None)
    return moment


@dataclass(slots=True)
class ChunkRows:
    entities: pa.Table
    attributes: pa.Table
    records: pa.Table
    entity_records: pa.Table
    links: pa.Table
    link_records: pa.Table


def chunk_rows(plan: ImportPlan, merged_types: set[str]) -> ChunkRows:
    """Flatten ``plan`` (made against an empty chart) into Arrow tables."""
    record_key: dict[int, int] = {}
    records: list[SourceRecord] = []

    def key_of(r: SourceRecord) -> int:
        k = record_key.get(id(r))
        if k is None:
            k = record_key[id(r)] = len(records)
            records.append(r)
        return k

    ckey: dict[str, int] = {}
    ent: dict[str, list[Any]] = {n: [] for n in ("ckey", "type", "identity", "label", "date",
                                                 "lat", "lon", "fold")}
    att: dict[str, list[Any]] = {"ckey": [], "name": [], "value": [], "fold": []}
    er_e: list[int] = []
    er_r: list[int] = []
    for k, e in enumerate(plan.entities):
        ckey[e.id] = k
        identity = e.identity if e.identity is not None else e.label
        ent["ckey"].append(k)
        ent["type"].append(e.type)
        ent["identity"].append(identity)
        ent["label"].append(e.label)
        ent["date"].append(naive(e.date))
        ent["lat"].append(e.coordinates[0] if e.coordinates else None)
        ent["lon"].append(e.coordinates[1] if e.coordinates else None)
        ent["fold"].append(fold(f"{e.label} {identity}" if fold(identity) not in fold(e.label)
                                else e.label))
        written = attributes_json(e.attributes)
        for name, value in e.attributes.items():
            att["ckey"].append(k)
            att["name"].append(name)
            att["value"].append(json.dumps(written[name], ensure_ascii=False))
            att["fold"].append(fold(value.display()) if value.kind in _SEARCHED_KINDS else "")
        for r in e.provenance:
            er_e.append(k)
            er_r.append(key_of(r))
    lnk: dict[str, list[Any]] = {n: [] for n in ("clink", "a", "b", "type", "label",
                                                 "direction", "strength", "date",
                                                 "attributes", "merged")}
    lr_l: list[int] = []
    lr_r: list[int] = []
    for j, lk in enumerate(plan.links):
        lnk["clink"].append(j)
        lnk["a"].append(ckey[lk.end1])
        lnk["b"].append(ckey[lk.end2])
        lnk["type"].append(lk.type)
        lnk["label"].append(lk.label)
        lnk["direction"].append(lk.direction.value)
        lnk["strength"].append(lk.strength.value)
        lnk["date"].append(naive(lk.date))
        lnk["attributes"].append(_link_attributes(lk))
        lnk["merged"].append(lk.type in merged_types)
        for r in lk.provenance:
            lr_l.append(j)
            lr_r.append(key_of(r))
    rec = {"rkey": list(range(len(records))), "name": [r.source for r in records],
           "sheet": [r.sheet for r in records], "row": [r.row for r in records],
           "reliability": [r.reliability for r in records],
           "credibility": [r.credibility for r in records]}
    return ChunkRows(
        entities=pa.table(ent, schema=_ENTITY_SCHEMA),
        attributes=pa.table(att, schema=_ATTRIBUTE_SCHEMA),
        records=pa.table(rec, schema=_RECORD_SCHEMA),
        entity_records=pa.table({"ckey": er_e, "rkey": er_r}, schema=_pair_schema("ckey")),
        links=pa.table(lnk, schema=_LINK_SCHEMA),
        link_records=pa.table({"clink": lr_l, "rkey": lr_r}, schema=_pair_schema("clink")))


def _link_attributes(lk: Link) -> str | None:
    return json.dumps(attributes_json(lk.attributes), ensure_ascii=False) \
        if lk.attributes else None


_TS = pa.timestamp("us")
_ENTITY_SCHEMA = pa.schema([("ckey", pa.int64()), ("type", pa.string()),
                            ("identity", pa.string()), ("label", pa.string()), ("date", _TS),
                            ("lat", pa.float64()), ("lon", pa.float64()),
                            ("fold", pa.string())])
_ATTRIBUTE_SCHEMA = pa.schema([("ckey", pa.int64()), ("name", pa.string()),
                               ("value", pa.string()), ("fold", pa.string())])
_RECORD_SCHEMA = pa.schema([("rkey", pa.int64()), ("name", pa.string()), ("sheet", pa.string()),
                            ("row", pa.int64()), ("reliability", pa.string()),
                            ("credibility", pa.string())])
_LINK_SCHEMA = pa.schema([("clink", pa.int64()), ("a", pa.int64()), ("b", pa.int64()),
                          ("type", pa.string()), ("label", pa.string()),
                          ("direction", pa.string()), ("strength", pa.string()),
                          ("date", _TS), ("attributes", pa.string()), ("merged", pa.bool_())])


def _pair_schema(first: str) -> pa.Schema:
    return pa.schema([(first, pa.int64()), ("rkey", pa.int64())])
