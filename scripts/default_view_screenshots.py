"""Each sample chart at its default view (zoomed to fit), as a reader first sees it, in a
1600x1000 and a 1366x768 chart view (runs offscreen); prints how many labels are drawn at a
readable size and how many overlap, and saves the 1600x1000 pictures.

    python scripts/default_view_screenshots.py [OUTPUT_FOLDER]

The 1600x1000 pictures are docs/images/default-view-<sample>.png in the README, with
selection-faded-routes.png: the 229 links of the histogram bar "to Sweden" selected on the
routes sample, the rest faded (1366x768).
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
            shown = f"{name} at {width}x{height}"
            if (width, height) == SIZES[0]:  # the smaller size is measured, not kept
                path = out / f"default-view-{name}.png"
                view.grab().save(str(path))
                shown = path.name
            print(f"{shown}: zoom {view.zoom_level():.2f}, {legibility(view)}")
            view.close()
            scene.detach()
    selection_shot(out)


def selection_shot(out: Path) -> None:
    from workbench.analysis.fields import resolve_field
    from workbench.analysis.histogram import histogram
    from workbench.io import load_chart
    from workbench.model import Selection
    from workbench.view import ChartScene, ChartView

    app = QApplication.instance()
    chart = load_chart(REPO / "sample_charts" / "trafficking-routes.wbchart")
    selection = Selection()
    scene = ChartScene(chart, selection)
    view = ChartView(scene)
    view.resize(1366, 768)
    view.show()
    app.processEvents()
    view.zoom_to_fit()
    bar = next(b for b in histogram(chart, resolve_field(chart, "to")).bars
               if b.label == "Sweden")
    selection.set(links=[i for i in bar.ids if i in chart.links])
    scene.set_fade_unselected(True)
    view.place_labels()
    app.processEvents()
    view.grab().save(str(out / "selection-faded-routes.png"))
    view.close()
    scene.detach()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs" / "images")
