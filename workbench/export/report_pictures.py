"""Pictures for reports: the chart, histograms of counts, as PNG bytes.

The chart picture comes from the link chart's own drawing code (``workbench.export.
chart_image``) when that module is present, so the report shows what the screen shows. Without
it (a build where the view is not yet merged) a plain sketch is drawn with matplotlib from the
same positions, type colours and labels, and captioned as a sketch. Figures are made with
matplotlib's object API (no pyplot state), so they can be drawn off the GUI thread.
"""

from __future__ import annotations

import importlib
import io
import os
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from workbench.model import Chart

DPI = 150


def _png(figure: Figure, dpi: float = DPI) -> bytes:
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()


def picture_size_in(png: bytes) -> tuple[float, float]:
    """The picture's printed size in inches, from the DPI stored in the PNG (150 if none):
    a small histogram should print at its size, not be blown up to the page width."""
    from PIL import Image as PILImage

    with PILImage.open(io.BytesIO(png)) as image:
        dpi = image.info.get("dpi", (DPI, DPI))[0] or DPI
        return image.width / dpi, image.height / dpi


def chart_image_png(chart: Chart, width_px: int,
                    entity_ids: Iterable[str] | None = None) -> tuple[bytes, bool] | None:
    """PNG from the view's chart_image module, or None when it is not in this build.
    Returns (png, True) so the caller knows it is the real drawing."""
    try:
        module = importlib.import_module("workbench.export.chart_image")
    except ImportError:
        return None
    render = getattr(module, "render_chart", None)
    if render is None:
        return None
    fd, name = tempfile.mkstemp(suffix=".png")
    os.close(fd)
    try:
        selection = list(entity_ids) if entity_ids is not None else None
        try:
            render(chart, name, width=width_px, selection=selection)
        except ValueError:  # ChartImageError: nothing to draw; the sketch says so plainly
            return None
        return Path(name).read_bytes(), True
    finally:
        Path(name).unlink(missing_ok=True)


# Report histogram names and the ``by``/``bin`` the histogram view understands.
_HISTOGRAM_FIELDS = {"entity type": ("type", None), "link type": ("linktype", None),
                     "year": ("date", "year")}


def histogram_view_png(chart: Chart, name: str,
                       among: list[str] | None = None) -> bytes | None:
    """The histogram as the histogram dock draws it (``workbench.analysis.histogram`` and
    ``workbench.export.histogram_image``), or None when those are not in this build or do
    not know the name (then the report draws its own bar chart)."""
    try:
        fields = importlib.import_module("workbench.analysis.fields")
        counting = importlib.import_module("workbench.analysis.histogram")
        drawing = importlib.import_module("workbench.export.histogram_image")
    except ImportError:
        return None
    by, bin_ = _HISTOGRAM_FIELDS.get(name, (name, None))
    try:
        field = fields.resolve_field(chart, by, bin_)
        hist = counting.histogram(chart, field, among=among, top=15)
    except ValueError:  # AnalysisError: an attribute nothing carries, a bad bin
        return None
    fd, path = tempfile.mkstemp(suffix=".png")
    os.close(fd)
    try:
        drawing.render_histogram(hist, path, dpi=DPI)
        return Path(path).read_bytes()
    finally:
        Path(path).unlink(missing_ok=True)


def route_map_png(chart: Chart) -> bytes | None:
    """The static route map of the chart's route links (``workbench.geo``), or None when the
    geo module is not in this build or the chart has no routes between known places."""
    try:
        routes = importlib.import_module("workbench.geo.routes")
        static = importlib.import_module("workbench.geo.static")
    except ImportError:
        return None
    route_map = routes.build_routes(chart)
    if not route_map.segments:
        return None
    return static.png_bytes(route_map, dpi=DPI)


def chart_sketch_png(chart: Chart, width_px: int = 2400,
                     entity_ids: Iterable[str] | None = None) -> bytes:
    """Entities as dots in their type colour with labels, links as lines, at their positions.
    Screen y grows downwards, so the y axis is inverted to match the window."""
    # A page-sized figure (8 in) at the DPI that gives the pixels asked for, so labels print
    # at a readable size whatever the resolution.
    figure = Figure(figsize=(8, 5.6), dpi=max(width_px / 8, 72))
    axes = figure.add_axes((0.01, 0.01, 0.98, 0.98))
    axes.set_axis_off()
    axes.invert_yaxis()
    chosen = set(entity_ids) if entity_ids is not None else set(chart.entities)
    entities = {i: e for i, e in chart.entities.items() if i in chosen}
    links = [lk for lk in chart.links.values() if lk.end1 in chosen and lk.end2 in chosen]
    segments = [((entities[lk.end1].x, entities[lk.end1].y),
                 (entities[lk.end2].x, entities[lk.end2].y)) for lk in links]
    line_colours = [lk.style.colour or chart.link_type(lk).colour for lk in links]
    # One collection for all links: 20,000 separate line artists take seconds to build.
    axes.add_collection(LineCollection(segments, colors=line_colours, linewidths=0.6,
                                       alpha=0.7, zorder=1))
    if entities:
        xs = [e.x for e in entities.values()]
        ys = [e.y for e in entities.values()]
        colours = [e.style.colour or chart.entity_type(e).colour for e in entities.values()]
        axes.scatter(xs, ys, s=36, c=colours, edgecolors="white", linewidths=0.5, zorder=2)
        font = 6 if len(entities) > 60 else 8
        if len(entities) <= 600:
            for e in entities.values():
                axes.annotate(e.label, (e.x, e.y), xytext=(0, -7), textcoords="offset points",
                              ha="center", va="top", fontsize=font, zorder=3,
                              parse_math=False)  # a '$' in a label is not TeX
        axes.margins(0.08)
    return _png(figure, figure.dpi)


def bar_chart_png(title: str, counts: Counter[str], limit: int = 15) -> bytes:
    """Horizontal bars, largest first, each labelled with its count."""
    top = counts.most_common(limit)
    height = 0.9 + 0.28 * max(len(top), 1)
    figure = Figure(figsize=(6.3, height))
    axes = figure.add_subplot()
    labels = [name if len(name) <= 40 else name[:39] + "…" for name, _ in top][::-1]
    values = [count for _, count in top][::-1]
    bars = axes.barh(range(len(values)), values, color="#1f5fa8")
    axes.set_yticks(range(len(values)), labels, fontsize=8)
    for tick in axes.get_yticklabels():
        tick.set_parse_math(False)
    axes.bar_label(bars, fontsize=7, padding=2)
    axes.set_title(title, fontsize=10, loc="left").set_parse_math(False)
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(axis="x", labelsize=7)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    figure.tight_layout()
    return _png(figure)
