"""Interchange with other analysis tools: GraphML and GEXF (Gephi, Cytoscape, yEd) and i2
Analyst's Notebook ANX. ``read_chart`` and ``write_chart`` pick the format by extension and
also handle Workbench's own ``.wbchart``, so ``workbench convert`` is one call each way."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from workbench.io.chartfile import load_chart, paused_gc, save_chart
from workbench.io.chartjson import ChartFileError
from workbench.io.interchange.anx_export import write_anx
from workbench.io.interchange.anx_import import read_anx
from workbench.io.interchange.common import InterchangeError
from workbench.io.interchange.gexf import read_gexf, write_gexf
from workbench.io.interchange.graphml import read_graphml, write_graphml
from workbench.model import Chart

READERS: dict[str, Callable[..., Chart]] = {
    ".wbchart": lambda path, warnings=None: load_chart(path),
    ".graphml": read_graphml,
    ".gexf": read_gexf,
    ".anx": read_anx,
}
WRITERS: dict[str, Callable[[Chart, Path], None]] = {
    ".wbchart": save_chart,
    ".graphml": write_graphml,
    ".gexf": write_gexf,
    ".anx": write_anx,
}


def _extension(path: Path, table: dict, verb: str) -> str:
    ext = path.suffix.lower()
    if ext not in table:
        known = ", ".join(table)
        raise InterchangeError(f"{path.name}: cannot {verb} {ext or 'files without an extension'}"
                               f" (known: {known})")
    return ext


def read_chart(path: str | os.PathLike[str], warnings: list[str] | None = None) -> Chart:
    """Any chart format Workbench reads; raises InterchangeError (ChartFileError for .wbchart
    is turned into InterchangeError too) with a message for the analyst. Parts of a foreign
    file that Workbench cannot hold are described in ``warnings`` (shown to the analyst)."""
    path = Path(path)
    reader = READERS[_extension(path, READERS, "read")]
    try:
        with paused_gc():  # tens of thousands of small objects, no cycles: see chartfile
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
    "read_gexf",
    "read_graphml",
    "write_anx",
    "write_chart",
    "write_gexf",
    "write_graphml",
]
