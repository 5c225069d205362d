"""Opening a shared store's PostgreSQL URL, and every way talking to the server fails as one
line for the analyst.

A URL is what libpq reads (``postgresql://analyst@server:5432/db``, with ``?host=/run/sock``
for a unix socket); the password comes from the URL, ``PGPASSWORD`` or ``~/.pgpass`` as for
``psql``, never from our own command line. Errors are told apart by their SQLSTATE where the
server sent one, else by libpq's message (a refused connection has no SQLSTATE): the server
not running, a wrong password, a database or role that does not exist, a role without rights,
the connection lost in the middle of work, the server shut down or restarting. Whatever
failed inside a transaction was rolled back by the server, so every message can say that
nothing of the change was written.
"""

from __future__ import annotations

import contextlib
import functools
import getpass
from collections.abc import Callable
from typing import Any, TypeVar

import psycopg
from psycopg import errors
from psycopg.conninfo import conninfo_to_dict

from workbench.store.interface import StoreError

SCHEMA = "workbench"
APPLICATION = "workbench"
URL_PREFIXES = ("postgresql://", "postgres://")
# Every session's own memory for temporary tables (default 8 MB): an import's staging tables
# hold a chunk of 100,000 rows (some 50 MB), which would otherwise be written out to files
# and read back on every statement. Taken only as used, and settable only before a session's
# first temporary table, so it goes with the connection.
SESSION = f"-c search_path={SCHEMA},public -c temp_buffers=128MB"
T = TypeVar("T")


def is_url(text: object) -> bool:
    """Whether a store argument names a PostgreSQL server rather than a ``.wbstore`` file."""
    return str(text).startswith(URL_PREFIXES)


def display(url: str) -> str:
    """The URL as messages show it: ``user@host:port/db``, never the password."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "the server"
    host = str(parts.get("host") or "localhost")
    port = f":{parts['port']}" if parts.get("port") else ""
    user = f"{parts['user']}@" if parts.get("user") else ""
    return f"{user}{host}{port}/{parts.get('dbname', '')}"


def connect(url: str, *, application: str = APPLICATION,
            autocommit: bool = False) -> psycopg.Connection:
    """A connection whose ``search_path`` finds the store's tables; raises StoreError."""
    if not is_url(url):
        shown = "the store" if "password" in url.lower() else url  # never echo a password
        raise StoreError(f"{shown}: not a PostgreSQL URL (postgresql://user@server/database)")
    try:
        return psycopg.connect(url, autocommit=autocommit, application_name=application,
                               options=SESSION, connect_timeout=10)
    except psycopg.Error as exc:
        raise StoreError(problem(url, exc)) from None
    except psycopg.ProgrammingError as exc:  # a URL libpq cannot parse
        raise StoreError(f"{display(url)}: not a valid PostgreSQL URL ({first_line(exc)})"
                         ) from None


def first_line(exc: BaseException) -> str:
    return " ".join(str(exc).strip().split("\n")[0].split())


_LOST = "nothing of this change was written; run it again when the server is back"


def problem(url: str, exc: BaseException) -> str:
    """One line for an error met opening the store or working on it."""
    where = display(url)
    text = first_line(exc)
    low = str(exc).lower()
    try:
        user = str(conninfo_to_dict(url).get("user") or getpass.getuser())
    except (psycopg.ProgrammingError, OSError, KeyError):
        user = ""
    if isinstance(exc, errors.AdminShutdown | errors.CrashShutdown):
        return f"{where}: the server was shut down or restarted during the work; {_LOST}"
    if isinstance(exc, errors.CannotConnectNow):
        return f"{where}: the server is starting up or shutting down; try again in a moment"
    if isinstance(exc, errors.InvalidPassword) or "password authentication failed" in low:
        return f"{where}: the password for role {user!r} is wrong (or there is no such role)"
    if "no password supplied" in low or "password is required" in low:
        return f"{where}: a password is needed for role {user!r} (give it in PGPASSWORD or " \
               "~/.pgpass, not on the command line)"
    if isinstance(exc, errors.InvalidCatalogName) or ("database" in low and
                                                      "does not exist" in low):
        return f"{where}: the database does not exist on the server (make it with createdb, " \
               "then run: workbench store admin URL init)"
    if isinstance(exc, errors.InvalidAuthorizationSpecification) or (
            "role" in low and "does not exist" in low):
        return f"{where}: the server has no role {user!r}; ask the administrator " \
               "(workbench store admin URL add-analyst)"
    if isinstance(exc, errors.InsufficientPrivilege) or "permission denied" in low:
        return f"{where}: role {user!r} is not allowed to do this ({text}); ask the " \
               "store's administrator"
    if "pg_trgm" in low:
        return f"{where}: the server lacks the pg_trgm extension, which the store's search " \
               "needs (it ships with PostgreSQL; some distributions put it in " \
               "postgresql-contrib)"
    if isinstance(exc, errors.UndefinedTable | errors.InvalidSchemaName):
        return f"{where}: not a Workbench store (no store tables in this database; the " \
               "administrator makes them with: workbench store admin URL init)"
    if isinstance(exc, errors.DeadlockDetected | errors.SerializationFailure):
        return f"{where}: another analyst's import collided with this one and it was " \
               f"stopped; {_LOST.replace(' when the server is back', '')}"
    if "connection refused" in low or ("no such file or directory" in low and "socket" in low):
        return f"{where}: no PostgreSQL server is running there (connection refused); start " \
               "the server or check the address"
    if "could not translate host name" in low or "name or service not known" in low:
        return f"{where}: unknown server name ({text})"
    if "timeout expired" in low or "timed out" in low:
        return f"{where}: the server did not answer in time; check the address and network"
    if isinstance(exc, errors.DiskFull):
        return f"{where}: the server's disk is full; {_LOST}"
    if isinstance(exc, psycopg.OperationalError) or ("connection" in low and (
            "lost" in low or "closed" in low or "terminat" in low)):
        return f"{where}: the connection to the server was lost ({text}); {_LOST}"
    return f"{where}: the store could not be read or changed ({text})"


def guarded(method: Callable[..., T]) -> Callable[..., T]:
    """A store method whose server errors become one StoreError line; the method's
    transaction, if any, is rolled back (or was, by the server that lost it)."""

    @functools.wraps(method)
    def run(self: Any, *args: Any, **kwargs: Any) -> T:
        try:
            return method(self, *args, **kwargs)
        except psycopg.Error as exc:
            if not self.conn.closed:
                with contextlib.suppress(psycopg.Error):
                    self.conn.rollback()
            raise StoreError(problem(self.url, exc)) from None

    return run
