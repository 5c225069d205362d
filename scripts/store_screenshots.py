"""Screenshots of the Store dock and Expand from Store on a store of the sample data, at a
desktop and a laptop size (runs offscreen).

    python scripts/store_screenshots.py [OUTPUT_FOLDER] [--sizes 1600x1000,1366x768]

Builds a store from the four sample data sets in a temporary folder, then for each size
writes store-dock-<size>.png (a search for "abaaoud", the first hit added with its
neighbours), store-expand-<size>.png (the preview of expanding Salah Abdeslam) and
store-news-<size>.png (after "New in the Store").
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, QStandardPaths

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sample_charts"
IMPORTS = [("call-records", "vast2008_call_records"),
           ("nov13-relationships", "nov13_relationships"),
           ("trafficking-routes", "trafficking_routes_2008_2016")]


def wait(app, until: Callable[[], bool] = lambda: False, seconds: float = 20) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end and not until():
        app.processEvents()
        time.sleep(0.01)
    for _ in range(20):
        app.processEvents()


def build_store(folder: Path) -> Path:
    from workbench.geo.places import place_namer
    from workbench.io.importspec import load_spec
    from workbench.store import open_store

    path = folder / "samples.wbstore"
    with open_store(path, create=True) as store:
        for spec_name, data in IMPORTS:
            spec = SAMPLES / "specs" / f"{spec_name}.yaml"
            store.import_files(load_spec(spec), spec.read_text(encoding="utf-8"),
                               [SAMPLES / "data" / f"{data}.csv"], places=place_namer())
    return path


def shoot(app, store: Path, width: int, height: int, out: Path) -> None:
    from workbench.ui.window.main_window import MainWindow
    from workbench.ui.window.workspace import Workspace

    temp = Path(tempfile.mkdtemp())
    window = MainWindow(settings=QSettings(str(temp / "s.ini"), QSettings.Format.IniFormat),
                        recovery_dir=temp / "recovery")
    workspace = Workspace(window)
    workspace.show_chart()
    window.resize(width, height)
    window.show()
    wait(app, seconds=0.5)
    dock = workspace.store.dock
    dock.open_store(str(store))
    wait(app, lambda: dock.source is not None)
    dock.query.setText("abaaoud")
    dock.search()
    wait(app, lambda: dock.table.rowCount() > 0)
    dock.table.selectRow(0)
    dock.add_selected()
    wait(app, lambda: bool(window.chart.entities))
    window.view.zoom_to_fit()
    wait(app, seconds=0.5)
    size = f"{width}x{height}"
    window.grab().save(str(out / f"store-dock-{size}.png"))
    salah = window.chart.find("Person", "salah abdeslam")
    dialog = workspace.store.expand(salah.id)
    wait(app, lambda: dialog.add_button.isEnabled())
    dialog.grab().save(str(out / f"store-expand-{size}.png"))
    dialog.reject()
    dock.look_for_news()
    wait(app, lambda: not dock.runner.busy)
    window.grab().save(str(out / f"store-news-{size}.png"))
    window.undo_stack.setClean()
    window.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=Path("store-shots"))
    parser.add_argument("--sizes", default="1600x1000,1366x768")
    args = parser.parse_args()
    from workbench.ui.app import make_application

    app = make_application()
    QStandardPaths.setTestModeEnabled(True)  # the user's own settings stay untouched
    args.out.mkdir(parents=True, exist_ok=True)
    store = build_store(Path(tempfile.mkdtemp()))
    for size in args.sizes.split(","):
        width, height = (int(n) for n in size.split("x"))
        shoot(app, store, width, height, args.out)
        print(f"wrote {args.out}/store-*-{size}.png")


if __name__ == "__main__":
    main()
