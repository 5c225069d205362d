"""The report's tables: entities, links and sources, short by default.

A reader at a bank or a police force reads the top of a table, not page 400 of it. Unless the
template asks for ``full_tables``, each table keeps its most telling rows (the most connected
entities, the busiest connections, the sources behind the most items), says "and N more", and
names the spreadsheet beside the report that holds every row. The full tables read like an
index instead: by type, then by name.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from workbench.model import Chart, Entity, Link, SourceRecord

TOP_ROWS = 40  # rows of the entity and link tables in a default report
TOP_SOURCES = 25  # source rows carry a list of items each: fewer fit on a page
MAX_CELL_CHARACTERS = 800  # a table row must fit on a page; the spreadsheet has all
MAX_ITEMS_PER_SOURCE = 30
MAX_ATTRIBUTE_COLUMNS = 3
TOP_LINES = 6  # attribute lines in a cell of a shortened table (every one in the spreadsheet)
PAGE_CHARACTERS = 110  # characters of 7-point text across a portrait A4 table


@dataclass(frozen=True, slots=True)
class TableBlock:
    headers: list[str]
    rows: list[list[str]]
    widths: list[float]  # relative column widths


@dataclass(frozen=True, slots=True)
class Table:
    """A table and what the reader is told before it (what is shown) and after it (what is
    left out and where to find it)."""

    block: TableBlock | None
    intro: str = ""
    more: str = ""


def _bounded(text: str, elsewhere: str) -> str:
    if len(text) <= MAX_CELL_CHARACTERS:
        return text
    keep = MAX_CELL_CHARACTERS - 60
    return f"{text[:keep]} … [{len(text) - keep:,} more characters in {elsewhere}]"


def fitted_table(headers: list[str], rows: list[list[str]], keep: int = 1,
                 elsewhere: str = "the spreadsheet export") -> TableBlock:
    """A table without columns that are empty in every row (after the first ``keep``), each
    column as wide as its longer texts need, so short codes do not wrap letter by letter."""
    columns = [c for c in range(len(headers))
               if c < keep or any(row[c] for row in rows)]
    headers = [headers[c] for c in columns]
    rows = [[_bounded(row[c], elsewhere) for c in columns] for row in rows]
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


def _grades(item: Entity | Link) -> str:
    return ", ".join(sorted({s.grade for s in item.provenance if s.grade}))


def _attribute_names(items: list, chosen: list[str] | None) -> list[str]:
    present: dict[str, None] = {}
    for item in items:
        present.update(dict.fromkeys(item.attributes))
    if chosen is None:
        return sorted(present, key=str.casefold)
    return [name for name in chosen if name in present]


def _attribute_cells(items: list, names: list[str], taken: tuple[str, ...],
                     lines: int | None = None, elsewhere: str = ""
                     ) -> tuple[list[str], list[list[str]]]:
    """A column per attribute when there are few; otherwise one 'Attributes' column with a
    'name: value' line each (at most ``lines`` of them, then how many more), so a portrait
    page stays readable. An attribute named like one of the table's own columns (``taken``)
    is headed 'NAME (attribute)'."""
    if len(names) <= MAX_ATTRIBUTE_COLUMNS:
        headers = [f"{n} (attribute)" if n in taken else n for n in names]
        return headers, [[item.attributes[n].display() if n in item.attributes else ""
                          for n in names] for item in items]
    cells = []
    for item in items:
        present = [f"{n}: {item.attributes[n].display()}" for n in names if n in item.attributes]
        if lines is not None and len(present) > lines:
            present = [*present[:lines - 1],
                       f"… {len(present) - lines + 1} more in {elsewhere}"]
        cells.append(["\n".join(present)])
    return ["Attributes"], cells


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'s' * (n != 1)}"


def entity_table(entities: list[Entity], degree: dict[str, int], chosen: list[str] | None,
                 full: bool, elsewhere: str) -> Table:
    """Entities with their number of links; by default the most connected first."""
    if not entities:
        return Table(None, "The chart holds no entities.")
    shown = entities
    intro = more = ""
    if not full and len(entities) > TOP_ROWS:
        shown = sorted(entities, key=lambda e: -degree.get(e.id, 0))[:TOP_ROWS]
        intro = (f"The {TOP_ROWS} most connected of {len(entities):,} entities; every entity "
                 f"is in {elsewhere}.")
        rest = len(entities) - TOP_ROWS
        more = f"… and {rest:,} more {'entity' if rest == 1 else 'entities'} in {elsewhere}."
    names = _attribute_names(shown, chosen)
    headers, values = _attribute_cells(shown, names, ("Label", "Type", "Identity", "Links",
                                                      "Grades"),
                                       TOP_LINES if shown is not entities else None, elsewhere)
    rows = [[e.label, e.type, e.identity or "", f"{degree.get(e.id, 0):,}", *cells, _grades(e)]
            for e, cells in zip(shown, values, strict=True)]
    return Table(fitted_table(["Label", "Type", "Identity", "Links", *headers, "Grades"], rows,
                              elsewhere=elsewhere), intro, more)


def _date(link: Link) -> str:
    return link.date.strftime("%Y-%m-%d %H:%M") if link.date else ""


def link_table(chart: Chart, links: list[Link], degree: dict[str, int],
               chosen: list[str] | None, full: bool, elsewhere: str) -> Table:
    """Every link (full), or the busiest connections: links of one type between the same two
    ends as one row with their number and dates, those between hubs first."""
    if not links:
        return Table(None, "The chart holds no links among these entities.")
    if full or len(links) <= TOP_ROWS:
        names = _attribute_names(links, chosen)
        headers, values = _attribute_cells(
            links, names, ("From", "Link", "To", "Label", "Direction", "Strength", "Date",
                           "Grades"))
        rows = [[chart.entity(lk.end1).label, lk.type, chart.entity(lk.end2).label, lk.label,
                 lk.direction.value, lk.strength.value, _date(lk), *cells, _grades(lk)]
                for lk, cells in zip(links, values, strict=True)]
        return Table(fitted_table(["From", "Link", "To", "Label", "Direction", "Strength",
                                   "Date", *headers, "Grades"], rows, keep=3,
                                  elsewhere=elsewhere))
    groups: dict[tuple[str, str, str], list[Link]] = defaultdict(list)
    for lk in links:
        groups[(lk.end1, lk.type, lk.end2)].append(lk)
    order = sorted(groups, key=lambda k: (-len(groups[k]),
                                          -(degree.get(k[0], 0) + degree.get(k[2], 0))))
    rows = []
    for end1, kind, end2 in order[:TOP_ROWS]:
        group = groups[(end1, kind, end2)]
        dates = sorted(lk.date for lk in group if lk.date)
        span = "" if not dates else dates[0].strftime("%Y-%m-%d") + (
            "" if dates[-1] == dates[0] else " to " + dates[-1].strftime("%Y-%m-%d"))
        labels = {lk.label for lk in group}
        rows.append([chart.entity(end1).label, kind, chart.entity(end2).label,
                     labels.pop() if len(labels) == 1 else "", f"{len(group):,}", span])
    intro = (f"The {min(TOP_ROWS, len(order))} busiest of {len(order):,} connections (links "
             f"of one type between the same two ends, with their number); all "
             f"{len(links):,} links are in {elsewhere}.")
    more = (f"… and {_plural(len(order) - TOP_ROWS, 'more connection')} in {elsewhere}."
            if len(order) > TOP_ROWS else "")
    return Table(fitted_table(["From", "Link", "To", "Label", "Links", "Dates"], rows, keep=3,
                              elsewhere=elsewhere), intro, more)


def _items(names: list[str], elsewhere: str, budget: int) -> str:
    """The items a source supports, as many as fit ``budget`` characters, then how many
    more."""
    shown: list[str] = []
    length = 0
    for name in names:
        name = name if len(name) <= 60 else name[:59] + "…"
        if len(shown) >= MAX_ITEMS_PER_SOURCE or length + len(name) > budget:
            break
        shown.append(name)
        length += len(name) + 2
    rest = len(names) - len(shown)
    more = f"; and {rest:,} more (all in {elsewhere})" if rest else ""
    return "; ".join(shown) + more


def sources_table(chart: Chart, entities: list[Entity], links: list[Link], full: bool,
                  elsewhere: str) -> Table:
    """Every source record behind the items (full), or those behind the most items."""
    behind: dict[SourceRecord, list[str]] = defaultdict(list)
    for e in entities:
        for s in dict.fromkeys(e.provenance):
            behind[s].append(e.label or e.id)
    for lk in links:
        name = f"{chart.entity(lk.end1).label} – {lk.type} – {chart.entity(lk.end2).label}"
        for s in dict.fromkeys(lk.provenance):
            behind[s].append(name)
    order = sorted(behind, key=lambda s: (s.source, s.file, s.sheet, s.row or 0))
    intro = more = ""
    budget = MAX_CELL_CHARACTERS - 80
    if not full and len(order) > TOP_SOURCES:
        budget = 240  # a few lines a row, not a third of a page
        order = sorted(order, key=lambda s: -len(behind[s]))[:TOP_SOURCES]
        intro = (f"The {TOP_SOURCES} source records behind the most items, of "
                 f"{len(behind):,}; every item's sources are in {elsewhere}.")
        more = (f"… and {_plural(len(behind) - TOP_SOURCES, 'more source record')} in "
                f"{elsewhere}.")
    rows = [[s.source, s.file, s.sheet, "" if s.row is None else str(s.row), s.grade,
             s.handling, _items(behind[s], elsewhere, budget)] for s in order]
    return Table(fitted_table(["Source", "File", "Sheet", "Row", "Grade", "Handling", "Items"],
                              rows, elsewhere=elsewhere), intro, more)
