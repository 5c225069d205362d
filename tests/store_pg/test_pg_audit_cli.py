"""``workbench store admin`` and ``workbench store audit`` as an administrator runs them, the
import of a shared store from the command line, and an audit log no analyst can alter."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest

from tests.store_pg.conftest import analyst, make_store, password
from workbench.cli import main

REPO = Path(__file__).resolve().parents[2]
CALLS_SPEC = str(REPO / "sample_charts" / "specs" / "call-records.yaml")
CALLS = str(REPO / "sample_charts" / "data" / "vast2008_call_records.csv")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["store", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_an_administrator_makes_a_store_and_an_analyst_imports_into_it(cluster, capsys,
                                                                         monkeypatch):
    db = cluster.new_database()
    admin = cluster.superuser_url(db)
    assert run(capsys, "admin", admin, "init", "--org", "NGO")[0] == 0
    assert run(capsys, "admin", admin, "add-org", "Police")[0] == 0
    role = analyst(db, "ana")
    monkeypatch.setenv("WORKBENCH_ANALYST_PASSWORD", "s3cret-pass")
    code, out, _ = run(capsys, "admin", admin, "add-analyst", role, "--org", "NGO")
    assert (code, out.strip()) == (0, f"{role} is an analyst of 'NGO'")
    assert run(capsys, "admin", admin, "share", "NGO", "Police")[0] == 0
    code, out, _ = run(capsys, "admin", admin, "list", "--json")
    assert json.loads(out) == {"organisations": ["NGO", "Police"],
                               "analysts": [{"role": role, "organisation": "NGO"}],
                               "sharing": [{"owner": "NGO", "with": "Police"}]}
    url = cluster.analyst_url(db, role, "s3cret-pass")
    code, out, err = run(capsys, "import", url, CALLS, "--spec", CALLS_SPEC,
                         "--handling", "shared:Police")
    assert code == 0, err
    assert "s3cret-pass" not in out
    assert f"Store {role}@127.0.0.1:{cluster.port}/{db}: 400 entities (400 new)" in out
    code, out, err = run(capsys, "import", url, CALLS, "--spec", CALLS_SPEC)
    assert code == 2 and "imported already by NGO" in err and err.count("\n") == 1
    code, out, _ = run(capsys, "audit", admin, "--json")
    rows = json.loads(out)
    assert [r["action"] for r in rows] == ["init", "add-org", "add-org", "add-analyst",
                                           "share", "import"]
    assert rows[-1]["role"] == role and rows[-1]["organisation"] == "NGO"
    assert rows[-1]["application"] == "workbench store import"
    assert rows[-1]["client"] == "127.0.0.1"
    assert rows[-1]["detail"]["handling"] == "shared:Police"
    code, out, _ = run(capsys, "audit", admin, "--since", "2999-01-01")
    assert (code, out.strip()) == (0, "No audit rows since 2999-01-01")


def test_admin_refusals_are_one_line(cluster, capsys, one_org, monkeypatch):
    admin = cluster.superuser_url(one_org)
    monkeypatch.delenv("WORKBENCH_ANALYST_PASSWORD", raising=False)
    for argv, expected in (
            (("admin", admin, "add-org", "NGO"), "organisation 'NGO' exists already"),
            (("admin", admin, "add-analyst", "bob", "--org", "Nobody"),
             "no organisation 'Nobody'"),
            (("admin", admin, "add-analyst", "bob", "--org", "NGO"),
             "set WORKBENCH_ANALYST_PASSWORD"),
            (("import", "not-a-store.wbstore", CALLS, "--spec", CALLS_SPEC, "--handling",
              "all"), "--handling is for a shared store"),
            (("import", admin, CALLS, "--spec", CALLS_SPEC, "--handling", "friends"),
             "give owner, all or shared:ORG,ORG"),
            (("import", admin, CALLS, "--spec", CALLS_SPEC), "is not an analyst"),
            (("import", f"postgresql://ana:pw@127.0.0.1:{cluster.port + 1}/{one_org}", CALLS,
              "--spec", CALLS_SPEC), "no PostgreSQL server is running there"),
            (("audit", cluster.superuser_url("postgres")), "not a Workbench store")):
        code, _, err = run(capsys, *argv)
        assert code == 2 and expected in err and err.count("\n") == 1, err


def test_audit_rows_cannot_be_changed_or_removed(cluster):
    db = make_store(cluster, {"NGO": ["ana"]})
    name = analyst(db, "ana")
    with psycopg.connect(cluster.analyst_url(db, name, password(name)), autocommit=True,
                         options="-c search_path=workbench") as c:
        # what an analyst writes is stamped with who they are, whatever they claim
        c.execute("INSERT INTO audit (action, role, client, at) VALUES "
                  "('search', 'someone_else', '10.0.0.1', '2000-01-01')")
        row = c.execute("SELECT role, host(client), at > now() - interval '1 hour' "
                        "FROM audit").fetchall()
        assert row == [(name, "127.0.0.1", True)]
        for statement in ("UPDATE audit SET action = 'nothing'", "DELETE FROM audit",
                          "TRUNCATE audit", "DROP TABLE audit",
                          "ALTER TABLE audit DISABLE TRIGGER refuse_change"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                c.execute(statement)
    # not even the tables' owner, or a superuser who does not first drop the trigger
    with cluster.superuser(db) as c:
        for role in ("workbench_owner", "postgres"):
            c.execute(f"SET ROLE {role}")
            for statement in ("UPDATE audit SET action = 'nothing'", "DELETE FROM audit",
                              "TRUNCATE audit"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                    c.execute(statement)
        assert c.execute("SELECT count(*) FROM audit").fetchone()[0] == 4  # init, org, analyst, one
