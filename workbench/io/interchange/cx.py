"""CX, Cytoscape's and NDEx's exchange format: a JSON list of aspects (``nodes``, ``edges``,
``nodeAttributes``, ``edgeAttributes``, ``cartesianLayout``, ``networkAttributes``...), and
CX2, which puts each node's attributes (``v``) and position beside it.

Nodes keep ``n`` (name) as the label and ``r`` (what the node represents, a database id) as
the attribute 'represents'; an edge's ``i`` (interaction) is its label. Attributes are typed
as CX declares them (``double``, ``integer``, ``long``, ``boolean``; lists as JSON text).
Edges read source to target, as Cytoscape draws them, unless an edge attribute ``directed``
says false. Cytoscape's visual properties are drawing and are not read; the network's own
attributes (name, description...) are named in a warning.

Written (``write_cx``): CX 1, the version NDEx serves and Cytoscape imports, with the aspects
``numberVerification``, ``metaData``, ``nodes``, ``edges``, ``nodeAttributes``,
``edgeAttributes``, ``cartesianLayout``, ``networkAttributes`` and ``status``. CX ids are
numbers, so each item's Workbench id rides as the attribute ``id``; a network attribute
``workbench`` marks the file, and ``workbench_chart`` carries the title and the chart's own
types, as in the other plain formats, so the file reads back with its ids and types.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson

from workbench.io.atomic import write_bytes
from workbench.io.interchange.common import InterchangeError, Notes, chart_fields, json_text
from workbench.io.interchange.plain import (
    FIELDS,
    WRITTEN_BY,
    drawing,
    plain_edges,
    plain_nodes,
    put,
    to_chart,
)
from workbench.io.interchange.records import Record, graph_from_chart
from workbench.model import Chart

CX_MARKS = {"numberVerification", "metaData", "CXVersion", "attributeDeclarations"}
_NUMERIC = {"double", "integer", "long"}
# CX's check that a reader keeps 64-bit numbers whole: the largest 48-bit number, as NDEx
# writes it.
NUMBER_VERIFICATION = 281474976710655
_LONG = 2**63


def is_cx(data: Any) -> bool:
    return isinstance(data, list) and any(
        isinstance(item, dict) and CX_MARKS & item.keys() for item in data[:3])


def _aspects(data: list, path: Path) -> dict[str, list[dict]]:
    """Every aspect's elements, in file order (an aspect may come in several fragments)."""
    aspects: dict[str, list[dict]] = {}
    for n, fragment in enumerate(data, 1):
        if not isinstance(fragment, dict):
            raise InterchangeError(f"{path.name}: CX fragment {n} is not an object")
        for name, elements in fragment.items():
            if isinstance(elements, list):
                aspects.setdefault(name, []).extend(e for e in elements if isinstance(e, dict))
    return aspects


def _typed(value: Any, declared: str | None) -> Any:
    """A CX 1 attribute value ("v" is often text whatever "d" says) as its declared type."""
    if isinstance(value, str) and declared in _NUMERIC:
        try:
            return int(value) if declared != "double" else float(value)
        except ValueError:
            return value
    if isinstance(value, str) and declared == "boolean":
        return value.strip().lower() == "true"
    return value


def read_cx(data: list, path: Path, warnings: list[str] | None) -> Chart:
    warnings = warnings if warnings is not None else []
    notes = Notes(path.name)
    aspects = _aspects(data, path)
    node_columns: dict[str, str] = {}
    edge_columns: dict[str, str] = {}
    nodes: dict[str, Record] = {}
    for element in aspects.get("nodes", []):
        node_id = str(element.get("@id", element.get("id", "")))
        if node_id in nodes:
            raise InterchangeError(f"{path.name}: CX node {node_id!r} is listed twice")
        rec = Record(node_id)
        values = dict(element.get("v") or {}) if isinstance(element.get("v"), dict) else {}
        if "n" in element:
            values.setdefault("name", element["n"])
        if element.get("r"):
            values["represents"] = element["r"]
        values["label"] = values.pop("name", node_id)
        for axis in ("x", "y"):  # CX2: the position beside the node
            if axis in element:
                values[axis] = element[axis]
        for name, value in values.items():
            put(rec, node_columns, str(name), value)
        nodes[node_id] = rec
    edges: dict[str, Record] = {}
    for n, element in enumerate(aspects.get("edges", []), 1):
        edge_id = str(element.get("@id", element.get("id", f"edge{n}")))
        rec = Record(edge_id, source=str(element.get("s", "")),
                     target=str(element.get("t", "")), directed=True)
        values = dict(element.get("v") or {}) if isinstance(element.get("v"), dict) else {}
        if element.get("i"):
            values["label"] = element["i"]
        elif "interaction" in values:  # CX2 keeps it among the edge's values
            values["label"] = values.pop("interaction")
        for name, value in values.items():
            put(rec, edge_columns, str(name), value)
        edges[edge_id] = rec
    for aspect, table, columns in (("nodeAttributes", nodes, node_columns),
                                   ("edgeAttributes", edges, edge_columns)):
        for element in aspects.get(aspect, []):
            rec = table.get(str(element.get("po", "")))
            name = element.get("n")
            if rec is not None and isinstance(name, str):
                put(rec, columns, name, _typed(element.get("v"), element.get("d")))
    for element in aspects.get("cartesianLayout", []):
        rec = nodes.get(str(element.get("node", "")))
        if rec is not None:
            for axis in ("x", "y"):
                put(rec, node_columns, axis, element.get(axis))
    for rec in nodes.values():
        drawing(rec, notes, f"node {rec.id[:40]!r}")
    for rec in edges.values():
        if rec.fields.get("directed") == "false":
            rec.directed = False
        drawing(rec, notes, f"edge {rec.id[:40]!r}")
    network = {str(e.get("n")): e.get("v") for e in aspects.get("networkAttributes", [])
               if e.get("n")}
    ours = str(network.get(WRITTEN_BY)) == "1"
    if ours:
        _own_ids(nodes, edges, node_columns, edge_columns)
    elif network:
        warnings.append(f"{path.name}: the network's own attributes were not imported: "
                        f"{', '.join(list(network)[:10])}")
    return to_chart(list(nodes.values()), list(edges.values()), node_columns, edge_columns,
                    path, "CX", warnings, notes, ours, network.get(FIELDS) if ours else None)


def _own_ids(nodes: dict[str, Record], edges: dict[str, Record],
             node_columns: dict[str, str], edge_columns: dict[str, str]) -> None:
    """A CX file Workbench wrote: each item's ``id`` attribute is its Workbench id (CX ids
    are numbers), so the items get their ids back and edges follow their nodes."""
    renamed: dict[str, str] = {}
    for cx_id, rec in nodes.items():
        rec.id = rec.fields.pop("id", cx_id)
        renamed[cx_id] = rec.id
    for rec in edges.values():
        rec.id = rec.fields.pop("id", rec.id)
        rec.source = renamed.get(rec.source, rec.source)
        rec.target = renamed.get(rec.target, rec.target)
    node_columns.pop("id", None)
    edge_columns.pop("id", None)


def _attribute(owner: int, name: str, value: Any) -> dict[str, Any]:
    """One nodeAttributes/edgeAttributes element, typed as CX declares (text needs no
    ``d``; a whole number past 64 bits is written as text, which CX can hold)."""
    element: dict[str, Any] = {"po": owner, "n": name, "v": value}
    if isinstance(value, bool):
        element["d"] = "boolean"
    elif isinstance(value, int):
        if -_LONG <= value < _LONG:
            element["d"] = "long"
        else:
            element["v"] = str(value)
    elif isinstance(value, float):
        element["d"] = "double"
    return element


def write_cx(chart: Chart, path: str | os.PathLike[str]) -> None:
    """The chart as CX 1: a node per entity (``n`` its label), an edge per link (``i`` its
    label, source to target as the arrow points), every column of the GraphML table as a
    typed attribute, positions in ``cartesianLayout``."""
    graph = graph_from_chart(chart)
    nodes: list[dict[str, Any]] = []
    layout: list[dict[str, Any]] = []
    node_attributes: list[dict[str, Any]] = []
    numbers: dict[str, int] = {}
    for number, (rec_id, values) in enumerate(plain_nodes(graph)):
        numbers[rec_id] = number
        nodes.append({"@id": number, "n": values.pop("label", "")})
        layout.append({"node": number, "x": values.pop("x"), "y": values.pop("y")})
        node_attributes += [_attribute(number, name, value)
                            for name, value in {"id": rec_id, **values}.items()]
    edges: list[dict[str, Any]] = []
    edge_attributes: list[dict[str, Any]] = []
    for number, (rec_id, source, target, values) in enumerate(plain_edges(graph), len(nodes)):
        edge: dict[str, Any] = {"@id": number, "s": numbers[source], "t": numbers[target]}
        label = values.pop("label", "")
        if label:
            edge["i"] = label
        edges.append(edge)
        edge_attributes += [_attribute(number, name, value)
                            for name, value in {"id": rec_id, **values}.items()]
    network = [{"n": "name", "v": chart.title}, {"n": WRITTEN_BY, "v": "1"},
               {"n": FIELDS, "v": json_text(chart_fields(chart))}]
    aspects = {"nodes": nodes, "edges": edges, "nodeAttributes": node_attributes,
               "edgeAttributes": edge_attributes, "cartesianLayout": layout,
               "networkAttributes": network}
    last = len(nodes) + len(edges) - 1
    meta = [{"name": name, "version": "1.0", "consistencyGroup": 1,
             "elementCount": len(elements),
             **({"idCounter": max(last, 0)} if name in ("nodes", "edges") else {})}
            for name, elements in aspects.items()]
    document = [{"numberVerification": [{"longNumber": NUMBER_VERIFICATION}]},
                {"metaData": meta}, *({name: elements} for name, elements in aspects.items()
                                      if elements),
                {"status": [{"error": "", "success": True}]}]
    write_bytes(path, orjson.dumps(document, option=orjson.OPT_INDENT_2))
