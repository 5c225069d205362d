"""Column-wise normalising gives what value-by-value normalising gives, awkward values too.

The importer reads identities and dates a whole column at a time (each distinct value once,
looked up in one pass, dates parsed by pandas). These tests hold it to the model's own
parsers applied one value at a time, with the values that could behave differently in bulk:
empty and padded cells, formulas, digits of other scripts, dates that cannot be read, a UTC
offset, a store's chunks, and the same value coming back in a later chunk.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pandas as pd

from workbench.io.date_formats import _OFFSET, split_offsets
from workbench.io.import_values import Normaliser
from workbench.io.importer import build_import
from workbench.io.importspec import parse_spec
from workbench.model import Chart, DatePrecision, ParseError
from workbench.model.kinds import Kind, identity_key
from workbench.store.chunks import plan_chunk, read_chunks

from .conftest import write

PHONES = ["07700 900001", "+44 7700 900001", "=cmd|'/c calc'!A1", "٠٧٧٠٠٩٠٠٠٠١",
          "۰۷۷۰۰۹۰۰۰۱۱", "not a phone", "@SUM(1)", "07700 900001", "-", "+44 (0)7700 900002"]


def _one_by_one(raw: str) -> str | ParseError:
    try:
        return identity_key(Kind.PHONE, raw, region="GB")
    except ParseError as exc:
        return exc


def test_identities_of_a_column_are_each_values_own_even_when_some_are_invalid():
    norm = Normaliser(Chart(), "GB")
    for _ in range(2):  # the second time from the cache, invalid values included
        codes, keys, errors = norm.identities("Phone", pd.Series(PHONES, dtype="str"))
        for raw, code, error in zip(PHONES, codes, errors, strict=True):
            expected = _one_by_one(raw)
            if isinstance(expected, ParseError):
                assert code == -1 and error == str(expected), raw
            else:
                assert keys[code] == expected and error is None, raw
        assert norm.identity("Phone", "not a phone") is not None  # one at a time alike
        assert str(norm.identity("Phone", "not a phone")) == str(_one_by_one("not a phone"))
    assert keys[codes[0]] == keys[codes[1]] == keys[codes[3]]  # digits of other scripts


def test_dates_of_a_column_are_each_texts_own_with_offsets_and_precisions():
    texts = ["2016-01-02 10:00", "2016-01-02", "2016-02-30 10:00", "2016-03-01T10:00:00+02:00",
             "=1+1", "2016-03-01T10:00:00Z", "٢٠١٦-٠١-٠٢"]
    norm = Normaliser(Chart(), "GB")
    formats = ("%Y-%m-%d %H:%M", "%Y-%m-%d")
    together, precisions, _ = norm.dates(texts, formats)
    for j, text in enumerate(texts):
        alone, precision, _ = norm.dates([text], formats)
        assert type(together[j]) is type(alone[0]), text
        assert str(together[j]) == str(alone[0]) and precisions[j] is precision[0], text
    assert together[0] == datetime(2016, 1, 2, 10, 0)
    assert precisions[0] is DatePrecision.MINUTE and precisions[1] is DatePrecision.DAY
    assert isinstance(together[2], ParseError) and precisions[2] is DatePrecision.SECOND
    detected, detected_precisions, _ = norm.dates(texts, ())  # formats read off the column
    assert detected[3] == datetime(2016, 3, 1, 10, 0, tzinfo=timezone(timedelta(hours=2)))
    assert detected[5].utcoffset() == timedelta(0)
    assert isinstance(detected[4], ParseError) and isinstance(detected[2], ParseError)
    assert all(isinstance(p, DatePrecision) for p in detected_precisions)


SPEC = """
source: {name: Awkward}
region: GB
entities:
  caller: {type: Phone, identity: "{Caller}"}
  callee: {type: Phone, identity: "{Callee}"}
links:
  - {from: caller, to: callee, type: Calls, direction: forward, date: "{Date}",
     date_format: "%Y-%m-%d %H:%M", attributes: {seconds: {column: Seconds, kind: number}}}
  - {from: callee, to: caller, type: Associate}
"""
ROWS = """Caller,Callee,Date,Seconds
07700 900001,+44 7700 900002,2016-01-02 10:00,12
  07700900001 ,07700 900003,,<5
=cmd|'/c calc'!A1,07700 900002,2016-13-45 10:00,=2+2
٠٧٧٠٠٩٠٠٠٠١,07700 900004,2016-01-03 12:00,7
,07700 900005,   ,
not a phone,07700 900007,2016-01-05 13:30,1e3
07700 900001,07700 900002,2016-01-06 00:00,-4
07700 900008,07700 900009,2016-13-45 10:00,=2+2
"""


def _seen(plan) -> list:
    """What an analyst gets from a plan: links with their ends' identities, dates and
    precisions, and every issue with its file, row and column."""
    identity = {e.id: e.identity for e in plan.entities}
    links = [(identity[lk.end1], identity[lk.end2], lk.type, lk.date, lk.date_precision,
              type(lk.date_precision), {k: v.value for k, v in lk.attributes.items()},
              [r.row for r in lk.provenance]) for lk in plan.links]
    issues = [(i.file, i.row, i.column, i.value, i.reason) for i in plan.report.issues]
    return [sorted(links, key=repr), sorted(issues)]


def test_a_store_s_chunks_give_what_one_chart_import_gives(tmp_path):
    path = write(tmp_path / "calls.csv", ROWS)
    spec = parse_spec(SPEC)
    whole = build_import(spec, [path], Chart())
    assert all(type(lk.date_precision) is DatePrecision for lk in whole.links)
    norm = Normaliser(Chart(), "GB")  # shared by the chunks, as a store's import does
    chunks = [plan_chunk(spec, path, table, norm, None, lambda: False)
              for table in read_chunks(path, spec.sources[0], rows=3)]
    assert [len(p.links) for p in chunks] == [4, 2, 4]  # two links a row with both ends
    together = [sorted((x for p in chunks for x in _seen(p)[k]), key=repr) for k in (0, 1)]
    assert together == [sorted(part, key=repr) for part in _seen(whole)]
    rows = {(i.row, i.column) for i in whole.report.issues}
    assert {(4, "Caller"), (7, "Caller"), (3, "Seconds"), (9, "Date"), (9, "Seconds")} <= rows


def test_utc_offsets_found_in_a_column_are_the_ones_the_pattern_finds_text_by_text():
    texts = ["2016-01-02 10:00", "2016-03-01T10:00:00+02:00", "10:00 -0500", "", "=1+1",
             "٢٠١٦-٠١-٠٢T١٠:٠٠+٠٢:٠٠", "2016-03-01T10:00:00+02:00\u00a0", "10:00\n+02",
             "2016-03-01T10:00:00.5 Z ", "2016-03-01 -10:00", "Z:00", "1:00+1"]
    stripped, zones = split_offsets(pd.Series(texts, dtype=object))
    for text, got, zone in zip(texts, stripped, zones, strict=True):
        match = _OFFSET.search(text)
        assert (zone is None) == (match is None), text
        assert got == (_OFFSET.sub(r"\g<time>", text) if match else text), text
    assert zones[5] == timezone(timedelta(hours=2)) and zones[8] == UTC
