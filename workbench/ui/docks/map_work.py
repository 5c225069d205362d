"""The map dock's work beside its widgets: the copy of the chart a worker reads, the routes
and the page's HTML built on that worker, the map written to a file, a place fixed by hand as
an undoable command, and the web page that turns clicks on the map into a selection request.

The worker functions touch no Qt object. Import this module through ``map_dock``, which
prepares Qt WebEngine (sandbox, shared OpenGL contexts) before it is first imported.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Collection, Iterable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QBuffer, QCoreApplication, QIODevice, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QImage, QUndoCommand
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineSettings,
    QWebEngineUrlRequestJob,
    QWebEngineUrlScheme,
    QWebEngineUrlSchemeHandler,
)
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QMenu,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from workbench.geo.interactive import SELECT_MESSAGE, route_map_html, save_html
from workbench.geo.legible import legible
from workbench.geo.places import Unresolved, restore_place_fix, set_place_fix
from workbench.geo.routes import (
    DEFAULT_ROUTE_TYPES,
    RouteMap,
    RouteOptions,
    build_routes,
    colour_attributes,
)
from workbench.io.chartfile import paused_gc
from workbench.model import Chart
from workbench.ui.clipboard import figure_picture_mime


class SetPlaceFixCommand(QUndoCommand):
    """Place every entity with this name at (lat, lon), saved in the chart; undo removes it."""

    def __init__(self, chart: Chart, text: str, lat: float, lon: float,
                 changed: Callable[[], None] | None = None) -> None:
        super().__init__(f"Place {text!r} on the map")
        self.chart, self.text, self.lat, self.lon = chart, text, lat, lon
        self.changed = changed  # chart settings have no signal: tell the map directly
        self.old: dict | None = None

    def redo(self) -> None:
        self.old = set_place_fix(self.chart, self.text, self.lat, self.lon)
        if self.changed is not None:
            self.changed()

    def undo(self) -> None:
        restore_place_fix(self.chart, self.text, self.old)
        if self.changed is not None:
            self.changed()


def route_snapshot(chart: Chart, link_types: Iterable[str],
                   among: Collection[str] | None = None) -> Chart:
    """What ``build_routes`` reads, copied for a worker: the links of the route types with
    their own attribute dicts, their end entities, and the place fixes. Six times quicker
    than a full copy of the chart (0.06 s for the 23,000-link route sample), so the GUI
    thread holds less than it did computing the routes itself. ``among``: only these links
    (what a filter, such as the time filter, leaves on the chart)."""
    with paused_gc():  # no cycles here; see workbench.ui.background.snapshot
        return _route_copy(chart, set(link_types), among)


def _route_copy(chart: Chart, wanted: set[str], among: Collection[str] | None) -> Chart:
    copy = Chart(chart.title, catalogue=chart.catalogue, region=chart.region)
    copy.settings = json.loads(json.dumps(chart.settings))  # place fixes: plain JSON data
    links = [replace(lk, attributes=dict(lk.attributes)) for lk in chart.links.values()
             if lk.type in wanted and (among is None or lk.id in among)]
    ends = {end for lk in links for end in (lk.end1, lk.end2)}
    copy.add_entities(replace(e, attributes=dict(e.attributes))
                      for e in chart.entities.values() if e.id in ends)
    copy.add_links(links)
    return copy


def route_status(routes: RouteMap, link_types: Iterable[str]) -> str:
    """The dock's line under the map: what it shows, or why it shows nothing (an empty world
    over "0 legs, 0 places, 0 cases" told a new user nothing)."""
    if not routes.all_segments:
        types = ", ".join(link_types) or "none ticked"
        return ("No routes to draw: the map shows links of the route types (Link types: "
                f"{types}) between places it knows; this chart has none.")
    return (f"{len(routes.segments):,} legs, {len(routes.hotspots):,} places, "
            f"{sum(s.count for s in routes.segments):,.0f} cases"
            + (f"; {sum(routes.skipped.values()):,} links left out" if routes.skipped else ""))


def write_map(route_map: RouteMap, path: Path, title: str, online: str | None,
               dpi: int) -> Path:
    """The interactive page or the static picture by the suffix (no Qt: safe on a worker)."""
    if path.suffix.lower() in (".html", ".htm"):
        return save_html(route_map, path, title=title, online_tiles=online)
    from workbench.geo.static import save_static  # matplotlib: only for a picture

    return save_static(route_map, path, dpi=dpi, title=title)


def routes_and_page(chart: Chart, options: RouteOptions, title: str, online: str | None,
                    cancelled: threading.Event,
                    default_minimum: bool = False) -> tuple[RouteMap, str] | None:
    """On a worker, from the dock's copy of the chart: the routes and the page's HTML. One
    map at a time (the gazetteer is built once, on first use); a request that was superseded
    while it waited is skipped. With ``default_minimum`` the minimum count is the legible
    default rather than the one in ``options``."""
    with _ONE_MAP_AT_A_TIME:
        if cancelled.is_set():
            return None
        route_map = build_routes(chart, replace(options, min_count=1) if default_minimum
                                 else options)
        if default_minimum:
            route_map = legible(route_map)
        if cancelled.is_set():
            return None
        return route_map, route_map_html(route_map, title=title, online_tiles=online)


_ONE_MAP_AT_A_TIME = threading.Lock()


PAGE_SCHEME = b"workbench-map"


def _register_page_scheme() -> None:
    """The map page's scheme is local: the page reaches the network only when the online
    tiles are on (LocalContentCanAccessRemoteUrls), as a file would. Qt WebEngine accepts
    schemes only before the application object exists."""
    scheme = QWebEngineUrlScheme(PAGE_SCHEME)
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Path)
    scheme.setFlags(QWebEngineUrlScheme.Flag.LocalScheme
                    | QWebEngineUrlScheme.Flag.LocalAccessAllowed)
    QWebEngineUrlScheme.registerScheme(scheme)


if QCoreApplication.instance() is None:
    _register_page_scheme()


def page_url(number: int) -> QUrl:
    """A new address for each page, so none comes from a cache."""
    return QUrl(f"{PAGE_SCHEME.decode()}:/map-{number}.html")


class PageServer(QWebEngineUrlSchemeHandler):
    """Serves the dock's current page from memory to any ``workbench-map:`` request."""

    def __init__(self, parent: QWebEngineProfile) -> None:
        super().__init__(parent)
        self.html = b""

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:
        body = QBuffer(job)
        body.setData(self.html)
        body.open(QIODevice.ReadOnly)
        job.reply(b"text/html", body)


class MapPage(QWebEnginePage):
    """Turns the page's ``workbench-select [ids]`` console messages into a signal."""

    select_requested = Signal(list, list, bool)  # entity ids, link ids, add to selection

    def javaScriptConsoleMessage(self, level, message: str, line: int, source: str) -> None:
        if message.startswith(SELECT_MESSAGE):
            try:
                request = json.loads(message[len(SELECT_MESSAGE):])
            except ValueError:
                return
            if isinstance(request, dict):
                self.select_requested.emit([str(i) for i in request.get("entities", [])],
                                           [str(i) for i in request.get("links", [])],
                                           request.get("add") is True)


def page_in_memory(owner: QObject, view: QWidget) -> tuple[PageServer, MapPage]:
    """A page with its own off-the-record profile (nothing written to disk) whose
    ``workbench-map:`` addresses are served from memory by the returned server."""
    profile = QWebEngineProfile(owner)
    server = PageServer(profile)
    profile.installUrlSchemeHandler(PAGE_SCHEME, server)
    return server, MapPage(profile, view)


def make_page(owner: QWidget, box: QWidget) -> tuple[QWebEngineView, PageServer, MapPage]:
    """The map's view in ``box`` with its page served from memory (remote content off until
    the online tiles are chosen). The view is made after ``box`` so that it is deleted after
    the page that uses it."""
    view = QWebEngineView(box)
    server, page = page_in_memory(owner, view)
    page.settings().setAttribute(QWebEngineSettings.LocalContentCanAccessRemoteUrls, False)
    view.setPage(page)
    box.layout().addWidget(view)
    return view, server, page


def fill_options(chart: Chart, types_menu: QMenu, colour_box: QComboBox,
                 changed: Callable[..., None]) -> None:
    """Offer the chart's link types that can make routes (directed, or in use; the default
    route types ticked) and its attributes to colour routes by, keeping the colour chosen."""
    used = {lk.type for lk in chart.links.values()}
    directed = {t.name for t in chart.catalogue.link_types.values() if t.directed}
    types_menu.clear()
    for name in sorted(used | set(DEFAULT_ROUTE_TYPES), key=str.casefold):
        if name not in directed and name not in used:
            continue
        action = QAction(name, types_menu, checkable=True, checked=name in DEFAULT_ROUTE_TYPES)
        action.toggled.connect(changed)
        types_menu.addAction(action)
    colour_box.blockSignals(True)
    current = colour_box.currentData()
    colour_box.clear()
    colour_box.addItem("one colour", None)
    for name in colour_attributes(chart):
        colour_box.addItem(f"colour by {name}", name)
    colour_box.setCurrentIndex(max(colour_box.findData(current), 0))
    colour_box.blockSignals(False)


def unresolved_list(parent: QWidget, place: Callable[[QTreeWidgetItem], None],
                    shown: Callable[[bool], None]) -> tuple[QTreeWidget, QToolButton]:
    """The list of places not on the map (double-click: ``place`` it by hand) and the
    one-line button under the map that opens it (``shown(open)``). Both start hidden: listed
    open, the routes sample's 81 unplaced names took a fifth of the dock from the map."""
    tree = QTreeWidget(parent)
    tree.setHeaderLabels(["Not on the map", "Type", "Why"])
    tree.setRootIsDecorated(False)
    tree.itemDoubleClicked.connect(lambda item, _column: place(item))
    tree.hide()
    toggle = QToolButton(parent)
    toggle.setCheckable(True)
    toggle.setArrowType(Qt.ArrowType.RightArrow)
    toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    toggle.setAutoRaise(True)
    toggle.setToolTip("Places of the chart the map cannot show, and why; double-click one to "
                      "place it by hand")
    toggle.toggled.connect(shown)
    toggle.hide()
    return tree, toggle


def fill_unresolved(tree: QTreeWidget, unresolved: Iterable[Unresolved]) -> int:
    """The places that could not be placed, one row per name; returns how many."""
    tree.clear()
    seen: set[str] = set()
    for item in sorted(unresolved, key=lambda u: u.text.casefold()):
        if item.text in seen:
            continue
        seen.add(item.text)
        row = QTreeWidgetItem([item.text, item.entity_type, item.reason])
        row.setData(0, Qt.UserRole, item.text)
        tree.addTopLevelItem(row)
    return tree.topLevelItemCount()


def copy_picture(route_map: RouteMap, title: str) -> QImage:
    """The static map on the clipboard as bitmap, SVG and PDF in one entry."""
    from workbench.geo.static import route_figure  # matplotlib: only for a picture

    mime = figure_picture_mime(route_figure(route_map, title=title), 150, title)
    QApplication.clipboard().setMimeData(mime)
    return QImage(mime.imageData())
