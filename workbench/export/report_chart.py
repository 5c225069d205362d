"""The chart in a report, legible at print size: one page when it fits, else an overview page
and pages of the most connected parts.

A chart's labels are 11 scene units high; printed at more than about 113 scene units to the
inch they drop below 7 pt and become specks. A chart that fits a page at a readable scale is
one picture. A bigger one gets an overview of the whole chart (the labels of its hubs that
print at 7 pt without overlap, most connected first) and up to ``MAX_DETAILS`` detail pages,
each a page-sized window of the chart at 100 scene units to the inch (labels at 7.9 pt) around the
most connected entity not yet shown, with the entities in it and the links among them.

The plan (which pages, which entities, captions) is plain Python, so the document writer can
caption pictures the window drew. Drawing uses the window's own ``ChartScene`` (one drawing
code), on the GUI thread only, with the report's own level of detail: labels are drawn only
when they print at 7 pt or more.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from workbench.model import Chart

PAGE_WIDTH_IN = (21.0 - 2 * 1.8) / 2.54  # the report's text width (A4, 1.8 cm margins)
PAGE_HEIGHT_IN = (29.7 - 2 * 1.8 - 5.0) / 2.54  # leaves room for a heading and a caption
DETAIL_UNITS_PER_IN = 100.0  # labels (11 units) print at 7.9 pt on detail pages
FIT_UNITS_PER_IN = 70.0  # a small chart is not blown up further than this (labels 11 pt)
LEGIBLE_UNITS_PER_IN = 11 / 7 * 72  # 113: coarser than this, labels print below 7 pt
# Scene units around the entities' centres that a picture also shows: half a label (labels
# are elided at 170 units) and the icon's edge, so a planned picture keeps its scale.
MARGIN = 100.0
MAX_DETAILS = 3


@dataclass(frozen=True, slots=True)
class ChartPage:
    """One chart picture of the report: which entities (None: all of the report's), at how
    many scene units to the printed inch, and the caption under it."""

    caption: str
    entity_ids: frozenset[str] | None
    units_per_inch: float
    overview: bool = False


def _degrees(chart: Chart, ids: set[str]) -> dict[str, int]:
    degree = dict.fromkeys(ids, 0)
    for lk in chart.links.values():
        if lk.end1 in ids and lk.end2 in ids:
            degree[lk.end1] += 1
            degree[lk.end2] += 1
    return degree


def plan_chart_pages(chart: Chart, entity_ids: Iterable[str] | None = None) -> list[ChartPage]:
    """The chart pictures a report of these entities (default: all) needs."""
    ids = set(chart.entities) if entity_ids is None else \
        {i for i in entity_ids if i in chart.entities}
    if not ids:
        return []
    chosen = None if entity_ids is None else frozenset(ids)
    xs = [chart.entities[i].x for i in ids]
    ys = [chart.entities[i].y for i in ids]
    width = max(xs) - min(xs) + 2 * MARGIN
    height = max(ys) - min(ys) + 2 * MARGIN
    fit = max(width / PAGE_WIDTH_IN, height / PAGE_HEIGHT_IN)
    if fit <= LEGIBLE_UNITS_PER_IN:
        return [ChartPage("The link chart.", chosen, max(fit, FIT_UNITS_PER_IN))]
    degree = _degrees(chart, ids)
    pages = [ChartPage(f"Overview of the whole chart ({len(ids):,} entities): too big to "
                       "label at print size, so only its best-connected entities are named; "
                       "the pages that follow show its most connected parts with every label.",
                       chosen, fit, overview=True)]
    half_w = (PAGE_WIDTH_IN * DETAIL_UNITS_PER_IN - 2 * MARGIN) / 2
    half_h = (PAGE_HEIGHT_IN * DETAIL_UNITS_PER_IN - 2 * MARGIN) / 2
    order = sorted(ids, key=lambda i: (-degree[i], chart.entities[i].label.casefold(), i))
    shown: set[str] = set()
    for centre_id in order:
        if len(pages) > MAX_DETAILS or len(shown) == len(ids):
            break
        if centre_id in shown:
            continue
        centre = chart.entities[centre_id]
        inside = frozenset(i for i in ids
                           if abs(chart.entities[i].x - centre.x) <= half_w
                           and abs(chart.entities[i].y - centre.y) <= half_h)
        shown |= inside
        links = sum(1 for lk in chart.links.values() if lk.end1 in inside and lk.end2 in inside)
        pages.append(ChartPage(
            f"Detail {len(pages)}: the {len(inside):,} entities around {centre.label} "
            f"({degree[centre_id]:,} links), with the {links:,} links among them.",
            inside, DETAIL_UNITS_PER_IN))
    if len(shown) < len(ids):
        pages[0] = ChartPage(pages[0].caption + f" {len(ids) - len(shown):,} entities are on "
                             "no detail page (the attached spreadsheet lists them all).",
                             chosen, fit, overview=True)
    return pages


def image_size(rect_width: float, rect_height: float, units_per_inch: float,
               dpi: float) -> tuple[int, int]:
    """Pixels of a picture of a scene area printed at ``units_per_inch`` with ``dpi``."""
    return (max(1, math.ceil(rect_width / units_per_inch * dpi)),
            max(1, math.ceil(rect_height / units_per_inch * dpi)))
