"""``workbench store ...`` as an analyst runs it, and every refusal as one line with exit 2,
the store and charts on disk left as they were."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.store.conftest import HERE, SAMPLES
from workbench.cli import build_parser, main
from workbench.io import load_chart
from workbench.store import open_store
from workbench.store.charting import store_setting
from workbench.store.schema import FORMAT_VERSION

CALLS_SPEC = str(SAMPLES / "specs" / "call-records.yaml")
CALLS = str(SAMPLES / "data" / "vast2008_call_records.csv")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["store", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys, *argv: str) -> str:
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert err.count("\n") == 1, err  # one line
    return err


@pytest.fixture
def calls_store(tmp_path, capsys) -> Path:
    path = tmp_path / "calls.wbstore"
    code, out, _ = run(capsys, "import", str(path), CALLS, "--spec", CALLS_SPEC)
    assert code == 0 and "9,834 links added" in out
    return path


def test_import_info_search_chart_expand_and_path(calls_store, tmp_path, capsys):
    code, out, _ = run(capsys, "info", str(calls_store), "--json")
    info = json.loads(out)
    assert (code, info["entities"], info["links"], info["format_version"]) == (
        0, 400, 9834, FORMAT_VERSION)
    assert info["sources"][0]["name"] == "VAST 2008 call records"
    assert info["sources"][0]["rows_read"] == 9834
    code, out, _ = run(capsys, "info", str(calls_store))
    assert "Handset" in out and "VAST 2008 call records" in out

    code, out, _ = run(capsys, "search", str(calls_store), "handset 5", "--json", "--limit",
                       "3")
    hits = json.loads(out)
    assert code == 0 and hits[0]["label"] == "Handset 5" and len(hits) == 3
    code, out, _ = run(capsys, "search", str(calls_store), "handset 5", "--limit", "1")
    assert code == 0 and f"({hits[0]['links']:,} links, 1 source; " in out  # one file: "1 source"

    chart_path = tmp_path / "c.wbchart"
    code, out, _ = run(capsys, "chart", str(calls_store), "--seed", "Handset 5", "--hops", "1",
                       "--max-entities", "6", "-o", str(chart_path))
    assert code == 0 and "'Handset 5': Handset 5 (Handset, id" in out
    chart = load_chart(chart_path)
    assert len(chart.entities) == 6
    assert store_setting(chart)["file"] == str(calls_store.resolve())

    out_path = tmp_path / "more.wbchart"
    code, out, _ = run(capsys, "expand", str(calls_store), str(chart_path), "--entity",
                       "Handset 1", "-o", str(out_path))
    assert code == 0 and "Added" in out
    assert len(load_chart(out_path).entities) > len(chart.entities)

    code, out, _ = run(capsys, "path", str(calls_store), "Handset 5", "Handset 300")
    assert code == 0 and "link(s):" in out and out.rstrip().endswith(
        f"(Handset, id {open_id(calls_store, '300')})")


def open_id(path: Path, number: str) -> int:
    with open_store(path, read_only=True) as store:
        return store.conn.execute("SELECT id FROM entities WHERE identity = ?",
                                  [number]).fetchone()[0]


def test_refusals_are_one_line(calls_store, tmp_path, capsys):
    assert "no such store" in refused(capsys, "info", str(tmp_path / "none.wbstore"))
    assert "imported already" in refused(capsys, "import", str(calls_store), CALLS, "--spec",
                                         CALLS_SPEC)
    assert "no entity matches 'zzzz qqqq'" in refused(
        capsys, "chart", str(calls_store), "--seed", "zzzz qqqq", "-o", str(tmp_path / "x"))
    assert "--from" in refused(capsys, "chart", str(calls_store), "--seed", "1", "--from",
                               "someday", "-o", str(tmp_path / "x.wbchart"))
    assert not (tmp_path / "x.wbchart").exists()
    # a spec that does not fit the file: the new store is not left behind
    fresh = tmp_path / "fresh.wbstore"
    assert "missing" in refused(capsys, "import", str(fresh), CALLS, "--spec",
                                str(SAMPLES / "specs" / "trafficking-routes.yaml"))
    assert not fresh.exists()


def test_a_store_from_a_newer_workbench_is_refused(calls_store, capsys):
    with duckdb.connect(str(calls_store)) as conn:
        conn.execute("UPDATE store_format SET version = 7")
    before = calls_store.read_bytes()
    err = refused(capsys, "info", str(calls_store))
    assert f"store format version 7 is newer than this Workbench reads ({FORMAT_VERSION})" in err
    assert calls_store.read_bytes() == before


def test_a_store_in_use_by_another_program(calls_store, capsys):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "print('held', flush=True); time.sleep(60)", str(calls_store)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert "in use by another program" in refused(capsys, "import", str(calls_store),
                                                      CALLS, "--spec", CALLS_SPEC, "--again")
        assert "in use by another program" in refused(capsys, "search", str(calls_store), "x")
    finally:
        holder.kill()
        holder.wait()
    assert json.loads(run(capsys, "info", str(calls_store), "--json")[1])["links"] == 9834


def test_damaged_and_foreign_files_are_refused(calls_store, tmp_path, capsys):
    garbage = tmp_path / "garbage.wbstore"
    garbage.write_bytes(b"not a database at all" * 500)
    assert "not a Workbench store (not a DuckDB database file)" in refused(
        capsys, "info", str(garbage))
    other = tmp_path / "other.wbstore"
    with duckdb.connect(str(other)) as conn:
        conn.execute("CREATE TABLE t (x INTEGER)")
    assert "not a Workbench store" in refused(capsys, "search", str(other), "x")
    damaged = tmp_path / "damaged.wbstore"
    shutil.copy(calls_store, damaged)
    data = bytearray(damaged.read_bytes())
    data[12288:len(data) - 4096] = b"\xff" * (len(data) - 4096 - 12288)
    damaged.write_bytes(bytes(data))
    err = refused(capsys, "search", str(damaged), "handset 5")
    assert "damaged" in err


def test_import_reports_rejected_rows_and_names_the_source(tmp_path, capsys):
    data = tmp_path / "phones.csv"
    data.write_text("Name,Phone\nAnna,07700 900123\nBen,not a phone\nCleo,07700 900456\n",
                    encoding="utf-8")
    spec = tmp_path / "phones.yaml"
    spec.write_text("entities:\n  person: {type: Person, identity: \"{Name}\"}\n"
                    "  phone: {type: Phone, identity: \"{Phone}\"}\n"
                    "links:\n  - {from: person, to: phone, type: Uses}\n", encoding="utf-8")
    store, report = tmp_path / "s.wbstore", tmp_path / "rejected.csv"
    code, out, _ = run(capsys, "import", str(store), str(data), "--spec", str(spec),
                       "--source", "Tip-off list", "--report", str(report))
    assert code == 0 and "2 links added" in out
    text = report.read_text(encoding="utf-8-sig")
    assert "Ben" not in text and "not a phone" in text  # the rejected value, its reason
    info = json.loads(run(capsys, "info", str(store), "--json")[1])
    assert [s["name"] for s in info["sources"]] == ["Tip-off list"]
    assert info["entity_types"] == {"Person": 3, "Phone": 2}


def test_the_readme_command_table_names_every_store_verb():
    """An analyst looks up `workbench store` in the README's table of commands: each verb
    the command takes is named there."""
    store = next(a for a in build_parser()._actions
                 if isinstance(a, argparse._SubParsersAction)).choices["store"]
    verbs = next(a for a in store._actions if isinstance(a, argparse._SubParsersAction))
    readme = (HERE.parents[1] / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `workbench store "))
    named = row.split("`")[1].removeprefix("workbench store ").split(" ")[0].split("\\|")
    assert set(verbs.choices) <= set(named), set(verbs.choices) - set(named)
