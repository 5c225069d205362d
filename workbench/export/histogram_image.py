"""Draw a histogram with matplotlib, the same way in the dock and on the command line.

Histograms go into reports that travel to banks and police, so they are drawn to be read on
paper: horizontal bars for names (long country names stay readable, wrapped, never rotated),
vertical bars for a time or number axis (time runs left to right), the count at the end of each
bar, a title that says what is counted, and the selected part of each bar drawn in a second
colour. Only the object-oriented matplotlib API is used (a Figure, never pyplot's global state),
so drawing is safe off the GUI thread and in a headless process.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from workbench.analysis.fields import DateBin, Field
from workbench.analysis.histogram import BarKind, Histogram, SortBy
from workbench.io.atomic import atomic_path, write_bytes
from workbench.io.cells import csv_line, neutralise
from workbench.io.interchange.common import xml_safe, xml_safe_bytes
from workbench.model import Chart

BAR_COLOUR = "#3b6ea5"  # calm blue, prints well in greyscale
SELECTED_COLOUR = "#e8772e"  # orange: the selected part of each bar
MUTED_COLOUR = "#9aa5b1"  # Other and (none): present, but not a value of their own
TEXT_COLOUR = "#222222"
LABEL_WIDTH = 30  # characters before a bar label wraps
FORMATS = ("png", "svg", "pdf", "csv")


@dataclass
class HistogramPlot:
    """What was drawn, so a click can be turned back into a bar."""

    axes: Axes
    horizontal: bool
    count: int

    def bar_at(self, x: float | None, y: float | None) -> int | None:
        """The index of the bar under data coordinates (x, y), or None."""
        position = y if self.horizontal else x
        if position is None:
            return None
        index = round(position)
        if 0 <= index < self.count and abs(position - index) <= 0.45:
            return index
        return None


def is_horizontal(hist: Histogram) -> bool:
    """Names read best as horizontal bars; a time or number axis reads left to right."""
    ordered_axis = hist.field.bin is not None or _numeric_labels(hist)
    return not (ordered_axis and _sorted_by_value(hist))


def _numeric_labels(hist: Histogram) -> bool:
    values = [b.label.replace(",", "") for b in hist.bars if b.kind is BarKind.VALUE]
    return bool(values) and all(v.lstrip("-").replace(".", "", 1).isdigit() for v in values)


def _sorted_by_value(hist: Histogram) -> bool:
    return hist.sort is SortBy.VALUE


def figure_size(hist: Histogram, horizontal: bool | None = None) -> tuple[float, float]:
    """Inches: tall enough for every horizontal bar, wide enough for the vertical ones."""
    horizontal = is_horizontal(hist) if horizontal is None else horizontal
    n = max(len(hist.bars), 1)
    if horizontal:
        lines = sum(len(wrap_label(b.label)) for b in hist.bars) if n <= 40 else n
        return (8.0, min(max(2.2 + 0.28 * max(n, lines * 0.75), 3.5), 40.0))
    return (min(max(6.0, 0.22 * n + 2.5), 16.0), 4.8)


def wrap_label(label: str) -> list[str]:
    return textwrap.wrap(label, LABEL_WIDTH, break_long_words=True) or [label]



def store_link_counts(chart: Chart, *fields: Field) -> dict[str, int] | None:
    """How many store links each link of a chart drawn from a store stands for, counted by
    ``fields`` (``store.connections.stands_for``): what the window's histogram, the command
    line's and a report's count alike. None for any other chart, which need not import the
    store, and DuckDB with it."""
    if "store" not in chart.settings:  # store/charting.SETTING
        return None
    from workbench.store.connections import stands_for

    return stands_for(chart, *fields)


def draw_histogram(figure: Figure, hist: Histogram, selected: Collection[str] = (),
                   *, horizontal: bool | None = None, subtitle: str = "") -> HistogramPlot:
    """Clear ``figure`` and draw ``hist`` on it; ``selected`` item ids are highlighted."""
    horizontal = is_horizontal(hist) if horizontal is None else horizontal
    figure.clear()
    figure.set_layout_engine("constrained")
    axes = figure.add_subplot(1, 1, 1)
    # Scraped labels may hold control characters or a lone surrogate: fonts have no glyph
    # for them, SVG cannot hold them and matplotlib refuses surrogates. Shown as '�'.
    title, subtitle = xml_safe(hist.title), xml_safe(subtitle)
    names = [xml_safe(bar.label) for bar in hist.bars]
    if not hist.bars:
        axes.set_axis_off()
        axes.set_title(title, loc="left", fontsize=12, fontweight="bold")
        axes.text(0.5, 0.5, f"No {hist.field.target.value} to count", ha="center",
                  va="center", color="#555555", transform=axes.transAxes)
        return HistogramPlot(axes, True, 0)
    values = [bar.value for bar in hist.bars]
    chosen = hist.selected_values(selected) if selected else [0.0] * len(values)
    colours = [BAR_COLOUR if bar.kind is BarKind.VALUE else MUTED_COLOUR for bar in hist.bars]
    positions = list(range(len(values)))
    # A few bars: long names wrap onto two lines. Many bars: one line each (shortened if very
    # long), since a wrapped label would run into its neighbours.
    if len(values) <= 40:
        labels = ["\n".join(wrap_label(name)) for name in names]
    else:
        labels = [textwrap.shorten(name, 48, placeholder="...") for name in names]
    # "Other" and "(none)" can dwarf every real value (281 small countries together): the
    # axis is scaled to the real values and such a bar is drawn cut, hatched, with its count.
    real = [bar.value for bar in hist.bars if bar.kind is BarKind.VALUE]
    top = max(real or values or [0]) or 1.0
    limit = top * 1.12
    cut = [v > limit * 1.05 and bar.kind is not BarKind.VALUE
           for v, bar in zip(values, hist.bars, strict=True)]
    shown = [limit if c else v for v, c in zip(values, cut, strict=True)]
    shown_chosen = [min(p, limit) for p in chosen]
    number_axis = FuncFormatter(lambda v, _pos: f"{v:,.0f}" if float(v).is_integer()
                                else f"{v:,.1f}")
    if horizontal:
        drawn = axes.barh(positions, shown, color=colours, height=0.72, zorder=2)
        if any(chosen):
            axes.barh(positions, shown_chosen, color=SELECTED_COLOUR, height=0.72, zorder=3)
        axes.set_yticks(positions, labels, fontsize=_label_size(len(values)))
        axes.set_ylim(len(values) - 0.5, -0.5)  # first bar at the top
        axes.set_xlabel(hist.measure_label, color=TEXT_COLOUR)
        axes.xaxis.set_major_locator(MaxNLocator(integer=not hist.weight))
        axes.xaxis.set_major_formatter(number_axis)
        axes.grid(axis="x", color="#dddddd", zorder=0)
        axes.set_xlim(0, limit * 1.16)
        if len(values) <= 60:
            for pos, value, part, width in zip(positions, values, chosen, shown, strict=True):
                text = _number(value) if not part else f"{_number(part)} of {_number(value)}"
                axes.text(width + top * 0.01, pos, text, va="center", fontsize=8,
                          color=TEXT_COLOUR)
    else:
        drawn = axes.bar(positions, shown, color=colours, width=0.8, zorder=2)
        if any(chosen):
            axes.bar(positions, shown_chosen, color=SELECTED_COLOUR, width=0.8, zorder=3)
        rotate = len(values) > 12 or _long(hist)
        step = _label_step(figure, len(values), rotate)
        axes.set_xticks(positions[::step], names[::step],
                        rotation=90 if rotate else 0, fontsize=8)
        axes.set_xlim(-0.6, len(values) - 0.4)
        axes.set_ylabel(hist.measure_label, color=TEXT_COLOUR)
        axes.yaxis.set_major_locator(MaxNLocator(integer=not hist.weight))
        axes.yaxis.set_major_formatter(number_axis)
        axes.grid(axis="y", color="#dddddd", zorder=0)
        axes.set_ylim(0, limit * 1.08)
        if hist.field.bin in (DateBin.HOUR, DateBin.WEEKDAY) or len(values) <= 24:
            for pos, value, height in zip(positions, values, shown, strict=True):
                if value:
                    axes.text(pos, height + top * 0.01, _number(value), ha="center",
                              va="bottom", fontsize=7, color=TEXT_COLOUR)
    for patch, was_cut in zip(drawn, cut, strict=True):
        if was_cut:
            patch.set_hatch("///")
            patch.set_edgecolor("white")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(colors=TEXT_COLOUR)
    axes.set_title(title, loc="left", fontsize=12, fontweight="bold", color=TEXT_COLOUR,
                   pad=16)  # room for the line of notes below the title
    notes = [subtitle] if subtitle else []
    counted = f"{hist.counted:,} {hist.field.target.value} counted"
    if hist.unit:  # a store chart's lines, each standing for its store links
        counted += f", standing for {_number(hist.standing_for)} {hist.unit}"
    notes.append(counted)
    if any(chosen):
        notes.append(f"{_number(sum(chosen))} selected (orange)")
    axes.annotate(" · ".join(notes), xy=(0, 1), xycoords="axes fraction", xytext=(0, 4),
                  textcoords="offset points", fontsize=8, color="#555555", va="bottom")
    return HistogramPlot(axes, horizontal, len(values))


def _label_step(figure: Figure, bars: int, rotated: bool) -> int:
    """Label every bar, or every second, third... bar: as many as fit across the figure
    without touching (a rotated 8 pt label needs about 14 px, a level one about 60 px)."""
    width = figure.get_figwidth() * figure.dpi * 0.85  # less the axis on the left
    room = 14 * figure.dpi / 100 if rotated else 60 * figure.dpi / 100
    return max(1, -(-int(bars * room) // max(int(width), 1)))


def _label_size(bars: int) -> float:
    return 9 if bars <= 30 else 8 if bars <= 60 else 6


def _long(hist: Histogram) -> bool:
    return any(len(b.label) > 8 for b in hist.bars)


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}"


def render_histogram(hist: Histogram, path: str | Path, selected: Collection[str] = (),
                     *, dpi: int = 150, subtitle: str = "") -> Path:
    """Write the histogram as PNG, SVG or PDF (by the file's suffix), or as CSV."""
    path = Path(path)
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ValueError(f"{path.name}: cannot write .{suffix}; use one of "
                         f"{', '.join('.' + f for f in FORMATS)}")
    if suffix == "csv":
        write_histogram_csv(hist, path)
        return path
    figure = Figure(figsize=figure_size(hist), dpi=dpi)
    FigureCanvasAgg(figure)
    draw_histogram(figure, hist, selected, subtitle=subtitle)
    save_figure(figure, path, suffix, dpi, title=hist.title)
    return path


def save_figure(figure: Figure, path: str | Path, fmt: str, dpi: float,
                title: str = "") -> None:
    """Write a matplotlib figure as PNG, SVG or PDF (text stays text: searchable and
    editable in a report, not outlines). Drawn in memory, then written atomically:
    matplotlib's writers fail in confusing ways on a full disk (a PDF: AttributeError) and
    the old file must stay as it was; SVG text cannot hold control characters."""
    metadata = {"Title": xml_safe(title)} if title and fmt in ("pdf", "svg") else {}
    buffer = io.BytesIO()
    with rc_context({"svg.fonttype": "none", "pdf.fonttype": 42}):
        figure.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata)
    data = buffer.getbuffer()
    write_bytes(path, xml_safe_bytes(bytes(data)) if fmt == "svg" else data,
                kind={"svg": "xml"}.get(fmt, fmt))


def write_histogram_csv(hist: Histogram, path: str | Path) -> None:
    """The bars as CSV; labels follow the spreadsheet rule of workbench.io.cells."""
    with atomic_path(path) as tmp, open(tmp, "w", newline="", encoding="utf-8-sig") as handle:
        handle.write(csv_line([neutralise(hist.field.describe()),
                               neutralise(hist.measure_label)]))
        for bar in hist.bars:
            value = int(bar.value) if float(bar.value).is_integer() else bar.value
            handle.write(csv_line([neutralise(bar.label), str(value)]))
