"""Screenshots of the window with its docks on each sample, at a laptop and a desktop size,
to look at what an analyst first sees (runs offscreen).

    python scripts/dock_screenshots.py [OUTPUT_FOLDER] [--sizes 1600x1000,1366x768]

For each sample chart it writes window-<sample>-<size>.png (histogram raised, the most
connected entity selected so the properties show) and window-<sample>-<size>-heat.png (the
heat matrix raised).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings

REPO = Path(__file__).resolve().parent.parent
SAMPLES = sorted((REPO / "sample_charts").glob("*.wbchart"))


def settle(app, seconds: float = 0.5) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()


def shoot(app, sample: Path, width: int, height: int, out: Path) -> None:
    from workbench.ui.window.main_window import MainWindow
    from workbench.ui.window.workspace import Workspace

    temp = Path(tempfile.mkdtemp())
    window = MainWindow(settings=QSettings(str(temp / "s.ini"), QSettings.Format.IniFormat),
                        recovery_dir=temp / "recovery")
    window.workspace = Workspace(window)
    window.resize(width, height)
    window.show()
    window.open_chart(sample)
    window.acts.reset_docks.trigger()
    settle(app, 1.5)
    window.view.zoom_to_fit()
    chart = window.chart
    hub = max(chart.entities, key=lambda e: len(chart.links_of(e)))
    window.selection.set([hub])
    settle(app)
    name = f"window-{sample.stem}-{width}x{height}"
    window.grab().save(str(out / f"{name}.png"))
    window.workspace.heat_matrix.raise_()
    settle(app)
    window.grab().save(str(out / f"{name}-heat.png"))
    window.undo_stack.setClean()
    window.close()
    window.deleteLater()
    settle(app, 0.2)
    print(out / f"{name}.png")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", default=str(REPO / "docs" / "images"))
    parser.add_argument("--sizes", default="1600x1000,1366x768")
    args = parser.parse_args()
    from workbench.ui.app import make_application

    app = make_application()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for size in args.sizes.split(","):
        width, height = (int(n) for n in size.split("x"))
        for sample in SAMPLES:
            shoot(app, sample, width, height, out)


if __name__ == "__main__":
    main()
