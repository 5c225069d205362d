"""Identities decided in SQL (bulk_rules.py) and Parquet files on the bulk path: the keys
must be the chart importer's, value for value, and a Parquet file must make what the same
rows make from a CSV file."""

from __future__ import annotations

from datetime import datetime, timedelta

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from tests.store.test_store_bulk import both, dump
from workbench.cli import main
from workbench.io.import_values import Normaliser
from workbench.io.importspec import parse_spec
from workbench.model import Chart, Kind
from workbench.model.kinds import identity_key
from workbench.store import open_store
from workbench.store.bulk_rules import date_select, identity_select
from workbench.store.bulk_stage import WHITESPACE

PHONES = ["07700 900001", "07700900001", "+44 7700 900001", "+447700900001",
          "0044 7700 900001", "00447700900001", "+44 (0)7700 900001", "07700-900001",
          "0800 FLOWERS", "٠٧٧٠٠ ٩٠٠٠٠١", "０７７００９０００００１", "07700  900001",
          "+ 44 7700 900001",
          "447700900001", "+1 202 555 0143", "+33 1 23 45 67 89", "0 7", "07", "+", "+44",
          "7700 900001", "01632 960001", "020 7946 0018", "0180020 123", "x", "0",
          "07700 900001 #12", "+447700900001x12", "999"]
EMAILS = ["ann@example.com", "Ann@Example.COM", " ann@example.com", "<ann@example.com>",
          "mailto:Ann@example.com", "MAILTO:ann@x.org", "ann example@x.com", "ann@x",
          "ann@@x.com", "İlker@x.com", "josé@x.com", "ann@x.com>", ":>a@b.c<", "a@b.c.d",
          "@x.com", "ann@.com"]
NAMES = ["Ann Lee", "ann  lee", "ANN LEE", " Ann", "Édith", "Straße", "AD000000001",
         "a\tb", "ǅ", "x\u00a0y", "ﬁle", "ＡＢＣ"]


@pytest.mark.parametrize("kind, raws", [(Kind.PHONE, PHONES), (Kind.EMAIL, EMAILS),
                                        (Kind.TEXT, NAMES)])
def test_a_key_decided_in_sql_is_the_normalisers(kind, raws):
    conn = duckdb.connect()
    conn.register("t", pa.table({"raw": pa.array(raws, pa.string())}))
    got = dict(conn.execute(identity_select(kind, "GB", "SELECT raw FROM t")).fetchall())
    decided = {r: k for r, k in got.items() if k is not None}
    for raw, key in decided.items():
        assert key == identity_key(kind, raw, region="GB"), raw
    assert len(decided) >= 3  # the plain ones are decided in SQL ...
    assert len(decided) < len(raws)  # ... and the awkward ones left to Python
    if kind is Kind.PHONE:
        assert decided["07700 900001"] == decided["+44 7700 900001"] == "+447700900001"
        assert "٠٧٧٠٠ ٩٠٠٠٠١" not in decided and "00447700900001" not in decided


def test_sql_decides_no_phone_where_the_region_needs_more():
    """Argentina rewrites national numbers (a transformation rule): all left to Python."""
    assert identity_select(Kind.PHONE, "AR", "SELECT 1 AS raw") is None
    assert identity_select(Kind.PHONE, None, "SELECT 1 AS raw") is None


AWKWARD_SPEC = """
region: GB
entities:
  phone: {type: Phone, identity: "{Phone}"}
  email: {type: Email, identity: "{Email}"}
  person: {type: Person, identity: "{Name}"}
links:
  - {from: person, to: phone, type: Uses}
  - {from: person, to: email, type: Uses}
"""


def awkward_rows() -> pd.DataFrame:
    n = max(len(PHONES), len(EMAILS), len(NAMES)) * 2  # each value beside several others
    return pd.DataFrame({column: [values[i % len(values)] for i in range(n)]
                         for column, values in (("Phone", PHONES), ("Email", EMAILS),
                                                ("Name", NAMES))})


def test_awkward_identities_come_out_as_the_chart_importer_makes_them(tmp_path):
    data = tmp_path / "awkward.csv"
    awkward_rows().to_csv(data, index=False)
    (bulk, bulk_report, result), (chunked, chunk_report, _) = both(
        tmp_path, AWKWARD_SPEC, [data])
    assert not any("row by row" in n for n in result.report.notes)
    assert bulk == chunked
    assert bulk_report == chunk_report
    assert ("Phone", "+447700900001") in bulk["entities"]
    assert ("Email", "ann@example.com") in bulk["entities"]


def test_a_parquet_file_imports_as_the_same_rows_in_csv(tmp_path, capsys):
    """Written by pandas through pyarrow, with a number column; read by DuckDB by column
    name (in another order than the CSV's); rows counted from 1."""
    frame = awkward_rows()
    frame["Calls"] = range(len(frame))
    frame.to_csv(tmp_path / "rows.csv", index=False)
    frame[["Name", "Calls", "Email", "Phone"]].to_parquet(tmp_path / "rows.parquet",
                                                          engine="pyarrow")
    spec = tmp_path / "spec.yaml"
    spec.write_text(AWKWARD_SPEC + "attributes:\n  person: {calls: {column: Calls, "
                    "kind: number}}\n", encoding="utf-8")
    for name in ("rows.csv", "rows.parquet"):
        code = main(["store", "import", str(tmp_path / f"{name}.wbstore"),
                     str(tmp_path / name), "--spec", str(spec)])
        assert code == 0, capsys.readouterr().err
    with open_store(tmp_path / "rows.csv.wbstore") as a, \
            open_store(tmp_path / "rows.parquet.wbstore") as b:
        from_csv, from_parquet = dump(a), dump(b)
        rows = b.conn.execute("SELECT min(row), max(row) FROM records").fetchall()[0]
    assert from_parquet["entities"] == from_csv["entities"]
    assert from_parquet["attributes"] == from_csv["attributes"]
    assert [lk[:9] for lk in from_parquet["links"]] == [lk[:9] for lk in from_csv["links"]]
    assert rows == (1, len(frame))


def test_a_parquet_file_the_bulk_path_cannot_take_is_refused_with_why(tmp_path):
    data = tmp_path / "rows.parquet"
    pd.DataFrame({"Names": ["a;b"]}).to_parquet(data)
    spec = ("entities:\n  p: {type: Person, identity: '{Names}', split: ';'}\n")
    with open_store(tmp_path / "s.wbstore", create=True) as store:
        result = store.import_files(parse_spec(spec), spec, [data])
        assert store.info().entities == 0
    assert [i.reason for i in result.report.issues] == [
        "rows.parquet: not imported: entities.p: split"]


def test_a_damaged_parquet_file_is_refused_in_one_line(tmp_path, capsys):
    data = tmp_path / "rows.parquet"
    data.write_bytes(b"PAR1 not really")
    spec = tmp_path / "spec.yaml"
    spec.write_text(AWKWARD_SPEC, encoding="utf-8")
    main(["store", "import", str(tmp_path / "s.wbstore"), str(data), "--spec", str(spec)])
    out, err = capsys.readouterr()
    assert "rows.parquet: not imported: rows.parquet: not a readable Parquet file" in out + err



@pytest.mark.parametrize("fmt", ["%Y-%m-%d %H:%M", "%d/%m/%Y", "%Y%m%d", "%d.%m.%Y %H:%M:%S"])
def test_a_date_decided_in_sql_is_the_chart_importers(fmt):
    """Every day of a leap year and of two common ones (the 29th of February, the 31st of
    April), out-of-range fields, short and long fields, offsets: where SQL decides, it is
    what the normaliser reads; the rest is left to it."""
    days = [datetime(y, 1, 1) + timedelta(days=d) for y in (1900, 2015, 2016)
            for d in range(366)]
    texts = [d.strftime(fmt) for d in days] + [
        d.strftime(fmt).replace("01", "1") for d in days[:40]]
    for bad in ("2015-02-29 10:00", "2016-04-31 00:00", "31/04/2016", "29/02/2015",
                "20150229", "30.02.2016 10:00:00", "2016-13-01 10:00", "2016-01-01 24:00",
                "0999-01-01 10:00", "2016-01-01 10:00+02:00", "2016-01-01 10:60", ""):
        texts.append(bad)
    conn = duckdb.connect()
    conn.register("t", pa.table({"text": pa.array(texts, pa.string())}))
    got = dict(conn.execute(date_select((fmt,), "SELECT DISTINCT text FROM t")).fetchall())
    read, _, _ = Normaliser(Chart(), "GB").dates(list(got), (fmt,))
    python = dict(zip(got, read, strict=True))
    decided = {t: ts for t, ts in got.items() if ts is not None}
    assert len(decided) >= 365 * 3
    for text, ts in decided.items():
        assert ts == python[text], text
    assert date_select((), "SELECT 1 AS text") is None
    assert date_select(("%d %B %Y",), "SELECT 1 AS text") is None


def test_the_whitespace_stripped_in_sql_is_what_python_strips():
    assert "".join(filter(str.isspace, map(chr, range(0x110000)))) == WHITESPACE


ONE_ROLE_A_TYPE = """
source: {name: One role a type, reliability: C, credibility: "3"}
region: GB
entities:
  caller: {type: Phone, identity: "{Caller}", label: "{Name}", date: "{Date}",
           lat: Lat, lon: Lon}
  person: {type: Person, identity: "Mr {Name}", label: "{Name} ({Code})"}
attributes:
  caller: {seconds: {column: Seconds, kind: number}, note: Note}
links:
  - {from: person, to: caller, type: Uses, merge: true}
"""


def test_each_type_from_one_role_comes_out_as_the_chart_importer_makes_it(tmp_path):
    """Labels, dates and places taken as first found without a second grouping: a date
    empty on an entity's first row is taken from a later row, the first row's place kept."""
    from tests.store.test_store_bulk import EDGE_CSV

    data = tmp_path / "edge.csv"
    data.write_text(EDGE_CSV + "07700 900007,,,Eve,012,call,2016-03-03,3,,40,2\n",
                    encoding="utf-8")
    (bulk, bulk_report, _), (chunked, chunk_report, _) = both(tmp_path, ONE_ROLE_A_TYPE, [data])
    assert bulk == chunked
    assert bulk_report == chunk_report
    assert bulk["entities"][("Phone", "+447700900007")][:4] == [
        "Édith", datetime(2016, 3, 3), 52.0, 1.0]
