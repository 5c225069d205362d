"""Picture helpers for reports: a picture's printed size, and plain bar charts of counts.

The chart pages are ``report_chart``, the histograms ``report_counts`` and the map
``report_map``. Figures are made with matplotlib's object API (no pyplot state), so they can be
drawn off the GUI thread.
"""

from __future__ import annotations

import io
from collections import Counter

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

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
