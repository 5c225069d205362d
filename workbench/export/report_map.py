"""The route map in a report: the strongest legs that stay readable on a page.

Every leg of a 23,000-link route chart drawn at once is a red blanket over the world. The map
keeps the legs with at least a minimum number of cases, chosen so that the page shows at most
about ``MAX_LEGS`` legs, and its caption says how many of how many are shown and from which
count. The figure is drawn at the page's own width, so its labels print at their nominal size
(8.5 pt places, 7.5 pt legend) instead of being shrunk to fit.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from matplotlib.figure import Figure

from workbench.export.report_pictures import DPI
from workbench.export.report_text import plain
from workbench.geo.routes import RouteMap, RouteOptions, build_routes
from workbench.geo.static import route_figure
from workbench.model import Chart

MAX_LEGS = 150  # legs a page-sized static map can show legibly
MAP_SIZE_IN = ((21.0 - 2 * 1.8) / 2.54, 5.4)  # the report's text width, at 1:1


@dataclass(frozen=True, slots=True)
class MapPicture:
    caption: str
    png: bytes


def fallback_min_count(route_map: RouteMap) -> int:
    """The smallest minimum number of cases that leaves at most ``MAX_LEGS`` legs."""
    counts = sorted((segment.count for segment in route_map.segments), reverse=True)
    if len(counts) <= MAX_LEGS:
        return 1
    return int(counts[MAX_LEGS]) + 1


def map_min_count(route_map: RouteMap) -> int:
    """The report's one choice of the map's minimum count (legs with fewer cases are left
    out). SWITCH AFTER MERGE: once ``workbench/geo/legible.py`` is on main, return
    ``workbench.geo.legible.default_min_count(route_map)`` here (the map dock and
    ``workbench map`` use it) and drop ``fallback_min_count`` and ``MAX_LEGS``."""
    return fallback_min_count(route_map)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return buffer.getvalue()


def route_map_picture(chart: Chart) -> MapPicture | str | None:
    """The map with its caption; a line saying why there is none when the chart's routes
    cannot be placed (malformed saved place fixes); None when the chart has no routes."""
    try:
        every = build_routes(chart)
        if not every.segments:
            return None
        minimum = map_min_count(every)
        route_map = every if minimum <= 1 else build_routes(chart,
                                                            RouteOptions(min_count=minimum))
    except (TypeError, ValueError, KeyError, AttributeError):
        return ("The route map could not be drawn: the places saved in this chart "
                "(settings 'places') are not valid.")
    for spot in route_map.hotspots.values():
        spot.label = plain(spot.label)  # matplotlib cannot draw control characters
    legs = len(route_map.segments)
    cases = sum(s.count for s in route_map.segments)
    total = sum(s.count for s in every.segments)
    caption = f"Routes between the places in the chart: {legs:,} legs"
    if minimum > 1:
        caption += (f" of {len(every.segments):,} (those with {minimum:,} or more cases: "
                    f"{cases:,.0f} of {total:,.0f} cases). The interactive map "
                    "(workbench map) shows every leg.")
    else:
        caption += f", {total:,.0f} cases."
    figure = route_figure(route_map, size=MAP_SIZE_IN, labels=10)
    return MapPicture(caption, _png(figure))
