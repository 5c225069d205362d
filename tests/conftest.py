"""Shared fixtures. Qt runs offscreen so the suite needs no display."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent


def _find_shared_data() -> Path:
    """../shared/data beside the checkout (CI), or higher up (a git worktree)."""
    for parent in REPO.parents:
        if (parent / "shared" / "data").is_dir():
            return parent / "shared" / "data"
    return REPO.parent / "shared" / "data"


DATA = _find_shared_data()
TEST_DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def shared_data() -> Path:
    """The real data files beside the project (see ../shared/data/README.md)."""
    if not DATA.is_dir():
        pytest.skip("../shared/data is not beside this checkout")
    return DATA


@pytest.fixture(scope="session", autouse=True)
def _collect_garbage_on_the_main_thread():
    """As in the app (workbench.view.collector): Python's automatic collector would run in
    whichever thread allocates, and a layout or export worker would then destroy Qt objects
    left by earlier tests on the wrong thread (a crash a few tests later)."""
    gc.disable()
    yield
    gc.enable()


@pytest.fixture(autouse=True)
def _collect_due_garbage():
    yield
    from workbench.view.collector import collect_due

    collect_due()


@pytest.fixture(autouse=True)
def _delete_closed_widgets(request):
    """Delete the widgets a test closed before the next test starts.

    pytest-qt closes a test's widgets and calls deleteLater(), but deferred deletes only run
    inside an event loop's exec(); left pending, windows with web pages pile up and get deleted
    together in the middle of a later test, or after the application at exit, which crashes
    Qt WebEngine. Running them here keeps each test's Qt objects inside that test.
    """
    yield
    if "qapp" not in request.fixturenames and "qtbot" not in request.fixturenames:
        return
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


@pytest.fixture(scope="session", autouse=True)
def _delete_windows_before_exit():
    """At the end of the run, delete every window left (and its web pages) while the
    application still exists; Qt WebEngine crashes when a page outlives its profile."""
    yield
    import sys

    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    from workbench.ui.clipboard import hand_clipboard_to_qt

    hand_clipboard_to_qt()
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
