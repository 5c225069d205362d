"""Four analysts on one shared store at once: each imports an overlapping file and expands
a hub while the others import; nothing may be lost or duplicated.

Run: ``python benchmarks/bench_pg_analysts.py [--rows N] [--analysts K]``. It starts a
throwaway cluster as the tests do (Debian's ``postgresql`` or ``pg_config --bindir``), makes a
store with one organisation and K analysts, and cuts N generated call rows (bench_store.py's
generator: skewed phones, so some are hubs) into K files, each sharing half its rows with the
next, so every row is in two files. Then K processes start together; each imports its file
and expands the biggest hub (1 hop charted, then expanded to 2 hops, capped at 500 entities)
ten times, timing each expansion and counting how many ran while another analyst was still
importing.

Prints each analyst's import time and expansion times, then checks the store as the
superuser against what one import of all the files gives: one entity per phone (exactly the
distinct phones of the union: the generator writes each phone one way, so each is one
identity), one link per row of every file, one source per file. The issue's target: four
analysts importing and expanding at once with nothing lost or duplicated.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_store import SPECS, generate  # noqa: E402

from workbench.io.importspec import load_spec  # noqa: E402
from workbench.store.pg import PgStore  # noqa: E402
from workbench.store.pg.admin import Admin  # noqa: E402

PASSWORD = "bench-analyst-password"
HUB = "07700 900000"  # the generator's most called phone
EXPANSIONS = 10


def cut(calls: Path, folder: Path, analysts: int) -> list[Path]:
    """K files; file i holds blocks i and i+1 (of K), so every row is in exactly two."""
    frame = pd.read_csv(calls, dtype=str, keep_default_na=False)
    blocks = [frame.iloc[i::analysts] for i in range(analysts)]
    files = []
    for i in range(analysts):
        path = folder / f"calls-{i + 1}.csv"
        pd.concat([blocks[i], blocks[(i + 1) % analysts]]).to_csv(path, index=False)
        files.append(path)
    return files


def analyst(url: str, spec_path: str, data: str, go: multiprocessing.Event,
            answers: multiprocessing.Queue) -> None:
    """One analyst's session: import, then expand the hub while others may still import."""
    spec_text = Path(spec_path).read_text(encoding="utf-8")
    with PgStore(url, application="bench analyst") as store:
        go.wait()
        start = time.perf_counter()
        store.import_files(load_spec(Path(spec_path)), spec_text, [Path(data)])
        imported = time.perf_counter()
        hub = store.resolve_seed(HUB)
        times = []
        for _ in range(EXPANSIONS):
            began = time.perf_counter()
            chart = store.chart([hub], hops=1, max_entities=50)
            found = store.expand(chart, hub, hops=2, max_entities=500)
            times.append((began, time.perf_counter() - began, len(found.entities)))
    answers.put((data, start, imported, times))


def run(cluster, analysts: int, rows: int, folder: Path) -> None:
    database = cluster.new_database()
    roles = [f"bench_analyst_{i + 1}" for i in range(analysts)]
    with Admin(cluster.superuser_url(database)) as admin:
        admin.init("Bench")
        for role in roles:
            admin.add_analyst(role, "Bench", PASSWORD)
    print(f"Generating {rows:,} call rows in {analysts} overlapping files...", flush=True)
    calls = generate(folder, rows, calls_only=True)["calls"]
    files = cut(calls, folder, analysts)
    spec = folder / "calls.yaml"
    spec.write_text(SPECS["calls"], encoding="utf-8")
    context = multiprocessing.get_context("spawn")
    go, answers = context.Event(), context.Queue()
    workers = [context.Process(target=analyst, args=(
        cluster.analyst_url(database, role, PASSWORD), str(spec), str(path), go, answers))
        for role, path in zip(roles, files, strict=True)]
    for w in workers:
        w.start()
    time.sleep(2.0)  # every analyst connected, then all start at once
    begin = time.perf_counter()
    go.set()
    results = [answers.get(timeout=3600) for _ in workers]
    wall = time.perf_counter() - begin
    for w in workers:
        w.join()
        if w.exitcode:
            sys.exit(f"an analyst's process failed (exit code {w.exitcode})")
    last_import = max(imported for _data, _start, imported, _times in results)
    during = []
    for data, start, imported, times in sorted(results):
        spans = [seconds for _began, seconds, _n in times]
        during += [seconds for began, seconds, _n in times if began < last_import]
        print(f"{Path(data).name}: import {imported - start:6.1f} s; expand of the hub "
              f"median {statistics.median(spans) * 1000:6.0f} ms, max {max(spans) * 1000:6.0f} "
              f"ms ({times[-1][2]} entities added)")
    if during:
        print(f"{len(during)} expansions ran while another analyst was importing: median "
              f"{statistics.median(during) * 1000:.0f} ms, max {max(during) * 1000:.0f} ms")
    print(f"all {analysts} analysts done in {wall:.1f} s")
    check(cluster, database, files)


def check(cluster, database: str, files: list[Path]) -> None:
    """The store against one import of all the files, as the superuser sees it."""
    union = pd.concat(pd.read_csv(p, dtype=str, keep_default_na=False) for p in files)
    phones = {" ".join(p.split()) for p in pd.concat([union["Caller"], union["Callee"]])}
    with cluster.superuser(database) as c:
        entities, distinct = c.execute(
            "SELECT count(*), count(DISTINCT (type, identity)) FROM entities").fetchone()
        links = c.execute("SELECT count(*) FROM links").fetchone()[0]
        sources = c.execute("SELECT count(*) FROM sources").fetchone()[0]
    print(f"entities {entities:,} (distinct identities {distinct:,}; the files name "
          f"{len(phones):,} phones)")
    print(f"links {links:,} (rows in the files: {len(union):,}); sources {sources} "
          f"(files: {len(files)})")
    ok = (entities == distinct == len(phones) and links == len(union)
          and sources == len(files))
    print("nothing lost or duplicated" if ok else "MISMATCH: something was lost or duplicated")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=400_000)
    parser.add_argument("--analysts", type=int, default=4)
    args = parser.parse_args()
    from tests.store_pg.conftest import Cluster, server_bindir

    bindir = server_bindir()
    if bindir is None:
        sys.exit("no PostgreSQL server found (install Debian's postgresql)")
    cluster = Cluster(bindir, Path(tempfile.mkdtemp(prefix="wb-bench-cluster-")))
    cluster.create()
    cluster.start()
    try:
        with tempfile.TemporaryDirectory(prefix="wb-bench-pg-") as folder:
            run(cluster, args.analysts, args.rows, Path(folder))
    finally:
        cluster.stop("immediate")
        cluster.remove()


if __name__ == "__main__":
    main()
