"""Plain graph values (text, numbers, flags, nested objects) as the Records of records.py.

GML, Pajek and DOT (read through networkx), node-link and Cytoscape.js JSON and CSV lists all
hand over a node or an edge as a dictionary of ordinary Python values rather than typed XML
columns. This module turns such a dictionary into a Record (a column per value, its type taken
from the value) and a chart's records back into dictionaries of typed values, so each format
module deals only with its own layout of nodes and edges.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

from workbench.io.interchange.common import Notes, colour_field
from workbench.io.interchange.records import (
    DRAWING,
    Graph,
    Record,
    chart_from_graph,
)
from workbench.model import Chart

# Names other tools give a node's position and colour. Sizes are not among them: theirs are
# pixels or radii, Workbench's a multiple of the normal size, so they stay attributes.
X_NAMES = ("x", "graphics.x", "position.x", "pos.x")
Y_NAMES = ("y", "graphics.y", "position.y", "pos.y")
COLOUR_NAMES = ("colour", "color", "graphics.fill", "fillcolor")
DRAWING_DATA = DRAWING - {"x", "y", "colour", "color"}  # read by drawing() or not at all


# The mark Workbench leaves at graph level in the formats without room for its metadata,
# and beside it the chart's title and own types (common.chart_fields).
WRITTEN_BY = "workbench"
FIELDS = "workbench_chart"
MAX_DEPTH = 8  # nested objects flattened this deep; deeper ones are kept as JSON text


def put(rec: Record, columns: dict[str, str], name: str, value: Any, depth: int = 0) -> None:
    """One value of a foreign file as a column of ``rec``; a nested object becomes one column
    per leaf (``graphics.x``). A column holding numbers in one item and text in another is
    declared text, so no value is refused for its neighbours' type."""
    if value is None:
        return
    if isinstance(value, dict) and depth < MAX_DEPTH:
        for key, inner in value.items():
            put(rec, columns, f"{name}.{key}", inner, depth + 1)
        return
    if isinstance(value, bool):
        text, type_ = ("true" if value else "false"), "boolean"
    elif isinstance(value, int):
        text, type_ = str(value), "double"
    elif isinstance(value, float):
        text, type_ = repr(value), "double"  # 'nan'/'inf' are kept as text with a note
    elif isinstance(value, str):
        text, type_ = value, "string"
    else:  # a list or a deep object: kept whole as JSON text rather than dropped
        try:
            text = orjson.dumps(value, default=str).decode()
        except orjson.JSONEncodeError:  # nested past 255 levels: said, in the value's place
            text = "(nested too deep to keep)"
        type_ = "string"
    rec.fields[name] = text
    old = columns.get(name)
    columns[name] = type_ if old in (None, type_) else "string"


def record(rec_id: str, values: dict[str, Any], columns: dict[str, str],
           line: int | None = None) -> Record:
    rec = Record(rec_id, line=line)
    for name, value in values.items():
        put(rec, columns, str(name), value)
    return rec


def drawing(rec: Record, notes: Notes, where: str, scale: float = 1.0,
            flip_y: bool = False) -> None:
    """Position and colour from the columns other tools use for them. ``scale`` and
    ``flip_y`` bring the tool's coordinates to Workbench's (pixels, y growing downwards)."""
    found = {name: rec.fields.pop(name) for name in (*X_NAMES, *Y_NAMES) if name in rec.fields}
    x = next((found[n] for n in X_NAMES if n in found), None)
    y = next((found[n] for n in Y_NAMES if n in found), None)
    rec.x = notes.number(x, "position x", where)
    rec.y = notes.number(y, "position y", where)
    if rec.x is not None:
        rec.x *= scale
    if rec.y is not None:
        rec.y *= -scale if flip_y else scale
    for name in COLOUR_NAMES[2:]:
        if name in rec.fields and "colour" not in rec.fields:
            rec.fields["colour"] = rec.fields.pop(name)
    text = rec.fields.get("colour", rec.fields.get("color"))
    rec.colour = colour_field(rec.fields)
    if rec.colour is None and text:
        notes.add("a colour is not '#rrggbb'; the type's colour used", f"{where}: {text[:40]!r}")


def _keep_drawing_names(records: list[Record], columns: dict[str, str]) -> None:
    """Columns named like GraphML's drawing fields (``size``, ``r``, ``id``...) that these
    formats use for data: renamed ``size (in file)`` so they are kept, not taken as style."""
    for rec in records:
        for name in DRAWING_DATA & rec.fields.keys():
            rec.fields[f"{name} (in file)"] = rec.fields.pop(name)
            columns[f"{name} (in file)"] = columns.get(name, "string")


def to_chart(nodes: list[Record], edges: list[Record], node_columns: dict[str, str],
             edge_columns: dict[str, str], path: Path, fmt: str,
             warnings: list[str] | None, notes: Notes, own_types: bool = False,
             fields: Any = None) -> Chart:
    """``own_types``: the file says Workbench wrote it (its ``type``, ``identity``, ``icon``
    and ``sources`` columns are Workbench's fields, not the other tool's data); ``fields``:
    the chart_fields() it carries (a JSON object or its text), read only then."""
    warnings = warnings if warnings is not None else []
    _keep_drawing_names(nodes, node_columns)
    _keep_drawing_names(edges, edge_columns)
    text = None
    if own_types and fields is not None:
        text = fields if isinstance(fields, str) else orjson.dumps(fields).decode()
    return chart_from_graph(Graph(nodes, edges, node_columns, edge_columns,
                                  own_types=own_types, fields=text), path, fmt, warnings, notes)


# ----- chart -> plain values -------------------------------------------------------------------
def typed(text: str, type_: str) -> Any:
    """A column's text as the value a JSON or GML file holds (numbers as numbers)."""
    if type_ == "double":
        try:
            return int(text)
        except ValueError:
            pass
        try:
            number = float(text)
        except ValueError:
            return text
        return number if math.isfinite(number) else text
    if type_ == "boolean":
        return text == "true"
    return text


def _values(rec: Record, columns: dict[str, str]) -> dict[str, Any]:
    return {name: typed(text, columns.get(name, "string")) for name, text in rec.fields.items()}


def plain_nodes(graph: Graph) -> Iterable[tuple[str, dict[str, Any]]]:
    """(id, values) per node: its columns, position and colour (``#rrggbb``)."""
    for rec in graph.nodes:
        values = _values(rec, graph.node_columns)
        values["x"], values["y"] = float(rec.x or 0.0), float(rec.y or 0.0)
        if rec.colour:
            values["colour"] = rec.colour
        yield rec.id, values


def plain_edges(graph: Graph) -> Iterable[tuple[str, str, str, dict[str, Any]]]:
    """(id, source, target, values) per edge, source to target as the arrow points: a
    ``reverse`` link is turned round and written ``forward``, so tools that know only the
    order of the ends draw it right; ``direction`` says none/forward/both for the rest."""
    for rec in graph.edges:
        values = _values(rec, graph.edge_columns)
        if rec.colour:
            values["colour"] = rec.colour
        source, target = rec.source, rec.target
        if values.get("direction") == "reverse":
            source, target, values["direction"] = target, source, "forward"
        yield rec.id, source, target, values

