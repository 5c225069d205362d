"""Python's cyclic garbage collected on the GUI thread only.

Python runs its cyclic collector in whichever thread happens to allocate when a threshold is
passed. When that is a worker (a layout, an export, an import) and the garbage holds Qt
objects (an old scene from a closed chart, a finished job's relay), Qt objects are destroyed
on a thread that does not own them; their timers cannot be stopped there and fire later on a
deleted object, and the window crashes (reproduced: a layout in the thread pool while old
scenes waited for collection crashed 5 runs in 6 under load). The cure that pyqtgraph also
uses: turn automatic collection off and collect on the GUI thread, on a timer, the
generations whose thresholds have been passed, as the automatic collector would have.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


def collect_due() -> int:
    """Collect the oldest generation whose threshold has been passed (as Python's automatic
    collector would); returns the number of objects found unreachable."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    due = [g for g in range(3) if thresholds[g] and counts[g] > thresholds[g]]
    return gc.collect(max(due)) if due else 0


class GuiThreadCollector(QObject):
    """Owns the cyclic collector for the application's lifetime; make it on the GUI thread."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(collect_due)
        self._timer.start(interval_ms)

    def stop(self) -> None:
        """Hand collection back as it was (when the application ends)."""
        self._timer.stop()
        if self._was_enabled:
            gc.enable()
