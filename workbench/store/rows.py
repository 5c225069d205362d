"""One chunk's import plan as Arrow tables, ready for the engine's bulk insert.

The chart importer turns rows into entities and links (identities normalised, labels,
attributes, dates, coordinates, provenance: the same code and the same rules as a chart
import). This module flattens what it made into columns: the entities of the chunk keyed by a
chunk-local number, their attributes, the source records (one per row), which records stand
behind which entity and link, and the links with their ends as chunk-local numbers. The
engine then merges entities by (type, identity) inside the database.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
import pyarrow as pa
from anyascii import anyascii

from workbench.io.import_plan import ImportPlan
from workbench.model import Kind, Value

_NOT_WORD = re.compile(r"[\W_]+")
_SEARCHED_KINDS = {Kind.TEXT, Kind.EMAIL, Kind.PHONE, Kind.USERNAME, Kind.URL}


def fold(text: str) -> str:
    """Text as search compares it: transliterated to ASCII (so 'Абдельхамид', 'Abdelhamíd'
    and 'ABDELHAMID' meet), case-folded, punctuation and runs of spaces as one space."""
    text = anyascii(unicodedata.normalize("NFKC", text)).casefold()
    return " ".join(_NOT_WORD.sub(" ", text).split())


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


def chunk_rows(plan: ImportPlan, merged_types: set[str],
               folds: dict[tuple[str, str], str] | None = None) -> ChunkRows:
    """Flatten ``plan`` (made against an empty chart from one table) into Arrow tables.
    Source records are keyed by their row number, which is unique within a table; ``folds``
    keeps search texts between chunks (the same phones come back in every chunk)."""
    folds = {} if folds is None else folds
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
        folded = folds.get((e.label, identity))
        if folded is None:
            label = fold(e.label)
            folded = folds[(e.label, identity)] = label if fold(identity) in label else \
                fold(f"{e.label} {identity}")
        ent["fold"].append(folded)
        for name, value in e.attributes.items():
            att["ckey"].append(k)
            att["name"].append(name)
            att["value"].append(orjson.dumps(_value(value)).decode())
            att["fold"].append(fold(value.display()) if value.kind in _SEARCHED_KINDS else "")
        er_e.extend([k] * len(e.provenance))
        er_r.extend([r.row for r in e.provenance])
    links = plan.links
    lnk = {
        "clink": list(range(len(links))),
        "a": [ckey[lk.end1] for lk in links],
        "b": [ckey[lk.end2] for lk in links],
        "type": [lk.type for lk in links],
        "label": [lk.label for lk in links],
        "direction": [lk.direction for lk in links],  # StrEnum members are their text
        "strength": [lk.strength for lk in links],
        "date": [naive(lk.date) for lk in links],
        "attributes": [orjson.dumps({k: {"kind": v.kind, "value": v.value}  # as _value
                                     for k, v in lk.attributes.items()}).decode()
                       if lk.attributes else None for lk in links],
        "merged": [lk.type in merged_types for lk in links],
    }
    lr_l = [j for j, lk in enumerate(links) for _ in lk.provenance]
    lr_r = [r.row for lk in links for r in lk.provenance]
    records = {r.row: r for e in plan.entities for r in e.provenance}
    records.update((r.row, r) for lk in links for r in lk.provenance)
    rows = list(records.values())
    rec = {"rkey": [r.row for r in rows], "name": [r.source for r in rows],
           "sheet": [r.sheet for r in rows], "row": [r.row for r in rows],
           "reliability": [r.reliability for r in rows],
           "credibility": [r.credibility for r in rows]}
    return ChunkRows(
        entities=pa.table(ent, schema=_ENTITY_SCHEMA),
        attributes=pa.table(att, schema=_ATTRIBUTE_SCHEMA),
        records=pa.table(rec, schema=_RECORD_SCHEMA),
        entity_records=pa.table({"ckey": er_e, "rkey": er_r}, schema=_pair_schema("ckey")),
        links=pa.table(lnk, schema=_LINK_SCHEMA),
        link_records=pa.table({"clink": lr_l, "rkey": lr_r}, schema=_pair_schema("clink")))


def _value(value: Value) -> dict[str, Any]:
    """An attribute value as the chart file writes it (docs/chart-format.md: ISO dates,
    coordinates as a list; orjson writes datetimes in ISO 8601 and tuples as lists)."""
    return {"kind": value.kind.value, "value": value.value}


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
