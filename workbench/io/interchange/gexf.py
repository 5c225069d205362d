"""GEXF 1.3 (Gephi's own format) import and export.

Written as GEXF 1.3 in the namespace Gephi's exporter and networkx write, ``http://gexf.net/1.3``
(the grammar published at gexf.net/1.3; Gephi reads any namespace, networkx only this one for
1.3). Position, colour and size go in the ``viz`` elements Gephi draws from; columns are GEXF
attributes. Workbench's chart metadata (types, attribute kinds, settings) travels in
``<?workbench-chart N/M ...?>`` processing instructions, as in ANX, because the 1.3 grammar
closes ``<meta>`` to creator, keywords and description: every validating tool accepts the
file, and Gephi and networkx skip the instructions. Files of GEXF 1.0 to 1.3 are read (the
namespaces differ, the shape not), and Workbench's older GEXF 1.2 exports, whose metadata is
a ``<wb:chart>`` element inside ``<meta>``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from workbench.io.interchange.anx_format import PI_TARGET, join_pi_parts, pi_parts
from workbench.io.interchange.common import (
    WB_NS,
    InterchangeError,
    Notes,
    colour_field,
    hex_to_rgb,
    local,
    parse_xml,
    rgb_to_hex,
    write_tree,
    xml_safe,
)
from workbench.io.interchange.records import (
    Graph,
    Record,
    chart_from_graph,
    graph_from_chart,
)
from workbench.model import Chart, Direction

# The namespaces Gephi's exporter writes (its own tests expect them) and networkx reads.
NS = "http://gexf.net/1.3"
VIZ = "http://gexf.net/1.3/viz"


def write_gexf(chart: Chart, path: str | os.PathLike[str]) -> None:
    from workbench import __version__

    graph = graph_from_chart(chart)
    root = etree.Element(f"{{{NS}}}gexf", nsmap={None: NS, "viz": VIZ}, version="1.3")
    for part in pi_parts(graph.meta or ""):
        root.append(etree.ProcessingInstruction(PI_TARGET, part))
    meta = etree.SubElement(root, f"{{{NS}}}meta",
                            lastmodifieddate=chart.modified.date().isoformat())
    etree.SubElement(meta, f"{{{NS}}}creator").text = f"Workbench {__version__}"
    etree.SubElement(meta, f"{{{NS}}}description").text = xml_safe(chart.title)
    directed = any(e.directed for e in graph.edges)
    g = etree.SubElement(root, f"{{{NS}}}graph", mode="static",
                         defaultedgetype="directed" if directed else "undirected")
    ids: dict[tuple[str, str], str] = {}
    for domain, columns in (("node", graph.node_columns), ("edge", graph.edge_columns)):
        # No mode="static" (the default): one of the two 1.3 grammars published lacks it.
        attributes = etree.SubElement(g, f"{{{NS}}}attributes", attrib={"class": domain})
        for n, (name, type_) in enumerate(columns.items()):
            if name == "label" or (domain, name, type_) == ("edge", "weight", "double"):
                continue  # labels and edge weights are XML attributes in GEXF
            ids[(domain, name)] = f"{domain[0]}{n}"
            etree.SubElement(attributes, f"{{{NS}}}attribute", id=ids[(domain, name)],
                             title=name, type=type_)
    nodes = etree.SubElement(g, f"{{{NS}}}nodes")
    for rec in graph.nodes:
        node = etree.SubElement(nodes, f"{{{NS}}}node", id=rec.id,
                                label=rec.fields.get("label", ""))
        _attvalues(node, rec, "node", ids)
        if rec.size is not None:
            etree.SubElement(node, f"{{{VIZ}}}size", value=repr(rec.size))
        etree.SubElement(node, f"{{{VIZ}}}position", x=repr(float(rec.x or 0.0)),
                         y=repr(float(rec.y or 0.0)), z="0.0")
        if rec.colour:
            r, gr, b = hex_to_rgb(rec.colour)
            etree.SubElement(node, f"{{{VIZ}}}color", r=str(r), g=str(gr), b=str(b))
    edges = etree.SubElement(g, f"{{{NS}}}edges")
    for rec in graph.edges:
        attrib = {"id": rec.id, "source": rec.source, "target": rec.target}
        if rec.fields.get("label"):
            attrib["label"] = rec.fields["label"]
        if graph.edge_columns.get("weight") == "double" and rec.fields.get("weight"):
            attrib["weight"] = rec.fields["weight"]
        # No per-edge type: networkx refuses mixed graphs; the 'direction' column keeps it.
        edge = etree.SubElement(edges, f"{{{NS}}}edge", attrib=attrib)
        _attvalues(edge, rec, "edge", ids)
        if rec.colour:
            r, gr, b = hex_to_rgb(rec.colour)
            etree.SubElement(edge, f"{{{VIZ}}}color", r=str(r), g=str(gr), b=str(b))
    write_tree(root, path)


def _attvalues(element: etree._Element, rec: Record, domain: str,
               ids: dict[tuple[str, str], str]) -> None:
    values = [(ids[(domain, name)], text) for name, text in rec.fields.items()
              if (domain, name) in ids]
    if values:
        box = etree.SubElement(element, f"{{{NS}}}attvalues")
        for key, text in values:
            etree.SubElement(box, f"{{{NS}}}attvalue", attrib={"for": key, "value": text})


def read_gexf(path: str | os.PathLike[str], warnings: list[str] | None = None) -> Chart:
    """The chart in a GEXF file; values that cannot be used (a NaN position, a colour that is
    not a number) are left out and described in ``warnings``."""
    path = Path(path)
    warnings = warnings if warnings is not None else []
    notes = Notes(path.name)
    root = parse_xml(path, keep_pis=True)
    if local(root.tag) != "gexf":
        raise InterchangeError(f"{path.name}: not a GEXF file (root is <{local(root.tag)}>)")
    meta = _workbench_meta(root, notes)
    graphs = [g for g in root if local(g.tag) == "graph"]
    if not graphs:
        raise InterchangeError(f"{path.name}: holds no <graph>")
    g = graphs[0]
    default_directed = g.get("defaultedgetype", "undirected") == "directed"
    titles: dict[tuple[str, str], tuple[str, str]] = {}  # (class, id) -> (title, type)
    for attributes in g:
        if local(attributes.tag) == "attributes":
            domain = attributes.get("class", "node")
            for a in attributes:
                if local(a.tag) == "attribute":
                    titles[(domain, a.get("id", ""))] = (a.get("title") or a.get("id", ""),
                                                         a.get("type", "string"))
    node_columns = {t: ty for (d, _), (t, ty) in titles.items() if d == "node"}
    edge_columns = {t: ty for (d, _), (t, ty) in titles.items() if d == "edge"}
    nodes: list[Record] = []
    edges: list[Record] = []
    def members(parent: etree._Element) -> Iterator[etree._Element]:
        """Nodes and edges, with those nested in a node (GEXF hierarchies), depth first."""
        for box in parent:
            if local(box.tag) in ("nodes", "edges"):
                for element in box:
                    if local(element.tag) in ("node", "edge"):
                        yield element
                        if local(element.tag) == "node":
                            yield from members(element)

    items = list(members(g))
    time = _Time(g.get("timeformat", "double"), meta is None)
    parents: dict[str, str] = {}  # node id -> its parent's id (hierarchy)
    for element in items:
        tag = local(element.tag)
        where = f"line {element.sourceline}"
        rec = Record(element.get("id", ""), line=element.sourceline)
        if element.get("label") is not None:
            rec.fields["label"] = element.get("label", "")
        if tag == "node":
            above = element.getparent().getparent()
            parent = element.get("pid") or (above.get("id") if local(above.tag) == "node"
                                            else None)
            if parent:
                parents[rec.id] = parent
        time.read(element, rec, node_columns if tag == "node" else edge_columns)
        if tag == "edge" and element.get("weight") is not None:
            rec.fields["weight"] = element.get("weight", "")
            edge_columns.setdefault("weight", "double")
        for child in element:
            name = local(child.tag)
            if name == "attvalues":
                for av in child:
                    key = av.get("for") or av.get("id", "")  # GEXF 1.0 says id
                    title = titles.get((tag, key), (key, ""))[0]
                    if title in rec.fields and time.dynamic(av):
                        notes.add("an attribute with values over time keeps its last value",
                                  f"{where}: {title[:40]!r}")
                    rec.fields[title] = av.get("value", "")
            elif name == "position":
                rec.x = notes.number(child.get("x"), "position x", where)
                rec.y = notes.number(child.get("y"), "position y", where)
            elif name == "size":
                rec.size = notes.number(child.get("value"), "size", where)
            elif name == "color":
                if child.get("hex"):
                    rec.fields["colour"] = child.get("hex", "")
                    rec.colour = colour_field(rec.fields)
                    del rec.fields["colour"]
                    if rec.colour is None:
                        notes.add("a colour is not '#rrggbb'; the type's colour used",
                                  f"{where}: {child.get('hex', '')[:40]!r}")
                else:
                    channels = [notes.number(child.get(c, "0"), f"colour channel {c}", where)
                                for c in "rgb"]
                    rec.colour = rgb_to_hex(*channels) if None not in channels else None
        if tag == "node":
            if not rec.id:
                raise InterchangeError(f"{path.name}, {where}: a node has no id")
            nodes.append(rec)
        else:
            rec.source, rec.target = element.get("source", ""), element.get("target", "")
            kind = element.get("type") or g.get("defaultedgetype")
            rec.directed = default_directed if kind is None else kind != "undirected"
            if kind == "mutual":  # both ways at once
                rec.arrow = Direction.BOTH
            if not rec.id:
                rec.id = f"edge{len(edges) + 1}"
            edges.append(rec)
    if parents and meta is None:
        _groups(nodes, parents, node_columns, path.name, warnings)
    time.flush(path.name, warnings)
    return chart_from_graph(Graph(nodes, edges, node_columns, edge_columns, meta), path, "GEXF",
                            warnings, notes)


def _workbench_meta(root: etree._Element, notes: Notes) -> str | None:
    """The chart metadata of a file Workbench wrote: its processing instructions (GEXF 1.3
    exports), or the ``<wb:chart>`` element in ``<meta>`` (GEXF 1.2 exports before them);
    None for another tool's file, or with a note when parts are missing (a hand-edited file,
    then read as another tool's)."""
    parts = [node.text or "" for node in root
             if isinstance(node, etree._ProcessingInstruction) and node.target == PI_TARGET]
    if parts:
        text = join_pi_parts(parts)
        if text is None:
            notes.add("the Workbench fields are missing parts; read as another tool's file",
                      f"{len(parts)} part(s)")
        return text
    for meta in root:
        if local(meta.tag) == "meta":
            for element in meta:
                if element.tag == f"{{{WB_NS}}}chart":
                    return element.text or ""
    return None


def _groups(nodes: list[Record], parents: dict[str, str], columns: dict[str, str],
            name: str, warnings: list[str]) -> None:
    """A GEXF hierarchy (nested nodes or ``pid``): each child keeps its parent's label as the
    attribute 'group'; the parent is an entity too."""
    labels = {rec.id: rec.fields.get("label") or rec.id for rec in nodes}
    for rec in nodes:
        if rec.id in parents:
            column = "group" if "group" not in rec.fields else "group (GEXF)"
            rec.fields[column] = labels.get(parents[rec.id], parents[rec.id])
            columns.setdefault(column, "string")
    warnings.append(f"{name}: {len(parents)} node(s) of a hierarchy keep their parent's label "
                    "as the attribute 'group' (the parent is an entity too)")


_DATE_FORMATS = frozenset({"date", "datetime", "xsd:date", "xsd:datetime"})


class _Time:
    """GEXF time data (``start``/``end`` or ``timestamp`` on an item, ``<spells>``) as the
    attributes 'start' and 'end': dates where the graph's ``timeformat`` is a date, numbers
    otherwise. An item alive in several spells keeps its first start and last end, and every
    spell as the text attribute 'spells'; the summary says how many were simplified."""

    def __init__(self, timeformat: str, foreign: bool) -> None:
        self.type = "datetime" if timeformat.lower() in _DATE_FORMATS else "double"
        self.foreign = foreign
        self.timed = 0
        self.several = 0

    @staticmethod
    def dynamic(element: etree._Element) -> bool:
        return any(element.get(k) is not None for k in ("start", "end", "timestamp"))

    def read(self, element: etree._Element, rec: Record, columns: dict[str, str]) -> None:
        if not self.foreign:
            return
        periods = [(s.get("start") or s.get("startopen") or s.get("timestamp"),
                    s.get("end") or s.get("endopen") or s.get("timestamp"))
                   for box in element if local(box.tag) == "spells"
                   for s in box if local(s.tag) == "spell"]
        own = (element.get("start") or element.get("startopen") or element.get("timestamp"),
               element.get("end") or element.get("endopen") or element.get("timestamp"))
        if own != (None, None):
            periods.insert(0, own)
        if not periods:
            return
        self.timed += 1
        starts = [s for s, _ in periods if s]
        ends = [e for _, e in periods if e]
        for column, values in (("start", starts), ("end", ends)):
            if values and column not in rec.fields:
                rec.fields[column] = min(values, key=_order) if column == "start" else \
                    max(values, key=_order)
                columns.setdefault(column, self.type)
        if len(periods) > 1 and "spells" not in rec.fields:
            self.several += 1
            rec.fields["spells"] = "; ".join(f"{s or ''} to {e or ''}" for s, e in periods)
            columns.setdefault("spells", "string")

    def flush(self, name: str, warnings: list[str]) -> None:
        if self.timed:
            several = (f"; {self.several} alive in several spells keep the first start, the "
                       "last end and every spell as the text 'spells'" if self.several else "")
            warnings.append(f"{name}: time data of {self.timed} item(s) kept as the attributes "
                            f"'start'/'end'{several}")


def _order(text: str) -> tuple[int, float | str]:
    """Spell bounds compared as numbers where they are, else as ISO text (which sorts)."""
    try:
        return 0, float(text)
    except ValueError:
        return 1, text
