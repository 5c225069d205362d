"""Running ``workbench`` on hostile input, for the command-line corpus (test_cli*.py).

Most cases call ``workbench.cli.main`` in the test's process (what the ``workbench`` script
runs, less the interpreter start); exit codes, tracebacks, closed pipes, memory and the full
disk are checked in real processes.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import REPO
from workbench.cli import main

SAMPLE = REPO / "sample_charts" / "trafficking-routes.wbchart"
SPEC = 'entities:\n  person: {type: Person, identity: "{Name}"}\n'


# ----- running the command ------------------------------------------------------------------
@dataclass
class Run:
    code: int | str | None
    out: str
    err: str

    def __str__(self) -> str:
        return f"exit {self.code}\n--- stdout\n{self.out}\n--- stderr\n{self.err}"


def wb(*args: object) -> Run:
    """``workbench ARGS`` in this process. Warnings print as in a real run (the suite turns
    our own into errors); an exception escaping ``main`` is what a user sees as a traceback."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            warnings.catch_warnings():
        warnings.simplefilter("default")
        try:
            code: int | str | None = main([str(a) for a in args])
        except SystemExit as exc:  # argparse
            code = exc.code
        except Exception:
            err.write(traceback.format_exc())
            code = "traceback"
    return Run(code, out.getvalue(), err.getvalue())


def wb_process(*args: object, timeout: float = 60, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workbench", *map(str, args)],
                          capture_output=True, text=True, cwd=REPO, timeout=timeout, **kwargs)


def refused(run: Run, *names: object) -> str:
    """Exit 2, no traceback, one line on stderr naming each of ``names``; the line."""
    assert run.code == 2, run
    assert "Traceback" not in run.err, run
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, run
    for name in names:
        assert str(name) in lines[0], run
    return lines[0]


def fine(run: Run) -> None:
    """Hostile text that is only data: exit 0 and no traceback."""
    assert run.code == 0, run
    assert "Traceback" not in run.err and "Exception ignored" not in run.err, run



@dataclass
class Hostile:
    chart: Path
    texts: tuple[str, ...]
    title: str
    marker: Path  # created if a template engine ever runs a payload
    folder: Path


def no_code_ran(h: Hostile) -> None:
    assert not h.marker.exists(), "a label was run as a template"

