"""Reading a CSV file into a table of text: its encoding and delimiter found, and each row's
number as a spreadsheet would show it.

Every cell comes back as text exactly as written (see readers.py). The text goes through pandas
with the pyarrow engine (fast); the C engine reads again to name a ragged row's line. A file
whose encoding is not given is decoded as detect_encoding guesses, and the guess is noted.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
from charset_normalizer import from_bytes

from workbench.io.import_report import WARNING, Issue
from workbench.io.importspec import SourceSpec
from workbench.io.text_table import ReadError, Table, clean_frame

_SAMPLE = 256 * 1024
REPLACEMENT = "\ufffd"  # what decoding puts for a broken character


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
    frame = clean_frame(frame)
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
