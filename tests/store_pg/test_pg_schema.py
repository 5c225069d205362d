"""The shared store's schema as the administrator makes it: tables, roles, row-level
security on every table an analyst reads, trigram indexes; opening it as an analyst."""

from __future__ import annotations

import pytest

from tests.store_pg.conftest import analyst, make_store, password
from workbench.store import StoreError
from workbench.store.pg import PgStore
from workbench.store.pg.admin import Admin
from workbench.store.pg.schema import READ_BY_ANALYSTS


def test_every_table_an_analyst_reads_has_forced_row_level_security(cluster, one_org):
    with cluster.superuser(one_org) as c:
        rows = dict((name, (rls, force)) for name, rls, force in c.execute(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
            "WHERE relnamespace = 'workbench'::regnamespace AND relkind = 'r'").fetchall())
        owner = c.execute("SELECT tableowner FROM pg_tables WHERE schemaname = 'workbench' "
                          "GROUP BY 1").fetchall()
        trgm = c.execute("SELECT indexdef FROM pg_indexes WHERE indexdef LIKE "
                         "'%gin_trgm_ops%'").fetchall()
        member = c.execute("SELECT rolsuper, rolbypassrls, pg_has_role(rolname, "
                           "'workbench_owner', 'MEMBER') FROM pg_roles WHERE rolname = %s",
                           [analyst(one_org, "ana")]).fetchone()
    assert set(rows) == set(READ_BY_ANALYSTS)
    assert all(rls and force for rls, force in rows.values())
    assert owner == [("workbench_owner",)]
    assert len(trgm) == 2
    assert member == (False, False, False)  # an analyst is no owner and bypasses nothing


def test_an_analyst_opens_the_store_as_their_organisation(cluster, one_org):
    role = analyst(one_org, "ana")
    with PgStore(cluster.analyst_url(one_org, role, password(role))) as store:
        assert store.organisation == "NGO"
        assert store.last_source() == 0


def test_init_twice_is_refused_and_changes_nothing(cluster, one_org):
    with Admin(cluster.superuser_url(one_org)) as admin, \
            pytest.raises(StoreError, match="already holds a Workbench store"):
        admin.init("Other")
    with Admin(cluster.superuser_url(one_org)) as admin:
        assert [name for _, name in admin.listing().organisations] == ["NGO"]


def test_admin_lists_organisations_analysts_and_sharing(cluster):
    db = make_store(cluster, {"NGO": ["ana"], "Police": ["bob"]}, (("NGO", "Police"),))
    with Admin(cluster.superuser_url(db)) as admin:
        listing = admin.listing()
        with pytest.raises(StoreError, match="shares with 'Police' already"):
            admin.share("NGO", "Police")
        with pytest.raises(StoreError, match="no organisation 'Bank'"):
            admin.share("NGO", "Bank")
    assert [n for _, n in listing.organisations] == ["NGO", "Police"]
    assert listing.analysts == [(analyst(db, "ana"), "NGO"), (analyst(db, "bob"), "Police")]
    assert listing.sharing == [("NGO", "Police")]
