"""Search in the shared store at scale: an analyst's trigram search under row-level security.

Run: ``python benchmarks/bench_pg_search.py [--entities N] [--url SUPERUSER_URL]``.
Starts a throwaway PostgreSQL cluster (as the tests do: initdb into a temporary folder,
stopped and removed at the end) unless ``--url`` names a database to fill (it must be empty:
the store is made in it). Makes a store of two organisations and writes N entities straight
into the tables with COPY (no import spec): names from syllables, a quarter of them phones;
each entity named by one of four sources (one shared with all, one each kept by its owner,
one shared by name with the other organisation, which has no agreement for it), a tenth by
two; a link per entity (a few hubs); an attribute for every fifth. Then it prints, for an
analyst who may see part of it:

- ``PgStore.search`` (the whole thing: identities, labels, attributes, typos, ranking, counts
  of links and sources, audit row) for typed names, a typo, a phone as dialled, a name in
  another script, as the median of five runs each;
- a plain pg_trgm query of the same text (``fold % q ORDER BY similarity LIMIT 20`` on the
  same table, as the superuser: no policies, no counts), and the ratio between the two;
- a chart of two hops capped at 500 entities, expanding a hub (about 80,000 links) capped
  at 500, and a shortest path, as the analyst.

The issue's target: under 300 ms at 1,000,000 entities (the default).
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.store_pg.conftest import Cluster, server_bindir  # noqa: E402
from workbench.model import Chart  # noqa: E402
from workbench.store import Filters, open_store  # noqa: E402
from workbench.store.pg.admin import Admin  # noqa: E402
from workbench.store.rows import fold  # noqa: E402

SYLLABLES = ("ab", "ad", "al", "an", "ar", "ba", "be", "bo", "da", "de", "di", "el", "em",
             "fa", "ga", "gi", "ha", "he", "ib", "il", "in", "ja", "jo", "ka", "ke", "ki",
             "la", "le", "li", "lo", "ma", "me", "mi", "mo", "na", "ne", "ni", "no", "ok",
             "ol", "om", "ra", "re", "ri", "ro", "sa", "se", "si", "so", "ta", "te", "ti",
             "to", "ul", "un", "va", "ve", "vi", "za", "zo")
QUERIES = {"a name": "Okafor Grace", "part of a name": "okafo", "a typo": "Okafro Grace",
           "a phone as dialled": "07700 912344", "another script": "Иван Петров",
           "a common syllable": "mara"}
PLAIN = ("SELECT entity_id FROM entity_sources WHERE fold %% %(q)s "
         "ORDER BY similarity(fold, %(q)s) DESC LIMIT 20")


def _name(rng: random.Random) -> str:
    word = lambda: "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))  # noqa: E731
    return f"{word().capitalize()} {word().capitalize()}"


def _copy(conn: psycopg.Connection, table: str, rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
    with conn.cursor().copy(f"COPY {table} FROM STDIN") as copy:
        copy.write(buffer.getvalue())


def fill(conn: psycopg.Connection, n: int) -> None:
    """N entities and what sources say about them, written with COPY as the superuser."""
    rng = random.Random(17)
    orgs = dict(conn.execute("SELECT name, id FROM organisations").fetchall())
    ngo, police = orgs["NGO"], orgs["Police"]
    sources = [(1, ngo, "all", "{}"), (2, ngo, "owner", "{}"), (3, police, "owner", "{}"),
               (4, police, "named", f"{{{ngo}}}")]
    _copy(conn, "sources (id, org_id, handling, shared_with, name, file, file_hash, "
          "imported_at, spec_name, spec, imported_by)",
          [(sid, org, h, w, f"source {sid}", f"s{sid}.csv", f"h{sid}", "2026-12-01 00:00+00",
            "bench", "", "postgres") for sid, org, h, w in sources])
    org_of = {sid: (org, h, w) for sid, org, h, w in sources}
    entities, named, attributes, links, names = [], [], [], [], set()
    for i in range(1, n + 1):
        if i % 4 == 0:
            identity = label = f"+447{700000000 + i:09d}"
            type_ = "Phone"
        else:
            label = "Grace Okafor" if i == 7 else "Иван Петров" if i == 11 else _name(rng)
            while fold(label) in names:  # one entity per identity
                label = _name(rng)
            identity, type_ = fold(label), "Person"
            names.add(identity)
            if i % 5 == 0:
                attributes.append((i, 1, "note", '{"kind": "text", "value": "seen"}',
                                   fold(f"seen near {label}")))
        entities.append((i, type_, identity))
        source = 1 if i in (1, 2, 3, 5, 6, 7, 11) else rng.choice((1, 2, 3, 4))  # for all
        named.append((i, source, label, fold(f"{label} {identity}")))
        if i % 10 == 0:
            other = source % 4 + 1
            named.append((i, other, label, fold(f"{label} {identity}")))
        hub = rng.choice((1, 2, 3, 5)) if i % 3 == 0 else rng.randint(1, n)
        links.append((i, i, hub, "Knows", "", "none", "confirmed", "f", source,
                      *org_of[source]))
    started = time.perf_counter()
    _copy(conn, "entities (id, type, identity)", entities)
    _copy(conn, "entity_sources (entity_id, source_id, label, fold)", named)
    _copy(conn, "entity_attributes (entity_id, source_id, name, value, fold)", attributes)
    _copy(conn, "links (id, end1, end2, type, label, direction, strength, merged, source_id, "
          "org_id, handling, shared_with)", links)
    conn.execute("SELECT setval(pg_get_serial_sequence('entities', 'id'), %s)", [n])
    conn.execute("ANALYZE")
    print(f"COPY of {n:,} entities, {len(named):,} source names, {len(links):,} links, "
          f"indexes and ANALYZE: {time.perf_counter() - started:.1f} s")


def _median_ms(work, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(superuser_url: str, analyst_url: str) -> None:
    with open_store(analyst_url) as store, psycopg.connect(
            superuser_url, options="-c search_path=workbench,public") as raw:
        store.search("warm up")
        print(f"\n{'query':<22} {'search':>9} {'plain':>9} {'ratio':>6}  best hit")
        for what, text in QUERIES.items():
            ours = _median_ms(lambda t=text: store.search(t))
            plain = _median_ms(lambda t=text: raw.execute(PLAIN, {"q": fold(t)}).fetchall())
            hits = store.search(text)
            best = f"{hits[0].label} ({hits[0].matched})" if hits else "(none)"
            print(f"{what:<22} {ours:>7.0f}ms {plain:>7.0f}ms {ours / plain:>6.1f}  {best}")
        chart = store.chart([6], hops=2, max_entities=500)  # 6 is linked to a hub
        far = store.neighbourhood([6], hops=2, cap=500, filters=Filters())[0][-1]  # via the hub
        timed = {
            "chart, 2 hops, cap 500": lambda: store.chart([6], hops=2, max_entities=500),
            "expand a hub, cap 500": lambda: store.expand(Chart(), 1, max_entities=500),
            "path through a hub": lambda: store.shortest_path(6, far),
        }
        print(f"\n(the chart: {len(chart.entities)} entities, {len(chart.links)} links; "
              f"the path: {len(store.shortest_path(6, far)) - 1} links)")
        for what, work in timed.items():
            print(f"{what:<22} {_median_ms(work, 3):>7.0f}ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--url", help="a superuser URL of an empty database to use")
    args = parser.parse_args()
    cluster, root = None, None
    if args.url:
        superuser_url = args.url
    else:
        bindir = server_bindir()
        if bindir is None:
            sys.exit("no PostgreSQL server here (install Debian's postgresql package)")
        root = Path(tempfile.mkdtemp(prefix="wb-pg-bench-"))
        cluster = Cluster(bindir, root)
        cluster.create()
        with (cluster.data / "postgresql.conf").open("a") as f:
            f.write("shared_buffers = 256MB\nmaintenance_work_mem = 256MB\nwork_mem = 32MB\n")
        cluster.start()
        with psycopg.connect(cluster.superuser_url(), autocommit=True) as c:
            c.execute("CREATE DATABASE bench")
        superuser_url = cluster.superuser_url("bench")
    try:
        with Admin(superuser_url) as admin:
            admin.init("NGO")
            admin.add_org("Police")
            admin.add_analyst("bench_ana", "NGO", "bench-pw")
        with psycopg.connect(superuser_url, autocommit=True,
                             options="-c search_path=workbench,public") as conn:
            fill(conn, args.entities)
        if cluster is not None:
            analyst_url = cluster.analyst_url("bench", "bench_ana", "bench-pw")
        else:
            parts = urlsplit(superuser_url)
            analyst_url = parts._replace(
                netloc=f"bench_ana:bench-pw@{parts.netloc.rpartition('@')[2]}").geturl()
        measure(superuser_url, analyst_url)
    finally:
        if cluster is not None:
            cluster.stop("immediate")
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
