"""Reading CSV and XLSX into tables of text, for preview and for the full import.

Every cell comes back as text exactly as written: identifiers such as "+447700900123" or
"007" keep their plus and leading zeros, because the import specification, not the reader,
decides what a column means. CSV goes through pandas with the pyarrow engine (fast,
csv_reader.py); XLSX through python-calamine (fast, xlsx_reader.py) with its cells turned into
the text a user sees. This module chooses the reader by the file and reads single cells.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from workbench.io.csv_reader import read_csv
from workbench.io.import_spec_model import cell_position
from workbench.io.importspec import SourceSpec
from workbench.io.text_table import ReadError, Table
from workbench.io.xlsx_reader import cell_text, name_merged, open_book, read_xlsx

XLSX_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}


def file_format(path: Path, source: SourceSpec) -> str:
    if source.format != "auto":
        return source.format
    return "xlsx" if path.suffix.lower() in XLSX_SUFFIXES else "csv"


def sheet_names(path: str | Path) -> list[str]:
    """The sheets of a workbook, in its order (the wizard offers them)."""
    return list(open_book(Path(path)).sheet_names)


def read_cell(table: Table, ref: str) -> str:
    """The text of one cell of the table's sheet or CSV file ("A1": a title above the header
    that holds the year); "" when the cell is empty or outside the sheet."""
    row, col = cell_position(ref) or (0, 0)
    if table.sheet:  # a workbook's sheet, from A1 whatever the used area
        rows = open_book(table.path).get_sheet_by_name(table.sheet).to_python(
            skip_empty_area=False)
        record = [cell_text(v) for v in rows[row]] if row < len(rows) else []
    else:
        text = table.path.read_bytes().decode(table.encoding or "utf-8", errors="replace")
        lines = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=table.delimiter or ",")
        record = next((r for i, r in enumerate(lines) if i == row), [])
    return record[col].strip() if col < len(record) else ""


def read_table(path: str | Path, source: SourceSpec | None = None,
               nrows: int | None = None) -> Table:
    """Read a CSV or XLSX file as text columns; ``nrows`` limits it for a preview."""
    path = Path(path)
    source = source or SourceSpec()
    if not path.is_file():
        raise ReadError(f"{path}: no such file")
    if file_format(path, source) == "xlsx":
        table = read_xlsx(path, source, nrows)
    else:
        table = read_csv(path, source, nrows)
    name_merged(table)
    return table
