"""Find Duplicates: accuracy on FEBRL, transliteration recall, and time and memory at scale.

Targets (issue 18): F1 of at least 0.95 on febrl4 and febrl3 with no labels used in training;
recall on the real name pairs across scripts printed; 1,000,000 generated person records
deduplicated in under 10 minutes and under 4 GB on the 2-core machine.

Run:
    python benchmarks/bench_resolve.py                    # FEBRL4, FEBRL3, name pairs
    python benchmarks/bench_resolve.py --people 1000000   # and the scale run

Peak memory is the process's maximum resident set (DuckDB works inside the process, so its
memory is counted), measured in a fresh child process for the scale run so the FEBRL runs
before it do not count.
"""

from __future__ import annotations

import argparse
import itertools
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402
import pyarrow as pa  # noqa: E402

from tests.resolve.febrl import febrl, quality  # noqa: E402
from tests.resolve.name_pairs import WIKIDATA_PAIRS, name_pair_recall, read_pairs  # noqa: E402
from tests.resolve.people import COLUMNS, people  # noqa: E402
from workbench.resolve.matcher import BLOCKS, SMALL, SMALL_BLOCKS, Scored, score  # noqa: E402
from workbench.resolve.tables import table_records  # noqa: E402

THRESHOLD = 0.5


def found_pairs(scored: Scored) -> set[tuple[str, str]]:
    left = scored.pairs["unique_id_l"].to_pylist()
    right = scored.pairs["unique_id_r"].to_pylist()
    return {(min(a, b), max(a, b)) for a, b in zip(left, right, strict=True)}


def bench_febrl(which: int) -> None:
    start = time.perf_counter()
    records, truth = febrl(which)
    got = quality(found_pairs(score(records, THRESHOLD)), truth)
    print(f"FEBRL{which}: {records.num_rows:,} records, {len(truth):,} true pairs: "
          f"precision {got.precision:.4f}  recall {got.recall:.4f}  F1 {got.f1:.4f}  "
          f"({time.perf_counter() - start:.1f} s)")


def bench_names() -> None:
    recall, total, missed, strangers = name_pair_recall()
    print(f"Name pairs across scripts: {total} pairs, recall {recall:.3f} (names compared "
          f"alone, nothing else known); shuffled pairs agreeing {strangers:.3f}")
    for left, right, script in missed:
        print(f"  missed ({script}): {left} / {right}")
    recall, total, missed, strangers = name_pair_recall(WIKIDATA_PAIRS)
    lost = Counter(script for _, _, script in missed)
    scripts = Counter(row["script"] for row in read_pairs(WIKIDATA_PAIRS))
    print(f"Wikidata name pairs (Merhav and Ash 2018): {total} pairs, recall {recall:.3f} "
          f"(by script: " + ", ".join(f"{script} {1 - lost[script] / n:.2f}"
                                      for script, n in scripts.items())
          + f"); shuffled pairs agreeing {strangers:.3f}")


def _shares(block: tuple[str, ...]) -> str:
    """SQL: the true pair (l, r) shares this blocking key (a NULL shares nothing)."""
    parts = [('substr(l.dob, 1, 4) = substr(r.dob, 1, 4)' if key == "dob_year" else
              'substr(l.dob, 1, 7) = substr(r.dob, 1, 7)' if key == "dob_month" else
              f"list_has_any(l.{key}, r.{key})" if key in ("phones", "emails", "name_words")
              else f"l.{key} = r.{key}") for key in block]
    return f"coalesce(({' AND '.join(parts)}), false)"


def blocked_share(records: pa.Table, truth: set[tuple[str, str]]) -> float:
    """The share of true pairs that any blocking rule puts together: the most the matcher
    can find, whatever it scores (the rest are lost before scoring)."""
    con = duckdb.connect()
    con.register("records", records)
    con.register("truth", pa.table({"a": [a for a, _ in truth], "b": [b for _, b in truth]}))
    blocks = (*BLOCKS, *(SMALL_BLOCKS if records.num_rows <= SMALL else ()))
    (share,), = con.execute(
        f"SELECT avg(({' OR '.join(_shares(b) for b in blocks)})::INT) FROM truth t "
        "JOIN records l ON l.unique_id = t.a JOIN records r ON r.unique_id = t.b").fetchall()
    con.close()
    return float(share or 0.0)


def bench_people(n: int) -> None:
    """One scale run; prints time per step, pairs found, quality and peak memory."""
    start = time.perf_counter()
    rows, person = [], {}
    for row, who in people(n):
        rows.append(row)
        person[row["id"]] = who
    made = time.perf_counter()
    records = table_records(rows, COLUMNS)
    del rows
    prepared = time.perf_counter()
    scored = score(records, THRESHOLD)
    done = time.perf_counter()
    found = found_pairs(scored)
    by_person: dict[int, list[str]] = {}
    for rid, who in person.items():
        by_person.setdefault(who, []).append(rid)
    truth = {(min(a, b), max(a, b)) for ids in by_person.values()
             for a, b in itertools.combinations(ids, 2)}
    got = quality(found, truth)
    blocked = blocked_share(records, truth)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"People: {n:,} records ({len(truth):,} true pairs): generated {made - start:.0f} s "
          f"(not counted), names and fields {prepared - made:.0f} s, Splink training and "
          f"scoring {done - prepared:.0f} s; total {done - made:.0f} s on the clock, "
          f"{usage.ru_utime + usage.ru_stime:.0f} s of CPU in all; peak memory "
          f"{usage.ru_maxrss / 1024:,.0f} MB; {len(found):,} pairs found, precision "
          f"{got.precision:.4f} recall {got.recall:.4f} F1 {got.f1:.4f}; true pairs "
          f"sharing a blocking key {blocked:.4f} (the rest are never compared)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, metavar="N", help="also the scale run")
    parser.add_argument("--only-people", type=int, metavar="N", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only_people:  # the child process of a scale run
        bench_people(args.only_people)
        return
    bench_febrl(4)
    bench_febrl(3)
    bench_names()
    if args.people:
        subprocess.run([sys.executable, __file__, "--only-people", str(args.people)],
                       check=True)


if __name__ == "__main__":
    main()
