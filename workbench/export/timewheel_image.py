"""Draw a time wheel with matplotlib, the same way in the dock, in pictures and in reports.

Rings are the days of the week (Monday innermost) or the months, sectors the 24 hours of the
day running clockwise from midnight at the top, as on a clock face. A gap at the top holds the
ring labels, so no label sits on a cell. Colour is the count on a light-to-dark ramp that
reads in greyscale; a cell with nothing in it is a pale grey, told apart from "a few". The
selected items of a cell are shown by an outline in the selection colour, as in the heat
matrix. Only the object-oriented matplotlib API is used (safe off the GUI thread).
"""

from __future__ import annotations

import io
import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.figure import Figure

from workbench.analysis.timewheel import HOURS, TimeWheel, time_wheel
from workbench.export.histogram_image import save_figure
from workbench.export.report_text import plain
from workbench.io.interchange.common import xml_safe
from workbench.model import Chart

# Pale yellow through orange to deep red: legible in print and in greyscale.
RAMP = LinearSegmentedColormap.from_list("workbench_wheel", ["#fff3c4", "#fdb863", "#f16913",
                                                             "#c2310c", "#67000d"])
EMPTY = "#eceff1"
OUTLINE = "#1f5fa8"
HOLE = 2.0  # the empty middle, in ring widths: the inner rings are not slivers
GAP = math.radians(24)  # at the top, for the ring labels
SECTOR = (2 * math.pi - GAP) / 24
FORMATS = ("png", "svg", "pdf")


@dataclass
class WheelPlot:
    """What was drawn, so a click can be turned back into a cell."""

    axes: Axes
    rings: int

    def cell_at(self, theta: float | None, radius: float | None) -> tuple[int, int] | None:
        """(ring, hour) under polar data coordinates, or None (the gap, the hole, outside)."""
        if theta is None or radius is None:
            return None
        ring = math.floor(radius - HOLE)
        turned = (theta % (2 * math.pi)) - GAP / 2
        hour = math.floor(turned / SECTOR)
        if 0 <= ring < self.rings and 0 <= hour < 24 and turned >= 0:
            return ring, hour
        return None


def sector_start(hour: int) -> float:
    return GAP / 2 + hour * SECTOR


def draw_time_wheel(figure: Figure, wheel: TimeWheel,
                    selected: Collection[str] = ()) -> WheelPlot:
    """Draw ``wheel`` on ``figure`` (cleared first)."""
    figure.clear()
    axes = figure.add_axes((0.04, 0.1, 0.8, 0.8), projection="polar")
    axes.set_theta_zero_location("N")
    axes.set_theta_direction(-1)  # clockwise, as a clock
    rings = len(wheel.ring_labels)
    axes.set_ylim(0, HOLE + rings + 0.9)
    axes.set_axis_off()
    # names come from the data: "$5 $x$" is printed as typed, never as mathematics
    figure.text(0.04, 0.955, xml_safe(wheel.title), fontsize=12, fontweight="bold",
                ha="left", va="top", parse_math=False)
    top = max(int(wheel.counts.max()), 1)
    norm = Normalize(vmin=0, vmax=top)
    chosen = wheel.selected_counts(selected) if selected else np.zeros_like(wheel.counts)
    starts = [sector_start(h) for h in range(24)]
    cells = [(ring, hour) for ring in range(rings) for hour in range(24)]  # one bar call
    axes.bar([starts[h] for _, h in cells], 1.0, width=SECTOR,
             bottom=[HOLE + r for r, _ in cells], align="edge",
             color=[RAMP(norm(c)) if c else EMPTY for c in wheel.counts.ravel()],
             edgecolor="white", linewidth=0.8)
    for (ring, hour), count in np.ndenumerate(chosen):
        if count:
            axes.bar(starts[hour], 1.0, width=SECTOR, bottom=HOLE + ring, align="edge",
                     fill=False, edgecolor=OUTLINE, linewidth=2.2)
    outer = HOLE + rings + 0.45
    for hour, label in enumerate(HOURS):  # "00".."23" round the outside, upright
        axes.text(starts[hour] + SECTOR / 2, outer, label[:2], ha="center", va="center",
                  fontsize=9, color="#333333")
    for ring, label in enumerate(wheel.ring_labels):  # in the gap at the top
        axes.text(0.0, HOLE + ring + 0.5, label, ha="center", va="center", fontsize=8.5,
                  color="#222222", fontweight="bold")
    axes.text(0.0, 0.0, "hour\nof day", ha="center", va="center", fontsize=8,
              color="#666666")
    key = figure.add_axes((0.87, 0.2, 0.025, 0.6))
    bar = figure.colorbar(ScalarMappable(norm=norm, cmap=RAMP), cax=key)
    bar.set_label(xml_safe(f"Number of {wheel.what}; grey: none"), fontsize=9,
                  parse_math=False)
    bar.ax.tick_params(labelsize=8)
    figure.text(0.04, 0.04, xml_safe(_footnote(wheel)), fontsize=8.5, color="#444444",
                ha="left", va="bottom", parse_math=False)
    return WheelPlot(axes, rings)


def _footnote(wheel: TimeWheel) -> str:
    text = f"{wheel.dated:,} dated {wheel.what}"
    busiest = wheel.busiest()
    if busiest is not None:
        text += f"; busiest: {busiest[0]} {busiest[1]} ({busiest[2]:,})"
    if wheel.undated:
        text += f"; {wheel.undated:,} without a date and time of day not shown"
    return text


def wheel_figure(wheel: TimeWheel, selected: Collection[str] = (), dpi: int = 150,
                 inches: float = 7.0) -> Figure:
    figure = Figure(figsize=(inches * 1.12, inches), dpi=dpi)
    FigureCanvasAgg(figure)
    draw_time_wheel(figure, wheel, selected)
    return figure


def render_time_wheel(wheel: TimeWheel, path: str | Path, selected: Collection[str] = (),
                      *, dpi: int = 150) -> Path:
    """Write the wheel as PNG, SVG or PDF (by the file's suffix), atomically."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"{path.name}: cannot write .{fmt}; use .png, .svg or .pdf")
    save_figure(wheel_figure(wheel, selected, dpi), path, fmt, dpi, title=wheel.title)
    return path


def time_wheel_png(wheel: TimeWheel, dpi: int = 150, inches: float = 5.5) -> bytes:
    """The wheel as PNG bytes, for a report page."""
    buffer = io.BytesIO()
    wheel_figure(wheel, dpi=dpi, inches=inches).savefig(buffer, format="png", dpi=dpi,
                                                         facecolor="white")
    return buffer.getvalue()


def time_wheel_picture(chart: Chart, among: Iterable[str] | None = None
                       ) -> tuple[str, bytes] | None:
    """The report's time wheel (caption, PNG) of the chart's dated items (or those
    ``among``), or None when there are too few of them for a wheel to say anything."""
    wheel = time_wheel(chart, among=among)
    if not wheel.says_something:
        return None
    cleaned = replace(wheel, title=plain(wheel.title), what=plain(wheel.what))
    busiest = wheel.busiest()
    caption = (f"When the {wheel.dated:,} dated {cleaned.what} happened, by hour of day "
               "and day of week")
    if busiest is not None:
        caption += f"; the busiest hour is {busiest[0]} {busiest[1]} ({busiest[2]:,})"
    return caption + ".", time_wheel_png(cleaned)
