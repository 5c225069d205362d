"""Administering a shared store: making its schema and roles, organisations, analysts and
sharing agreements (``workbench store admin URL VERB``).

The administrator connects as a PostgreSQL superuser (the server's ``postgres``, say): making
roles, one of them BYPASSRLS, needs it. Each verb is one transaction and writes an audit row.
An analyst's password is never sent as text: libpq turns it into a SCRAM verifier on this
machine, so it does not appear in the server's statement log either.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg import sql

from workbench import __version__
from workbench.store.interface import StoreError
from workbench.store.pg import audit
from workbench.store.pg.connect import SCHEMA, connect, display, problem
from workbench.store.pg.policies import (
    ANALYST,
    FUNCTIONS,
    OWNER,
    POLICIES,
    ROLES,
    STEP_POLICIES,
    grants,
)
from workbench.store.pg.schema import FORMAT_NAME, FORMAT_VERSION, STEPS, TABLES
from workbench.store.pg.search import SEARCH_SETUP


@dataclass(frozen=True, slots=True)
class Listing:
    organisations: list[tuple[int, str]]
    analysts: list[tuple[str, str]]  # (role, organisation)
    sharing: list[tuple[str, str]]  # (owner, shares with)


class Admin:
    """An administrator's connection to one database."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.conn = connect(url, application="workbench admin", autocommit=True)

    def __enter__(self) -> Admin:
        return self

    def __exit__(self, *exc: object) -> None:
        self.conn.close()

    def _run(self, work, *args):
        """``work`` in one transaction; server errors as one StoreError line."""
        try:
            with self.conn.transaction():
                return work(*args)
        except psycopg.Error as exc:
            raise StoreError(problem(self.url, exc)) from None

    # ----- verbs ------------------------------------------------------------------------------
    def init(self, organisation: str) -> None:
        """The schema, roles, policies and grants, and the first organisation."""
        self._run(self._init, organisation)

    def _init(self, organisation: str) -> None:
        c = self.conn
        if not c.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
                         ).fetchone()[0]:
            raise StoreError(f"{display(self.url)}: init needs a superuser (such as postgres) "
                             "to make the store's roles")
        if c.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [SCHEMA]).fetchone():
            raise StoreError(f"{display(self.url)}: this database already holds a Workbench "
                             "store; nothing was changed")
        c.execute(ROLES)
        c.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
        c.execute(f"CREATE SCHEMA {SCHEMA} AUTHORIZATION {OWNER}")
        c.execute(f"SET LOCAL ROLE {OWNER}")
        c.execute(f"SET LOCAL search_path = {SCHEMA}, public")
        c.execute(TABLES)
        c.execute(audit.TABLE)
        c.execute(FUNCTIONS)
        c.execute(POLICIES)
        self._steps(1)
        c.execute("RESET ROLE")  # the owner, too, writes through the policies
        c.execute(SEARCH_SETUP)  # indexes a search can use under the policies
        c.execute("INSERT INTO store_format (name, version, app_version) VALUES (%s, %s, %s)",
                  [FORMAT_NAME, FORMAT_VERSION, __version__])
        database = c.execute("SELECT current_database()").fetchone()[0]
        c.execute(grants(sql.Identifier(database).as_string(c)))
        audit.record(c, "init", organisation=organisation)
        self._add_org(organisation)

    def _steps(self, version: int) -> None:
        """The schema steps after ``version``, as the owner (inside the caller's transaction)."""
        for step in range(version + 1, FORMAT_VERSION + 1):
            self.conn.execute(STEPS[step])
            self.conn.execute(STEP_POLICIES[step])

    def upgrade(self) -> tuple[int, int]:
        """Bring a store made by an earlier Workbench to this one's format version, every
        step and the version update in one transaction (a failed step changes nothing);
        returns (version before, version now)."""
        return self._run(self._upgrade)

    def _upgrade(self) -> tuple[int, int]:
        c = self.conn
        if not c.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [SCHEMA]).fetchone():
            raise StoreError(f"{display(self.url)}: no Workbench store in this database "
                             "(workbench store admin URL init)")
        version = int(c.execute("SELECT version FROM store_format").fetchone()[0])
        if version > FORMAT_VERSION:
            raise StoreError(f"{display(self.url)}: store format version {version} is newer "
                             f"than this Workbench makes ({FORMAT_VERSION}); update Workbench")
        if version < FORMAT_VERSION:
            c.execute(f"SET LOCAL ROLE {OWNER}")
            c.execute(f"SET LOCAL search_path = {SCHEMA}, public")
            self._steps(version)
            c.execute("RESET ROLE")
            c.execute("UPDATE store_format SET version = %s, app_version = %s",
                      [FORMAT_VERSION, __version__])
            audit.record(c, "upgrade", version_before=version, version=FORMAT_VERSION)
        return version, FORMAT_VERSION

    def add_org(self, name: str) -> None:
        self._run(self._add_org, name)

    def _add_org(self, name: str) -> None:
        if not name or "," in name or ":" in name:
            raise StoreError(f"{name!r}: an organisation's name must be non-empty, without "
                             "',' or ':'")
        if self.conn.execute("SELECT 1 FROM organisations WHERE name = %s", [name]).fetchone():
            raise StoreError(f"organisation {name!r} exists already")
        self.conn.execute("INSERT INTO organisations (name) VALUES (%s)", [name])
        audit.record(self.conn, "add-org", organisation=name)

    def add_analyst(self, role: str, organisation: str, password: str) -> bool:
        """Make ``role`` (LOGIN, in the analyst group) an analyst of ``organisation``.
        A role the server already has (an analyst of another store on it) keeps its
        password; returns whether the role was made."""
        return self._run(self._add_analyst, role, organisation, password)

    def _add_analyst(self, role: str, organisation: str, password: str) -> bool:
        c = self.conn
        org = self._org(organisation)
        if c.execute("SELECT 1 FROM analysts WHERE role = %s", [role]).fetchone():
            raise StoreError(f"{role!r} is an analyst of this store already")
        made = not c.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone()
        name = sql.Identifier(role)
        if made:
            if not password:
                raise StoreError(f"{role}: a new analyst needs a password")
            verifier = c.pgconn.encrypt_password(password.encode(), role.encode(),
                                                 b"scram-sha-256").decode()
            c.execute(sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                              "NOBYPASSRLS PASSWORD {}").format(name, sql.Literal(verifier)))
        elif c.execute("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = %s",
                       [role]).fetchone()[0]:
            raise StoreError(f"{role}: a superuser or BYPASSRLS role cannot be an analyst "
                             "(the policies would not apply to it)")
        c.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(ANALYST), name))
        c.execute("INSERT INTO analysts (role, org_id) VALUES (%s, %s)", [role, org])
        audit.record(c, "add-analyst", role=role, organisation=organisation)
        return made

    def share(self, owner: str, partner: str, *, stop: bool = False) -> None:
        """``owner`` shares with ``partner`` (its sources handled ``shared:PARTNER`` become
        visible to the partner's analysts), or with ``stop`` no longer does."""
        self._run(self._share, owner, partner, stop)

    def _share(self, owner: str, partner: str, stop: bool) -> None:
        a, b = self._org(owner), self._org(partner)
        if a == b:
            raise StoreError(f"{owner!r} cannot share with itself")
        if stop:
            gone = self.conn.execute("DELETE FROM sharing WHERE owner_org = %s AND "
                                     "with_org = %s", [a, b]).rowcount
            if not gone:
                raise StoreError(f"{owner!r} does not share with {partner!r}")
        elif self.conn.execute("INSERT INTO sharing (owner_org, with_org) VALUES (%s, %s) "
                               "ON CONFLICT DO NOTHING", [a, b]).rowcount == 0:
            raise StoreError(f"{owner!r} shares with {partner!r} already")
        audit.record(self.conn, "unshare" if stop else "share", owner=owner, partner=partner)

    def listing(self) -> Listing:
        def read() -> Listing:
            c = self.conn
            return Listing(
                c.execute("SELECT id, name FROM organisations ORDER BY id").fetchall(),
                c.execute("SELECT a.role, o.name FROM analysts a JOIN organisations o "
                          "ON o.id = a.org_id ORDER BY o.name, a.role").fetchall(),
                c.execute("SELECT a.name, b.name FROM sharing s "
                          "JOIN organisations a ON a.id = s.owner_org "
                          "JOIN organisations b ON b.id = s.with_org ORDER BY 1, 2").fetchall())
        return self._run(read)

    def organisation(self, name: str) -> int:
        """The organisation's id; StoreError when the store has none of that name."""
        return self._run(self._org, name)

    def _org(self, name: str) -> int:
        row = self.conn.execute("SELECT id FROM organisations WHERE name = %s",
                                [name]).fetchone()
        if row is None:
            raise StoreError(f"no organisation {name!r} in this store (workbench store admin "
                             "URL add-org NAME)")
        return int(row[0])
