"""Run a layout off the GUI thread, with progress and Cancel, as one undoable step.

The layouts (``workbench.layout.LAYOUTS``: name -> function of a chart snapshot) are pure.
The snapshot (``LayoutInput``) is taken on the GUI thread in milliseconds; the worker runs
the layout on it and returns plain positions, reporting progress and checking a cancel flag
through the callables every layout accepts. Back on the GUI thread the positions of entities
that still exist become one MoveEntitiesCommand: one Ctrl+Z puts everything back.
"""

from __future__ import annotations

import functools
import math
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QProgressDialog

from workbench.layout import LAYOUTS, TITLES, LayoutCancelled, LayoutInput
from workbench.layout.process import IN_PROCESS, run_in_process
from workbench.ui.commands import MoveEntitiesCommand
from workbench.ui.document import Tools
from workbench.ui.wording import plural

Positions = dict[str, tuple[float, float]]
LayoutFunction = Callable[..., Positions]
SHOW_PROGRESS_AFTER_MS = 300
CLOCK_MS = 1000  # how often the progress dialog's clock moves on
# From this many links a layout that holds the GIL (``IN_PROCESS``) runs in a child process:
# starting one costs a second or so, more than the whole layout of a small chart.
PROCESS_MIN_LINKS = 2000


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits through it, so slots run on the GUI thread."""

    done = Signal(int, object, str)  # job number, positions (or None), error ('' if none)
    progress = Signal(int, float)  # job number, fraction done


class _Job(QRunnable):
    """A layout on a pool thread; one that would hold the GIL for seconds (``IN_PROCESS``
    on a big chart) is run by this thread in a child process instead, so the window keeps
    turning."""

    def __init__(self, number: int, function: LayoutFunction, data: Any,
                 options: dict[str, Any], relay: _Relay) -> None:
        super().__init__()
        self.number, self.function, self.data = number, function, data
        self.options, self.relay = options, relay
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            result = self.function(
                self.data, progress=lambda f: self.relay.progress.emit(self.number, float(f)),
                cancelled=self.stop.is_set, **self.options)
            positions = {str(k): (float(x), float(y)) for k, (x, y) in result.items()}
        except LayoutCancelled:
            self.relay.done.emit(self.number, None, "")
            return
        except Exception as exc:  # report any layout failure to the analyst, not a crash
            self.relay.done.emit(self.number, None, f"{type(exc).__name__}: {exc}")
            return
        self.relay.done.emit(self.number, positions, "")


class LayoutRunner(QObject):
    finished = Signal(str, bool)  # layout name, applied (False: cancelled or failed)

    def __init__(self, tools: Tools) -> None:
        super().__init__(tools.parent)
        self.document, self.canvas = tools.document, tools.canvas
        self.feedback, self.parent_widget = tools.feedback, tools.parent
        self.layouts: dict[str, LayoutFunction] = dict(LAYOUTS)
        self.relay = _Relay()
        self.relay.done.connect(self._done)
        self.relay.progress.connect(self._progress)
        self.progress: QProgressDialog | None = None
        self.running: str | None = None
        self.last_seconds = 0.0
        self.selection_only: QAction | None = None
        self._job: _Job | None = None
        self._number = 0
        self._started = 0.0
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.document.chart_replaced.connect(self.cancel)  # positions are for the old chart's ids

    def fill_menu(self, menu: QMenu) -> None:
        """One entry per layout, "grouped by attribute" and "selected entities only"."""
        for name in self.layouts:
            action = menu.addAction(TITLES.get(name, name.capitalize()),
                                    lambda n=name: self.run(n))
            action.setObjectName(f"layout_{name}")
        by_attribute = menu.addMenu("Grouped by &Attribute")
        by_attribute.aboutToShow.connect(lambda: self._fill_attributes(by_attribute))
        menu.addSeparator()
        self.selection_only = menu.addAction("Selected Entities Only")
        self.selection_only.setCheckable(True)
        self.selection_only.setStatusTip("lay out only the selected entities; others stay")

    def _fill_attributes(self, menu: QMenu) -> None:
        menu.clear()
        names = sorted({n for e in self.document.chart.entities.values() for n in e.attributes})
        for name in names:
            menu.addAction(name, lambda n=name: self.run("grouped", attribute=n))
        if not names:
            menu.addAction("(no entity attributes)").setEnabled(False)

    def run(self, name: str, *, entity_ids: Iterable[str] | None = None,
            attribute: str | None = None) -> bool:
        """Start layout ``name``; ``finished`` says when (and whether) it was applied."""
        if self.running is not None:
            self.feedback.say(
                f"The {self.running} layout is still running", 5000)
            return False
        chart = self.document.chart
        if entity_ids is None and self.selection_only is not None \
                and self.selection_only.isChecked():
            entity_ids = self.document.selection.entities
        data = LayoutInput.from_chart(chart, entity_ids, attribute)
        if len(data) == 0:
            self.feedback.say("Nothing to lay out", 5000)
            return False
        options = {"attribute": attribute} if attribute else {}
        self._number += 1
        function = self.layouts[name]
        if name in IN_PROCESS and function is LAYOUTS[name] \
                and len(data.edges) >= PROCESS_MIN_LINKS:
            function = functools.partial(run_in_process, name)
        self._job = _Job(self._number, function, data, options, self.relay)
        self._job.setAutoDelete(False)
        self.running = name
        self._started = time.perf_counter()
        self.feedback.say(f"Laying out {plural(len(data), 'entity')} ({name})...")
        self.pool.start(self._job)
        # (the runner as context: no progress for a window closed meanwhile)
        QTimer.singleShot(SHOW_PROGRESS_AFTER_MS, self,
                          lambda n=self._number: self._show_progress(n))
        return True

    def _show_progress(self, number: int) -> None:
        if number != self._number or self.running is None:
            return
        dialog = QProgressDialog(self._progress_text(), "Cancel", 0, 100, self.parent_widget)
        dialog.setWindowTitle("Layout")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        # The clock shows the layout is working while its library gives no progress: the
        # hierarchy of 50,000 entities spends two minutes in igraph's Sugiyama at one value.
        clock = QTimer(dialog)
        clock.timeout.connect(lambda: dialog.setLabelText(self._progress_text()))
        clock.start(CLOCK_MS)
        self.progress = dialog
        dialog.open()

    def _progress_text(self) -> str:
        seconds = int(time.perf_counter() - self._started)
        took = f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"
        return f"Laying out the chart ({self.running})... {took}"

    def _progress(self, number: int, fraction: float) -> None:
        if number == self._number and self.progress is not None:
            self.progress.setValue(max(0, min(99, int(fraction * 100))))

    def cancel(self) -> None:
        """Ask the layout to stop; it gives up at its next check and nothing moves."""
        if self.running is None or self._job is None:
            return
        name = self.running
        self._job.stop.set()
        self._number += 1  # a result that arrives anyway is dropped
        self._finish()
        self.feedback.say(f"Layout {name} cancelled", 5000)
        self.finished.emit(name, False)

    def _finish(self) -> None:
        self.running = None
        if self.progress is not None:
            self.progress.canceled.disconnect(self.cancel)
            self.progress.close()
            self.progress = None

    def _done(self, number: int, positions: Positions | None, error: str) -> None:
        if number != self._number or self.running is None:
            return  # cancelled, or a stale job
        name = self.running
        self.last_seconds = time.perf_counter() - self._started
        self._finish()
        if positions is None:
            if error:
                self.feedback.show_error("Layout failed",
                                             f"The {name} layout failed: {error}")
            self.finished.emit(name, False)
            return
        chart = self.document.chart
        moves = {i: p for i, p in positions.items()
                 if i in chart.entities and math.isfinite(p[0]) and math.isfinite(p[1])}
        if moves:
            title = TITLES.get(name, name)
            self.document.undo_stack.push(MoveEntitiesCommand(chart, moves,
                                                            text=f"Layout: {title}"))
            self.canvas.view.zoom_to_fit()
        self.feedback.say(
            f"Layout {name}: {plural(len(moves), 'entity')} placed in "
            f"{self.last_seconds:.1f} s", 8000)
        self.finished.emit(name, True)
