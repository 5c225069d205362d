"""Reading a sheet of a workbook (XLSX, XLSM, XLSB, XLS, ODS) into a table of text.

python-calamine reads the cells (fast); each is turned into the text a user sees, without
Excel's display formatting. The header row is found below titles and blank rows, and a header
cell merged across columns names each column it covers.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook

from workbench.io.importspec import SourceSpec
from workbench.io.text_table import ReadError, Table, clean_frame


def open_book(path: Path) -> CalamineWorkbook:
    """The workbook read from an open file that is closed at once (Windows keeps files that
    are open locked against the analyst's own Excel)."""
    try:
        with open(path, "rb") as fh:
            return CalamineWorkbook.from_filelike(fh)
    except OSError as exc:
        raise ReadError(f"{path.name}: cannot read ({exc.strerror})") from None
    except Exception as exc:  # calamine raises its own error types
        raise ReadError(f"{path.name}: not a readable spreadsheet ({exc})") from None


def cell_text(value: object) -> str:
    """What a user sees in the cell, without Excel's display formatting."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, datetime):
        if value.time() == time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value).strip()


def _header_index(rows: list[list[object]], source: SourceSpec) -> int:
    """0-based index of the header row: as given, or the first row as wide as the widest
    of the first rows (skips blank rows and titles merged across the top)."""
    if source.header_row != "auto":
        return int(source.header_row) - 1
    counts = [sum(1 for v in r if v not in (None, "")) for r in rows[:30]]
    if not counts or max(counts) == 0:
        return 0
    widest = max(counts)
    return next(i for i, c in enumerate(counts) if c >= max(1, widest * 0.8))


def read_xlsx(path: Path, source: SourceSpec, nrows: int | None = None) -> Table:
    book = open_book(path)
    names = list(book.sheet_names)
    sheet = source.sheet
    if sheet is None:
        sheet = names[0] if names else ""
    elif isinstance(sheet, int):
        if not 0 <= sheet < len(names):
            raise ReadError(f"{path.name}: no sheet number {sheet}; it has {len(names)}")
        sheet = names[sheet]
    elif sheet not in names:
        stripped = {n.strip(): n for n in names}
        if sheet.strip() not in stripped:
            raise ReadError(f"{path.name}: no sheet {sheet!r}; the sheets are "
                            f"{', '.join(repr(n) for n in names)}")
        sheet = stripped[sheet.strip()]
    ws = book.get_sheet_by_name(sheet)
    offset = ws.start[0] if ws.start else 0  # calamine drops leading empty rows
    limit = None if nrows is None else nrows + 40
    rows = ws.to_python(skip_empty_area=False) if limit is None else \
        [r for _, r in zip(range(limit), ws.iter_rows(), strict=False)]
    header_at = _header_index(rows, source)
    if source.header_row != "auto":
        header_at -= offset
    if not rows or header_at >= len(rows) or header_at < 0:
        raise ReadError(f"{path.name} [{sheet}]: no header row found")
    header = [cell_text(v) for v in rows[header_at]]
    merged = _merged_header_names(ws, header_at + offset)
    for col, name in merged.items():
        if col < len(header) and not header[col]:
            header[col] = name
    body = rows[header_at + 1:]
    if nrows is not None:
        body = body[:nrows]
    width = len(header)
    columns = [[(v.strip() if type(v) is str else cell_text(v))  # text cells: the fast path
                for v in (r[i] if i < len(r) else "" for r in body)] for i in range(width)]
    frame = pd.DataFrame(dict(enumerate(columns)), dtype=str) if width else pd.DataFrame()
    frame.columns = header
    frame = clean_frame(frame)
    keep = (frame != "").any(axis=1).to_numpy() if width else np.zeros(0, bool)
    first = offset + header_at + 2
    rows_numbers = np.arange(first, first + len(frame), dtype=np.int64)
    frame = frame[keep].reset_index(drop=True)
    return Table(path, frame, rows_numbers[keep], sheet=sheet)


def _merged_header_names(ws: object, header_row: int) -> dict[int, str]:
    """A header cell merged across columns names each column it covers: 'Phone', 'Phone (2)'."""
    out: dict[int, str] = {}
    ranges = getattr(ws, "merged_cell_ranges", None) or []
    for (r0, c0), (r1, c1) in ranges:
        if r0 <= header_row <= r1 and c1 > c0:
            for c in range(c0 + 1, c1 + 1):
                out[c] = f"\x00{c0}"
    return out


def name_merged(table: Table) -> None:
    """The columns a merged header cell covers (marked by _merged_header_names) named after
    it: 'Phone (2)', 'Phone (3)', never a name another column already has."""
    cols = table.columns
    fixed = []
    for c in cols:
        if c.startswith("\x00"):
            owner = cols[int(c[1:])] if int(c[1:]) < len(cols) else "Column"
            name, n = f"{owner} (2)", 3
            while name in fixed or name in cols:
                name, n = f"{owner} ({n})", n + 1
            fixed.append(name)
        else:
            fixed.append(c)
    table.frame.columns = fixed
