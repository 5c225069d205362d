"""Reading DOT in pieces, so a large file shows progress, can be stopped, and has a limit.

pydot parses DOT with pyparsing at about 30 KB a second on an idle core (3-4 KB a second on
a busy shared machine); no faster, well-kept DOT reader installs from PyPI alone (see
docs/interchange.md: rustworkx's ``from_dot`` misreads attribute values such as
``weight=2.5`` and refuses subgraphs; pygraphviz needs the Graphviz C library). So the
file is cut at statement boundaries of its top level (a ``;`` outside strings, comments,
attribute lists and subgraphs) into pieces of about CHUNK bytes, each parsed by pydot as a
graph of its own and merged in order: progress is reported after each piece, a callback
that raises stops the read, and files past MAX_DOT_BYTES are refused up front with a line
saying how long they would take and what to do instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pydot

from workbench.io.interchange.common import InterchangeError

CHUNK = 64 * 1024
MAX_DOT_BYTES = 8 * 1024 * 1024  # about 4.5 minutes on an idle core; beyond, use GML
BYTES_PER_SECOND = 30_000  # pydot on an idle core (benchmarks/bench_formats.py)
Progress = Callable[[int, int], None]

# What can hold a brace, a bracket or a ';' that is not the DOT structure's own.
_SKIP = re.compile(r'"(?:[^"\\]|\\.)*"|/\*.*?\*/|//[^\n]*|^#[^\n]*', re.DOTALL | re.MULTILINE)
_SIGNIFICANT = re.compile(r'"(?:[^"\\]|\\.)*"|/\*.*?\*/|//[^\n]*|^#[^\n]*|[{}\[\]<>;]|->|--',
                          re.DOTALL | re.MULTILINE)


def _pieces(text: str) -> tuple[str, list[str], bool]:
    """(the header up to the first graph's '{', its body cut into pieces at top-level
    statement ends, whether anything but comments follows the graph)."""
    depth = bracket = angle = 0
    header_end = cut = -1
    pieces: list[str] = []
    pending_close = -1  # a subgraph just closed at top level: cut unless an edge follows
    for found in _SIGNIFICANT.finditer(text):
        token = found.group()
        if token[0] in '"/#':
            continue
        if pending_close >= 0:
            if token not in ("->", "--", ";") and found.start() - cut >= CHUNK:
                pieces.append(text[cut:pending_close])
                cut = pending_close
            pending_close = -1
        if angle:  # inside an HTML label <...>: only its own angle brackets count
            angle += {"<": 1, ">": -1}.get(token, 0)
            continue
        if token == "<" and depth:
            angle = 1
        elif token == "[":
            bracket += 1
        elif token == "]":
            bracket -= 1
        elif token == "{":
            depth += 1
            if depth == 1 and header_end < 0:
                header_end = cut = found.end()
        elif token == "}":
            depth -= 1
            if depth == 0 and header_end >= 0:
                pieces.append(text[cut:found.start()])
                rest = _SKIP.sub("", text[found.end():]).strip()
                return text[:header_end - 1], [p for p in pieces if p.strip()], bool(rest)
            if depth == 1 and not bracket:
                pending_close = found.end()
        elif token == ";" and depth == 1 and not bracket and found.end() - cut >= CHUNK:
            pieces.append(text[cut:found.end()])
            cut = found.end()
    raise InterchangeError("not a DOT file Workbench can read (no complete 'graph { ... }')")


def _parse(header: str, piece: str, name: str) -> pydot.Dot:
    try:
        graphs = pydot.graph_from_dot_data(f"{header}{{\n{piece}\n}}\n")
    except Exception as exc:  # pydot raises pyparsing's errors, whose types vary by version
        raise InterchangeError(f"{name}: not a DOT file Workbench can read "
                               f"({str(exc).splitlines()[0]})") from None
    if not graphs:
        raise InterchangeError(f"{name}: not a DOT file Workbench can read")
    return graphs[0]


def _merge(into: nx.Graph, part: nx.Graph) -> None:
    for node, values in part.nodes(data=True):
        if node in into:
            into.nodes[node].update(values)
        else:
            into.add_node(node, **values)
    for u, v, values in part.edges(data=True):
        into.add_edge(u, v, **values)


def read_dot_graph(text: str, path: Path, warnings: list[str],
                   progress: Progress | None = None,
                   clusters: Callable[[pydot.Graph, nx.Graph], None] | None = None,
                   ) -> tuple[nx.Graph, dict[str, Any]]:
    """The first graph of ``text`` as networkx reads it through pydot, and its graph-level
    attributes. ``clusters`` is applied to each piece's pydot graph and networkx graph
    (subgraph membership, which networkx leaves behind)."""
    size = len(text)  # characters: bytes for the ASCII that DOT mostly is
    if size > MAX_DOT_BYTES:
        minutes = size / BYTES_PER_SECOND / 60
        raise InterchangeError(
            f"{path.name}: {size / 1e6:.1f} MB of DOT; Workbench reads DOT files up to "
            f"{MAX_DOT_BYTES / 1e6:.0f} MB (about {BYTES_PER_SECOND // 1000} KB a second, so "
            f"this one would take {minutes:.0f} minutes or more). Convert it with Graphviz "
            f"(gv2gml {path.name} > {path.stem}.gml) and open the GML")
    try:
        header, pieces, more = _pieces(text)
    except InterchangeError as exc:
        raise InterchangeError(f"{path.name}: {exc}") from None
    if more:
        warnings.append(f"{path.name}: holds more than one graph; only the first was read")
    graph: nx.Graph | None = None
    attributes: dict[str, Any] = {}
    done = len(header)
    for piece in pieces or [""]:
        dot = _parse(header, piece, path.name)
        part = nx.nx_pydot.from_pydot(dot)
        if clusters is not None:
            clusters(dot, part)
        attributes.update(dot.get_attributes())
        if graph is None:
            graph = part
        else:
            _merge(graph, part)
        done += len(piece)
        if progress is not None:
            progress(min(done, len(text)), len(text))
    if progress is not None:
        progress(len(text), len(text))
    assert graph is not None
    return graph, attributes
