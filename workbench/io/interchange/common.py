"""What every interchange format needs: safe XML parsing, atomic writing, colours, and the
Workbench fields that ride along in foreign files so a round trip loses nothing.

Files in these formats come from other people (a partner NGO's Gephi export, a police i2
chart), so parsing never resolves entities, never loads a DTD and never touches the network.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
from lxml import etree

from workbench.io.atomic import atomic_path as atomic_path  # reports import it from here
from workbench.io.atomic import write_bytes
from workbench.io.chartjson import _Bad, _source_in, _source_out, _value_in, _value_out
from workbench.model import Chart, Kind, ParseError, SourceRecord, Value, parse_value

MAX_BYTES = 512 * 1024 * 1024
WB_NS = "urn:workbench:interchange:1"


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """XML 1.0 cannot hold control characters (they turn up in scraped text); each becomes a
    visible replacement character instead of failing the whole export."""
    return _NOT_XML.sub("\ufffd", text)


_NOT_XML_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_safe_bytes(data: bytes) -> bytes:
    """xml_safe for UTF-8 XML another library wrote (Qt's and matplotlib's SVG copy control
    characters through as they are). In UTF-8 these bytes are never part of another
    character, so each is replaced on its own."""
    return _NOT_XML_BYTES.sub("\ufffd".encode(), data)


class InterchangeError(ValueError):
    """A file that cannot be imported or written; the message names the file and place."""


class Notes:
    """Values of a foreign file that were left out or changed, grouped by what went wrong, so
    10,000 bad positions make one warning (with the first few places), not 10,000."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.groups: dict[str, list[str]] = {}

    def add(self, what: str, where: str) -> None:
        self.groups.setdefault(what, []).append(where.removeprefix(f"{self.name}, "))

    def number(self, text: str | None, what: str, where: str) -> float | None:
        """``text`` as a finite number, or None with a note (NaN and Infinity are not
        positions, sizes or colours)."""
        if text is None or text.strip() == "":
            return None
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if math.isfinite(value):
            return value
        self.add(f"{what} is not a finite number; ignored", f"{where}: {text[:40]!r}")
        return None

    def flush(self, warnings: list[str]) -> None:
        for what, places in self.groups.items():
            more = f" and {len(places) - 5} more" if len(places) > 5 else ""
            warnings.append(f"{self.name}: {what} ({len(places)} time(s): "
                            f"{'; '.join(places[:5])}{more})")
        self.groups.clear()


def safe_parser(keep_pis: bool = False) -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_comments=True,
                           remove_pis=not keep_pis)


def parse_xml(path: str | os.PathLike[str], *, keep_pis: bool = False) -> etree._Element:
    """The root element, or InterchangeError saying why the file is not usable XML."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InterchangeError(f"{path}: no such file") from None
    except OSError as exc:
        raise InterchangeError(f"{path}: {exc.strerror or exc}") from None
    if size > MAX_BYTES:
        raise InterchangeError(f"{path.name}: implausibly large ({size:,} bytes)")
    try:
        tree = etree.parse(str(path), safe_parser(keep_pis))
    except etree.XMLSyntaxError as exc:
        raise InterchangeError(f"{path.name}: not well-formed XML ({exc})") from None
    except OSError as exc:
        raise InterchangeError(f"{path.name}: cannot be read ({exc})") from None
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise InterchangeError(f"{path.name}: declares XML entities, which are refused")
    return tree.getroot()


def local(tag: Any) -> str:
    """The tag without its namespace ('{http://...}node' -> 'node')."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""  # QName() is 10x slower


def write_tree(root: etree._Element, path: str | os.PathLike[str]) -> None:
    """Write atomically. The XML is made in memory and written by Python: writing to a file
    name, lxml does not notice a full disk and leaves a cut-off file (or raises its own
    errors); into a Python file object it is 20% slower."""
    data = etree.tostring(etree.ElementTree(root), xml_declaration=True, encoding="UTF-8",
                          pretty_print=True)
    write_bytes(path, data, kind="xml")


# ----- colours ---------------------------------------------------------------------------------
def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def rgb_to_hex(r: Any, g: Any, b: Any) -> str:
    parts = [max(0, min(255, round(float(v)))) for v in (r, g, b)]
    return "#{:02x}{:02x}{:02x}".format(*parts)


def parse_hex(text: str) -> str | None:
    text = text.strip()
    if len(text) == 7 and text[0] == "#":
        try:
            int(text[1:], 16)
        except ValueError:
            return None
        return text.lower()
    return None


def colour_field(fields: dict[str, str]) -> str | None:
    """A colour given as a 'colour'/'color' hex column (yEd, Cytoscape exports)."""
    for key in ("colour", "color"):
        if key in fields:
            return parse_hex(fields[key])
    return None


def check_colours(chart: Chart) -> None:
    """Every colour a writer turns into numbers is #rrggbb, or InterchangeError names the
    item (a chart built by a script, or a file from before colours were checked)."""
    catalogue = chart.catalogue
    types = [(f"entity type {t.name!r}", t.colour) for t in catalogue.entity_types.values()]
    types += [(f"link type {t.name!r}", t.colour) for t in catalogue.link_types.values()]
    items = [(f"entity {e.id} ({e.label!r})", e.style.colour) for e in chart.entities.values()]
    items += [(f"link {lk.id} ({lk.label!r})", lk.style.colour) for lk in chart.links.values()]
    for what, colour in [*types, *items]:
        if colour is not None and parse_hex(str(colour)) is None:
            raise InterchangeError(f"{xml_safe(what)}: colour {xml_safe(str(colour))!r} is "
                                   "not #rrggbb")


# ----- Workbench fields carried in foreign files -----------------------------------------------
def json_text(data: Any) -> str:
    """JSON of Workbench fields for a foreign file. A lone surrogate (broken UTF-16 in a
    source) cannot be JSON or XML: only then is every text walked and such characters shown
    as '\ufffd', instead of failing the export."""
    try:
        return orjson.dumps(data).decode()
    except TypeError:
        return orjson.dumps(_xml_safe_all(data)).decode()


def _xml_safe_all(data: Any) -> Any:
    if isinstance(data, str):
        return xml_safe(data)
    if isinstance(data, dict):
        return {xml_safe(str(k)): _xml_safe_all(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_xml_safe_all(v) for v in data]
    return data


def chart_fields(chart: Chart) -> dict[str, Any]:
    """The chart's title, marking, dates and its own types (their colours, icons and
    directedness): what the plain formats (GML, DOT, JSON) carry at graph level, so a chart's
    custom types come back as types rather than as a colour on every item."""
    entity_types, link_types = chart.catalogue.differences_from(_default())
    return {
        "title": chart.title, "description": chart.description, "marking": chart.marking,
        "author": chart.author, "created": chart.created.isoformat(),
        "modified": chart.modified.isoformat(), "region": chart.region,
        "entity_types": [t.to_json() for t in entity_types],
        "link_types": [t.to_json() for t in link_types],
    }


def chart_meta(chart: Chart, kinds: dict[str, dict[str, str]]) -> str:
    """Chart-level fields as one JSON text (title, marking, types, settings, attribute
    kinds)."""
    return json_text({**chart_fields(chart), "settings": chart.settings, "kinds": kinds})


def _default() -> Any:
    from workbench.model import default_catalogue

    return default_catalogue()


def apply_chart_meta(chart: Chart, text: str, where: str, notes: Notes | None = None,
                     settings: bool = True) -> dict[str, dict[str, str]]:
    """Restore chart fields from chart_meta(); returns the attribute kinds it recorded.
    Metadata that is not usable JSON (cut, or nested past orjson's 1,024 levels) is left out
    with a note when ``notes`` is given: the nodes and edges are still worth importing.
    Settings are taken as they are (``settings`` False: never, for chart_fields() of a
    plain format, whose ids are renumbered); the reader's final clean_chart checks them."""
    from workbench.model.catalogue import (
        CatalogueError,
        entity_type_from_json,
        link_type_from_json,
    )

    try:
        meta = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        if notes is None:
            raise InterchangeError(f"{where}: Workbench metadata is not valid JSON ({exc})") \
                from None
        notes.add("the Workbench chart metadata is not valid JSON; left out", str(exc))
        return {}
    if not isinstance(meta, dict):
        if notes is None:
            raise InterchangeError(f"{where}: Workbench metadata must be an object")
        notes.add("the Workbench chart metadata is not an object; left out", where)
        return {}
    for name in ("title", "description", "marking", "author", "region"):
        if isinstance(meta.get(name), str):
            setattr(chart, name, meta[name])
    for name in ("created", "modified"):
        if isinstance(meta.get(name), str):
            with contextlib.suppress(ValueError):
                setattr(chart, name, datetime.fromisoformat(meta[name]))
    try:
        entity_types = [entity_type_from_json(t, where) for t in meta.get("entity_types", [])]
        link_types = [link_type_from_json(t, where) for t in meta.get("link_types", [])]
    except CatalogueError as exc:
        raise InterchangeError(str(exc)) from None
    if entity_types or link_types:
        chart.add_types(entity_types, link_types)
    if settings and isinstance(meta.get("settings"), dict):
        chart.settings = meta["settings"]
    kinds = meta.get("kinds")
    return kinds if isinstance(kinds, dict) else {}


def sources_text(records: list[SourceRecord]) -> str:
    return json_text([_source_out(s) for s in records])


def sources_from_text(text: str, where: str) -> list[SourceRecord]:
    try:
        data = orjson.loads(text)
        if not isinstance(data, list):
            raise InterchangeError(f"{where}: sources must be a list")
        return [_source_in(d, "") for d in data]
    except orjson.JSONDecodeError as exc:
        raise InterchangeError(f"{where}: sources are not valid JSON ({exc})") from None
    except _Bad as exc:
        raise InterchangeError(f"{where}: bad source record{exc.where}: {exc.message}") from None


def value_text(value: Value) -> str:
    """An attribute value as the text a foreign format stores."""
    raw = _value_out(value)["value"]
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, list):
        return f"{raw[0]}, {raw[1]}"
    if isinstance(raw, float) and raw.is_integer() and abs(raw) < 2**53:
        return repr(raw)
    return str(raw)


def value_from_text(kind: str, text: str, where: str) -> Value:
    """Inverse of value_text for a known kind; InterchangeError naming ``where`` if bad."""
    try:
        k = Kind(kind)
    except ValueError:
        raise InterchangeError(f"{where}: unknown attribute kind {kind!r}") from None
    if k is Kind.NUMBER:
        try:
            return Value(k, int(text))  # exact, even past 2**53 (account numbers)
        except ValueError:
            pass
        try:
            number = float(text)
        except ValueError:
            raise InterchangeError(f"{where}: {text!r} is not a number") from None
        if math.isnan(number) or math.isinf(number):
            raise InterchangeError(f"{where}: {text!r} is not a finite number")
        return Value(k, number)
    if k is Kind.FLAG:
        return Value(k, text.strip().lower() in {"true", "1", "yes"})
    if k in (Kind.DATETIME, Kind.COORDINATES):
        try:
            return _value_in({"kind": k.value, "value": text if k is Kind.DATETIME else
                              [float(p) for p in text.split(",")]})
        except (_Bad, ValueError) as exc:
            raise InterchangeError(f"{where}: {text!r} is not a {k.value}") from exc
    try:
        return parse_value(k, text) if k is not Kind.TEXT else Value(k, text)
    except ParseError:
        return Value(k, text)  # keep what the other tool wrote rather than drop it
