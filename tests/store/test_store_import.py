"""Imports into a store: the sample data sets and the Nov13 people in one store, checked
against chart imports of the same files and against pandas reading the files itself."""

from __future__ import annotations

import threading
import unicodedata

import numpy as np
import pandas as pd
import pytest

from tests.conftest import DATA
from tests.store.conftest import IMPORTS, SAMPLES, import_into
from workbench.geo.places import place_namer
from workbench.io.importer import build_import
from workbench.io.importspec import SourceSpec, SpecError, load_spec, parse_spec
from workbench.io.readers import read_table
from workbench.model import Chart
from workbench.store import StoreCancelled, StoreError, open_store
from workbench.store.chunks import read_chunks

CALLS_SPEC = SAMPLES / "specs" / "call-records.yaml"
CALLS = SAMPLES / "data" / "vast2008_call_records.csv"


def _name_key(text: str) -> str:
    """A person's identity written out here, not taken from the model."""
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def _identities(store, source: int | None = None) -> set[tuple[str, str]]:
    if source is None:
        return set(store.conn.execute("SELECT type, identity FROM entities").fetchall())
    return set(store.conn.execute(
        "SELECT DISTINCT e.type, e.identity FROM entities e JOIN entity_records er "
        "ON er.entity_id = e.id JOIN records r ON r.id = er.record_id WHERE r.source_id = ?",
        [source]).fetchall())


def test_every_source_gives_the_identities_a_chart_import_gives(sample_store):
    """Same spec, same readers, same normalisers: each source's entities in the store are
    exactly the (type, identity) pairs a chart import of that file makes."""
    info = sample_store.info()
    assert [s.file for s in info.sources] == [d.name for _, d in IMPORTS]
    union: set[tuple[str, str]] = set()
    links = 0
    for source, (spec, data) in zip(info.sources, IMPORTS, strict=True):
        plan = build_import(load_spec(spec), [data], Chart(), places=place_namer())
        from_chart = {(e.type, e.identity) for e in plan.entities}
        assert _identities(sample_store, source.id) == from_chart, data.name
        assert source.rows_read == plan.report.rows_read
        assert source.rows_imported == plan.report.rows_imported
        union |= from_chart
        links += len(plan.links)
    assert _identities(sample_store) == union  # one entity per identity across sources
    assert info.entities == len(union)
    assert info.links == links
    doubled = sample_store.conn.execute("SELECT type, identity FROM entities GROUP BY ALL "
                                        "HAVING count(*) > 1").fetchall()
    assert doubled == []


def test_people_merge_across_the_nov13_sources(sample_store):
    """pandas, on its own: the people named in the relationships, the attackers of the node
    details and the persons file; the store holds each once, with one source per file that
    names them."""
    def read(name: str) -> pd.DataFrame:
        return pd.read_csv(DATA / name, dtype=str, keep_default_na=False, encoding="cp1252")

    rel, details, persons = (read(n) for n in ("nov13_relationships.csv",
                                               "nov13_node_details.csv", "nov13_persons.csv"))
    from_rel = set(rel["n1.name"].map(_name_key)) | set(
        rel.loc[rel["type(r)"] == "LINKED_TO", "n2.name"].map(_name_key))
    attackers = set(details.loc[details["attackerNodes"] == "TRUE", "node"].map(_name_key))
    from_persons = set(persons["p.name"].map(_name_key))
    stored = {i for t, i in _identities(sample_store) if t == "Person"}
    assert stored == (from_rel | attackers | from_persons) - {""}
    assert len(from_rel & attackers & from_persons) > 10
    for name in sorted(stored):
        (entity,) = sample_store.conn.execute(
            "SELECT id FROM entities WHERE type = 'Person' AND identity = ?", [name]).fetchone()
        expected = (name in from_rel) + (name in attackers) + (name in from_persons)
        assert sample_store.entity(entity).sources == expected, name


def test_each_call_is_a_link_with_its_row_as_provenance(sample_store):
    calls = pd.read_csv(CALLS, dtype=str, keep_default_na=False)
    rows = sample_store.conn.execute(
        "SELECT r.row, a.identity, b.identity, r.reliability, r.credibility, r.name "
        "FROM links l JOIN link_records lr ON lr.link_id = l.id "
        "JOIN records r ON r.id = lr.record_id JOIN entities a ON a.id = l.end1 "
        "JOIN entities b ON b.id = l.end2 WHERE l.type = 'Calls' ORDER BY r.row").fetchall()
    assert len(rows) == len(calls)
    assert [r[0] for r in rows] == list(range(2, len(calls) + 2))  # spreadsheet rows
    assert [(r[1], r[2]) for r in rows] == list(zip(calls["From"], calls["To"], strict=True))
    assert {r[3:] for r in rows} == {("E", "4", "VAST 2008 call records")}


def test_the_same_file_twice_is_refused_unless_asked(tmp_path):
    with open_store(tmp_path / "s.wbstore", create=True) as store:
        import_into(store, CALLS_SPEC, CALLS)
        before = store.info()
        with pytest.raises(StoreError, match=r"imported already.*--again"):
            import_into(store, CALLS_SPEC, CALLS)
        assert store.info() == before
        import_into(store, CALLS_SPEC, CALLS, again=True)
        after = store.info()
    assert after.entities == before.entities  # the same handsets
    assert after.links == 2 * before.links
    assert [s.file_hash for s in after.sources] == [before.sources[0].file_hash] * 2


def test_a_failing_file_leaves_the_store_as_it_was(tmp_path):
    """One transaction for the whole import: the first file's rows do not stay behind when
    the second file does not fit the spec."""
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("Caller,Callee\n1,2\n", encoding="utf-8")
    with open_store(tmp_path / "s.wbstore", create=True) as store:
        with pytest.raises(SpecError, match="missing"):
            store.import_files(load_spec(CALLS_SPEC), "", [CALLS, wrong])
        info = store.info()
    assert (info.entities, info.links, info.records, info.sources) == (0, 0, 0, [])


def test_cancel_leaves_the_store_as_it_was(tmp_path):
    chunks = []
    with open_store(tmp_path / "s.wbstore", create=True) as store:
        with pytest.raises(StoreCancelled):
            store.import_files(load_spec(CALLS_SPEC), "", [CALLS], chunk_rows=1000,
                               bulk=False, progress=lambda f, m: chunks.append(m),
                               cancelled=lambda: len(chunks) >= 3)
        info = store.info()
    assert len(chunks) == 3
    assert (info.entities, info.links, info.sources) == (0, 0, [])


def test_small_chunks_make_the_same_store(tmp_path, sample_store):
    """The chart importer chunk by chunk and the bulk path (the sample store) agree."""
    with open_store(tmp_path / "s.wbstore", create=True) as store:
        import_into(store, CALLS_SPEC, CALLS, chunk_rows=700, bulk=False)
        query = ("SELECT e.type, e.identity, e.label, count(*) FROM entities e "
                 "JOIN entity_records er ON er.entity_id = e.id JOIN records r "
                 "ON r.id = er.record_id JOIN sources s ON s.id = r.source_id "
                 "WHERE s.file = ? GROUP BY ALL ORDER BY 2")
        chunked = store.conn.execute(query, [CALLS.name]).fetchall()
        whole = sample_store.conn.execute(query, [CALLS.name]).fetchall()
        link_query = ("SELECT a.identity, b.identity, l.date, l.attributes FROM links l "
                      "JOIN entities a ON a.id = l.end1 JOIN entities b ON b.id = l.end2 "
                      "WHERE l.type = 'Calls' ORDER BY l.id")
        assert store.conn.execute(link_query).fetchall() == \
            sample_store.conn.execute(link_query).fetchall()
    assert chunked == whole


def test_a_large_csv_streams_in_blocks_with_the_same_cells(tmp_path):
    """Past the size read whole, pyarrow reads blocks: same columns, cells, row numbers."""
    whole = read_table(CALLS)
    spec = load_spec(CALLS_SPEC)
    parts = list(read_chunks(CALLS, spec.source, rows=3000, whole_bytes=0))
    assert [len(p.frame) for p in parts] == [3000, 3000, 3000, 834]
    frame = pd.concat([p.frame for p in parts], ignore_index=True)
    pd.testing.assert_frame_equal(frame, whole.frame)
    assert [int(p.row_numbers[0]) for p in parts] == [2, 3002, 6002, 9002]


def test_a_file_that_imported_nothing_is_not_kept(tmp_path):
    """Every row rejected (a spec for other data): the source is not recorded, so the same
    file goes in once the spec is fixed, instead of being refused as imported already."""
    nothing = CALLS_SPEC.read_text() + "filters: [{column: From, in: [nobody]}]\n"
    with open_store(tmp_path / "s.wbstore", create=True) as store:
        result = store.import_files(parse_spec(nothing), nothing, [CALLS])
        assert (result.report.rows_imported, result.sources) == (0, [])
        assert store.info().sources == []
        import_into(store, CALLS_SPEC, CALLS)
        assert [s.rows_imported for s in store.info().sources] == [9834]


@pytest.mark.parametrize("name", ["nov13_relationships.csv", "trafficking_routes_2008_2016.csv"])
def test_streamed_files_in_other_encodings_and_layouts_read_alike(name):
    """Windows-1252 text and a file whose delimiter is sniffed: the blocks hold what the
    chart reader reads, row numbers included."""
    path = SAMPLES / "data" / name
    whole = read_table(path)
    parts = list(read_chunks(path, SourceSpec(), rows=5000, whole_bytes=0))
    pd.testing.assert_frame_equal(pd.concat([p.frame for p in parts], ignore_index=True),
                                  whole.frame)
    assert np.concatenate([p.row_numbers for p in parts]).tolist() == \
        whole.row_numbers.tolist()


def test_chunks_are_freed_not_frozen(tmp_path, monkeypatch):
    """The chart importer pauses and then freezes the cycle collector for large inputs; done
    per chunk, every chunk's frames (which hold reference cycles) stayed in memory for good:
    a 10M-row import grew past 2.6 GB. The store collects after each chunk instead."""
    import gc

    from workbench.io import importer

    monkeypatch.setattr(importer, "LARGE_INPUT_BYTES", 0)  # the sample counts as large
    gc.collect()
    gc.unfreeze()
    try:
        with open_store(tmp_path / "s.wbstore", create=True) as store:
            import_into(store, CALLS_SPEC, CALLS, chunk_rows=2000, bulk=False)
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()


def test_the_first_error_is_reported_when_the_rollback_fails_too(tmp_path):
    """After a fatal engine error DuckDB refuses the rollback as well; the analyst must see
    the error that stopped the import, not 'database has been invalidated'. Here the
    connection goes away under the import, so its rollback fails the same way."""
    store = open_store(tmp_path / "s.wbstore", create=True)
    importing = threading.current_thread()  # Cancel is also watched from a thread of its own

    def gone() -> bool:
        if threading.current_thread() is importing:
            store.conn.close()
        return True

    with pytest.raises(StoreCancelled):
        store.import_files(load_spec(CALLS_SPEC), "", [CALLS], chunk_rows=1000, cancelled=gone)
    with open_store(tmp_path / "s.wbstore") as again:
        assert again.info().sources == []


def test_an_attribute_is_kept_once_with_its_first_value(tmp_path):
    spec = SAMPLES / "specs" / "nov13-attackers.yaml"
    data = SAMPLES / "data" / "nov13_node_details.csv"
    with open_store(tmp_path / "s.wbstore", create=True) as store:
        import_into(store, spec, data, chunk_rows=10, bulk=False)
        once = store.conn.execute("SELECT entity_id, name, value FROM entity_attributes "
                                  "ORDER BY ALL").fetchall()
        import_into(store, spec, data, again=True, chunk_rows=7, bulk=False)
        twice = store.conn.execute("SELECT entity_id, name, value FROM entity_attributes "
                                   "ORDER BY ALL").fetchall()
    assert once and len({r[0] for r in once}) == len(once)  # the attackers, flagged once
    assert twice == once
