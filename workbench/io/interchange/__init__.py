"""Interchange with other analysis tools: GraphML and GEXF (Gephi, Cytoscape, yEd), i2
Analyst's Notebook ANX, GML, Pajek, DOT, node-link and Cytoscape.js JSON, Cytoscape CX,
Maltego .mtgx, FollowTheMoney entity streams, and (read only) CSV edge/node lists and CX2.
``read_chart`` finds the format by content (GraphML saved as ``.xml`` opens), then by
extension; ``write_chart`` picks it by extension (``NAME.ftm.json``, as OpenSanctions names
its streams, is FollowTheMoney). Both also handle Workbench's own ``.wbchart``, so
``workbench convert`` is one call each way."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from workbench.io.chartfile import load_chart, paused_gc, save_chart
from workbench.io.chartjson import ChartFileError
from workbench.io.interchange.anx_export import write_anx
from workbench.io.interchange.anx_import import read_anx
from workbench.io.interchange.common import InterchangeError
from workbench.io.interchange.csvgraph import read_csv_graph
from workbench.io.interchange.cx import write_cx
from workbench.io.interchange.detect import LOOKED_FOR, sniff
from workbench.io.interchange.ftm import read_ftm
from workbench.io.interchange.ftm_export import write_ftm
from workbench.io.interchange.gexf import read_gexf, write_gexf
from workbench.io.interchange.graphml import read_graphml, write_graphml
from workbench.io.interchange.jsongraph import read_json_graph, write_cytoscape, write_node_link
from workbench.io.interchange.maltego import read_mtgx
from workbench.io.interchange.maltego_export import write_mtgx
from workbench.io.interchange.textgraphs import (
    read_dot,
    read_gml,
    read_pajek,
    write_dot,
    write_gml,
    write_pajek,
)
from workbench.model import Chart

READERS: dict[str, Callable[..., Chart]] = {
    ".wbchart": lambda path, warnings=None: load_chart(path),
    ".graphml": read_graphml,
    ".gexf": read_gexf,
    ".anx": read_anx,
    ".gml": read_gml,
    ".net": read_pajek,
    ".dot": read_dot,
    ".gv": read_dot,
    ".json": read_json_graph,
    ".cyjs": read_json_graph,
    ".cx": read_json_graph,
    ".cx2": read_json_graph,
    ".csv": read_csv_graph,
    ".mtgx": read_mtgx,
    ".ftm": read_ftm,
    ".ijson": read_ftm,
}
# Extensions of JSON formats that content alone tells apart only when the file is well formed.
JSON_FAMILY = (".ftm", ".ijson")
FTM_JSON = ".ftm.json"  # OpenSanctions' name for a stream: written as FollowTheMoney
WRITERS: dict[str, Callable[[Chart, Path], None]] = {
    ".wbchart": save_chart,
    ".graphml": write_graphml,
    ".gexf": write_gexf,
    ".anx": write_anx,
    ".gml": write_gml,
    ".net": write_pajek,
    ".dot": write_dot,
    ".gv": write_dot,
    ".json": write_node_link,
    ".cyjs": write_cytoscape,
    ".cx": write_cx,
    ".mtgx": write_mtgx,
    ".ftm": write_ftm,
    ".ijson": write_ftm,
    FTM_JSON: write_ftm,
}


def _extension(path: Path, table: dict, verb: str) -> str:
    ext = FTM_JSON if path.name.lower().endswith(FTM_JSON) else path.suffix.lower()
    if ext not in table:
        known = ", ".join(table)
        raise InterchangeError(f"{path.name}: cannot {verb} {ext or 'files without an extension'}"
                               f" (known: {known})")
    return ext


def read_chart(path: str | os.PathLike[str], warnings: list[str] | None = None,
               progress: Callable[[int, int], None] | None = None) -> Chart:
    """Any chart format Workbench reads; raises InterchangeError (ChartFileError for .wbchart
    is turned into InterchangeError too) with a message for the analyst. Parts of a foreign
    file that Workbench cannot hold are described in ``warnings`` (shown to the analyst).
    ``progress(done, total)`` is called while reading the one slow format, DOT (an
    exception it raises stops the read); the others read in seconds at any size."""
    path = Path(path)
    found = sniff(path)
    if found is None and path.suffix.lower() not in READERS:
        if not path.exists():
            raise InterchangeError(f"{path}: no such file")
        raise InterchangeError(f"{path.name}: not a chart file Workbench reads (looked for "
                               f"{LOOKED_FOR})")
    if found == ".json" and path.suffix.lower() in JSON_FAMILY:
        found = path.suffix.lower()  # JSON of no known shape: the name says which to expect
    reader = READERS[found or path.suffix.lower()]
    try:
        with paused_gc():  # tens of thousands of small objects, no cycles: see chartfile
            if reader is read_dot and progress is not None:
                return read_dot(path, warnings, progress)
            return reader(path, warnings)
    except ChartFileError as exc:
        raise InterchangeError(str(exc)) from None


def write_chart(chart: Chart, path: str | os.PathLike[str]) -> None:
    path = Path(path)
    writer = WRITERS[_extension(path, WRITERS, "write")]
    try:
        with paused_gc():
            writer(chart, path)
    except ChartFileError as exc:
        raise InterchangeError(str(exc)) from None
    except OSError as exc:
        raise InterchangeError(f"Could not write {path}: {exc.strerror or exc}") from None


__all__ = [
    "READERS",
    "WRITERS",
    "InterchangeError",
    "read_anx",
    "read_chart",
    "read_csv_graph",
    "read_dot",
    "read_ftm",
    "read_gexf",
    "read_gml",
    "read_graphml",
    "read_json_graph",
    "read_mtgx",
    "read_pajek",
    "sniff",
    "write_anx",
    "write_chart",
    "write_cx",
    "write_cytoscape",
    "write_dot",
    "write_ftm",
    "write_gexf",
    "write_gml",
    "write_graphml",
    "write_mtgx",
    "write_node_link",
    "write_pajek",
]
