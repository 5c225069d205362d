"""Hostile YAML refused fast and small: time and peak memory of ``workbench import`` and
``workbench report`` given a 1 KB alias bomb, YAML nested 5,000 and 1,000,000 deep, and a
repeated key, each in its own process.

Target (issue 11): each refused in one line within a second and under 200 MB. Before the
safe loader the alias bomb took 36 s and 4.1 GB and aborted the process. The figures include
the interpreter and the command's imports (the "baseline" row: a valid spec); the first table
is the YAML reading alone (time and memory allocated while refusing).
Run: ``python benchmarks/bench_hostile_yaml.py``
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from workbench.safe_yaml import YamlError, load_yaml

ALIAS_BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
    for prev, name in zip(["", *"abcdefgh"], "abcdefghi", strict=True))
SPEC = 'entities:\n  person: {type: Person, identity: "{Name}"}\n'
CASES = {
    "baseline (valid spec)": SPEC,
    "alias bomb (1 KB)": ALIAS_BOMB,
    "nested 5,000 deep": "[" * 5_000 + "]" * 5_000,
    "nested 1,000,000 deep": "[" * 1_000_000 + "]" * 1_000_000,
    "repeated key": SPEC + "entities: {}\n",
}
#: Runs main() and prints its own wall time and the process's peak memory on the last line.
MEASURE = (
    "import resource, sys, time\n"
    "from workbench.cli import main\n"
    "t = time.perf_counter()\n"
    "code = main(sys.argv[1:])\n"
    "print(f'@@ {code} {time.perf_counter() - t:.2f} "
    "{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}', file=sys.stderr)\n"
)


def measure(args: list[str]) -> tuple[str, str, str, str]:
    result = subprocess.run([sys.executable, "-c", MEASURE, *args], capture_output=True,
                            text=True, timeout=600)
    lines = result.stderr.strip().splitlines()
    code, seconds, megabytes = lines[-1].split()[1:]
    return code, seconds, megabytes, (lines[0] if len(lines) > 1 else "")[:90]


def loader_alone() -> None:
    print(f"{'case':<24} {'ms':>8} {'peak MB':>8}  result")
    for name, text in CASES.items():
        tracemalloc.start()
        start = time.perf_counter()
        try:
            load_yaml(text, "spec.yaml")
            result = "loaded"
        except YamlError as exc:
            result = str(exc)[:70]
        ms = (time.perf_counter() - start) * 1000
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        print(f"{name:<24} {ms:>8.1f} {peak:>8.1f}  {result}")
    print()


def main() -> None:
    loader_alone()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        data = tmp / "people.csv"
        data.write_text("Name\nAlice\nBob\n", encoding="utf-8")
        print(f"{'case':<24} {'command':<8} {'exit':>4} {'s':>6} {'MB':>6}  message")
        for name, text in CASES.items():
            spec = tmp / "spec.yaml"
            spec.write_text(text, encoding="utf-8")
            for command, args in (
                ("import", ["import", str(data), "--spec", str(spec), "-o",
                            str(tmp / "out.wbchart")]),
                ("report", ["report", str(tmp / "out.wbchart"), "-o", str(tmp / "r.pdf"),
                            "--template", str(spec)]),
            ):
                if command == "report" and name.startswith("baseline"):
                    continue  # a spec is not a template
                code, seconds, megabytes, message = measure(args)
                print(f"{name:<24} {command:<8} {code:>4} {seconds:>6} {megabytes:>6}  "
                      f"{message}")


if __name__ == "__main__":
    main()
