"""CSV edge and node lists (Gephi's data laboratory, spreadsheets, scripts, and Workbench's own
``OUT-links.csv``/``OUT-entities.csv``) read with an automatic mapping.

Columns are found by name, ignoring case: the link's ends (``source``/``target``, ``from``/
``to``, ``From ID``/``To ID``...), its ``label``, ``weight`` (or ``value``), ``direction``
and ``type``; a node list's ``id``, ``label``/``name``, ``x``/``y`` and ``latitude``/
``longitude`` (or ``lat``/``lon``/``lng``). Every other column is kept as an attribute, as a
number when every value in it is one. An edge list names its node list by the file name
(``X-links.csv`` or ``X-edges.csv`` beside ``X-entities.csv`` or ``X-nodes.csv``); without
one, each end becomes an entity labelled with the text in the cell.
"""

from __future__ import annotations

import csv
import io
import math
import os
from pathlib import Path

from workbench.io.interchange.common import MAX_BYTES, InterchangeError, Notes
from workbench.io.interchange.plain import drawing, to_chart
from workbench.io.interchange.records import Record
from workbench.model import Chart

# Canonical field -> the column names that mean it, best first (lower case).
EDGE_NAMES = {
    "source": ("source", "from id", "source id", "from", "src", "sender", "node1", "node 1"),
    "target": ("target", "to id", "target id", "to", "dst", "receiver", "node2", "node 2"),
    "id": ("id", "edge id", "link id"),
    "label": ("label", "relationship", "relation"),
    "weight": ("weight", "value"),
    "direction": ("direction",),
    "strength": ("strength",),
    "type": ("type", "link type"),
    "date": ("date",),
}
NODE_NAMES = {
    "id": ("id", "node", "node id", "key"),
    "label": ("label", "name", "title"),
    "type": ("type", "entity type"),
    "x": ("x",),
    "y": ("y",),
    "date": ("date",),
    "latitude": ("latitude", "lat"),
    "longitude": ("longitude", "lon", "lng", "long"),
    "colour": ("colour", "color"),
}
# Columns of Workbench's own CSV that restate what the chart holds elsewhere.
_DERIVED = {"links", "from", "to"}
_UNDIRECTED = {"undirected", "none", "false", "0", "no"}
_DIRECTED = {"directed", "true", "1", "yes"}
_NODE_FILES = ("-entities.csv", "-nodes.csv", "_nodes.csv", " nodes.csv")
_EDGE_FILES = ("-links.csv", "-edges.csv", "_edges.csv", " edges.csv")


Table = tuple[list[str], list[tuple[int, list[str]]]]  # header, (line number, cells) rows


def _table(path: Path) -> Table:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InterchangeError(f"{path.name}: implausibly large ({size:,} bytes)")
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except FileNotFoundError:
        raise InterchangeError(f"{path}: no such file") from None
    except OSError as exc:
        raise InterchangeError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next((row for row in reader if any(cell.strip() for cell in row)), None)
    if not header:
        raise InterchangeError(f"{path.name}: empty CSV file")
    return [h.strip() for h in header], [(reader.line_num, row) for row in reader if any(row)]


def _mapping(header: list[str], names: dict[str, tuple[str, ...]]) -> dict[int, str]:
    """Column index -> canonical field, for the columns found by name."""
    lower = [h.lower() for h in header]
    found: dict[int, str] = {}
    for field, candidates in names.items():
        for candidate in candidates:
            if candidate in lower and lower.index(candidate) not in found:
                found[lower.index(candidate)] = field
                break
    return found


def csv_kind(header: list[str]) -> str | None:
    """'edges' or 'nodes' for a header Workbench can map, else None."""
    fields = set(_mapping(header, EDGE_NAMES).values())
    if {"source", "target"} <= fields:
        return "edges"
    return "nodes" if "id" in _mapping(header, NODE_NAMES).values() else None


def _sibling(path: Path, mine: tuple[str, ...], theirs: tuple[str, ...]) -> Path | None:
    name = path.name.lower()
    for suffix in mine:
        if name.endswith(suffix):
            stem = path.name[: -len(suffix)]
            for other in theirs:
                candidate = path.with_name(stem + other)
                if candidate.exists():
                    return candidate
    return None


def _records(path: Path, table: Table, names: dict[str, tuple[str, ...]],
             columns: dict[str, str], notes: Notes) -> list[Record]:
    header, rows = table
    mapping = _mapping(header, names)
    ours = _ours(header)
    keep = {i: mapping.get(i, header[i] or f"column {i + 1}") for i in range(len(header))
            if not (ours and header[i].lower() in _DERIVED)}
    for i, name in keep.items():  # an attribute 'type' beside the Type column: both kept
        if i not in mapping and name in mapping.values():
            keep[i] = f"{name} (attribute)"
    numeric = {name: True for name in keep.values()}
    records = []
    for line, row in rows:
        rec = Record("", line=line)
        for i, name in keep.items():
            text = row[i].strip() if i < len(row) else ""
            if text:
                rec.fields[name] = text
                numeric[name] = numeric[name] and _is_number(text)
        rec.id = rec.fields.pop("id", "")
        drawing(rec, notes, f"{path.name}, line {line}")
        records.append(rec)
    for name, is_number in numeric.items():
        columns[name] = "double" if is_number else "string"
    return records


def _ours(header: list[str]) -> bool:
    """The header of a list Workbench wrote (its Type column holds Workbench types)."""
    return [h.lower() for h in header[:4]] in (["id", "type", "label", "identity"],
                                               ["id", "type", "label", "from id"])


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def files_read(path: str | os.PathLike[str]) -> list[Path]:
    """The files reading ``path`` uses: itself and, for a CSV list, the list beside it, so a
    writer can refuse to overwrite what it is converting."""
    path = Path(path)
    pair = (_sibling(path, _EDGE_FILES, _NODE_FILES) or _sibling(path, _NODE_FILES, _EDGE_FILES)
            if path.suffix.lower() == ".csv" else None)
    return [path] if pair is None else [path, pair]


def read_csv_graph(path: str | os.PathLike[str], warnings: list[str] | None = None) -> Chart:
    """An edge list (with its node list beside it, if any) or a node list alone."""
    path = Path(path)
    table = _table(path)
    kind = csv_kind(table[0])
    if kind is None:
        raise InterchangeError(f"{path.name}: no columns Workbench can map (looked for "
                               "source/target or from/to for links, id for entities)")
    edge_path = path if kind == "edges" else _sibling(path, _NODE_FILES, _EDGE_FILES)
    node_path = path if kind == "nodes" else _sibling(path, _EDGE_FILES, _NODE_FILES)
    notes = Notes(path.name)
    node_columns: dict[str, str] = {}
    edge_columns: dict[str, str] = {}
    nodes = _records(node_path, table if node_path == path else _table(node_path),
                     NODE_NAMES, node_columns, notes) if node_path else []
    for n, rec in enumerate(nodes, 1):
        rec.id = rec.id or f"row{n}"
    edges = _records(edge_path, table if edge_path == path else _table(edge_path),
                     EDGE_NAMES, edge_columns, notes) if edge_path else []
    known = {rec.id for rec in nodes}
    whole = []
    for n, rec in enumerate(edges, 1):
        rec.id = rec.id or f"edge{n}"
        rec.source, rec.target = rec.fields.pop("source", ""), rec.fields.pop("target", "")
        if not (rec.source and rec.target):
            notes.add("a link has an empty source or target; left out",
                      f"{edge_path.name if edge_path else path.name}, line {rec.line}")
            continue
        whole.append(rec)
        rec.directed = True  # an edge list reads "from source to target"
        _direction(rec)
        for end in (rec.source, rec.target):
            if end not in known:  # no node list, or a name it lacks: the cell is the entity
                known.add(end)
                nodes.append(Record(end, {"label": end}, line=rec.line))
    node_columns.setdefault("label", "string")
    ours = _ours(table[0])
    return to_chart(nodes, whole, node_columns, edge_columns, path, "CSV", warnings, notes,
                    ours)


def _direction(rec: Record) -> None:
    """Gephi's ``Type`` column says Directed/Undirected: that is the link's direction, not
    its type."""
    kind = rec.fields.get("type", "").lower()
    if kind in _UNDIRECTED or kind in _DIRECTED:
        rec.directed = kind in _DIRECTED
        del rec.fields["type"]
