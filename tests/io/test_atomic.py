"""Atomic writes keep the analyst's permissions and never leave half a file."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from workbench.export.spreadsheet import Table, write_table_csv
from workbench.io.atomic import atomic_path

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


def _table() -> Table:
    return Table(name="Entities", headers=["Label"], rows=[["Victim A"]])


def test_export_under_umask_077_is_private(tmp_path: Path) -> None:
    target = tmp_path / "victims.csv"
    old = os.umask(0o077)
    try:
        write_table_csv(_table(), target)
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o600
    assert "Victim A" in target.read_text(encoding="utf-8-sig")


def test_existing_target_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "victims.csv"
    target.write_text("old")
    target.chmod(0o640)
    write_table_csv(_table(), target)
    assert target.stat().st_mode & 0o777 == 0o640
    assert "Victim A" in target.read_text(encoding="utf-8-sig")


def test_failed_write_leaves_old_file(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    target.write_text("good")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        Path(tmp).write_text("half")
        raise RuntimeError("disk full")
    assert target.read_text() == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]
