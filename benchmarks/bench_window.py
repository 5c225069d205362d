"""The main window with a 10,000-entity, 20,000-link chart: what the analyst waits for.

Prints seconds for: opening the file in the window (load, scene, fit), a force layout through
the Layout menu's runner (snapshot, worker, one undo command, redraw), undoing it, deleting
1,000 entities with their links and undoing that, find over the chart, copy and paste of
1,000 entities, saving, and writing the recovery file. Run:
``python benchmarks/bench_window.py`` (Qt runs offscreen unless a display is set).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from workbench.io import save_chart
from workbench.model import Chart, Direction, Entity, Link

N_ENTITIES, N_LINKS = 10_000, 20_000
TYPES = ("Person", "Phone", "Email", "Account", "Advert", "Location")


def build_chart() -> Chart:
    """A scale-free-ish network (new entities link to earlier ones), laid out."""
    import random

    rng = random.Random(5)
    chart = Chart("window benchmark")
    chart.add_entities(Entity(f"e{i}", TYPES[i % len(TYPES)], f"{TYPES[i % len(TYPES)]} {i}",
                              x=(i % 100) * 150.0, y=(i // 100) * 150.0)
                       for i in range(N_ENTITIES))
    links = []
    for j in range(N_LINKS):
        a = rng.randrange(1, N_ENTITIES)
        b = rng.randrange(0, a) if rng.random() < 0.7 else rng.randrange(0, min(a, 50))
        links.append(Link(f"l{j}", f"e{a}", f"e{b}", "Associate",
                          direction=Direction.FORWARD if j % 2 else Direction.NONE))
    chart.add_links(links)
    from workbench.layout import force_layout

    chart.move_entities(force_layout(chart))  # saved charts are laid out
    return chart


def timed(label: str, work: Callable[[], object], app: QApplication) -> float:
    start = time.perf_counter()
    work()
    app.processEvents()
    seconds = time.perf_counter() - start
    print(f"{label:<52} {seconds:7.2f} s")
    return seconds


def main() -> None:
    app = QApplication.instance() or QApplication([])
    from workbench.ui.window.main_window import MainWindow

    folder = Path(tempfile.mkdtemp())
    path = folder / "big.wbchart"
    save_chart(build_chart(), path)
    window = MainWindow(settings=QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat),
                        recovery_dir=folder / "recovery")
    window.resize(1440, 900)
    window.show()
    app.processEvents()
    print(f"{N_ENTITIES:,} entities, {N_LINKS:,} links; machine shared, figures are rough")
    timed("open in the window (load, build scene, fit)",
          lambda: (window.open_chart(path), window.view.zoom_to_fit()), app)

    done: list[tuple] = []
    window.layouts.finished.connect(lambda *args: done.append(args))

    def layout() -> None:
        window.layouts.run("force")
        while not done:
            app.processEvents()
            time.sleep(0.002)

    timed("force layout via the Layout menu (applied, drawn)", layout, app)
    print(f"{'  of which in the worker thread':<52} {window.layouts.last_seconds:7.2f} s")
    done.clear()
    window.layouts.run("circular")
    while not done:
        app.processEvents()
    done.clear()
    timed("force layout again, from a circular layout", layout, app)
    print(f"{'  of which in the worker thread':<52} {window.layouts.last_seconds:7.2f} s")
    timed("undo the layout", window.undo_stack.undo, app)
    timed("redo the layout", window.undo_stack.redo, app)
    ids = list(window.chart.entities)[:1000]
    window.selection.set(ids)
    timed("delete 1,000 entities and their links", window.delete_selection, app)
    timed("undo the delete", window.undo_stack.undo, app)
    timed("find '99' in labels and attributes (results listed)",
          lambda: window.find_dock.query_edit.setText("99"), app)
    print(f"{'  ' + window.find_dock.summary.text():<52}")
    window.selection.set(ids)
    timed("copy 1,000 entities", window.clipboard.copy, app)
    timed("paste them (new ids, one undo step)", window.clipboard.paste, app)
    timed("select all (status bar, properties dock)", window.acts.select_all.trigger, app)
    timed("save (atomic)", lambda: window.save_chart(folder / "saved.wbchart"), app)
    window.selection.set(["e1"])
    window.properties.edit(label="changed")
    timed("write the recovery file (autosave)", window.autosave.save_now, app)
    window.undo_stack.setClean()
    window.close()


if __name__ == "__main__":
    main()
