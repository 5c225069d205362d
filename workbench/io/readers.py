"""Reading CSV and XLSX into tables of text, for preview and for the full import.

Every cell comes back as text exactly as written: identifiers such as "+447700900123" or
"007" keep their plus and leading zeros, because the import specification, not the reader,
decides what a column means. CSV goes through pandas with the pyarrow engine (fast); XLSX
through python-calamine (fast) with its cells turned into the text a user sees.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from charset_normalizer import from_bytes
from python_calamine import CalamineWorkbook

from workbench.io.import_report import WARNING, Issue
from workbench.io.import_spec_model import cell_position
from workbench.io.importspec import SourceSpec

XLSX_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
_SAMPLE = 256 * 1024
REPLACEMENT = "\ufffd"  # what decoding puts for a broken character


class ReadError(ValueError):
    """A file that cannot be read as a table; the message names the file and the reason."""


@dataclass(slots=True)
class Table:
    """A file's rows as text columns, with the spreadsheet row number of each row."""

    path: Path
    frame: pd.DataFrame  # all columns str, empty cells ""
    row_numbers: np.ndarray  # 1-based row in the file (as a spreadsheet shows it)
    sheet: str = ""
    encoding: str = ""  # what was used (csv)
    encoding_guessed: bool = False
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)  # cells read in a weaker form

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns]

    def where(self) -> str:
        return f"{self.path.name} [{self.sheet}]" if self.sheet else self.path.name


def file_format(path: Path, source: SourceSpec) -> str:
    if source.format != "auto":
        return source.format
    return "xlsx" if path.suffix.lower() in XLSX_SUFFIXES else "csv"


def _open_book(path: Path) -> CalamineWorkbook:
    """The workbook read from an open file that is closed at once (Windows keeps files that
    are open locked against the analyst's own Excel)."""
    try:
        with open(path, "rb") as fh:
            return CalamineWorkbook.from_filelike(fh)
    except OSError as exc:
        raise ReadError(f"{path.name}: cannot read ({exc.strerror})") from None
    except Exception as exc:  # calamine raises its own error types
        raise ReadError(f"{path.name}: not a readable spreadsheet ({exc})") from None


def sheet_names(path: str | Path) -> list[str]:
    return list(_open_book(Path(path)).sheet_names)


# ----- encodings ---------------------------------------------------------------------------------
def detect_encoding(raw: bytes) -> tuple[str, bool]:
    """(encoding, guessed). A BOM is certain; valid UTF-8 is nearly so; otherwise guess.

    Windows-1252 is preferred to the other 8-bit guesses charset-normalizer may make, because
    that is what Excel on Windows writes in Western Europe and the Americas.
    """
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", False
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", False
    sample = raw[:_SAMPLE]
    if sample and sample.count(b"\x00") > len(sample) // 4:  # UTF-16 without a BOM
        return ("utf-16-le" if sample[1:2] == b"\x00" else "utf-16-be"), True
    try:
        sample.decode("utf-8")
        return "utf-8", False
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 4 and len(raw) > len(sample):  # cut mid-character
            return "utf-8", False
    best = from_bytes(sample).best()
    name = best.encoding if best is not None else "cp1252"
    if name in _NOT_LATIN:  # Cyrillic, Greek, Hebrew, Arabic, East Asian: trust the guess
        return name, True
    try:  # any Latin-script guess: Excel on Windows in the West writes Windows-1252
        raw.decode("cp1252")
        return "cp1252", True
    except UnicodeDecodeError:
        return "latin-1", True


_NOT_LATIN = {"cp1251", "koi8_r", "koi8_u", "cp866", "mac_cyrillic", "iso8859_5", "cp1253",
              "iso8859_7", "cp1255", "iso8859_8", "cp1256", "iso8859_6", "cp874", "tis_620",
              "shift_jis", "cp932", "euc_jp", "iso2022_jp", "gb2312", "gbk", "gb18030",
              "big5", "big5hkscs", "cp950", "euc_kr", "cp949", "johab", "utf_16", "utf_32"}


def _sniff_delimiter(text: str) -> str:
    try:
        return csv.Sniffer().sniff(text[:20000], delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


# ----- CSV ----------------------------------------------------------------------------------------
def read_csv(path: Path, source: SourceSpec, nrows: int | None = None) -> Table:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"{path.name}: cannot read ({exc.strerror})") from None
    if source.encoding == "auto":
        encoding, guessed = detect_encoding(raw)
    else:
        encoding, guessed = source.encoding, False
    damaged = False
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        if not _is_utf16(encoding):
            raise ReadError(f"{path.name}: not {encoding} text ({exc}); set source.encoding "
                            "in the import specification") from None
        # UTF-16 from other tools holds lone surrogates (text cut between the two halves of
        # one character): keep the file, mark the broken character and report its cell
        text, damaged = raw.decode(encoding, errors="replace"), True
    except LookupError as exc:
        raise ReadError(f"{path.name}: not {encoding} text ({exc}); set source.encoding "
                        "in the import specification") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    lines_before = 0
    if source.header_row == "auto":  # skip blank (or all-separator) leading lines
        for line in io.StringIO(text):
            if line.strip(" \t\r\n,;|"):
                break
            lines_before += 1
    else:
        lines_before = int(source.header_row) - 1
    if source.delimiter == "auto":
        rest = text.split("\n", lines_before)[-1] if lines_before else text
        delimiter = _sniff_delimiter(rest)
    else:
        delimiter = source.delimiter.replace("\\t", "\t")
    kwargs = {"dtype": str, "keep_default_na": False, "sep": delimiter,
              "skiprows": lines_before}
    buffer = io.BytesIO(text.encode("utf-8"))
    try:
        if nrows is None and "\n" in text:
            frame = pd.read_csv(buffer, engine="pyarrow", **kwargs)
        else:
            frame = pd.read_csv(buffer, nrows=nrows, **kwargs)
    except Exception as exc:  # pyarrow and pandas raise several kinds
        if nrows is None:  # the C engine reports ragged rows with their line number
            try:
                buffer.seek(0)
                frame = pd.read_csv(buffer, **kwargs)
            except Exception as exc2:
                raise ReadError(f"{path.name}: not a readable CSV file "
                                f"({str(exc2).strip()})") from None
        else:
            raise ReadError(f"{path.name}: not a readable CSV file "
                            f"({str(exc).strip()})") from None
    frame = _clean_frame(frame)
    rows = _csv_row_numbers(text, lines_before, len(frame), complete=nrows is None)
    matched = rows is not None
    if rows is None:
        rows = np.arange(lines_before + 2, lines_before + 2 + len(frame), dtype=np.int64)
    table = Table(path, frame, rows, encoding=encoding, encoding_guessed=guessed,
                  delimiter=delimiter)
    if not matched:
        table.notes.append(f"{path.name}: could not match rows to lines (unbalanced quotes?); "
                           "row numbers after a blank line may be off")
    if guessed:
        table.notes.append(f"{path.name}: encoding guessed as {encoding}")
    if damaged:
        table.issues.extend(_replaced_cells(table, lines_before + 1))
    return table


def _is_utf16(encoding: str) -> bool:
    return codecs.lookup(encoding).name.startswith("utf-16")


def _replaced_cells(table: Table, header_row: int) -> list[Issue]:
    """A warning for each cell (and column name) where decoding put U+FFFD for a broken
    character, so the analyst can find it; the row itself is imported as usual."""
    reason = "a broken UTF-16 character (lone surrogate) was replaced by \ufffd"
    name = table.path.name
    out = [Issue(name, "", header_row, column, column, f"column name: {reason}", WARNING)
           for column in table.columns if REPLACEMENT in column]
    for column in table.columns:
        hits = np.flatnonzero(table.frame[column].str.contains(REPLACEMENT, regex=False))
        out += [Issue(name, "", int(table.row_numbers[p]), column,
                      table.frame[column].iat[p], reason, WARNING) for p in hits]
    return out



def _csv_row_numbers(text: str, lines_before: int, n: int,
                     complete: bool) -> np.ndarray | None:
    """The spreadsheet row of each of the ``n`` data rows pandas read.

    pandas (both engines) drops empty lines, so counting rows from the header would shift
    every row after a blank line. A spreadsheet shows a blank line as an empty row and a
    quoted cell with line breaks as one row, so rows are counted as records: a line starts a
    record unless it lies inside a quoted cell (an odd number of quotes opens or closes one;
    "" inside a cell is two). Files without an empty line (the usual, large case) keep the
    fast arange. None if the count disagrees with pandas (a quote the parser read otherwise).
    """
    first = lines_before + 2
    if _BLANK_LINE.search(text) is None:
        return np.arange(first, first + n, dtype=np.int64)
    lines = text.split("\n")
    # the C engine also drops lines of only spaces/tabs; pyarrow keeps them (one-column files)
    for blank in (" \t\r", "\r"):
        numbers: list[int] = []
        record, inside, header = lines_before, False, True
        for line in lines[lines_before:]:
            if not inside:
                record += 1
                if header:
                    header = False
                elif line.strip(blank):
                    numbers.append(record)
            if line.count('"') % 2:
                inside = not inside
        if len(numbers) == n or (not complete and len(numbers) > n):  # a preview: first n
            return np.asarray(numbers[:n], dtype=np.int64)
    return None


_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")


def _clean_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Column names trimmed and unique; every cell str with "" for empty."""
    names: list[str] = []
    for i, c in enumerate(frame.columns):
        name = str(c).strip()
        if not name or name.startswith("Unnamed: "):
            name = f"Column {i + 1}" if i else (name if name and not name.startswith(
                "Unnamed") else "Column 1")
        base, n = name, 2
        while name in names:
            name, n = f"{base} ({n})", n + 1
        names.append(name)
    frame.columns = names
    return frame.fillna("").astype(str)


# ----- XLSX ---------------------------------------------------------------------------------------
def _cell_text(value: object) -> str:
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
    book = _open_book(path)
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
    header = [_cell_text(v) for v in rows[header_at]]
    merged = _merged_header_names(ws, header_at + offset)
    for col, name in merged.items():
        if col < len(header) and not header[col]:
            header[col] = name
    body = rows[header_at + 1:]
    if nrows is not None:
        body = body[:nrows]
    width = len(header)
    columns = [[(v.strip() if type(v) is str else _cell_text(v))  # text cells: the fast path
                for v in (r[i] if i < len(r) else "" for r in body)] for i in range(width)]
    frame = pd.DataFrame(dict(enumerate(columns)), dtype=str) if width else pd.DataFrame()
    frame.columns = header
    frame = _clean_frame(frame)
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


def read_cell(table: Table, ref: str) -> str:
    """The text of one cell of the table's sheet or CSV file ("A1": a title above the header
    that holds the year); "" when the cell is empty or outside the sheet."""
    row, col = cell_position(ref) or (0, 0)
    if table.sheet:  # a workbook's sheet, from A1 whatever the used area
        rows = _open_book(table.path).get_sheet_by_name(table.sheet).to_python(
            skip_empty_area=False)
        record = [_cell_text(v) for v in rows[row]] if row < len(rows) else []
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
    _name_merged(table)
    return table


def _name_merged(table: Table) -> None:
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
