"""Run a layout off the GUI thread, with progress and Cancel, as one undoable step.

The layout functions (``workbench.layout.LAYOUTS``: name -> chart -> {id: (x, y)}) are pure;
the worker runs one on a snapshot of the chart, so the analyst can keep reading (and even
editing) while it works, and returns plain positions. Back on the GUI thread the positions of
entities that still exist become one MoveEntitiesCommand: one Ctrl+Z puts everything back.
Cancel cannot stop Python code midway; it drops the result when it arrives.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QMenu, QProgressDialog

from workbench.model import Chart
from workbench.ui.commands import MoveEntitiesCommand

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow

Positions = dict[str, tuple[float, float]]
LayoutFunction = Callable[[Chart], Mapping[str, tuple[float, float]]]
SHOW_PROGRESS_AFTER_MS = 300


def available_layouts() -> dict[str, LayoutFunction]:
    try:
        from workbench.layout import LAYOUTS
    except ImportError:
        return {}
    return dict(LAYOUTS)


def snapshot(chart: Chart) -> Chart:
    """A copy the worker can read while the GUI thread changes the real chart.

    Items are copied one level deep; the model replaces (never mutates) attribute dicts and
    provenance lists, so sharing those is safe."""
    copy = Chart(chart.title, catalogue=chart.catalogue, region=chart.region)
    copy.settings = dict(chart.settings)
    copy.add_entities(replace(e) for e in chart.entities.values())
    copy.add_links(replace(lk) for lk in chart.links.values())
    return copy


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits through it, so slots run on the GUI thread."""

    done = Signal(int, object, str)  # job number, positions (or None), error message


class _Job(QRunnable):
    def __init__(self, number: int, function: LayoutFunction, chart: Chart,
                 relay: _Relay) -> None:
        super().__init__()
        self.number, self.function, self.chart, self.relay = number, function, chart, relay

    def run(self) -> None:
        try:
            positions = {str(k): (float(x), float(y))
                         for k, (x, y) in self.function(self.chart).items()}
        except Exception as exc:  # report any layout failure to the analyst, not a crash
            self.relay.done.emit(self.number, None, f"{type(exc).__name__}: {exc}")
            return
        self.relay.done.emit(self.number, positions, "")


class LayoutRunner(QObject):
    finished = Signal(str, bool)  # layout name, applied (False: cancelled or failed)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.layouts = available_layouts()
        self.relay = _Relay()
        self.relay.done.connect(self._done)
        self.progress: QProgressDialog | None = None
        self.running: str | None = None
        self.last_seconds = 0.0
        self._job = 0
        self._started = 0.0
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)

    def fill_menu(self, menu: QMenu) -> None:
        for name in self.layouts:
            title = name.replace("_", " ").replace("-", " ").capitalize()
            menu.addAction(f"{title}", lambda n=name: self.run(n)).setObjectName(
                f"layout_{name}")
        if not self.layouts:
            menu.addAction("(no layouts installed)").setEnabled(False)

    def run(self, name: str) -> None:
        """Start layout ``name``; ``finished`` says when (and whether) it was applied."""
        if self.running is not None:
            self.window.statusBar().showMessage(
                f"The {self.running} layout is still running", 5000)
            return
        function = self.layouts[name]
        self._job += 1
        self.running = name
        self._started = time.perf_counter()
        self.window.statusBar().showMessage(f"Laying out the chart ({name})...")
        job = _Job(self._job, function, snapshot(self.window.chart), self.relay)
        self.pool.start(job)
        QTimer.singleShot(SHOW_PROGRESS_AFTER_MS, lambda n=self._job: self._show_progress(n))

    def _show_progress(self, job: int) -> None:
        if job != self._job or self.running is None:
            return
        dialog = QProgressDialog(f"Laying out {len(self.window.chart.entities):,} entities "
                                 f"({self.running})...", "Cancel", 0, 0, self.window)
        dialog.setWindowTitle("Layout")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.canceled.connect(self.cancel)
        self.progress = dialog
        dialog.open()

    def cancel(self) -> None:
        if self.running is None:
            return
        name = self.running
        self._job += 1  # the running job's result will not match and is dropped
        self._finish()
        self.window.statusBar().showMessage(f"Layout {name} cancelled", 5000)
        self.finished.emit(name, False)

    def _finish(self) -> None:
        self.running = None
        if self.progress is not None:
            self.progress.canceled.disconnect(self.cancel)
            self.progress.close()
            self.progress = None

    def _done(self, job: int, positions: Positions | None, error: str) -> None:
        if job != self._job or self.running is None:
            return  # cancelled, or a stale job
        name = self.running
        self.last_seconds = time.perf_counter() - self._started
        self._finish()
        if positions is None:
            self.window.files.show_error("Layout failed", f"The {name} layout failed: {error}")
            self.finished.emit(name, False)
            return
        chart = self.window.chart
        moves = {i: p for i, p in positions.items()
                 if i in chart.entities and math.isfinite(p[0]) and math.isfinite(p[1])}
        if moves:
            self.window.undo_stack.push(MoveEntitiesCommand(chart, moves,
                                                            text=f"Layout: {name}"))
            self.window.view.zoom_to_fit()
        self.window.statusBar().showMessage(
            f"Layout {name}: {len(moves):,} entities placed in {self.last_seconds:.1f} s", 8000)
        self.finished.emit(name, True)
