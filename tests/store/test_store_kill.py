"""kill -9 in the middle of an import, twenty times at random moments: the store always opens
and holds exactly the imports that finished before, never part of one.

A helper process imports the libraries once and forks a child per import (starting Python
and its libraries afresh would take seconds a trial); the test kills the child with SIGKILL
at a random moment within an import's measured duration.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import REPO
from tests.store.conftest import SAMPLES
from workbench.store import open_store

HELPER = """
import os, sys
from workbench.io.importspec import load_spec
from workbench.store import open_store
store_path, spec_path, data = sys.argv[1:4]
spec = load_spec(spec_path)
print("ready", flush=True)
for line in sys.stdin:
    pid = os.fork()
    if pid == 0:
        with open_store(store_path) as store:
            store.import_files(spec, "", [data], again=True, chunk_rows=60)
        print("done", flush=True)
        os._exit(0)
    print(pid, flush=True)
    os.waitpid(pid, 0)
    print("exit", flush=True)
"""
ROWS = 600


def _holds(path: Path) -> tuple[int, tuple[int, ...]]:
    """How many whole imports the store holds; fails if it holds part of one."""
    with open_store(path) as store:
        info = store.info()
        c = store.conn
        provenance = c.execute("SELECT count(*) FROM entity_records").fetchone()[0]
        per_source = c.execute("SELECT source_id, count(*) FROM records GROUP BY 1").fetchall()
    n = len(info.sources)
    counts = (info.links, info.records, provenance)
    assert counts == (n * ROWS, n * ROWS, n * 2 * ROWS), (n, counts)
    assert all(rows == ROWS for _, rows in per_source)
    assert all(s.rows_imported == ROWS for s in info.sources)
    return n, counts


def test_kill_during_import_leaves_the_earlier_imports_whole(tmp_path):
    lines = (SAMPLES / "data" / "vast2008_call_records.csv").read_text().splitlines()
    data = tmp_path / "calls.csv"
    data.write_text("\n".join(lines[:ROWS + 1]) + "\n")
    store = tmp_path / "s.wbstore"
    open_store(store, create=True).close()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    helper = subprocess.Popen(
        [sys.executable, "-c", HELPER, str(store), str(SAMPLES / "specs" / "call-records.yaml"),
         str(data)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    assert helper.stdout.readline().strip() == "ready"
    rng = random.Random(20261201)

    def one_import(kill_after: float | None) -> bool:
        helper.stdin.write("go\n")
        helper.stdin.flush()
        pid = int(helper.stdout.readline())
        if kill_after is not None:
            time.sleep(kill_after)
            with contextlib.suppress(ProcessLookupError):  # it finished first
                os.kill(pid, signal.SIGKILL)
        finished = False
        while (line := helper.stdout.readline().strip()) != "exit":
            finished |= line == "done"
        return finished

    try:
        started = time.perf_counter()
        assert one_import(None)  # an earlier import; it also times one
        duration = time.perf_counter() - started
        held, killed = _holds(store)[0], 0
        assert held == 1
        for _ in range(20):
            finished = one_import(rng.uniform(0, duration * 1.1))
            now = _holds(store)[0]
            # an import that printed "done" committed; one killed may have committed just
            # before the kill, or not at all: never half
            assert now == held + 1 if finished else now in (held, held + 1)
            killed += now == held
            held = now
        assert killed >= 5  # most kills land inside an import
    finally:
        helper.stdin.close()
        helper.wait(timeout=30)
