"""Decisions in the shared store (issue 18 on issue 17's engine): each organisation keeps and
applies its own, under row-level security, default deny. The three organisations' store of
three_orgs.py; the pair decided on is two of the Routes source's phones, which every
organisation sees (both are called from Grace Okafor, the first entity of Routes)."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest

from tests.store_pg.conftest import analyst, make_store, password
from tests.store_pg.three_orgs import AGREEMENTS, ORGS, write
from workbench.cli import main
from workbench.io import load_chart
from workbench.store import Decision, StoreError, open_store
from workbench.store.charting import add_expansion, store_setting
from workbench.store.decisions import apply_decisions
from workbench.store.interface import ACCEPTED, REJECTED
from workbench.store.pg.admin import Admin

ROLES = {org: roles[0] for org, roles in ORGS.items()}
PHONES = ("+447700100001", "+447700100002")  # Routes' own (handled all): everyone sees both


@pytest.fixture
def shared(cluster) -> str:
    database = make_store(cluster, ORGS, AGREEMENTS)
    with cluster.superuser(database) as conn:
        write(conn)
    return database


def url(cluster, database: str, org: str) -> str:
    role = analyst(database, ROLES[org])
    return cluster.analyst_url(database, role, password(role))


def ids(cluster, database: str) -> dict[str, int]:
    """Store ids by identity, read as the superuser."""
    with cluster.superuser(database) as conn:
        return dict(conn.execute("SELECT identity, id FROM entities").fetchall())


def decision(a: int, b: int, answer: str = ACCEPTED) -> Decision:
    return Decision(min(a, b), max(a, b), answer, "tester",
                    datetime(2026, 12, 1, 12, tzinfo=UTC), "review", 0.97,
                    {"phone": ("agree", "same handset")})


def grace_chart(store):
    return store.chart([store.resolve_seed("grace okafor")], hops=1)


def phones_on(chart) -> list[str]:
    return sorted(e.identity for e in chart.entities.values() if e.identity in PHONES)


def test_an_accepted_pair_merges_in_its_organisations_charts_only(cluster, shared):
    known = ids(cluster, shared)
    pair = decision(known[PHONES[0]], known[PHONES[1]])
    with open_store(url(cluster, shared, "Police")) as police:
        assert police.record_decisions([pair]) == 1
        chart = grace_chart(police)
        assert len(chart.merges) == 1 and len(phones_on(chart)) == 1  # one merged phone
        assert police.decisions() == [pair]
        again = decision(pair.a, pair.b, REJECTED)  # then changed: the later one replaces it
        assert police.record_decisions([again]) == 1 and police.decisions() == [again]
        assert police.record_decisions([pair]) == 1 and police.decisions() == [pair]
    for org in ("Bank", "NGO"):
        with open_store(url(cluster, shared, org)) as other:
            chart = grace_chart(other)
            assert not chart.merges and phones_on(chart) == sorted(PHONES), org
            assert other.decisions() == [] and other.accepted_partners([pair.a]) == []


def test_an_expansion_brings_an_accepted_partner_and_merges_it(cluster, shared):
    known = ids(cluster, shared)
    far = "+447700300001"  # Referral's, called from the account's phone, not from Grace
    with open_store(url(cluster, shared, "Bank")) as bank:
        bank.record_decisions([decision(known["grace okafor"], known["gb000001"], REJECTED),
                               decision(known[PHONES[0]], known[far])])
        chart = bank.chart([known["lagos"]], hops=1)  # Lagos, Grace, Milan
        assert len(chart.entities) == 3 and not chart.merges
        found = bank.expand(chart, known["grace okafor"], hops=1)
        add_expansion(chart, bank, found)
    assert known[far] in found.entity_ids.values()  # no neighbour of Grace: the partner
    assert {(d.a, d.b, d.decision) for d in found.decisions} == {
        (*sorted((known[PHONES[0]], known[far])), ACCEPTED),
        (*sorted((known["grace okafor"], known["gb000001"])), REJECTED)}
    assert apply_decisions(chart, found.decisions) == (1, 1)
    assert sorted(e.identity for e in chart.entities.values()
                  if e.identity in (PHONES[0], far)) == [PHONES[0]]


def test_another_organisation_can_neither_read_nor_write_nor_change_them(cluster, shared):
    known = ids(cluster, shared)
    a, b = sorted((known[PHONES[0]], known[PHONES[1]]))
    with open_store(url(cluster, shared, "Police")) as police:
        police.record_decisions([decision(a, b)])
    with cluster.superuser(shared) as conn:
        orgs = dict(conn.execute("SELECT name, id FROM organisations").fetchall())
    role = analyst(shared, ROLES["Bank"])
    with psycopg.connect(cluster.analyst_url(shared, role, password(role)),
                         options="-c search_path=workbench,public", autocommit=True) as bank:
        # read around the policies: no filter, another's id, the raw count
        assert bank.execute("SELECT count(*) FROM decisions").fetchone() == (0,)
        assert bank.execute("SELECT * FROM decisions WHERE org_id = %s",
                            [orgs["Police"]]).fetchall() == []
        assert bank.execute("UPDATE decisions SET decision = 'rejected' WHERE a = %s",
                            [a]).rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bank.execute("DELETE FROM decisions")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # in Police's name
            bank.execute("INSERT INTO decisions (org_id, a, b, decision, decided_by, "
                         "decided_at, method) VALUES (%s, %s, %s, 'rejected', 'x', now(), "
                         "'x')", [orgs["Police"], a, b])
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # as another analyst
            bank.execute("INSERT INTO decisions (org_id, a, b, decision, decided_by, "
                         "decided_at, method, analyst) VALUES (%s, %s, %s, 'rejected', 'x', "
                         "now(), 'x', 'postgres')", [orgs["Bank"], a, b])
    with cluster.superuser(shared) as conn:
        rows = conn.execute("SELECT o.name, d.analyst, d.decision FROM decisions d "
                            "JOIN organisations o ON o.id = d.org_id").fetchall()
    assert rows == [("Police", analyst(shared, ROLES["Police"]), ACCEPTED)]


def test_a_decision_is_seen_only_while_both_entities_are(cluster, shared):
    known = ids(cluster, shared)
    account, ivan = known["gb000001"], known["иван петров"]  # Bank's shared, Police's own
    with open_store(url(cluster, shared, "Police")) as police:
        police.record_decisions([decision(account, ivan, REJECTED)])
        assert len(police.decisions()) == 1
    with Admin(cluster.superuser_url(shared)) as admin:
        admin.share("Bank", "Police", stop=True)
    with open_store(url(cluster, shared, "Police")) as police:
        assert police.decisions() == []  # the account went with the agreement
        with pytest.raises(StoreError, match=f"no entity {account} in the store"):
            police.record_decisions([decision(account, ivan)])
    with Admin(cluster.superuser_url(shared)) as admin:
        admin.share("Bank", "Police")
    with open_store(url(cluster, shared, "Police")) as police:
        assert [d.decision for d in police.decisions()] == [REJECTED]


def test_match_rows_hold_only_what_the_analyst_may_see(cluster, shared):
    def people(org: str) -> dict[str, set[str]]:
        with open_store(url(cluster, shared, org)) as store:
            rows = [r for batch in store.match_rows(["Person"], batch_rows=1)
                    for r in batch.to_pylist()]
        return {r["label"]: {a["name"] for a in r["attributes"] or ()} for r in rows}

    police, ngo = people("Police"), people("NGO")
    assert police == {"Grace Okafor": {"nationality"}, "Иван Петров": set()}
    assert ngo["Grace Okafor"] == {"nationality", "note"}  # the victims' note: NGO's own
    assert set(ngo) == {"Grace Okafor", "Blessing Eze", "Hidden Caller"}


def test_store_resolve_on_a_url_end_to_end(cluster, shared, capsys, monkeypatch, tmp_path):
    role = analyst(shared, ROLES["Police"])
    monkeypatch.setenv("PGPASSWORD", password(role))
    police = cluster.analyst_url(shared, role)
    code = main(["store", "resolve", police, "--accept", PHONES[0], PHONES[1]])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Recorded 1 decision(s) in " in out and "pw-" not in out
    code = main(["store", "resolve", police])
    out, err = capsys.readouterr()
    assert code == 0 and "candidate pairs at or above" in out, err
    drawn = tmp_path / "grace.wbchart"
    assert main(["store", "chart", police, "--seed", "grace okafor", "-o", str(drawn)]) == 0
    chart = load_chart(drawn)
    assert len(chart.merges) == 1 and len(phones_on(chart)) == 1
    assert store_setting(chart)["file"] == police
    with cluster.superuser(shared) as conn:
        actions = [a for (a,) in conn.execute("SELECT action FROM audit WHERE role = %s "
                                              "ORDER BY id", [role]).fetchall()]
    assert "decide" in actions and "resolve" in actions


def test_a_store_of_format_1_keeps_no_decisions_until_upgraded(cluster, shared, capsys):
    with cluster.superuser(shared) as conn:
        conn.execute("DROP TABLE workbench.decisions")
        conn.execute("UPDATE workbench.store_format SET version = 1")
        conn.execute("CREATE TABLE workbench.decisions (x INTEGER)")  # makes the step fail
        conn.commit()
    known = ids(cluster, shared)
    pair = decision(known[PHONES[0]], known[PHONES[1]])
    with Admin(cluster.superuser_url(shared)) as admin, \
            pytest.raises(StoreError, match="already exists"):
        admin.upgrade()
    with cluster.superuser(shared) as conn:
        assert conn.execute("SELECT version FROM workbench.store_format").fetchone() == (1,)
        conn.execute("DROP TABLE workbench.decisions")
        conn.commit()
    with open_store(url(cluster, shared, "Police")) as police:
        assert len(grace_chart(police).entities) > 1 and police.decisions() == []
        with pytest.raises(StoreError, match="admin URL upgrade"):
            police.record_decisions([pair])
    assert main(["store", "admin", cluster.superuser_url(shared), "upgrade"]) == 0
    assert capsys.readouterr().out.endswith(": store format version 2 (was 1)\n")
    with Admin(cluster.superuser_url(shared)) as admin:
        assert admin.upgrade() == (2, 2)
    with open_store(url(cluster, shared, "Police")) as police:
        assert police.record_decisions([pair]) == 1
        assert len(grace_chart(police).merges) == 1
