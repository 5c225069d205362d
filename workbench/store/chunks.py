"""A data file as a stream of tables of a bounded number of rows, for imports into a store.

The chart importer reads a whole file at once (a chart holds it all anyway); a store takes
files of any size, so memory must not grow with them. Files up to ``WHOLE_BYTES`` (and every
workbook: calamine reads a sheet whole, and a sheet has at most a million rows) are read by
the chart importer's own reader, exactly as a chart import reads them, and handed on in
slices. A larger CSV file is read in blocks by pyarrow's streaming CSV reader: its first
megabyte goes through the chart importer's reader to decide the encoding, delimiter, header
row and column names, so both paths name columns alike; every cell stays text.

Both engines' imports then put each chunk through the chart importer the same way
(``plan_chunk``) and know a file by its content (``file_hash``), to refuse importing it twice.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from workbench.io.import_plan import ImportPlan
from workbench.io.import_values import Normaliser
from workbench.io.importer import ImportCancelled, build_import
from workbench.io.importspec import ImportSpec, SourceSpec
from workbench.io.readers import file_format, read_table
from workbench.io.text_table import ReadError, Table
from workbench.model import Chart
from workbench.store.interface import Cancelled, StoreCancelled

CHUNK_ROWS = 100_000
PARQUET_SUFFIXES = {".parquet", ".pq"}
WHOLE_BYTES = 48 * 1024 * 1024
_HEAD_BYTES = 1024 * 1024
_BLOCK_BYTES = 16 * 1024 * 1024


def read_chunks(path: Path, source: SourceSpec, rows: int = CHUNK_ROWS,
                whole_bytes: int = WHOLE_BYTES) -> Iterator[Table]:
    """The file's rows, ``rows`` at a time, each a Table with its own spreadsheet row
    numbers; raises ReadError for a file that cannot be read."""
    if not path.is_file():
        raise ReadError(f"{path}: no such file")
    if is_parquet(path):
        raise ReadError(f"{path.name}: a Parquet file is read by DuckDB on the bulk path only")
    if file_format(path, source) == "xlsx" or path.stat().st_size <= whole_bytes:
        yield from _slices(read_table(path, source), rows)
    else:
        yield from _stream_csv(path, source, rows)


def is_parquet(path: Path) -> bool:
    return path.suffix.lower() in PARQUET_SUFFIXES


def _slices(table: Table, rows: int) -> Iterator[Table]:
    n = len(table.frame)
    for start in range(0, max(n, 1), rows):
        frame = table.frame.iloc[start:start + rows].reset_index(drop=True)
        yield Table(table.path, frame, table.row_numbers[start:start + rows], table.sheet,
                    table.encoding, table.encoding_guessed, table.delimiter,
                    table.notes if start == 0 else [], table.issues if start == 0 else [])


def csv_head(path: Path, source: SourceSpec) -> Table:
    """The chart reader's view of the file's first megabyte (whole lines only): its
    encoding, delimiter, header row and column names, as a chart import would take them."""
    with path.open("rb") as f:
        head = f.read(_HEAD_BYTES)
    head = head[:head.rfind(b"\n") + 1] or head
    with tempfile.TemporaryDirectory(prefix="wbstore-") as folder:
        copy = Path(folder) / path.name
        copy.write_bytes(head)
        table = read_table(copy, source, nrows=50)
    table.path = path
    return table


def _stream_csv(path: Path, source: SourceSpec, rows: int) -> Iterator[Table]:
    head = csv_head(path, source)
    names = head.columns
    lines_before = int(head.row_numbers[0]) - 2 if len(head.row_numbers) else 0
    encoding = head.encoding or "utf-8"
    if encoding.replace("_", "-").lower() in {"utf-8-sig", "utf-8"}:
        encoding = "utf8"
    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(skip_rows=lines_before + 1, column_names=names,
                                       encoding=encoding, block_size=_BLOCK_BYTES),
        parse_options=pacsv.ParseOptions(delimiter=head.delimiter or ",",
                                         newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.string() for n in names}, strings_can_be_null=False,
            quoted_strings_can_be_null=False))
    first_row = lines_before + 2
    pending: list[pd.DataFrame] = []
    held = 0
    notes = [*head.notes, f"{path.name}: read in blocks; row numbers count records (a blank "
             "line in the file is not counted)"]
    try:
        for batch in reader:
            pending.append(batch.to_pandas())
            held += batch.num_rows
            while held >= rows:
                frame = pd.concat(pending, ignore_index=True)
                chunk, rest = frame.iloc[:rows].reset_index(drop=True), frame.iloc[rows:]
                yield _table(path, head, chunk, first_row, notes)
                notes = []
                first_row += rows
                pending, held = [rest.reset_index(drop=True)], len(rest)
    except pa.ArrowInvalid as exc:
        raise ReadError(f"{path.name}: not a readable CSV file near row {first_row + held} "
                        f"({str(exc).strip()})") from None
    if held or notes:
        frame = pd.concat(pending, ignore_index=True) if pending else pd.DataFrame(
            columns=names)
        yield _table(path, head, frame, first_row, notes)


def _table(path: Path, head: Table, frame: pd.DataFrame, first_row: int,
           notes: list[str]) -> Table:
    frame = frame.astype(str)
    numbers = np.arange(first_row, first_row + len(frame), dtype=np.int64)
    return Table(path, frame, numbers, "", head.encoding, head.encoding_guessed,
                 head.delimiter, notes)


NORMALISED_CACHE = 300_000  # values kept normalised between chunks (about 60 MB)


def file_hash(path: Path) -> str:
    """The file's content as a SHA-256 digest: how a store knows a file imported before."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def plan_chunk(single: ImportSpec, path: Path, table: Table, norm: Normaliser,
               places: object | None, cancelled: Cancelled) -> ImportPlan:
    """One chunk through the chart importer, against an empty chart (so the specification,
    normalisers and report are exactly a chart import's); ``norm`` keeps what it normalised
    for the next chunk, up to ``NORMALISED_CACHE`` values."""
    try:
        plan = build_import(single, [path], Chart(), reader=lambda p, s, t=table: t,
                            places=places, cancelled=cancelled, normaliser=norm,
                            pause_gc=False)
    except ImportCancelled:
        raise StoreCancelled("import cancelled; the store is as it was") from None
    norm.forget_past(NORMALISED_CACHE)
    return plan
