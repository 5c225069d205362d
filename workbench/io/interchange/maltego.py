"""Maltego graphs (``.mtgx``): a zip holding GraphML under ``Graphs/``, each node carrying a
``mtg:MaltegoEntity`` (type, properties, notes) and a ``mtg:EntityRenderer`` position, each
edge a ``mtg:MaltegoLink``.

Maltego's entity types become Workbench's where they mean the same thing (maltego.Person is a
Person, maltego.PhoneNumber a Phone...), so identities line up with the rest of the case;
other types keep Maltego's short name (``IPv4Address``) as a type of the chart. The entity's
main value is its label (and its identity where the type has one); every other property is an
attribute named as Maltego shows it, and the full Maltego type is kept as the attribute
'Maltego type' where the Workbench type does not say it (maltego.Company, maltego.Domain,
maltego.IPv4Address; not maltego.Person). Properties Maltego types as numbers (``int``,
``float``...) or flags (``boolean``) are read as such, the rest as text. Links read source to
target, turned round where Maltego says ``maltego.link.is_reversed``; their drawing
properties (colour, thickness, style) are left out, their label, weight and other properties
kept.
"""

from __future__ import annotations

import contextlib
import os
import zipfile
from pathlib import Path

from lxml import etree

from workbench.io.interchange.common import MAX_BYTES, InterchangeError, Notes, local, safe_parser
from workbench.io.interchange.records import Graph, Record, chart_from_graph
from workbench.model import Chart, ParseError

MALTEGO_TYPES = {
    "maltego.Person": "Person", "maltego.PhoneNumber": "Phone",
    "maltego.EmailAddress": "Email", "maltego.Alias": "Username",
    "maltego.Organization": "Organisation", "maltego.Company": "Organisation",
    "maltego.Location": "Location", "maltego.Website": "Website", "maltego.URL": "Website",
    "maltego.Domain": "Website", "maltego.Document": "Document",
    "maltego.BankAccount": "Account", "maltego.GPSCoordinate": "Location",
}
_BY_LOWER = {name.lower(): wb for name, wb in MALTEGO_TYPES.items()}
# Each Workbench type as the first Maltego type that means it; the others are written as
# 'workbench.NAME', which reads back as the type NAME.
WRITE_TYPES = {wb: name for name, wb in reversed(MALTEGO_TYPES.items())}
_LINK_DRAWING = {"maltego.link.color", "maltego.link.style", "maltego.link.thickness",
                 "maltego.link.show-label", "maltego.link.is_reversed"}
_LINK_LABELS = ("maltego.link.manual.type", "maltego.link.label")
_MAX_MEMBERS = 10_000
MTG = "http://maltego.paterva.com/xml/mtgx"
MALTEGO_TYPE = "Maltego type"  # the attribute an entity's full Maltego type is kept in
# Maltego's property types as the column types of records.py; others (date, string...) text.
_COLUMN_TYPES = {"int": "double", "long": "double", "float": "double", "double": "double",
                 "short": "double", "boolean": "boolean"}


def written_type(type_name: str) -> str:
    """The Maltego type a Workbench entity type is written as."""
    return WRITE_TYPES.get(type_name) or f"workbench.{type_name}"


def _graphml_bytes(path: Path) -> tuple[str, bytes, int]:
    """The first graph of the archive: (member name, its bytes, how many graphs there are).
    Sizes are checked from the zip directory before anything is inflated."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > _MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_BYTES:
                raise InterchangeError(f"{path.name}: implausibly large once unpacked")
            graphs = sorted((i for i in infos if i.filename.startswith("Graphs/")
                             and i.filename.endswith(".graphml")), key=lambda i: i.filename)
            if not graphs:
                raise InterchangeError(f"{path.name}: a zip, but no Maltego graph in it "
                                       "(looked for Graphs/*.graphml)")
            return graphs[0].filename, archive.read(graphs[0]), len(graphs)
    except FileNotFoundError:
        raise InterchangeError(f"{path}: no such file") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise InterchangeError(f"{path.name}: not a readable Maltego file ({exc})") from None
    except OSError as exc:
        raise InterchangeError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None


def _properties(entity: etree._Element) -> list[tuple[str, str, str, str]]:
    """(name, name as Maltego shows it, value, column type) per property, in file order."""
    out = []
    for element in entity.iter():
        if local(element.tag) == "Property":
            value = next((("".join(v.itertext())) for v in element
                          if local(v.tag) == "Value"), "")
            name = element.get("name", "")
            out.append((name, element.get("displayName") or name, value,
                        _COLUMN_TYPES.get(element.get("type", "").lower(), "string")))
    return out


def _main_property(properties: list[tuple[str, str, str, str]], maltego_type: str) -> int:
    """Which property is the entity's value: Maltego's own ``properties.<type>`` where the
    entity has it filled (a maltego.Port's ``properties.port`` 443, not its ``port.number``
    0), else the first, as Maltego writes the value first for its other types."""
    own = f"properties.{maltego_type.rpartition('.')[2].lower()}"
    return next((n for n, (name, _, value, _) in enumerate(properties)
                 if name.lower() == own and value), 0)


def _put(rec: Record, columns: dict[str, str], name: str, text: str,
         type_: str = "string") -> None:
    """A column of ``rec``; one typed a number here and text elsewhere is declared text."""
    if text != "" and name not in rec.fields:
        rec.fields[name] = text
        old = columns.get(name)
        columns[name] = type_ if old in (None, type_) else "string"


def _node(node: etree._Element, chart: Chart, columns: dict[str, str], notes: Notes) -> Record:
    rec = Record(node.get("id", ""), line=node.sourceline)
    for element in node.iter():
        tag = local(element.tag)
        if tag == "MaltegoEntity":
            maltego_type = element.get("type", "maltego.Unknown")
            type_name = _BY_LOWER.get(maltego_type.lower()) or \
                maltego_type.rpartition(".")[2] or "Node"
            properties = _properties(element)
            first = _main_property(properties, maltego_type)
            main = properties.pop(first)[2] if properties else ""
            rec.fields["label"], rec.fields["type"] = main, type_name
            if main and type_name in MALTEGO_TYPES.values() and \
                    chart.entity_type(type_name).identity.value != "text":
                with contextlib.suppress(ParseError):
                    rec.fields["identity"] = chart.identity_for(type_name, main)
            for _name, shown, value, type_ in properties:
                _put(rec, columns, shown, value, type_)
            if maltego_type.lower() != written_type(type_name).lower():  # said by the type
                _put(rec, columns, MALTEGO_TYPE, maltego_type)
        elif tag == "Notes":
            _put(rec, columns, "notes", "".join(element.itertext()).strip())
        elif tag == "Position":
            where = f"line {element.sourceline}"
            rec.x = notes.number(element.get("x"), "position x", where)
            rec.y = notes.number(element.get("y"), "position y", where)
    return rec


def _edge(edge: etree._Element, number: int, columns: dict[str, str]) -> Record:
    rec = Record(edge.get("id") or f"edge{number}", line=edge.sourceline, directed=True,
                 source=edge.get("source", ""), target=edge.get("target", ""))
    for element in edge.iter():
        if local(element.tag) != "MaltegoLink":
            continue
        for name, shown, value, type_ in _properties(element):
            if name == "maltego.link.is_reversed" and value.strip().lower() == "true":
                rec.source, rec.target = rec.target, rec.source
            elif name in _LINK_LABELS and value and "label" not in rec.fields:
                rec.fields["label"] = value
            elif name == "maltego.link.weight":
                _put(rec, columns, "weight", value)
                columns["weight"] = "double"
            elif name not in _LINK_DRAWING:
                _put(rec, columns, shown, value, type_)
    return rec


def read_mtgx(path: str | os.PathLike[str], warnings: list[str] | None = None) -> Chart:
    """The first graph of a Maltego ``.mtgx``; what cannot be imported is in ``warnings``."""
    path = Path(path)
    warnings = warnings if warnings is not None else []
    member, data, count = _graphml_bytes(path)
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise InterchangeError(f"{path.name}: {member} is not well-formed XML ({exc})") \
            from None
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None and any(True for _ in
                                                    tree.docinfo.internalDTD.iterentities()):
        raise InterchangeError(f"{path.name}: declares XML entities, which are refused")
    if count > 1:
        warnings.append(f"{path.name}: holds {count} graphs; only {member} was read")
    notes = Notes(path.name)
    chart_types = Chart(path.stem)  # for identity rules only
    node_columns: dict[str, str] = {}
    edge_columns: dict[str, str] = {}
    nodes = [_node(n, chart_types, node_columns, notes) for n in root.iter()
             if local(n.tag) == "node"]
    edges = [_edge(e, n, edge_columns) for n, e in
             enumerate((e for e in root.iter() if local(e.tag) == "edge"), 1)]
    seen: set[tuple[str, str]] = set()
    for rec in nodes:  # one value twice in a graph: both kept, unmerged
        key = (rec.fields.get("type", ""), rec.fields.get("identity", ""))
        if key[1] and key in seen:
            del rec.fields["identity"]
        seen.add(key)
    return chart_from_graph(Graph(nodes, edges, node_columns, edge_columns, own_types=True),
                            path, "Maltego", warnings, notes)
