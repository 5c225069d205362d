"""Import speed and memory: 1,000,000 CSV rows and a 100,000-row xlsx into a chart.

Run: ``python benchmarks/bench_import.py [--rows N] [--xlsx-rows N] [--keep DIR]
[--date-format FMT]``. The date format is detected from the column unless one is named. Prints rows
per second and peak memory (resident set of the process so far, from the OS: the xlsx run
comes first so that its figure is its own). The files are generated with
realistic repetition: 20,000 phones used with a skewed frequency, each phone with one
subscriber name, calls over a year at minute resolution, amounts from a few hundred values.
Targets (2 cores): CSV 1M rows < 10 s and < 2 GB peak; xlsx 100k rows < 3 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench.io.importer import build_import
from workbench.io.importspec import parse_spec
from workbench.model import Chart

SPEC = """
source: {name: Generated call records}
region: GB
entities:
  caller: {type: Phone, identity: "{Caller}"}
  callee: {type: Phone, identity: "{Callee}"}
  subscriber: {type: Person, identity: "{Subscriber}"}
links:
  - {from: caller, to: callee, type: Calls, direction: forward,
     date: "{Date}"DATE_FORMAT,
     attributes: {amount: {column: Amount, kind: number}}}
  - {from: subscriber, to: caller, type: Uses, direction: forward, merge: true}
"""


def generate(rows: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    phones = np.array([f"+4477009{n:05d}" if n % 3 else f"07700 9{n:05d}"
                       for n in range(20_000)])
    owners = np.array([f"Person {n // 2:05d}" for n in range(20_000)])
    weights = 1.0 / np.arange(1, 20_001) ** 0.8
    weights /= weights.sum()
    caller = rng.choice(20_000, rows, p=weights)
    callee = rng.choice(20_000, rows, p=weights)
    minutes = rng.integers(0, 365 * 24 * 60, rows)
    dates = (np.datetime64("2016-01-01T00:00") + minutes.astype("timedelta64[m]"))
    amounts = rng.choice(np.round(np.linspace(1, 500, 400), 2), rows)
    return pd.DataFrame({
        "Caller": phones[caller], "Callee": phones[callee], "Subscriber": owners[caller],
        "Date": pd.Series(dates).dt.strftime("%Y-%m-%d %H:%M"), "Amount": amounts,
    })


def peak_mb() -> float:
    """Peak resident memory of this process in MB (Linux and macOS; 0 where unknown)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024  # bytes vs KiB


def run(path: Path, rows: int, label: str, date_format: str = "") -> None:
    spec = parse_spec(SPEC.replace("DATE_FORMAT", f', date_format: "{date_format}"'
                                   if date_format else ""))
    chart = Chart()
    cpu = time.process_time()
    start = time.perf_counter()
    plan = build_import(spec, [path], chart)
    built = time.perf_counter()
    plan.apply(chart)
    done = time.perf_counter()
    cpu = time.process_time() - cpu
    report = plan.report
    assert report.rows_imported == rows, report.summary()
    dated = sum(1 for lk in chart.links.values() if lk.date is not None)
    how = f"date format {date_format}" if date_format else "date format detected"
    print(f"{label}: {rows:,} rows -> {len(chart.entities):,} entities, "
          f"{len(chart.links):,} links ({dated:,} dated, {how})")
    print(f"  build {built - start:.2f} s, apply {done - built:.2f} s, total "
          f"{done - start:.2f} s = {rows / (done - start):,.0f} rows/s (CPU {cpu:.2f} s; "
          f"load average {os.getloadavg()[0]:.1f}); peak memory {peak_mb():,.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--only", choices=["csv", "xlsx"])
    parser.add_argument("--keep", type=Path, help="write the generated files here")
    parser.add_argument("--date-format", default="",
                        help="name the date format (strftime) instead of detecting it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="wb-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    if args.only in (None, "xlsx"):
        xlsx_path = folder / "calls.xlsx"
        if not xlsx_path.exists():
            generate(args.xlsx_rows, seed=8).to_excel(xlsx_path, index=False)
        run(xlsx_path, args.xlsx_rows, "XLSX", args.date_format)
    if args.only in (None, "csv"):
        csv_path = folder / "calls.csv"
        if not csv_path.exists():
            generate(args.rows).to_csv(csv_path, index=False)
        run(csv_path, args.rows, "CSV", args.date_format)
    if args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
