"""The full workspace: the chart editor (MainWindow) plus the analysis, map and import parts.

MainWindow is the chart editor on its own (light enough for hundreds of tests); this module
adds what the application shows around it: the histogram, heat matrix, map, time wheel and
timeline docks (View > Send to Timeline), the time filter, the Analysis menu, the import wizard
(File > Import and files dropped on the window), the start page and Help > About. Each part
follows ``window.chart_replaced`` itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QDockWidget, QStackedWidget

from workbench.paths import resource
from workbench.ui.dialogs.about_dialog import AboutDialog
from workbench.ui.docks.heatmatrix_dock import HeatMatrixDock
from workbench.ui.docks.histogram_dock import HistogramDock
from workbench.ui.docks.map_dock import MapDock
from workbench.ui.docks.time_filter_dock import TimeFilterDock
from workbench.ui.docks.timeline_dock import TimelineDock
from workbench.ui.docks.timewheel_dock import TimeWheelDock
from workbench.ui.window.analysis_actions import install_analysis_menu
from workbench.ui.window.main_window import MainWindow
from workbench.ui.window.merge_actions import install_merge_actions
from workbench.ui.window.start_page import StartPage
from workbench.ui.window.store_actions import install_store
from workbench.ui.wording import plural

if TYPE_CHECKING:  # the importer brings pandas: imported when File > Import is used
    from workbench.ui.importing.import_wizard import ImportWizard

Area = Qt.DockWidgetArea
FILTERED = 2  # the counting docks' scope "Filtered items"


def app_icon() -> QIcon:
    return QIcon(str(resource("icons", "workbench.svg")))


class Workspace(QObject):
    """Owns the parts added to a MainWindow; ``Workspace(window)`` installs them."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        window.setWindowIcon(app_icon())
        self.histogram = HistogramDock(window.chart, window.selection)
        self.heat_matrix = HeatMatrixDock(window.chart, window.selection)
        self.map = MapDock(window.chart, window.selection, window.undo_stack)
        self.time_wheel = TimeWheelDock(window.chart, window.selection)
        self.time_filter = TimeFilterDock(window.document, window)
        window.add_dock(self.histogram, Area.BottomDockWidgetArea)
        window.add_dock(self.heat_matrix, Area.BottomDockWidgetArea, tab_with=self.histogram)
        window.add_dock(self.map, Area.BottomDockWidgetArea, tab_with=self.histogram)
        self.timeline = TimelineDock(window.chart, window.selection)
        window.add_dock(self.timeline, Area.BottomDockWidgetArea, tab_with=self.histogram)
        window.acts.send_to_timeline.setEnabled(True)
        window.acts.send_to_timeline.triggered.connect(
            lambda: self.timeline.send(window.selection.entities))
        window.add_dock(self.time_wheel, Area.BottomDockWidgetArea, tab_with=self.histogram)
        self.analysis = install_analysis_menu(window.analysis_menu, window)
        # Edit > Merge Entities and Unmerge, Analysis > Find Duplicates (its dock a tab here)
        self.merging = install_merge_actions(window, tab_with=self.histogram)
        window.analysis_menu.addSeparator()
        # above the chart, across the window, so the counts below stay in sight while the
        # range moves; shown from the Analysis menu (Reset Dock Layout leaves it be)
        self.time_filter.setProperty("optional_dock", True)
        window.add_dock(self.time_filter, Area.TopDockWidgetArea)
        if self.time_filter not in window.dock_layout.restored:
            self.time_filter.hide()
        window.analysis_menu.addAction("Time &Wheel", lambda: self.raise_dock(self.time_wheel))
        window.analysis_menu.addAction("Time &Filter and Playback",
                                       lambda: self.raise_dock(self.time_filter))
        self.time_filter.filter_changed.connect(self._time_filtered)
        self._time_shown: set[str] | None = None
        self._behind: set[QDockWidget] = set()  # docks to follow the filter once in front
        for dock in (self.histogram, self.heat_matrix, self.time_wheel, self.map):
            dock.visibilityChanged.connect(lambda on, d=dock: self._in_front(d, on))
        self.store = install_store(window)  # File > Open Store, the Store dock
        window.set_import_handler(self.start_import)
        self.wizard: ImportWizard | None = None
        self.about: AboutDialog | None = None
        help_menu = window.menuBar().addMenu("&Help")
        help_menu.addAction("&About Workbench", self.show_about)
        window.chart_replaced.connect(self._chart_replaced)

        # The start page stands where the chart is until a chart is opened or made; it is
        # made when first shown (it reads every recent chart file's counts).
        self.start_page: StartPage | None = None
        self.stack = QStackedWidget()
        self.stack.addWidget(window.takeCentralWidget())
        window.setCentralWidget(self.stack)

    @staticmethod
    def raise_dock(dock: QDockWidget) -> None:
        """Show a dock that may be closed or behind another tab."""
        dock.show()
        dock.raise_()

    def _time_filtered(self, shown: set[str] | None) -> None:
        """The counts and the map follow the time filter: they count what it leaves
        ("Filtered items"), and all items again once it is off. Only the docks in sight
        recount at each step (Play moves the range every second); one behind another tab
        catches up when it is brought to the front."""
        self._time_shown = shown
        span = self.time_filter.span()
        if span is not None:  # the timeline shows the period the chart shows
            self.timeline.show_range(span.start, span.end)
        self._behind = {self.histogram, self.heat_matrix, self.time_wheel, self.map}
        for dock in list(self._behind):
            if dock.isVisible() and not dock.visibleRegion().isEmpty():
                self._follow_time(dock)

    def _in_front(self, dock: QDockWidget, visible: bool) -> None:
        if visible and dock in self._behind:
            self._follow_time(dock)

    def _follow_time(self, dock: QDockWidget) -> None:
        self._behind.discard(dock)
        shown = self._time_shown
        if dock is self.map:  # its routes are drawn on a worker
            self.map.link_filter = None if shown is None else set(shown)
            self.map.rebuild()
            return
        scope = dock.scope_box
        new_scope = (shown is not None) != (scope.currentIndex() == FILTERED)
        if shown is None and not new_scope and not dock.filtered:
            return  # no filter before or after, the same scope: the counts stand (a new
            # chart with the filter off; recounting 200,000 links took seconds)
        if new_scope:
            scope.blockSignals(True)
            scope.setCurrentIndex(FILTERED if shown is not None else 0)
            scope.blockSignals(False)
        dock.set_filter(shown, "in the time range")

    # ----- start page ----------------------------------------------------------------------
    def show_start_page(self) -> None:
        window = self.window
        if self.start_page is None:
            self.start_page = StartPage(window.files.recent.paths())
            self.stack.addWidget(self.start_page)
            self.start_page.open_requested.connect(window.open_chart)
            self.start_page.new_requested.connect(self.show_chart)
            self.start_page.open_dialog_requested.connect(window.files.ask_open)
            self.start_page.import_requested.connect(lambda: self.start_import([]))
        else:
            self.start_page.set_recent(window.files.recent.paths())
        self.stack.setCurrentWidget(self.start_page)

    def show_chart(self) -> None:
        self.stack.setCurrentWidget(self.window.view)

    def _chart_replaced(self) -> None:
        chart = self.window.chart
        # the time filter is off for the new chart: no dock may count the old chart's ids
        self.map.link_filter = None
        for dock in self._behind - {self.map}:
            if dock.scope_box.currentIndex() == FILTERED:
                dock.scope_box.blockSignals(True)
                dock.scope_box.setCurrentIndex(0)
                dock.scope_box.blockSignals(False)
        for dock in (self.histogram, self.heat_matrix, self.map, self.time_wheel, self.timeline):
            dock.set_chart(chart)
        self.show_chart()

    # ----- import --------------------------------------------------------------------------
    def start_import(self, files: Sequence[str | Path] = ()) -> None:
        """Open the import wizard (on these files); an accepted import is one undo step."""
        from workbench.ui.importing.import_wizard import ImportWizard

        self.wizard = ImportWizard(self.window.chart, self.window, files=list(files))
        self.wizard.accepted.connect(self._import_accepted)
        self.wizard.open()

    def _import_accepted(self) -> None:
        from workbench.ui.importing.import_support import ImportCommand

        wizard, window = self.wizard, self.window
        if wizard is None or wizard.plan is None:
            return
        was_empty = not window.chart.entities
        count = len(wizard.plan.entities) + len(wizard.plan.links)
        window.undo_stack.push(ImportCommand(window.chart, wizard.plan,
                                             f"Import {plural(count, 'item')}"))
        self.show_chart()
        if was_empty:  # the importer's grid is no picture: lay the new chart out
            window.layouts.run("force")  # its own undo step; zooms to fit when it lands
        else:
            window.view.zoom_to_fit()

    def show_about(self) -> None:
        self.about = AboutDialog(self.window)
        self.about.open()
