"""CX, Cytoscape's and NDEx's exchange format: a JSON list of aspects (``nodes``, ``edges``,
``nodeAttributes``, ``edgeAttributes``, ``cartesianLayout``, ``networkAttributes``...), and
CX2, which puts each node's attributes (``v``) and position beside it.

Nodes keep ``n`` (name) as the label and ``r`` (what the node represents, a database id) as
the attribute 'represents'; an edge's ``i`` (interaction) is its label. Attributes are typed
as CX declares them (``double``, ``integer``, ``long``, ``boolean``; lists as JSON text).
Edges read source to target, as Cytoscape draws them, unless an edge attribute ``directed``
says false. Cytoscape's visual properties are drawing and are not read; the network's own
attributes (name, description...) are named in a warning.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workbench.io.interchange.common import InterchangeError, Notes
from workbench.io.interchange.plain import drawing, put, to_chart
from workbench.io.interchange.records import Record
from workbench.model import Chart

CX_MARKS = {"numberVerification", "metaData", "CXVersion", "attributeDeclarations"}
_NUMERIC = {"double", "integer", "long"}


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
    network = [e.get("n") for e in aspects.get("networkAttributes", []) if e.get("n")]
    if network:
        warnings.append(f"{path.name}: the network's own attributes were not imported: "
                        f"{', '.join(str(n) for n in network[:10])}")
    return to_chart(list(nodes.values()), list(edges.values()), node_columns, edge_columns,
                    path, "CX", warnings, notes)
