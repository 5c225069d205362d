"""GML (Gephi, igraph, yEd, networkx), Pajek ``.net`` and Graphviz DOT, through the libraries
that know them: networkx for GML, igraph for Pajek (it reads the bare ``*vertices 34`` files
that networkx refuses), pydot for DOT.

These formats hold a node's id, label, position and loose key/value pairs; every pair that is
not a position, size or colour becomes an attribute, an edge's ``weight`` the link attribute
``weight``. Conventions that differ from Workbench's, documented in docs/interchange.md:
Pajek positions run from 0 to 1 (scaled by 1,000), Graphviz's y axis points up (flipped).
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.io.atomic import atomic_path
from workbench.io.interchange.common import (
    MAX_BYTES,
    InterchangeError,
    Notes,
    chart_fields,
    json_text,
)
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

if TYPE_CHECKING:  # imported where used: the window imports this package at start
    import networkx as nx
    import pydot

    from workbench.io.interchange.dotread import Progress

PAJEK_SCALE = 1000.0  # Pajek positions are fractions of the drawing
# Pajek drawing fields igraph reports for every edge, its defaults included: kept only where
# the file gives them different values (otherwise they say nothing about the data).
_PAJEK_DRAWING = {"hook1", "hook2", "edgewidth", "arrowsize", "angle1", "velocity1", "angle2",
                  "velocity2", "arrowpos", "labelcolor", "fontsize", "labelangle", "labelpos",
                  "labeldegree", "labelangle2", "linepattern", "xfact", "yfact", "shape"}
_GML_KEY = re.compile(r"[^0-9A-Za-z_]")
_DOT_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _text(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InterchangeError(f"{path.name}: implausibly large ({path.stat().st_size:,} "
                                   "bytes)")
        return path.read_text(encoding="utf-8-sig", errors="replace")
    except FileNotFoundError:
        raise InterchangeError(f"{path}: no such file") from None
    except OSError as exc:
        raise InterchangeError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None


def _from_networkx(g: nx.Graph, path: Path, fmt: str, notes: Notes,
                   warnings: list[str] | None, label_keys: tuple[str, ...] = ("label",),
                   flip_y: bool = False, own_types: bool = False, fields: Any = None) -> Chart:
    node_columns: dict[str, str] = {}
    edge_columns: dict[str, str] = {}
    nodes: list[Record] = []
    for node, values in g.nodes(data=True):
        rec = record(str(node), values, node_columns)
        for key in label_keys:  # the label a tool gives, in the order it is meant
            if key != "label" and rec.fields.get(key):
                if "label" in rec.fields:  # networkx writes its node key as the GML label
                    rec.fields[f"label ({fmt})"] = rec.fields["label"]
                    node_columns[f"label ({fmt})"] = "string"
                rec.fields["label"] = rec.fields.pop(key)
                break
        drawing(rec, notes, f"node {str(node)[:40]!r}", flip_y=flip_y)
        nodes.append(rec)
    edges: list[Record] = []
    items = g.edges(data=True, keys=True) if g.is_multigraph() else \
        ((u, v, None, d) for u, v, d in g.edges(data=True))
    for n, (u, v, _key, values) in enumerate(items, 1):
        rec = record(f"edge{n}", values, edge_columns)
        rec.source, rec.target, rec.directed = str(u), str(v), g.is_directed()
        drawing(rec, notes, f"edge {n}")
        edges.append(rec)
    _keys_from_labels(nodes, edges, f"label ({fmt})", node_columns)
    return to_chart(nodes, edges, node_columns, edge_columns, path, fmt, warnings, notes,
                    own_types, fields)


def _keys_from_labels(nodes: list[Record], edges: list[Record], column: str,
                      columns: dict[str, str]) -> None:
    """GML written by networkx (and by Workbench) keeps each node's key in ``label`` and its
    name in ``name``, the GML ``id`` being a number it made up: when every node has both,
    the key is the node's id, so the ids a script used come back out unchanged."""
    keys = [rec.fields.get(column) for rec in nodes]
    if not nodes or None in keys or len(set(keys)) != len(keys):
        return
    renamed = {rec.id: rec.fields.pop(column) for rec in nodes}
    for rec in nodes:
        rec.id = renamed[rec.id]
    for rec in edges:
        rec.source, rec.target = renamed[rec.source], renamed[rec.target]
    columns.pop(column, None)


def _to_networkx(chart: Chart, key: Any = str) -> nx.MultiGraph:
    """The chart as a networkx multigraph: directed when any link is; a link with no
    direction is kept as end1 -> end2 (its ``direction`` attribute keeps the truth)."""
    import networkx as nx

    graph = graph_from_chart(chart)
    g = nx.MultiDiGraph() if any(e.directed for e in graph.edges) else nx.MultiGraph()
    for rec_id, values in plain_nodes(graph):
        g.add_node(rec_id, **{key(k): v for k, v in values.items()})
    for rec_id, source, target, values in plain_edges(graph):
        g.add_edge(source, target, key=rec_id, **{key(k): v for k, v in values.items()})
    return g


# ----- GML -------------------------------------------------------------------------------------
def read_gml(path: str | os.PathLike[str], warnings: list[str] | None = None) -> Chart:
    """GML: ``label`` (Gephi, yEd, networkx) or igraph's ``name`` gives the label, ``graphics``
    the position and fill colour; duplicate edges need ``multigraph 1`` as GML says."""
    import networkx as nx

    path = Path(path)
    text = _text(path)
    try:
        g = nx.parse_gml(text.splitlines(), label=None)
    except (nx.NetworkXError, ValueError) as exc:
        raise InterchangeError(f"{path.name}: not a GML file Workbench can read ({exc})") \
            from None
    except RecursionError:  # networkx parses nested lists recursively
        raise InterchangeError(f"{path.name}: GML lists nested too deep to read") from None
    return _from_networkx(g, path, "GML", Notes(path.name), warnings, ("name", "label"),
                          own_types=g.graph.get(WRITTEN_BY) == 1, fields=g.graph.get(FIELDS))


def _gml_key(name: str) -> str:
    """GML keys are a letter then letters, digits or '_'."""
    key = _GML_KEY.sub("_", name)
    return key if key[:1].isalpha() else f"k{key}"


def write_gml(chart: Chart, path: str | os.PathLike[str]) -> None:
    """Node ids are the entity ids (networkx writes them as GML ``label``), the entity's label
    is ``name`` (as igraph writes it)."""
    import networkx as nx

    g = _to_networkx(chart, _gml_key)
    g.graph[WRITTEN_BY] = 1
    g.graph[FIELDS] = json_text(chart_fields(chart))
    for _node, values in g.nodes(data=True):
        if values.get("label"):
            values["name"] = values.pop("label")
        values["graphics"] = {"x": values.pop("x"), "y": values.pop("y")}
    with atomic_path(path) as tmp:
        nx.write_gml(g, tmp)


# ----- Pajek -----------------------------------------------------------------------------------
def read_pajek(path: str | os.PathLike[str], warnings: list[str] | None = None) -> Chart:
    import igraph

    path = Path(path)
    _text(path)  # the same size and existence checks as the other formats
    try:
        g = igraph.Graph.Read_Pajek(str(path))
    except (igraph.InternalError, OSError, ValueError) as exc:
        raise InterchangeError(f"{path.name}: not a Pajek file Workbench can read "
                               f"({str(exc).splitlines()[0] if str(exc) else exc})") from None
    notes = Notes(path.name)
    node_columns: dict[str, str] = {}
    edge_columns: dict[str, str] = {}
    constant = {a for a in g.es.attributes() if a in _PAJEK_DRAWING and len(set(g.es[a])) <= 1}
    constant |= {a for a in g.vs.attributes() if a in _PAJEK_DRAWING and len(set(g.vs[a])) <= 1}
    nodes: list[Record] = []
    for v in g.vs:
        values = {k: val for k, val in v.attributes().items() if k not in constant}
        if "name" in values:
            values["label"] = values.pop("name")
        rec = record(str(v.index + 1), values, node_columns)
        drawing(rec, notes, f"vertex {v.index + 1}", scale=PAJEK_SCALE)
        nodes.append(rec)
    edges: list[Record] = []
    for e in g.es:
        values = {k: val for k, val in e.attributes().items() if k not in constant}
        if "color" in values:  # Pajek's colour names (Blue, OliveGreen), not '#rrggbb'
            values["Pajek colour"] = values.pop("color")
        rec = record(f"edge{e.index + 1}", values, edge_columns)
        rec.source, rec.target = str(e.source + 1), str(e.target + 1)
        rec.directed = g.is_directed()
        edges.append(rec)
    return to_chart(nodes, edges, node_columns, edge_columns, path, "Pajek", warnings, notes)


def write_pajek(chart: Chart, path: str | os.PathLike[str]) -> None:
    """Vertices by label (with the id added where two share one), positions scaled into
    0..1, edges with their ``weight`` (1 when the link has none) and label. Pajek holds
    nothing else: types, attributes, dates and sources are lost."""
    import igraph

    graph = graph_from_chart(chart)
    g = igraph.Graph(directed=any(e.directed for e in graph.edges))
    nodes = list(plain_nodes(graph))
    # Pajek labels sit in double quotes with no escape: a quote inside becomes ' (igraph
    # would write &#34;, which Pajek shows as it stands).
    labels = [str(v.get("label") or rec_id).replace('"', "'") for rec_id, v in nodes]
    seen: dict[str, int] = {}
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
    xs = [v["x"] for _, v in nodes]
    ys = [v["y"] for _, v in nodes]
    left, top = min(xs, default=0.0), min(ys, default=0.0)
    span = max(max(xs, default=0.0) - left, max(ys, default=0.0) - top) or 1.0
    g.add_vertices(len(nodes))
    g.vs["name"] = [lab if seen[lab] == 1 else f"{lab} [{rec_id}]"
                    for lab, (rec_id, _) in zip(labels, nodes, strict=True)]
    g.vs["x"] = [(x - left) / span for x in xs]
    g.vs["y"] = [(y - top) / span for y in ys]
    index = {rec_id: n for n, (rec_id, _) in enumerate(nodes)}
    pairs, weights, names = [], [], []
    for _id, source, target, values in plain_edges(graph):
        pairs.append((index[source], index[target]))
        weight = values.get("weight")
        weights.append(float(weight) if isinstance(weight, int | float) else 1.0)
        names.append(str(values.get("label", "")))
    g.add_edges(pairs)
    g.es["weight"] = weights
    if any(names):
        g.es["label"] = names
    with atomic_path(path) as tmp:
        g.write_pajek(tmp)


# ----- DOT -------------------------------------------------------------------------------------
def _unquote(value: Any) -> Any:
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace('\\"', '"')
    return value


def _unquote_all(values: dict[str, Any]) -> None:
    """Names and values without DOT's quotes (a name with a space is quoted)."""
    items = [(_unquote(k), _unquote(v)) for k, v in values.items()]
    values.clear()
    values.update(items)


def read_dot(path: str | os.PathLike[str], warnings: list[str] | None = None,
             progress: Progress | None = None) -> Chart:
    """DOT: ``label`` gives the label, ``pos`` ("x,y", points, y up) the position,
    ``weight`` the link's weight; other attributes are kept (without DOT's quotes). Read in
    pieces (dotread.py): ``progress(characters read, of)`` is called as it goes."""
    import networkx as nx

    from workbench.io.interchange.dotread import read_dot_graph  # pydot: when DOT is read

    path = Path(path)
    warnings = warnings if warnings is not None else []
    g, attributes = read_dot_graph(_text(path), path, warnings, progress, _clusters)
    for _node, values in g.nodes(data=True):
        _unquote_all(values)
        pos = values.pop("pos", None)
        if isinstance(pos, str) and "," in pos:
            x, _, y = pos.rstrip("!").partition(",")
            values["x"], values["y"] = x, y.split(",")[0]
    for *_ends, values in g.edges(data=True):
        _unquote_all(values)
        if "weight" in values:  # DOT has no numbers; one that does not parse stays text
            with contextlib.suppress(ValueError):
                values["weight"] = float(values["weight"])
    return _from_networkx(nx.MultiDiGraph(g) if g.is_directed() else nx.MultiGraph(g), path,
                          "DOT", Notes(path.name), warnings, flip_y=True,
                          own_types=_unquote(attributes.get(WRITTEN_BY)) == "1",
                          fields=_unquote(attributes.get(FIELDS)))


def _clusters(parent: pydot.Graph, g: nx.Graph) -> None:
    """Nodes declared inside a subgraph (Graphviz clusters): the nodes themselves where no
    edge names them, and their attributes, which networkx leaves behind; the subgraph's name
    is the attribute ``subgraph`` (innermost wins)."""
    for sub in parent.get_subgraphs():
        name = _unquote(sub.get_name())
        for node in sub.get_nodes():
            key = _unquote(node.get_name())
            if key in ("node", "edge", "graph"):  # default attributes, not nodes
                continue
            if key not in g:
                g.add_node(key)
            g.nodes[key].update(node.get_attributes())
            g.nodes[key]["subgraph"] = name
        _clusters(sub, g)


def _dot_key(name: str) -> str:
    """An attribute name as DOT can hold it: quoted unless it is a plain identifier (pydot
    writes names as they are, and 'first seen=...' is not DOT)."""
    if _DOT_ID.fullmatch(name):
        return name
    return '"' + name.replace('"', '\\"') + '"'


def write_dot(chart: Chart, path: str | os.PathLike[str]) -> None:
    """Entity ids as node names, labels as ``label``, positions as ``pos`` (y flipped, as
    Graphviz draws upwards), colours as ``color``."""
    import networkx as nx

    g = _to_networkx(chart, _dot_key)
    for _node, values in g.nodes(data=True):
        values["pos"] = f"{values.pop('x')!r},{-values.pop('y')!r}"
        if "colour" in values:
            values["color"] = values.pop("colour")
    for *_ends, values in g.edges(data=True):
        if "colour" in values:
            values["color"] = values.pop("colour")
    dot = nx.nx_pydot.to_pydot(g)
    dot.set(WRITTEN_BY, "1")
    dot.set(FIELDS, '"' + json_text(chart_fields(chart)).replace('"', '\\"') + '"')
    with atomic_path(path) as tmp:
        Path(tmp).write_text(dot.to_string(), encoding="utf-8")
