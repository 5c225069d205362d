"""``workbench store resolve`` at scale: generated people imported into a store as two
sources, then the pairs found across them, with time, peak memory and quality printed.

The people are bench_resolve's (one record in six a second record of someone: typos, Cyrillic
or Greek spellings, "SURNAME, Given", short forms, missing or wrong dates), written to a CSV
and imported with a specification that keeps each record its own entity (identity: the
record id), linked to its phone; so every true pair is two store entities to be found by
the matcher, fed from the store's tables by SQL.

Run:
    python benchmarks/bench_store_resolve.py [--people 100000]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.resolve.febrl import quality  # noqa: E402
from tests.resolve.people import people  # noqa: E402
from workbench.io.importspec import load_spec  # noqa: E402
from workbench.resolve.store_resolve import find_store_pairs  # noqa: E402
from workbench.store import open_store  # noqa: E402

SPEC = """
source: {format: csv, encoding: utf-8, name: Generated people}
entities:
  person: {type: Person, identity: "{id}", label: "{given} {surname}"}
  phone:  {type: Phone, identity: "{phone}"}
attributes:
  person: {date of birth: {column: dob, kind: datetime}, nationality: nationality}
links:
  - {from: person, to: phone, type: Uses}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000, metavar="N")
    n = parser.parse_args().people
    with tempfile.TemporaryDirectory(prefix="bench-store-resolve-") as folder:
        work = Path(folder)
        person: dict[str, int] = {}
        with open(work / "people.csv", "w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, ["id", "given", "surname", "dob", "phone",
                                          "nationality"])
            writer.writeheader()
            for row, who in people(n):
                writer.writerow(row)
                person[row["id"].casefold()] = who
        spec_path = work / "people.yaml"
        spec_path.write_text(SPEC, encoding="utf-8")
        store_path = work / "people.wbstore"
        start = time.perf_counter()
        with open_store(store_path, create=True) as store:
            store.import_files(load_spec(spec_path), SPEC, [work / "people.csv"])
        imported = time.perf_counter()
        with open_store(store_path, read_only=True) as store:
            pairs = find_store_pairs(store, ["Person"])
            done = time.perf_counter()
            identity = dict(store.conn.execute(
                "SELECT id, identity FROM entities WHERE type = 'Person'").fetchall())
    by_person: dict[int, list[int]] = {}
    for sid, key in identity.items():
        by_person.setdefault(person[key], []).append(sid)
    truth = {(min(a, b), max(a, b)) for ids in by_person.values()
             for a, b in itertools.combinations(ids, 2)}
    got = quality({(p.a, p.b) for p in pairs}, truth)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"Store resolve: {n:,} people ({len(truth):,} true pairs): import "
          f"{imported - start:.0f} s (not counted), store resolve {done - imported:.0f} s on "
          f"the clock; peak memory {usage.ru_maxrss / 1024:,.0f} MB; {len(pairs):,} pairs, "
          f"precision {got.precision:.4f} recall {got.recall:.4f} F1 {got.f1:.4f}")


if __name__ == "__main__":
    main()
