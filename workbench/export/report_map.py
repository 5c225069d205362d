"""The route map in a report: the strongest legs that stay readable on a page.

Every leg of a 23,000-link route chart drawn at once is a red blanket over the world. The map
keeps the legs with at least a minimum number of cases, the legible default of
``workbench.geo.legible`` (the same as the map dock and ``workbench map``), and its caption
says how many of how many are shown and from which count. The figure is drawn at the page's
own width, so its labels print at their nominal size (8.5 pt places, 7.5 pt legend) instead of
being shrunk to fit.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from matplotlib.figure import Figure

from workbench.export.report_pictures import DPI
from workbench.export.report_text import plain
from workbench.geo.legible import legible
from workbench.geo.routes import build_routes
from workbench.geo.static import route_figure
from workbench.model import Chart

MAP_SIZE_IN = ((21.0 - 2 * 1.8) / 2.54, 5.4)  # the report's text width, at 1:1


@dataclass(frozen=True, slots=True)
class MapPicture:
    caption: str
    png: bytes


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
        route_map = legible(every)  # the same default as the map dock and `workbench map`
        minimum = route_map.min_count
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
