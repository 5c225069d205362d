"""The window opens on a chart without what it does not show yet: the importer (pandas), the
layouts' libraries (igraph's drawing, scipy), the map's browser and its page, the start page
(it reads every recent chart). Each costs a second or more of the first paint on a loaded
machine (benchmarks/bench_start.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from ..conftest import REPO, SAMPLE

CHILD = """
import json, sys, tempfile
from PySide6.QtCore import QSettings, QTimer
from workbench.ui.app import make_application, open_window
app = make_application()
folder = tempfile.mkdtemp()
window = open_window([sys.argv[1]], settings=QSettings(folder + '/s.ini',
                     QSettings.Format.IniFormat), recovery_dir=folder + '/rec')
def report():
    space = window.workspace
    print(json.dumps({
        "modules": sorted(m for m in ("pandas", "scipy", "folium", "pydot", "splink")
                          if m in sys.modules),
        "map page": space.map.view is not None,
        "start page": space.start_page is not None,
        "histogram drawn": space.histogram._plot is not None,
        "wheel drawn": space.time_wheel.plot is not None,
        "entities": len(window.chart.entities),
    }), flush=True)
    import os
    os._exit(0)
QTimer.singleShot(300, report)
app.exec()
"""


def test_the_window_opens_a_chart_without_what_it_does_not_show():
    run = subprocess.run([sys.executable, "-c", CHILD, str(SAMPLE)], capture_output=True,
                         text=True, timeout=180, cwd=REPO,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    shown = json.loads(run.stdout.strip().splitlines()[-1])
    assert shown == {"modules": [], "map page": False, "start page": False,
                     "histogram drawn": True, "wheel drawn": False, "entities": shown["entities"]}
    assert shown["entities"] > 100
