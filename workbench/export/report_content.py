"""What a report says, as plain data, before it becomes DOCX or PDF.

Both writers render the same ``ReportContent``, so a Word report and a PDF report of one chart
hold the same title page, pictures, tables and sources appendix. Text here is plain (never
markup) and straight from the chart; each writer makes it safe for its own engine
(``report_text``). A default report stays short (about 25 pages for any chart): the chart in
pages a reader can read (``report_chart``), histograms that say something (``report_counts``),
the map's strongest legs (``report_map``), the busiest entities' timeline
(``report_timeline``) and the top rows of each table (``report_tables``),
with the full tables in a spreadsheet written beside the report.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from workbench.export.report_counts import CountPicture, count_picture
from workbench.export.report_map import MapPicture, route_map_picture
from workbench.export.report_tables import (
    Table,
    TableBlock,
    entity_table,
    link_table,
    sources_table,
)
from workbench.export.report_template import ReportTemplate
from workbench.export.timewheel_image import time_wheel_picture
from workbench.model import Chart, Entity, Link


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
    tables_name: str = ""  # the spreadsheet beside the report that the text names
    shortened: bool = False  # the text sends the reader to that spreadsheet: write it



def _chart_pictures(chart: Chart, pictures: Mapping[str, bytes],
                    entity_ids: set[str] | None, width_px: int) -> list[Picture]:
    """The chart pages: given by the window ('chart:CAPTION' keys in order, or one 'chart'),
    else drawn here through the view (which needs the GUI thread, as the CLI has)."""
    given = [Picture(key[len("chart:"):], png) for key, png in pictures.items()
             if key.startswith("chart:")]
    if given:
        return given
    if pictures.get("chart"):  # one picture of unknown scale: as wide as the page
        return [Picture("The link chart.", pictures["chart"], fill_width=True)]
    from workbench.export.report_chart_draw import draw_chart_pages

    # Drawn to print at their own size (labels at 7 pt or more), never scaled to the page.
    return [Picture(caption, png) for caption, png in draw_chart_pages(chart, entity_ids,
                                                                       width_px)]


def _timeline_blocks(chart: Chart, pictures: Mapping[str, bytes],
                     entity_ids: set[str] | None) -> list[Block]:
    """The timeline: given by the window ('timeline:CAPTION', drawn on the GUI thread), else
    drawn here; nothing when no entity of the report has a dated link or event."""
    given = [Picture(key[len("timeline:"):], png, fill_width=True)
             for key, png in pictures.items() if key.startswith("timeline:")]
    if not given:
        from workbench.export.report_timeline import timeline_report_picture

        drawn = timeline_report_picture(chart, entity_ids)
        given = [Picture(drawn.caption, drawn.png, fill_width=True)] if drawn else []
    return [Heading("Timeline"), *given] if given else []


def _texts(blocks: list[Block]) -> Iterator[str]:
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block.text
        elif isinstance(block, TableBlock):
            yield from (cell for row in block.rows for cell in row)


def _table_blocks(heading: str, table: Table) -> list[Block]:
    blocks: list[Block] = [Heading(heading)]
    if table.intro:
        blocks.append(Paragraph(table.intro))
    if table.block is not None:
        blocks.append(table.block)
    if table.more:
        blocks.append(Paragraph(table.more))
    return blocks


def _links_said(chart: Chart, links: list[Link]) -> str:
    """The report's count of links; a chart drawn from a store also says how many store
    links its lines stand for (one line per connection: "98, standing for 454 store
    links"), which a reader would otherwise take to be the number of calls."""
    if "store" not in chart.settings:  # not drawn from a store (store/charting.SETTING)
        return f"{len(links):,}"
    from workbench.store.connections import store_links  # here: the store brings DuckDB

    total = store_links(chart, links)
    if total == len(links):
        return f"{len(links):,}"
    return f"{len(links):,}, standing for {total:,} store links"


def report_entities(chart: Chart, template: ReportTemplate,
                    entity_ids: Collection[str] | None) -> tuple[list[Entity], bool]:
    """The entities a report covers: those of the template's entity types, of the selection
    when ``entity_ids`` is given; and whether that is the whole chart (no choice made)."""
    types = set(template.entity_types) if template.entity_types is not None else None
    chosen = set(entity_ids) if entity_ids is not None else None
    return ([e for e in chart.entities.values()
             if (types is None or e.type in types) and (chosen is None or e.id in chosen)],
            types is None and chosen is None)


def build_content(chart: Chart, template: ReportTemplate | None = None, *,
                  pictures: Mapping[str, bytes] | None = None,
                  entity_ids: Iterable[str] | None = None,
                  now: datetime | None = None, tables_name: str = "") -> ReportContent:
    """The report for ``chart``. ``pictures`` may hold PNGs the window already has: the
    chart pages ('chart:CAPTION', drawn for the window by ``report_chart_draw`` in the
    picture child process, so that no Qt drawing happens on the worker that writes the
    rest) and 'map' (the route map). Missing ones are drawn here. With ``entity_ids`` (the
    selection) the report covers those entities and the links among them. ``tables_name``
    is the spreadsheet the shortened tables point to."""
    template = template or ReportTemplate()
    pictures = dict(pictures or {})
    now = now or datetime.now(UTC)
    covered, whole = report_entities(chart, template, entity_ids)
    # Full tables read like an index: by type, then by name (a reader looks a person up).
    entities = sorted(covered, key=lambda e: (e.type.casefold(), e.label.casefold()))
    kept = {e.id for e in entities}
    labels = {e.id: e.label.casefold() for e in entities}
    links = sorted((lk for lk in chart.links.values() if lk.end1 in kept and lk.end2 in kept),
                   key=lambda lk: (lk.type.casefold(), labels[lk.end1], labels[lk.end2]))
    degree = dict.fromkeys(kept, 0)
    for lk in links:
        degree[lk.end1] += 1
        degree[lk.end2] += 1
    sources = {s for item in [*entities, *links] for s in item.provenance}
    among = None if whole else [*kept, *(lk.id for lk in links)]
    elsewhere = (f"the attached spreadsheet {tables_name}" if tables_name
                 else "the spreadsheet export")
    full = template.full_tables
    content = ReportContent(
        title=template.title or chart.title,
        subtitle=template.subtitle if template.subtitle is not None else chart.description,
        author=template.author if template.author is not None else chart.author,
        date=now.strftime("%d %B %Y"),
        marking=template.marking if template.marking is not None else chart.marking,
        summary=[("Entities", f"{len(entities):,}"), ("Links", _links_said(chart, links)),
                 ("Source records", f"{len(sources):,}"),
                 ("Chart last changed", chart.modified.strftime("%d %B %Y %H:%M"))],
        title_page="title" in template.sections, tables_name=tables_name,
    )
    blocks = content.blocks
    for section in template.sections:
        if section == "chart":
            pages = _chart_pictures(chart, pictures, None if whole else kept,
                                    template.chart_width_px)
            if pages:
                blocks.append(Heading("Chart"))
                blocks += pages
            elif kept:  # the chart's saved display cannot be drawn (a partner's file)
                blocks += [Heading("Chart"), Paragraph(
                    "The chart could not be drawn: its saved display settings are not valid. "
                    "The tables below hold what it shows.")]
        elif section == "histograms" and template.histograms:
            drawn: list[Block] = []
            left_out: list[str] = []
            for name in template.histograms:
                result = count_picture(chart, name, entities, links, among)
                if isinstance(result, CountPicture):
                    drawn.append(Picture(result.caption, result.png))
                else:
                    left_out.append(result)
            blocks.append(Heading("Counts"))
            blocks += drawn
            if left_out:
                blocks.append(Paragraph("Not drawn, as each would be a single bar or empty: "
                                        + "; ".join(left_out) + "."))
        elif section == "timewheel":
            wheel = time_wheel_picture(chart, among)
            if wheel is not None:  # left out of charts with too few dated items
                blocks += [Heading("Time wheel"), Picture(*wheel)]
        elif section == "map":
            given = pictures.get("map")
            route_map = MapPicture("Routes between the places in the chart.", given) \
                if given else route_map_picture(chart)
            if isinstance(route_map, MapPicture):
                blocks += [Heading("Route map"),
                           Picture(route_map.caption, route_map.png, fill_width=True)]
            elif route_map:
                blocks += [Heading("Route map"), Paragraph(route_map)]
        elif section == "timeline":
            blocks += _timeline_blocks(chart, pictures, None if whole else kept)
        elif section == "entities":
            table = entity_table(entities, degree, template.entity_attributes, full, elsewhere)
            blocks += _table_blocks(f"Entities ({len(entities):,})", table)
        elif section == "links":
            table = link_table(chart, links, degree, template.link_attributes, full, elsewhere)
            blocks += _table_blocks(f"Links ({len(links):,})", table)
        elif section == "sources":
            blocks.append(Heading("Sources"))
            if sources:
                blocks.append(Paragraph(
                    "The source records behind the items above. Grade: source reliability "
                    "(A always reliable to E untested) and information credibility (1 known to "
                    "be true to 5 suspected false)."))
                table = sources_table(chart, entities, links, full, elsewhere)
                blocks += _table_blocks("", table)[1:]
            else:
                blocks.append(Paragraph("No item in this report records a source."))
    # The spreadsheet is written when the report sends the reader to it (a shortened table,
    # a cut cell), and only then.
    content.shortened = bool(tables_name) and any(tables_name in text
                                                  for text in _texts(blocks))
    return content
