"""Cancel during a store import in the window: it reaches into DuckDB's read of the file
(one statement of seconds on a large file) and leaves the store exactly as it was."""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import pytest
from PySide6.QtWidgets import QPushButton, QWidget

from workbench.io.importspec import parse_spec
from workbench.store import StoreCancelled, open_store
from workbench.ui.docks.store_work import StoreRunner, import_into_store

SPEC = """
region: GB
entities:
  caller: {type: Phone, identity: "{Caller}"}
  callee: {type: Phone, identity: "{Callee}"}
links:
  - {from: caller, to: callee, type: Calls}
"""
WAIT = 60_000


@pytest.fixture
def files(tmp_path) -> tuple[Path, Path, Path]:
    """A store holding one small import, and a file large enough that DuckDB reads it for a
    while, a second or more even on a quiet machine (5,000,000 rows, 130 MB)."""
    small, big = tmp_path / "small.csv", tmp_path / "big.csv"
    small.write_text("Caller,Callee\n07700 900001,07700 900002\n", encoding="utf-8")
    with big.open("wb") as f:
        f.write(b"Caller,Callee\n")
        for _ in range(10):
            f.write(b"07700 900003,07700 900004\n" * 500_000)
    store = tmp_path / "s.wbstore"
    with open_store(store, create=True) as s:
        s.import_files(parse_spec(SPEC), SPEC, [small])
    return store, small, big


def content(store: Path) -> list:
    with duckdb.connect(str(store), read_only=True) as conn:
        return [conn.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
                for t in ("sources", "entities", "links", "records", "entity_records",
                          "link_records")]


def test_cancel_interrupts_duckdbs_read_of_the_file(files):
    """Only the thread that watches for Cancel is told: the import can stop only by its
    running statement being interrupted, and it stops while the file is being read."""
    store, _, big = files
    before = content(store)
    said: list[str] = []

    def cancelled() -> bool:
        return threading.current_thread().name == "store-import-cancel"

    with open_store(store) as s, pytest.raises(StoreCancelled):
        s.import_files(parse_spec(SPEC), SPEC, [big],
                       progress=lambda f, m: said.append(m), cancelled=cancelled)
    assert said == ["reading big.csv"]  # nothing after the read began
    assert content(store) == before


def test_cancel_in_the_progress_leaves_the_store_as_it_was(files, qtbot):
    store, _, big = files
    before = content(store)
    parent = QWidget()
    qtbot.addWidget(parent)
    runner = StoreRunner(parent, lambda title, text: pytest.fail(text))
    done: list = []
    job = runner.run("importing big.csv", lambda cancelled: import_into_store(
        str(store), None, parse_spec(SPEC), SPEC, [big], runner.report, cancelled),
        done.append)
    qtbot.waitUntil(lambda: runner.dialog is not None
                    and "reading big.csv" in runner.dialog.labelText(), timeout=WAIT)
    runner.dialog.findChild(QPushButton).click()  # Cancel
    assert runner.dialog is None and job.cancelled.is_set()
    qtbot.waitUntil(lambda: job.finished.is_set(), timeout=WAIT)
    assert not done
    assert content(store) == before
    with open_store(store, read_only=True) as s:
        assert [x.file for x in s.info().sources] == ["small.csv"]
