"""Maltego graphs written (``.mtgx``), for analysts who hand a chart to a Maltego user.

The layout is the one Maltego Desktop writes and maltego.py reads: a zip holding
``Graphs/Graph1.graphml`` (keys ``d0``-``d3``; a node's ``mtg:MaltegoEntity`` with its
properties and an ``mtg:EntityRenderer`` position; an edge's ``mtg:MaltegoLink``) and a
``Version.properties``. Workbench types become the Maltego types that mean the same (Person
is ``maltego.Person``, Phone ``maltego.PhoneNumber``...); the others are written as
``workbench.NAME`` entities, which Maltego shows with its generic icon and maltego.py reads
back as the type NAME. The label is the entity's value (its first property, under the name
Maltego gives that type's main property); attributes, the date and coordinates are further
properties, typed (``int``, ``float``, ``boolean``, ``string``) so numbers come back numbers.
A link's label is Maltego's ``maltego.link.manual.type`` and its weight, when a whole
number, ``maltego.link.weight`` (an int in Maltego; another weight is the property
``weight``); its type, and its direction and strength where they are not
Maltego's own (every Maltego link points one way, confirmed), are properties.
"""

from __future__ import annotations

import io
import os
import zipfile

from lxml import etree

from workbench.io.atomic import write_bytes
from workbench.io.interchange.maltego import MALTEGO_TYPE, MTG, written_type
from workbench.io.interchange.plain import plain_edges
from workbench.io.interchange.records import Graph, Record, graph_from_chart
from workbench.model import Chart

GRAPHML = "http://graphml.graphdrawing.org/xmlns"
GRAPH_MEMBER = "Graphs/Graph1.graphml"
VERSION = "maltego.client.version=4.3.0\nmaltego.graph.version=1.2\n"
# The main property of each Maltego type written (what Maltego shows as the entity's value).
MAIN_PROPERTY = {"maltego.Person": ("person.fullname", "Full Name"),
                 "maltego.PhoneNumber": ("phonenumber", "Phone Number"),
                 "maltego.EmailAddress": ("email", "Email Address"),
                 "maltego.Alias": ("alias", "Alias"),
                 "maltego.Organization": ("title", "Name"),
                 "maltego.Location": ("location.name", "Name"),
                 "maltego.Website": ("fqdn", "Website"),
                 "maltego.Document": ("title", "Title"),
                 "maltego.BankAccount": ("bankaccount.number", "Account Number")}
# Node columns of graph_from_chart that Maltego has no place for (the icon override and the
# source records); the identity goes as a property, so a Country keeps its ISO code.
_NODE_LEFT_OUT = {"label", "type", "icon", "sources"}
_EDGE_LEFT_OUT = {"label", "sources", "weight"}
_TYPES = {"double": "float", "boolean": "boolean"}


def _q(tag: str) -> str:
    return f"{{{GRAPHML}}}{tag}"


def _m(tag: str) -> str:
    return f"{{{MTG}}}{tag}"


def _property_type(text: str, column_type: str) -> str:
    if column_type == "double":
        try:
            int(text)
            return "int"
        except ValueError:
            return "float"
    return _TYPES.get(column_type, "string")


def _property(parent: etree._Element, name: str, shown: str, text: str,
              type_: str = "string") -> None:
    element = etree.SubElement(parent, _m("Property"), displayName=shown, hidden="false",
                               name=name, nullable="true", readonly="false", type=type_)
    etree.SubElement(element, _m("Value")).text = text


def _entity(g: etree._Element, rec: Record, columns: dict[str, str]) -> None:
    node = etree.SubElement(g, _q("node"), id=rec.id)
    # An entity that came from Maltego goes back as the type it had there.
    kind = rec.fields.get(MALTEGO_TYPE) or written_type(rec.fields.get("type", "Node"))
    entity = etree.SubElement(etree.SubElement(node, _q("data"), key="d0"),
                              _m("MaltegoEntity"), id=rec.id, type=kind)
    properties = etree.SubElement(entity, _m("Properties"))
    name, shown = MAIN_PROPERTY.get(kind, (f"properties.{kind.rpartition('.')[2].lower()}",
                                          "Value"))
    _property(properties, name, shown, rec.fields.get("label", ""))
    for column, text in rec.fields.items():
        if column not in _NODE_LEFT_OUT and column != MALTEGO_TYPE:
            _property(properties, column, column, text,
                      _property_type(text, columns.get(column, "string")))
    renderer = etree.SubElement(etree.SubElement(node, _q("data"), key="d1"),
                                _m("EntityRenderer"))
    etree.SubElement(renderer, _m("Position"), x=repr(float(rec.x or 0.0)),
                     y=repr(float(rec.y or 0.0)))


def _link(g: etree._Element, rec_id: str, source: str, target: str,
          values: dict[str, object], columns: dict[str, str]) -> None:
    edge = etree.SubElement(g, _q("edge"), id=rec_id, source=source, target=target)
    link = etree.SubElement(etree.SubElement(edge, _q("data"), key="d2"), _m("MaltegoLink"),
                            id=rec_id, type="maltego.link.manual-link")
    properties = etree.SubElement(link, _m("Properties"))
    _property(properties, "maltego.link.manual.type", "Label", str(values.get("label", "")))
    weight = values.get("weight")
    if isinstance(weight, int) and not isinstance(weight, bool):  # Maltego's weight: whole
        _property(properties, "maltego.link.weight", "Weight", str(weight), "int")
    elif weight is not None:  # 0.5 or a text weight: kept under its own name
        _property(properties, "weight", "weight", str(weight),
                  "float" if isinstance(weight, float) else "string")
    for column, value in values.items():
        if column in _EDGE_LEFT_OUT or column == "colour" or \
                (column, value) in (("direction", "forward"), ("strength", "confirmed")):
            continue
        text = "true" if value is True else "false" if value is False else str(value)
        _property(properties, column, column, text,
                  _property_type(text, columns.get(column, "string")))
    etree.SubElement(etree.SubElement(edge, _q("data"), key="d3"), _m("LinkRenderer"))


def _document(graph: Graph) -> bytes:
    root = etree.Element(_q("graphml"), nsmap={None: GRAPHML, "mtg": MTG})
    for key_id, domain, name in (("d0", "node", "MaltegoEntity"), ("d1", "node", None),
                                 ("d2", "edge", "MaltegoLink"), ("d3", "edge", None)):
        attrib = {"for": domain, "id": key_id}
        if name:
            attrib["attr.name"] = name
        else:
            attrib["yfiles.type"] = f"{domain}graphics"
        etree.SubElement(root, _q("key"), attrib=attrib)
    g = etree.SubElement(root, _q("graph"), edgedefault="directed", id="G")
    for rec in graph.nodes:
        _entity(g, rec, graph.node_columns)
    for rec_id, source, target, values in plain_edges(graph):
        _link(g, rec_id, source, target, values, graph.edge_columns)
    return etree.tostring(etree.ElementTree(root), xml_declaration=True, encoding="UTF-8",
                          pretty_print=True)


def write_mtgx(chart: Chart, path: str | os.PathLike[str]) -> None:
    """The chart as a Maltego graph, written atomically (the zip is made in memory)."""
    graph = graph_from_chart(chart)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(GRAPH_MEMBER, _document(graph))
        archive.writestr("Version.properties", VERSION)
    write_bytes(path, buffer.getvalue(), kind="zip")

