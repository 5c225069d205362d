"""Store format version 3: a version-2 store (made by the code of that version, kept in
tests/store/data) migrates forward to the store an import makes now, and the label words
that typo search starts from are kept right by every import, a cancelled one included."""

from __future__ import annotations

import duckdb
import pytest

from tests.store.conftest import version_2_store
from tests.store.test_store_bulk import dump
from workbench.io.importspec import parse_spec
from workbench.store import StoreCancelled, StoreError, open_store
from workbench.store.rows import fold
from workbench.store.schema import FORMAT_VERSION
from workbench.store.search import SIMILAR
from workbench.store.transfer import reader_of, transfer, writer_of

QUERIES = ["Vecchio Karaca", "abdelhamid", "Syria", "Abdelhamid Abauod", "Rezaie", "nigeria",
           "Pais", "Bataclan", "Salah Abdeslaam"]


def _search(store, text: str) -> list[tuple]:
    return [(h.type, h.identity, h.label, h.score, h.matched, h.links, h.sources)
            for h in store.search(text, limit=20)]


def _chart(store, seed: str) -> tuple:
    chart = store.chart([store.resolve_seed(seed)], hops=2, max_entities=60)
    return (sorted((e.type, e.label, len(e.provenance)) for e in chart.entities.values()),
            sorted((lk.type, len(lk.provenance)) for lk in chart.links.values()))


def _v2_content(path) -> dict:
    """What the version-2 file holds, read from its own tables before it is migrated."""
    with duckdb.connect(str(path), read_only=True) as c:
        assert c.execute("SELECT version FROM store_format").fetchone()[0] == 2
        pairs = sorted(c.execute(
            "SELECT e.type, e.identity, r.row, r.name, r.reliability, r.credibility "
            "FROM entity_records x JOIN entities e ON e.id = x.entity_id "
            "JOIN records r ON r.id = x.record_id").fetchall())
        links = c.execute("SELECT count(*) FROM link_records").fetchone()[0]
        return {"entity_rows": pairs, "link_records": links,
                "sources": c.execute("SELECT name, file, file_hash, rows_read, rows_imported "
                                     "FROM sources ORDER BY id").fetchall()}


def test_a_version_2_store_migrates_to_the_store_an_import_makes_now(tmp_path,
                                                                     sample_store_path):
    old = version_2_store("samples", tmp_path)
    before = _v2_content(old)
    with open_store(old) as migrated, open_store(sample_store_path, read_only=True) as fresh:
        assert migrated.info().format_version == FORMAT_VERSION
        got, want = dump(migrated), dump(fresh)
        for part in ("entities", "attributes", "entity_rows", "links", "records"):
            assert got[part] == want[part], part
        assert got["entity_rows"] == before["entity_rows"]  # provenance kept, each pair once
        c = migrated.conn
        assert c.execute("SELECT count(*) FROM link_records").fetchone()[0] == \
            before["link_records"]
        assert c.execute("SELECT name, file, file_hash, rows_read, rows_imported "
                         "FROM sources ORDER BY id").fetchall() == before["sources"]
        assert sorted(c.execute("SELECT word, letters, digits FROM label_words").fetchall()) \
            == sorted(fresh.conn.execute("SELECT word, letters, digits FROM label_words"
                                         ).fetchall())
        for text in QUERIES:
            assert _search(migrated, text) == _search(fresh, text), text
        assert _chart(migrated, "Abdelhamid Abaaoud") == _chart(fresh, "Abdelhamid Abaaoud")
        assert migrated.info().links == fresh.info().links
    with duckdb.connect(str(old), read_only=True) as c:
        assert c.execute("SELECT version FROM store_format").fetchone()[0] == FORMAT_VERSION


def test_a_failed_migration_leaves_the_version_2_store_whole(tmp_path):
    old = version_2_store("people", tmp_path)
    with duckdb.connect(str(old)) as conn:  # something in the way of the step
        conn.execute("CREATE TABLE label_words (note TEXT)")
    with pytest.raises(StoreError, match=f"from store format version 2 to {FORMAT_VERSION}"):
        open_store(old)
    with duckdb.connect(str(old), read_only=True) as c:
        assert c.execute("SELECT version FROM store_format").fetchone()[0] == 2
        assert c.execute("SELECT count(*) FROM entities").fetchone()[0] == 15
        assert c.execute("SELECT count(*) FROM entity_records").fetchone()[0] > 0


SPEC = parse_spec("""
source: {name: Adverts, reliability: C, credibility: "3"}
entities:
  advert: {type: Advert, identity: "{Id}", label: "{Title}"}
  phone: {type: Phone, identity: "{Phone}"}
  email: {type: Email, identity: "{Email}"}
region: GB
links:
  - {from: advert, to: phone, type: Uses}
  - {from: advert, to: email, type: Uses}
""")
FIRST = ("Id,Title,Phone,Email\nA1,Massage Leeds,07700 900001,a@x.org\n"
         "A2,Sauna Leeds,07700 900002,\n")
SECOND = ("Id,Title,Phone,Email\nA3,Zanzibar Spa,07700 900003,a@x.org\n"
          "A4,Massage York,07700 900001,b@x.org\n")
CANCELLED = ("Id,Title,Phone,Email\nA5,Quixotic Nails,07700 900005,\n"
             "A6,Quixotic Two,07700 900006,\n")


def _words(store) -> list[tuple]:
    return sorted(store.conn.execute("SELECT word, letters, digits FROM label_words"
                                     ).fetchall())


def _independent_words(store) -> list[tuple]:
    """Every word of every entity's search text, with its letters and digits, in Python."""
    words = {w for (f,) in store.conn.execute("SELECT fold FROM entities").fetchall()
             for w in f.split()}
    return sorted((w, sum(not c.isdigit() for c in w), sum(c.isdigit() for c in w))
                  for w in words)


def _independent_typo_hits(store, text: str) -> list[str]:
    """The labels a typo search must find, by comparing with every word of every label
    (the search before label_words), in DuckDB's Jaro-Winkler."""
    q = fold(text)
    return sorted(r[0] for r in store.conn.execute(
        "SELECT label FROM entities WHERE NOT contains(fold, $q) AND greatest("
        "jaro_winkler_similarity(fold, $q), list_max(list_transform(string_split(fold, ' '), "
        "lambda w: jaro_winkler_similarity(w, $q)))) >= $s", {"q": q, "s": SIMILAR}
        ).fetchall())


@pytest.mark.parametrize("bulk", [True, False])
def test_label_words_follow_each_import_and_a_cancelled_one_leaves_none(tmp_path, bulk):
    files = {}
    for name, text in (("first", FIRST), ("second", SECOND), ("cancelled", CANCELLED)):
        files[name] = tmp_path / f"{name}.csv"
        files[name].write_text(text, encoding="utf-8")
    path = tmp_path / "adverts.wbstore"
    with open_store(path, create=True) as store:
        store.import_files(SPEC, "", [files["first"]], bulk=bulk)
        assert [h.label for h in store.search("Zanzibr")] == []
        store.import_files(SPEC, "", [files["second"]], bulk=bulk)
        assert _words(store) == _independent_words(store)
        # each row's advert is reached by two links (its phone's, its e-mail's): still one
        # provenance row per entity and row
        assert sorted(store.conn.execute(
            "SELECT e.identity, r.row FROM entity_records x JOIN entities e ON e.id = "
            "x.entity_id JOIN records r ON r.id = x.record_id").fetchall()) == sorted([
                ("a1", 2), ("+447700900001", 2), ("a@x.org", 2), ("a2", 3),
                ("+447700900002", 3), ("a3", 2), ("+447700900003", 2), ("a@x.org", 2),
                ("a4", 3), ("+447700900001", 3), ("b@x.org", 3)])
        hits = store.search("Zanzibr")  # a typo of a word only the second import brought
        assert [(h.label, h.matched) for h in hits] == [("Zanzibar Spa", "similar label")]
        assert [h.label for h in store.search("Masage")] == \
            _independent_typo_hits(store, "Masage") == ["Massage Leeds", "Massage York"]
        kept = _words(store)
        seen: list[int] = []  # 'quixotic' in label_words, inside the import's transaction

        def landed(fraction: float, message: str) -> None:
            if fraction > 0:  # a chunk (or the whole staged file) has landed
                seen.append(store.conn.execute("SELECT count(*) FROM label_words "
                                               "WHERE word = 'quixotic'").fetchall()[0][0])

        with pytest.raises(StoreCancelled):
            store.import_files(SPEC, "", [files["cancelled"]], bulk=bulk, chunk_rows=1,
                               progress=landed, cancelled=lambda: bool(seen))
        assert seen[0] == 1  # the words were written, then rolled back with the rest
        assert _words(store) == kept and "quixotic" not in {w for w, *_ in kept}
        assert store.search("Quixotc") == []
    with open_store(path, read_only=True) as store:  # and so it stays on disk
        assert _words(store) == _independent_words(store) == kept


def test_typo_search_finds_what_comparing_every_label_finds(sample_store):
    for text in ("Abdelhamd", "Bataclam", "Salha", "Mohammd", "Pariss", "Molenbek"):
        found = sorted(h.label for h in sample_store.search(text, limit=500)
                       if h.matched == "similar label")
        assert found == _independent_typo_hits(sample_store, text), text


def test_a_transfer_between_two_files_keeps_records_links_and_provenance(tmp_path,
                                                                          sample_store_path):
    """duck_transfer lands a source's chunks through the same landing as an import: the
    copy holds the same links, records and provenance, each (entity, record) once."""
    copy = tmp_path / "copy.wbstore"
    with open_store(sample_store_path, read_only=True) as src, \
            open_store(copy, create=True) as dst:
        transfer(reader_of(src), writer_of(dst))
        got, want = dump(dst), dump(src)
        for part in ("entity_rows", "links", "records"):
            assert got[part] == want[part], part
        assert set(got["entities"]) == set(want["entities"])
        assert _words(dst) == _independent_words(dst)
        c = dst.conn
        assert c.execute("SELECT count(*) FROM (SELECT DISTINCT * FROM entity_records)"
                         ).fetchone()[0] == c.execute("SELECT count(*) FROM entity_records"
                                                      ).fetchone()[0]
