"""Source records in the chart file: written once each, named by place (since format 4).

An import of a million rows gave every row's record to the link and to both its ends, and
writing each copy out (one dict and one ``isoformat`` each) was 11.6 s of a 19 s import and
2 GB. The chart's ``sources`` list holds each record once and items name them by their place
in it; on loading, items that shared a record share it again (records are immutable). The
clipboard still writes records inline (``provenance_in`` without a list reads them).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from workbench.io.chartcolumns import fields_of
from workbench.io.jsonfields import _Bad, _datetime, _kind_name, _text
from workbench.model import SourceRecord


def _source_out(s: SourceRecord, dates: dict[datetime, str] | None = None) -> dict[str, Any]:
    """A record as JSON data (``dates``: the written form of each import time, which an
    import shares between all its rows)."""
    out: dict[str, Any] = {"source": s.source}
    if s.file:
        out["file"] = s.file
    if s.sheet:
        out["sheet"] = s.sheet
    if s.row is not None:
        out["row"] = s.row
    if s.imported_at is not None:
        if dates is None:
            out["imported_at"] = s.imported_at.isoformat()
        else:
            text = dates.get(s.imported_at)
            if text is None:
                text = dates[s.imported_at] = s.imported_at.isoformat()
            out["imported_at"] = text
    for name in ("reliability", "credibility", "handling"):
        if getattr(s, name):
            out[name] = getattr(s, name)
    return out


class SourceTable:
    """Source records, each once, by their place in the ``sources`` list (the step from
    format 3, whose items held their records inline)."""

    def __init__(self) -> None:
        self.records: list[SourceRecord] = []
        self._places: dict[SourceRecord, int] = {}

    def place(self, record: SourceRecord) -> int:
        place = self._places.get(record)
        if place is None:
            place = self._places[record] = len(self.records)
            self.records.append(record)
        return place

    def written(self) -> list[dict[str, Any]]:
        dates: dict[datetime, str] = {}
        return [_source_out(record, dates) for record in self.records]


SOURCE_FIELDS = ("source", "file", "sheet", "row", "imported_at", "reliability",
                 "credibility", "handling")


def share_records(flat: list[SourceRecord]) -> tuple[dict[str, list], list[int]]:
    """The distinct records of ``flat`` (items' records one after another), each once in the
    order first met, as columns (field name to values, as the sources section holds them),
    and the place of every entry among them. Equal records are one (a record is its fields).

    A record's own ``__hash__`` is Python code: the save of 551,000 records behind 300,000
    entities and 551,000 links spent 3.5 s asking it. Here the distinct objects are found by
    sorting their ids with numpy (distinct_places; dicts keyed by id took 1.8 s: each lookup a
    miss in the processor's cache), and equal objects by the tuple of their fields, zipped
    from the columns the sources section needs anyway, merged only when some are
    (none_equal)."""
    if not flat:
        return {name: [] for name in SOURCE_FIELDS}, []
    first, places = distinct_places(flat)
    columns = fields_of(list(map(flat.__getitem__, first)), SOURCE_FIELDS)
    if none_equal(columns):
        return columns, places.tolist()
    import numpy as np  # here, not at the top: the command line starts without it

    keys = list(zip(*columns.values(), strict=True))
    # each key's first object: the last value given to a key stays
    first_of_key = dict(zip(reversed(keys), range(len(keys) - 1, -1, -1), strict=True))
    kept = sorted(first_of_key.values())
    place_of_kept = dict(zip(kept, range(len(kept)), strict=True))
    merged = np.array(list(map(place_of_kept.__getitem__, map(first_of_key.__getitem__, keys))))
    return ({name: list(map(values.__getitem__, kept)) for name, values in columns.items()},
            merged[places].tolist())


def none_equal(columns: dict[str, list]) -> bool:
    """Whether no two records (the columns' rows) are equal: an import shares one record
    object between a row's items, so distinct objects are distinct rows. Rows of one file
    differ in their row number, and a set of those is a tenth of the time of a set of whole
    records (0.04 s for 551,000, against 0.37); only when row numbers repeat (several files,
    records without one) is the set of whole records made."""
    rows = columns["row"]
    if len(set(rows)) == len(rows):  # the records differ at least in their rows
        return True
    return len(set(zip(*columns.values(), strict=True))) == len(rows)


def distinct_places(flat: list[SourceRecord]) -> tuple[list[int], Any]:
    """The index in ``flat`` of each distinct object, in the order first met, and (a numpy
    array) the place among those of every entry.

    One unstable sort of the ids (``np.unique`` with first places and inverse sorts stably,
    then sorts again: twice the time for 1.8 million entries); an object's first index is the
    least index in its run of equal ids."""
    import numpy as np  # here, not at the top: the command line starts without it

    n = len(flat)
    ids = np.fromiter(map(id, flat), dtype=np.uint64, count=n)
    order = np.argsort(ids)
    ordered = ids[order]
    starts_run = np.empty(n, dtype=bool)
    starts_run[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=starts_run[1:])
    first = np.minimum.reduceat(order, np.flatnonzero(starts_run))  # by id
    by_first = np.argsort(first)  # the runs in the order first met
    rank = np.empty_like(by_first)
    rank[by_first] = np.arange(len(by_first))
    places = np.empty(n, dtype=np.intp)
    places[order] = rank[np.cumsum(starts_run) - 1]
    return first[by_first].tolist(), places


_SOURCE_KEYS = {"source", "file", "sheet", "row", "imported_at", "reliability", "credibility",
                "handling"}


_SOURCE_TEXTS = (("source", None), ("file", ""), ("sheet", ""), ("reliability", ""),
                 ("credibility", ""), ("handling", ""))


def _source_in(data: Any, where: str,
               dates: dict[str, datetime] | None = None) -> SourceRecord:
    """A record from JSON data. ``dates`` holds import times already parsed (an import
    shares one between all its rows; ``sources_in`` passes it)."""
    if data.__class__ is not dict:
        raise _Bad(where, "a source record must be an object")
    if not data.keys() <= _SOURCE_KEYS:
        raise _Bad(where, f"unknown keys {sorted(set(data) - _SOURCE_KEYS)}")
    get = data.get
    source, file, sheet = get("source"), get("file", ""), get("sheet", "")
    reliability, credibility = get("reliability", ""), get("credibility", "")
    handling, row, imported = get("handling", ""), get("row"), get("imported_at")
    if row is not None and row.__class__ is not int:
        raise _Bad(where, f"'row' must be a whole number, not {_kind_name(row)}")
    try:
        if not (source.__class__ is str and file.__class__ is str and sheet.__class__ is str
                and reliability.__class__ is str and credibility.__class__ is str
                and handling.__class__ is str):
            for key, default in _SOURCE_TEXTS:
                _text(data, key, default)  # raises the precise message
        if not imported:
            imported = None
        elif dates is None:
            imported = _datetime(imported, ".imported_at")
        else:
            text = imported
            imported = dates.get(text) if text.__class__ is str else None
            if imported is None:
                imported = dates[text] = _datetime(text, ".imported_at")
        return SourceRecord(source, file, sheet, row, imported, reliability, credibility,
                            handling)
    except _Bad as exc:
        raise _Bad(where + exc.where, exc.message) from None
    except ValueError as exc:
        raise _Bad(where, str(exc)) from None


def sources_in(data: list) -> list[SourceRecord]:
    """The chart's ``sources`` list; an import time is parsed once for all its rows."""
    dates: dict[str, datetime] = {}
    out: list[SourceRecord] = []
    append = out.append
    index = 0
    try:
        for index, record in enumerate(data):  # noqa: B007 (index is used after a failure)
            append(_source_in(record, "", dates))
    except _Bad as exc:
        raise _Bad(f".sources[{index}]{exc.where}", exc.message) from None
    return out


def _provenance_in(data: Any, sources: list[SourceRecord] | None) -> list[SourceRecord]:
    if data.__class__ is not list:
        raise _Bad("", "'provenance' must be a list")
    if sources is None:  # inline records (the clipboard)
        return [_source_in(s, f".provenance[{i}]") for i, s in enumerate(data)]
    try:
        return [sources[i] if i.__class__ is int and i >= 0 else sources[None] for i in data]
    except (IndexError, TypeError):
        pass
    out = []  # a record written inline (as in format 1), or a bad entry to name
    for index, value in enumerate(data):
        where = f".provenance[{index}]"
        if value.__class__ is dict:
            out.append(_source_in(value, where))
        elif value.__class__ is int and 0 <= value < len(sources):
            out.append(sources[value])
        else:
            raise _Bad(where, f"{value!r} is not the number of one of the chart's "
                       f"{len(sources)} source records")
    return out


def share_sources(document: dict[str, Any]) -> dict[str, Any]:
    """Format 3 -> 4: source records written inline in each item's provenance move to one
    ``sources`` list, each once; items name them by place. A record that is not valid stays
    where it is, so that loading names the item it belongs to."""
    if not isinstance(document, dict):
        return document
    table = SourceTable()
    for kind in ("entities", "links"):
        items = document.get(kind)
        for item in items if isinstance(items, list) else ():
            records = item.get("provenance") if isinstance(item, dict) else None
            if not isinstance(records, list):
                continue
            try:
                item["provenance"] = [table.place(_source_in(r, "")) for r in records]
            except _Bad:
                continue
    document["sources"] = table.written()
    return document
