"""Analysis of a chart, with no Qt: histogram counts and bins, heat matrices, hot spots, paths,
connecting networks, clusters and centrality. Every result is plain data holding chart ids, so
the window can select, size or colour the items it is about."""

from workbench.analysis.fields import DateBin, Field, Target, resolve_field
from workbench.analysis.graph import AnalysisError, GraphOptions
from workbench.analysis.heatmatrix import HeatMatrix, Scale, heat_matrix
from workbench.analysis.histogram import Bar, BarKind, Histogram, SortBy, histogram
from workbench.analysis.hotspots import HotSpot, hot_spots
from workbench.analysis.measures import Cancelled, Measure, MeasureResult, compute
from workbench.analysis.paths import (
    PathResult,
    all_simple_paths,
    connecting_network,
    shortest_path,
)

__all__ = [
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
