"""Python's cyclic garbage collected on the GUI thread only.

Python runs its cyclic collector in whichever thread happens to allocate when a threshold is
passed. When that is a worker (a layout, an export, an import) and the garbage holds Qt
objects (an old scene from a closed chart, a finished job's relay), Qt objects are destroyed
on a thread that does not own them; their timers cannot be stopped there and fire later on a
deleted object, and the window crashes (reproduced: a layout in the thread pool while old
scenes waited for collection crashed 5 runs in 6 under load). The cure that pyqtgraph also
uses: turn automatic collection off and collect on the GUI thread, on a timer, the
generations whose thresholds have been passed, as the automatic collector would have.

Python's own collector runs a full collection only when the objects promoted since the last
one are a quarter of those that survived it, so a big chart's millions of objects are not
walked again and again; that count is not exposed. Here a full collection is instead held back
until ten times its own duration has passed since the last one: on a 100,000-entity chart
each took 1.2 s, and the window opening on it ran two back to back.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500
FULL_SHARE = 0.1  # full collections take at most this share of the time
_full = {"next": 0.0}  # when the next full collection may run (time.perf_counter)


def collect_due() -> int:
    """Collect the oldest generation whose threshold has been passed (as Python's automatic
    collector would; a full collection no more often than FULL_SHARE allows, the middle
    generation meanwhile); returns the number of objects found unreachable."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    due = [g for g in range(3) if thresholds[g] and counts[g] > thresholds[g]]
    if not due:
        return 0
    if max(due) < 2:
        return gc.collect(max(due))
    start = time.perf_counter()
    if start < _full["next"]:
        return gc.collect(1)
    found = gc.collect(2)
    end = time.perf_counter()
    _full["next"] = end + (end - start) * (1.0 / FULL_SHARE - 1.0)
    return found


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
