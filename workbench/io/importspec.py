"""Import specifications: the YAML file that says which columns make which entities and links.

Analysts save and share these files, so a mistake must be reported with the key and the line
where it is ("entities.origin.type (line 4): ..."), and nothing in the file is ever executed:
it is read with a safe loader and every key is checked. The format is documented in
docs/import-spec.md.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from workbench.io.import_spec_model import (
    AttributeSpec,
    Condition,
    Constant,
    EntitySpec,
    FilterSpec,
    ImportSpec,
    LinkSpec,
    SourceSpec,
    SpecError,
    Template,
)
from workbench.io.import_spec_reader import (
    LineDict,
    Loader,
    Reader,
    constants,
    flag,
    items,
    line_of,
    read_filter,
)
from workbench.model import Direction, Strength
from workbench.model.catalogue import (
    CatalogueError,
    check_icon,
    default_catalogue,
    entity_type_from_json,
    link_type_from_json,
)
from workbench.safe_yaml import YamlError, load_yaml

_SOURCE_KEYS = {"format", "encoding", "delimiter", "header_row", "sheet", "name", "reliability",
                "credibility", "path", "columns", "constants"}
_ENTITY_KEYS = {"type", "identity", "label", "split", "date", "date_format", "lat", "lon",
                "when"}
_LINK_KEYS = {"from", "to", "type", "label", "direction", "strength", "date", "date_format",
              "attributes", "merge"}


def parse_spec(text: str, name: str = "import specification",
               base: Path | None = None) -> ImportSpec:
    """Read a spec from YAML text; raises SpecError naming the key and line of any mistake."""
    try:
        data = load_yaml(text, name, Loader)
    except YamlError as exc:
        raise SpecError(str(exc)) from None
    r = Reader(name)
    if isinstance(data, dict) and "parts" in data:
        return _parts(r, data, name, base)
    return _spec(r, r.mapping(data, "spec", 1, {*_MAPPING, *_SHARED}), name, base)


_SHARED = {"types", "link_types", "region", "format", "version"}  # a whole file's
_MAPPING = {"source", "sources", "entities", "links", "attributes", "filters"}  # a part's


def _parts(r: Reader, data: dict, name: str, base: Path | None) -> ImportSpec:
    """Several sheets (or files) of one workbook, each with its own mapping, in one spec:
    ``parts: [{source: {sheet: "2008-2011"}, entities: ..., links: ...}, ...]``; types and
    region are shared by every part."""
    top = r.mapping(data, "spec", 1, {"parts", *_SHARED})
    raw = r.sequence(top["parts"], "parts", line_of(top, "parts", 1))
    if not raw:
        raise r.fail("parts", line_of(top, "parts", 1), "needs at least one part")
    parts = []
    for i, part in enumerate(raw):
        ln = getattr(part, "line", line_of(top, "parts", 1))
        part = r.mapping(part, f"parts[{i}]", ln, _MAPPING)
        merged = LineDict({**{k: top[k] for k in _SHARED if k in top}, **part})
        merged.lines, merged.line = {**top.lines, **part.lines}, ln
        parts.append(_spec(Reader(f"{name}: parts[{i}]"), merged, name, base))
    return ImportSpec(sources=[s for p in parts for s in p.sources], types=parts[0].types,
                      link_types=parts[0].link_types, region=parts[0].region, name=name,
                      base=base, parts=parts)


def _spec(r: Reader, top: LineDict, name: str, base: Path | None) -> ImportSpec:
    """One mapping: its sources, types, entities, attributes, links and filters."""
    spec = ImportSpec(name=name, base=base)
    if "region" in top:
        spec.region = r.text(top["region"], "region", line_of(top, "region", 1)).upper()
    # sources
    raw_sources = top.get("sources", [top["source"]] if "source" in top else [{}])
    if not isinstance(raw_sources, list) or not raw_sources:
        raise r.fail("sources", line_of(top, "sources", 1), "must be a list of sources")
    spec.sources = []
    for i, s in enumerate(raw_sources):
        key = "source" if "source" in top else f"sources[{i}]"
        ln = getattr(s, "line", line_of(top, "source", 1))
        s = r.mapping(s, key, ln, _SOURCE_KEYS)
        src = SourceSpec()
        for k in ("format", "encoding", "delimiter", "name", "reliability", "credibility"):
            if k in s:
                setattr(src, k, r.text(s[k], f"{key}.{k}", line_of(s, k, ln)))
        if src.format not in {"auto", "csv", "xlsx"}:
            raise r.fail(f"{key}.format", line_of(s, "format", ln),
                         f"unknown format {src.format!r}; use csv, xlsx or auto")
        if "header_row" in s:
            hr = s["header_row"]
            if not (hr == "auto" or (isinstance(hr, int) and not isinstance(hr, bool)
                                     and hr >= 1)):
                raise r.fail(f"{key}.header_row", line_of(s, "header_row", ln),
                             "must be a row number from 1, or auto")
            src.header_row = hr
        if "sheet" in s:
            src.sheet = s["sheet"] if isinstance(s["sheet"], int) else str(s["sheet"])
        if "path" in s:
            src.path = r.text(s["path"], f"{key}.path", line_of(s, "path", ln))
        if "columns" in s:
            k, cl = f"{key}.columns", line_of(s, "columns", ln)
            renames = r.mapping(s["columns"], k, cl, set(s["columns"]) if
                                isinstance(s["columns"], dict) else set())
            src.columns = {str(old): r.text(new, f"{k}.{old}", cl)
                           for old, new in renames.items()}
        if "constants" in s:
            src.constants = constants(r, s["constants"], f"{key}.constants",
                                       line_of(s, "constants", ln))
        if src.reliability and src.reliability not in "ABCDE":
            raise r.fail(f"{key}.reliability", line_of(s, "reliability", ln), "must be A-E")
        if src.credibility and src.credibility not in "12345":
            raise r.fail(f"{key}.credibility", line_of(s, "credibility", ln), "must be 1-5")
        spec.sources.append(src)
    # extra entity and link types
    for i, t in enumerate(items(r, top, "types")):
        try:
            spec.types.append(entity_type_from_json(dict(t) if isinstance(t, dict) else t,
                                                    f"types[{i}]"))
            check_icon(spec.types[-1], f"types[{i}]")
        except CatalogueError as exc:
            raise SpecError(f"{name}: {exc} (line {getattr(t, 'line', 0)})") from None
    for i, t in enumerate(items(r, top, "link_types")):
        try:
            spec.link_types.append(link_type_from_json(dict(t) if isinstance(t, dict) else t,
                                                       f"link_types[{i}]"))
        except CatalogueError as exc:
            raise SpecError(f"{name}: {exc} (line {getattr(t, 'line', 0)})") from None
    known = default_catalogue().extended(spec.types, spec.link_types)
    # entities
    ents = top.get("entities")
    if not ents:
        raise r.fail("entities", line_of(top, "entities", 1), "a spec needs at least one entity")
    ents = r.mapping(ents, "entities", line_of(top, "entities", 1), set(ents) if
                     isinstance(ents, dict) else set())
    for role, e in ents.items():
        key, ln = f"entities.{role}", line_of(ents, role, 1)
        e = r.mapping(e, key, ln, _ENTITY_KEYS)
        for need in ("type", "identity"):
            if need not in e:
                raise r.fail(key, ln, f"needs {need!r}")
        spec.entities[str(role)] = EntitySpec(
            role=str(role), type=r.text(e["type"], f"{key}.type", ln),
            identity=r.template(e["identity"], f"{key}.identity", line_of(e, "identity", ln),
                                literal=False),
            label=r.template(e["label"], f"{key}.label", ln) if "label" in e else None,
            split=r.text(e["split"], f"{key}.split", ln) if "split" in e else None,
            date=r.template(e["date"], f"{key}.date", line_of(e, "date", ln), literal=False)
            if "date" in e else None,
            date_formats=r.formats(e["date_format"], f"{key}.date_format",
                                   line_of(e, "date_format", ln)) if "date_format" in e else (),
            lat=r.text(e["lat"], f"{key}.lat", ln) if "lat" in e else None,
            lon=r.text(e["lon"], f"{key}.lon", ln) if "lon" in e else None,
            when=read_filter(r, e["when"], f"{key}.when", line_of(e, "when", ln))
            if "when" in e else None,
            line=ln,
        )
        if spec.entities[str(role)].type not in known.entity_types:
            raise r.fail(f"{key}.type", line_of(e, "type", ln), _unknown_type(
                "entity", spec.entities[str(role)].type, known.entity_types, "types"))
        if (spec.entities[str(role)].lat is None) != (spec.entities[str(role)].lon is None):
            raise r.fail(key, ln, "coordinates need both 'lat' and 'lon' columns")
    # attributes of entities, by role
    attrs = top.get("attributes") or {}
    attrs = r.mapping(attrs, "attributes", line_of(top, "attributes", 1), set(spec.entities))
    for role, a in attrs.items():
        spec.entities[role].attributes = r.attributes(a, f"attributes.{role}",
                                                      line_of(attrs, role, 1))
    # links
    for i, lk in enumerate(items(r, top, "links")):
        key, ln = f"links[{i}]", getattr(lk, "line", line_of(top, "links", 1))
        lk = r.mapping(lk, key, ln, _LINK_KEYS)
        for need in ("from", "to", "type"):
            if need not in lk:
                raise r.fail(key, ln, f"needs {need!r}")
        ends = []
        for end in ("from", "to"):
            role = r.text(lk[end], f"{key}.{end}", ln)
            if role not in spec.entities:
                raise r.fail(f"{key}.{end}", line_of(lk, end, ln), f"{role!r} is not one of the "
                             f"entities ({', '.join(spec.entities)})")
            ends.append(role)
        try:
            direction = Direction(str(lk.get("direction", "none")).lower())
            strength = Strength(str(lk.get("strength", "confirmed")).lower())
        except ValueError as exc:
            raise r.fail(key, ln, f"{exc}; direction is none/forward/reverse/both, strength "
                         "is confirmed/unconfirmed/tentative") from None
        link_type = r.text(lk["type"], f"{key}.type", ln)
        if link_type not in known.link_types:
            raise r.fail(f"{key}.type", line_of(lk, "type", ln), _unknown_type(
                "link", link_type, known.link_types, "link_types"))
        spec.links.append(LinkSpec(
            source=ends[0], target=ends[1], type=link_type,
            label=r.template(lk["label"], f"{key}.label", ln) if "label" in lk else None,
            direction=direction, strength=strength,
            date=r.template(lk["date"], f"{key}.date", line_of(lk, "date", ln), literal=False)
            if "date" in lk else None,
            date_formats=r.formats(lk["date_format"], f"{key}.date_format",
                                   line_of(lk, "date_format", ln)) if "date_format" in lk else (),
            attributes=r.attributes(lk["attributes"], f"{key}.attributes",
                                    line_of(lk, "attributes", ln)) if "attributes" in lk else [],
            merge=flag(r, lk.get("merge", False), f"{key}.merge", ln),
            line=ln,
        ))
    # filters
    for i, f in enumerate(items(r, top, "filters")):
        spec.filters.append(read_filter(r, f, f"filters[{i}]",
                                    getattr(f, "line", line_of(top, "filters", 1))))
    return spec


def _unknown_type(what: str, name: str, known: dict, key: str) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return (f"unknown {what} type {name!r}; {hint}known: {', '.join(sorted(known))}; a new "
            f"type can be declared under '{key}'")


def load_spec(path: str | Path) -> ImportSpec:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise SpecError(f"{path}: cannot read the import specification "
                        f"({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise SpecError(f"{path}: cannot read the import specification (not UTF-8 text: "
                        f"{exc.reason} at byte {exc.start})") from None
    return parse_spec(text, name=str(path), base=path.parent)


__all__ = ["AttributeSpec", "Condition", "Constant", "EntitySpec", "FilterSpec", "ImportSpec",
           "LinkSpec", "SourceSpec", "SpecError", "Template", "load_spec", "parse_spec"]
