"""Three organisations and their analysts import into one shared store; each analyst sees
exactly what the handling and the sharing agreements allow, checked against the raw tables
as the superuser and against the files themselves, and a query written to read around the
policies gets nothing hidden."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import psycopg
import pytest

from tests.store_pg.conftest import analyst, make_store, password
from workbench.io.importspec import load_spec
from workbench.store import StoreError
from workbench.store.pg import PgStore, parse_handling
from workbench.store.pg.admin import Admin

REPO = Path(__file__).resolve().parents[2]
CALLS_SPEC = REPO / "sample_charts" / "specs" / "call-records.yaml"
CALLS = REPO / "sample_charts" / "data" / "vast2008_call_records.csv"
ROUTES_SPEC = REPO / "sample_charts" / "specs" / "trafficking-routes.yaml"
ROUTES = REPO / "sample_charts" / "data" / "trafficking_routes_2008_2016.csv"
# who imports which rows of the call records, handled how
SLICES = {"ngo": ("NGO", 0, 4000, "owner"), "police": ("Police", 3000, 7000, "shared:NGO"),
          "bank": ("Bank", 6000, 9834, "all")}
TABLES = ("sources", "records", "entity_sources", "entity_attributes", "entity_records",
          "links", "link_records")


def open_as(cluster, db: str, role: str) -> PgStore:
    name = analyst(db, role)
    return PgStore(cluster.analyst_url(db, name, password(name)))


def raw_as(cluster, db: str, role: str) -> psycopg.Connection:
    """The analyst's own plain connection, as any SQL client would open it."""
    name = analyst(db, role)
    return psycopg.connect(cluster.analyst_url(db, name, password(name)), autocommit=True,
                           options="-c search_path=workbench,public")


def import_as(cluster, db, role, spec: Path, data: Path, handling: str = "owner", **kw):
    with open_as(cluster, db, role) as store:
        return store.import_files(load_spec(spec), spec.read_text(), [data],
                                  handling=parse_handling(handling), **kw)


@pytest.fixture(scope="module")
def shared(cluster, tmp_path_factory):
    """NGO shares with Police and Police with NGO; Bank shares with no one. NGO's routes are
    handled shared:Police."""
    db = make_store(cluster, {"NGO": ["ngo"], "Police": ["police"], "Bank": ["bank"]},
                    (("NGO", "Police"), ("Police", "NGO")))
    folder = tmp_path_factory.mktemp("calls")
    frame = pd.read_csv(CALLS, dtype=str, keep_default_na=False)
    files = {}
    for role, (_, start, stop, handling) in SLICES.items():
        files[role] = folder / f"calls_{role}.csv"
        frame.iloc[start:stop].to_csv(files[role], index=False)
        import_as(cluster, db, role, CALLS_SPEC, files[role], handling)
    import_as(cluster, db, "ngo", ROUTES_SPEC, ROUTES, "shared:Police")
    return db, files, frame


def visible_sources(cluster, db: str, org: str) -> set[int]:
    """The rule, applied by hand to the raw tables as the superuser."""
    with cluster.superuser(db) as c:
        me = c.execute("SELECT id FROM organisations WHERE name = %s", [org]).fetchone()[0]
        agreements = set(c.execute("SELECT owner_org, with_org FROM sharing").fetchall())
        return {sid for sid, owner, handling, named in c.execute(
            "SELECT id, org_id, handling, shared_with FROM sources").fetchall()
            if owner == me or handling == "all"
            or (handling == "named" and me in named and (owner, me) in agreements)}


def as_superuser(cluster, db: str, table: str, sources: set[int]) -> list[tuple]:
    with cluster.superuser(db) as c:
        key = "id" if table == "sources" else "source_id"
        return sorted(c.execute(f"SELECT * FROM {table} WHERE {key} = ANY(%s)",
                                [list(sources)]).fetchall(), key=repr)


@pytest.mark.parametrize("role", list(SLICES))
def test_each_analyst_sees_exactly_what_sharing_allows(cluster, shared, role):
    db, _, frame = shared
    org = SLICES[role][0]
    sources = visible_sources(cluster, db, org)
    with raw_as(cluster, db, role) as c:
        for table in TABLES:
            seen = sorted(c.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
            assert seen == as_superuser(cluster, db, table, sources), table
        entities = set(c.execute("SELECT type, identity FROM entities").fetchall())
    with cluster.superuser(db) as c:
        expected = set(c.execute(
            "SELECT type, identity FROM entities WHERE id IN (SELECT entity_id FROM "
            "entity_sources WHERE source_id = ANY(%s))", [list(sources)]).fetchall())
    assert entities == expected
    # and from the files themselves: the handsets of the call rows this analyst may see
    may_see = {"ngo": ("ngo", "police", "bank"), "police": ("police", "bank"),
               "bank": ("bank",)}[role]
    rows = pd.concat([frame.iloc[SLICES[r][1]:SLICES[r][2]] for r in may_see])
    handsets = set(rows["From"]) | set(rows["To"])
    assert {i for t, i in entities if t == "Handset"} == handsets
    assert any(t == "Country" for t, _ in entities) == (role != "bank")


def test_an_entity_known_only_from_hidden_records_does_not_exist_for_others(cluster, shared):
    """Only NGO's routes (handled shared:Police) name countries: Bank meets none of them,
    not even by id, nor what a source said about them."""
    db, _, _ = shared
    with cluster.superuser(db) as c:
        hidden = [r[0] for r in c.execute("SELECT id FROM entities WHERE type = 'Country'")]
    assert len(hidden) > 100
    with raw_as(cluster, db, "bank") as c:
        assert c.execute("SELECT * FROM entities WHERE id = ANY(%s)", [hidden]).fetchall() == []
        for table in ("entity_sources", "entity_attributes", "entity_records"):
            assert c.execute(f"SELECT * FROM {table} WHERE entity_id = ANY(%s)",
                             [hidden]).fetchall() == []
        assert c.execute("SELECT * FROM links WHERE end1 = ANY(%s) OR end2 = ANY(%s)",
                         [hidden, hidden]).fetchall() == []
    with raw_as(cluster, db, "police") as c:
        assert c.execute("SELECT count(*) FROM entities WHERE id = ANY(%s)",
                         [hidden]).fetchone()[0] == len(hidden)


def test_queries_written_around_the_policies_get_nothing_hidden(cluster, shared):
    db, _, _ = shared
    bank_sees = visible_sources(cluster, db, "Bank")
    with cluster.superuser(db) as c:
        ngo_source = c.execute("SELECT min(s.id) FROM sources s JOIN organisations o "
                               "ON o.id = s.org_id WHERE o.name = 'NGO'").fetchone()[0]
        c.execute("ANALYZE")
    with raw_as(cluster, db, "bank") as c:
        # through the links, the provenance and the records, every way round
        assert c.execute("SELECT DISTINCT r.source_id FROM links l "
                         "JOIN link_records lr ON lr.link_id = l.id "
                         "JOIN records r ON r.id = lr.record_id").fetchall() == \
            [(s,) for s in sorted(bank_sees)]
        assert c.execute("SELECT count(*) FROM entities e JOIN entity_records er "
                         "ON er.entity_id = e.id WHERE er.source_id <> ALL(%s)",
                         [list(bank_sees)]).fetchone()[0] == 0
        assert c.execute("SELECT count(*) FROM records WHERE source_id = %s",
                         [ngo_source]).fetchone()[0] == 0
        # the planner's statistics hold sample values of every column: not for these tables
        assert c.execute("SELECT count(*) FROM pg_stats WHERE schemaname = 'workbench' "
                         "AND tablename IN ('records', 'entity_sources')").fetchone()[0] == 0
        for statement, refusal in (
                ("SET row_security = off; SELECT * FROM records", psycopg.errors.Error),
                ("UPDATE records SET name = 'x'", psycopg.errors.InsufficientPrivilege),
                ("DELETE FROM sources", psycopg.errors.InsufficientPrivilege),
                ("UPDATE analysts SET org_id = 1", psycopg.errors.InsufficientPrivilege),
                ("INSERT INTO sharing VALUES (1, 3)", psycopg.errors.InsufficientPrivilege),
                (f"INSERT INTO records (source_id, org_id, handling, shared_with, name, sheet, "
                 f"reliability, credibility) VALUES ({ngo_source}, 1, 'all', '{{}}', 'x', '', "
                 "'A', '1')", psycopg.errors.InsufficientPrivilege),
                ("INSERT INTO sources (org_id, handling, name, file, file_hash, imported_at, "
                 "spec_name, spec) VALUES (1, 'all', 'x', 'x', 'x', now(), 'x', 'x')",
                 psycopg.errors.InsufficientPrivilege),
                ("ALTER TABLE records DISABLE ROW LEVEL SECURITY",
                 psycopg.errors.InsufficientPrivilege),
                ("SET ROLE workbench_owner", psycopg.errors.InsufficientPrivilege)):
            with pytest.raises(refusal):
                c.execute(statement)


def test_ending_an_agreement_hides_what_it_shared_at_once(cluster, tmp_path):
    db = make_store(cluster, {"NGO": ["ngo"], "Police": ["police"]}, (("NGO", "Police"),))
    import_as(cluster, db, "ngo", CALLS_SPEC, CALLS, "shared:Police")
    with raw_as(cluster, db, "police") as c:
        assert c.execute("SELECT count(*) FROM records").fetchone()[0] == 9834
    with Admin(cluster.superuser_url(db)) as admin:
        admin.share("NGO", "Police", stop=True)
    with raw_as(cluster, db, "police") as c:
        assert c.execute("SELECT count(*) FROM records").fetchone()[0] == 0
        assert c.execute("SELECT count(*) FROM entities").fetchone()[0] == 0


def test_handling_naming_an_organisation_without_an_agreement_is_refused(cluster, shared):
    db, files, _ = shared
    with pytest.raises(StoreError, match="Bank has no sharing agreement with 'NGO'"):
        import_as(cluster, db, "bank", CALLS_SPEC, files["ngo"], "shared:NGO")
    with pytest.raises(StoreError, match="no organisation 'Nobody'"):
        import_as(cluster, db, "bank", CALLS_SPEC, files["ngo"], "shared:Nobody")


def test_the_same_file_twice_is_refused_per_organisation(cluster, shared):
    db, files, _ = shared
    with pytest.raises(StoreError, match="imported already by NGO"):
        import_as(cluster, db, "ngo", CALLS_SPEC, files["ngo"])
    # Police cannot see NGO's copy: for Police it is a new file
    with cluster.superuser(db) as c:
        before = c.execute("SELECT count(*) FROM entities").fetchone()[0]
    result = import_as(cluster, db, "police", CALLS_SPEC, files["ngo"], "owner")
    assert result.report.rows_imported == 4000
    with cluster.superuser(db) as c:
        assert c.execute("SELECT count(*) FROM entities").fetchone()[0] == before
