"""Records from a table of people rather than a chart: a register, a store query, a benchmark.

A table names its columns its own way ("given_name", "surname", "date_of_birth"), so a
``Columns`` mapping says which columns feed which field; the values then go through the same
normalisation as a chart's attributes (``records.add_value``), so a table and a chart match
alike. Rows are read as plain mappings, in chunks, so a million rows never sit in Python as a
million dictionaries at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import Any

import pyarrow as pa

from workbench.resolve.records import Record, add_value, name_for, record_table

CHUNK = 50_000


@dataclass(frozen=True, slots=True)
class Columns:
    """Which columns of the table feed which field; several name or address columns are
    joined with spaces in the order given."""

    id: str
    name: tuple[str, ...]
    dob: str | None = None
    address: tuple[str, ...] = ()
    id_number: str | None = None
    phone: str | None = None
    email: str | None = None
    nationality: str | None = None
    entity_type: str = "Person"


def _text(row: Mapping[str, Any], column: str | None) -> str:
    if column is None:
        return ""
    value = row.get(column)
    if value is None or value != value:  # None or NaN
        return ""
    return str(value).strip()


def row_record(row: Mapping[str, Any], columns: Columns, region: str = "GB") -> Record:
    name = " ".join(t for t in (_text(row, c) for c in columns.name) if t)
    record = Record(_text(row, columns.id), name_for(columns.entity_type, name))
    dob = _text(row, columns.dob)
    if len(dob) == 8 and dob.isdigit():  # 19850302, as registers often write it
        dob = f"{dob[:4]}-{dob[4:6]}-{dob[6:]}"
    for wanted, raw in (("dob", dob), ("id_number", _text(row, columns.id_number)),
                        ("phone", _text(row, columns.phone)),
                        ("email", _text(row, columns.email)),
                        ("nationality", _text(row, columns.nationality)),
                        ("address", " ".join(t for t in (_text(row, c)
                                                         for c in columns.address) if t))):
        if raw:
            add_value(record, wanted, raw, region)
    return record


def table_records(rows: Iterable[Mapping[str, Any]], columns: Columns,
                  region: str = "GB") -> pa.Table:
    """The matcher's Arrow table for ``rows``, built ``CHUNK`` rows at a time."""
    chunks = [record_table(row_record(r, columns, region) for r in chunk)
              for chunk in _chunked(iter(rows))]
    return pa.concat_tables(chunks) if chunks else record_table([])


def _chunked(rows: Iterator[Mapping[str, Any]]) -> Iterator[list[Mapping[str, Any]]]:
    while chunk := list(islice(rows, CHUNK)):
        yield chunk
