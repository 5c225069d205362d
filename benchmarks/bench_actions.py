"""Every menu action of the main window on the 23,046-link routes sample: how long it holds the
window.

Issue 12: no menu action may hold the window more than 0.5 s on a chart of sample size;
longer work runs on a worker with progress. The window here is the full application (chart
editor, histogram, heat matrix and map docks, Analysis menu) at 1600x1000, with a copy of
the routes sample open and the 229 links of the histogram's "Sweden" bar selected (the
selection that froze the window for 70 s). Each action in the menu bar's menus (submenus
filled as if opened) is triggered in turn; the figure is the longest time the event loop did
not turn, from the trigger to 1.5 s after it (or until a background layout has been
applied), so the repaint that follows an action counts, as does applying a worker's result.
Beside it, the GUI thread's CPU seconds within that longest hold: on a shared machine the
clock also counts other people's work, so the target is judged on the CPU figure (the GUI
thread does the holding). After each action its effect is undone (Undo, or the checkable
action triggered back, timed too) and the selection restored, so every action meets the same
chart, fitted to the window again (with TEXT given, the view stays as the action before left
it).

Not triggered (listed at the end): actions that open a modal dialog or a file dialog (their
names end in "..."), open or make another chart, close the chart or quit. A dialog that
opens anyway is closed at once and reported. Run: ``python benchmarks/bench_actions.py
[TEXT...]`` (only the actions whose menu path holds one of the TEXTs, in menu order:
``"zoom to selection" summarise`` times the summary toggled while zoomed in; Qt runs
offscreen unless a display is set). Last, Copy as Picture is timed again with nothing
selected: a picture of the whole chart, drawn on a worker (the figure includes putting it on
the clipboard when the worker is done).
"""

from __future__ import annotations

import itertools
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, QTimer  # noqa: E402
from PySide6.QtGui import QAction  # noqa: E402
from PySide6.QtWidgets import QApplication, QMenu, QProgressDialog  # noqa: E402

SAMPLE = REPO / "sample_charts" / "trafficking-routes.wbchart"
SETTLE_S = 1.5  # the event loop is watched this long after each action
TARGET_S = 0.5
NOT_TRIGGERED = {  # (menu path) -> why
    "File > New Chart": "replaces the chart",
    "File > Close Chart": "closes the chart",
    "File > Quit": "quits",
}


class Heartbeat:
    """A timer that notes when the event loop turns (clock and the GUI thread's CPU time);
    the longest gap between turns is the longest hold."""

    def __init__(self) -> None:
        self.beats: list[tuple[float, float]] = []
        self.timer = QTimer()
        self.timer.setInterval(2)
        self.timer.timeout.connect(
            lambda: self.beats.append((time.perf_counter(), time.thread_time())))
        self.timer.start()

    def longest_since(self, start: tuple[float, float]) -> tuple[float, float]:
        """(seconds, GUI-thread CPU seconds) of the longest gap since ``start``."""
        marks = [start, *(b for b in self.beats if b[0] >= start[0])]
        return max(((b[0] - a[0], b[1] - a[1]) for a, b in itertools.pairwise(marks)),
                   default=(0.0, 0.0))


def actions_of(menu: QMenu, path: str) -> list[tuple[str, QAction]]:
    """(path, action) of every action in the menu and its submenus, filled as when shown."""
    menu.aboutToShow.emit()
    found = []
    for action in menu.actions():
        if action.isSeparator() or not action.isVisible():
            continue
        name = f"{path} > {action.text().replace('&', '')}"
        if action.menu() is not None:
            found.extend(actions_of(action.menu(), name))
        else:
            found.append((name, action))
    return found


def main() -> None:
    from workbench.ui.app import make_application

    app = make_application()  # as the application makes it (web engine, GUI-thread collector)
    from workbench.analysis.fields import resolve_field
    from workbench.analysis.histogram import histogram
    from workbench.ui.clipboard import hand_clipboard_to_qt
    from workbench.ui.window.main_window import MainWindow
    from workbench.ui.window.workspace import Workspace

    folder = Path(tempfile.mkdtemp())
    copy = folder / SAMPLE.name  # Save writes here, never over the sample
    shutil.copy(SAMPLE, copy)
    window = MainWindow(settings=QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat),
                        recovery_dir=folder / "recovery")
    window.workspace = Workspace(window)
    window.resize(1600, 1000)
    window.show()
    window.open_chart(copy)
    app.processEvents()
    chart = window.chart
    bar = next(b for b in histogram(chart, resolve_field(chart, "to")).bars
               if b.label == "Sweden")
    chosen = frozenset(i for i in bar.ids if i in chart.links)
    window.selection.set(links=chosen)
    app.processEvents()
    heart = Heartbeat()
    dialogs: list[str] = []

    def close_dialogs() -> None:
        modal = QApplication.activeModalWidget()
        if modal is not None and not isinstance(modal, QProgressDialog):  # progress: a worker
            dialogs.append(modal.windowTitle() or type(modal).__name__)
            modal.close()

    closer = QTimer()
    closer.setInterval(50)
    closer.timeout.connect(close_dialogs)
    closer.start()
    def run(action: QAction) -> tuple[float, float]:
        """(longest hold on the clock, the GUI thread's CPU seconds in it)."""
        start = (time.perf_counter(), time.thread_time())
        action.trigger()
        app.processEvents()
        end = time.perf_counter() + SETTLE_S
        while time.perf_counter() < end or window.layouts.running is not None \
                or getattr(window.clipboard, "picture_job", None) is not None:
            app.processEvents()
            time.sleep(0.001)
        return heart.longest_since(start)

    results: list[tuple[str, float, float, str]] = []
    skipped: list[tuple[str, str]] = []
    everything = [item for menu in window.menuBar().actions() if menu.menu() is not None
                  for item in actions_of(menu.menu(), menu.text().replace("&", ""))]
    print(f"routes sample: {len(chart.entities):,} entities, {len(chart.links):,} links; "
          f"{len(chosen)} links selected; {len(everything)} menu actions; "
          f"target: each under {TARGET_S} s")
    print(f"{'action':<72} {'hold s':>7} {'CPU s':>6}  (target on the CPU figure)")
    only = [text.casefold() for text in sys.argv[1:]]
    for name, action in everything:
        if only and not any(text in name.casefold() for text in only):
            continue
        why = NOT_TRIGGERED.get(name) or ("opens a dialog" if name.endswith("...") else "") \
            or ("opens a chart" if name.startswith("File > Open Recent") else "")
        if why:
            skipped.append((name, why))
            continue
        if not action.isEnabled():
            skipped.append((name, "disabled with this selection"))
            continue
        index = window.undo_stack.index()
        before = len(dialogs)
        hold, cpu = run(action)
        note = "  OVER" if cpu > TARGET_S else ""
        if len(dialogs) > before:
            note += f"  (opened a dialog: {dialogs[-1]})"
        results.append((name, hold, cpu, note))
        print(f"{name:<72} {hold:7.2f} {cpu:6.2f}{note}", flush=True)
        if action.isCheckable() and action.actionGroup() is None:
            back = run(action)
            results.append((name + " (back)", *back, "  OVER" if back[1] > TARGET_S else ""))
            print(f"{name + ' (back)':<72} {back[0]:7.2f} {back[1]:6.2f}"
                  f"{results[-1][3]}", flush=True)
        if window.undo_stack.index() != index:
            while window.undo_stack.index() > index:
                window.undo_stack.undo()
            app.processEvents()
        if window.selection.links != chosen or window.selection.entities:
            window.selection.set(links=chosen)
            app.processEvents()
        if not only:
            window.view.zoom_to_fit()
            app.processEvents()
    if not only or any(text in "edit > copy as picture" for text in only):
        # with nothing selected: the whole chart (23,046 links) drawn for the clipboard
        window.selection.clear()
        app.processEvents()
        name = "Edit > Copy as Picture (nothing selected: the whole chart)"
        hold, cpu = run(window.acts.copy_picture)
        results.append((name, hold, cpu, "  OVER" if cpu > TARGET_S else ""))
        print(f"{name:<72} {hold:7.2f} {cpu:6.2f}{results[-1][3]}", flush=True)
    over = [r for r in results if r[2] > TARGET_S]
    worst = max(results, key=lambda r: r[2])
    print(f"\n{len(results)} timed, {len(over)} over {TARGET_S} s of GUI-thread CPU; longest "
          f"{worst[2]:.2f} s CPU, {worst[1]:.2f} s on the clock ({worst[0]})")
    print("not triggered:")
    for name, why in skipped:
        print(f"  {name}: {why}")
    hand_clipboard_to_qt()  # Copy as Picture's Python data on the clipboard crashes the exit
    window.undo_stack.setClean()
    window.close()


if __name__ == "__main__":
    main()
