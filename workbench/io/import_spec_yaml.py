"""Writing an import specification back to YAML (the wizard's "Save specification").

The output is the documented format (docs/import-spec.md) with flow-style entries, one per line,
so that a saved spec reads like the hand-written ones and loads back to the same spec.
"""

from __future__ import annotations

from typing import Any

import yaml

from workbench.io.importspec import (
    AttributeSpec,
    Condition,
    Constant,
    EntitySpec,
    FilterSpec,
    ImportSpec,
    LinkSpec,
    SourceSpec,
)
from workbench.model import Direction, Kind, Strength


class _Flow(dict):
    """A mapping written on one line."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Flow, lambda d, data: d.represent_mapping(
    "tag:yaml.org,2002:map", data.items(), flow_style=True))


def _source(s: SourceSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"format": s.format}
    defaults = SourceSpec()
    for name in ("encoding", "delimiter", "header_row", "sheet", "name", "reliability",
                 "credibility", "path"):
        value = getattr(s, name)
        if value != getattr(defaults, name):
            out[name] = value
    if s.columns:
        out["columns"] = dict(s.columns)
    if s.constants:
        out["constants"] = {name: _constant(c) for name, c in s.constants.items()}
    return _Flow(out)


def _constant(c: Constant) -> str | dict[str, str]:
    if c.pattern is None and c.cell is None:
        return c.text
    out = {"cell": c.cell} if c.cell is not None else {"value": c.text}
    return {**out, **({"pattern": c.pattern} if c.pattern is not None else {})}


def _attributes(attrs: list[AttributeSpec]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for a in attrs:
        col = a.column.single_column
        entry: dict[str, Any] = {"column": col if col is not None else a.column.text}
        if a.kind is not Kind.TEXT:
            entry["kind"] = a.kind.value
        if a.date_formats:
            entry["date_format"] = list(a.date_formats)
        out[a.name] = _Flow(entry)
    return out


def _formats(formats: tuple[str, ...]) -> str | list[str]:
    return formats[0] if len(formats) == 1 else list(formats)


def _filter(f: FilterSpec | Condition) -> dict[str, Any]:
    if isinstance(f, Condition):
        parts = [_filter(p) for p in f.parts]
        return _Flow({f.op: parts[0] if f.op == "not" else parts})
    out: dict[str, Any] = {"column": f.column}
    if f.in_ is not None:
        out["in"] = list(f.in_)
    else:
        out["not_in"] = list(f.not_in or ())
    return _Flow(out)


def _entity(e: EntitySpec) -> dict[str, Any]:
    out: dict[str, Any] = {"type": e.type, "identity": e.identity.text}
    if e.label is not None:
        out["label"] = e.label.text
    if e.split:
        out["split"] = e.split
    if e.date is not None:
        out["date"] = e.date.text
    if e.date_formats:
        out["date_format"] = _formats(e.date_formats)
    if e.lat is not None:
        out["lat"], out["lon"] = e.lat, e.lon
    if e.when is not None:
        out["when"] = _filter(e.when)
    return _Flow(out)


def _link(lk: LinkSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"from": lk.source, "to": lk.target, "type": lk.type}
    if lk.label is not None:
        out["label"] = lk.label.text
    if lk.direction is not Direction.NONE:
        out["direction"] = lk.direction.value
    if lk.strength is not Strength.CONFIRMED:
        out["strength"] = lk.strength.value
    if lk.date is not None:
        out["date"] = lk.date.text
    if lk.date_formats:
        out["date_format"] = _formats(lk.date_formats)
    if lk.attributes:
        out["attributes"] = _attributes(lk.attributes)
    if lk.merge:
        out["merge"] = True
    return _Flow(out)


def dump_spec(spec: ImportSpec) -> str:
    """The spec as YAML text that ``parse_spec`` reads back to an equal spec."""
    header = "# Workbench import specification (see docs/import-spec.md)\n"
    return header + yaml.dump(_document(spec), Dumper=_Dumper, sort_keys=False,
                              allow_unicode=True, width=100)


def _document(spec: ImportSpec) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    if spec.types:
        doc["types"] = [_Flow(t.to_json()) for t in spec.types]
    if spec.link_types:
        doc["link_types"] = [_Flow(t.to_json()) for t in spec.link_types]
    if spec.region:
        doc["region"] = spec.region
    if spec.parts:
        shared = ("types", "link_types", "region")
        doc["parts"] = [{k: v for k, v in _document(p).items() if k not in shared}
                        for p in spec.parts]
        return doc
    if len(spec.sources) == 1:
        doc["source"] = _source(spec.sources[0])
    else:
        doc["sources"] = [_source(s) for s in spec.sources]
    doc["entities"] = {role: _entity(e) for role, e in spec.entities.items()}
    if spec.links:
        doc["links"] = [_link(lk) for lk in spec.links]
    attrs = {role: _attributes(e.attributes) for role, e in spec.entities.items()
             if e.attributes}
    if attrs:
        doc["attributes"] = attrs
    if spec.filters:
        doc["filters"] = [_filter(f) for f in spec.filters]
    return doc
