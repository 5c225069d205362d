"""Every way opening a shared store fails is one line that says what to do."""

from __future__ import annotations

import pytest

from tests.store_pg.conftest import analyst, password
from workbench.store import StoreError
from workbench.store.pg import PgStore


def test_wrong_password(cluster, one_org):
    role = analyst(one_org, "ana")
    with pytest.raises(StoreError, match=f"the password for role '{role}' is wrong"):
        PgStore(cluster.analyst_url(one_org, role, "not-it"))


def test_server_not_running(cluster, one_org):
    url = f"postgresql://ana:x@127.0.0.1:{cluster.port + 1}/{one_org}"
    with pytest.raises(StoreError, match="no PostgreSQL server is running there"):
        PgStore(url)


def test_database_missing(cluster, one_org):
    role = analyst(one_org, "ana")
    with pytest.raises(StoreError, match="the database does not exist"):
        PgStore(cluster.analyst_url("no_such_db", role, password(role)))


def test_a_role_that_is_no_analyst_is_refused(cluster, one_org):
    """A role the server knows but that is not in the analyst group cannot even connect."""
    with cluster.superuser(one_org) as c:
        c.execute("CREATE ROLE stranger LOGIN PASSWORD 'pw'")
    try:
        with pytest.raises(StoreError, match="role 'stranger' is not allowed"):
            PgStore(cluster.analyst_url(one_org, "stranger", "pw"))
    finally:
        with cluster.superuser(one_org) as c:
            c.execute("DROP ROLE stranger")


def test_a_database_without_a_store(cluster):
    db = cluster.new_database()
    with pytest.raises(StoreError, match="not a Workbench store"):
        PgStore(cluster.superuser_url(db))


def test_a_connection_string_that_is_no_url_is_refused_without_its_password():
    with pytest.raises(StoreError) as refused:
        PgStore("host=db user=ana password=hunter2")
    assert str(refused.value) == ("the store: not a PostgreSQL URL "
                                  "(postgresql://user@server/database)")
