"""The shared store's audit log: who imported, searched, charted, exported or changed sharing,
when, and from which client, kept in the database where no analyst can alter it.

Append-only twice over: analysts are granted INSERT and SELECT only (no UPDATE, DELETE or
TRUNCATE), and triggers refuse UPDATE, DELETE and TRUNCATE from anyone, the table's owner
included (only a superuser who drops the trigger could). A BEFORE INSERT trigger fills in
who, when and from where from the session itself (``session_user``, the transaction's clock,
``application_name`` and ``inet_client_addr()``), so a client cannot write a row in someone
else's name. An analyst reads the rows of their own organisation; the administrator all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
import psycopg

ACTIONS = ("init", "add-org", "add-analyst", "share", "unshare", "import", "search", "chart",
           "expand", "path", "news", "info", "export", "transfer", "upgrade", "resolve",
           "decide")

TABLE = """
CREATE TABLE audit (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    role NAME NOT NULL DEFAULT session_user,
    org_id INTEGER,
    action TEXT NOT NULL,
    detail JSONB NOT NULL DEFAULT '{}',
    application TEXT NOT NULL DEFAULT '',
    client INET);
CREATE INDEX audit_at ON audit (at);

CREATE FUNCTION wb_audit_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.at := clock_timestamp();
    NEW.role := session_user;
    NEW.org_id := workbench.wb_my_org();
    NEW.application := coalesce(current_setting('application_name', true), '');
    NEW.client := inet_client_addr();
    RETURN NEW;
END $$;

CREATE FUNCTION wb_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: its rows cannot be changed or removed'
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER stamp BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION wb_audit_stamp();
-- per statement, not per row: it fires even when the policies let a statement see no row
CREATE TRIGGER refuse_change BEFORE UPDATE OR DELETE OR TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION wb_audit_refuse();
"""


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    at: datetime
    role: str
    organisation: str
    action: str
    detail: dict[str, Any]
    application: str
    client: str


def record(conn: psycopg.Connection, action: str, **detail: Any) -> None:
    """Append one row in the caller's transaction: an import's row commits with the import,
    or neither does."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    conn.execute("INSERT INTO audit (action, detail) VALUES (%s, %s::jsonb)",
                  [action, orjson.dumps(detail, default=str).decode()])


def rows(conn: psycopg.Connection, since: datetime | None = None,
         limit: int | None = None) -> list[AuditRow]:
    """The rows the connected role may read, oldest first (from ``since`` on)."""
    query = ("SELECT a.id, a.at, a.role, coalesce(o.name, ''), a.action, a.detail, "
             "a.application, coalesce(host(a.client), 'local') FROM audit a "
             "LEFT JOIN organisations o ON o.id = a.org_id "
             "WHERE %(since)s::timestamptz IS NULL OR a.at >= %(since)s ORDER BY a.id")
    if limit:
        query += " LIMIT %(limit)s"
    found = conn.execute(query, {"since": since, "limit": limit}).fetchall()
    return [AuditRow(*row) for row in found]
