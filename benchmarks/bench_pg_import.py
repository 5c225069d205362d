"""The shared store's import throughput: generated call rows into PostgreSQL through COPY.

Run: ``python benchmarks/bench_pg_import.py [--rows N] [--url postgresql://postgres@/db]``.
Without ``--url`` it starts a throwaway cluster of its own, as the tests do (initdb into a
temporary folder, a private port; Debian's ``postgresql`` package or ``pg_config --bindir``),
and makes a store in it with one organisation and one analyst. With ``--url`` (a superuser's
URL of an empty database) it uses that server instead.

Prints, for N generated call rows (bench_store.py's generator: skewed phones, so some are
hubs): the import by the analyst (read, normalised by the chart importer, COPYed and merged
in one transaction) in rows per second, beside a plain ``COPY`` of the same CSV file into a
table of text columns, as the ratio. The issue's target: 1,000,000 rows in under 60 s on the
2-core machine. The throwaway cluster runs with ``fsync = off`` (as the tests' does) and the
settings in ``SERVER``, which affect both figures alike.

The wall time depends on what else the machine runs, so it also prints CPU seconds: the
client's two threads (reading and normalising the file into chunk tables; writing them to
the server) and the server's (the analyst's backend: COPY, merges, index upkeep, policy
checks; and the server's other processes: WAL writer, checkpointer), and with the throwaway
cluster the server's time per statement (pg_stat_statements). Client and server overlap (the
server merges a chunk while the client reads the next), so on a quiet machine the import
takes about the larger of the two, plus the first chunk's reading.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_store import SPECS, generate, held, stands_for  # noqa: E402

from workbench.io.importspec import load_spec  # noqa: E402
from workbench.store.pg import PgStore  # noqa: E402
from workbench.store.pg.admin import Admin  # noqa: E402

ROLE, PASSWORD = "bench_analyst", "bench-analyst-password"
HUB = "07700 900000"  # the generator's most called phone
# the throwaway server set up as one would for loading: memory for the indexes being
# written, and checkpoints not every gigabyte of WAL
SERVER = {"shared_buffers": "512MB", "max_wal_size": "4GB", "checkpoint_timeout": "30min",
          "maintenance_work_mem": "256MB",
          "shared_preload_libraries": "'pg_stat_statements'"}  # the time per statement


def plain_copy(url: str, path: Path) -> float:
    """Seconds for COPY of the CSV file into a table of text columns, from this client."""
    with psycopg.connect(url, autocommit=True) as c:
        c.execute("DROP TABLE IF EXISTS public.plain_calls")
        c.execute("CREATE TABLE public.plain_calls (caller TEXT, callee TEXT, date TEXT, "
                  "seconds TEXT)")
        start = time.perf_counter()
        with c.cursor().copy("COPY public.plain_calls FROM STDIN (FORMAT csv, HEADER)") as copy, \
                path.open("rb") as f:
            while block := f.read(1 << 20):
                copy.write(block)
        seconds = time.perf_counter() - start
        c.execute("DROP TABLE public.plain_calls")
    return seconds


def _cpu_of(pid: int) -> float:
    """CPU seconds of a local server process so far (-1 when it is not on this machine)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return -1.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _server_processes(backend: int) -> list[int]:
    """The local server's other processes (the postmaster's children but ``backend``)."""
    try:
        parent = int(Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()[1])
        found = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()
                 and (p / "stat").read_text().rsplit(")", 1)[1].split()[1] == str(parent)]
    except (OSError, IndexError, ValueError):
        return []
    return [parent, *(p for p in found if p != backend)]


def _statements(admin_url: str) -> None:
    """The server's time per statement of the import (pg_stat_statements), if it keeps it."""
    with psycopg.connect(admin_url, autocommit=True) as c:
        try:
            c.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
            rows = c.execute(
                "SELECT total_exec_time / 1000, calls, query FROM pg_stat_statements "
                "WHERE query ~* '^\\s*(INSERT|COPY|UPDATE|SELECT)' AND total_exec_time > 200 "
                "ORDER BY total_exec_time DESC LIMIT 14").fetchall()
        except psycopg.Error:
            return
    print("  server time per statement (all chunks):")
    for seconds, calls, query in rows:
        print(f"  {seconds:6.1f} s  x{calls:<4} {' '.join(query.split())[:86]}")


def run(admin_url: str, analyst_url: str, rows: int, folder: Path) -> None:
    print(f"Generating {rows:,} call rows...", flush=True)
    calls = generate(folder, rows, calls_only=True)["calls"]
    spec_path = folder / "calls.yaml"
    spec_path.write_text(SPECS["calls"], encoding="utf-8")
    with Admin(admin_url) as admin:
        admin.init("Bench")
        admin.add_analyst(ROLE, "Bench", PASSWORD)
    copy_s = plain_copy(admin_url, calls)
    print(f"plain COPY of the CSV:  {copy_s:7.1f} s  {rows / copy_s:12,.0f} rows/s", flush=True)
    with psycopg.connect(admin_url, autocommit=True) as c:
        c.execute("SELECT pg_stat_statements_reset()") if c.execute(
            "SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'").fetchone() \
            else None
    with PgStore(analyst_url) as store:
        backend = store.conn.info.backend_pid
        others = _server_processes(backend)
        server_cpu = _cpu_of(backend)
        others_cpu = sum(_cpu_of(p) for p in others)
        client_cpu, main_cpu = time.process_time(), time.thread_time()
        start = time.perf_counter()
        result = store.import_files(load_spec(spec_path), SPECS["calls"], [calls])
        import_s = time.perf_counter() - start
        client_cpu, main_cpu = time.process_time() - client_cpu, time.thread_time() - main_cpu
        server_cpu = _cpu_of(backend) - server_cpu
        others_cpu = sum(_cpu_of(p) for p in others) - others_cpu
    assert threading.active_count() == 1  # the import's landing thread has ended
    print(f"workbench store import: {import_s:7.1f} s  {rows / import_s:12,.0f} rows/s  "
          f"({result.entities_after:,} entities, {result.links_added:,} links)")
    print(f"  CPU, client: {client_cpu:.1f} s ({main_cpu:.1f} s reading, normalising and "
          f"making chunk tables; {client_cpu - main_cpu:.1f} s writing them to the server)")
    if server_cpu >= 0:
        print(f"  CPU, server: {server_cpu + others_cpu:.1f} s ({server_cpu:.1f} s the "
              f"analyst's backend: COPY, merges, indexes, policy checks, commit; "
              f"{others_cpu:.1f} s its other processes)")
        print(f"  CPU, total: {client_cpu + server_cpu + others_cpu:.1f} s; load average now "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    _statements(admin_url)
    print(f"ratio import / plain COPY: {import_s / copy_s:.1f}x; target: {rows:,} rows "
          f"under 60 s: {'met' if rows < 1_000_000 or import_s < 60 else 'NOT met'}")
    with PgStore(analyst_url) as store:
        reads(store)


def _timed(store: PgStore, work) -> tuple[float, float, float, object]:
    """Wall seconds, CPU seconds of this client and of the server, and the result."""
    server = _cpu_of(store.conn.info.backend_pid)
    start, cpu = time.perf_counter(), time.process_time()
    result = work()
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    return took, cpu, _cpu_of(store.conn.info.backend_pid) - server, result


def reads(store: PgStore) -> None:
    """Search, a 2-hop chart of the biggest hub capped at 500 entities and expanding the hub
    into a small chart, as the analyst (the issue's read targets, as bench_store.py's)."""
    texts = ["07700 900001", "07700 900123", "+44 7001 000123", "07700 90012"]
    runs = [_timed(store, lambda t=t: store.search(t, limit=20)) for t in texts]
    print(f"search: median {statistics.median(r[0] for r in runs) * 1000:,.0f} ms on the "
          f"clock ({statistics.median(r[1] + r[2] for r in runs) * 1000:,.0f} ms of CPU, "
          f"client and server) over {len(texts)} queries")
    hub = store.search(HUB, limit=1)[0]
    small = store.search("07700 900999", limit=1)[0]
    for _ in range(2):  # the second with the server's caches warm
        took, cpu, server, chart = _timed(store, lambda: store.chart([hub.id], hops=2,
                                                                      max_entities=500))
        print(f"chart: 2 hops around the hub ({hub.links:,} links), capped at 500: "
              f"{took * 1000:,.0f} ms (CPU: client {cpu * 1000:,.0f} ms, server "
              f"{server * 1000:,.0f} ms), {len(chart.entities):,} entities, "
              f"{len(chart.links):,} links (connections; {held(chart):,} store links)")
        base = store.chart([small.id], hops=1, max_entities=20)
        took, cpu, server, found = _timed(store, lambda b=base: store.expand(
            b, hub.id, hops=1, max_entities=500))
        print(f"expand: the hub into a small chart: {took * 1000:,.0f} ms (CPU: client "
              f"{cpu * 1000:,.0f} ms, server {server * 1000:,.0f} ms), "
              f"+{len(found.entities):,} entities, +{len(found.links):,} links "
              "(connections)")
        busiest = max(chart.links.values(), key=lambda lk: (stands_for(lk), lk.id))
        took, cpu, server, each = _timed(store, lambda c=chart, b=busiest: store.each_link(
            c, b.id))
        print(f"show each link of the busiest connection ({busiest.label}): "
              f"{took * 1000:,.0f} ms (CPU: client {cpu * 1000:,.0f} ms, server "
              f"{server * 1000:,.0f} ms), {len(each.links):,} links")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--url", help="a superuser's URL of an empty database (default: a "
                        "throwaway cluster)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wb-bench-pg-") as folder:
        if args.url:
            url = urllib.parse.urlsplit(args.url)
            server = url.netloc.rsplit("@", 1)[-1]
            analyst = url._replace(netloc=f"{ROLE}:{PASSWORD}@{server}").geturl()
            run(args.url, analyst, args.rows, Path(folder))
            return
        from tests.store_pg.conftest import Cluster, server_bindir

        bindir = server_bindir()
        if bindir is None:
            sys.exit("no PostgreSQL server found (install Debian's postgresql, or give --url)")
        cluster = Cluster(bindir, Path(tempfile.mkdtemp(prefix="wb-bench-cluster-")))
        cluster.create(**SERVER)
        cluster.start()
        try:
            database = cluster.new_database()
            run(cluster.superuser_url(database), cluster.analyst_url(database, ROLE, PASSWORD),
                args.rows, Path(folder))
        finally:
            cluster.stop("immediate")
            cluster.remove()


if __name__ == "__main__":
    main()
