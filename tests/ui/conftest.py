"""Windows for the ui tests: settings and recovery files go to the test's tmp folder, never
to the user's own Workbench settings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QSettings, QStandardPaths, Qt, Signal
from PySide6.QtGui import QGuiApplication, QUndoStack
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from workbench.io import load_chart
from workbench.model import Chart, Selection
from workbench.ui.document import Document
from workbench.ui.window.main_window import MainWindow

from ..conftest import REPO

SAMPLE = REPO / "sample_charts" / "nov13-network.wbchart"


def _sample_ids() -> dict[str, str]:
    """Ids of a few well-known items of the sample, found by identity (ids change whenever the
    sample is rebuilt; identities do not)."""
    chart = load_chart(SAMPLE)
    atar = chart.find("Person", "oussama atar").id
    baghdadi = chart.find("Person", "abu bakr al-baghdadi").id
    abaaoud = chart.find("Person", "abdelhamid abaaoud").id
    nemmouche = chart.find("Person", "mehdi nemmouche").id
    return {
        "atar": atar,
        "baghdadi": baghdadi,
        "abaaoud": abaaoud,
        "atar-baghdadi": chart.links_between(atar, baghdadi)[0].id,
        "nemmouche-abaaoud": chart.links_between(nemmouche, abaaoud)[0].id,
    }


IDS = _sample_ids()

# A window made without explicit settings or recovery folder must not touch the user's own.
QStandardPaths.setTestModeEnabled(True)


MODIFIER_KEYS = {
    Qt.KeyboardModifier.ShiftModifier: Qt.Key.Key_Shift,
    Qt.KeyboardModifier.ControlModifier: Qt.Key.Key_Control,
    Qt.KeyboardModifier.AltModifier: Qt.Key.Key_Alt,
    Qt.KeyboardModifier.MetaModifier: Qt.Key.Key_Meta,
}


@pytest.fixture(autouse=True)
def _release_modifiers(request):
    """Release the modifier keys a test's last click held.

    Qt keeps the modifiers of the last input event application-wide: after a shift-click in one
    test, the next test's ``selectRow`` extends instead of selecting, whatever order they run in.
    """
    yield
    if "qtbot" not in request.fixturenames:
        return
    held = QGuiApplication.keyboardModifiers()
    if held == Qt.KeyboardModifier.NoModifier:
        return
    target = QWidget()
    for modifier, key in MODIFIER_KEYS.items():
        if held & modifier:
            QTest.keyRelease(target, key)
    target.deleteLater()


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


class ChartHolder(QObject):
    """All a dock or dialog needs of what holds the chart: no main window."""

    chart_replaced = Signal()

    def __init__(self, chart: Chart, path: Path | None = None) -> None:
        super().__init__()
        self.chart, self.path = chart, path

    def replace_chart(self, chart: Chart, path: Path | None, *, modified: bool = False) -> None:
        self.chart, self.path = chart, path
        self.chart_replaced.emit()


@pytest.fixture
def document() -> Document:
    """The sample chart as a plain document (holder, selection, undo stack), with no window."""
    return Document(ChartHolder(load_chart(SAMPLE), SAMPLE), Selection(), QUndoStack())
