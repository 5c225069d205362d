"""The map dock's page: legible by default (issue 12), refitted when the dock changes size,
and served from memory so nothing is left in /tmp after a killed window (issue 11, item 9)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import pairwise
from pathlib import Path

from tests.geo.route_data import route_chart
from tests.ui.docks.test_map_dock import TIMEOUT, js, wait_loaded
from workbench.geo.legible import MAX_LEGS, default_min_count
from workbench.geo.routes import build_routes
from workbench.model import Chart, Direction, Selection
from workbench.ui.docks.map_dock import MapDock


def _close(qtbot, dock: MapDock) -> None:
    dock.view.setPage(None)
    dock.page.deleteLater()
    qtbot.wait(50)


def _note(qtbot, dock: MapDock) -> str:
    return js(qtbot, dock, "(function(){var n=document.querySelector('.wb-note');"
                           "return n ? n.textContent : 'no note';})()")


def test_the_dock_opens_at_the_legible_default_and_keeps_the_analysts_choice(qtbot) -> None:
    chart = route_chart(rows=1500)
    every = build_routes(chart)
    assert len(every.segments) > MAX_LEGS  # 961 legs: too many to read
    dock = MapDock(chart, Selection())
    qtbot.addWidget(dock)
    dock.resize(1000, 700)
    dock.show()
    try:
        wait_loaded(qtbot, dock)
        chosen = default_min_count(every)
        assert chosen > 1 and dock.min_count.value() == chosen
        shown = len(dock.route_map.segments)
        assert 0 < shown <= MAX_LEGS
        assert _note(qtbot, dock).startswith(
            f"showing {shown} of {len(every.segments)} legs ({chosen}+ cases, ")
        # The analyst asks for every leg: every leg is drawn, and the note goes.
        dock.min_count.setValue(1)
        wait_loaded(qtbot, dock)
        assert len(dock.route_map.segments) == len(every.segments)
        assert _note(qtbot, dock) == "no note"
        dock.types_menu.actions()[0].toggle()  # other options keep the analyst's minimum
        wait_loaded(qtbot, dock)
        assert dock.min_count.value() == 1
        # Another chart starts at its own legible default again.
        dock.set_chart(route_chart(rows=3000))
        wait_loaded(qtbot, dock)
        assert dock.min_count.value() > 1 and len(dock.route_map.segments) <= MAX_LEGS
    finally:
        _close(qtbot, dock)


def _europe() -> Chart:
    """Routes within Europe: a map fitted to them zooms in, and out when it gets smaller."""
    chart = Chart("Europe")
    places = [chart.make_entity("Location", name, coordinates=at) for name, at in (
        ("Lisbon", (38.7, -9.1)), ("Rome", (41.9, 12.5)), ("Vienna", (48.2, 16.4)),
        ("Berlin", (52.5, 13.4)), ("Paris", (48.9, 2.35)))]
    for source, target in pairwise(places):
        chart.make_link(source.id, target.id, "Travels to", direction=Direction.FORWARD)
    return chart


def test_the_map_refits_when_the_dock_is_resized_floated_or_docked(qtbot) -> None:
    dock = MapDock(_europe(), Selection())
    qtbot.addWidget(dock)
    dock.resize(1000, 700)
    dock.show()

    def zoom() -> float:
        return float(js(qtbot, dock, "wbRoutes.map.getZoom()"))

    try:
        wait_loaded(qtbot, dock)
        fitted = zoom()
        dock.resize(1000, 320)  # a strip: the map zooms out to keep every route in view
        qtbot.waitUntil(lambda: zoom() < fitted, timeout=TIMEOUT)
        dock.setFloating(True)
        dock.resize(1400, 950)
        qtbot.waitUntil(lambda: zoom() >= fitted, timeout=TIMEOUT)
        dock.setFloating(False)
        # Once the reader zooms in, the map stays where they put it.
        js(qtbot, dock, "wbRoutes.map.setZoom(5); true")
        qtbot.waitUntil(lambda: zoom() == 5, timeout=TIMEOUT)
        dock.resize(600, 400)
        qtbot.wait(400)
        assert zoom() == 5
    finally:
        _close(qtbot, dock)


KILLED_WINDOW = textwrap.dedent("""
    import os, signal, sys
    from workbench.ui.docks.map_dock import MapDock  # before the QApplication
    from PySide6.QtWidgets import QApplication
    from tests.geo.route_data import route_chart
    from workbench.model import Chart, Direction, Selection
    app = QApplication([])
    dock = MapDock(route_chart(rows=400), Selection())
    dock.resize(800, 600)
    dock.show()
    def loaded(ok):
        print("loaded", ok, dock.view.url().scheme(), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    dock.map_loaded.connect(loaded)
    app.exec()
""")


def test_a_killed_window_leaves_no_map_page_behind(tmp_path: Path) -> None:
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(private_tmp), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", KILLED_WINDOW], env=env, capture_output=True,
                          text=True, timeout=TIMEOUT / 1000, check=False,
                          cwd=Path(__file__).parents[3])
    assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]
    assert "loaded True workbench-map" in done.stdout
    left = [p for p in private_tmp.rglob("*") if "workbench" in p.name or p.suffix == ".html"]
    assert left == []


def test_the_page_reaches_no_server_unless_online_tiles_are_on(qtbot) -> None:
    """Served from memory, the page is still local content: with the online tiles off (the
    default) it cannot reach any server, as a page loaded from a file could not."""
    asked: list[str] = []

    class Server(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *_args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Server)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    dock = MapDock(_europe(), Selection())
    qtbot.addWidget(dock)
    dock.show()
    leak = (f"new Image().src = '{url}/image.png'; "
            f"fetch('{url}/fetch').catch(function () {{}}); true")
    try:
        wait_loaded(qtbot, dock)
        js(qtbot, dock, leak)
        qtbot.wait(1500)
        assert asked == []
        # The same page with the online tiles on does reach the server: the check can see.
        dock.online_check.setChecked(True)
        wait_loaded(qtbot, dock)
        js(qtbot, dock, leak)
        qtbot.waitUntil(lambda: len(asked) > 0, timeout=TIMEOUT)
    finally:
        server.shutdown()
        _close(qtbot, dock)
