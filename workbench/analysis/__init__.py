"""Analysis of a chart, with no Qt: histogram counts and bins, heat matrices, hot spots, paths,
connecting networks, clusters and centrality. Every result is plain data holding chart ids, so
the window can select, size or colour the items it is about."""

from importlib import import_module
from typing import Any

from workbench.analysis.fields import DateBin, Field, Target, resolve_field
from workbench.analysis.graph import AnalysisError, Cancelled, GraphOptions
from workbench.analysis.heatmatrix import HeatMatrix, Scale, heat_matrix
from workbench.analysis.histogram import STORE_LINKS, Bar, BarKind, Histogram, SortBy, histogram
from workbench.analysis.hotspots import HotSpot, hot_spots

# Network measures (igraph) and paths (networkx) are imported on first use: the window's
# counting docks import this package at start, and those libraries took a second there.
_LATER = {"Measure": "measures", "MeasureResult": "measures", "compute": "measures",
          "PathResult": "paths", "all_simple_paths": "paths",
          "connecting_network": "paths", "shortest_path": "paths"}


def __getattr__(name: str) -> Any:
    module = _LATER.get(name)
    if module is None:
        raise AttributeError(f"module 'workbench.analysis' has no attribute {name!r}")
    value = getattr(import_module(f"workbench.analysis.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "STORE_LINKS",
    "AnalysisError",
    "Bar",
    "BarKind",
    "Cancelled",
    "DateBin",
    "Field",
    "GraphOptions",
    "HeatMatrix",
    "Histogram",
    "HotSpot",
    "Measure",
    "MeasureResult",
    "PathResult",
    "Scale",
    "SortBy",
    "Target",
    "all_simple_paths",
    "compute",
    "connecting_network",
    "heat_matrix",
    "histogram",
    "hot_spots",
    "resolve_field",
    "shortest_path",
]
