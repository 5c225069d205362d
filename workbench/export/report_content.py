"""What a report says, as plain data, before it becomes DOCX or PDF.

Both writers render the same ``ReportContent``, so a Word report and a PDF report of one chart
hold the same title page, pictures, tables and sources appendix. Text here is plain (never
markup); each writer escapes it for its own format.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from workbench.export.report_pictures import (
    bar_chart_png,
    chart_image_png,
    chart_sketch_png,
    histogram_view_png,
    route_map_png,
)
from workbench.export.report_template import ReportTemplate
from workbench.model import Chart, Entity, Link, SourceRecord


@dataclass(frozen=True, slots=True)
class Heading:
    text: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str


@dataclass(frozen=True, slots=True)
class Picture:
    caption: str
    png: bytes
    fill_width: bool = False  # the chart and the map use the page width; others print as drawn


@dataclass(frozen=True, slots=True)
class TableBlock:
    headers: list[str]
    rows: list[list[str]]
    widths: list[float]  # relative column widths


MAX_CELL_CHARACTERS = 800  # a table row must fit on a page; the spreadsheet export has all
MAX_ITEMS_PER_SOURCE = 30


def _bounded(text: str) -> str:
    if len(text) <= MAX_CELL_CHARACTERS:
        return text
    keep = MAX_CELL_CHARACTERS - 60
    return f"{text[:keep]} … [{len(text) - keep:,} more characters in the spreadsheet export]"


def fitted_table(headers: list[str], rows: list[list[str]], keep: int = 1) -> TableBlock:
    """A table without columns that are empty in every row (after the first ``keep``), each
    column as wide as its longer texts need, so short codes do not wrap letter by letter."""
    columns = [c for c in range(len(headers))
               if c < keep or any(row[c] for row in rows)]
    headers = [headers[c] for c in columns]
    rows = [[_bounded(row[c]) for c in columns] for row in rows]
    widths, floors = [], []
    for c, header in enumerate(headers):
        lengths = sorted(len(row[c]) for row in rows) or [0]
        typical = lengths[int(0.9 * (len(lengths) - 1))]  # the 90th percentile, not outliers
        # Wide enough that no word (a header, 'Associate', a date) breaks inside, up to 16.
        words = [len(w) for text in [header, *(row[c] for row in rows)] for w in text.split()]
        # +2 for the cell padding; a floor of 5 keeps 'Row' and 'Grade' on one line.
        floor = max(min(max(words, default=0), 16) + 2, 5) + 2  # bold headers are wider
        floors.append(float(floor))
        widths.append(float(max(min(typical, 40) + 2, floor)))
    # A portrait page holds about PAGE_CHARACTERS at table size: take what is too much from
    # the columns wider than their longest word, in proportion, never below their floor.
    excess = sum(widths) - PAGE_CHARACTERS
    slack = sum(w - f for w, f in zip(widths, floors, strict=True))
    if excess > 0 and slack > 0:
        share = min(excess / slack, 1.0)
        widths = [w - (w - f) * share for w, f in zip(widths, floors, strict=True)]
    return TableBlock(headers, rows, widths)


Block = Heading | Paragraph | Picture | TableBlock


@dataclass(slots=True)
class ReportContent:
    title: str
    subtitle: str
    author: str
    date: str
    marking: str
    summary: list[tuple[str, str]]
    title_page: bool = True
    blocks: list[Block] = field(default_factory=list)


def _grades(item: Entity | Link) -> str:
    return ", ".join(sorted({s.grade for s in item.provenance if s.grade}))


def _attribute_names(items: list, chosen: list[str] | None) -> list[str]:
    present: dict[str, None] = {}
    for item in items:
        present.update(dict.fromkeys(item.attributes))
    if chosen is None:
        return sorted(present, key=str.casefold)
    return [name for name in chosen if name in present]


MAX_ATTRIBUTE_COLUMNS = 3
PAGE_CHARACTERS = 110  # characters of 7-point text across a portrait A4 table


def _attribute_cells(items: list, names: list[str],
                     taken: tuple[str, ...]) -> tuple[list[str], list[list[str]]]:
    """A column per attribute when there are few; otherwise one 'Attributes' column with a
    'name: value' line each, so a portrait page stays readable. An attribute named like one
    of the table's own columns (``taken``) is headed 'NAME (attribute)'."""
    if len(names) <= MAX_ATTRIBUTE_COLUMNS:
        headers = [f"{n} (attribute)" if n in taken else n for n in names]
        return headers, [[item.attributes[n].display() if n in item.attributes else ""
                          for n in names] for item in items]
    return ["Attributes"], [["\n".join(f"{n}: {item.attributes[n].display()}" for n in names
                                      if n in item.attributes)] for item in items]


def histogram_counts(entities: list[Entity], links: list[Link], name: str) -> Counter[str]:
    """Counts for one histogram of the template: a field ('entity type', 'link type',
    'source', 'grade', 'year') or an entity or link attribute (by displayed value)."""
    items = [*entities, *links]
    if name == "entity type":
        return Counter(e.type for e in entities)
    if name == "link type":
        return Counter(lk.type for lk in links)
    if name == "source":
        return Counter(s.source for item in items for s in set(item.provenance))
    if name == "grade":
        return Counter(s.grade or "ungraded" for item in items for s in set(item.provenance))
    if name == "year":
        return Counter(str(item.date.year) for item in items if item.date is not None)
    return Counter(item.attributes[name].display() for item in items if name in item.attributes)


def _items(names: list[str]) -> str:
    """The items a source supports, as many as fit a table cell, then how many more."""
    shown: list[str] = []
    length = 0
    for name in names:
        name = name if len(name) <= 60 else name[:59] + "…"
        if len(shown) >= MAX_ITEMS_PER_SOURCE or length + len(name) > MAX_CELL_CHARACTERS - 80:
            break
        shown.append(name)
        length += len(name) + 2
    rest = len(names) - len(shown)
    more = f"; and {rest:,} more (all in the spreadsheet export)" if rest else ""
    return "; ".join(shown) + more


def _sources_appendix(chart: Chart, entities: list[Entity], links: list[Link]) -> TableBlock:
    behind: dict[SourceRecord, list[str]] = defaultdict(list)
    for e in entities:
        for s in dict.fromkeys(e.provenance):
            behind[s].append(e.label or e.id)
    for lk in links:
        name = (f"{chart.entity(lk.end1).label} – {lk.type} – {chart.entity(lk.end2).label}")
        for s in dict.fromkeys(lk.provenance):
            behind[s].append(name)
    order = sorted(behind, key=lambda s: (s.source, s.file, s.sheet, s.row or 0))
    rows = [[s.source, s.file, s.sheet, "" if s.row is None else str(s.row), s.grade,
             s.handling, _items(behind[s])] for s in order]
    return fitted_table(["Source", "File", "Sheet", "Row", "Grade", "Handling", "Items"], rows)


def build_content(chart: Chart, template: ReportTemplate | None = None, *,
                  pictures: Mapping[str, bytes] | None = None,
                  entity_ids: Iterable[str] | None = None,
                  now: datetime | None = None) -> ReportContent:
    """The report for ``chart``. ``pictures`` may hold PNGs the window already has: 'chart'
    (drawn on the GUI thread, so the rest of the report can be written on a worker thread),
    'map' (the route map) and 'histogram:NAME'. Missing ones are drawn here (through the view,
    the histogram and geo modules when present) or left out with a note. With
    ``entity_ids`` (the selection) the report covers those entities and the links among
    them: tables, counts and the chart picture."""
    template = template or ReportTemplate()
    pictures = dict(pictures or {})
    now = now or datetime.now(UTC)
    types = set(template.entity_types) if template.entity_types is not None else None
    chosen = set(entity_ids) if entity_ids is not None else None
    # Tables read like an index: by type, then by name (a reader looks a person up).
    entities = sorted((e for e in chart.entities.values()
                       if (types is None or e.type in types)
                       and (chosen is None or e.id in chosen)),
                      key=lambda e: (e.type.casefold(), e.label.casefold()))
    kept = {e.id for e in entities}
    labels = {e.id: e.label.casefold() for e in entities}
    links = sorted((lk for lk in chart.links.values() if lk.end1 in kept and lk.end2 in kept),
                   key=lambda lk: (lk.type.casefold(), labels[lk.end1], labels[lk.end2]))
    sources = {s for item in [*entities, *links] for s in item.provenance}
    whole = types is None and chosen is None
    among = None if whole else [*kept, *(lk.id for lk in links)]
    content = ReportContent(
        title=template.title or chart.title,
        subtitle=template.subtitle if template.subtitle is not None else chart.description,
        author=template.author if template.author is not None else chart.author,
        date=now.strftime("%d %B %Y"),
        marking=template.marking if template.marking is not None else chart.marking,
        summary=[("Entities", f"{len(entities):,}"), ("Links", f"{len(links):,}"),
                 ("Source records", f"{len(sources):,}"),
                 ("Chart last changed", chart.modified.strftime("%d %B %Y %H:%M"))],
        title_page="title" in template.sections,
    )
    blocks = content.blocks
    for section in template.sections:
        if section == "chart":
            blocks.append(Heading("Chart"))
            given_chart = pictures.get("chart")
            real = (given_chart, True) if given_chart else chart_image_png(
                chart, template.chart_width_px, None if whole else kept)
            if real is not None:
                blocks.append(Picture("The link chart.", real[0], fill_width=True))
            else:
                blocks.append(Picture("Sketch of the link chart: entities at their chart "
                                      "positions in their type colours.",
                                      chart_sketch_png(chart, template.chart_width_px,
                                                       None if whole else kept),
                                      fill_width=True))
        elif section == "histograms" and template.histograms:
            blocks.append(Heading("Counts"))
            for name in template.histograms:
                counts = histogram_counts(entities, links, name)
                given = pictures.get(f"histogram:{name}")
                if given is None and not counts:
                    blocks.append(Paragraph(f"{name.capitalize()}: no items carry this."))
                    continue
                given = given or histogram_view_png(chart, name, among)
                total, distinct = sum(counts.values()), len(counts)
                caption = (f"{name.capitalize()}: {total:,} item{'s' * (total != 1)}, "
                           f"{distinct:,} value{'s' * (distinct != 1)}"
                           + (", largest 15 shown." if distinct > 15 else "."))
                blocks.append(Picture(caption, given or bar_chart_png(name.capitalize(),
                                                                      counts)))
        elif section == "map":
            route_map = pictures.get("map") or route_map_png(chart)
            if route_map:
                blocks.append(Heading("Route map"))
                blocks.append(Picture("Routes between the places in the chart.", route_map,
                                      fill_width=True))
        elif section == "entities":
            blocks.append(Heading(f"Entities ({len(entities):,})"))
            names = _attribute_names(entities, template.entity_attributes)
            headers, values = _attribute_cells(entities, names,
                                               ("Label", "Type", "Identity", "Grades"))
            rows = [[e.label, e.type, e.identity or "", *cells, _grades(e)]
                    for e, cells in zip(entities, values, strict=True)]
            blocks.append(fitted_table(["Label", "Type", "Identity", *headers, "Grades"], rows)
                          if rows else Paragraph("The chart holds no entities."))
        elif section == "links":
            blocks.append(Heading(f"Links ({len(links):,})"))
            names = _attribute_names(links, template.link_attributes)
            headers, values = _attribute_cells(
                links, names, ("From", "Link", "To", "Label", "Direction", "Strength", "Date",
                               "Grades"))
            rows = [[chart.entity(lk.end1).label, lk.type, chart.entity(lk.end2).label,
                     lk.label, lk.direction.value, lk.strength.value,
                     lk.date.strftime("%Y-%m-%d %H:%M") if lk.date else "", *cells,
                     _grades(lk)] for lk, cells in zip(links, values, strict=True)]
            blocks.append(fitted_table(["From", "Link", "To", "Label", "Direction", "Strength",
                                        "Date", *headers, "Grades"], rows, keep=3)
                          if rows else Paragraph("The chart holds no links among these entities."))
        elif section == "sources":
            blocks.append(Heading("Sources"))
            if sources:
                blocks.append(Paragraph(
                    "Every source record behind the items above. Grade: source reliability "
                    "(A always reliable to E untested) and information credibility (1 known to "
                    "be true to 5 suspected false)."))
                blocks.append(_sources_appendix(chart, entities, links))
            else:
                blocks.append(Paragraph("No item in this report records a source."))
    return content
