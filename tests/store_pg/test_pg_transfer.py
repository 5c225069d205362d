"""``workbench store transfer``: a .wbstore's sources into the shared store, and a shared
store's sources onto a laptop and back, keeping provenance, handling and identities."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.store_pg.conftest import analyst, make_store, password
from tests.store_pg.test_pg_visibility import CALLS, CALLS_SPEC
from tests.store_pg.three_orgs import AGREEMENTS, ORGS, write
from workbench.cli import main
from workbench.io.importspec import load_spec, parse_spec
from workbench.store import open_store
from workbench.store.interface import ACCEPTED, REJECTED, Decision


def url(cluster, db: str, role: str) -> str:
    name = analyst(db, role)
    return cluster.analyst_url(db, name, password(name))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["store", "transfer", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def by_source(cluster, db: str) -> dict[str, tuple]:
    """Per source, as the superuser sees the tables: handling and named organisations,
    records (sheet, row, grades), identities with this source's labels, links by type and
    ends' identities."""
    out = {}
    with cluster.superuser(db) as c:
        for sid, name, handling, named, imported in c.execute(
                "SELECT s.id, s.name, s.handling, ARRAY(SELECT o.name FROM organisations o "
                "WHERE o.id = ANY(s.shared_with) ORDER BY 1), s.imported_at FROM sources s"):
            records = sorted(c.execute("SELECT name, sheet, \"row\", reliability, credibility "
                                       "FROM records WHERE source_id = %s", [sid]).fetchall())
            labels = sorted(c.execute(
                "SELECT e.type, e.identity, n.label FROM entity_sources n "
                "JOIN entities e ON e.id = n.entity_id WHERE n.source_id = %s", [sid]))
            links = sorted(c.execute(
                "SELECT l.type, a.identity, b.identity FROM links l JOIN entities a "
                "ON a.id = l.end1 JOIN entities b ON b.id = l.end2 WHERE l.source_id = %s",
                [sid]))
            out[name] = (handling, named, imported, records, labels, links)
    return out


def test_a_shared_stores_sources_go_to_a_laptop_and_back_as_they_were(cluster, capsys,
                                                                      tmp_path):
    first = make_store(cluster, ORGS, AGREEMENTS)
    with cluster.superuser(first) as conn:
        write(conn)
    laptop = tmp_path / "laptop.wbstore"
    code, out, err = run(capsys, url(cluster, first, "ana"), str(laptop))
    assert code == 0, err
    with open_store(laptop, read_only=True) as store:  # what NGO's analyst may see, only
        assert [s.name for s in store.info().sources] == ["Routes", "Victims", "Hotline"]
        assert store.conn.execute("SELECT handling FROM source_handling ORDER BY source_id"
                                  ).fetchall() == [("all",), ("owner",), ("shared:Bank",)]
        assert store.search("Blessing")[0].label == "Blessing Eze"
    second = make_store(cluster, ORGS, (*AGREEMENTS, ("NGO", "Bank")))
    code, out, err = run(capsys, str(laptop), url(cluster, second, "ana"))
    assert code == 0, err
    assert out.splitlines()[-1].endswith(": 3 sources added")
    before, after = by_source(cluster, first), by_source(cluster, second)
    assert set(after) == {"Routes", "Victims", "Hotline"}
    for name, copied in after.items():  # what each source said, not the file's one label
        assert copied == before[name], name
    # the bank sees the hotline (shared with it by name, under the new agreement), not the
    # victims' file
    with open_store(url(cluster, second, "cat")) as bank:
        assert [s.name for s in bank.info().sources] == ["Routes", "Hotline"]
        assert bank.search("Blessing") == []
    code, _, err = run(capsys, str(laptop), url(cluster, second, "ana"), "--source",
                       "Routes")
    assert code == 2 and "holds this file already" in err and err.count("\n") == 1


def test_a_wbstore_goes_into_the_shared_store_with_its_provenance(cluster, capsys, tmp_path):
    db = make_store(cluster, {"NGO": ["ana"], "Police": ["bob"]}, (("NGO", "Police"),))
    file = tmp_path / "calls.wbstore"
    with open_store(file, create=True) as store:
        store.import_files(load_spec(CALLS_SPEC), CALLS_SPEC.read_text(), [CALLS])
    code, _, err = run(capsys, str(file), url(cluster, db, "ana"), "--handling",
                       "shared:Police")
    assert code == 0, err
    with open_store(file, read_only=True) as mine, open_store(url(cluster, db, "bob")) as bob:
        a, b = mine.search("handset 5", limit=1)[0], bob.search("handset 5", limit=1)[0]
        assert (a.identity, a.label, a.links, a.sources) == \
            (b.identity, b.label, b.links, b.sources)
        one, two = mine.chart([a.id], hops=1), bob.chart([b.id], hops=1)
        assert {e.identity for e in one.entities.values()} == \
            {e.identity for e in two.entities.values()}
        assert len(one.links) == len(two.links)
        first = sorted(one.links.values(), key=lambda lk: lk.provenance[0].row)[0]
        again = sorted(two.links.values(), key=lambda lk: lk.provenance[0].row)[0]
        assert first.provenance == again.provenance  # source, file, row, time, grades
        assert mine.info().sources[0].imported_at == bob.info().sources[0].imported_at


def test_refusals_are_one_line_and_leave_no_file(cluster, capsys, tmp_path):
    db = make_store(cluster, {"NGO": ["ana"]})
    target = tmp_path / "new.wbstore"
    code, _, err = run(capsys, url(cluster, db, "ana"), str(target))
    assert code == 2 and "no source to copy" in err and not target.exists()
    with pytest.raises(SystemExit):
        main(["store", "transfer", str(target)])  # DST missing: argparse says so


def test_a_source_imported_into_the_file_takes_only_its_own_words(cluster, capsys, tmp_path):
    """The file kept one label per entity, the first source's: a later source of the file
    goes to the shared store with the identity only of an entity the earlier one named."""
    from workbench.io.importspec import parse_spec

    spec = "entities:\n  p: {type: Person, identity: '{Name}', label: '{Label}'}\n"
    first, later = tmp_path / "first.csv", tmp_path / "later.csv"
    first.write_text("Name,Label\nAna Lima,Ana Lima (informant)\n", encoding="utf-8")
    later.write_text("Name,Label\nAna Lima,Ana\nBo Chen,Bo Chen\n", encoding="utf-8")
    file = tmp_path / "field.wbstore"
    with open_store(file, create=True) as store:
        for data in (first, later):
            store.import_files(parse_spec(spec), spec, [data])
    db = make_store(cluster, {"NGO": ["ana"]})
    code, _, err = run(capsys, str(file), url(cluster, db, "ana"), "--source", "later.csv")
    assert code == 0, err
    with cluster.superuser(db) as c:
        said = dict(c.execute("SELECT e.identity, n.label FROM entity_sources n "
                              "JOIN entities e ON e.id = n.entity_id").fetchall())
    assert said == {"ana lima": "ana lima", "bo chen": "Bo Chen"}


PEOPLE_SPEC = "entities:\n  p: {type: Person, identity: '{Name}'}\n"
DAY = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def decided(pairs: list[tuple[str, str, str, datetime]], ids: dict[str, int]) -> list[Decision]:
    return [Decision(ids[a], ids[b], answer, "amira", at, "review", 0.91,
                     {"name": ("agree", f"{a} ~ {b}")}) for a, b, answer, at in pairs]


def by_identity(pairs: list[Decision], names: dict[int, str]) -> set[tuple]:
    """Decisions as (first identity, second identity, answer, who, when, how, evidence)."""
    return {(*sorted((names[d.a], names[d.b])), d.decision, d.by, d.at, d.method,
             d.probability, tuple(sorted(d.evidence.items()))) for d in pairs}


def test_decisions_on_duplicates_go_with_their_entities_both_ways(cluster, capsys, tmp_path):
    people, more = tmp_path / "people.csv", tmp_path / "more.csv"
    people.write_text("Name\nAna Lima\nAnna Lima\nBo Chen\n", encoding="utf-8")
    more.write_text("Name\nCy Dee\nCyd Dee\n", encoding="utf-8")
    file = tmp_path / "field.wbstore"
    with open_store(file, create=True) as store:
        for data in (people, more):
            store.import_files(parse_spec(PEOPLE_SPEC), PEOPLE_SPEC, [data])
        ids = dict(store.conn.execute("SELECT identity, id FROM entities").fetchall())
        store.record_decisions(decided([
            ("ana lima", "anna lima", ACCEPTED, DAY), ("ana lima", "bo chen", REJECTED, DAY),
            ("bo chen", "cy dee", ACCEPTED, DAY),  # Cy Dee is only in more.csv
            ("cy dee", "cyd dee", ACCEPTED, DAY)], ids))
    db = make_store(cluster, {"NGO": ["ana"], "Police": ["bob"]})
    code, out, err = run(capsys, str(file), url(cluster, db, "ana"), "--source", "people.csv")
    assert code == 0, err
    assert "Copied 2 decisions on duplicates (2 left behind: the copied sources do not name " \
           "both of their entities)" in out
    with open_store(url(cluster, db, "ana")) as shared:
        names = {e.id: e.identity for e in shared.search("lima", limit=10) +
                 shared.search("chen", limit=10)}
        assert by_identity(shared.decisions(), names) == by_identity(
            decided([("ana lima", "anna lima", ACCEPTED, DAY),
                     ("ana lima", "bo chen", REJECTED, DAY)], ids), {v: k for k, v in ids.items()})
        later = {v: k for k, v in names.items()}
        shared.record_decisions(decided([("ana lima", "anna lima", REJECTED,
                                          DAY + timedelta(days=1))], later))
    with cluster.superuser(db) as c:  # kept as the NGO's, unseen by the police
        assert c.execute("SELECT DISTINCT o.name FROM decisions d JOIN organisations o "
                         "ON o.id = d.org_id").fetchall() == [("NGO",)]
    with open_store(url(cluster, db, "bob")) as police:
        assert police.decisions() == []
    # the file's older decision on a pair does not replace the shared store's later one
    code, out, err = run(capsys, str(file), url(cluster, db, "ana"), "--source",
                         "people.csv", "--again")
    assert code == 0, err
    with open_store(url(cluster, db, "ana")) as shared:
        now = {(names[d.a], names[d.b]): d.decision for d in shared.decisions()}
    assert now == {("ana lima", "anna lima"): REJECTED, ("ana lima", "bo chen"): REJECTED}
    # and back onto another laptop: the decisions the NGO's analyst sees, by identity
    laptop = tmp_path / "laptop.wbstore"
    code, out, err = run(capsys, url(cluster, db, "ana"), str(laptop))
    assert code == 0, err  # (the shared store holds people.csv twice: both go)
    assert out.splitlines()[-1].endswith(": 2 sources added")
    assert "Copied 2 decisions on duplicates\n" in out
    with open_store(laptop, read_only=True) as copy:
        there = {i: k for k, i in copy.conn.execute("SELECT identity, id FROM entities")
                 .fetchall()}
        assert by_identity(copy.decisions(), there) == {
            ("ana lima", "anna lima", REJECTED, "amira", DAY + timedelta(days=1), "review",
             0.91, (("name", ("agree", "ana lima ~ anna lima")),)),
            ("ana lima", "bo chen", REJECTED, "amira", DAY, "review", 0.91,
             (("name", ("agree", "ana lima ~ bo chen")),))}
    # and into the file they came from: the shared store's later decision on a pair replaces
    # the file's, the file's own later one stays
    with open_store(file) as store:
        store.record_decisions(decided([("ana lima", "bo chen", ACCEPTED,
                                         DAY + timedelta(days=2))], ids))
    code, out, err = run(capsys, url(cluster, db, "ana"), str(file), "--again")
    assert code == 0, err
    with open_store(file, read_only=True) as store:
        names = {i: k for k, i in ids.items()}
        assert {(names[d.a], names[d.b]): (d.decision, d.at) for d in store.decisions()} == {
            ("ana lima", "anna lima"): (REJECTED, DAY + timedelta(days=1)),
            ("ana lima", "bo chen"): (ACCEPTED, DAY + timedelta(days=2)),
            ("bo chen", "cy dee"): (ACCEPTED, DAY), ("cy dee", "cyd dee"): (ACCEPTED, DAY)}
