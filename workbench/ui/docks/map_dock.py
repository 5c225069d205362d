"""The map dock: the chart's routes on an interactive map, kept in step with the selection.

- The map is the same offline page that ``workbench map -o routes.html`` writes, shown in Qt
  WebEngine. Selecting entities or links anywhere highlights their routes (``wbHighlight``);
  clicking a place selects its entity, clicking a route its two places and its links (the
  page logs ``workbench-select {...}``, read here from the console, so the page needs no
  Qt-specific script).
- Options: link types that make routes, colour attribute, minimum cases, date range, and the
  opt-in online base layer (off by default: it sends the map's area to a tile server).
- Places that could not be placed are listed with the reason; "Place by hand" saves a fix in
  the chart (``chart.settings["places"]``) as an undoable command.
- Export: HTML (interactive), PNG, SVG, PDF (the static map), written on a worker from the
  routes shown into a part file beside the target; and copy as image.
- Routes are aggregated and the page's HTML written on a worker thread
  (``workbench.ui.background``), from a copy of the chart taken on the GUI thread; the page
  loads when they arrive, and a newer request supersedes an older one.
- Until the analyst sets a minimum count, the legible default (``workbench.geo.legible``).
- Nothing is drawn until the dock is first shown: the page (and Qt WebEngine's browser) is
  made then and the routes drawn, so a window whose map stays behind another tab opens
  without them.
- The page is served from memory (``workbench-map:``, an off-the-record profile): no file in
  /tmp lingers after a crash, no cache on disk (setHtml stops at 2 MB; the full map is 3.2).

Running as root (CI containers), Chromium's sandbox cannot start; the sandbox is then turned
off through QTWEBENGINE_DISABLE_SANDBOX before Qt WebEngine is imported.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")

from PySide6.QtCore import QCoreApplication, QDate, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QUndoStack
from PySide6.QtWebEngineCore import QWebEngineSettings
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QToolButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

# Qt WebEngine needs shared OpenGL contexts, set before the application object exists (and
# map_work registers the page's URL scheme then too).
if QCoreApplication.instance() is None:
    QCoreApplication.setAttribute(Qt.AA_ShareOpenGLContexts)

from workbench.geo.routes import RouteMap, RouteOptions
from workbench.model import Chart, ParseError, Selection
from workbench.model.kinds import parse_coordinates
from workbench.ui.background import FileJob, Job
from workbench.ui.docks import map_work
from workbench.ui.docks.sight import Sight
from workbench.ui.document import show_message

ONLINE_TILES = "OpenStreetMap"
EXPORT_FILTER = "Interactive map (*.html);;PNG image (*.png);;SVG image (*.svg);;PDF (*.pdf)"


class MapDock(QDockWidget):
    """A dock with the route map of ``chart``; follows and drives ``selection``."""

    map_loaded = Signal(bool)  # after each (re)load of the page
    routes_changed = Signal()  # after the routes were rebuilt (before the page loads)
    exported = Signal(str)  # the file Export wrote (on a worker)
    export_failed = Signal(str)  # why it could not

    def __init__(self, chart: Chart, selection: Selection, undo_stack: QUndoStack | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Map", parent)
        self.setObjectName("MapDock")
        self.selection = selection
        self.undo_stack = undo_stack
        self.chart: Chart | None = None
        self.route_map: RouteMap | None = None
        self._pages_loaded = 0  # each page gets a new address, so none comes from a cache
        self._default_minimum = True  # until the analyst sets a minimum count
        self._rebuild_timer = QTimer(self, singleShot=True, interval=250)
        self._rebuild_timer.timeout.connect(self.rebuild)
        self._job: Job | None = None  # the newest map being drawn on a worker
        self.link_filter: set[str] | None = None  # only these links (a time range), then rebuild()
        self.message: QMessageBox | None = None
        self._build_ui()
        self.sight = Sight(self, self.rebuild)  # behind a tab: rebuilt when brought forward
        self.visibilityChanged.connect(self._sight_changed)
        selection.changed.connect(self._follow_selection)
        self.set_chart(chart)

    # ----- building the widgets ----------------------------------------------------------
    def _build_ui(self) -> None:
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(2, 2, 2, 2)
        bar = QHBoxLayout()
        self.types_button = QToolButton(text="Link types", popupMode=QToolButton.InstantPopup)
        self.types_menu = QMenu(self.types_button)
        self.types_button.setMenu(self.types_menu)
        self.colour_combo = QComboBox(toolTip="Colour routes by a link attribute")
        self.min_count = QSpinBox(minimum=1, maximum=1_000_000, prefix="min cases ")
        self.from_check = QCheckBox("from")
        self.from_date = QDateEdit(QDate(2000, 1, 1), calendarPopup=True, enabled=False,
                                   displayFormat="yyyy-MM-dd")
        self.to_check = QCheckBox("to")
        self.to_date = QDateEdit(QDate.currentDate(), calendarPopup=True, enabled=False,
                                 displayFormat="yyyy-MM-dd")
        self.online_check = QCheckBox("Online tiles")
        self.online_check.setToolTip(f"Add {ONLINE_TILES} tiles under the routes. This sends "
                                     "the map's area to that server; off by default.")
        self.export_button = QToolButton(text="Export", popupMode=QToolButton.InstantPopup)
        export_menu = QMenu(self.export_button)
        for label in ("HTML (interactive)...", "PNG...", "SVG...", "PDF..."):
            export_menu.addAction(label, self.ask_export)
        export_menu.addAction("Copy as image", self.copy_image)
        self.export_button.setMenu(export_menu)
        for widget in (QLabel("Routes:"), self.types_button, self.colour_combo, self.min_count,
                       self.from_check, self.from_date, self.to_check, self.to_date,
                       self.online_check, self.export_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        layout.addLayout(bar)

        # The page and its browser are made when the dock is first shown (_start_page).
        self.view: QWebEngineView | None = None
        self.page: map_work.MapPage | None = None
        self.server: map_work.PageServer | None = None
        self._page_box = QWidget(body)
        QVBoxLayout(self._page_box).setContentsMargins(0, 0, 0, 0)
        self.unresolved, self.unresolved_toggle = map_work.unresolved_list(
            body, self.ask_place, self._show_unresolved)
        self.place_button = QPushButton("Place by hand...")
        self.place_button.clicked.connect(lambda: self.ask_place(self.unresolved.currentItem()))
        self.place_button.hide()
        splitter = QSplitter(Qt.Vertical, body)
        splitter.addWidget(self._page_box)
        splitter.addWidget(self.unresolved)
        splitter.setSizes([500, 160])
        layout.addWidget(splitter, 1)
        bottom = QHBoxLayout()
        self.status = QLabel()
        bottom.addWidget(self.unresolved_toggle)
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.place_button)
        layout.addLayout(bottom)
        self.setWidget(body)

        for signal in (self.colour_combo.currentIndexChanged, self.min_count.valueChanged,
                       self.from_date.dateChanged, self.to_date.dateChanged,
                       self.online_check.toggled):
            signal.connect(self._schedule)
        self.min_count.valueChanged.connect(self._minimum_chosen)
        for check, edit in ((self.from_check, self.from_date), (self.to_check, self.to_date)):
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(self._schedule)

    def _start_page(self) -> None:
        """Qt WebEngine's view and page, made when the dock is first shown: starting the
        browser and drawing routes for a tab nobody raised held the window's first paint."""
        self.view, self.server, self.page = map_work.make_page(self, self._page_box)
        self.page.select_requested.connect(self._select_from_map)
        self.view.loadFinished.connect(self._loaded)

    def _sight_changed(self, visible: bool) -> None:
        """Start the page when the dock comes into sight: a tab brought to the front, a dock
        opened (checked once Qt has laid the docks out: when a window is first shown, every
        tab is told it is visible)."""
        if visible and self.view is None:
            QTimer.singleShot(0, self, self._start_if_in_sight)

    def _start_if_in_sight(self) -> None:
        if self.view is None and self.isVisible() and not self.visibleRegion().isEmpty():
            self._start_page()
            self.rebuild()

    # ----- the chart --------------------------------------------------------------------
    def set_chart(self, chart: Chart) -> None:
        """Show another chart (connect to the window's ``chart_replaced``)."""
        if self.chart is not None:
            for signal in self._chart_signals(self.chart):
                signal.disconnect(self._chart_changed)
        self.chart = chart
        for signal in self._chart_signals(chart):
            signal.connect(self._chart_changed)
        self._default_minimum = True
        self._fill_options()
        self.rebuild()

    def _schedule(self, *_args: object) -> None:
        self._rebuild_timer.start()

    def _chart_changed(self, *_args: object) -> None:  # behind another tab: rebuilt once shown
        self.sight.postpone() or self._rebuild_timer.start()

    def _minimum_chosen(self) -> None:
        """The analyst set a minimum count (the dock's own changes are made with signals
        blocked): it is kept from now on, for this chart."""
        self._default_minimum = False

    @staticmethod
    def _chart_signals(chart: Chart) -> list:
        return [chart.entities_added, chart.entities_removed, chart.entity_changed,
                chart.links_added, chart.links_removed, chart.link_changed, chart.types_changed]

    def _fill_options(self) -> None:
        map_work.fill_options(self.chart, self.types_menu, self.colour_combo, self._schedule)

    def options(self) -> RouteOptions:
        types = tuple(a.text() for a in self.types_menu.actions() if a.isChecked())
        return RouteOptions(
            link_types=types,
            colour_by=self.colour_combo.currentData(),
            min_count=self.min_count.value(),
            date_from=self.from_date.date().toPython() if self.from_check.isChecked() else None,
            date_to=self.to_date.date().toPython() if self.to_check.isChecked() else None,
        )

    def rebuild(self) -> None:
        """Recompute the routes and reload the page (debounced after chart changes): the
        chart is copied here, routes and HTML are made on a worker, and the newest result
        is shown when it arrives (an older request still running is cancelled). Until the
        dock is first shown there is no page: the map is drawn then."""
        self._rebuild_timer.stop()
        if self.view is None:
            return
        if self._job is not None:
            self._job.cancel()
        options, title = self.options(), self.chart.title
        copy = map_work.route_snapshot(self.chart, options.link_types, self.link_filter)
        online = ONLINE_TILES if self.online_check.isChecked() else None
        self.status.setText("Drawing the map...")
        default = self._default_minimum
        job = Job(lambda cancelled: map_work.routes_and_page(copy, options, title, online,
                                                             cancelled, default),
                  owner=self, what="the map")
        job.on_done = lambda result: self._page_ready(job, result)
        job.on_failed = lambda error: self._page_failed(job, error)
        self._job = job.start()

    def _page_ready(self, job: Job, result: object) -> None:
        if job is not self._job or result is None:
            return  # an older request finished after a newer one was made
        self._job = None
        self.route_map, html = result  # type: ignore[misc]
        if self._default_minimum:  # show the minimum chosen, without asking for a new map
            self.min_count.blockSignals(True)
            self.min_count.setValue(self.route_map.min_count)
            self.min_count.blockSignals(False)
        self._fill_unresolved()
        self.routes_changed.emit()
        online = self.online_check.isChecked()
        self.page.settings().setAttribute(QWebEngineSettings.LocalContentCanAccessRemoteUrls,
                                          online)
        self.server.html = html.encode("utf-8")
        self._pages_loaded += 1
        self.view.load(map_work.page_url(self._pages_loaded))

    def _page_failed(self, job: Job, error: str) -> None:
        if job is not self._job:
            return
        self._job = None
        self.status.setText(f"The map could not be drawn: {error}")
        self.map_loaded.emit(False)

    def drawing(self) -> bool:
        """True while routes or the page are being made on a worker."""
        return self._job is not None

    def _fill_unresolved(self) -> None:
        count = map_work.fill_unresolved(self.unresolved, self.route_map.unresolved)
        self.unresolved_toggle.setText(f"Not on the map ({count})")
        self.unresolved_toggle.setVisible(count > 0)
        self._show_unresolved(self.unresolved_toggle.isChecked())
        self.unresolved.setHeaderLabels([f"Not on the map ({count})", "Type", "Why"])
        for column in (0, 1):
            self.unresolved.resizeColumnToContents(column)

    def _show_unresolved(self, shown: bool) -> None:
        """Open or close the list of places not on the map (none: nothing to open)."""
        shown = shown and self.unresolved.topLevelItemCount() > 0
        self.unresolved_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else
                                            Qt.ArrowType.RightArrow)
        for widget in (self.unresolved, self.place_button):
            widget.setVisible(shown)

    # ----- selection, both ways ---------------------------------------------------------
    def _loaded(self, ok: bool) -> None:
        if ok:
            self._follow_selection()
        self.status.setText(map_work.route_status(self.route_map, self.options().link_types)
                            if ok else "The map page did not load.")
        self.map_loaded.emit(ok)

    def _follow_selection(self) -> None:
        if self.page is None:
            return
        ids = json.dumps(sorted(self.selection.entities))
        links = json.dumps(sorted(self.selection.links))
        self.page.runJavaScript(
            f"typeof wbHighlight === 'function' && wbHighlight({ids}, {links});")

    def _select_from_map(self, entity_ids: list[str], link_ids: list[str], add: bool) -> None:
        """The page says whether Shift/Ctrl/Cmd was held during the click itself (the
        application's modifier state may be stale by the time the message arrives)."""
        entities = [i for i in entity_ids if i in self.chart.entities]
        links = [i for i in link_ids if i in self.chart.links]
        if add:
            self.selection.add(entities, links)
        else:
            self.selection.set(entities, links)

    # ----- fixing places ----------------------------------------------------------------
    def place_by_hand(self, text: str, lat: float, lon: float) -> None:
        """Save a fix for a place name (undoable when the dock has the window's undo stack)."""
        command = map_work.SetPlaceFixCommand(self.chart, text, lat, lon, self._schedule)
        if self.undo_stack is not None:
            self.undo_stack.push(command)  # push runs redo(), which schedules the rebuild
        else:
            command.redo()

    def ask_place(self, item: QTreeWidgetItem | None) -> None:
        if item is None:
            return
        text = item.data(0, Qt.UserRole)
        answer, ok = QInputDialog.getText(self, "Place by hand",
                                          f"Latitude, longitude for {text!r}:")
        if not ok or not answer.strip():
            return
        try:
            lat, lon = parse_coordinates(answer)
        except ParseError as exc:
            QMessageBox.warning(self, "Place by hand", str(exc))
            return
        self.place_by_hand(text, lat, lon)

    # ----- export -----------------------------------------------------------------------
    def export(self, path: str | Path, *, dpi: int = 200) -> Path:
        """HTML (interactive) or PNG/SVG/PDF (static) by the file's extension, here and now
        (scripts and tests); the Export menu writes on a worker (``export_in_background``)."""
        path = Path(path)
        if self.route_map is None:
            raise ValueError("the map is still being drawn; export it when it shows")
        online = ONLINE_TILES if self.online_check.isChecked() else None
        return map_work.write_map(self.route_map, path, self.chart.title, online, dpi)

    def export_in_background(self, path: str | Path, *, dpi: int = 200) -> FileJob | None:
        """Write the map on a worker from the routes shown (plain data), into a part file
        that replaces ``path`` when complete; ``exported(str)`` or ``export_failed(str)``
        follow (a failure is also shown). None when there is no map yet."""
        path = Path(path)
        if self.route_map is None:
            self.status.setText("The map is still being drawn: export it when it shows.")
            return None
        route_map, title = self.route_map, self.chart.title
        online = ONLINE_TILES if self.online_check.isChecked() else None
        job = FileJob([path], lambda parts: map_work.write_map(route_map, parts[0], title,
                                                               online, dpi),
                      owner=self, what=path.name, plain=(ValueError,))
        job.on_done = lambda targets: self._exported(str(targets[0]))
        job.on_failed = self._export_failed
        self.status.setText(f"Writing {path.name}...")
        return job.start()

    def _exported(self, path: str) -> None:
        self.status.setText(f"Map exported: {path}")
        self.exported.emit(path)

    def _export_failed(self, reason: str) -> None:
        self.status.setText("The map was not exported.")
        self.message = show_message(self, "Export map", reason)
        self.export_failed.emit(reason)

    def ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export map", "routes.html", EXPORT_FILTER)
        if path:
            self.export_in_background(path)

    def copy_image(self) -> QImage:
        """Put the static map on the clipboard as bitmap, SVG and PDF in one entry (a picture
        that pastes sharp into documents)."""
        if self.route_map is None:
            self.status.setText("The map is still being drawn: copy it when it shows.")
            return QImage()
        return map_work.copy_picture(self.route_map, self.chart.title)
