"""Imports into the shared store: several processes importing overlapping files at once give
the same store as one import of them all; the server stopped in the middle of an import, or
Cancel, leaves the store as it was, the client says so in one line and a retry works."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import psycopg
import pytest

from tests.store_pg.conftest import analyst, make_store, password
from workbench.io.importspec import SpecError, load_spec
from workbench.store import StoreCancelled, StoreError
from workbench.store.pg import PgStore, parse_handling

REPO = Path(__file__).resolve().parents[2]
CALLS_SPEC = REPO / "sample_charts" / "specs" / "call-records.yaml"
CALLS = REPO / "sample_charts" / "data" / "vast2008_call_records.csv"
ROLES = ["a", "b", "c"]
TABLES = ("sources", "records", "entities", "entity_sources", "entity_attributes",
          "entity_records", "links", "link_records", "audit")

IMPORT = """
import sys, time
from pathlib import Path
from workbench.io.importspec import SpecError, load_spec
from workbench.store.pg import PgStore, parse_handling
url, spec, go, files = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), [Path(sys.argv[4])]
with PgStore(url) as store:
    print("ready", flush=True)
    while not go.exists():  # every process starts its import at the same moment
        time.sleep(0.02)
    store.import_files(load_spec(spec), spec.read_text(), files, handling=parse_handling("all"),
                       chunk_rows=700)
"""


def url_of(cluster, db: str, role: str) -> str:
    name = analyst(db, role)
    return cluster.analyst_url(db, name, password(name))


def overlapping(folder: Path) -> list[Path]:
    """Three files of call rows, each overlapping the next by half."""
    frame = pd.read_csv(CALLS, dtype=str, keep_default_na=False)
    files = []
    for k, start in enumerate((0, 2500, 5000)):
        files.append(folder / f"calls_{k}.csv")
        frame.iloc[start:start + 5000].to_csv(files[-1], index=False)
    return files


def store_content(cluster, db: str) -> tuple:
    """What a store holds, by identities rather than ids (which differ between stores)."""
    with cluster.superuser(db) as c:
        entities = sorted(c.execute("SELECT type, identity FROM entities").fetchall())
        links = sorted(c.execute(
            "SELECT l.type, a.identity, b.identity, l.date, l.attributes FROM links l "
            "JOIN entities a ON a.id = l.end1 JOIN entities b ON b.id = l.end2").fetchall(),
            key=repr)
        labels = sorted(c.execute(
            "SELECT e.identity, x.label, s.file FROM entity_sources x "
            "JOIN entities e ON e.id = x.entity_id JOIN sources s ON s.id = x.source_id"
        ).fetchall())
        records = c.execute("SELECT count(*) FROM records").fetchone()[0]
    return entities, links, labels, records


def test_parallel_imports_of_overlapping_files_make_the_store_one_import_would(
        cluster, tmp_path):
    files = overlapping(tmp_path)
    together = make_store(cluster, {"NGO": ["a"]})
    with PgStore(url_of(cluster, together, "a")) as store:
        store.import_files(load_spec(CALLS_SPEC), CALLS_SPEC.read_text(), files,
                           handling=parse_handling("all"))
    apart = make_store(cluster, {"NGO": ["a", "b"], "Police": ["c"]})
    go = tmp_path / "go"
    runs = [subprocess.Popen([sys.executable, "-c", IMPORT, url_of(cluster, apart, role),
                              str(CALLS_SPEC), str(go), str(path)], cwd=REPO,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for role, path in zip(ROLES, files, strict=True)]
    for run in runs:
        assert run.stdout.readline() == "ready\n", run.communicate()[1]
    go.touch()
    for run in runs:
        _, err = run.communicate(timeout=240)
        assert run.returncode == 0, err
    content = store_content(cluster, apart)
    assert content == store_content(cluster, together)
    assert (len(content[0]), len(content[1])) == (400, 14834)


def test_the_server_stopped_during_an_import_leaves_the_store_as_it_was(cluster, tmp_path):
    db = make_store(cluster, {"NGO": ["a"]})
    spec = load_spec(CALLS_SPEC)
    first, second = overlapping(tmp_path)[:2]
    with PgStore(url_of(cluster, db, "a")) as store:
        store.import_files(spec, "", [first])
    before = _raw(cluster, db)
    chunks: list[str] = []

    def stop_the_server(fraction: float, message: str) -> None:
        chunks.append(message)
        if len(chunks) == 2:
            cluster.stop("immediate")

    try:
        with PgStore(url_of(cluster, db, "a")) as store, \
                pytest.raises(StoreError) as failed:
            store.import_files(spec, "", [second], chunk_rows=500, progress=stop_the_server)
    finally:
        cluster.start()
    message = str(failed.value)
    assert "\n" not in message
    assert "nothing of this change was written; run it again when the server is back" \
        in message
    assert _raw(cluster, db) == before
    with PgStore(url_of(cluster, db, "a")) as store:  # and the retry goes in whole
        result = store.import_files(spec, "", [second])
    assert result.report.rows_imported == 5000


def test_a_store_left_open_across_a_server_restart_says_so(cluster, one_org):
    with PgStore(url_of(cluster, one_org, "ana")) as store:
        cluster.stop("fast")
        cluster.start()
        with pytest.raises(StoreError, match=r"connection to the server was lost|restarted"):
            store.last_source()


def test_cancel_leaves_the_store_as_it_was(cluster, tmp_path):
    db = make_store(cluster, {"NGO": ["a"]})
    before = _raw(cluster, db)
    chunks: list[str] = []
    with PgStore(url_of(cluster, db, "a")) as store, \
            pytest.raises(StoreCancelled, match="the store is as it was"):
        store.import_files(load_spec(CALLS_SPEC), "", [CALLS], chunk_rows=1000,
                           progress=lambda f, m: chunks.append(m),
                           cancelled=lambda: len(chunks) >= 3)
    assert _raw(cluster, db) == before


def _raw(cluster, db: str) -> dict[str, list]:
    with cluster.superuser(db) as c:
        return {t: sorted(c.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
                for t in TABLES}


def test_a_spec_that_does_not_fit_the_second_file_leaves_the_store_as_it_was(cluster):
    db = make_store(cluster, {"NGO": ["a"]})
    before = _raw(cluster, db)
    routes = REPO / "sample_charts" / "data" / "trafficking_routes_2008_2016.csv"
    with PgStore(url_of(cluster, db, "a")) as store, pytest.raises(SpecError, match="From"):
        store.import_files(load_spec(CALLS_SPEC), "", [CALLS, routes])
    assert _raw(cluster, db) == before


def test_a_reader_during_an_import_sees_the_store_as_before_it(cluster):
    db = make_store(cluster, {"NGO": ["a", "b"]})
    seen: list[tuple[int, int]] = []

    def read_meanwhile(fraction: float, message: str) -> None:
        if not seen:
            with psycopg.connect(url_of(cluster, db, "b"), autocommit=True,
                                 options="-c search_path=workbench") as c:
                seen.append(c.execute("SELECT (SELECT count(*) FROM records), "
                                      "(SELECT count(*) FROM entities)").fetchone())

    with PgStore(url_of(cluster, db, "a")) as store:
        store.import_files(load_spec(CALLS_SPEC), "", [CALLS], chunk_rows=2000,
                           progress=read_meanwhile)
    assert seen == [(0, 0)]
    with psycopg.connect(url_of(cluster, db, "b"), autocommit=True,
                         options="-c search_path=workbench") as c:
        assert c.execute("SELECT count(*) FROM records").fetchone()[0] == 9834


def test_two_imports_waiting_on_each_other_are_untangled(cluster, tmp_path):
    """Each import's first row makes an identity that the other's third row needs:
    PostgreSQL finds them waiting in a circle and stops one, which starts again and goes in
    whole."""
    db = make_store(cluster, {"NGO": ["a"], "Police": ["b"]})
    header = "From,To,Datetime,Duration(seconds),Cell Tower\n"
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text(header + "9001,9101,20060601 0008,10,1\n9301,9302,20060601 0008,10,1\n"
                     "9002,9102,20060601 0009,10,1\n")
    second.write_text(header + "9002,9201,20060601 0008,10,1\n9401,9402,20060601 0008,10,1\n"
                      "9001,9202,20060601 0009,10,1\n")
    both_started = threading.Barrier(2, timeout=60)
    messages: dict[str, list[str]] = {"a": [], "b": []}
    failures: list[BaseException] = []

    def run(role: str, path: Path) -> None:
        def progress(fraction: float, message: str) -> None:
            messages[role].append(message)
            # the second row is on its way in, so the first is in: wait for the other's
            if len(messages[role]) == 2:
                both_started.wait()

        try:
            with PgStore(url_of(cluster, db, role)) as store:
                store.import_files(load_spec(CALLS_SPEC), "", [path], chunk_rows=1,
                                   handling=parse_handling("all"), progress=progress)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=run, args=("a", first)),
               threading.Thread(target=run, args=("b", second))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert failures == []
    assert sum(any("starting again" in m for m in ms) for ms in messages.values()) == 1
    with cluster.superuser(db) as c:
        assert c.execute("SELECT count(*) FROM entities").fetchone()[0] == 10
        assert c.execute("SELECT count(*) FROM links").fetchone()[0] == 6


MERGED_SPEC = """
source: {name: Owners}
entities:
  person: {type: Person, identity: "{Name}"}
  phone: {type: Phone, identity: "{Phone}"}
links:
  - {from: person, to: phone, type: Uses, merge: true}
  - {from: person, to: phone, type: Calls}
"""


def test_a_merged_link_is_one_link_per_owner_and_handling_with_every_record_behind_it(
        cluster, tmp_path):
    """A ``merge: true`` link met in several rows, chunks and imports is one link of the
    organisation's for each handling, backed by every row that named it; an unmerged link is
    one per row."""
    db = make_store(cluster, {"NGO": ["a"]})
    spec = tmp_path / "owners.yaml"
    spec.write_text(MERGED_SPEC)
    header = "Name,Phone\n"
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text(header + "Ann,07700 900001\nBob,07700 900002\nAnn,07700 900001\n"
                     "Ann,07700 900001\n")
    second.write_text(header + "Ann,07700 900001\nCy,07700 900003\n")
    with PgStore(url_of(cluster, db, "a")) as store:
        store.import_files(load_spec(spec), spec.read_text(), [first], chunk_rows=2,
                           handling=parse_handling("all"))
        store.import_files(load_spec(spec), spec.read_text(), [second],
                           handling=parse_handling("all"))
        store.import_files(load_spec(spec), spec.read_text(), [second], again=True,
                           handling=parse_handling("owner"))
    with cluster.superuser(db) as c:
        links = c.execute(
            "SELECT l.type, a.identity, l.handling, count(x.record_id) FROM links l "
            "JOIN entities a ON a.id = l.end1 JOIN link_records x ON x.link_id = l.id "
            "GROUP BY l.id, l.type, a.identity, l.handling ORDER BY 1, 2, 3, 4").fetchall()
        behind = c.execute("SELECT count(*) FROM link_records x JOIN records r "
                           "ON r.id = x.record_id AND r.source_id = x.source_id").fetchone()
    assert links == [("Calls", "ann", "all", 1)] * 4 + [("Calls", "ann", "owner", 1),
                                                          ("Calls", "bob", "all", 1),
                                                          ("Calls", "cy", "all", 1),
                                                          ("Calls", "cy", "owner", 1),
                                                          ("Uses", "ann", "all", 4),
                                                          ("Uses", "ann", "owner", 1),
                                                          ("Uses", "bob", "all", 1),
                                                          ("Uses", "cy", "all", 1),
                                                          ("Uses", "cy", "owner", 1)]
    assert behind == (16,)
