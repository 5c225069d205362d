"""Run a layout off the GUI thread and hand the positions back through a signal.

The window takes a :class:`LayoutInput` snapshot on the GUI thread (milliseconds), the layout
runs on Qt's thread pool (seconds for 10,000 entities), and ``finished`` delivers the plain
``{entity_id: (x, y)}`` dict on the GUI thread, where the window pushes one
MoveEntitiesCommand. No widget is touched from the worker.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from workbench.layout import LAYOUTS, LayoutCancelled, LayoutInput
from workbench.model import Chart


class _Relay(QObject):
    """Signals emitted from the worker; Qt queues them to the GUI thread."""

    progress = Signal(float)
    done = Signal(dict)
    failed = Signal(str)
    stopped = Signal()


class _Run(QRunnable):
    def __init__(self, name: str, data: LayoutInput, options: dict[str, Any],
                 relay: _Relay, stop: threading.Event) -> None:
        super().__init__()
        self.name, self.data, self.options = name, data, options
        self.relay, self.stop = relay, stop

    def run(self) -> None:
        try:
            positions = LAYOUTS[self.name](self.data, progress=self.relay.progress.emit,
                                           cancelled=self.stop.is_set, **self.options)
        except LayoutCancelled:
            self.relay.stopped.emit()
        except Exception as exc:  # reported to the analyst, never a crash of the window
            self.relay.failed.emit(f"{self.name} layout failed: {exc}")
        else:
            self.relay.done.emit(positions)


class LayoutJob(QObject):
    """One layout run: ``start()``, then ``finished(positions)``, ``failed(message)`` or
    ``cancelled()``; ``progress(fraction)`` along the way."""

    progress = Signal(float)
    finished = Signal(dict)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, chart: Chart, name: str, *, entity_ids: Iterable[str] | None = None,
                 attribute: str | None = None, parent: QObject | None = None,
                 **options: Any) -> None:
        super().__init__(parent)
        if name not in LAYOUTS:
            raise ValueError(f"unknown layout {name!r}; choose from {', '.join(LAYOUTS)}")
        self.name = name
        self.data = LayoutInput.from_chart(chart, entity_ids, attribute)  # on the GUI thread
        if attribute:
            options["attribute"] = attribute
        self.options = options
        self._stop = threading.Event()
        self._relay = _Relay()
        self._relay.progress.connect(self.progress)
        self._relay.done.connect(self.finished)
        self._relay.failed.connect(self.failed)
        self._relay.stopped.connect(self.cancelled)
        self.running = False
        for signal in (self.finished, self.failed, self.cancelled):
            signal.connect(self._ended)

    def start(self, pool: QThreadPool | None = None) -> None:
        self.running = True
        (pool or QThreadPool.globalInstance()).start(
            _Run(self.name, self.data, dict(self.options), self._relay, self._stop))

    def cancel(self) -> None:
        """Ask the layout to stop at its next check; ``cancelled`` follows."""
        self._stop.set()

    def _ended(self, *args: object) -> None:
        self.running = False
