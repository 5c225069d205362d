"""The static route map for documents: the same routes on the same outlines, by matplotlib.

PNG at a chosen DPI, SVG and PDF. The projection is Web Mercator (like the interactive map) so
the two look alike; the extent zooms to the routes; arrowheads are sized in points so they
stay visible at any extent; the busiest places are labelled, skipping a label that would
overlap one already placed. No pyplot: figures are plain objects, safe off the GUI thread.
"""

from __future__ import annotations

import io
import json
import math
from functools import lru_cache
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patheffects import withStroke
from matplotlib.transforms import Affine2D

from workbench.geo.geometry import (
    HOTSPOT_COLOUR,
    REGION_COLOUR,
    arc,
    bends,
    colours,
    hotspot_radius,
    line_width,
    mercator_y,
)
from workbench.geo.interactive import BORDER_COLOUR, CREDITS, LAND_COLOUR, SEA_COLOUR
from workbench.geo.legible import shown_note
from workbench.geo.routes import RouteMap
from workbench.io.atomic import write_bytes
from workbench.io.interchange.common import xml_safe_bytes
from workbench.paths import resource

FORMATS = ("png", "svg", "pdf")
PX_TO_PT = 0.75  # the interactive map's pixel sizes, in points
WORLD = (-180.0, 180.0, mercator_y(-60.0), mercator_y(78.0))


@lru_cache(maxsize=1)
def _outline_polygons() -> tuple[tuple[tuple[float, float], ...], ...]:
    """Outer rings of the shipped outlines, projected (holes are small lakes: not drawn)."""
    data = json.loads(resource("maps", "world-outlines.geojson").read_text(encoding="utf-8"))
    rings = []
    for feature in data["features"]:
        geometry = feature.get("geometry")
        if not geometry:
            continue
        polygons = (geometry["coordinates"] if geometry["type"] == "MultiPolygon"
                    else [geometry["coordinates"]])
        for polygon in polygons:
            rings.append(tuple((lon, mercator_y(lat)) for lon, lat in polygon[0]))
    return tuple(rings)


def _plain(text: str) -> str:
    """Untrusted text for legend entries: a '$' must not start matplotlib's math mode."""
    return str(text).replace("$", r"\$")


def _arrowhead(angle: float, length: float) -> list[tuple[float, float]]:
    """A notched arrowhead in points, centred on its anchor, pointing at ``angle`` degrees."""
    shape = [(0.5, 0.0), (-0.5, 0.42), (-0.24, 0.0), (-0.5, -0.42)]
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    return [(length * (x * cos - y * sin), length * (x * sin + y * cos)) for x, y in shape]


def _extent(xs: list[float], ys: list[float], aspect: float) -> tuple[float, float, float, float]:
    """Zoom to the routes with a margin, at least 12 degrees across, matching the aspect."""
    if not xs:
        return WORLD
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    width, height = max(x1 - x0, 12.0), max(y1 - y0, 8.0)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    width, height = width * 1.15, height * 1.2
    if width / height > aspect:
        height = width / aspect
    else:
        width = height * aspect
    x0, x1 = cx - width / 2, cx + width / 2
    if width >= 360:
        x0, x1 = -180.0, 180.0
    elif x0 < -180:
        x0, x1 = -180.0, -180.0 + width
    elif x1 > 180:
        x0, x1 = 180.0 - width, 180.0
    return x0, x1, cy - height / 2, cy + height / 2


def route_figure(route_map: RouteMap, *, title: str | None = None,
                 size: tuple[float, float] = (11.0, 7.0), labels: int = 12) -> Figure:
    figure = Figure(figsize=size, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.set_facecolor(SEA_COLOUR)
    axes.set_xticks([])
    axes.set_yticks([])
    for spine in axes.spines.values():
        spine.set_edgecolor("#888888")
    axes.add_collection(PolyCollection(_outline_polygons(), facecolors=LAND_COLOUR,
                                       edgecolors=BORDER_COLOUR, linewidths=0.4, zorder=1))
    palette = colours(route_map)
    max_count = max((s.count for s in route_map.segments), default=0)
    max_spot = max((h.count for h in route_map.hotspots.values()), default=0)
    bend = bends(route_map)
    xs: list[float] = []
    ys: list[float] = []
    lines: list[list[tuple[float, float]]] = []
    line_colours: list[str] = []
    line_widths: list[float] = []
    heads: list[list[tuple[float, float]]] = []
    head_offsets: list[tuple[float, float]] = []
    head_colours: list[str] = []
    for segment in route_map.segments:  # busiest first: thin lines end up on top
        source = route_map.hotspots[segment.source].place
        target = route_map.hotspots[segment.target].place
        shape = arc((source.lat, source.lon), (target.lat, target.lon), bend[segment.key])
        colour = palette.get(segment.category, palette.get(None))
        width = line_width(segment.count, max_count) * PX_TO_PT
        for part in shape.parts:
            projected = [(lon, mercator_y(lat)) for lat, lon in part]
            lines.append(projected)
            line_colours.append(colour)
            line_widths.append(width)
            xs += [p[0] for p in projected]
            ys += [p[1] for p in projected]
        heads.append(_arrowhead(shape.angle, 7 + 2.4 * width))
        head_offsets.append((shape.arrow[1], mercator_y(shape.arrow[0])))
        head_colours.append(colour)
    axes.add_collection(LineCollection(lines, colors=line_colours, linewidths=line_widths,
                                       alpha=0.85, capstyle="round", zorder=2))
    # Arrowheads sized in points (one collection, placed at data positions), so they stay
    # visible whatever the extent and cost nothing per arrow.
    points_to_pixels = Affine2D().scale(figure.dpi / 72.0)
    axes.add_collection(PolyCollection(heads, offsets=head_offsets, facecolors=head_colours,
                                       edgecolors="white", linewidths=0.5, zorder=3,
                                       offset_transform=axes.transData,
                                       transform=points_to_pixels))
    spots = sorted(route_map.hotspots.values(), key=lambda h: -h.count)
    for regions in (False, True):
        chosen = [h for h in spots if h.place.is_region == regions]
        if not chosen:
            continue
        px = [h.place.lon for h in chosen]
        py = [mercator_y(h.place.lat) for h in chosen]
        sizes = [(2 * hotspot_radius(h.count, max_spot) * PX_TO_PT) ** 2 for h in chosen]
        if regions:
            axes.scatter(px, py, s=sizes, facecolors=REGION_COLOUR + "33",
                         edgecolors=REGION_COLOUR, linestyles="--", linewidths=1.2, zorder=4)
        else:
            axes.scatter(px, py, s=sizes, c=HOTSPOT_COLOUR, alpha=0.75, edgecolors="white",
                         linewidths=0.8, zorder=4)
        xs += px
        ys += py
    aspect = size[0] / size[1] * 0.93
    x0, x1, y0, y1 = _extent(xs, ys, aspect)
    axes.set_xlim(x0, x1)
    axes.set_ylim(y0, y1)
    axes.set_aspect("equal", adjustable="box")
    if title:
        axes.set_title(title, fontsize=13, loc="left", parse_math=False)
    _label(figure, axes, spots[:labels], max_spot)
    _legend(axes, route_map, palette, max_count, max_spot)
    note = shown_note(route_map)
    if note:  # the same words as on the interactive map, so nobody takes it for every case
        axes.text(0.99, 0.985, note, transform=axes.transAxes, ha="right", va="top",
                  fontsize=8, fontweight="bold", color="#222222", zorder=7, wrap=True,
                  parse_math=False, bbox={"boxstyle": "round,pad=0.4", "facecolor": "#fff8d6",
                                          "edgecolor": "#d8b500", "linewidth": 0.8})
    figure.text(0.995, 0.003, CREDITS, fontsize=6.5, color="#555555", ha="right", va="bottom")
    return figure


def _label(figure: Figure, axes, spots, max_spot: float) -> None:
    """Label the busiest places; a label that would overlap another is left out."""
    renderer = figure.canvas.get_renderer()
    figure.draw_without_rendering()
    taken = []
    for spot in spots:
        x, y = spot.place.lon, mercator_y(spot.place.lat)
        offset = hotspot_radius(spot.count, max_spot) * PX_TO_PT + 3
        for dx, dy, ha, va in ((offset, 0, "left", "center"), (-offset, 0, "right", "center"),
                               (0, offset, "center", "bottom"), (0, -offset, "center", "top")):
            text = axes.annotate(spot.label, (x, y), xytext=(dx, dy),
                                 textcoords="offset points", ha=ha, va=va, fontsize=8.5,
                                 fontweight="bold", color="#222222", zorder=6,
                                 parse_math=False,
                                 annotation_clip=True,
                                 path_effects=[withStroke(linewidth=3, foreground="white")])
            box = text.get_window_extent(renderer).expanded(1.05, 1.1)
            inside = axes.get_window_extent(renderer).contains(box.x0, box.y0) and \
                axes.get_window_extent(renderer).contains(box.x1, box.y1)
            if inside and not any(box.overlaps(other) for other in taken):
                taken.append(box)
                break
            text.remove()


def _legend(axes, route_map: RouteMap, palette, max_count: float, max_spot: float) -> None:
    handles = []
    for category in route_map.categories[:12]:
        handles.append(Line2D([], [], color=palette[category], linewidth=3,
                              label=_plain(category)))
    if route_map.colour_by is None:
        handles.append(Line2D([], [], color=palette[None], linewidth=3, label="route"))
    count = f"{max_count:,.0f}"
    handles.append(Line2D([], [], color="#555555", linewidth=line_width(max_count, max_count)
                          * PX_TO_PT, label=f"widest line: {count} cases"))
    handles.append(Line2D([], [], linestyle="", marker="o", markersize=10,
                          markerfacecolor=HOTSPOT_COLOUR, markeredgecolor="white",
                          label=f"hot spot (largest {max_spot:,.0f} cases)"))
    handles.append(Line2D([], [], linestyle="", marker="o", markersize=10,
                          markerfacecolor=REGION_COLOUR + "33", markeredgecolor=REGION_COLOUR,
                          label="region (representative point)"))
    title = _plain(f"Routes by {route_map.colour_by}" if route_map.colour_by else "Routes")
    legend = axes.legend(handles=handles, title=title, loc="lower left", fontsize=7.5,
                         title_fontsize=8.5, framealpha=0.92, borderpad=0.6)
    legend.set_zorder(7)


def save_static(route_map: RouteMap, path: str | Path, *, dpi: int = 200,
                title: str | None = None, size: tuple[float, float] = (11.0, 7.0)) -> Path:
    """Write PNG, SVG or PDF by the file's extension."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"{path.name}: a static map is .png, .svg or .pdf")
    figure = route_figure(route_map, title=title, size=size)
    # Drawn in memory, then written and checked in one step: a full disk is one clear line
    # (matplotlib writing to the file itself failed with an AttributeError), and matplotlib's
    # SVG copies control characters from labels through, which XML cannot hold.
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, dpi=dpi, facecolor="white",
                   metadata={"Creator": "Workbench"} if fmt != "png" else None)
    data = buffer.getvalue()
    write_bytes(path, xml_safe_bytes(data) if fmt == "svg" else data)
    return path


def png_bytes(route_map: RouteMap, *, dpi: int = 150, title: str | None = None) -> bytes:
    """The static map as PNG bytes (for the clipboard)."""
    buffer = io.BytesIO()
    route_figure(route_map, title=title).savefig(buffer, format="png", dpi=dpi,
                                                 facecolor="white")
    return buffer.getvalue()
