"""Reading the YAML of an import specification so that every mistake names its key and line.

A YAML loader that remembers the line of each key (and refuses keys that are not text), and a
``Reader`` whose checks build messages like "entities.origin.type (line 4): must be text".
Nothing in the file is ever executed: the loader is a SafeLoader. Used by importspec.parse_spec.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from workbench.io.import_spec_model import (
    AttributeSpec,
    Condition,
    Constant,
    FilterSpec,
    SpecError,
    Template,
    cell_position,
)
from workbench.model import Kind
from workbench.safe_yaml import SafeLoader, check_unique_keys


# ----- loading ---------------------------------------------------------------------------------
class LineDict(dict):
    """A mapping that remembers the line of each key, so errors can point at it."""

    lines: dict[str, int]
    line: int


class Loader(SafeLoader):
    """The shared safe loader (no aliases, bounded depth, unique keys) building LineDicts."""


def _construct_mapping(loader: Loader, node: yaml.MappingNode) -> LineDict:
    check_unique_keys(loader, node)
    loader.flatten_mapping(node)
    out = LineDict()
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
    """Lists and plain dicts for an error message (no LineDict in the repr)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class Reader:
    """Checks one spec document, building error messages with key paths and lines."""

    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, key: str, line: int, message: str) -> SpecError:
        return SpecError(f"{self.name}: {key} (line {line}): {message}")

    def mapping(self, value: Any, key: str, line: int, allowed: set[str]) -> LineDict:
        if not isinstance(value, dict):
            raise self.fail(key, line, f"must be a mapping, not {type(value).__name__}")
        unknown = sorted(str(k) for k in value if k not in allowed)
        if unknown:
            bad = unknown[0]
            raise self.fail(f"{key}.{bad}", line_of(value, bad, line),
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
            k, ln = f"{key}.{name}", line_of(m, name, line)
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


def line_of(m: Any, key: Any, default: int) -> int:
    return getattr(m, "lines", {}).get(str(key), default) if isinstance(m, dict) else default


def constants(r: Reader, value: Any, key: str, ln: int) -> dict[str, Constant]:
    m = r.mapping(value, key, ln, set(value) if isinstance(value, dict) else set())
    out: dict[str, Constant] = {}
    for name, spec in m.items():
        k = f"{key}.{name}"
        if isinstance(spec, dict):
            spec = r.mapping(spec, k, ln, {"value", "pattern", "cell"})
            cell = r.text(spec["cell"], f"{k}.cell", ln) if "cell" in spec else None
            if cell is not None and cell_position(cell) is None:
                raise r.fail(f"{k}.cell", ln, f"{cell!r} is not a cell such as A1 or B2")
            pattern = r.text(spec.get("pattern", ""), f"{k}.pattern", ln) or None
            if pattern is not None:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise r.fail(f"{k}.pattern", ln, f"not a regular expression ({exc})") \
                        from None
            out[str(name)] = Constant(r.text(spec.get("value", "{sheet}"), f"{k}.value", ln),
                                      pattern, cell.upper() if cell else None)
        else:
            out[str(name)] = Constant(r.text(spec, k, ln))
    return out


def items(r: Reader, top: dict, key: str) -> list:
    return r.sequence(top.get(key), key, line_of(top, key, 1))


def flag(r: Reader, value: Any, key: str, ln: int) -> bool:
    if not isinstance(value, bool):
        raise r.fail(key, ln, "must be true or false")
    return value


def read_filter(r: Reader, f: Any, key: str, ln: int) -> FilterSpec | Condition:
    """``{column, in|not_in}``, or ``{and: [...]}``, ``{or: [...]}``, ``{not: {...}}``."""
    ln = getattr(f, "line", ln)
    ops = [op for op in ("and", "or", "not") if isinstance(f, dict) and op in f]
    if ops:
        f = r.mapping(f, key, ln, {ops[0]})
        k = f"{key}.{ops[0]}"
        if ops[0] == "not":
            return Condition("not", [read_filter(r, f["not"], k, ln)], ln)
        parts = r.sequence(f[ops[0]], k, ln)
        if not parts:
            raise r.fail(k, ln, "needs a list of conditions")
        return Condition(ops[0], [read_filter(r, p, f"{k}[{i}]", ln)
                                  for i, p in enumerate(parts)], ln)
    f = r.mapping(f, key, ln, {"column", "in", "not_in"})
    if "column" not in f or ("in" in f) == ("not_in" in f):
        raise r.fail(key, ln, "a condition needs 'column' and one of 'in' or 'not_in', or "
                     "'and'/'or' with a list of conditions, or 'not' with one")
    values = f.get("in", f.get("not_in"))
    if not isinstance(values, list):
        raise r.fail(key, ln, "'in'/'not_in' must be a list of values")
    vals = tuple("" if v is None else str(v) for v in values)
    return FilterSpec(r.text(f["column"], f"{key}.column", ln),
                      vals if "in" in f else None, vals if "not_in" in f else None, ln)
