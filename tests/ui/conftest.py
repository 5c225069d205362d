"""Windows for the ui tests: settings and recovery files go to the test's tmp folder, never
to the user's own Workbench settings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QStandardPaths

from workbench.ui.main_window import MainWindow

from ..conftest import REPO

SAMPLE = REPO / "sample_charts" / "nov13-network.wbchart"

# A window made without explicit settings or recovery folder must not touch the user's own.
QStandardPaths.setTestModeEnabled(True)


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    return tmp_path / "settings.ini"


@pytest.fixture
def make_window(qtbot, tmp_path: Path, settings_file: Path) -> Callable[..., MainWindow]:
    made: list[MainWindow] = []

    def make(recovery: Path | None = None) -> MainWindow:
        settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
        window = MainWindow(settings=settings, recovery_dir=recovery or tmp_path / "recovery")
        qtbot.addWidget(window)
        made.append(window)
        return window

    yield make
    for window in made:
        window.undo_stack.setClean()  # no unsaved-work prompt while tearing down


@pytest.fixture
def window(make_window) -> MainWindow:
    w = make_window()
    w.show()
    return w
