"""The layering of DESIGN.md, enforced: no Qt below the view, a display-free core."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import REPO


def test_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_core_and_headless_commands_run_without_qt():
    """Importing the core and running a headless command must not load Qt at all."""
    code = (
        "import sys, workbench.model, workbench.io, workbench.cli\n"
        "from workbench.cli import build_parser\n"
        "build_parser()\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'qtawesome'))]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)


def test_ui_modules_stay_one_job_each():
    """The window's rooms stay rooms: a ui module past 400 lines is split by job instead."""
    too_long = {}
    for path in (REPO / "workbench" / "ui").rglob("*.py"):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > 400:
            too_long[str(path.relative_to(REPO))] = lines
    assert not too_long, too_long
