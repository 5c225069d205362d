"""The bulk path's first half: a CSV file read by DuckDB itself into a staging table, and the
specification's templates, filters and conditions as SQL over it.

DuckDB's own ``read_csv`` reads the file (every column as VARCHAR, so "007" and "+44..."
arrive as written) far faster than any Python reader; the chart reader only reads the first
megabyte, to settle the encoding, delimiter, header row and column names exactly as a chart
import would. Every cell is stripped as Python's ``str.strip`` strips (the same whitespace
characters), since every template, filter and coordinate of the chart importer reads
stripped text. A row's number is its position in the staging table (DuckDB keeps insertion
order) plus the header's line: records are counted, as in the streamed path.

What the bulk path cannot express is said by :func:`unsupported`, and the file then goes
through the chart importer chunk by chunk instead. ``StageWork`` is the plumbing the bulk
path (bulk.py) builds on: temporary tables and views over the stage, dropped together.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from workbench.io.import_places import is_country_type, is_location_type
from workbench.io.import_setup import ChartWithTypes
from workbench.io.importspec import Condition, FilterSpec, ImportSpec, SourceSpec, Template
from workbench.io.readers import file_format
from workbench.io.text_table import ReadError, Table
from workbench.model import Chart
from workbench.store.chunks import WHOLE_BYTES, csv_head, is_parquet

# the characters Python's str.strip() removes (str.isspace), for DuckDB's trim(); written
# out, as a scan of every code point costs a third of a second at each start (a test checks)
WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
              "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
# a cell stripped; trim() with that list of characters is slow, so a cell that starts and
# ends with a visible ASCII character (nearly all) is taken as it is
_STRIPPED = ("CASE WHEN {c} IS NULL THEN '' WHEN ascii({c}) BETWEEN 33 AND 126 AND "
             "ascii(right({c}, 1)) BETWEEN 33 AND 126 THEN {c} ELSE trim({c}, $ws) END")
DISTINCT_BATCH = 200_000  # distinct values normalised at a time
_PARAM = re.compile(r"\$(\w+)")
_ENCODINGS = {"utf-8": "utf-8", "utf8": "utf-8", "utf-8-sig": "utf-8", "ascii": "utf-8",
              "latin-1": "latin-1", "latin1": "latin-1", "iso-8859-1": "latin-1",
              "iso8859-1": "latin-1"}


def unsupported(spec: ImportSpec, source: SourceSpec, path: Path, places: object | None
                ) -> str | None:
    """Why this file cannot take the bulk path (None: it can). Those features stay with the
    chart importer, which the store then runs chunk by chunk."""
    if file_format(path, source) == "xlsx":
        return "workbooks are read by calamine"
    if source.constants:
        return "source constants"
    chart = ChartWithTypes(Chart(), list(spec.types))
    for role, e in spec.entities.items():
        if e.split:
            return f"entities.{role}: split"
        if is_country_type(chart, e.type):
            return f"entities.{role}: countries (names, spellings and aliases)"
        if places is not None and is_location_type(e.type):
            return f"entities.{role}: places named by the gazetteer"
    return None


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class Stage:
    """One file in a temporary table ``stage_<k>``, with the SQL of its templates."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, k: int, path: Path,
                 source: SourceSpec) -> None:
        self.conn, self.path, self.table = conn, path, f"stage_{k}"
        self.copy: Path | None = None
        self.notes: list[str] = []
        if is_parquet(path):
            self._parquet(source)
        else:
            self._csv(source)
        self.columns = set(self.names)

    def _csv(self, source: SourceSpec) -> None:
        path, conn = self.path, self.conn
        head = csv_head(path, source)
        self.head: Table = head
        encoding = _ENCODINGS.get((head.encoding or "utf-8").replace("_", "-").lower())
        read = path
        if encoding is None:  # DuckDB reads UTF-8 and Latin-1 only: others as UTF-8 copies
            self.copy = read = _utf8_copy(path, head.encoding)
            encoding = "utf-8"
        names = self.names = [source.columns.get(c, c) for c in head.columns]
        lines_before = int(head.row_numbers[0]) - 2 if len(head.row_numbers) else 0
        self.first_row = lines_before + 2
        strip = ", ".join(f"{_STRIPPED.format(c=quoted(n))} AS {quoted(n)}" for n in names)
        try:
            conn.execute(
                f"CREATE OR REPLACE TEMP TABLE {self.table} AS SELECT {strip} FROM read_csv("
                "$path, delim = $delim, header = false, skip = $skip, "
                "all_varchar = true, quote = '\"', escape = '\"', encoding = $encoding, "
                "auto_detect = false, columns = $types, null_padding = true)",
                {"path": str(read), "delim": head.delimiter or ",", "skip": lines_before + 1,
                 "encoding": encoding, "ws": WHITESPACE,
                 "types": {n: "VARCHAR" for n in names}})
        except duckdb.Error:  # refused, or interrupted by Cancel: no copy left behind
            self.drop()
            raise
        self.rows = self._count()
        if _lines(read) != lines_before + 1 + self.rows:  # blank lines, or line breaks in cells
            if path.stat().st_size <= WHOLE_BYTES:
                self.drop()  # the chart reader numbers rows as a spreadsheet shows them
                raise ReadError("blank lines or line breaks inside cells")
            self.notes.append(f"{path.name}: row numbers count records (a blank line in the "
                              "file, or a line break inside a cell, is not counted)")

    def _parquet(self, source: SourceSpec) -> None:
        """A Parquet file read by DuckDB, columns by name, each value as its text (a number
        as DuckDB writes it, a missing value empty); a record's row is its place in the file,
        counting from 1."""
        path, conn = self.path, self.conn
        try:
            schema = conn.execute("SELECT name FROM parquet_schema($path) WHERE name <> "
                                  "'duckdb_schema' AND num_children IS NULL",
                                  {"path": str(path)}).fetchall()
        except duckdb.Error as exc:
            raise ReadError(f"{path.name}: not a readable Parquet file "
                            f"({' '.join(str(exc).split())[:200]})") from None
        columns = [r[0] for r in schema]
        self.names = [source.columns.get(c, c) for c in columns]
        self.head = Table(path, pd.DataFrame(columns=self.names), np.zeros(0, dtype=np.int64))
        self.first_row = 1
        strip = ", ".join(
            f"{_STRIPPED.format(c=f'CAST({quoted(c)} AS VARCHAR)')} AS {quoted(n)}"
            for c, n in zip(columns, self.names, strict=True))
        conn.execute(f"CREATE OR REPLACE TEMP TABLE {self.table} AS SELECT {strip} "
                     "FROM read_parquet($path)", {"path": str(path), "ws": WHITESPACE})
        self.rows = self._count()

    def _count(self) -> int:
        return int(self.conn.execute(f"SELECT count(*) FROM {self.table}").fetchall()[0][0])

    def drop(self) -> None:
        if self.copy is not None:
            self.copy.unlink(missing_ok=True)
        self.conn.execute(f"DROP TABLE IF EXISTS {self.table}")


def _lines(path: Path) -> int:
    """Lines of a file, a last line without its line break included."""
    count, last = 0, b"\n"
    with path.open("rb") as f:
        while block := f.read(1 << 24):
            count += block.count(b"\n")
            last = block[-1:]
    return count + (last != b"\n")


def _utf8_copy(path: Path, encoding: str) -> Path:
    """The file re-encoded as UTF-8 in a temporary file, block by block (Windows-1252 and
    UTF-16 files are common from Excel)."""
    handle, name = tempfile.mkstemp(prefix="wbstore-", suffix=".csv")
    try:
        with open(path, encoding=encoding, newline="") as src, \
                open(handle, "w", encoding="utf-8", newline="") as out:
            out.write(src.read(1 << 22).removeprefix("\ufeff"))  # a BOM is no text
            while block := src.read(1 << 22):
                out.write(block)
    except (UnicodeError, LookupError) as exc:
        Path(name).unlink(missing_ok=True)
        raise ReadError(f"{path.name}: not {encoding} text throughout ({exc})") from None
    return Path(name)


class Sql:
    """Templates and conditions as SQL expressions over a stage's stripped columns; literal
    text and filter values travel as named parameters, never inside the SQL."""

    def __init__(self, columns: set[str]) -> None:
        self.columns = columns
        self.params: dict[str, Any] = {"ws": WHITESPACE}

    def _param(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f"${name}"

    def template(self, t: Template) -> str:
        """``evaluate``'s text: a single column as it is; otherwise literal text and, for
        columns side by side, the first filled one; empty when all its columns are."""
        single = t.single_column
        if single is not None:
            return "s." + quoted(single)
        pieces, filled = [], []
        for part in t.parts():
            if isinstance(part, str):
                pieces.append(self._param(part))
                continue
            present = ["s." + quoted(c) for c in part if c in self.columns]
            choice = "coalesce(" + ", ".join(f"nullif({c}, '')" for c in present) + ", '')"
            pieces.append(choice)
            filled.append(f"{choice} <> ''")
        if not filled:
            return f"trim({' || '.join(pieces) or repr('')}, $ws)"
        return (f"(CASE WHEN {' OR '.join(filled)} THEN trim({' || '.join(pieces)}, $ws) "
                "ELSE '' END)")

    def condition(self, f: FilterSpec | Condition) -> str:
        if isinstance(f, Condition):
            parts = [self.condition(p) for p in f.parts]
            if f.op == "not":
                return f"(NOT {parts[0]})"
            return "(" + f" {'AND' if f.op == 'and' else 'OR'} ".join(parts) + ")"
        inside = f"list_contains({self._param(list(f.in_ or f.not_in or ()))}, " \
                 f"s.{quoted(f.column)})"
        return inside if f.in_ is not None else f"(NOT {inside})"

    def keep(self, spec: ImportSpec) -> str:
        return " AND ".join(self.condition(f) for f in spec.filters) or "true"


def stage_column(name: str) -> str:
    """A stage column in SQL (the stage is always ``s``)."""
    return "s." + quoted(name)


class Rows:
    """Spreadsheet row numbers by position, without an array of every row."""

    def __init__(self, first: int) -> None:
        self.first = first

    def __getitem__(self, at: int | np.ndarray) -> int | np.ndarray:
        if isinstance(at, np.ndarray) and at.dtype == bool:
            return np.flatnonzero(at) + self.first
        return at + self.first

class StageWork:
    """SQL over one stage: temporary tables and views dropped together, named parameters
    passed only where used, distinct values through Python in batches."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, stage: Stage,
                 check: Callable[[], None]) -> None:
        self.conn, self.stage, self.check = conn, stage, check
        self.n = stage.rows
        self.sql = Sql(stage.columns)
        self.temps: list[str] = []
        self.views: list[str] = []

    def _q(self, sql: str, params: dict | None = None):
        """Run ``sql`` with the named parameters it uses (DuckDB refuses any other)."""
        given = self.sql.params | (params or {})
        return self.conn.execute(sql, {k: given[k] for k in set(_PARAM.findall(sql))})

    def _temp(self, name: str, select: str, params: dict | None = None) -> None:
        self._q(f"CREATE OR REPLACE TEMP TABLE {name} AS {select}", params)
        self.temps.append(name)

    def _view(self, name: str, select: str) -> None:
        """A temporary view (read once or twice: not worth a copy of millions of rows)."""
        self._q(f"CREATE OR REPLACE TEMP VIEW {name} AS {select}")
        self.views.append(name)

    def _arrow(self, name: str, table: pa.Table) -> None:
        self.conn.register(f"{name}_in", table)
        try:
            self._temp(name, f"SELECT * FROM {name}_in")
        finally:
            self.conn.unregister(f"{name}_in")

    def _distinct(self, name: str, select: str, through: Callable[[list[str]], pa.Table]
                  ) -> None:
        """Table ``name``: the distinct texts ``select`` gives, through ``through`` a batch at
        a time, so that millions of ever new values (advert ids) never sit in Python at
        once."""
        self._temp(f"{name}_raw", f"SELECT raw, row_number() OVER () - 1 AS k FROM ({select})")
        total = self.conn.execute(f"SELECT count(*) FROM {name}_raw").fetchall()[0][0]
        for start in range(0, max(total, 1), DISTINCT_BATCH):
            raws = self.conn.execute(f"SELECT raw FROM {name}_raw WHERE k >= ? AND k < ?",
                                     [start, start + DISTINCT_BATCH]).fetchnumpy()["raw"]
            batch = through(raws.tolist())
            del raws
            if start == 0:
                self._arrow(name, batch)
            else:
                self.conn.register(f"{name}_in", batch)
                try:
                    self.conn.execute(f"INSERT INTO {name} SELECT * FROM {name}_in")
                finally:
                    self.conn.unregister(f"{name}_in")
            self.check()

    def _mask(self, where: str) -> np.ndarray:
        """Positions matching ``where`` as a mask over the file's rows."""
        mask = np.zeros(self.n, dtype=bool)
        pos = self._q(f"SELECT s.rowid FROM {self.stage.table} s WHERE {where}").fetchnumpy()
        mask[pos["rowid"]] = True
        return mask

    def _positions(self, table: str) -> np.ndarray:
        """The rows of ``table`` (a role's or a link's, by ``pos``) as a mask."""
        mask = np.zeros(self.n, dtype=bool)
        mask[self.conn.execute(f"SELECT pos FROM {table}").fetchnumpy()["pos"]] = True
        return mask

    def drop(self) -> None:
        for name in self.views:
            self.conn.execute(f"DROP VIEW IF EXISTS {name}")
        for name in self.temps:
            self.conn.execute(f"DROP TABLE IF EXISTS {name}")
