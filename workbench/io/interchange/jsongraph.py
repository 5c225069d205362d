"""Graphs as JSON: node-link (D3, networkx ``node_link_data``) and Cytoscape.js (the
``elements`` that Cytoscape desktop exports as .cyjs and web pages feed to cytoscape.js).

Which of the two a ``.json`` file is, is decided by its content. Node-link: ``nodes`` with an
``id`` (or none: D3's old examples refer to nodes by their place in the list) and ``links`` or
``edges`` with ``source``/``target``; D3's ``value`` is its link weight. Cytoscape.js: every
element has ``data`` (``id``, and ``source``/``target`` for edges) and nodes a ``position``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson

from workbench.io.atomic import atomic_path
from workbench.io.interchange.common import MAX_BYTES, InterchangeError, Notes, chart_fields
from workbench.io.interchange.cx import is_cx, read_cx
from workbench.io.interchange.plain import (
    FIELDS,
    WRITTEN_BY,
    drawing,
    plain_edges,
    plain_nodes,
    record,
    to_chart,
)
from workbench.io.interchange.records import Record, graph_from_chart
from workbench.model import Chart


def _load(path: Path) -> Any:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InterchangeError(f"{path.name}: implausibly large ({size:,} bytes)")
        return orjson.loads(path.read_bytes().removeprefix(b"\xef\xbb\xbf"))
    except FileNotFoundError:
        raise InterchangeError(f"{path}: no such file") from None
    except OSError as exc:
        raise InterchangeError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
    except orjson.JSONDecodeError as exc:
        raise InterchangeError(f"{path.name}: not valid JSON ({exc})") from None


def _cytoscape_elements(data: Any) -> list[dict] | None:
    """The element list of a Cytoscape.js document, or None when it is not one."""
    elements = data.get("elements") if isinstance(data, dict) else data
    if isinstance(elements, dict):
        elements = [*elements.get("nodes", []), *elements.get("edges", [])]
    if isinstance(elements, list) and elements and all(
            isinstance(e, dict) and isinstance(e.get("data"), dict) for e in elements):
        return elements
    return None


def read_json_graph(path: str | os.PathLike[str], warnings: list[str] | None = None) -> Chart:
    """A node-link, Cytoscape.js or CX JSON file, told apart by content."""
    path = Path(path)
    data = _load(path)
    if is_cx(data):
        return read_cx(data, path, warnings)
    elements = _cytoscape_elements(data)
    if elements is not None:
        ours = isinstance(data, dict) and data.get("generated_by") == WRITTEN_BY
        about = data.get("data") if isinstance(data, dict) else None
        return _read_cytoscape(elements, path, warnings, ours,
                               about.get(FIELDS) if isinstance(about, dict) else None)
    if isinstance(data, dict) and isinstance(data.get("nodes"), list):
        return _read_node_link(data, path, warnings)
    raise InterchangeError(f"{path.name}: JSON, but not a graph Workbench reads (looked for "
                           "node-link 'nodes' and 'links'/'edges', or Cytoscape.js 'elements' "
                           "with 'data')")


def _read_node_link(data: dict, path: Path, warnings: list[str] | None) -> Chart:
    notes = Notes(path.name)
    node_columns: dict[str, str] = {}
    edge_columns: dict[str, str] = {}
    nodes: list[Record] = []
    for n, item in enumerate(data["nodes"]):
        if not isinstance(item, dict):
            raise InterchangeError(f"{path.name}: node {n + 1} is not an object")
        values = dict(item)
        node_id = values.pop("id", n)  # D3 v3 examples: nodes known by their place
        if "name" in values and "label" not in values:
            values["label"] = values.pop("name")
        rec = record(str(node_id), values, node_columns)
        drawing(rec, notes, f"node {str(node_id)[:40]!r}")
        nodes.append(rec)
    ids = [rec.id for rec in nodes]
    links = data.get("links", data.get("edges", []))
    if not isinstance(links, list):
        raise InterchangeError(f"{path.name}: 'links' is not a list")
    edges: list[Record] = []
    for n, item in enumerate(links, 1):
        if not isinstance(item, dict):
            raise InterchangeError(f"{path.name}: link {n} is not an object")
        values = dict(item)
        ends = [_end(values.pop(k, None), ids) for k in ("source", "target")]
        values.pop("key", None)  # networkx's multigraph key: a link's place, not data
        if "value" in values and "weight" not in values:
            values["weight"] = values.pop("value")  # D3's name for a link's weight
        rec = record(str(values.pop("id", f"edge{n}")), values, edge_columns)
        rec.source, rec.target = ends
        rec.directed = bool(data.get("directed", False))
        drawing(rec, notes, f"link {n}")
        edges.append(rec)
    graph = data.get("graph") if isinstance(data.get("graph"), dict) else {}
    return to_chart(nodes, edges, node_columns, edge_columns, path, "node-link JSON",
                    warnings, notes, graph.get(WRITTEN_BY) == 1, graph.get(FIELDS))


def _end(value: Any, ids: list[str]) -> str:
    """A link end: a node id, a D3 node object, or (D3 v3) a node's index in the list."""
    if isinstance(value, dict):
        value = value.get("id", value.get("index"))
    if isinstance(value, int) and not isinstance(value, bool) and str(value) not in ids \
            and 0 <= value < len(ids):
        return ids[value]
    return str(value)


def _read_cytoscape(elements: list[dict], path: Path, warnings: list[str] | None,
                    ours: bool, fields: Any) -> Chart:
    notes = Notes(path.name)
    node_columns: dict[str, str] = {}
    edge_columns: dict[str, str] = {}
    nodes: list[Record] = []
    edges: list[Record] = []
    for n, element in enumerate(elements, 1):
        values = dict(element["data"])
        is_edge = element.get("group") == "edges" or ("source" in values and
                                                      "target" in values)
        element_id = values.pop("id", None)
        if "name" in values and "label" not in values:
            values["label"] = values.pop("name")
        for extra in ("classes", "parent"):  # compound parents and style classes: kept
            if element.get(extra):
                values[extra] = element[extra]
        if is_edge:
            source, target = str(values.pop("source")), str(values.pop("target"))
            rec = record(str(element_id or f"edge{n}"), values, edge_columns)
            rec.source, rec.target = source, target
            rec.directed = True  # cytoscape.js draws every edge from source to target
            drawing(rec, notes, f"element {n}")
            edges.append(rec)
        else:
            if element_id is None:
                raise InterchangeError(f"{path.name}: element {n} is a node without an id")
            position = element.get("position")
            if isinstance(position, dict):
                values.setdefault("x", position.get("x"))
                values.setdefault("y", position.get("y"))
            rec = record(str(element_id), values, node_columns)
            drawing(rec, notes, f"node {str(element_id)[:40]!r}")
            nodes.append(rec)
    return to_chart(nodes, edges, node_columns, edge_columns, path, "Cytoscape.js JSON",
                    warnings, notes, ours, fields)


def _write(document: Any, path: str | os.PathLike[str]) -> None:
    with atomic_path(path) as tmp:
        Path(tmp).write_bytes(orjson.dumps(document, option=orjson.OPT_INDENT_2))


def write_node_link(chart: Chart, path: str | os.PathLike[str]) -> None:
    """networkx's ``node_link_data`` layout with D3's ``links`` key, which both read;
    ``directed`` when any link is (the ``direction`` attribute keeps each link's)."""
    graph = graph_from_chart(chart)
    nodes = [{"id": rec_id, **values} for rec_id, values in plain_nodes(graph)]
    links = [{"id": rec_id, "source": s, "target": t, **values}
             for rec_id, s, t, values in plain_edges(graph)]
    _write({"directed": any(e.directed for e in graph.edges), "multigraph": True,
            "graph": {"name": chart.title, WRITTEN_BY: 1, FIELDS: chart_fields(chart)},
            "nodes": nodes, "links": links}, path)


def write_cytoscape(chart: Chart, path: str | os.PathLike[str]) -> None:
    """The .cyjs document Cytoscape desktop exports and cytoscape.js loads: ``data`` per
    element, ``position`` per node."""
    graph = graph_from_chart(chart)
    nodes = []
    for rec_id, values in plain_nodes(graph):
        position = {"x": values.pop("x"), "y": values.pop("y")}
        nodes.append({"data": {"id": rec_id, **values}, "position": position})
    edges = [{"data": {"id": rec_id, "source": s, "target": t, **values}}
             for rec_id, s, t, values in plain_edges(graph)]
    _write({"format_version": "1.0", "generated_by": WRITTEN_BY,
            "target_cytoscapejs_version": "~2.1",
            "data": {"name": chart.title, FIELDS: chart_fields(chart)},
            "elements": {"nodes": nodes, "edges": edges}}, path)
