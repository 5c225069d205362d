"""``workbench store resolve``: duplicates across the sources of a store, the analyst's
decisions kept in the store, and every chart drawn later following them."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from tests.store.conftest import HERE, version_2_store
from workbench.cli import main
from workbench.io import load_chart
from workbench.resolve.candidates import find_candidates
from workbench.resolve.decisions import explain, undecided
from workbench.store import StoreError, open_store
from workbench.store.interface import Decision
from workbench.store.schema import FORMAT_VERSION

PEOPLE_SPEC = HERE / "data" / "people.yaml"
HOTLINE = HERE / "data" / "hotline_people.csv"  # store ids 1-4 people, then phones, towns
COURT = HERE / "data" / "court_people.csv"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["store", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys, *argv: str) -> str:
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert err.count("\n") == 1, err
    return err


def person_id(path: Path, label: str) -> int:
    with duckdb.connect(str(path), read_only=True) as conn:
        return conn.execute("SELECT id FROM entities WHERE label = ?", [label]).fetchone()[0]


def stored_decisions(path: Path) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as conn:
        return conn.execute("SELECT a, b, decision, decided_by, method, probability "
                            "FROM decisions ORDER BY a, b").fetchall()


@pytest.fixture
def people_store(tmp_path, capsys) -> Path:
    """A hotline's people and a court's, spelt differently: nothing merged by identity."""
    path = tmp_path / "people.wbstore"
    for source, data in (("Hotline", HOTLINE), ("Court", COURT)):
        code, _, _ = run(capsys, "import", str(path), str(data), "--spec", str(PEOPLE_SPEC),
                         "--source", source)
        assert code == 0
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_pairs_across_sources_are_found_written_and_decided_from_the_file(
        people_store, tmp_path, capsys):
    pairs = tmp_path / "pairs.csv"
    code, out, _ = run(capsys, "resolve", str(people_store), "-o", str(pairs))
    assert code == 0 and "2 candidate pairs" in out
    rows = read_csv(pairs)
    found = {frozenset((r["label a"], r["label b"])) for r in rows}
    assert found == {frozenset(("Mohammed Al-Hassan", "Muhamad Alhassan")),
                     frozenset(("Olena Kovalenko", "Олена Коваленко"))}
    assert all(float(r["probability"]) > 0.9 and r["decision"] == "" for r in rows)
    assert all(r["phone"].startswith("agree: a number in common") for r in rows)

    for row in rows:  # the analyst's answers, typed into the spreadsheet
        row["decision"] = "accept" if "Olena" in row["label a"] + row["label b"] else "Reject"
    with open(pairs, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    code, out, _ = run(capsys, "resolve", str(people_store), "--decisions", str(pairs))
    assert code == 0 and "Recorded 2 decision(s)" in out
    olena, olena_c = person_id(people_store, "Olena Kovalenko"), \
        person_id(people_store, "Олена Коваленко")
    mohammed, muhamad = person_id(people_store, "Mohammed Al-Hassan"), \
        person_id(people_store, "Muhamad Alhassan")
    decided = stored_decisions(people_store)
    assert [(a, b, d) for a, b, d, *_ in decided] == sorted(
        [(olena, olena_c, "accepted"), (mohammed, muhamad, "rejected")])
    assert all(method == "review of a pairs file" and p == 1.0 for *_, method, p in decided)

    code, out, _ = run(capsys, "resolve", str(people_store))  # decided: not offered again
    assert code == 0 and out.startswith("0 candidate pairs")


def test_a_chart_drawn_later_shows_an_accepted_pair_as_one_entity_and_keeps_rejections(
        people_store, tmp_path, capsys):
    olena, olena_c = person_id(people_store, "Olena Kovalenko"), \
        person_id(people_store, "Олена Коваленко")
    mohammed, muhamad = person_id(people_store, "Mohammed Al-Hassan"), \
        person_id(people_store, "Muhamad Alhassan")
    code, _, _ = run(capsys, "resolve", str(people_store), "--accept", str(olena),
                     str(olena_c), "--reject", str(muhamad), str(mohammed))
    assert code == 0

    chart_path = tmp_path / "c.wbchart"  # seeds: one of each pair; the partner comes along
    code, _, _ = run(capsys, "chart", str(people_store), "--seed", str(olena), str(mohammed),
                     str(muhamad), "-o", str(chart_path))
    assert code == 0
    chart = load_chart(chart_path)
    people = sorted(e.label for e in chart.entities.values() if e.type == "Person")
    assert people == ["Mohammed Al-Hassan", "Muhamad Alhassan", "Olena Kovalenko"]
    merged = next(e for e in chart.entities.values() if e.label == "Olena Kovalenko")
    assert sorted(s.source for s in merged.provenance) == ["Court", "Hotline"]
    assert merged.attributes["aliases"].value == "Олена Коваленко"
    story = explain(chart.merge_record(merged.id))
    assert story.startswith("Joined Olena Kovalenko [") and "Олена Коваленко" in story
    assert "decided in the store, by hand" in story
    # the rejected pair is in the chart's resolution: Find Duplicates does not offer it
    assert len(chart.rejected) == 1
    offered = undecided(chart, find_candidates(chart, ["Person"]))
    assert offered == []
    # and Unmerge gives the two back exactly
    chart.unmerge(merged.id)
    assert sorted(e.label for e in chart.entities.values() if e.type == "Person") == [
        "Mohammed Al-Hassan", "Muhamad Alhassan", "Olena Kovalenko", "Олена Коваленко"]


def test_expanding_brings_an_accepted_partner_and_merges_it(people_store, tmp_path, capsys):
    olena, olena_c = person_id(people_store, "Olena Kovalenko"), \
        person_id(people_store, "Олена Коваленко")
    run(capsys, "resolve", str(people_store), "--accept", "Olena Kovalenko", str(olena_c))
    first, out = tmp_path / "a.wbchart", tmp_path / "b.wbchart"
    run(capsys, "chart", str(people_store), "--seed", "John Smith", "-o", str(first))
    code, _, _ = run(capsys, "expand", str(people_store), str(first), "--entity",
                     str(olena_c), "-o", str(out))
    assert code == 0
    chart = load_chart(out)
    olenas = [e for e in chart.entities.values()
              if e.type == "Person" and e.label.startswith(("Ol", "Ол"))]
    assert [e.label for e in olenas] == ["Olena Kovalenko"]
    assert len(olenas[0].provenance) == 2 and chart.merge_record(olenas[0].id) is not None
    assert olena in chart.settings["store"]["entities"].values()


def test_merge_above_accepts_confident_pairs_in_the_store(people_store, capsys):
    code, out, _ = run(capsys, "resolve", str(people_store), "--merge-above", "0.9")
    assert code == 0 and "Accepted 2 pair(s)" in out and "0 candidate pairs" in out
    decided = stored_decisions(people_store)
    assert [d[2] for d in decided] == ["accepted", "accepted"]
    assert all(d[4] == "merged above 0.9" and d[5] > 0.9 for d in decided)


def test_bad_decisions_are_refused_in_one_line_and_nothing_is_recorded(
        people_store, tmp_path, capsys):
    assert "no entity matches '99999'" in refused(
        capsys, "resolve", str(people_store), "--accept", "1", "99999")
    with open_store(people_store) as store, pytest.raises(StoreError,
                                                          match="no entity 99999 in the store"):
        store.record_decisions([Decision(1, 99999, "accepted", "me", datetime.now(UTC))])
    pairs = tmp_path / "pairs.csv"
    run(capsys, "resolve", str(people_store), "-o", str(pairs))
    rows = read_csv(pairs)
    rows[0]["decision"], rows[1]["decision"] = "accept", "maybe"
    with open(pairs, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    err = refused(capsys, "resolve", str(people_store), "--decisions", str(pairs))
    assert "row 3, column 'decision': 'maybe' is neither accept nor reject" in err
    assert "no entity of type 'Persn'" in refused(capsys, "resolve", str(people_store),
                                                  "--type", "Persn")
    assert stored_decisions(people_store) == []


def _as_version_1(folder: Path) -> Path:
    """The people store as Workbench wrote format version 1: version 2 without its
    decisions table."""
    path = version_2_store("people", folder)
    with duckdb.connect(str(path)) as conn:
        conn.execute("DROP TABLE decisions")
        conn.execute("UPDATE store_format SET version = 1")
    return path


def test_a_version_1_store_opens_and_is_migrated(tmp_path, capsys):
    people_store = _as_version_1(tmp_path)
    with open_store(people_store, read_only=True) as store:  # a reader takes it forward too
        assert store.info().format_version == FORMAT_VERSION and store.decisions() == []
        assert store.info().entities == 15
    with duckdb.connect(str(people_store), read_only=True) as conn:
        assert conn.execute("SELECT version FROM store_format").fetchone()[0] == FORMAT_VERSION
    code, _, _ = run(capsys, "resolve", str(people_store), "--accept", "1", "11")
    assert code == 0 and len(stored_decisions(people_store)) == 1


def test_a_migration_that_fails_leaves_the_version_1_store_whole(tmp_path, capsys):
    people_store = _as_version_1(tmp_path)
    with duckdb.connect(str(people_store)) as conn:  # something in the way of the step
        conn.execute("CREATE TABLE decisions (note TEXT)")
    err = refused(capsys, "info", str(people_store))
    assert f"could not be brought from store format version 1 to {FORMAT_VERSION}" in err
    with duckdb.connect(str(people_store), read_only=True) as conn:
        assert conn.execute("SELECT version FROM store_format").fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM entities").fetchone()[0] == 15
