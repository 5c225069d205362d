"""Each sample chart at its default view (zoomed to fit), as a reader first sees it, in a
1600x1000 and a 1366x768 chart view (runs offscreen); prints how many labels are drawn at a
readable size and how many overlap.

    python scripts/default_view_screenshots.py [OUTPUT_FOLDER]

The 1600x1000 pictures are docs/images/default-view-<sample>.png in the README.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SAMPLES = ("nov13-network", "trafficking-routes", "call-records")
SIZES = ((1600, 1000), (1366, 768))


def main(out: Path) -> None:
    app = QApplication.instance() or QApplication([])
    from workbench.io import load_chart
    from workbench.model import Selection
    from workbench.view import ChartScene, ChartView
    from workbench.view.legibility import legibility

    out.mkdir(parents=True, exist_ok=True)
    for name in SAMPLES:
        chart = load_chart(REPO / "sample_charts" / f"{name}.wbchart")
        for width, height in SIZES:
            scene = ChartScene(chart, Selection())
            view = ChartView(scene)
            view.resize(width, height)
            view.show()
            app.processEvents()
            view.zoom_to_fit()
            view.place_labels()
            app.processEvents()
            suffix = "" if (width, height) == SIZES[0] else f"-{width}x{height}"
            path = out / f"default-view-{name}{suffix}.png"
            view.grab().save(str(path))
            print(f"{path.name}: zoom {view.zoom_level():.2f}, {legibility(view)}")
            view.close()
            scene.detach()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs" / "images")
