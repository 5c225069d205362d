"""The report's histograms, chosen to say something.

A histogram of one bar ("entities by type" when every entity is a Country) tells a reader
nothing and costs a third of a page, so a histogram whose field finds one value or none is left
out and named in one line instead. Dates are counted by day, month or year, whichever gives a
readable number of bars for the span of the data; link ends ("from", "to") show where routes
start and end. The bars are counted by ``workbench.analysis.histogram`` and drawn by
``workbench.export.histogram_image``, as in the histogram dock, from a copy whose texts are
cleaned (matplotlib cannot draw control characters or lone surrogates).
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from workbench.analysis.fields import Target, resolve_field
from workbench.analysis.graph import AnalysisError
from workbench.analysis.histogram import BarKind, Histogram, SortBy, histogram
from workbench.export.histogram_image import draw_histogram, figure_size, store_link_counts
from workbench.export.report_pictures import DPI, bar_chart_png
from workbench.export.report_text import plain
from workbench.model import Chart, Entity, Link

TOP = 15  # bars of names; the rest are one "Other" bar


@dataclass(frozen=True, slots=True)
class CountPicture:
    caption: str
    png: bytes


def _date_bin(items: list[Entity] | list[Link]) -> str:
    """Day, month or year: the finest that keeps the bars to a readable number."""
    dates = [item.date for item in items if isinstance(item.date, datetime)]
    if not dates:
        return "month"
    days = (max(dates) - min(dates)).days
    return "day" if days <= 62 else "month" if days <= 3 * 366 else "year"


def _field_of(chart: Chart, name: str, among: list[str] | None):  # type: ignore[no-untyped-def]
    if name == "entity type":
        return resolve_field(chart, "type"), SortBy.COUNT
    if name == "link type":
        return resolve_field(chart, "linktype"), SortBy.COUNT
    if name in ("from", "to"):
        return resolve_field(chart, name), SortBy.COUNT
    if name in ("date", "year"):
        field = resolve_field(chart, "date")
        items = chart.entities if field.target is Target.ENTITIES else chart.links
        chosen = [items[i] for i in among if i in items] if among is not None \
            else list(items.values())
        return replace(field, bin="year" if name == "year" else _date_bin(chosen)), \
            SortBy.VALUE
    return resolve_field(chart, name), SortBy.COUNT


def _cleaned(hist: Histogram) -> Histogram:
    bars = [replace(bar, label=plain(bar.label)) for bar in hist.bars]
    return replace(hist, title=plain(hist.title), bars=bars)


def _png(hist: Histogram) -> bytes:
    figure = Figure(figsize=figure_size(hist), dpi=DPI)
    FigureCanvasAgg(figure)
    draw_histogram(figure, hist)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return buffer.getvalue()


def _counter_picture(name: str, counts: Counter[str]) -> CountPicture | None:
    """'source' and 'grade' count provenance records, which the histogram module does not."""
    if len(counts) <= 1:
        return None
    total = sum(counts.values())
    caption = (f"{name.capitalize()}: {total:,} records, {len(counts):,} values"
               + (f", largest {TOP} shown." if len(counts) > TOP else "."))
    cleaned = Counter({plain(k): v for k, v in counts.items()})
    return CountPicture(caption, bar_chart_png(plain(name.capitalize()), cleaned, TOP))


def count_picture(chart: Chart, name: str, entities: list[Entity], links: list[Link],
                  among: list[str] | None) -> CountPicture | str:
    """The picture for one histogram of the template, or the line that says why there is
    none ("Entity type: one value, Country")."""
    title = plain(name.capitalize())
    if name in ("source", "grade"):
        items = [*entities, *links]
        counts = Counter(s.source if name == "source" else (s.grade or "ungraded")
                         for item in items for s in set(item.provenance))
        picture = _counter_picture(name, counts)
        if picture is not None:
            return picture
        return f"{title}: " + (f"one value, {plain(next(iter(counts)))}" if counts
                               else "no item records a source")
    try:
        field, sort = _field_of(chart, name, among)
        hist = histogram(chart, field, among=among, sort=sort,
                         top=TOP if sort is SortBy.COUNT else None,
                         stands_for=store_link_counts(chart, field))
    except AnalysisError:
        return f"{title}: no item in this report carries it"
    values = [bar for bar in hist.bars if bar.kind is not BarKind.NONE]
    if not values or (len(values) == 1 and values[0].kind is BarKind.VALUE):
        if not values:
            return f"{title}: no item in this report carries it"
        return f"{title}: one value, {plain(values[0].label)}"
    # The values after the top ones are left out: one "Other" bar as long as all of them
    # squeezed the bars a reader came for into a sliver. The caption says what they hold.
    rest = sum(bar.value for bar in hist.bars if bar.kind is BarKind.OTHER)
    hist = _cleaned(replace(hist, bars=[b for b in hist.bars if b.kind is not BarKind.OTHER]))
    distinct = sum(1 for bar in hist.bars if bar.kind is BarKind.VALUE)
    caption = f"{hist.title}: {hist.counted:,} {field.target.value}"
    if hist.unit:
        caption += f", standing for {hist.standing_for:,.0f} {hist.unit}"
    if rest:
        caption += (f"; the {distinct:,} largest values are drawn, the other values together "
                    f"hold {rest:,.0f} {hist.unit or field.target.value}.")
    elif not (hist.field.bin and hist.field.name == "date"):
        caption += f", {distinct:,} values."
    else:
        caption += "."
    return CountPicture(caption, _png(hist))
