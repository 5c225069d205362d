"""Import specifications: the YAML file that says which columns make which entities and links.

Analysts save and share these files, so a mistake must be reported with the key and the line
where it is ("entities.origin.type (line 4): ..."), and nothing in the file is ever executed:
it is read with a safe loader and every key is checked. The format is documented in
docs/import-spec.md.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

import yaml

from workbench.io.import_spec_model import (
    AttributeSpec,
    Constant,
    EntitySpec,
    FilterSpec,
    ImportSpec,
    LinkSpec,
    SourceSpec,
    SpecError,
    Template,
)
from workbench.model import Direction, Kind, Strength
from workbench.model.catalogue import (
    CatalogueError,
    default_catalogue,
    entity_type_from_json,
    link_type_from_json,
)
from workbench.safe_yaml import SafeLoader, YamlError, check_unique_keys, load_yaml


# ----- loading ---------------------------------------------------------------------------------
class _LineDict(dict):
    """A mapping that remembers the line of each key, so errors can point at it."""

    lines: dict[str, int]
    line: int


class _Loader(SafeLoader):
    """The shared safe loader (no aliases, bounded depth, unique keys) building _LineDicts."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _LineDict:
    check_unique_keys(loader, node)
    loader.flatten_mapping(node)
    out = _LineDict()
    out.lines = {}
    out.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, list | dict):  # YAML allows "? [1]": a key must be text here
            raise yaml.constructor.ConstructorError(
                "while reading a mapping", node.start_mark,
                f"a key must be text, not a {'list' if isinstance(key, list) else 'mapping'} "
                f"({_plain(key)!r})", key_node.start_mark)
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[str(key)] = key_node.start_mark.line + 1
    return out


def _plain(value: Any) -> Any:
    """Lists and plain dicts for an error message (no _LineDict in the repr)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _Reader:
    """Checks one spec document, building error messages with key paths and lines."""

    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, key: str, line: int, message: str) -> SpecError:
        return SpecError(f"{self.name}: {key} (line {line}): {message}")

    def mapping(self, value: Any, key: str, line: int, allowed: set[str]) -> _LineDict:
        if not isinstance(value, dict):
            raise self.fail(key, line, f"must be a mapping, not {type(value).__name__}")
        unknown = sorted(str(k) for k in value if k not in allowed)
        if unknown:
            bad = unknown[0]
            raise self.fail(f"{key}.{bad}", _line(value, bad, line),
                            f"unknown key {bad!r}; allowed: {', '.join(sorted(allowed))}")
        return value  # type: ignore[return-value]

    def sequence(self, value: Any, key: str, line: int) -> list:
        """A list under ``key``; None (key given but empty) counts as an empty list."""
        if value is None:
            return []
        if not isinstance(value, list):
            what = "mapping" if isinstance(value, dict) else type(value).__name__
            raise self.fail(key, line, f"must be a list (items starting with '-'), not {what}")
        return value

    def text(self, value: Any, key: str, line: int) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.fail(key, line, "must be text")
        return str(value)

    def template(self, value: Any, key: str, line: int, *, literal: bool = True) -> Template:
        """A template; ``{first_of: [A, B]}`` is the choice ``"{A}{B}"``. With ``literal``
        False, a template without any column is refused: it would give every row the same
        value (an identity or a date the analyst meant to read from a column)."""
        if isinstance(value, dict):
            value = self.mapping(value, key, line, {"first_of"})
            if "first_of" not in value:
                raise self.fail(key, line, "needs 'first_of': a list of columns")
            columns = self.sequence(value["first_of"], f"{key}.first_of", line)
            if not columns:
                raise self.fail(f"{key}.first_of", line, "needs at least one column")
            return Template("".join("{" + self.text(c, f"{key}.first_of", line) + "}"
                                    for c in columns))
        text = self.text(value, key, line)
        if text.count("{") != text.count("}"):
            raise self.fail(key, line, f"unbalanced braces in {text!r}")
        template = Template(text)
        if not literal and template.literal_only:
            raise self.fail(key, line, f"{text!r} names no column, so every row would get the "
                            "same fixed value; write the column in braces, e.g. "
                            '"{Date}", or give a fixed value as a source constant '
                            "(constants: {Year: '2016'}) and use \"{Year}\"")
        return template

    def formats(self, value: Any, key: str, line: int) -> tuple[str, ...]:
        """strftime formats to try in order; ``auto`` (or none) detects the format from the
        column's values."""
        if value == "auto" or value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        out = []
        for fmt in items:
            fmt = self.text(fmt, key, line)
            if "%" not in fmt:
                raise self.fail(key, line, f"bad date format {fmt!r}: use strftime codes such "
                                "as %Y-%m-%d or %d/%m/%Y %H:%M")
            out.append(fmt)
        return tuple(out)

    def kind(self, value: Any, key: str, line: int) -> Kind:
        text = self.text(value, key, line)
        alias = {"date": "datetime", "datetime": "datetime", "phone number": "phone"}
        try:
            return Kind(alias.get(text.lower(), text.lower()))
        except ValueError:
            raise self.fail(key, line, f"unknown kind {text!r}; use one of "
                            f"{', '.join(k.value for k in Kind)}") from None

    def attributes(self, value: Any, key: str, line: int) -> list[AttributeSpec]:
        m = self.mapping(value, key, line, set(value) if isinstance(value, dict) else set())
        out = []
        for name, spec in m.items():
            k, ln = f"{key}.{name}", _line(m, name, line)
            if isinstance(spec, str) or (isinstance(spec, dict) and "first_of" in spec):
                spec = {"column": spec}  # short form: name: Column
            s = self.mapping(spec, k, ln, {"column", "kind", "date_format"})
            if "column" not in s:
                raise self.fail(k, ln, "needs 'column'")
            if isinstance(s["column"], dict):
                tpl = self.template(s["column"], f"{k}.column", ln)
            else:
                column = self.text(s["column"], f"{k}.column", ln)
                tpl = Template(column if "{" in column else "{" + column + "}")
            kind = self.kind(s.get("kind", "text"), f"{k}.kind", ln)
            fmts = self.formats(s["date_format"], f"{k}.date_format", ln) \
                if "date_format" in s else ()
            out.append(AttributeSpec(str(name), tpl, kind, fmts, ln))
        return out


def _line(m: Any, key: Any, default: int) -> int:
    return getattr(m, "lines", {}).get(str(key), default) if isinstance(m, dict) else default


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
        data = load_yaml(text, name, _Loader)
    except YamlError as exc:
        raise SpecError(str(exc)) from None
    r = _Reader(name)
    top = r.mapping(data, "spec", 1, {"source", "sources", "entities", "links", "attributes",
                                      "filters", "types", "link_types", "region", "format",
                                      "version"})
    spec = ImportSpec(name=name, base=base)
    if "region" in top:
        spec.region = r.text(top["region"], "region", _line(top, "region", 1)).upper()
    # sources
    raw_sources = top.get("sources", [top["source"]] if "source" in top else [{}])
    if not isinstance(raw_sources, list) or not raw_sources:
        raise r.fail("sources", _line(top, "sources", 1), "must be a list of sources")
    spec.sources = []
    for i, s in enumerate(raw_sources):
        key = "source" if "source" in top else f"sources[{i}]"
        ln = getattr(s, "line", _line(top, "source", 1))
        s = r.mapping(s, key, ln, _SOURCE_KEYS)
        src = SourceSpec()
        for k in ("format", "encoding", "delimiter", "name", "reliability", "credibility"):
            if k in s:
                setattr(src, k, r.text(s[k], f"{key}.{k}", _line(s, k, ln)))
        if src.format not in {"auto", "csv", "xlsx"}:
            raise r.fail(f"{key}.format", _line(s, "format", ln),
                         f"unknown format {src.format!r}; use csv, xlsx or auto")
        if "header_row" in s:
            hr = s["header_row"]
            if not (hr == "auto" or (isinstance(hr, int) and not isinstance(hr, bool)
                                     and hr >= 1)):
                raise r.fail(f"{key}.header_row", _line(s, "header_row", ln),
                             "must be a row number from 1, or auto")
            src.header_row = hr
        if "sheet" in s:
            src.sheet = s["sheet"] if isinstance(s["sheet"], int) else str(s["sheet"])
        if "path" in s:
            src.path = r.text(s["path"], f"{key}.path", _line(s, "path", ln))
        if "columns" in s:
            k, cl = f"{key}.columns", _line(s, "columns", ln)
            renames = r.mapping(s["columns"], k, cl, set(s["columns"]) if
                                isinstance(s["columns"], dict) else set())
            src.columns = {str(old): r.text(new, f"{k}.{old}", cl)
                           for old, new in renames.items()}
        if "constants" in s:
            src.constants = _constants(r, s["constants"], f"{key}.constants",
                                       _line(s, "constants", ln))
        if src.reliability and src.reliability not in "ABCDE":
            raise r.fail(f"{key}.reliability", _line(s, "reliability", ln), "must be A-E")
        if src.credibility and src.credibility not in "12345":
            raise r.fail(f"{key}.credibility", _line(s, "credibility", ln), "must be 1-5")
        spec.sources.append(src)
    # extra entity and link types
    for i, t in enumerate(_items(r, top, "types")):
        try:
            spec.types.append(entity_type_from_json(dict(t) if isinstance(t, dict) else t,
                                                    f"types[{i}]"))
        except CatalogueError as exc:
            raise SpecError(f"{name}: {exc} (line {getattr(t, 'line', 0)})") from None
    for i, t in enumerate(_items(r, top, "link_types")):
        try:
            spec.link_types.append(link_type_from_json(dict(t) if isinstance(t, dict) else t,
                                                       f"link_types[{i}]"))
        except CatalogueError as exc:
            raise SpecError(f"{name}: {exc} (line {getattr(t, 'line', 0)})") from None
    known = default_catalogue().extended(spec.types, spec.link_types)
    # entities
    ents = top.get("entities")
    if not ents:
        raise r.fail("entities", _line(top, "entities", 1), "a spec needs at least one entity")
    ents = r.mapping(ents, "entities", _line(top, "entities", 1), set(ents) if
                     isinstance(ents, dict) else set())
    for role, e in ents.items():
        key, ln = f"entities.{role}", _line(ents, role, 1)
        e = r.mapping(e, key, ln, _ENTITY_KEYS)
        for need in ("type", "identity"):
            if need not in e:
                raise r.fail(key, ln, f"needs {need!r}")
        spec.entities[str(role)] = EntitySpec(
            role=str(role), type=r.text(e["type"], f"{key}.type", ln),
            identity=r.template(e["identity"], f"{key}.identity", _line(e, "identity", ln),
                                literal=False),
            label=r.template(e["label"], f"{key}.label", ln) if "label" in e else None,
            split=r.text(e["split"], f"{key}.split", ln) if "split" in e else None,
            date=r.template(e["date"], f"{key}.date", _line(e, "date", ln), literal=False)
            if "date" in e else None,
            date_formats=r.formats(e["date_format"], f"{key}.date_format",
                                   _line(e, "date_format", ln)) if "date_format" in e else (),
            lat=r.text(e["lat"], f"{key}.lat", ln) if "lat" in e else None,
            lon=r.text(e["lon"], f"{key}.lon", ln) if "lon" in e else None,
            when=_filter(r, e["when"], f"{key}.when", _line(e, "when", ln))
            if "when" in e else None,
            line=ln,
        )
        if spec.entities[str(role)].type not in known.entity_types:
            raise r.fail(f"{key}.type", _line(e, "type", ln), _unknown_type(
                "entity", spec.entities[str(role)].type, known.entity_types, "types"))
        if (spec.entities[str(role)].lat is None) != (spec.entities[str(role)].lon is None):
            raise r.fail(key, ln, "coordinates need both 'lat' and 'lon' columns")
    # attributes of entities, by role
    attrs = top.get("attributes") or {}
    attrs = r.mapping(attrs, "attributes", _line(top, "attributes", 1), set(spec.entities))
    for role, a in attrs.items():
        spec.entities[role].attributes = r.attributes(a, f"attributes.{role}",
                                                      _line(attrs, role, 1))
    # links
    for i, lk in enumerate(_items(r, top, "links")):
        key, ln = f"links[{i}]", getattr(lk, "line", _line(top, "links", 1))
        lk = r.mapping(lk, key, ln, _LINK_KEYS)
        for need in ("from", "to", "type"):
            if need not in lk:
                raise r.fail(key, ln, f"needs {need!r}")
        ends = []
        for end in ("from", "to"):
            role = r.text(lk[end], f"{key}.{end}", ln)
            if role not in spec.entities:
                raise r.fail(f"{key}.{end}", _line(lk, end, ln), f"{role!r} is not one of the "
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
            raise r.fail(f"{key}.type", _line(lk, "type", ln), _unknown_type(
                "link", link_type, known.link_types, "link_types"))
        spec.links.append(LinkSpec(
            source=ends[0], target=ends[1], type=link_type,
            label=r.template(lk["label"], f"{key}.label", ln) if "label" in lk else None,
            direction=direction, strength=strength,
            date=r.template(lk["date"], f"{key}.date", _line(lk, "date", ln), literal=False)
            if "date" in lk else None,
            date_formats=r.formats(lk["date_format"], f"{key}.date_format",
                                   _line(lk, "date_format", ln)) if "date_format" in lk else (),
            attributes=r.attributes(lk["attributes"], f"{key}.attributes",
                                    _line(lk, "attributes", ln)) if "attributes" in lk else [],
            merge=_flag(r, lk.get("merge", False), f"{key}.merge", ln),
            line=ln,
        ))
    # filters
    for i, f in enumerate(_items(r, top, "filters")):
        spec.filters.append(_filter(r, f, f"filters[{i}]",
                                    getattr(f, "line", _line(top, "filters", 1))))
    return spec


def _constants(r: _Reader, value: Any, key: str, ln: int) -> dict[str, Constant]:
    m = r.mapping(value, key, ln, set(value) if isinstance(value, dict) else set())
    out: dict[str, Constant] = {}
    for name, spec in m.items():
        k = f"{key}.{name}"
        if isinstance(spec, dict):
            spec = r.mapping(spec, k, ln, {"value", "pattern"})
            pattern = r.text(spec.get("pattern", ""), f"{k}.pattern", ln) or None
            if pattern is not None:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise r.fail(f"{k}.pattern", ln, f"not a regular expression ({exc})") \
                        from None
            out[str(name)] = Constant(r.text(spec.get("value", "{sheet}"), f"{k}.value", ln),
                                      pattern)
        else:
            out[str(name)] = Constant(r.text(spec, k, ln))
    return out


def _items(r: _Reader, top: dict, key: str) -> list:
    return r.sequence(top.get(key), key, _line(top, key, 1))


def _unknown_type(what: str, name: str, known: dict, key: str) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return (f"unknown {what} type {name!r}; {hint}known: {', '.join(sorted(known))}; a new "
            f"type can be declared under '{key}'")


def _flag(r: _Reader, value: Any, key: str, ln: int) -> bool:
    if not isinstance(value, bool):
        raise r.fail(key, ln, "must be true or false")
    return value


def _filter(r: _Reader, f: Any, key: str, ln: int) -> FilterSpec:
    f = r.mapping(f, key, ln, {"column", "in", "not_in"})
    if "column" not in f or ("in" in f) == ("not_in" in f):
        raise r.fail(key, ln, "a filter needs 'column' and one of 'in' or 'not_in'")
    values = f.get("in", f.get("not_in"))
    if not isinstance(values, list):
        raise r.fail(key, ln, "'in'/'not_in' must be a list of values")
    vals = tuple("" if v is None else str(v) for v in values)
    return FilterSpec(r.text(f["column"], f"{key}.column", ln),
                      vals if "in" in f else None, vals if "not_in" in f else None, ln)


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


__all__ = ["AttributeSpec", "Constant", "EntitySpec", "FilterSpec", "ImportSpec", "LinkSpec",
           "SourceSpec", "SpecError", "Template", "load_spec", "parse_spec"]
