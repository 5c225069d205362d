"""GraphML (Gephi, Cytoscape, yEd, networkx) import and export.

Drawing fields use the column names Gephi reads: ``x``, ``y``, ``size`` and ``r``/``g``/``b``
(0-255). Workbench's chart metadata rides in one graph-level ``<data>`` element that other tools
keep as a graph attribute or ignore. Positions are copied as they are (no axis flip).

GraphML's schema makes a column's ``attr.name`` an XML name token (letters, digits, ``.``,
``-``, ``_``, ``:``), so an attribute named ``first seen`` is written ``first_seen``; the
chart metadata maps each such column back to the attribute's own name, so Workbench reads
its files back unchanged (tests/io/test_interchange_schema.py validates them).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import orjson
from lxml import etree

from workbench.io.interchange.common import (
    InterchangeError,
    Notes,
    colour_field,
    hex_to_rgb,
    json_text,
    local,
    parse_xml,
    rgb_to_hex,
    write_tree,
)
from workbench.io.interchange.records import (
    Graph,
    Record,
    chart_from_graph,
    graph_from_chart,
)
from workbench.model import Chart, Direction

NS = "http://graphml.graphdrawing.org/xmlns"
META_KEY = "workbench_chart"
YED_ARROWS = {(False, False): Direction.NONE, (False, True): Direction.FORWARD,
              (True, False): Direction.REVERSE, (True, True): Direction.BOTH}
_DRAWING_KEYS = {"x": "double", "y": "double", "size": "double", "r": "int", "g": "int",
                 "b": "int"}


_NOT_NAME_CHAR = re.compile(r"[^\w.\-:]")


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _name_tokens(graph: Graph) -> dict[str, dict[str, str]]:
    """Per domain, column -> the name token written as its ``attr.name`` (only columns that
    are not one already), never two columns of a domain on one token. The chart metadata's
    attribute kinds are re-keyed to the tokens, so reading maps each back to its attribute."""
    tokens: dict[str, dict[str, str]] = {}
    for domain, columns in (("node", graph.node_columns), ("edge", graph.edge_columns)):
        taken = {c for c in columns if not _NOT_NAME_CHAR.search(c)}
        names = tokens[domain] = {}
        for column in columns:
            if column in taken:
                continue
            token = _NOT_NAME_CHAR.sub("_", column) or "_"
            base, number = token, 2
            while token in taken:
                token, number = f"{base}_{number}", number + 1
            taken.add(token)
            names[column] = token
    if any(tokens.values()) and graph.meta is not None:
        meta = orjson.loads(graph.meta)
        for domain, names in tokens.items():
            kinds = meta["kinds"][domain]
            meta["kinds"][domain] = {names.get(k, k): v for k, v in kinds.items()}
        graph.meta = json_text(meta)
    return tokens


def write_graphml(chart: Chart, path: str | os.PathLike[str]) -> None:
    graph = graph_from_chart(chart)
    tokens = _name_tokens(graph)
    root = etree.Element(_q("graphml"), nsmap={None: NS})
    keys: dict[tuple[str, str], str] = {}

    def key(domain: str, name: str, type_: str) -> str:
        if (domain, name) not in keys:
            key_id = f"{domain[0]}{len(keys)}"
            keys[(domain, name)] = key_id
            etree.SubElement(root, _q("key"), id=key_id, attrib={
                "for": domain, "attr.name": tokens.get(domain, {}).get(name, name),
                "attr.type": type_})
        return keys[(domain, name)]

    key("graph", META_KEY, "string")
    for name, type_ in {**_DRAWING_KEYS, **graph.node_columns}.items():
        key("node", name, "int" if type_ == "int" else _graphml_type(type_))
    for name, type_ in {"r": "int", "g": "int", "b": "int", **graph.edge_columns}.items():
        key("edge", name, "int" if type_ == "int" else _graphml_type(type_))
    directed = any(e.directed for e in graph.edges)
    g = etree.SubElement(root, _q("graph"), id="G",
                         edgedefault="directed" if directed else "undirected")
    etree.SubElement(g, _q("data"), key=keys[("graph", META_KEY)]).text = graph.meta

    def data(parent: etree._Element, domain: str, name: str, text: str) -> None:
        etree.SubElement(parent, _q("data"), key=keys[(domain, name)]).text = text

    for rec in graph.nodes:
        node = etree.SubElement(g, _q("node"), id=rec.id)
        data(node, "node", "x", repr(float(rec.x or 0.0)))
        data(node, "node", "y", repr(float(rec.y or 0.0)))
        if rec.size is not None:
            data(node, "node", "size", repr(rec.size))
        if rec.colour:
            for channel, value in zip("rgb", hex_to_rgb(rec.colour), strict=True):
                data(node, "node", channel, str(value))
        for name, text in rec.fields.items():
            data(node, "node", name, text)
    for rec in graph.edges:
        # No per-edge 'directed' flag: networkx and Cytoscape refuse mixed graphs. The
        # 'direction' column keeps the truth (none, forward, reverse, both).
        attrib = {"id": rec.id, "source": rec.source, "target": rec.target}
        edge = etree.SubElement(g, _q("edge"), attrib=attrib)
        if rec.colour:
            for channel, value in zip("rgb", hex_to_rgb(rec.colour), strict=True):
                data(edge, "edge", channel, str(value))
        for name, text in rec.fields.items():
            data(edge, "edge", name, text)
    write_tree(root, path)


def _graphml_type(type_: str) -> str:
    return {"double": "double", "boolean": "boolean", "long": "long"}.get(type_, "string")


def read_graphml(path: str | os.PathLike[str], warnings: list[str] | None = None) -> Chart:
    """The chart in a GraphML file; what cannot be imported is described in ``warnings``."""
    path = Path(path)
    warnings = warnings if warnings is not None else []
    notes = Notes(path.name)
    root = parse_xml(path)
    if local(root.tag) != "graphml":
        raise InterchangeError(f"{path.name}: not a GraphML file (root is <{local(root.tag)}>)")
    keys: dict[str, tuple[str, str, str]] = {}  # id -> (for, name, type)
    yed: set[str] = set()  # keys holding yEd's drawing (labels, positions, colours)
    for k in root:
        if local(k.tag) == "key":
            name = k.get("attr.name") or k.get("id", "")
            keys[k.get("id", "")] = (k.get("for", "all"), name, k.get("attr.type", "string"))
            if k.get("yfiles.type") in ("nodegraphics", "edgegraphics"):
                yed.add(k.get("id", ""))
    graphs = [g for g in root if local(g.tag) == "graph"]
    if not graphs:
        raise InterchangeError(f"{path.name}: holds no <graph>")
    g = graphs[0]
    directed_default = g.get("edgedefault", "undirected") == "directed"
    meta = None
    node_columns = {name: t for (dom, name, t) in keys.values() if dom in ("node", "all")}
    edge_columns = {name: t for (dom, name, t) in keys.values() if dom in ("edge", "all")}
    nodes: list[Record] = []
    edges: list[Record] = []
    edge_number = 0
    def members(graph: etree._Element) -> Iterator[etree._Element]:
        """Children of a graph and, depth first, of graphs nested in nodes (yEd groups):
        a group's members are entities too, never silently left out."""
        for child in graph:
            yield child
            if local(child.tag) == "node":
                for sub in child:
                    if local(sub.tag) == "graph":
                        yield from members(sub)

    hyperedges = []
    by_element: dict[etree._Element, Record] = {}
    grouped = 0
    for element in members(g):
        tag = local(element.tag)
        if tag == "hyperedge":
            hyperedges.append(str(element.sourceline))
        if tag == "data" and element.getparent() is g:
            if keys.get(element.get("key", ""), ("", "", ""))[1] == META_KEY:
                meta = element.text or ""
        elif tag in ("node", "edge"):
            rec = Record(element.get("id", ""), line=element.sourceline)
            where = f"line {element.sourceline}"
            for d in element:
                if local(d.tag) != "data":
                    continue
                if d.get("key", "") in yed:
                    _yed_graphics(rec, d, where, notes)
                    continue
                name = keys.get(d.get("key", ""), ("", d.get("key", ""), ""))[1]
                # Text exactly as written: a label may be a space or end in a newline.
                rec.fields[name] = (d.text or "") if len(d) == 0 else "".join(d.itertext())
            _drawing(rec, where, notes)
            if tag == "node":
                if not rec.id:
                    raise InterchangeError(f"{path.name}, {where}: a node has no id")
                by_element[element] = rec
                group = by_element.get(element.getparent().getparent())
                if group is not None and meta is None:  # a member of a (yEd) group
                    column = "group" if "group" not in rec.fields else "group (GraphML)"
                    rec.fields[column] = group.fields.get("label") or group.id
                    node_columns.setdefault(column, "string")
                    grouped += 1
                nodes.append(rec)
            else:
                edge_number += 1
                rec.source, rec.target = element.get("source", ""), element.get("target", "")
                flag = element.get("directed")
                rec.directed = directed_default if flag is None else flag == "true"
                if not rec.id:
                    rec.id = f"edge{edge_number}"
                edges.append(rec)
    if grouped:
        warnings.append(f"{path.name}: {grouped} node(s) inside groups keep their group's label "
                        "as the attribute 'group' (the group is an entity too)")
    if hyperedges:
        warnings.append(f"{path.name}: {len(hyperedges)} hyperedge(s) (links among more than two "
                        f"nodes) were not imported, at line(s) {', '.join(hyperedges[:20])}")
    return chart_from_graph(Graph(nodes, edges, node_columns, edge_columns, meta), path,
                            "GraphML", warnings, notes)


def _yed_graphics(rec: Record, data: etree._Element, where: str, notes: Notes) -> None:
    """yEd keeps a node's label, box and fill colour in its own elements (y:ShapeNode with
    y:NodeLabel, y:Geometry, y:Fill); an edge's label in y:EdgeLabel."""
    for element in data.iter():
        name = local(element.tag)
        if name in ("NodeLabel", "EdgeLabel") and "label" not in rec.fields:
            text = "".join(element.itertext()).strip()
            if text:
                rec.fields["label"] = text
        elif name == "Geometry" and rec.x is None:
            x, y, w, h = (notes.number(element.get(k, "0"), f"yEd geometry {k}", where)
                          for k in ("x", "y", "width", "height"))
            if x is not None and y is not None:  # the centre
                rec.fields["x"], rec.fields["y"] = repr(x + (w or 0) / 2), repr(y + (h or 0) / 2)
        elif name == "Fill" and element.get("color") and "colour" not in rec.fields:
            rec.fields["colour"] = element.get("color", "")[:7]
        elif name == "Arrows":  # yEd marks every graph directed; the arrowheads say
            heads = [element.get(end, "none") != "none" for end in ("source", "target")]
            rec.arrow = YED_ARROWS[heads[0], heads[1]]


def _drawing(rec: Record, where: str, notes: Notes) -> None:
    """Position, size and colour; a value that is not a finite number is left out with a
    note (the item is still imported, at 0, 0 or in its type's colour)."""
    f = rec.fields
    rec.x = notes.number(f.get("x"), "position x", where)
    rec.y = notes.number(f.get("y"), "position y", where)
    rec.size = notes.number(f.get("size"), "size", where)
    if all(f.get(c) for c in "rgb"):
        channels = [notes.number(f[c], f"colour channel {c}", where) for c in "rgb"]
        if None not in channels:
            rec.colour = rgb_to_hex(*channels)
    else:
        rec.colour = colour_field(rec.fields)
        text = f.get("colour", f.get("color"))
        if rec.colour is None and text:
            notes.add("a colour is not '#rrggbb'; the type's colour used",
                      f"{where}: {text[:40]!r}")
