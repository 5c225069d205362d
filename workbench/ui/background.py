"""Long work off the GUI thread, shared by the report, the data exports and the map dock.

The rule (DESIGN.md): what the worker reads is plain data prepared on the GUI thread (a copy
of the chart, options, pictures already drawn); the worker never touches a widget nor draws
with a chart scene (a GUI object: chart pictures too long for the GUI thread are drawn in a
child process, export/picture_process.py, which a worker watches); its result comes back
through a queued signal and is applied on the GUI thread.

``FileJob`` is the pattern for anything that writes files: the worker writes each target's
*part file* beside it (same folder, so the final swap is one rename on one disk); the GUI
thread renames the parts over the targets only when the work is complete and was not
cancelled. A failed or cancelled job removes its parts, so an earlier file at the target is
left exactly as it was and no half-written file is ever left behind.

Jobs are registered with an *owner* (a window, a dialog): ``cancel_jobs(owner)`` cancels
every job of that owner or its children and waits for their workers, which is what closing
the window does (no worker is left writing while the application goes away).

While any worker runs, Python's cycle collector is paused (``CollectorPause``): Qt objects
that became cyclic garbage on the GUI thread must be destroyed there, never by a collection
that happens to run on a worker.
"""

from __future__ import annotations

import gc
import itertools
import threading
from collections.abc import Callable
from copy import deepcopy
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, Signal

from workbench.io.atomic import commit, part_path, remove_leftovers, reserve
from workbench.io.chartfile import paused_gc
from workbench.io.chartjson import chart_from_json, chart_to_json
from workbench.model import Chart


class CollectorPause:
    """The cycle collector stays off while workers run. Qt objects that became cyclic garbage
    on the GUI thread (the scene that drew a chart picture, its signal connections) must be
    destroyed on the GUI thread: collected from a worker, their destructors stop GUI-thread
    timers from the wrong thread and Qt crashes. So: collect the young generations now, on
    the GUI thread (recent garbage such as a picture's scene: milliseconds; a full collection
    walks the whole heap, over a second in a long session), then pause until the last worker
    is done (plain reference counting still frees memory)."""

    holds = 0
    was_enabled = True

    @classmethod
    def hold(cls) -> None:
        if cls.holds == 0:
            cls.was_enabled = gc.isenabled()
            gc.collect(1)
            gc.disable()
        cls.holds += 1

    @classmethod
    def release(cls) -> None:
        cls.holds = max(cls.holds - 1, 0)
        if cls.holds == 0 and cls.was_enabled:
            gc.enable()


class _Relay(QObject):
    """Lives on the GUI thread for the whole session (no parent, never deleted), so a worker
    always emits to a living object even when the window that started the job is gone."""

    ended = Signal(int, object, str)  # job number, result, error ('' when it worked)

    def __init__(self) -> None:
        super().__init__()
        self.ended.connect(self._ended)  # a method of a GUI-thread object: queued there

    def _ended(self, number: int, result: object, error: str) -> None:
        job = _running.pop(number, None)
        if job is None:
            return
        if job.holds_collector:
            CollectorPause.release()
        job._apply(result, error)


_relay: _Relay | None = None
_numbers = itertools.count(1)
_running: dict[int, Job] = {}


def _the_relay() -> _Relay:
    global _relay
    if _relay is None:
        _relay = _Relay()
    return _relay


class Job:
    """Work run once on the thread pool: ``work(cancelled)`` returns plain data.

    ``on_done(result)`` runs on the GUI thread when the work is complete and not cancelled;
    ``on_failed(reason)`` when it raised (the reason names the exception). A cancelled job
    calls neither. ``owner`` ties the job to a window or dialog for ``cancel_jobs``;
    exceptions of the ``plain`` types already say what went wrong and are shown as they are.
    """

    def __init__(self, work: Callable[[threading.Event], object], *,
                 owner: QObject | None = None,
                 on_done: Callable[[object], None] | None = None,
                 on_failed: Callable[[str], None] | None = None,
                 what: str = "the work", cancelled: threading.Event | None = None,
                 plain: tuple[type[Exception], ...] = ()) -> None:
        self.work, self.owner, self.what, self.plain = work, owner, what, plain
        self.on_done, self.on_failed = on_done, on_failed
        self.number = next(_numbers)
        self.cancelled = cancelled if cancelled is not None else threading.Event()
        self.finished = threading.Event()  # set on the worker once it stopped (parts removed)
        self.holds_collector = False

    def register(self, hold_collector: bool = True) -> None:
        """Known to ``cancel_jobs`` from now on (GUI thread; ``start`` does it)."""
        _the_relay()  # made on the GUI thread, before any worker can emit
        _running[self.number] = self
        if hold_collector:
            CollectorPause.hold()
            self.holds_collector = True

    def start(self) -> Job:
        self.register()
        QThreadPool.globalInstance().start(self.run)
        return self

    def cancel(self) -> None:
        """Stop waiting for the result; the worker cleans up when its current step ends."""
        self.cancelled.set()

    @property
    def running(self) -> bool:
        return self.number in _running

    def run(self) -> None:  # on the worker thread
        result: object = None
        error = ""
        try:
            result = self.work(self.cancelled)
        except Exception as exc:  # shown to the analyst, never lost on a thread
            error = self.describe(exc)
        try:
            self.cleanup(error)
        finally:
            self.finished.set()
            _the_relay().ended.emit(self.number, result, error)

    def describe(self, exc: Exception) -> str:
        if isinstance(exc, self.plain):
            return str(exc)
        if isinstance(exc, OSError):
            return f"Could not write {self.what}: {exc.strerror or exc}"
        return f"Unexpected problem with {self.what}: {type(exc).__name__}: {exc}"

    def cleanup(self, error: str) -> None:
        """On the worker, after the work: nothing to undo for plain results."""

    def _apply(self, result: object, error: str) -> None:  # on the GUI thread
        if self.cancelled.is_set():
            return
        if error:
            if self.on_failed is not None:
                self.on_failed(error)
        elif self.on_done is not None:
            self.on_done(result)


class FileJob(Job):
    """Writes ``targets`` off the GUI thread: ``write(parts)`` writes one part file per
    target (same order); the parts replace the targets on the GUI thread when all are
    written, and are removed after a failure or Cancel. ``on_done`` gets the targets."""

    def __init__(self, targets: list[Path], write: Callable[[list[Path]], object], **kwargs
                 ) -> None:
        self.targets = [Path(t) for t in targets]
        self.parts = [part_path(t) for t in self.targets]
        super().__init__(lambda _cancelled: self._write(write), **kwargs)

    def _write(self, write: Callable[[list[Path]], object]) -> object:  # on the worker
        for target, part in zip(self.targets, self.parts, strict=True):
            remove_leftovers(target)  # of a window that was killed while writing it
            reserve(part)  # private until it replaces the target
        return write(self.parts)

    def cleanup(self, error: str) -> None:
        if error or self.cancelled.is_set():
            self.remove_parts()

    def remove_parts(self) -> None:
        for part in self.parts:
            part.unlink(missing_ok=True)

    def _apply(self, result: object, error: str) -> None:
        if self.cancelled.is_set():
            self.remove_parts()  # cancelled after the worker's own check: close the race
            return
        if not error:
            try:  # checked, given the target's permissions (or the umask's), swapped in
                for part, target in zip(self.parts, self.targets, strict=True):
                    commit(part, target)
            except OSError as exc:
                self.remove_parts()
                error = f"Could not write {self.what}: {exc.strerror or exc}"
        super()._apply(self.targets, error)


def owned_by(job: Job, owner: QObject) -> bool:
    node = job.owner
    try:
        while node is not None:
            if node is owner:
                return True
            node = node.parent()
    except RuntimeError:  # an owner already deleted by Qt
        return False
    return False


def cancel_jobs(owner: QObject, wait_seconds: float = 60.0) -> int:
    """Cancel the jobs of ``owner`` (and of its children, e.g. a dialog of the window) and
    wait for their workers to stop, so no part file outlives the window. Returns how many
    were cancelled."""
    jobs = [job for job in list(_running.values()) if owned_by(job, owner)]
    for job in jobs:
        job.cancel()
    for job in jobs:
        job.finished.wait(wait_seconds)
        if isinstance(job, FileJob):
            job.remove_parts()
    return len(jobs)


def running_jobs() -> list[Job]:
    return list(_running.values())


def snapshot(chart: Chart) -> Chart:
    """A copy of the chart for a worker to read while the analyst goes on editing (through
    the chart file's own JSON form: every field, nothing shared with the window; 0.03-0.15 s
    at 10,000 entities; the collector is paused meanwhile, as the chart file does: a chart
    has no cycles, and a full collection triggered by the copy would cost more than it)."""
    with paused_gc():
        copy = chart_from_json(chart_to_json(chart))
    copy.settings = deepcopy(chart.settings)  # the JSON form holds the chart's own dict
    copy.images = dict(chart.images)  # pictures the chart embeds (bytes, never changed)
    return copy
